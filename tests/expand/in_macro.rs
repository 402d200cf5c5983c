//! Yields inside another macro's arguments (`tokio::select!` arms, your own macros): such a
//! macro may wrap them in an `async` block that a nested generator awaits, so they go through
//! `suspend_in_macro`, which finds its stream wherever it is polled.

use asyncgen::{async_gen, yield_, yield_all};

macro_rules! twice {
    ($e:expr) => {
        $e;
        $e
    };
}

/// `n` twice, then `0, 1` twice.
#[async_gen]
pub async fn echoed(n: u32) -> u32 {
    twice!(yield_!(n));
    twice!(yield_all!(0..2));
}
