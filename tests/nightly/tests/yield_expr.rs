//! A literal `yield value;` in `#[async_gen]` / `#[generator]` bodies with `feature(yield_expr)`.
#![feature(yield_expr)]

use asyncgen::{async_gen, generator};
use futures::StreamExt;
use futures::executor::block_on;

#[generator]
fn odds(start: u32, stop: u32) -> u32 {
    for odd in (start..=stop).filter(|n| n % 2 == 1) {
        yield odd;
    }
}

#[async_gen]
async fn square_odds(start: u32, stop: u32) -> u32 {
    for odd in odds(start, stop) {
        std::future::ready(()).await;
        yield odd * odd;
    }
}

#[async_gen]
async fn mixed(flag: bool) -> &'static str {
    yield "literal";
    asyncgen::yield_!("macro");
    match flag {
        true => yield "in a match arm",
        false => {}
    }
}

#[async_gen]
async fn units() {
    yield;
}

#[test]
fn literal_yield_works_like_the_macro() {
    assert_eq!(odds(1, 5).collect::<Vec<_>>(), [1, 3, 5]);
    assert_eq!(block_on(square_odds(11, 17).collect::<Vec<_>>()), [121, 169, 225, 289]);
    assert_eq!(
        block_on(mixed(true).collect::<Vec<_>>()),
        ["literal", "macro", "in a match arm"]
    );
    assert_eq!(block_on(units().collect::<Vec<_>>()), [()]);
}
