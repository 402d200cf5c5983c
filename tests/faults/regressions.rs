//! Issue 27's findings, one test each (1-7), written as the issue found them: each failed on
//! 3cad17f. (8 is `core/src/yielder.rs`'s unit test `ids_run_out`; 9 is
//! `tests/it/soundness.rs`'s
//! `a_yield_wrapped_in_an_async_block_by_a_user_macro_reaches_its_own_stream`.)

use std::future::{Future, pending, ready};
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use asyncgen::{FutureSet, StreamSet, as_completed, gather, merge, try_gather};
use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt};
use support::{
    DropCounter, DropToken, drain_catching_panics, live_allocations_on_this_thread, poll_once,
};

use crate::plan::{Injected, inject, message};

/// A value whose drop panics (with the harness's quiet payload).
struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        inject();
    }
}

/// `F`, holding a value whose drop panics: it panics when it is dropped, after it completed.
struct PanicsWhenDropped<F>(F, #[allow(dead_code)] PanicsOnDrop);

impl<F: Future + Unpin> Future for PanicsWhenDropped<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

/// The user code's panics print nothing (printing allocates, which one test counts).
fn quiet() {
    crate::plan::quiet_injected_panics();
}

/// Polls `future` once, catching a panic: `Err(None)` for the user code's, `Err(Some(..))`
/// with the message of one of the helper's own.
fn poll_catching<F: Future + Unpin>(future: &mut F) -> Result<Poll<F::Output>, Option<String>> {
    catch_unwind(AssertUnwindSafe(|| {
        Pin::new(&mut *future).poll(&mut Context::from_waker(Waker::noop()))
    }))
    .map_err(|payload| {
        (!payload.is::<Injected>()).then(|| message(&*payload).unwrap_or("?").to_string())
    })
}

/// A future that panics at its first poll.
async fn panics_when_polled() -> u8 {
    inject()
}

/// Finding 1: `gather!` polled again after a child's poll panicked: it ran the others, and then has
/// no output for the one that panicked. It panics saying so, as `gather(vec)` does, instead of
/// returning `Pending` for ever with nothing to wake it.
#[test]
fn gather_macro_polled_on_after_a_child_panicked_says_an_output_is_missing() {
    quiet();
    let mut both = asyncgen::gather!(panics_when_polled(), ready(2_u8), ready(3_u8));
    let mut both = Pin::new(&mut both);
    assert_eq!(poll_catching(&mut both).unwrap_err(), None);
    let again = poll_catching(&mut both).expect_err("polled on, it panics again");
    assert!(again.unwrap().contains("an output is missing"));
}

/// Finding 1, `try_gather!`: the same.
#[test]
fn try_gather_macro_polled_on_after_a_child_panicked_says_an_output_is_missing() {
    quiet();
    let failing = async { Ok::<u8, ()>(panics_when_polled().await) };
    let mut both = asyncgen::try_gather!(failing, ready(Ok::<u8, ()>(2)));
    let mut both = Pin::new(&mut both);
    assert_eq!(poll_catching(&mut both).unwrap_err(), None);
    let again = poll_catching(&mut both).expect_err("polled on, it panics again");
    assert!(again.unwrap().contains("an output is missing"));
}

/// A stream of `items` that holds a [`PanicsOnDrop`]: its drop panics when it ends (and is
/// dropped by the merge).
fn ends_and_panics(items: Vec<u32>) -> BoxStream<'static, u32> {
    let guard = PanicsOnDrop;
    stream::iter(items)
        .chain(stream::poll_fn(move |_| {
            let _ = &guard;
            Poll::Ready(None)
        }))
        .boxed()
}

/// Finding 2: A source whose drop panics as it ends: the merge goes on with the others and ends,
/// with 2 sources (polled in turn) and with 4 (the ready queue), as `select_all` does.
#[test]
fn merge_goes_on_after_a_source_panics_as_it_is_dropped() {
    quiet();
    for sources in [2, 4] {
        let mut streams = vec![ends_and_panics(vec![1])];
        streams.extend((1..sources).map(|n| stream::iter(vec![n * 10, n * 10 + 1]).boxed()));
        let mut merged = merge(streams);
        let mut panics = 0;
        let mut items = drain_catching_panics(&mut merged, |_, _| panics += 1);
        items.sort_unstable();
        let mut expected: Vec<u32> = (1..sources).flat_map(|n| [n * 10, n * 10 + 1]).collect();
        expected.insert(0, 1);
        assert_eq!((items, panics), (expected, 1), "{sources} sources");
    }
}

