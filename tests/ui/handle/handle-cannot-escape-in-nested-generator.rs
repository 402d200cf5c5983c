// A generator made inside a body may borrow that body's handle, but then it cannot leave the
// body: kept outside, it could yield into the outer generator's slot after it is gone.
use asyncgen::__private::async_gen;

fn main() {
    let mut kept = None;
    let _outer = async_gen::<u32, _>(async |mut outer| {
        kept = Some(Box::pin(async_gen::<u8, _>(async move |_inner| {
            outer.yield_(1).await;
        })));
    });
}
