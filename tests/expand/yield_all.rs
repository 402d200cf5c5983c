//! `yield_all!`: Python's `yield from`, of an iterator and of a stream.

use asyncgen::{async_gen, yield_, yield_all};

/// `0, 1, 2`.
#[async_gen]
pub async fn digits() -> u32 {
    yield_all!(0..3);
}

/// The digits twice, then `99`.
#[async_gen]
pub async fn twice() -> u32 {
    yield_all!(digits());
    yield_all!(digits());
    yield_!(99);
}