/// Finding 2, `as_completed`: a future whose drop panics when it completes.
#[test]
fn as_completed_goes_on_after_a_future_panics_as_it_is_dropped() {
    quiet();
    let mut done = as_completed([
        Box::pin(PanicsWhenDropped(ready(0_u32), PanicsOnDrop))
            as Pin<Box<dyn Future<Output = u32>>>,
        Box::pin(ready(1)),
        Box::pin(ready(2)),
    ]);
    let mut panics = 0;
    let mut outputs = drain_catching_panics(&mut done, |_, _| panics += 1);
    outputs.sort_unstable();
    // The one whose drop panicked lost its output with the panic.
    assert_eq!((outputs, panics), (vec![(1, 1), (2, 2)], 1));
}

/// Finding 2, `FutureSet`: a future whose drop panics when it completes leaves the set as any
/// other; a future inserted after a `remove` is polled (the slot is not poisoned).
#[test]
fn future_set_goes_on_after_a_future_panics_as_it_is_dropped() {
    quiet();
    let mut set: FutureSet<u32, Pin<Box<dyn Future<Output = u32> + Send>>> = FutureSet::new();
    set.insert(1, Box::pin(async { 1 }));
    set.insert(2, Box::pin(PanicsWhenDropped(ready(2), PanicsOnDrop)));
    let mut panics = 0;
    let outputs = drain_catching_panics(&mut set, |_, _| panics += 1);
    assert_eq!((outputs, panics, set.len()), (vec![(1, 1)], 1, 0));
    // Inserted after a removal, a future is polled and completes.
    set.insert(3, Box::pin(pending()));
    assert!(set.remove(&3).is_some());
    set.insert(4, Box::pin(async { 4 }));
    assert_eq!(poll_once(Pin::new(&mut set)), Poll::Ready(Some((4, 4))));
    assert_eq!(set.len(), 0);
}

/// Finding 2, `FutureSet`: replacing a key whose old future panics as it is dropped. The new future
/// takes its place all the same (an assignment does), and runs.
#[test]
fn future_set_replacing_a_future_whose_drop_panics_keeps_the_new_one() {
    quiet();
    let mut set: FutureSet<&str, Pin<Box<dyn Future<Output = u32> + Send>>> = FutureSet::new();
    set.insert_pinned("job", Box::pin(PanicsWhenDropped(pending(), PanicsOnDrop)));
    let replaced = catch_unwind(AssertUnwindSafe(|| {
        set.insert_pinned("job", Box::pin(async { 7 }));
    }));
    assert!(replaced.is_err(), "the old future's drop panicked");
    assert_eq!(set.len(), 1);
    assert_eq!(poll_once(Pin::new(&mut set)), Poll::Ready(Some(("job", 7))));
    assert_eq!(set.len(), 0);
}

/// Finding 3: `try_gather` cancelling the others after an `Err`, where an output already in panics
/// as it is dropped: polled on, it resolves to the `Err`, not to `Ok(vec![])` (every future
/// succeeded, with no outputs).
#[test]
fn try_gather_keeps_its_error_when_an_output_panics_as_it_is_dropped() {
    quiet();
    let done = async { Ok::<PanicsOnDrop, &str>(PanicsOnDrop) };
    let fails = async {
        support::pending_times(1).await;
        Err("the error")
    };
    let mut all = try_gather(vec![
        Box::pin(done) as Pin<Box<dyn Future<Output = Result<PanicsOnDrop, &str>>>>,
        Box::pin(fails),
    ]);
    let mut result = None;
    for _ in 0..4 {
        match poll_catching(&mut all) {
            Ok(Poll::Ready(output)) => {
                result = Some(output.map(|outputs| outputs.len()));
                break;
            }
            Ok(Poll::Pending) => {}
            Err(own) => assert_eq!(own, None, "only the output's drop panics"),
        }
    }
    assert_eq!(result, Some(Err("the error")));
}

/// A key whose `Clone` panics once (the first time), and counts clones.
#[derive(Debug)]
struct FlakyKey {
    n: u32,
    clones: Arc<AtomicUsize>,
}

impl Clone for FlakyKey {
    fn clone(&self) -> Self {
        if self.clones.fetch_add(1, Ordering::SeqCst) == 0 {
            inject();
        }
        FlakyKey {
            n: self.n,
            clones: self.clones.clone(),
        }
    }
}

impl PartialEq for FlakyKey {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n
    }
}

impl Eq for FlakyKey {}

