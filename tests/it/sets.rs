//! `StreamSet` and `FutureSet`: every item once, in order per stream, while streams and futures
//! are inserted, replaced and removed at random between polls and while the set's task waits
//! (seeded); nothing lost from a removed stream; every child dropped once; an insert wakes a
//! waiting task; growth; fairness and the poll budget; producers on other threads; the traits.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasher, DefaultHasher, Hasher, RandomState};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use asyncgen::{FutureSet, StreamSet, async_gen, yield_};
use fastrand::Rng;
use futures::FutureExt;
use futures::channel::mpsc;
use futures::executor::block_on;
use futures::stream::{self, Stream, StreamExt};
use support::{
    DropCounter, DropToken, assert_send, block_on_with_threads, counting_waker,
    drain_catching_panics, iterations,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A stream of `(id, 0..len)` that, at random polls, is `Pending`: waking itself at once, or
/// parking its waker for the harness to wake later. Panics if polled after its `None` or after
/// the set let go of it (`released`). Drops a token when dropped.
struct Chaos {
    id: usize,
    next: u32,
    len: u32,
    done: bool,
    /// Out of 100.
    pending_percent: u32,
    rng: Rng,
    parked: Rc<RefCell<Vec<Waker>>>,
    _token: DropToken,
}

impl Stream for Chaos {
    type Item = (usize, u32);

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<(usize, u32)>> {
        let this = &mut *self;
        assert!(!this.done, "stream {} polled after its None", this.id);
        let roll = this.rng.u32(0..100);
        if roll < this.pending_percent / 2 {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if roll < this.pending_percent {
            this.parked.borrow_mut().push(cx.waker().clone());
            return Poll::Pending;
        }
        if this.next == this.len {
            this.done = true;
            return Poll::Ready(None);
        }
        this.next += 1;
        Poll::Ready(Some((this.id, this.next - 1)))
    }
}

/// What became of a stream, for the final check.
#[derive(Debug, PartialEq)]
enum Fate {
    /// Still in the set, or ended there: every item must have come out of the set.
    InSet,
    /// Removed (or replaced) and given back: the items left in it were drained from it.
    GivenBack,
    /// Removed (or replaced) and dropped: what came out is a prefix.
    Dropped,
}

/// One seeded run on a `StreamSet` of `Chaos` streams under a few keys (so keys are reused and
/// replaced): random inserts (`insert` or `insert_pinned`), removes (`remove` or
/// `remove_pinned`), wakes of parked streams (some twice), and polls only when the set's waker
/// was woken (or now and then spuriously): a lost wake-up fails the run instead of hanging it.
fn stream_set_run<H: BuildHasher + Default>(seed: u64) {
    let mut rng = Rng::with_seed(seed);
    let parked = Rc::new(RefCell::new(Vec::new()));
    let drops = DropCounter::default();
    let mut set: StreamSet<u8, Chaos, H> = if rng.bool() {
        StreamSet::with_hasher(H::default())
    } else {
        StreamSet::with_capacity_and_hasher(rng.usize(0..6), H::default())
    };
    let keys = rng.u8(1..=6);
    let mut lens = Vec::new();
    let mut fates = Vec::new();
    let mut current: HashMap<u8, usize> = HashMap::new();
    let mut seen: Vec<Vec<u32>> = Vec::new();
    let new_stream = |rng: &mut Rng, lens: &mut Vec<u32>, fates: &mut Vec<Fate>| {
        let id = lens.len();
        let len = rng.u32(0..=12);
        lens.push(len);
        fates.push(Fate::InSet);
        Chaos {
            id,
            next: 0,
            len,
            done: false,
            pending_percent: rng.u32(0..=80),
            rng: Rng::with_seed(rng.u64(..)),
            parked: parked.clone(),
            _token: drops.token(),
        }
    };
    let mut given_back: Vec<Chaos> = Vec::new();
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut woken = true;
    let mut waiting = false; // the last poll returned `Pending`
    let mut seen_wakes = 0;
    let steps = rng.usize(10..200);
    let mut step = 0;
    loop {
        step += 1;
        assert!(step < 1_000_000, "seed {seed}: no progress");
        let changing = step < steps;
        let roll = rng.u32(0..100);
        if changing && roll < 15 {
            let key = rng.u8(..keys);
            let stream = new_stream(&mut rng, &mut lens, &mut fates);
            seen.push(Vec::new());
            let id = stream.id;
            let wakes_before = counter.wakes();
            let had = current.insert(key, id);
            if rng.bool() {
                let old = set.insert(key, stream);
                assert_eq!(old.as_ref().map(|s| s.id), had, "seed {seed}");
                if let Some(old) = old {
                    fates[old.id] = Fate::GivenBack;
                    given_back.push(old);
                }
            } else {
                assert_eq!(set.insert_pinned(key, stream), had.is_some(), "seed {seed}");
                if let Some(old) = had {
                    fates[old] = Fate::Dropped;
                }
            }
            if waiting {
                // The set's task waits on it: the insert must wake it.
                assert!(
                    counter.wakes() > wakes_before,
                    "seed {seed}: an insert did not wake the waiting task"
                );
            }
        } else if changing && roll < 25 {
            let key = rng.u8(..keys);
            let had = current.remove(&key);
            let wakes_before = counter.wakes();
            if rng.bool() {
                let old = set.remove(&key);
                assert_eq!(old.as_ref().map(|s| s.id), had, "seed {seed}");
                if let Some(old) = old {
                    fates[old.id] = Fate::GivenBack;
                    given_back.push(old);
                }
            } else {
                assert_eq!(set.remove_pinned(&key), had.is_some(), "seed {seed}");
                if let Some(old) = had {
                    fates[old] = Fate::Dropped;
                }
            }
            if waiting && had.is_some() && set.is_empty() {
                // The set's task waits on it: it must learn that the set is empty.
                assert!(
                    counter.wakes() > wakes_before,
                    "seed {seed}: removing the last stream did not wake the waiting task"
                );
            }
        }
        assert_eq!(set.len(), current.len(), "seed {seed}");
        // Wake a parked stream now and then, in random order, sometimes twice.
        if !parked.borrow().is_empty() && rng.bool() {
            let len = parked.borrow().len();
            let parked_waker = parked.borrow_mut().swap_remove(rng.usize(..len));
            if rng.u32(0..10) == 0 {
                parked_waker.wake_by_ref();
            }
            parked_waker.wake();
        }
        if counter.wakes() != seen_wakes {
            seen_wakes = counter.wakes();
            woken = true;
        }
        if !woken {
            assert!(
                !parked.borrow().is_empty() || changing,
                "seed {seed}: the set is Pending and nothing will wake it (lost wake-up)"
            );
            if rng.u32(0..20) != 0 {
                continue;
            } // else a spurious poll
        }
        woken = false;
        waiting = false;
        match Pin::new(&mut set).poll_next(&mut cx) {
            Poll::Ready(Some((key, (id, item)))) => {
                assert_eq!(current.get(&key), Some(&id), "seed {seed}: key {key}");
                seen[id].push(item);
                if item + 1 == lens[id] {
                    // Its next poll ends it; the set removes it then (not yet).
                }
                woken = true; // a consumer polls again at once
            }
            Poll::Ready(None) => {
                assert!(set.is_empty(), "seed {seed}: None with streams in the set");
                current.clear(); // every stream ended
                if !changing {
                    break;
                }
                woken = true; // the consumer inserts, then polls again itself
            }
            Poll::Pending => waiting = true,
        }
        // Streams that ended left the set: the keys agree.
        current.retain(|key, _| set.contains_key(key));
    }
    assert!(set.is_empty(), "seed {seed}");
    for mut old in given_back.drain(..) {
        // Drain what is left, with no `Pending`s: nothing was pulled out and lost.
        old.pending_percent = 0;
        let id = old.id;
        seen[id].extend(
            block_on(old.collect::<Vec<_>>())
                .into_iter()
                .map(|(_, n)| n),
        );
    }
    for (id, fate) in fates.iter().enumerate() {
        let full: Vec<u32> = (0..lens[id]).collect();
        match fate {
            Fate::InSet | Fate::GivenBack => {
                assert_eq!(seen[id], full, "seed {seed}: stream {id} ({fate:?})");
            }
            Fate::Dropped => {
                assert_eq!(seen[id], full[..seen[id].len()], "seed {seed}: stream {id}")
            }
        }
    }
    drop(set);
    assert_eq!(
        drops.drops(),
        lens.len(),
        "seed {seed}: every stream dropped once"
    );
}

#[test]
fn stream_set_every_item_once_in_order_under_random_inserts_removes_and_pendings() {
    for seed in 0..iterations(3000, 8) as u64 {
        stream_set_run::<RandomState>(seed);
    }
}

/// A future that completes with `(id, value)` once its gate is opened; counts its polls and
/// panics if polled after it completed. Drops a token when dropped.
struct Gated {
    id: usize,
    gate: Rc<Cell<bool>>,
    parked: Rc<RefCell<Vec<(usize, Waker)>>>,
    polls: Rc<Cell<usize>>,
    done: bool,
    _token: DropToken,
}

impl Future for Gated {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        assert!(!self.done, "future {} polled after it completed", self.id);
        self.polls.set(self.polls.get() + 1);
        if self.gate.get() {
            self.done = true;
            return Poll::Ready(self.id);
        }
        self.parked.borrow_mut().push((self.id, cx.waker().clone()));
        Poll::Pending
    }
}

/// One seeded run on a `FutureSet`: futures inserted (some replacing others) and removed at
/// random, gates opened in random order; each output comes once, right after its gate opened
/// and the set was polled; removed or replaced futures are never polled again; all dropped once.
fn future_set_run<H: BuildHasher + Default>(seed: u64) {
    let mut rng = Rng::with_seed(seed);
    let drops = DropCounter::default();
    let parked = Rc::new(RefCell::new(Vec::new()));
    let mut set: FutureSet<u8, Gated, H> = FutureSet::with_hasher(H::default());
    let mut gates: Vec<Rc<Cell<bool>>> = Vec::new();
    let mut polls: Vec<Rc<Cell<usize>>> = Vec::new();
    let mut current: HashMap<u8, usize> = HashMap::new();
    let mut outputs = Vec::new();
    let mut cancelled = Vec::new();
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let keys = rng.u8(1..=8);
    let mut waiting = false; // the last poll returned `Pending`
    for _ in 0..rng.usize(10..150) {
        match rng.u32(0..100) {
            0..40 => {
                let id = gates.len();
                gates.push(Rc::default());
                polls.push(Rc::default());
                let future = Gated {
                    id,
                    gate: gates[id].clone(),
                    parked: parked.clone(),
                    polls: polls[id].clone(),
                    done: false,
                    _token: drops.token(),
                };
                let key = rng.u8(..keys);
                if let Some(old) = current.insert(key, id) {
                    cancelled.push((old, polls[old].get()));
                }
                let wakes_before = counter.wakes();
                set.insert_pinned(key, future);
                if waiting {
                    assert!(counter.wakes() > wakes_before, "seed {seed}: no wake");
                }
            }
            40..55 => {
                let key = rng.u8(..keys);
                let had = current.remove(&key);
                assert_eq!(set.remove_pinned(&key), had.is_some(), "seed {seed}");
                if let Some(old) = had {
                    cancelled.push((old, polls[old].get()));
                }
            }
            55..80 => {
                // Open a random gate and wake its futures' parked wakers.
                if let Some(id) = (!gates.is_empty()).then(|| rng.usize(..gates.len())) {
                    gates[id].set(true);
                    let mut wakers = Vec::new();
                    parked.borrow_mut().retain(|(parked_id, waker)| {
                        let keep = *parked_id != id;
                        if !keep {
                            wakers.push(waker.clone());
                        }
                        keep
                    });
                    wakers.into_iter().for_each(Waker::wake);
                }
            }
            _ => {}
        }
        // Poll until `Pending` or empty: every open gate's output comes out.
        loop {
            match Pin::new(&mut set).poll_next(&mut cx) {
                Poll::Ready(Some((key, id))) => {
                    assert_eq!(current.remove(&key), Some(id), "seed {seed}");
                    assert!(gates[id].get(), "seed {seed}: {id} completed shut");
                    outputs.push(id);
                }
                Poll::Ready(None) => {
                    assert!(current.is_empty(), "seed {seed}");
                    waiting = false;
                    break;
                }
                Poll::Pending => {
                    waiting = true;
                    break;
                }
            }
        }
        for &id in current.values() {
            assert!(
                !gates[id].get(),
                "seed {seed}: future {id}'s gate is open, no output"
            );
        }
    }
    let mut unique = outputs.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), outputs.len(), "seed {seed}: an output twice");
    for (id, polls_then) in cancelled {
        assert_eq!(
            polls[id].get(),
            polls_then,
            "seed {seed}: {id} polled after removal"
        );
        assert!(
            !outputs.contains(&id),
            "seed {seed}: a cancelled future's output"
        );
    }
    drop(set);
    assert_eq!(
        drops.drops(),
        gates.len(),
        "seed {seed}: every future dropped once"
    );
}

