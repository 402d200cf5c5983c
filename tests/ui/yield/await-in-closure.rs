use asyncgen::{async_gen, yield_};

#[async_gen]
async fn delayed(items: Vec<u32>) -> u32 {
    let wait = |n: u32| {
        std::future::ready(n).await
    };
    for item in items {
        yield_!(wait(item));
    }
}

fn main() {
    let _ = delayed(vec![1]);
}