impl Hash for FlakyKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.n.hash(state);
    }
}

/// Finding 4: A `StreamSet` key whose `Clone` panics once: the item it was cloned for is lost with
/// the panic, and the stream goes on and ends.
#[test]
fn stream_set_goes_on_after_a_key_clone_panics() {
    quiet();
    let clones = Arc::new(AtomicUsize::new(0));
    let mut set = StreamSet::new();
    set.insert(
        FlakyKey {
            n: 1,
            clones: clones.clone(),
        },
        stream::iter([10, 11, 12]),
    );
    let mut panics = 0;
    let items: Vec<u32> = drain_catching_panics(&mut set, |_, _| panics += 1)
        .into_iter()
        .map(|(_, item)| item)
        .collect();
    assert_eq!((items, panics, set.len()), (vec![11, 12], 1, 0));
}

/// The parent's waker: panics when woken.
struct PanickingParent;

impl Wake for PanickingParent {
    fn wake(self: Arc<Self>) {
        inject();
    }
}

/// Finding 5: A parent waker that panics inside a child waker's `wake()` (by value): the child's
/// waker gives its count back all the same, so the waker table is freed with the merge.
#[test]
fn a_child_waker_whose_parent_panics_when_woken_frees_its_table() {
    quiet();
    let before = live_allocations_on_this_thread();
    {
        let parked: Arc<std::sync::Mutex<Option<Waker>>> = Arc::default();
        let children: Vec<_> = (0..4)
            .map(|_| {
                let parked = parked.clone();
                let mut woken = false;
                stream::poll_fn(move |cx| {
                    if woken {
                        return Poll::Ready(None);
                    }
                    woken = true;
                    *parked.lock().unwrap() = Some(cx.waker().clone());
                    Poll::<Option<u8>>::Pending
                })
            })
            .collect();
        let mut merged = merge(children); // 4 sources: a waker each, from one table
        let parent = Waker::from(Arc::new(PanickingParent));
        let polled = Pin::new(&mut merged).poll_next(&mut Context::from_waker(&parent));
        assert_eq!(polled, Poll::Pending);
        let child_waker = parked.lock().unwrap().take().unwrap();
        let woke = catch_unwind(AssertUnwindSafe(move || child_waker.wake()));
        assert!(woke.is_err(), "the parent's waker panicked");
        drop(merged);
        drop(parent);
    }
    assert_eq!(
        live_allocations_on_this_thread(),
        before,
        "allocations leaked"
    );
}

/// Finding 6: A gather dropped with outputs in, one of whose drops panics: the outputs after it are
/// dropped all the same (as a `Vec` drops its elements after one that panics).
#[test]
fn a_gather_dropped_with_outputs_drops_each_even_after_one_panics() {
    quiet();
    let drops = DropCounter::default();
    enum Output {
        Counted(#[allow(dead_code)] DropToken),
        Panics(#[allow(dead_code)] PanicsOnDrop),
    }
    let outputs = vec![
        Box::pin(ready(Output::Counted(drops.token()))) as Pin<Box<dyn Future<Output = Output>>>,
        Box::pin(ready(Output::Panics(PanicsOnDrop))),
        Box::pin(ready(Output::Counted(drops.token()))),
        Box::pin(ready(Output::Counted(drops.token()))),
        Box::pin(pending()), // keeps the gather from resolving
    ];
    let mut all = gather(outputs);
    assert!(matches!(poll_catching(&mut all), Ok(Poll::Pending)));
    let dropped = catch_unwind(AssertUnwindSafe(move || drop(all)));
    assert!(dropped.is_err(), "an output's drop panicked");
    assert_eq!(drops.drops(), 3, "every other output was dropped");
}

/// Finding 7: `with_capacity` above the largest power of two panics at once with "capacity
/// overflow", as `Vec` and `HashMap` do, instead of wrapping to no room.
#[test]
fn set_capacity_overflow_panics_at_once() {
    quiet();
    for capacity in [usize::MAX / 2 + 2, usize::MAX] {
        let made =
            catch_unwind(|| FutureSet::<u8, std::future::Ready<()>>::with_capacity(capacity));
        let message = made
            .err()
            .map(|payload| message(&*payload).unwrap_or_default().to_string());
        assert_eq!(message.as_deref(), Some("capacity overflow"), "{capacity}");
        let made = catch_unwind(|| StreamSet::<u8, stream::Empty<()>>::with_capacity(capacity));
        assert!(made.is_err(), "{capacity}");
    }
}
