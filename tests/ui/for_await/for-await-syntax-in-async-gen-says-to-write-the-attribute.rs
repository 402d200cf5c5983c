// `for await` is nightly syntax: on stable, rustc rejects it before the attribute runs (an
// error that cannot be removed). The attribute lowers the loop over the stream all the same,
// so no error about `AsyncIterator` follows, and its error beside rustc's shows the stable form.
use asyncgen::{async_gen, yield_};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

#[async_gen]
async fn doubled() -> u32 {
    for await n in numbers() {
        yield_!(n * 2);
    }
}

fn main() {
    let _ = doubled();
}
