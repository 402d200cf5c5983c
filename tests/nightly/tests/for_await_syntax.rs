//! `for await` in `#[async_gen]` bodies with `feature(async_for_loop)`: the attribute lowers the
//! loop over the stream as `#[for_await]` does (rustc's own lowering would need an
//! `AsyncIterator`), and a nightly compiler gets no "on stable Rust, write .." error.
#![feature(async_for_loop)]

use asyncgen::{async_gen, yield_};
use futures::StreamExt;
use futures::executor::block_on;

#[async_gen]
async fn numbers(stop: u32) -> u32 {
    for n in 0..stop {
        yield_!(n);
    }
}

#[async_gen]
async fn doubled_but_two(stop: u32) -> u32 {
    'numbers: for await n in numbers(stop) {
        if n == 2 {
            continue 'numbers;
        }
        yield_!(n * 2);
    }
}

#[test]
fn a_for_await_loop_runs_over_the_stream() {
    assert_eq!(block_on(doubled_but_two(4).collect::<Vec<_>>()), [0, 2, 6]);
}