#[test]
fn future_set_each_output_once_and_removed_futures_never_polled_again() {
    for seed in 0..iterations(3000, 8) as u64 {
        future_set_run::<RandomState>(seed);
    }
}

/// Hashes every key alike: each lookup meets every key in the set, so only the keys' `Eq` tells
/// them apart.
#[derive(Default)]
struct Colliding;

impl BuildHasher for Colliding {
    type Hasher = Colliding;

    fn build_hasher(&self) -> Colliding {
        Colliding
    }
}

impl Hasher for Colliding {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, _: &[u8]) {}
}

#[test]
fn with_every_key_hashed_alike_each_item_still_comes_once() {
    for seed in 0..iterations(500, 2) as u64 {
        stream_set_run::<Colliding>(seed);
        future_set_run::<Colliding>(seed);
    }
}

/// Counts the keys it hashes.
struct CountingHasher(Rc<Cell<usize>>);

impl BuildHasher for CountingHasher {
    type Hasher = DefaultHasher;

    fn build_hasher(&self) -> DefaultHasher {
        self.0.set(self.0.get() + 1);
        DefaultHasher::new()
    }
}

#[test]
fn a_key_is_hashed_once_per_insert_remove_or_lookup_and_never_when_its_child_ends() {
    let hashes = Rc::new(Cell::new(0));
    let mut set = StreamSet::with_hasher(CountingHasher(hashes.clone()));
    for key in 0..100 {
        set.insert(key, stream::iter([key])); // grows 6 times, and its index with it
    }
    assert_eq!(hashes.get(), 100);
    assert!(set.insert(7, stream::iter([70])).is_some());
    assert!(set.contains_key(&8));
    assert!(set.remove(&8).is_some());
    assert_eq!(hashes.get(), 103);
    let mut items: Vec<(i32, i32)> = block_on(set.by_ref().collect());
    items.sort_unstable();
    assert_eq!(items.len(), 99);
    assert_eq!(items[7], (7, 70));
    assert!(set.is_empty());
    assert_eq!(
        hashes.get(),
        103,
        "99 streams ended: their keys left the index unhashed"
    );
}

