//! The cost of a wake-up in `merge` and `gather`, measured: with 10 000 children, waking one
//! child and polling the parent polls at most 2 children, allocates nothing and wakes the
//! parent at most once.
//!
//! Allocations are counted per thread by the counting global allocator this binary installs
//! (`main.rs`), so the other tests running in parallel do not disturb the count. Everything
//! the harness needs is allocated before the measured region;
//! the parent's waker is Arc-based (`std::task::Wake`), so cloning it allocates nothing.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use asyncgen::{FutureSet, StreamSet, gather, merge};
use fastrand::Rng;
use futures::stream::Stream;
use support::{WakeCounter, allocations_on_this_thread};

/// The probe's own check: an allocation on this thread is counted.
fn assert_counting_works() {
    let before = allocations_on_this_thread();
    let boxed = std::hint::black_box(Box::new(1u64));
    assert_eq!(
        allocations_on_this_thread() - before,
        1,
        "the counting allocator counts"
    );
    drop(boxed);
}

const N: usize = 10_000;

/// What the children share with the test: per child, the items released to it and its parked
/// waker; and the total number of child polls.
struct Probe {
    released: Vec<AtomicUsize>,
    wakers: Vec<Mutex<Option<Waker>>>,
    polls: AtomicUsize,
}

impl Probe {
    fn new(children: usize) -> Arc<Self> {
        Arc::new(Probe {
            released: (0..children).map(|_| AtomicUsize::new(0)).collect(),
            wakers: (0..children).map(|_| Mutex::new(None)).collect(),
            polls: AtomicUsize::new(0),
        })
    }

