//! The same literal `yield` with the older `feature(coroutines)` gate.
#![feature(coroutines)]

use asyncgen::{async_gen, generator};
use futures::StreamExt;

#[generator]
fn countdown(from: u32) -> u32 {
    for n in (1..=from).rev() {
        yield n;
    }
}

#[async_gen]
async fn doubled(from: u32) -> u32 {
    for n in countdown(from) {
        yield n * 2;
    }
}

#[test]
fn literal_yield_under_the_coroutines_gate() {
    assert_eq!(countdown(3).collect::<Vec<_>>(), [3, 2, 1]);
    let items: Vec<u32> = futures::executor::block_on(doubled(3).collect());
    assert_eq!(items, [6, 4, 2]);
}
