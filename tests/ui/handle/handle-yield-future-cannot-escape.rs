// A `yield_` future cannot be kept in a variable from outside the body: polling it after the
// stream is dropped would write to a freed slot.
use asyncgen::__private::async_gen;

fn main() {
    let mut kept = None;
    let stream = async_gen::<u32, _>(async |mut yielder| {
        kept = Some(yielder.yield_(1));
    });
    drop(stream);
    drop(kept);
}