    /// Child `index`'s poll: takes a released item, or parks the waker (cloned, which for the
    /// parent's per-child wakers allocates nothing) and is `Pending`.
    fn poll_child(&self, index: usize, cx: &mut Context<'_>) -> Poll<usize> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        if self.released[index].load(Ordering::SeqCst) > 0 {
            self.released[index].fetch_sub(1, Ordering::SeqCst);
            return Poll::Ready(index);
        }
        let mut parked = self.wakers[index].lock().unwrap();
        match &*parked {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => *parked = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Releases an item to child `index` and wakes it, if it is parked.
    fn release(&self, index: usize) {
        self.released[index].fetch_add(1, Ordering::SeqCst);
        let waker = self.wakers[index].lock().unwrap().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn all_parked(&self) -> bool {
        self.wakers.iter().all(|w| w.lock().unwrap().is_some())
    }

    fn polls(&self) -> usize {
        self.polls.load(Ordering::SeqCst)
    }
}

/// A stream that yields its index once per release, and never ends.
struct ChildStream {
    index: usize,
    probe: Arc<Probe>,
}

impl Stream for ChildStream {
    type Item = usize;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<usize>> {
        self.probe.poll_child(self.index, cx).map(Some)
    }
}

/// A future that completes with its index once released.
struct ChildFuture {
    index: usize,
    probe: Arc<Probe>,
}

impl Future for ChildFuture {
    type Output = usize;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        self.probe.poll_child(self.index, cx)
    }
}

/// Polls `poll` until it is `Pending` without having woken the parent: every child has been
/// polled and none is queued.
fn warm_up<T: std::fmt::Debug>(counter: &WakeCounter, mut poll: impl FnMut() -> Poll<T>) -> usize {
    let mut polls = 0;
    loop {
        let before = counter.wakes();
        let result = poll();
        polls += 1;
        assert!(result.is_pending(), "warm-up: {result:?}");
        if counter.wakes() == before {
            return polls;
        }
        assert!(polls <= N, "warm-up does not settle");
    }
}

/// Per-round maxima.
#[derive(Debug, Default)]
struct Maxima {
    child_polls: usize,
    allocations: usize,
    parent_wakes: usize,
}

/// Merge of `N` children: per round, one random child is released and woken and the merge
/// polled once. Each round: the released child's item, at most 2 child polls (the child that
/// yielded last round, re-queued behind nothing and now `Pending`, then the woken one), no
/// allocation, at most 1 wake of the parent.
#[test]
fn merge_probe_one_wake_polls_at_most_two_children_allocates_nothing_wakes_once() {
    const ROUNDS: usize = 1_000;
    assert_counting_works();
    let probe = Probe::new(N);
    let mut merged = merge((0..N).map(|index| ChildStream {
        index,
        probe: probe.clone(),
    }));
    let counter = Arc::new(WakeCounter::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);

    let warm_up_polls = warm_up(&counter, || Pin::new(&mut merged).poll_next(&mut cx));
    assert!(probe.all_parked(), "every child registered its waker");
    assert_eq!(probe.polls(), N, "each child polled once during warm-up");
    assert!(warm_up_polls >= N / 32);

    let mut rng = Rng::with_seed(7);
    let picks: Vec<usize> = (0..ROUNDS).map(|_| rng.usize(..N)).collect();
    let mut results = Vec::with_capacity(ROUNDS);
    let mut maxima = Maxima::default();
    for &index in &picks {
        let (allocations_before, polls_before, wakes_before) =
            (allocations_on_this_thread(), probe.polls(), counter.wakes());
        probe.release(index);
        let item = Pin::new(&mut merged).poll_next(&mut cx);
        let allocated = allocations_on_this_thread() - allocations_before;
        let child_polls = probe.polls() - polls_before;
        let parent_wakes = counter.wakes() - wakes_before;
        results.push((index, item, child_polls, allocated, parent_wakes));
        maxima.child_polls = maxima.child_polls.max(child_polls);
        maxima.allocations = maxima.allocations.max(allocated);
        maxima.parent_wakes = maxima.parent_wakes.max(parent_wakes);
    }
    println!("merge probe, N = {N}, {ROUNDS} rounds, per-round maxima: {maxima:?}");
    for (round, &(index, item, child_polls, allocated, parent_wakes)) in results.iter().enumerate()
    {
        assert_eq!(item, Poll::Ready(Some(index)), "round {round}");
        assert!(child_polls <= 2, "round {round}: {child_polls} child polls");
        assert_eq!(allocated, 0, "round {round}: allocations");
        assert!(
            parent_wakes <= 1,
            "round {round}: {parent_wakes} parent wakes"
        );
    }
    // Nothing left queued: the next poll polls at most the last child and is `Pending`.
    let polls_before = probe.polls();
    assert_eq!(Pin::new(&mut merged).poll_next(&mut cx), Poll::Pending);
    assert!(probe.polls() - polls_before <= 1);
}

/// Gather of `N` futures, released and woken one at a time in reverse order, the gather polled
/// once after each: every future is polled exactly twice (once at the start, once when woken),
/// so at most `2N` polls in all; no allocation in a round but the last (which builds the
/// output); at most 1 wake of the parent per round; the outputs in input order.
#[test]
fn gather_probe_reverse_wakes_poll_each_future_at_most_twice() {
    assert_counting_works();
    let probe = Probe::new(N);
    let mut gathered = gather((0..N).map(|index| ChildFuture {
        index,
        probe: probe.clone(),
    }));
    let counter = Arc::new(WakeCounter::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);

    warm_up(&counter, || {
        Pin::new(&mut gathered).poll(&mut cx).map(|v| v.len())
    });
    assert!(probe.all_parked(), "every future registered its waker");
    assert_eq!(probe.polls(), N);

    let mut maxima = Maxima::default();
    let mut output = None;
    for index in (0..N).rev() {
        let (allocations_before, polls_before, wakes_before) =
            (allocations_on_this_thread(), probe.polls(), counter.wakes());
        probe.release(index);
        let result = Pin::new(&mut gathered).poll(&mut cx);
        let allocated = allocations_on_this_thread() - allocations_before;
        let child_polls = probe.polls() - polls_before;
        let parent_wakes = counter.wakes() - wakes_before;
        maxima.child_polls = maxima.child_polls.max(child_polls);
        maxima.parent_wakes = maxima.parent_wakes.max(parent_wakes);
        assert!(child_polls <= 2, "future {index}: {child_polls} polls");
        assert!(
            parent_wakes <= 1,
            "future {index}: {parent_wakes} parent wakes"
        );
        match result {
            Poll::Pending => {
                assert_ne!(index, 0, "the last one completes the gather");
                maxima.allocations = maxima.allocations.max(allocated);
                assert_eq!(allocated, 0, "future {index}: allocations");
            }
            Poll::Ready(values) => {
                assert_eq!(index, 0, "completed before the last future");
                output = Some(values);
            }
        }
    }
    println!(
        "gather probe, N = {N}, per-round maxima (allocations: all rounds but the last): {maxima:?}, total child polls {}",
        probe.polls()
    );
    assert!(probe.polls() <= 2 * N, "{} polls", probe.polls());
    assert_eq!(output, Some((0..N).collect::<Vec<_>>()));
}

/// `StreamSet` of `N` streams (inserted into a new set, so it grew to them): as the merge
/// probe, one random stream released and woken per round, the set polled once. Each round: the
/// released stream's item under its key, at most 2 child polls, no allocation, at most 1 wake
/// of the parent.
#[test]
fn stream_set_probe_one_wake_polls_at_most_two_children_allocates_nothing_wakes_once() {
    const ROUNDS: usize = 1_000;
    assert_counting_works();
    let probe = Probe::new(N);
    let mut set = StreamSet::new();
    for index in 0..N {
        set.insert_pinned(
            index as u64,
            ChildStream {
                index,
                probe: probe.clone(),
            },
        );
    }
    let counter = Arc::new(WakeCounter::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    warm_up(&counter, || Pin::new(&mut set).poll_next(&mut cx));
    assert!(probe.all_parked(), "every child registered its waker");
    assert_eq!(probe.polls(), N, "each child polled once during warm-up");

    let mut rng = Rng::with_seed(11);
    let mut maxima = Maxima::default();
    for round in 0..ROUNDS {
        let index = rng.usize(..N);
        let (allocations_before, polls_before, wakes_before) =
            (allocations_on_this_thread(), probe.polls(), counter.wakes());
        probe.release(index);
        let item = Pin::new(&mut set).poll_next(&mut cx);
        let allocated = allocations_on_this_thread() - allocations_before;
        let child_polls = probe.polls() - polls_before;
        let parent_wakes = counter.wakes() - wakes_before;
        maxima.child_polls = maxima.child_polls.max(child_polls);
        maxima.allocations = maxima.allocations.max(allocated);
        maxima.parent_wakes = maxima.parent_wakes.max(parent_wakes);
        assert_eq!(
            item,
            Poll::Ready(Some((index as u64, index))),
            "round {round}"
        );
        assert!(child_polls <= 2, "round {round}: {child_polls} child polls");
        assert_eq!(allocated, 0, "round {round}: allocations");
        assert!(
            parent_wakes <= 1,
            "round {round}: {parent_wakes} parent wakes"
        );
    }
    println!("stream set probe, N = {N}, {ROUNDS} rounds, per-round maxima: {maxima:?}");
}

/// `FutureSet` of `N` futures, with churn: per round one random future is released and woken,
/// the set polled once (its output comes out and the future leaves the set), and a new future
/// is inserted under the same key. Each round, insert included: at most 2 child polls (the
/// future inserted last round, polled for the first time, and the woken one), no allocation,
/// at most 1 wake of the parent.
#[test]
fn future_set_probe_churn_polls_at_most_two_children_allocates_nothing_wakes_once() {
    const ROUNDS: usize = 1_000;
    assert_counting_works();
    let probe = Probe::new(N);
    let mut set = FutureSet::with_capacity(N);
    for index in 0..N {
        set.insert_pinned(
            index,
            ChildFuture {
                index,
                probe: probe.clone(),
            },
        );
    }
    let counter = Arc::new(WakeCounter::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    warm_up(&counter, || Pin::new(&mut set).poll_next(&mut cx));
    assert_eq!(probe.polls(), N);

    let mut rng = Rng::with_seed(12);
    let mut maxima = Maxima::default();
    for round in 0..ROUNDS {
        let index = rng.usize(..N);
        let (allocations_before, polls_before, wakes_before) =
            (allocations_on_this_thread(), probe.polls(), counter.wakes());
        probe.release(index);
        let output = Pin::new(&mut set).poll_next(&mut cx);
        let replaced = set.insert_pinned(
            index,
            ChildFuture {
                index,
                probe: probe.clone(),
            },
        );
        let allocated = allocations_on_this_thread() - allocations_before;
        let child_polls = probe.polls() - polls_before;
        let parent_wakes = counter.wakes() - wakes_before;
        maxima.child_polls = maxima.child_polls.max(child_polls);
        maxima.allocations = maxima.allocations.max(allocated);
        maxima.parent_wakes = maxima.parent_wakes.max(parent_wakes);
        assert_eq!(output, Poll::Ready(Some((index, index))), "round {round}");
        assert!(!replaced, "round {round}: the output took the future out");
        assert!(child_polls <= 2, "round {round}: {child_polls} child polls");
        assert_eq!(allocated, 0, "round {round}: allocations");
        assert!(
            parent_wakes <= 1,
            "round {round}: {parent_wakes} parent wakes"
        );
    }
    assert_eq!(set.len(), N);
    println!("future set churn probe, N = {N}, {ROUNDS} rounds, per-round maxima: {maxima:?}");
}

thread_local! {
    static HASHES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A key that counts how often it is hashed (on this thread).
#[derive(Clone, PartialEq, Eq)]
struct CountedKey(u64);

impl std::hash::Hash for CountedKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        HASHES.with(|hashes| hashes.set(hashes.get() + 1));
        self.0.hash(state);
    }
}

/// Inserting `N` keys into a new set and removing them all is O(N): at most 4 hashes per key
/// (with the map's rehashing as it grows), O(log N) allocations (each doubling), and none to
/// remove.
#[test]
fn inserting_and_removing_n_keys_is_linear() {
    assert_counting_works();
    let hashes = || HASHES.with(std::cell::Cell::get);
    let mut set = StreamSet::new();
    let (allocations_before, hashes_before) = (allocations_on_this_thread(), hashes());
    for key in 0..N as u64 {
        set.insert(CountedKey(key), futures::stream::pending::<()>());
    }
    let (insert_allocations, insert_hashes) = (
        allocations_on_this_thread() - allocations_before,
        hashes() - hashes_before,
    );
    let (allocations_before, hashes_before) = (allocations_on_this_thread(), hashes());
    for key in (0..N as u64).rev() {
        assert!(set.remove(&CountedKey(key)).is_some());
    }
    let (remove_allocations, remove_hashes) = (
        allocations_on_this_thread() - allocations_before,
        hashes() - hashes_before,
    );
    println!(
        "N = {N}: insert {insert_hashes} hashes, {insert_allocations} allocations; remove \
         {remove_hashes} hashes, {remove_allocations} allocations"
    );
    let doublings = N.next_power_of_two().trailing_zeros() as usize;
    assert!(insert_hashes <= 4 * N, "{insert_hashes} hashes");
    assert!(
        insert_allocations <= 8 * doublings,
        "{insert_allocations} allocations for {doublings} doublings"
    );
    assert_eq!(remove_hashes, N);
    assert_eq!(remove_allocations, 0);
    assert!(set.is_empty());
}
