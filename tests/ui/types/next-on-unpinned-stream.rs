// `.next()` needs `Unpin`; a generator's stream is not: `pin!` it first.
use asyncgen::{async_gen, yield_};
use futures::StreamExt;

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

async fn first() -> Option<u32> {
    let mut stream = numbers();
    stream.next().await
}

fn main() {
    let _ = first();
}
