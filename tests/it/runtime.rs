//! The runtime contract of `asyncgen::__private::async_gen`, which the macros call and which
//! must stay correct (and sound) for any body, including ones written by hand.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

use asyncgen::__private::{Yielder, async_gen};
use futures::stream::FuturesUnordered;
use futures::{Stream, StreamExt};
use support::{block_on_self_woken, drain_ready, poll_once};

#[test]
fn yield_from_a_sub_future_inside_futures_unordered_wakes_and_delivers() {
    // `FuturesUnordered` re-polls only the futures that were woken: a yield that relied on the
    // stream re-polling the body would hang here.
    let items = block_on_self_woken(
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
    );
    assert_eq!(items, [1, 2, 30]);
}

#[test]
fn an_abandoned_stored_yield_is_delivered_before_the_next_one() {
    let items = block_on_self_woken(
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
    );
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
    let items = block_on_self_woken(
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
    );
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

/// A local whose destructor yields: it runs when the body's future is dropped, outside any
/// poll of the stream. (Regression: this used to write to a dead stack frame.)
struct YieldOnDrop<'a, 'y> {
    yielder: &'a mut Yielder<'y, String>,
    _token: support::DropToken,
}

impl Drop for YieldOnDrop<'_, '_> {
    fn drop(&mut self) {
        let mut late = self
            .yielder
            .yield_(String::from("yielded while being dropped"));
        let polled = Pin::new(&mut late).poll(&mut Context::from_waker(Waker::noop()));
        assert!(
            polled.is_pending(),
            "no consumer: the yield cannot complete"
        );
    }
}

#[test]
fn a_yield_from_a_destructor_while_the_stream_is_dropped_delivers_nothing() {
    let counter = support::DropCounter::default();
    let token = counter.token();
    let mut stream = Box::pin(async_gen::<String, _>(async move |mut yielder| {
        let _guard = YieldOnDrop {
            yielder: &mut yielder,
            _token: token,
        };
        yielder_free_pending().await;
    }));
    assert_eq!(poll_once(stream.as_mut()), Poll::Pending);
    drop(stream);
    assert_eq!(counter.drops(), 1);
}

/// A hand-written body (any future is allowed for direct callers): its synchronous part runs
/// before the body's future exists, and its `Drop` yields. (Regression: these used to reach a
/// null or dangling pointer.)
struct HandWritten<'y> {
    yielder: Yielder<'y, String>,
    panic_on_poll: bool,
}

impl Future for HandWritten<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        assert!(!self.panic_on_poll, "hand-written body panicked");
        Poll::Ready(())
    }
}

impl Drop for HandWritten<'_> {
    fn drop(&mut self) {
        let mut late = self.yielder.yield_(String::from("from Drop"));
        let _ = Pin::new(&mut late).poll(&mut Context::from_waker(Waker::noop()));
    }
}

/// A yield in a hand-written body's synchronous start. With the slot in the stream, the body
/// starts at the first poll, and the item is delivered first. With the slot on the stack (the
/// default), the body starts when the stream is made, outside any poll: the yield finds no
/// slot, and its future stays pending and drops the item with itself. Either way nothing
/// touches memory that is gone.
#[test]
fn a_yield_in_a_hand_written_bodys_synchronous_start_is_delivered_or_dropped() {
    static STARTED: AtomicBool = AtomicBool::new(false);
    fn body(mut yielder: Yielder<'_, String>) -> HandWritten<'_> {
        STARTED.store(true, Ordering::SeqCst);
        // Runs before the body's future exists.
        let mut early = yielder.yield_(String::from("from the start"));
        assert!(
            Pin::new(&mut early)
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_pending()
        );
        drop(early);
        HandWritten {
            yielder,
            panic_on_poll: false,
        }
    }
    let stream = async_gen::<String, _>(body);
    let expected: &[&str] = if asyncgen::__private::SLOT_ON_THE_STACK {
        assert!(STARTED.load(Ordering::SeqCst), "started with the stream");
        &[]
    } else {
        assert!(!STARTED.load(Ordering::SeqCst), "started at the first poll");
        &["from the start"]
    };
    // The `Drop` yield runs when the finished body is dropped: the stream has ended, so that
    // item is dropped with the stream, never delivered.
    assert_eq!(drain_ready(stream), expected);
}

#[test]
fn a_body_that_panics_and_yields_from_its_drop_ends_the_stream_cleanly() {
    fn body(yielder: Yielder<'_, String>) -> HandWritten<'_> {
        HandWritten {
            yielder,
            panic_on_poll: true,
        }
    }
    let mut stream = Box::pin(async_gen::<String, _>(body));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = poll_once(stream.as_mut());
    }));
    assert!(caught.is_err());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
}