// ---------------------------------------------------------------------------------------------
// Wake-ups, growth, emptiness
// ---------------------------------------------------------------------------------------------

#[test]
fn an_insert_while_the_task_waits_wakes_it_and_the_new_stream_is_polled() {
    // tokio#2317: a stream inserted after a `Pending` poll was never polled.
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set = StreamSet::new();
    set.insert("idle", stream::pending::<u32>().boxed());
    assert_eq!(Pin::new(&mut set).poll_next(&mut cx), Poll::Pending);
    let before = counter.wakes();
    set.insert("ready", stream::iter([7]).boxed());
    assert_eq!(counter.wakes(), before + 1, "the insert woke the task");
    assert_eq!(
        Pin::new(&mut set).poll_next(&mut cx),
        Poll::Ready(Some(("ready", 7)))
    );
}

#[test]
fn an_insert_that_grows_the_set_while_the_task_waits_wakes_it() {
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set = StreamSet::with_capacity(1);
    set.insert_pinned(0, stream::pending::<u32>().boxed());
    assert_eq!(Pin::new(&mut set).poll_next(&mut cx), Poll::Pending);
    assert_eq!(set.capacity(), 1);
    let before = counter.wakes();
    set.insert_pinned(1, stream::iter([1, 2]).boxed());
    assert!(set.capacity() >= 2);
    assert!(counter.wakes() > before, "the growing insert woke the task");
    let items = block_on(set.take(2).collect::<Vec<_>>());
    assert_eq!(items, [(1, 1), (1, 2)]);
}

