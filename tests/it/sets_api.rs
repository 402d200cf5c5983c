//! The sets' access API (issue 28): `get` / `get_pin_mut` / `get_mut`, `iter` / `iter_pin_mut` /
//! `iter_mut`, `retain`, `clear`, `extend`, `into_iter` and the `IntoIterator` of references,
//! and `from_iter` / `collect()` / `default()` without the hasher named. Ports of the peers' tests
//! of these calls (tokio-stream's `tests/stream_stream_map.rs`, futures'
//! `futures/tests/stream_futures_unordered.rs`) say which test each ports.

use std::cell::Cell;
use std::future::{Future, Pending, Ready, pending, ready};
use std::hash::{BuildHasherDefault, DefaultHasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use asyncgen::{FutureSet, StreamSet, async_gen, yield_};
use futures::channel::oneshot;
use futures::executor::{block_on, block_on_stream};
use futures::stream::{self, Stream, StreamExt};
use support::{DropCounter, DropToken, counting_waker, iterations};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A future that never completes and drops a token when dropped; `Unpin`.
fn tracked_pending(drops: &DropCounter) -> Pin<Box<dyn Future<Output = ()>>> {
    let token = drops.token();
    Box::pin(async move {
        let _token = token;
        pending::<()>().await
    })
}

/// A stream whose drop panics (after counting it) if `panics`; it yields nothing and never ends.
struct Grenade {
    panics: bool,
    _token: DropToken,
}

impl Stream for Grenade {
    type Item = ();

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<()>> {
        Poll::Pending
    }
}

impl Drop for Grenade {
    fn drop(&mut self) {
        if self.panics && !std::thread::panicking() {
            panic!("grenade");
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("?")
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

// ---------------------------------------------------------------------------------------------
// `from_iter`, `collect()`, `default()`: no hasher named (these did not compile before)
// ---------------------------------------------------------------------------------------------

#[test]
fn from_iter_collect_and_default_compile_as_written_without_the_hasher() {
    // `FuturesUnordered::from_iter(..)` compiles as written: so does ours.
    let futures = FutureSet::from_iter([(1, ready('a')), (2, ready('b'))]);
    assert_eq!(
        sorted(block_on(futures.collect::<Vec<_>>())),
        [(1, 'a'), (2, 'b')]
    );

    let futures: FutureSet<_, _> = (0..3).map(|n| (n, ready(n * n))).collect();
    assert_eq!(
        sorted(block_on(futures.collect::<Vec<_>>())),
        [(0, 0), (1, 1), (2, 4)]
    );

    let streams = StreamSet::from_iter([
        ("odd", stream::iter([1, 3])),
        ("even", stream::iter([2, 4])),
    ]);
    assert_eq!(
        sorted(block_on(streams.collect::<Vec<_>>())),
        [("even", 2), ("even", 4), ("odd", 1), ("odd", 3)]
    );

    // The types come from later use.
    let mut streams = StreamSet::default();
    streams.insert(7_u8, stream::iter(['x']));
    assert_eq!(block_on(streams.next()), Some((7, 'x')));
    let mut futures = FutureSet::default();
    futures.insert_pinned("k", async { 5 });
    assert_eq!(block_on(futures.next()), Some(("k", 5)));

    // Another hasher stays reachable: `with_hasher`, then `extend`.
    type Fixed = BuildHasherDefault<DefaultHasher>;
    let mut fixed = StreamSet::with_hasher(Fixed::default());
    fixed.extend([(1, stream::iter([10])), (2, stream::iter([20]))]);
    assert_eq!(
        sorted(block_on(fixed.collect::<Vec<_>>())),
        [(1, 10), (2, 20)]
    );
}

/// `HashMap`'s and `StreamMap`'s `extend` replace a key's value; so does ours (and `from_iter`,
/// which extends): the first child under a repeated key is dropped, the last one stays.
#[test]
fn extend_and_from_iter_replace_a_repeated_key_and_drop_the_old_child() {
    let drops = DropCounter::default();
    let tracked = |items: Vec<u32>| {
        let token = drops.token();
        stream::iter(items).map(move |item| {
            let _ = &token;
            item
        })
    };
    let mut set = StreamSet::new();
    set.extend([
        ("a", tracked(vec![1])),
        ("b", tracked(vec![2])),
        ("a", tracked(vec![3])),
    ]);
    assert_eq!(drops.drops(), 1);
    assert_eq!(set.len(), 2);
    assert_eq!(
        sorted(block_on(set.collect::<Vec<_>>())),
        [("a", 3), ("b", 2)]
    );
    assert_eq!(drops.drops(), 3);

    let futures = FutureSet::from_iter([(1, ready("first")), (1, ready("last"))]);
    assert_eq!(futures.len(), 1);
    assert_eq!(block_on(futures.collect::<Vec<_>>()), [(1, "last")]);
}

// ---------------------------------------------------------------------------------------------
// One child by key
// ---------------------------------------------------------------------------------------------

#[test]
fn get_get_mut_and_get_pin_mut_find_a_child_by_a_borrowed_key() {
    let mut set = StreamSet::new();
    set.insert(String::from("alice"), stream::iter(vec![1, 2, 3]));
    set.insert(String::from("bob"), stream::iter(vec![4]));
    assert_eq!(set.get("alice").map(Stream::size_hint), Some((3, Some(3))));
    assert!(set.get("carol").is_none());
    // `get_mut` reaches the stream itself: an item taken there is not handed out by the set.
    let alice = set.get_mut("alice").unwrap();
    assert_eq!(block_on(alice.next()), Some(1));
    assert!(set.get_mut("carol").is_none());
    let bob = set.get_pin_mut("bob").unwrap();
    assert_eq!(bob.size_hint(), (1, Some(1)));
    assert!(set.get_pin_mut("carol").is_none());
    let items = sorted(block_on((&mut set).collect::<Vec<_>>()));
    assert_eq!(
        items,
        [
            ("alice".into(), 2),
            ("alice".into(), 3),
            ("bob".to_string(), 4)
        ]
    );
}

#[async_gen]
async fn countdown(from: u32) -> u32 {
    for n in (1..=from).rev() {
        yield_!(n);
    }
}

/// `!Unpin` children (an `#[async_gen]` stream, an `async` block) are reached pinned, and can be
/// polled there; the set goes on with them.
#[test]
fn a_pinned_child_reached_by_key_can_be_polled_in_place() {
    let mut set = StreamSet::new();
    set.insert_pinned('a', countdown(3));
    set.insert_pinned('b', countdown(1));
    let mut a = set.get_pin_mut(&'a').unwrap();
    assert_eq!(block_on(a.next()), Some(3));
    let items = sorted(block_on((&mut set).collect::<Vec<_>>()));
    assert_eq!(items, [('a', 1), ('a', 2), ('b', 1)]);

    let mut futures = FutureSet::new();
    let polled = Rc::new(Cell::new(0));
    for key in 0..3 {
        let polled = polled.clone();
        futures.insert_pinned(key, async move {
            polled.set(polled.get() + 1);
            key
        });
    }
    assert!(futures.get(&1).is_some());
    let (_, waker) = counting_waker();
    let one = futures.get_pin_mut(&1).unwrap();
    assert_eq!(one.poll(&mut Context::from_waker(&waker)), Poll::Ready(1));
    // Completed outside the set: remove it, as `get_pin_mut`'s docs say.
    assert!(futures.remove_pinned(&1));
    assert_eq!(
        sorted(block_on(futures.collect::<Vec<_>>())),
        [(0, 0), (2, 2)]
    );
    assert_eq!(polled.get(), 3);
}

// ---------------------------------------------------------------------------------------------
// Every child
// ---------------------------------------------------------------------------------------------

/// Ports tokio-stream's `iter_values` (through `iter`, `StreamMap::values` has no twin here).
#[test]
fn iter_gives_every_stream_with_its_key() {
    let mut map = StreamSet::new();
    map.insert("a", stream::iter(vec![1]));
    map.insert("b", stream::iter(vec![1, 2]));
    map.insert("c", stream::iter(vec![1, 2, 3]));
    let size_hints = sorted(map.iter().map(|(key, s)| (*key, s.size_hint().0)).collect());
    assert_eq!(size_hints, [("a", 1), ("b", 2), ("c", 3)]);
    let by_reference: Vec<&str> = sorted((&map).into_iter().map(|(key, _)| *key).collect());
    assert_eq!(by_reference, ["a", "b", "c"]);
}

/// Ports tokio-stream's `iter_values_mut` (through `iter_mut`).
#[test]
fn iter_mut_gives_every_unpin_stream_as_mut() {
    let mut map = StreamSet::new();
    map.insert("a", stream::iter(vec![1]));
    map.insert("b", stream::iter(vec![1, 2]));
    map.insert("c", stream::iter(vec![1, 2, 3]));
    let size_hints = sorted(map.iter_mut().map(|(_, s)| s.size_hint().0).collect());
    assert_eq!(size_hints, [1, 2, 3]);
}

/// Ports futures' `iter_mut_cancel`, and the same through `&mut set` and `iter_pin_mut`.
#[test]
fn iter_mut_reaches_every_future_to_cancel_it() {
    let (a_tx, a_rx) = oneshot::channel::<i32>();
    let (b_tx, b_rx) = oneshot::channel::<i32>();
    let (c_tx, c_rx) = oneshot::channel::<i32>();
    let mut set: FutureSet<_, _> = [(0, a_rx), (1, b_rx)].into_iter().collect();
    for (_, rx) in set.iter_mut() {
        rx.close();
    }
    set.insert(2, c_rx);
    for (_, rx) in &mut set {
        rx.close();
    }
    for (_, mut rx) in set.iter_pin_mut() {
        rx.as_mut().get_mut().close(); // `Unpin`: the pin gives `&mut` back
    }
    assert!(a_tx.is_canceled());
    assert!(b_tx.is_canceled());
    assert!(c_tx.is_canceled());
    let mut outputs = block_on_stream(set);
    for _ in 0..3 {
        assert!(matches!(outputs.next(), Some((_, Err(oneshot::Canceled)))));
    }
    assert!(outputs.next().is_none());
}

/// Ports futures' `iter_cancel`: a shared reference reaches each future.
#[test]
fn iter_reaches_every_future_by_shared_reference() {
    struct AtomicCancel<F> {
        future: F,
        cancel: AtomicBool,
    }

    impl<F: Future + Unpin> Future for AtomicCancel<F> {
        type Output = Option<F::Output>;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            if self.cancel.load(Ordering::Relaxed) {
                Poll::Ready(None)
            } else {
                Pin::new(&mut self.future).poll(cx).map(Some)
            }
        }
    }

    let set: FutureSet<_, _> = (0..3)
        .map(|key| {
            let future = AtomicCancel {
                future: pending::<()>(),
                cancel: AtomicBool::new(false),
            };
            (key, future)
        })
        .collect();
    for (_, future) in set.iter() {
        future.cancel.store(true, Ordering::Relaxed);
    }
    let outputs = sorted(block_on_stream(set).collect());
    assert_eq!(outputs, [(0, None), (1, None), (2, None)]);
}

/// Ports futures' `iter_len` and `iter_mut_len` (and the same for `iter_pin_mut` and
/// `into_iter`'s `into_iter_len`): each iterator knows how many are left.
#[test]
fn every_iterator_knows_its_exact_length() {
    let mut set: FutureSet<_, Pending<()>> = (0..3).map(|key| (key, pending())).collect();
    fn check_len<I: ExactSizeIterator>(mut iter: I) {
        for left in (0..=3).rev() {
            assert_eq!(iter.len(), left);
            assert_eq!(iter.next().is_some(), left > 0);
        }
        assert!(iter.next().is_none(), "fused");
    }
    check_len(set.iter());
    check_len(set.iter_mut());
    check_len(set.iter_pin_mut());
    check_len(set.into_iter());
}

/// Children spread over several chunks (the set grew twice) with holes (removed, ended):
/// each iterator yields exactly the keys in the set, each once, with its own child.
#[test]
fn iterators_visit_each_child_once_across_growths_and_holes() {
    let mut set = StreamSet::with_capacity(2);
    for key in 0..12_u32 {
        set.insert(key, stream::iter(vec![key; key as usize % 3]));
    }
    for key in [1, 5, 6] {
        set.remove(&key);
    }
    // The empty streams (keys divisible by 3) end and leave at the first polls.
    let (_, waker) = counting_waker();
    let _ = Pin::new(&mut set).poll_next(&mut Context::from_waker(&waker));
    let keys = sorted(set.keys().copied().collect::<Vec<_>>());
    assert!(set.capacity() >= 16);
    assert_eq!(sorted(set.iter().map(|(&k, _)| k).collect()), keys);
    assert_eq!(sorted(set.iter_pin_mut().map(|(&k, _)| k).collect()), keys);
    // Each child is its key's: its size hint is its length, `key % 3` (less what was taken).
    for (&key, stream) in set.iter() {
        assert!(stream.size_hint().0 <= key as usize % 3);
    }
    let moved_out = sorted(set.into_iter().map(|(k, _)| k).collect());
    assert_eq!(moved_out, keys);
}

// ---------------------------------------------------------------------------------------------
// Owning `into_iter`
// ---------------------------------------------------------------------------------------------

/// Ports futures' `into_iter_cancel`: the futures come out, and go into another set.
#[test]
fn into_iter_moves_every_future_out() {
    let (a_tx, a_rx) = oneshot::channel::<i32>();
    let (b_tx, b_rx) = oneshot::channel::<i32>();
    let set: FutureSet<_, _> = [(0, a_rx), (1, b_rx)].into_iter().collect();
    let set: FutureSet<_, _> = set
        .into_iter()
        .map(|(key, mut rx)| {
            rx.close();
            (key, rx)
        })
        .collect();
    assert!(a_tx.is_canceled());
    assert!(b_tx.is_canceled());
    let outputs: Vec<_> = block_on_stream(set).collect();
    assert_eq!(outputs.len(), 2);
    assert!(outputs.iter().all(|(_, output)| output.is_err()));
}

/// Ports futures' `into_iter_partial`, `into_iter_partial_doesnt_leak` and
/// `into_iter_after_poll_doesnt_leak`: the futures not reached are dropped with the iterator,
/// those taken out live on, each dropped once.
#[test]
fn into_iter_drops_what_it_does_not_reach_and_leaks_nothing() {
    let drops = DropCounter::default();
    let mut set: FutureSet<_, _> = (0..4).map(|key| (key, tracked_pending(&drops))).collect();
    // Polled first, as in `into_iter_after_poll_doesnt_leak`: each future registered its waker.
    let (_, waker) = counting_waker();
    assert!(
        Pin::new(&mut set)
            .poll_next(&mut Context::from_waker(&waker))
            .is_pending()
    );
    let mut into_iter = set.into_iter();
    let first = into_iter.next().unwrap();
    let _ = into_iter.next().unwrap();
    assert_eq!(into_iter.len(), 2);
    assert_eq!(drops.drops(), 1, "the second, taken and not kept");
    drop(into_iter);
    assert_eq!(drops.drops(), 3);
    drop(first);
    assert_eq!(drops.drops(), 4);
}

/// As `remove`: a stream moved out keeps every item it did not hand out.
#[test]
fn into_iter_gives_back_streams_with_their_items_left() {
    let mut set = StreamSet::new();
    set.insert("n", stream::iter(0..5));
    assert_eq!(block_on(set.next()), Some(("n", 0)));
    let (key, rest) = set.into_iter().next().unwrap();
    assert_eq!(
        (key, block_on(rest.collect::<Vec<_>>())),
        ("n", vec![1, 2, 3, 4])
    );
}

// ---------------------------------------------------------------------------------------------
// `clear`
// ---------------------------------------------------------------------------------------------

/// Ports tokio-stream's `clear`.
#[test]
fn clear_after_an_item_empties_the_map() {
    let (_, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut map = StreamSet::new();
    map.insert("a", stream::iter(vec![1]));
    map.insert("b", stream::iter(vec![1, 2]));
    map.insert("c", stream::iter(vec![1, 2, 3]));
    assert!(matches!(
        Pin::new(&mut map).poll_next(&mut cx),
        Poll::Ready(Some(_))
    ));
    map.clear();
    assert_eq!(Pin::new(&mut map).poll_next(&mut cx), Poll::Ready(None));
    assert!(map.is_empty());
}

/// Ports futures' `clear` (we keep no `is_terminated`: a set is never fused).
#[test]
fn clear_then_push_then_clear() {
    let mut tasks = FutureSet::from_iter([(1, ready(1)), (2, ready(2))]);
    assert!(block_on(tasks.next()).is_some());
    assert!(!tasks.is_empty());
    tasks.clear();
    assert!(tasks.is_empty());
    tasks.insert(3, ready(3));
    assert!(!tasks.is_empty());
    tasks.clear();
    assert!(tasks.is_empty());
    assert_eq!(block_on(tasks.next()), None);
    tasks.clear();
    tasks.insert(4, ready(4));
    assert_eq!(block_on(tasks.next()), Some((4, 4)));
}

/// Ports futures' `clear_in_loop` (futures-rs#2529: a clear while the futures' wakers fire
/// from other threads): each round, 24 futures whose channels are completed from a thread, one
/// output, then a clear. No sleeps: the senders race the clear as they come.
#[test]
fn clear_in_a_loop_while_wakers_fire_from_other_threads() {
    block_on(async {
        let mut futures = FutureSet::new();
        for round in 0..iterations(100, 10) {
            for n in 0..24 {
                let (tx, rx) = oneshot::channel::<()>();
                std::thread::spawn(move || {
                    let _ = tx.send(());
                });
                futures.insert_pinned((round, n), async move { rx.await.unwrap() });
            }
            assert!(futures.next().await.is_some());
            futures.clear();
            assert!(futures.is_empty());
        }
    });
}

/// Slots taken back on a clear are reused: no growth, and a child removed while queued (woken,
/// not polled yet) is never polled; the new child in its slot is polled once per item.
#[test]
fn clear_keeps_the_capacity_and_reuses_queued_slots() {
    let polls = Rc::new(Cell::new(0));
    let counted = |items: Vec<u32>| {
        let polls = polls.clone();
        stream::iter(items).inspect(move |_| polls.set(polls.get() + 1))
    };
    let mut set = StreamSet::with_capacity(4);
    for key in 0..4 {
        set.insert(key, counted(vec![key]));
    }
    set.clear(); // every slot still in the ready queue
    assert_eq!(polls.get(), 0);
    assert_eq!(set.capacity(), 4);
    for key in 10..14 {
        set.insert(key, counted(vec![key, key]));
    }
    assert_eq!(set.capacity(), 4);
    let items = sorted(block_on((&mut set).collect::<Vec<_>>()));
    assert_eq!(items.len(), 8);
    assert_eq!(polls.get(), 8);
}

/// Ports futures' `panic_on_drop_fut` (a future whose drop panics), and goes further: with two
/// such among others, `clear` drops every child, panics once with the first payload, and leaves
/// an empty set that takes inserts and polls.
#[test]
fn clear_drops_every_child_even_when_drops_panic() {
    let drops = DropCounter::default();
    let mut set = StreamSet::new();
    for key in 0..6 {
        let child = Grenade {
            panics: key % 3 == 1,
            _token: drops.token(),
        };
        set.insert(key, child);
    }
    let panic = catch_unwind(AssertUnwindSafe(|| set.clear())).unwrap_err();
    assert_eq!(panic_message(&*panic), "grenade");
    assert_eq!(drops.drops(), 6, "each child dropped once");
    assert!(set.is_empty());
    assert_eq!(set.keys().len(), 0);
    assert_eq!(set.iter().len(), 0);
    set.insert(
        9,
        Grenade {
            panics: false,
            _token: drops.token(),
        },
    );
    let (_, waker) = counting_waker();
    assert!(
        Pin::new(&mut set)
            .poll_next(&mut Context::from_waker(&waker))
            .is_pending()
    );
    assert_eq!(set.keys().copied().collect::<Vec<_>>(), [9]);
}

/// The set's task waits (its last poll was `Pending`): a `clear`, or a `retain` that empties the
/// set, wakes it, and it then sees `Ready(None)`, as after removing the last child.
#[test]
fn clear_and_an_emptying_retain_wake_the_waiting_task() {
    let (wakes, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set: StreamSet<_, _> = (0..3).map(|key| (key, stream::pending::<()>())).collect();
    assert!(Pin::new(&mut set).poll_next(&mut cx).is_pending());
    let before = wakes.wakes();
    set.clear();
    assert_eq!(wakes.wakes(), before + 1);
    assert_eq!(Pin::new(&mut set).poll_next(&mut cx), Poll::Ready(None));

    set.extend((0..3).map(|key| (key, stream::pending())));
    assert!(Pin::new(&mut set).poll_next(&mut cx).is_pending());
    let before = wakes.wakes();
    set.retain(|&key, _| key == 1);
    assert_eq!(wakes.wakes(), before, "not empty: nothing to tell");
    set.retain(|_, _| false);
    assert_eq!(wakes.wakes(), before + 1);
    assert_eq!(Pin::new(&mut set).poll_next(&mut cx), Poll::Ready(None));
}

// ---------------------------------------------------------------------------------------------
// `retain`
// ---------------------------------------------------------------------------------------------

#[test]
fn retain_keeps_what_the_predicate_keeps_and_drops_the_rest_once() {
    let drops = DropCounter::default();
    let mut set = FutureSet::new();
    for key in 0..10 {
        set.insert(key, tracked_pending(&drops));
    }
    let mut seen = Vec::new();
    set.retain(|&key, _| {
        seen.push(key);
        key % 3 == 0
    });
    assert_eq!(sorted(seen), (0..10).collect::<Vec<_>>(), "each seen once");
    assert_eq!(drops.drops(), 6);
    assert_eq!(sorted(set.keys().copied().collect()), [0, 3, 6, 9]);
    set.retain(|_, _| true);
    assert_eq!(drops.drops(), 6);
    drop(set);
    assert_eq!(drops.drops(), 10);
}

/// `retain` over `!Unpin` children, which it gives pinned: it may poll them to choose.
#[test]
fn retain_gives_pinned_children_and_may_poll_them() {
    let mut set = StreamSet::new();
    for key in 1..=4 {
        set.insert_pinned(key, countdown(key));
    }
    let (_, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    // Keeps the streams whose first item is even, having taken it.
    set.retain(|_, stream| matches!(stream.poll_next(&mut cx), Poll::Ready(Some(n)) if n % 2 == 0));
    let items = sorted(block_on((&mut set).collect::<Vec<_>>()));
    assert_eq!(items, [(2, 1), (4, 1), (4, 2), (4, 3)]);
}

/// A child removed by `retain` while queued (woken, not polled yet) is never polled, and its
/// slot is reused without growth; the new child there is polled once per item.
#[test]
fn retain_of_queued_children_reuses_their_slots() {
    let polls = Rc::new(Cell::new(0));
    let counted = |items: Vec<u32>| {
        let polls = polls.clone();
        stream::iter(items).inspect(move |_| polls.set(polls.get() + 1))
    };
    let mut set = StreamSet::with_capacity(2);
    set.insert(1, counted(vec![1, 2, 3]));
    set.insert(2, counted(vec![4]));
    set.retain(|&key, _| key == 2);
    set.insert(3, counted(vec![5]));
    assert_eq!(set.capacity(), 2);
    let items = sorted(block_on((&mut set).collect::<Vec<_>>()));
    assert_eq!(items, [(2, 4), (3, 5)]);
    assert_eq!(polls.get(), 2);
}

/// A drop that panics does not stop `retain`: every rejected child is dropped, once; the panic
/// goes on after, with its payload; the set holds the kept ones and goes on.
#[test]
fn retain_goes_on_after_a_panicking_drop() {
    let drops = DropCounter::default();
    let mut set = StreamSet::new();
    for key in 0..8 {
        set.insert(
            key,
            Grenade {
                panics: key == 1 || key == 4,
                _token: drops.token(),
            },
        );
    }
    let panic = catch_unwind(AssertUnwindSafe(|| set.retain(|&key, _| key >= 6))).unwrap_err();
    assert_eq!(panic_message(&*panic), "grenade");
    assert_eq!(drops.drops(), 6);
    assert_eq!(sorted(set.keys().copied().collect()), [6, 7]);
    assert_eq!(set.len(), 2);
    set.insert(
        10,
        Grenade {
            panics: false,
            _token: drops.token(),
        },
    );
    let (_, waker) = counting_waker();
    assert!(
        Pin::new(&mut set)
            .poll_next(&mut Context::from_waker(&waker))
            .is_pending()
    );
    drop(set);
    assert_eq!(drops.drops(), 9);
}

/// A predicate that panics leaves the rejections it made done, and the rest in the set (as
/// `HashMap::retain`); its panic goes on.
#[test]
fn retain_stops_where_the_predicate_panics() {
    let drops = DropCounter::default();
    let mut set: FutureSet<u32, _> = FutureSet::new();
    for key in 0..6 {
        set.insert(key, tracked_pending(&drops));
    }
    let mut calls = 0;
    let panic = catch_unwind(AssertUnwindSafe(|| {
        set.retain(|_, _| {
            calls += 1;
            assert!(calls < 4, "predicate");
            false
        })
    }))
    .unwrap_err();
    assert_eq!(panic_message(&*panic), "predicate");
    assert_eq!(drops.drops(), 3, "the three rejected before the panic");
    assert_eq!(set.len(), 3);
    set.retain(|_, _| false);
    assert!(set.is_empty());
    assert_eq!(drops.drops(), 6);
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

#[test]
fn the_iterators_are_send_sync_and_debug_as_the_set_is() {
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    let mut set: FutureSet<u8, Ready<u8>> = FutureSet::from_iter([(1, ready(1))]);
    assert_send_sync(&set.iter());
    assert_send_sync(&set.iter_mut());
    assert_send_sync(&set.iter_pin_mut());
    assert_eq!(format!("{:?}", set.iter()), "SetIter { left: 1, .. }");
    let into_iter = set.into_iter();
    assert_send_sync(&into_iter);
    assert_eq!(format!("{into_iter:?}"), "SetIntoIter { left: 1, .. }");
}

/// Holds a borrow of its own state across each `yield_!` (a `!Unpin`, self-borrowing stream).
#[async_gen]
async fn self_borrowing(mut items: Vec<u32>) -> u32 {
    for item in &mut items {
        *item += 100;
        yield_!(*item);
    }
}

/// `iter_pin_mut` and `retain` reach `!Unpin` children that borrow themselves where they are
/// pinned: polled there, and by the set before and after, they hand out every item once (Miri
/// runs this one for the `unsafe` behind `iter_pin_mut`).
#[test]
fn iter_pin_mut_polls_self_borrowing_children_in_place() {
    let (_, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set = StreamSet::new();
    for key in 0..3 {
        set.insert_pinned(
            key,
            self_borrowing(vec![key * 10, key * 10 + 1, key * 10 + 2]),
        );
    }
    let mut items = Vec::new();
    // Each suspended inside its loop, holding its borrow.
    while items.len() < 3 {
        if let Poll::Ready(Some(item)) = Pin::new(&mut set).poll_next(&mut cx) {
            items.push(item);
        }
    }
    for (&key, stream) in set.iter_pin_mut() {
        if let Poll::Ready(Some(item)) = stream.poll_next(&mut cx) {
            items.push((key, item));
        }
    }
    set.retain(|&key, stream| {
        if let Poll::Ready(Some(item)) = stream.poll_next(&mut cx) {
            items.push((key, item));
        }
        true
    });
    items.extend(block_on((&mut set).collect::<Vec<_>>()));
    let expected: Vec<(u32, u32)> = (0..3)
        .flat_map(|key| (0..3).map(move |i| (key, 100 + key * 10 + i)))
        .collect();
    assert_eq!(sorted(items), expected);
}
