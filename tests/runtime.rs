//! The runtime contract of `asyncgen::__private::async_gen`, which the macros call and which
//! must stay correct (and sound) for any body, including ones written by hand.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;

use asyncgen::__private::async_gen;
use futures::StreamExt;
use futures::executor::block_on;
use futures::stream::FuturesUnordered;
use support::{drain_ready, within_seconds};

#[test]
fn yield_from_a_sub_future_inside_futures_unordered_wakes_and_delivers() {
    // `FuturesUnordered` re-polls only the futures that were woken: a yield that relied on the
    // stream re-polling the body would hang here.
    let items = within_seconds(10, || {
        block_on(
            async_gen::<u32, _>(async |mut yielder| {
                let mut running = FuturesUnordered::new();
                running.push(async {
                    yielder.yield_(1).await;
                    yielder.yield_(2).await;
                    30
                });
                let mut results = Vec::new();
                while let Some(result) = running.next().await {
                    results.push(result);
                }
                drop(running);
                for result in results {
                    yielder.yield_(result).await;
                }
            })
            .collect::<Vec<_>>(),
        )
    });
    assert_eq!(items, [1, 2, 30]);
}

#[test]
fn an_abandoned_stored_yield_is_delivered_before_the_next_one() {
    let items = within_seconds(10, || {
        block_on(
            async_gen::<u32, _>(async |mut yielder| {
                {
                    // Poll a yield once (it stores its item), then drop it unawaited.
                    let mut first = yielder.yield_(1);
                    poll_fn(|cx| {
                        assert!(Pin::new(&mut first).poll(cx).is_pending());
                        Poll::Ready(())
                    })
                    .await;
                }
                // Same body poll: the slot is still full, this yield waits its turn.
                yielder.yield_(2).await;
                yielder.yield_(3).await;
            })
            .collect::<Vec<_>>(),
        )
    });
    assert_eq!(items, [1, 2, 3]);
}

#[test]
fn a_last_item_stored_just_before_the_body_ends_is_delivered() {
    let stream = async_gen::<&str, _>(async |mut yielder| {
        let mut last = yielder.yield_("last");
        poll_fn(|cx| {
            assert!(Pin::new(&mut last).poll(cx).is_pending());
            Poll::Ready(())
        })
        .await;
    });
    assert_eq!(drain_ready(stream), ["last"]);
}

#[test]
fn yields_inside_join_with_other_futures() {
    let items = within_seconds(10, || {
        block_on(
            async_gen::<u32, _>(async |mut yielder| {
                let yields = async {
                    for i in 0..3 {
                        yielder.yield_(i).await;
                    }
                };
                let mut waited = 0;
                let other = async {
                    for _ in 0..5 {
                        yield_now().await;
                        waited += 1;
                    }
                };
                futures::join!(yields, other);
                yielder.yield_(100 + waited).await;
            })
            .collect::<Vec<_>>(),
        )
    });
    assert_eq!(items, [0, 1, 2, 105]);
}

#[test]
fn the_handle_is_lent_for_the_body_only_and_streams_are_independent() {
    // Two generators alive at once, each polled inside the other's body: each yields into its
    // own slot (the handle's brand makes mixing them a compile error, see tests/ui).
    let outer = async_gen::<String, _>(async |mut outer_yielder| {
        let inner = async_gen::<u8, _>(async |mut inner_yielder| {
            inner_yielder.yield_(7).await;
            inner_yielder.yield_(8).await;
        });
        let mut inner = pin!(inner);
        while let Some(byte) = inner.next().await {
            outer_yielder.yield_(format!("inner gave {byte}")).await;
        }
    });
    assert_eq!(drain_ready(outer), ["inner gave 7", "inner gave 8"]);
}

/// `Pending` once, after waking its task (unlike `futures::pending!`, which does not wake).
async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}
