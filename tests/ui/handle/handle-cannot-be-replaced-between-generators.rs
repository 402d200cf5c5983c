// `mem::replace` would trade one generator's handle for another's, as `mem::swap` would: the
// brands differ, so it does not compile.
use asyncgen::__private::async_gen;
use futures::StreamExt;

fn main() {
    let _outer = async_gen::<u32, _>(async |mut outer| {
        let inner = async_gen::<u32, _>(async |inner| {
            let mut outers = std::mem::replace(&mut outer, inner);
            outers.yield_(1).await;
        });
        let _ = inner.collect::<Vec<_>>().await;
        outer.yield_(2).await;
    });
}
