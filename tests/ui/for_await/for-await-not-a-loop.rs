use asyncgen::{async_gen, for_await, yield_};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

#[async_gen]
async fn doubled() -> u32 {
    let mut stream = Box::pin(numbers());
    #[for_await]
    while let Some(n) = futures::StreamExt::next(&mut stream).await {
        yield_!(n * 2);
    }
}

#[for_await]
async fn consume() {
    #[for_await]
    let _items = numbers();
}

fn main() {
    let _ = doubled();
    let _ = consume();
}
