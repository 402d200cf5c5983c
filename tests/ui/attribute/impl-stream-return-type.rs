use asyncgen::{async_gen, yield_};
use futures::Stream;

#[async_gen]
async fn numbers() -> impl Stream<Item = u32> {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