#[test]
fn growth_keeps_every_child_and_polls_each_at_most_once_more() {
    // N futures, each woken by a gate later: after growing from nothing, each was polled once
    // per queue it was in (at most once per doubling after its insert), and every output comes
    // out once. Fewer under Miri, where a poll costs thousands of times more.
    const N: usize = if cfg!(miri) { 100 } else { 1000 };
    let parked = Rc::new(RefCell::new(Vec::new()));
    let drops = DropCounter::default();
    let gates: Vec<Rc<Cell<bool>>> = (0..N).map(|_| Rc::default()).collect();
    let polls: Vec<Rc<Cell<usize>>> = (0..N).map(|_| Rc::default()).collect();
    let (_, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set = FutureSet::new();
    for id in 0..N {
        set.insert_pinned(
            id,
            Gated {
                id,
                gate: gates[id].clone(),
                parked: parked.clone(),
                polls: polls[id].clone(),
                done: false,
                _token: drops.token(),
            },
        );
        // Polled after every insert: the set grows under a running consumer.
        while Pin::new(&mut set).poll_next(&mut cx).is_ready() {}
    }
    assert_eq!(set.capacity(), N.next_power_of_two());
    let total: usize = polls.iter().map(|p| p.get()).sum();
    // Once each, and once more at each doubling for those in the set then: 4 + 8 + .. up to
    // half the final capacity (1020 for N = 1000).
    let doublings: usize = (2..N.next_power_of_two().trailing_zeros())
        .map(|k| 1 << k)
        .sum();
    assert_eq!(total, N + doublings, "{total} polls");
    for gate in &gates {
        gate.set(true);
    }
    for (_, waker) in parked.borrow_mut().drain(..) {
        waker.wake();
    }
    let mut outputs: Vec<usize> = block_on(set.map(|(_, id)| id).collect());
    outputs.sort_unstable();
    assert_eq!(outputs, (0..N).collect::<Vec<_>>());
    assert_eq!(drops.drops(), N);
}

#[test]
fn an_empty_set_ends_its_loop_but_yields_again_after_an_insert() {
    let mut set = StreamSet::new();
    block_on(async {
        assert_eq!(set.next().await, None);
        set.insert('a', stream::iter([1, 2]));
        assert_eq!(set.next().await, Some(('a', 1)));
        assert_eq!(set.next().await, Some(('a', 2)));
        assert_eq!(set.next().await, None); // it ended, and left
        assert!(set.is_empty());
        set.insert('b', stream::iter([3, 4]));
        assert_eq!(set.next().await, Some(('b', 3)));
    });
    let mut futures = FutureSet::new();
    block_on(async {
        assert_eq!(futures.next().await, None);
        futures.insert(1, std::future::ready("x"));
        assert_eq!(futures.next().await, Some((1, "x")));
        assert_eq!(futures.next().await, None);
    });
}

#[test]
fn removing_a_queued_stream_and_reusing_its_slot_polls_the_new_one_once() {
    let (_, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let polls = Rc::new(Cell::new(0));
    let counted = |items: Vec<u32>| {
        let polls = polls.clone();
        stream::iter(items).inspect(move |_| polls.set(polls.get() + 1))
    };
    let mut set = StreamSet::with_capacity(1);
    set.insert(1, counted(vec![1, 2, 3]));
    // Queued (inserted, not polled yet), then removed: its slot is still in the queue.
    assert!(set.remove(&1).is_some());
    set.insert(2, counted(vec![10]));
    assert_eq!(set.capacity(), 1, "the slot was reused, no growth");
    assert_eq!(
        Pin::new(&mut set).poll_next(&mut cx),
        Poll::Ready(Some((2, 10)))
    );
    assert_eq!(Pin::new(&mut set).poll_next(&mut cx), Poll::Ready(None));
    assert_eq!(polls.get(), 1);
    // Churn without polling never grows the set.
    for n in 0..iterations(1000, 100) as u32 {
        set.insert(n, counted(vec![n]));
        assert!(set.remove(&n).is_some());
    }
    assert_eq!(set.capacity(), 1);
}

// ---------------------------------------------------------------------------------------------
// Drops and hand-backs
// ---------------------------------------------------------------------------------------------

#[test]
fn replaced_removed_and_remaining_children_are_each_dropped_once() {
    let drops = DropCounter::default();
    let tracked = |n: u32| {
        let token = drops.token();
        stream::iter(0..n).map(move |item| {
            let _ = &token;
            item
        })
    };
    let mut set = StreamSet::new();
    set.insert_pinned("a", tracked(3));
    set.insert_pinned("b", tracked(3));
    assert!(set.insert_pinned("a", tracked(5))); // the first "a" dropped in place
    assert_eq!(drops.drops(), 1);
    assert!(set.remove_pinned("b"));
    assert_eq!(drops.drops(), 2);
    assert!(!set.remove_pinned("b"));
    set.insert_pinned("c", tracked(1));
    let first = block_on(set.next());
    assert!(first.is_some());
    drop(set);
    assert_eq!(drops.drops(), 4);

    let mut futures = FutureSet::new();
    let drops = DropCounter::default();
    for key in 0..10 {
        let token = drops.token();
        futures.insert_pinned(key, async move {
            let _token = token;
            std::future::pending::<()>().await
        });
    }
    assert!(futures.remove_pinned(&3));
    assert_eq!(drops.drops(), 1);
    drop(futures);
    assert_eq!(drops.drops(), 10);
}

#[test]
fn a_removed_stream_keeps_every_item_it_did_not_hand_out() {
    let mut set = StreamSet::new();
    set.insert("numbers", stream::iter(0..10));
    set.insert("letters", stream::iter(100..103));
    let mut seen = Vec::new();
    block_on(async {
        for _ in 0..5 {
            seen.push(set.next().await.unwrap());
        }
    });
    let rest: Vec<u32> = block_on(set.remove("numbers").unwrap().collect());
    let mut numbers: Vec<u32> = seen
        .iter()
        .filter(|(key, _)| *key == "numbers")
        .map(|&(_, n)| n)
        .collect();
    numbers.extend(rest);
    assert_eq!(numbers, (0..10).collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------------------------
// Fairness, budget, !Unpin children
// ---------------------------------------------------------------------------------------------

#[test]
fn always_ready_streams_take_turns() {
    let mut set = StreamSet::new();
    for key in ['a', 'b', 'c'] {
        set.insert(key, stream::repeat(()));
    }
    let keys: String = block_on(set.take(30).map(|(key, ())| key).collect());
    assert_eq!(keys, "abc".repeat(10));
}

#[test]
fn a_poll_polls_at_most_32_children_then_yields_to_the_executor() {
    let polls = Rc::new(Cell::new(0));
    let mut set = StreamSet::new();
    for key in 0..100 {
        let polls = polls.clone();
        set.insert_pinned(
            key,
            stream::poll_fn(move |cx| -> Poll<Option<()>> {
                polls.set(polls.get() + 1);
                cx.waker().wake_by_ref();
                Poll::Pending
            }),
        );
    }
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(Pin::new(&mut set).poll_next(&mut cx), Poll::Pending);
    assert_eq!(polls.get(), 32);
    assert!(counter.wakes() >= 1, "it woke itself to go on");
}

#[async_gen]
async fn countdown(from: u32) -> u32 {
    for n in (1..=from).rev() {
        futures::future::ready(()).await;
        yield_!(n);
    }
}

#[test]
fn unpin_and_not_unpin_children_are_pinned_in_place() {
    let mut set = StreamSet::new();
    set.extend([(1, countdown(3)), (2, countdown(2))]);
    let mut items: Vec<(i32, u32)> = block_on(set.collect());
    items.sort_unstable();
    assert_eq!(items, [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]);

    let futures: FutureSet<usize, _> = (0..5).map(|n| (n, async move { n * n })).collect();
    assert_eq!(futures.size_hint(), (5, Some(5)));
    let mut outputs: Vec<(usize, usize)> = block_on(futures.collect());
    outputs.sort_unstable();
    assert_eq!(outputs, [(0, 0), (1, 1), (2, 4), (3, 9), (4, 16)]);
}

#[test]
fn traits_send_sync_debug_size_hint_default() {
    let set: StreamSet<String, stream::Iter<std::vec::IntoIter<u8>>> =
        [("a".to_string(), stream::iter(vec![1, 2]))]
            .into_iter()
            .collect();
    assert_eq!(set.size_hint(), (2, Some(2)));
    assert_eq!(format!("{set:?}"), r#"StreamSet { keys: {"a"}, .. }"#);
    let set = assert_send(set);
    fn assert_sync<T: Sync>(_: &T) {}
    assert_sync(&set);
    let futures: FutureSet<u8, std::future::Ready<()>> = FutureSet::default();
    assert_eq!(format!("{futures:?}"), "FutureSet { keys: {}, .. }");
    assert_sync(&assert_send(futures));
    let _: StreamSet<u8, stream::Empty<()>> = StreamSet::default();
}

// ---------------------------------------------------------------------------------------------
// Other threads
// ---------------------------------------------------------------------------------------------

/// Producers on other threads send into channels; the consumer inserts each channel's receiver
/// when an item of the previous one arrives, and removes every third one part-way (draining it
/// afterwards): nothing lost or duplicated, order kept per producer, no lost wake-up.
#[test]
fn producers_on_other_threads_while_streams_join_and_leave() {
    const PRODUCERS: usize = 8;
    let per_producer = iterations(2_000, 30) as u32;
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for _ in 0..PRODUCERS {
        let (tx, rx) = mpsc::unbounded::<u32>();
        senders.push(tx);
        receivers.push(Some(rx));
    }
    let threads: Vec<_> = senders
        .into_iter()
        .map(|tx| {
            std::thread::spawn(move || {
                for n in 0..per_producer {
                    tx.unbounded_send(n).unwrap();
                }
            })
        })
        .collect();
    let mut set = StreamSet::new();
    let mut seen: Vec<Vec<u32>> = vec![Vec::new(); PRODUCERS];
    let mut removed = Vec::new();
    set.insert(0, receivers[0].take().unwrap());
    let seen = block_on_with_threads(threads, async {
        while let Some((id, n)) = set.next().await {
            seen[id].push(n);
            if n == 0 && id + 1 < PRODUCERS {
                set.insert(id + 1, receivers[id + 1].take().unwrap());
            }
            if id % 3 == 2 && n == per_producer / 2 {
                removed.push((id, set.remove(&id).unwrap()));
            }
        }
        seen
    });
    let mut seen = seen;
    for (id, rx) in removed {
        // The producers are done (joined): the channel is closed, its rest is in it.
        seen[id].extend(block_on(rx.collect::<Vec<_>>()));
    }
    for (id, items) in seen.iter().enumerate() {
        assert_eq!(
            *items,
            (0..per_producer).collect::<Vec<_>>(),
            "producer {id}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------------

/// A child whose poll panics is dropped and leaves the set, key and all; the panic reaches the
/// poller with its payload, and the set, polled again, goes on with the others. Its slot is
/// reused as any other (a child inserted there is polled).
#[test]
fn a_child_that_panics_leaves_the_set_and_the_others_go_on() {
    let drops = DropCounter::default();
    let token = drops.token();
    let mut set = StreamSet::new();
    set.insert_pinned(
        "boom",
        stream::poll_fn(move |_| -> Poll<Option<u32>> {
            let _ = &token;
            std::panic::panic_any(7u8)
        })
        .boxed_local(),
    );
    set.insert_pinned("calm", stream::iter(vec![1u32, 2]).boxed_local());
    let mut panics = 0;
    let items = drain_catching_panics(&mut set, |set, payload| {
        assert_eq!(payload.downcast_ref::<u8>(), Some(&7));
        panics += 1;
        assert_eq!(drops.drops(), 1, "the child that panicked is dropped");
        assert!(!set.contains_key("boom"));
    });
    assert_eq!(panics, 1);
    assert_eq!(items, [("calm", 1), ("calm", 2)]);
    // The freed slot takes a new child, which is polled.
    set.insert_pinned("after", stream::iter(vec![3u32]).boxed_local());
    assert_eq!(block_on(set.next()), Some(("after", 3)));

    let mut futures = FutureSet::new();
    futures.insert_pinned(0, async { std::panic::panic_any(8u8) }.boxed_local());
    futures.insert_pinned(1, async { 1 }.boxed_local());
    let mut panics = 0;
    let outputs = drain_catching_panics(&mut futures, |futures, payload| {
        assert_eq!(payload.downcast_ref::<u8>(), Some(&8));
        panics += 1;
        assert!(!futures.contains_key(&0));
    });
    assert_eq!(panics, 1);
    assert_eq!(outputs, [(1, 1)]);
    assert!(futures.is_empty());
}
