//! A free `async fn` generator: the lesson's `square_odds`.

use asyncgen::{async_gen, yield_};

/// The squares of the odd numbers in `start..stop`, awaiting before each.
#[async_gen]
pub async fn square_odds(start: u32, stop: u32) -> u32 {
    for n in start..stop {
        if n % 2 == 1 {
            std::future::ready(()).await;
            yield_!(n * n);
        }
    }
}
