// `#[for_await]` on a loop in a plain `async fn` that does not carry `#[for_await]` itself:
// stable rustc rejects the attribute before any macro sees the loop.
use asyncgen::{async_gen, for_await, yield_};


#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

async fn sum() -> u32 {
    let mut total = 0;
    #[for_await]
    for n in numbers() {
        total += n;
    }
    total
}

fn main() {
    let _ = sum();
}
