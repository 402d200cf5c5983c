// A `yield_` future cannot be handed to a spawned task either: it borrows the handle.
use asyncgen::__private::async_gen;

fn main() {
    let _stream = async_gen::<u32, _>(async |mut yielder| {
        let _ = tokio::spawn(yielder.yield_(1)).await;
    });
}
