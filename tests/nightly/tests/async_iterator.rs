//! asyncgen's `nightly` feature: `#[async_gen]` fns and `stream!` blocks return streams that
//! are also `core::async_iter::AsyncIterator`s. Run with `--features async-iterator`.
#![cfg(feature = "async-iterator")]
#![feature(async_iterator)]

use core::async_iter::AsyncIterator;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use asyncgen::{async_gen, stream, yield_};
use futures::StreamExt;

#[async_gen]
async fn countdown(from: u32) -> u32 {
    for n in (1..=from).rev() {
        yield_!(n);
    }
}

/// Drains an `AsyncIterator` whose items are all ready, through the std trait only.
fn drain<I: AsyncIterator>(iter: I) -> Vec<I::Item> {
    let mut iter = pin!(iter);
    let mut cx = Context::from_waker(Waker::noop());
    let mut items = Vec::new();
    while let Poll::Ready(Some(item)) = iter.as_mut().poll_next(&mut cx) {
        items.push(item);
    }
    items
}

#[test]
fn generator_fns_are_async_iterators() {
    assert_eq!(drain(countdown(3)), [3, 2, 1]);
}

#[test]
fn stream_blocks_are_async_iterators() {
    let doubled = stream! {
        for n in 0..3u32 {
            yield n * 2;
        }
    };
    assert_eq!(drain(doubled), [0, 2, 4]);
}

#[test]
fn still_fused_streams() {
    let mut stream = pin!(countdown(1));
    let items = futures::executor::block_on(async {
        let first = stream.next().await;
        let end = stream.next().await;
        (first, end, futures::stream::FusedStream::is_terminated(&*stream))
    });
    assert_eq!(items, (Some(1), None, true));
}
