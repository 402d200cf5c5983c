//! `#[for_await]` loops: in a generator body, and in a plain `async fn` that carries the
//! attribute itself.

use asyncgen::{async_gen, for_await, yield_};
use futures::Stream;

/// The running totals of `numbers`.
#[async_gen]
pub async fn running_totals(numbers: impl Stream<Item = u32>) -> u32 {
    let mut total = 0;
    #[for_await]
    for n in numbers {
        total += n;
        yield_!(total);
    }
}

/// The sum of a stream, outside any generator.
#[for_await]
pub async fn sum(numbers: impl Stream<Item = u32>) -> u32 {
    let mut total = 0;
    #[for_await]
    for n in numbers {
        total += n;
    }
    total
}