/// `Pending` forever, without touching any yielder.
async fn yielder_free_pending() {
    std::future::pending::<()>().await;
}

#[test]
fn the_stream_is_fused_and_its_size_hint_says_when_it_ended() {
    use futures::stream::FusedStream;
    let mut stream = Box::pin(async_gen::<u8, _>(async |mut yielder| {
        yielder.yield_(1).await;
    }));
    assert_eq!(stream.size_hint(), (0, None));
    assert!(!stream.is_terminated());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    assert!(!stream.is_terminated());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert!(stream.is_terminated());
    assert_eq!(stream.size_hint(), (0, Some(0)));
}

/// Items of every layout arrive intact: the slot reads whole-word items a word at a time
/// (`read_by_words` in `core/src/yielder.rs`), others as they are. Under Miri this also checks
/// that padding and uninitialized bytes are only ever copied as `MaybeUninit`.
#[test]
fn items_of_every_layout_arrive_intact() {
    fn yielded<T: Clone>(items: &[T]) -> Vec<T> {
        let items = items.to_vec();
        drain_ready(async_gen::<T, _>(async move |mut yielder| {
            for item in items {
                yielder.yield_(item).await;
            }
        }))
    }
    // A word, or less.
    assert_eq!(yielded(&[u64::MAX, 0, 7]), [u64::MAX, 0, 7]);
    assert_eq!(yielded(&[(), ()]), [(), ()]);
    assert_eq!(yielded(&[1u8, 2]), [1, 2]);
    // Whole words, some with padding (`(u8, u64)`: 7 bytes, `(u64, u32)`: 4).
    assert_eq!(yielded(&[(1u8, 2u64), (3, 4)]), [(1, 2), (3, 4)]);
    assert_eq!(yielded(&[(5u64, 6u32)]), [(5, 6)]);
    assert_eq!(yielded(&["one", "two"]), ["one", "two"]);
    assert_eq!(yielded(&[u128::MAX, 1]), [u128::MAX, 1]);
    assert_eq!(
        yielded(&[String::from("owned"), String::new()]),
        ["owned", ""]
    );
    assert_eq!(yielded(&[vec![1u8; 40]]), [vec![1u8; 40]]);
    // Not whole words, or less than word-aligned.
    assert_eq!(yielded(&[[7u8; 24]]), [[7u8; 24]]);
    assert_eq!(yielded(&[(1u32, 2u32, 3u32)]), [(1, 2, 3)]);
    assert_eq!(
        yielded(&[Some(String::from("x")), None]),
        [Some(String::from("x")), None]
    );
}

/// `FusedStream::is_terminated` and `size_hint` follow the stream's life: not terminated
/// before the first poll or while running, terminated once it has returned `None` (after a
/// last item, or at once after a caught panic).
#[test]
fn is_terminated_follows_the_stream() {
    use futures::stream::FusedStream;

    let mut stream = Box::pin(async_gen::<u32, _>(async |mut yielder| {
        yielder.yield_(1).await;
    }));
    assert!(!stream.is_terminated());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    assert!(!stream.is_terminated());
    assert_eq!(stream.size_hint(), (0, None));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert!(stream.is_terminated());
    assert_eq!(stream.size_hint(), (0, Some(0)));

    let mut panicking = Box::pin(async_gen::<u32, _>(async |_| panic!("the body panics")));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        poll_once(panicking.as_mut())
    }));
    assert!(caught.is_err());
    assert!(panicking.is_terminated());
    assert_eq!(poll_once(panicking.as_mut()), Poll::Ready(None));
    assert!(panicking.is_terminated());
}
