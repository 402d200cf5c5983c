//! `#[generator]`: a sync generator fn that returns an `Iterator`.

use asyncgen::{generator, yield_, yield_all};

/// The Fibonacci numbers below `limit`.
#[generator]
pub fn fibonacci(limit: u64) -> u64 {
    let (mut a, mut b) = (0, 1);
    while a < limit {
        yield_!(a);
        (a, b) = (b, a + b);
    }
}

/// The words of `text`, then `"."`.
#[generator]
pub fn words(text: &str) -> &str {
    yield_all!(text.split_whitespace());
    yield_!(".");
}
