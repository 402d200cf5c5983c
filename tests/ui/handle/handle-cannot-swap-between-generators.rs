// Swapping the handles of two generators would let one body yield into the other's slot
// after that generator is gone: their brands differ, so it does not compile.
use asyncgen::__private::async_gen;
use futures::StreamExt;

fn main() {
    let _outer = async_gen::<u32, _>(async |mut outer| {
        let inner = async_gen::<u32, _>(async |mut inner| {
            std::mem::swap(&mut inner, &mut outer);
            inner.yield_(1).await;
        });
        let _ = inner.collect::<Vec<_>>().await;
        outer.yield_(2).await;
    });
}
