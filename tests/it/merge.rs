//! `merge`, `merge!`, `IntoMerge` and `try_merge`: delivery under random `Pending`s, fairness,
//! the poll budget, dropping mid-way, termination, `try_merge`'s error path, the accepted
//! inputs, `Send`, and timers.
//!
//! Several tests assert exact interleavings. They follow from the design: a FIFO of the slots
//! to poll, every slot queued once at the start in input order, a source that woke appended at
//! the back (in the order they woke), and a source that just yielded re-queued at the back.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use asyncgen::{IntoMerge, async_gen, merge, try_merge, yield_};
use fastrand::Rng;
use futures::channel::mpsc as futures_mpsc;
use futures::stream::{self, FusedStream, Stream, StreamExt};
use futures::{SinkExt, executor::block_on};
use support::{
    DropCounter, DropToken, assert_send, block_on_with_threads, counting_waker,
    drain_catching_panics, drain_ready, iterations, poll_once,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A stream that drops a [`DropToken`] when it is dropped.
struct Tracked<S> {
    inner: S,
    _token: DropToken,
}

fn tracked<S>(inner: S, drops: &DropCounter) -> Tracked<S> {
    Tracked {
        inner,
        _token: drops.token(),
    }
}

impl<S: Stream + Unpin> Stream for Tracked<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.inner.poll_next_unpin(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

/// The test's handle on a [`Gated`] source: it releases items and wakes the source's parked
/// waker.
#[derive(Clone, Default)]
struct Gate(Rc<GateState>);

#[derive(Default)]
struct GateState {
    released: Cell<usize>,
    waker: RefCell<Option<Waker>>,
    polls: Cell<usize>,
}

impl Gate {
    /// Releases one item. Wakes the source if it was parked; `true` if it was.
    fn release(&self) -> bool {
        self.0.released.set(self.0.released.get() + 1);
        let waker = self.0.waker.borrow_mut().take();
        match waker {
            Some(waker) => {
                waker.wake();
                true
            }
            None => false,
        }
    }

    fn is_parked(&self) -> bool {
        self.0.waker.borrow().is_some()
    }

    fn stream(&self, id: usize) -> Gated {
        Gated {
            gate: self.clone(),
            id,
        }
    }
}

/// Yields `id` once per item its [`Gate`] released; otherwise parks its waker and is `Pending`.
struct Gated {
    gate: Gate,
    id: usize,
}

impl Stream for Gated {
    type Item = usize;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<usize>> {
        let state = &self.gate.0;
        state.polls.set(state.polls.get() + 1);
        if state.released.get() > 0 {
            state.released.set(state.released.get() - 1);
            return Poll::Ready(Some(self.id));
        }
        *state.waker.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// `len` items `(id, 0..len)`, then `None`; panics if polled after its `None`. Counts its polls.
struct Strict {
    id: usize,
    next: u32,
    len: u32,
    done: bool,
    polls: Rc<Cell<usize>>,
}

impl Strict {
    fn new(id: usize, len: u32) -> Self {
        Strict {
            id,
            next: 0,
            len,
            done: false,
            polls: Rc::default(),
        }
    }
}

impl Stream for Strict {
    type Item = (usize, u32);

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<(usize, u32)>> {
        assert!(!self.done, "source {} polled after its None", self.id);
        self.polls.set(self.polls.get() + 1);
        if self.next == self.len {
            self.done = true;
            return Poll::Ready(None);
        }
        self.next += 1;
        Poll::Ready(Some((self.id, self.next - 1)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.len - self.next) as usize;
        (left, Some(left))
    }
}

/// `Send`, as far as a non-generic caller can tell: `probe(&x).is_send()`. The inherent method
/// applies only when `T: Send`; otherwise the trait's fallback answers.
struct SendProbe<T>(PhantomData<T>);

trait NotSendFallback {
    fn is_send(&self) -> bool {
        false
    }
}

impl<T> NotSendFallback for SendProbe<T> {}

impl<T: Send> SendProbe<T> {
    fn is_send(&self) -> bool {
        true
    }
}

fn probe<T>(_: &T) -> SendProbe<T> {
    SendProbe(PhantomData)
}

fn assert_unpin_fused<T: Unpin + FusedStream>(_: &T) {}

/// Per-source sequence numbers, in the order they were seen.
fn by_source(items: &[(usize, u32)], sources: usize) -> Vec<Vec<u32>> {
    let mut seen = vec![Vec::new(); sources];
    for &(source, seq) in items {
        seen[source].push(seq);
    }
    seen
}

// ---------------------------------------------------------------------------------------------
// 1. Delivery with random `Pending`s
// ---------------------------------------------------------------------------------------------

/// A source of `(id, 0..len)` that, at random polls, is `Pending`: either waking itself at once
/// or parking its waker for the harness to wake later. Panics if polled after its `None`.
struct Chaos {
    id: usize,
    next: u32,
    len: u32,
    done: bool,
    /// Out of 100.
    pending_percent: u32,
    rng: Rng,
    parked: Rc<RefCell<Vec<Waker>>>,
}

impl Stream for Chaos {
    type Item = (usize, u32);

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<(usize, u32)>> {
        let this = &mut *self;
        assert!(!this.done, "source {} polled after its None", this.id);
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

/// One seeded run: random sources, random `Pending`s, parked wakers woken in random order (some
/// twice), spurious polls. The merge is polled only when its waker was woken (or spuriously):
/// a lost wake-up is a failure, not a hang.
fn chaos_run(seed: u64) {
    let mut rng = Rng::with_seed(seed);
    let sources = rng.usize(1..=8);
    let lens: Vec<u32> = (0..sources).map(|_| rng.u32(0..=30)).collect();
    let parked = Rc::new(RefCell::new(Vec::new()));
    let drops = DropCounter::default();
    let mut merged = merge(lens.iter().enumerate().map(|(id, &len)| {
        let chaos = Chaos {
            id,
            next: 0,
            len,
            done: false,
            pending_percent: rng.u32(0..=90),
            rng: Rng::with_seed(rng.u64(..)),
            parked: parked.clone(),
        };
        tracked(chaos, &drops)
    }));
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut items = Vec::new();
    let mut woken = true; // the first poll
    let mut seen_wakes = 0;
    for step in 0.. {
        assert!(step < 1_000_000, "seed {seed}: no progress");
        // Wake a parked source now and then, in random order, sometimes twice.
        if !parked.borrow().is_empty() && rng.bool() {
            let len = parked.borrow().len();
            let waker = parked.borrow_mut().swap_remove(rng.usize(..len));
            if rng.u32(0..10) == 0 {
                waker.wake_by_ref();
            }
            waker.wake();
        }
        if counter.wakes() != seen_wakes {
            seen_wakes = counter.wakes();
            woken = true;
        }
        if !woken {
            assert!(
                !parked.borrow().is_empty(),
                "seed {seed}: the merge is Pending and nothing will wake it (lost wake-up)"
            );
            if rng.u32(0..20) != 0 {
                continue;
            } // else a spurious poll
        }
        woken = false;
        match merged.poll_next_unpin(&mut cx) {
            Poll::Ready(Some(item)) => {
                items.push(item);
                woken = true; // a consumer polls again at once
            }
            Poll::Ready(None) => break,
            Poll::Pending => {}
        }
    }
    let expected: Vec<Vec<u32>> = lens.iter().map(|&len| (0..len).collect()).collect();
    assert_eq!(by_source(&items, sources), expected, "seed {seed}");
    assert!(merged.is_terminated(), "seed {seed}");
    for _ in 0..3 {
        assert_eq!(
            merged.poll_next_unpin(&mut cx),
            Poll::Ready(None),
            "seed {seed}"
        );
    }
    drop(merged);
    assert_eq!(drops.drops(), sources, "seed {seed}: every source dropped");
}

#[test]
fn every_item_arrives_once_in_source_order_despite_random_pendings() {
    // No time limit: `chaos_run` fails a lost wake-up or a run without progress itself.
    for seed in 0..iterations(4000, 15) as u64 {
        chaos_run(seed);
    }
}

/// Many producer threads, a real executor: nothing lost, nothing duplicated, order kept per
/// source, no lost wake-up (`block_on_with_threads` fails one, once the producers are done,
/// instead of hanging). With 2 sources
/// (polled in turn with the merge's waker), 4 and 64 (a waker each, the merge registering its
/// own only before it returns `Pending`).
#[test]
fn producers_on_other_threads_deliver_everything_in_order() {
    // Under Miri, 100 items per source (5 with 64 sources).
    for (sources, per_source, under_miri) in [(2, 20_000, 100), (4, 20_000, 100), (64, 1_000, 5)] {
        producers_deliver_everything_in_order(sources, iterations(per_source, under_miri) as u32);
    }
}

fn producers_deliver_everything_in_order(sources: usize, items_per_source: u32) {
    let items = {
        let mut receivers = Vec::new();
        let mut producers = Vec::new();
        for id in 0..sources {
            let (sender, receiver) = futures_mpsc::unbounded();
            receivers.push(receiver);
            producers.push(std::thread::spawn(move || {
                let mut rng = Rng::with_seed(id as u64);
                for seq in 0..items_per_source {
                    sender.unbounded_send((id, seq)).unwrap();
                    if rng.u32(0..64) == 0 {
                        std::thread::yield_now();
                    }
                }
            }));
        }
        let items: Vec<(usize, u32)> = block_on_with_threads(producers, merge(receivers).collect());
        items
    };
    let expected: Vec<u32> = (0..items_per_source).collect();
    assert_eq!(
        by_source(&items, sources),
        vec![expected; sources],
        "{sources} sources"
    );
}

/// Sources that became ready are served in the order they woke, after those already queued.
#[test]
fn sources_are_served_in_the_order_they_woke() {
    const SOURCES: usize = 10;
    for seed in 0..iterations(50, 5) as u64 {
        let mut rng = Rng::with_seed(seed);
        let gates: Vec<Gate> = (0..SOURCES).map(|_| Gate::default()).collect();
        let mut merged = merge(gates.iter().enumerate().map(|(id, gate)| gate.stream(id)));
        assert_eq!(poll_once(Pin::new(&mut merged)), Poll::Pending);
        assert!(gates.iter().all(Gate::is_parked));

        let mut order: Vec<usize> = (0..SOURCES).collect();
        rng.shuffle(&mut order);
        let (first, second) = order.split_at(SOURCES / 2);
        let mut items = Vec::new();
        for &id in first {
            assert!(gates[id].release());
        }
        items.push(poll_once(Pin::new(&mut merged)));
        // Woken while the first ones wait: queued behind them.
        for &id in second {
            assert!(gates[id].release());
        }
        while let Poll::Ready(Some(id)) = poll_once(Pin::new(&mut merged)) {
            items.push(Poll::Ready(Some(id)));
        }
        let expected: Vec<_> = order.iter().map(|&id| Poll::Ready(Some(id))).collect();
        assert_eq!(items, expected, "seed {seed}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Fairness
// ---------------------------------------------------------------------------------------------

/// The sources of the fairness tests.
enum Fair {
    /// Always ready, never ends.
    Always(usize),
    /// Ready when the test released an item.
    Gated(Gated),
    /// Ready every `k`-th poll; `Pending` otherwise, having woken itself.
    EveryKth { id: usize, k: usize, polls: usize },
}

impl Stream for Fair {
    type Item = usize;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<usize>> {
        match &mut *self {
            Fair::Always(id) => Poll::Ready(Some(*id)),
            Fair::Gated(gated) => Pin::new(gated).poll_next(cx),
            Fair::EveryKth { id, k, polls } => {
                *polls += 1;
                if *polls % *k == 0 {
                    Poll::Ready(Some(*id))
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }
        }
    }
}

/// Asserts that the always-ready sources 0, 1, 2 take strict turns: 0, 1, 2, 0, 1, 2, ..
/// among the `items`, so each of them gets ⌊R/3⌋ or ⌈R/3⌉ of the R items they share.
fn assert_round_robin(items: &[usize], rare: usize) {
    let common: Vec<usize> = items.iter().copied().filter(|&id| id != rare).collect();
    for (i, &id) in common.iter().enumerate() {
        assert_eq!(id, i % 3, "the always-ready sources take turns (item {i})");
    }
    let shares: Vec<usize> = (0..3)
        .map(|id| common.iter().filter(|&&c| c == id).count())
        .collect();
    for share in shares {
        assert!(
            share.abs_diff(common.len() / 3) <= 1,
            "{share} of {}",
            common.len()
        );
    }
}

/// 3 always-ready sources and 1 rarely-ready one (3), woken by the test at random points.
///
/// Bound, from the design: when a source is woken, the FIFO holds at most the 3 always-ready
/// sources ahead of it, each of which yields one item and goes behind it. So the rare source's
/// item comes after **exactly 3** items of the others when it was parked (woken), and after
/// exactly `3 - g` items when it was still queued from its previous item `g` (< 4) items
/// earlier (re-queued at the back, not yet polled). Never more than 3: it cannot be starved.
/// The 3 always-ready sources take strict turns, so each gets within ±1 of a third of the
/// items that are not the rare source's.
#[test]
fn fairness_a_woken_source_is_served_after_at_most_one_item_of_each_other_source() {
    let m = iterations(3000, 100);
    const RARE: usize = 3;
    for seed in 0..iterations(20, 3) as u64 {
        let mut rng = Rng::with_seed(seed);
        let gate = Gate::default();
        let mut merged = merge([
            Fair::Always(0),
            Fair::Always(1),
            Fair::Always(2),
            Fair::Gated(gate.stream(RARE)),
        ]);
        let mut items = Vec::with_capacity(m);
        // Where the rare source was queued last: at the start, or after its previous item.
        let mut queued_at = 0;
        // `(items so far, whether it was parked)` at the release not yet delivered.
        let mut release: Option<(usize, bool)> = None;
        let mut next_release = rng.usize(0..=12);
        let mut rare_items = 0;
        while items.len() < m {
            if release.is_none() && items.len() >= next_release {
                release = Some((items.len(), gate.release()));
            }
            let Poll::Ready(Some(id)) = poll_once(Pin::new(&mut merged)) else {
                panic!("always-ready sources: every poll yields");
            };
            items.push(id);
            if id == RARE {
                rare_items += 1;
                let (at, was_parked) = release.take().expect("only released items");
                let others = items.len() - 1 - at;
                if was_parked {
                    assert_eq!(others, 3, "seed {seed}: woken at item {at}");
                } else {
                    let g = at - queued_at;
                    assert!(
                        g < 4,
                        "seed {seed}: not parked {g} items after its last item"
                    );
                    assert_eq!(others, 3 - g, "seed {seed}: released at item {at}");
                }
                queued_at = items.len();
                next_release = items.len() + rng.usize(0..=12);
            }
        }
        assert!(rare_items >= m / 17, "seed {seed}: {rare_items} rare items");
        assert_round_robin(&items, RARE);
    }
}

/// 3 always-ready sources and 1 that is ready every `k`-th poll (waking itself when not).
///
/// Bound, from the design: a source goes to the back of the queue when it yields and, when it
/// woke itself, at the merge's next poll (issue 28: not again in the same poll). So the
/// self-waking source is polled once per turn of all four, 4 items apart (3 of the others,
/// and 1 more in each poll that finds it not ready, as the merge goes on to the next source):
/// its `m`-th item is at position `4k·m` (1-based), exactly `⌊M/4k⌋` of the first `M` items.
/// The others take strict turns.
#[test]
fn fairness_a_self_waking_source_ready_every_kth_poll_gets_exactly_its_turns() {
    let m = iterations(3000, 100);
    const RARE: usize = 3;
    for k in [1, 2, 3, 7, 50] {
        let mut merged = merge([
            Fair::Always(0),
            Fair::Always(1),
            Fair::Always(2),
            Fair::EveryKth {
                id: RARE,
                k,
                polls: 0,
            },
        ]);
        let items: Vec<usize> = (0..m)
            .map(|_| match poll_once(Pin::new(&mut merged)) {
                Poll::Ready(Some(id)) => id,
                other => panic!("k = {k}: {other:?}"),
            })
            .collect();
        for (i, &id) in items.iter().enumerate() {
            assert_eq!(id == RARE, (i + 1) % (4 * k) == 0, "k = {k}, item {i}");
        }
        assert_eq!(items.iter().filter(|&&id| id == RARE).count(), m / (4 * k));
        assert_round_robin(&items, RARE);
    }
}

/// 2 or 3 sources are polled in turn with the merge's own waker (no waker per source): each
/// poll starts after the source that yielded last (so it goes after the others) and polls each
/// live source at most once; one that finds none ready returns `Pending` after polling each
/// once, and the sources hold the merge's waker, so a release wakes the merge directly.
#[test]
fn few_sources_are_polled_in_turn_with_the_merges_waker() {
    for n in [2, 3] {
        let gates: Vec<Gate> = (0..n).map(|_| Gate::default()).collect();
        let mut merged = merge(gates.iter().enumerate().map(|(id, gate)| gate.stream(id)));
        let (counter, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        let polls = |gates: &[Gate]| gates.iter().map(|g| g.0.polls.get()).sum::<usize>();
        let mut rng = Rng::with_seed(n as u64);
        let mut last: Option<usize> = None;
        // (Under Miri, 40 rounds: every set of released sources comes up many times.)
        for round in 0..iterations(300, 40) {
            let before = polls(&gates);
            assert_eq!(merged.poll_next_unpin(&mut cx), Poll::Pending, "n = {n}");
            assert_eq!(polls(&gates) - before, n, "n = {n}: each polled once");
            assert!(gates.iter().all(Gate::is_parked), "n = {n}");
            // Release a random set of sources; every one of them is served, in turn from the
            // one after the last that yielded.
            let released: Vec<usize> = (0..n).filter(|_| rng.bool()).collect();
            let wakes = counter.wakes();
            for &id in &released {
                gates[id].release();
            }
            // Each release woke the merge's own waker, which the sources hold (no queue in
            // between that wakes it once per registration). Not `will_wake`: Miri does not
            // keep vtable addresses unique.
            assert_eq!(counter.wakes() - wakes, released.len(), "n = {n}");
            let start = last.map_or(0, |id| (id + 1) % n);
            let mut expected: Vec<usize> = (0..n).map(|k| (start + k) % n).collect();
            expected.retain(|id| released.contains(id));
            let mut served = Vec::new();
            for _ in &released {
                let before = polls(&gates);
                match merged.poll_next_unpin(&mut cx) {
                    Poll::Ready(Some(id)) => served.push(id),
                    other => panic!("n = {n}, round {round}: {other:?}"),
                }
                assert!(
                    polls(&gates) - before <= n,
                    "n = {n}: at most one poll each"
                );
            }
            assert_eq!(served, expected, "n = {n}, round {round}");
            last = served.last().copied().or(last);
        }
    }
}

/// With 2 or 3 sources: a source is polled up to its `None` and never after, the merge ends
/// when all have, and dropping it mid-way drops every source and loses nothing.
#[test]
fn few_sources_end_once_each_and_drop_every_source() {
    for lens in [[0u32, 4, 0], [3, 0, 1], [2, 2, 7]] {
        for n in [2, 3] {
            let sources: Vec<Strict> = lens[..n]
                .iter()
                .enumerate()
                .map(|(id, &len)| Strict::new(id, len))
                .collect();
            let polls: Vec<Rc<Cell<usize>>> = sources.iter().map(|s| s.polls.clone()).collect();
            let items = drain_ready(merge(sources));
            let expected: Vec<Vec<u32>> = lens[..n].iter().map(|&len| (0..len).collect()).collect();
            assert_eq!(by_source(&items, n), expected, "{lens:?}[..{n}]");
            for (id, &len) in lens[..n].iter().enumerate() {
                assert_eq!(
                    polls[id].get(),
                    len as usize + 1,
                    "{lens:?}[..{n}], source {id}"
                );
            }
        }
    }

    let drops = DropCounter::default();
    let (sender, mut receiver) = futures_mpsc::unbounded();
    let mut merged = merge!(
        tracked(&mut receiver, &drops),
        tracked(stream::iter([1u32, 2]), &drops),
        tracked(stream::pending(), &drops),
    );
    sender.unbounded_send(10).unwrap();
    let mut taken = Vec::new();
    while let Poll::Ready(Some(item)) = poll_once(Pin::new(&mut merged)) {
        taken.push(item);
    }
    assert_eq!(taken, [10, 1, 2]);
    assert_eq!(drops.drops(), 1, "only the ended source is gone");
    sender.unbounded_send(11).unwrap();
    drop(merged);
    assert_eq!(drops.drops(), 3, "every source dropped");
    // Nothing taken from the channel that was not handed out.
    assert_eq!(receiver.try_recv().ok(), Some(11));
}

// ---------------------------------------------------------------------------------------------
// 3. The poll budget
// ---------------------------------------------------------------------------------------------

/// Always-ready infinite sources: every poll of the merge returns an item, polling one child.
#[test]
fn budget_always_ready_sources_give_an_item_on_every_poll() {
    let polls = Rc::new(Cell::new(0));
    let always = |id: usize| {
        let polls = polls.clone();
        stream::poll_fn(move |_| {
            polls.set(polls.get() + 1);
            Poll::Ready(Some(id))
        })
    };
    let mut merged = merge([always(0), always(1), always(2)]);
    for round in 0..1000 {
        let before = polls.get();
        assert_eq!(
            poll_once(Pin::new(&mut merged)),
            Poll::Ready(Some(round % 3))
        );
        assert_eq!(polls.get() - before, 1);
    }

    let mut mixed = merge!(
        stream::repeat(7),
        stream::iter(0..),
        stream::repeat_with(|| 9)
    );
    for _ in 0..1000 {
        assert!(matches!(
            poll_once(Pin::new(&mut mixed)),
            Poll::Ready(Some(_))
        ));
    }
}

/// Sources that are always `Pending` but wake themselves: a poll of the merge polls each at
/// most once (a source woken during its own poll waits for the merge's next poll, as in
/// `FuturesUnordered`; issue 28: it was polled again and again, up to 32 times), and at most 32
/// in all; it returns `Pending` having woken the merge's waker, so the executor polls it again
/// later. Across polls, the children are polled in turn.
#[test]
fn budget_busy_pending_sources_stop_after_32_child_polls_and_wake_the_merge() {
    for n in [1, 5, 31, 32, 33, 100] {
        let counts: Rc<Vec<Cell<usize>>> = Rc::new((0..n).map(|_| Cell::new(0)).collect());
        let busy = |i: usize| {
            let counts = counts.clone();
            stream::poll_fn(move |cx| {
                counts[i].set(counts[i].get() + 1);
                cx.waker().wake_by_ref();
                Poll::<Option<u32>>::Pending
            })
        };
        let total = |counts: &[Cell<usize>]| counts.iter().map(Cell::get).sum::<usize>();
        let mut merged = merge((0..n).map(busy));
        let (counter, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        const POLLS: usize = 25;
        for poll in 0..POLLS {
            let (polls_before, wakes_before) = (total(&counts), counter.wakes());
            assert_eq!(merged.poll_next_unpin(&mut cx), Poll::Pending);
            let child_polls = total(&counts) - polls_before;
            assert!(
                child_polls <= 32,
                "n = {n}, poll {poll}: {child_polls} child polls"
            );
            assert_eq!(child_polls, n.min(32), "n = {n}, poll {poll}");
            assert!(
                counter.wakes() > wakes_before,
                "n = {n}, poll {poll}: not woken"
            );
        }
        let (fewest, most) = counts.iter().fold((usize::MAX, 0), |(low, high), c| {
            (low.min(c.get()), high.max(c.get()))
        });
        assert!(
            most - fewest <= 1,
            "n = {n}: polled {fewest}..={most} times"
        );
        assert_eq!(total(&counts), n.min(32) * POLLS);
    }
}

/// Sources that are `Pending` without waking: each is polled once, the merge returns
/// `Pending` without waking itself, and polling it again polls no source.
#[test]
fn budget_only_woken_sources_are_polled() {
    let polls = Rc::new(Cell::new(0));
    let idle = |_| {
        let polls = polls.clone();
        stream::poll_fn(move |_| {
            polls.set(polls.get() + 1);
            Poll::<Option<u32>>::Pending
        })
    };
    let mut merged = merge((0..5).map(idle));
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(merged.poll_next_unpin(&mut cx), Poll::Pending);
    assert_eq!((polls.get(), counter.wakes()), (5, 0));
    for _ in 0..3 {
        assert_eq!(merged.poll_next_unpin(&mut cx), Poll::Pending);
        assert_eq!((polls.get(), counter.wakes()), (5, 0));
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Dropping mid-way
// ---------------------------------------------------------------------------------------------

/// Sources borrow channel receivers; between polls the test sends more. After taking some
/// items, the merge is dropped: every source is dropped, and what was sent is exactly what was
/// taken followed (per source) by what is still in the channel.
#[test]
fn dropping_the_merge_mid_way_loses_nothing_and_drops_every_source() {
    const SOURCES: usize = 4;
    for seed in 0..iterations(300, 5) as u64 {
        let mut rng = Rng::with_seed(seed);
        let (mut senders, mut receivers): (Vec<_>, Vec<_>) =
            (0..SOURCES).map(|_| futures_mpsc::unbounded()).unzip();
        let mut sent = [0u32; SOURCES];
        let send = |rng: &mut Rng, sent: &mut [u32; SOURCES]| {
            let id = rng.usize(..SOURCES);
            senders[id].unbounded_send((id, sent[id])).unwrap();
            sent[id] += 1;
        };
        for _ in 0..rng.usize(0..20) {
            send(&mut rng, &mut sent);
        }
        let drops = DropCounter::default();
        let mut taken = Vec::new();
        {
            let mut merged = merge(receivers.iter_mut().map(|rx| tracked(rx, &drops)));
            let wanted = rng.usize(0..30);
            while taken.len() < wanted {
                if rng.bool() {
                    send(&mut rng, &mut sent);
                }
                match poll_once(Pin::new(&mut merged)) {
                    Poll::Ready(Some(item)) => taken.push(item),
                    Poll::Ready(None) => unreachable!("the senders are alive"),
                    Poll::Pending if rng.u32(0..4) == 0 => break,
                    Poll::Pending => {}
                }
            }
            for _ in 0..rng.usize(0..5) {
                send(&mut rng, &mut sent);
            }
            assert_eq!(drops.drops(), 0);
            drop(merged);
            assert_eq!(drops.drops(), SOURCES, "seed {seed}: every source dropped");
        }
        senders.clear();
        let mut all = taken;
        for rx in &mut receivers {
            while let Ok(item) = rx.try_recv() {
                all.push(item);
            }
        }
        let expected: Vec<Vec<u32>> = sent.iter().map(|&n| (0..n).collect()).collect();
        assert_eq!(by_source(&all, SOURCES), expected, "seed {seed}");
    }
}

/// The same with live producer tasks on a multi-threaded runtime, two `tokio::sync::mpsc` and
/// two `futures::channel::mpsc` bounded channels (their producers wait for room).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_merge_while_producers_run_loses_nothing() {
    let take = iterations(500, 150);
    let produced: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());
    let (tokio_tx0, mut tokio_rx0) = tokio::sync::mpsc::channel::<(usize, u32)>(4);
    let (tokio_tx1, mut tokio_rx1) = tokio::sync::mpsc::channel::<(usize, u32)>(4);
    let (futures_tx2, mut futures_rx2) = futures_mpsc::channel::<(usize, u32)>(4);
    let (futures_tx3, mut futures_rx3) = futures_mpsc::channel::<(usize, u32)>(4);

    let mut producers = Vec::new();
    for (id, tx) in [(0, tokio_tx0), (1, tokio_tx1)] {
        let produced = produced.clone();
        producers.push(tokio::spawn(async move {
            for seq in 0.. {
                if tx.send((id, seq)).await.is_err() {
                    break;
                }
                produced[id].fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    for (id, mut tx) in [(2, futures_tx2), (3, futures_tx3)] {
        let produced = produced.clone();
        producers.push(tokio::spawn(async move {
            for seq in 0.. {
                if tx.send((id, seq)).await.is_err() {
                    break;
                }
                produced[id].fetch_add(1, Ordering::SeqCst);
            }
        }));
    }

    let drops = DropCounter::default();
    let mut taken = Vec::new();
    {
        let mut merged = merge!(
            tracked(stream::poll_fn(|cx| tokio_rx0.poll_recv(cx)), &drops),
            tracked(stream::poll_fn(|cx| tokio_rx1.poll_recv(cx)), &drops),
            tracked(&mut futures_rx2, &drops),
            tracked(&mut futures_rx3, &drops),
        );
        while taken.len() < take {
            taken.push(merged.next().await.expect("the producers are alive"));
        }
        drop(merged);
        assert_eq!(drops.drops(), 4, "every source dropped");
    }

    // Stop the producers; what they sent stays in the channels, and is drained to the end
    // before the producers are joined. (Joining first can hang: a `futures` sender that parks
    // as `Receiver::close` runs may miss the close's wake-up, its parked-queue push and the
    // close's state change not being ordered against each other, as Miri's weak memory
    // found, 2026-12-04; each message the drain takes wakes a parked sender, so none is left.)
    tokio_rx0.close();
    tokio_rx1.close();
    futures_rx2.close();
    futures_rx3.close();
    let mut all = taken;
    while let Some(item) = tokio_rx0.recv().await {
        all.push(item);
    }
    while let Some(item) = tokio_rx1.recv().await {
        all.push(item);
    }
    while let Some(item) = futures_rx2.next().await {
        all.push(item);
    }
    while let Some(item) = futures_rx3.next().await {
        all.push(item);
    }
    for producer in producers {
        producer.await.unwrap();
    }
    let expected: Vec<Vec<u32>> = produced
        .iter()
        .map(|n| (0..n.load(Ordering::SeqCst) as u32).collect())
        .collect();
    assert_eq!(
        by_source(&all, 4),
        expected,
        "produced == consumed + still in the channels, in order"
    );
}

#[async_gen]
async fn holding(token: DropToken, from: u32) -> u32 {
    let _token = token;
    for n in from.. {
        yield_!(n);
    }
}

/// `!Unpin` generators suspended at a yield, and one that ended, are all dropped with the
/// merge.
#[test]
fn dropping_the_merge_drops_suspended_generators() {
    let drops = DropCounter::default();
    let mut merged = merge!(
        holding(drops.token(), 0),
        holding(drops.token(), 100),
        tracked(stream::iter([1000]), &drops),
    );
    let taken: Vec<u32> = (0..7)
        .map(|_| match poll_once(Pin::new(&mut merged)) {
            Poll::Ready(Some(n)) => n,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(taken, [0, 100, 1000, 1, 101, 2, 102]);
    assert!(drops.drops() <= 1, "only the ended source may be gone");
    drop(merged);
    assert_eq!(drops.drops(), 3);
}

// ---------------------------------------------------------------------------------------------
// 5. Termination and size hints
// ---------------------------------------------------------------------------------------------

/// A source is polled exactly up to its `None` and never after (`Strict` panics); the merge
/// ends when all have, is terminated, and keeps returning `None` without polling anything.
#[test]
fn never_polls_a_source_after_its_none_and_ends_when_all_end() {
    let lens = [0, 1, 3, 7, 2];
    let sources: Vec<Strict> = lens
        .iter()
        .enumerate()
        .map(|(id, &len)| Strict::new(id, len))
        .collect();
    let polls: Vec<Rc<Cell<usize>>> = sources.iter().map(|s| s.polls.clone()).collect();
    let mut merged = merge(sources);
    let mut items = Vec::new();
    loop {
        assert!(!merged.is_terminated());
        match poll_once(Pin::new(&mut merged)) {
            Poll::Ready(Some(item)) => items.push(item),
            Poll::Ready(None) => break,
            Poll::Pending => panic!("always-ready sources"),
        }
    }
    let expected: Vec<Vec<u32>> = lens.iter().map(|&len| (0..len).collect()).collect();
    assert_eq!(by_source(&items, lens.len()), expected);
    assert!(merged.is_terminated());
    for _ in 0..5 {
        assert_eq!(poll_once(Pin::new(&mut merged)), Poll::Ready(None));
    }
    for (id, &len) in lens.iter().enumerate() {
        assert_eq!(polls[id].get(), len as usize + 1, "source {id}");
    }

    // Empty: ends at once.
    let mut empty = merge(Vec::<Strict>::new());
    assert_eq!(poll_once(Pin::new(&mut empty)), Poll::Ready(None));
    assert!(empty.is_terminated());

    // 100 sources that end at once: ending counts against the budget of 32 child polls.
    let mut hundred = merge((0..100).map(|id| Strict::new(id, 0)));
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    for poll in 1..=3 {
        assert_eq!(hundred.poll_next_unpin(&mut cx), Poll::Pending);
        assert_eq!(counter.wakes(), poll, "woke itself");
        assert!(!hundred.is_terminated());
    }
    assert_eq!(hundred.poll_next_unpin(&mut cx), Poll::Ready(None));
    assert!(hundred.is_terminated());
    assert_eq!(hundred.poll_next_unpin(&mut cx), Poll::Ready(None));
}

#[test]
fn size_hint_is_the_sum_of_the_live_sources() {
    let mut merged = merge([Strict::new(0, 2), Strict::new(1, 5), Strict::new(2, 0)]);
    assert_eq!(merged.size_hint(), (7, Some(7)));
    for left in (4..7).rev() {
        assert!(matches!(
            poll_once(Pin::new(&mut merged)),
            Poll::Ready(Some(_))
        ));
        assert_eq!(merged.size_hint(), (left, Some(left)));
    }
    while let Poll::Ready(Some(_)) = poll_once(Pin::new(&mut merged)) {}
    assert_eq!(merged.size_hint(), (0, Some(0)));

    // An unknown upper bound.
    let unknown = merge!(
        stream::iter([1, 2]),
        stream::poll_fn(|_| Poll::<Option<i32>>::Pending)
    );
    assert_eq!(unknown.size_hint(), (2, None));

    // Saturating lower bounds.
    let infinite = merge!(stream::repeat(1), stream::repeat(2));
    assert_eq!(infinite.size_hint(), (usize::MAX, None));

    // Upper bounds that overflow: `None`.
    let big = merge!(
        stream::iter(0..usize::MAX),
        stream::iter(0..usize::MAX).map(|n| n + 1)
    );
    assert_eq!(big.size_hint(), (usize::MAX, None));
}

// ---------------------------------------------------------------------------------------------
// 6. try_merge
// ---------------------------------------------------------------------------------------------

#[async_gen]
async fn ok_then_stuck(token: DropToken) -> Result<u32, &'static str> {
    let _token = token;
    yield_!(Ok(100));
    std::future::pending::<()>().await;
}

/// On the first `Err`, every source (the failing one and its siblings, including a stuck
/// generator and a source that never woke) is already dropped when the `Err` is observed; then
/// `None` forever.
#[test]
fn try_merge_drops_every_source_before_the_error_then_ends() {
    let drops = DropCounter::default();
    let merged = (
        tracked(stream::iter([Ok(1), Ok(2), Ok(3)]), &drops),
        tracked(stream::iter([Ok(10), Err("boom"), Ok(11)]), &drops),
        tracked(stream::pending(), &drops),
        ok_then_stuck(drops.token()),
    )
        .try_merge();
    let mut merged = assert_send(merged);
    let mut items = Vec::new();
    loop {
        match poll_once(Pin::new(&mut merged)) {
            Poll::Ready(Some(Ok(n))) => {
                assert_eq!(drops.drops(), 0, "nothing dropped before the error");
                items.push(n);
            }
            Poll::Ready(Some(Err(error))) => {
                assert_eq!(drops.drops(), 4, "every source dropped before the Err");
                assert_eq!(error, "boom");
                break;
            }
            Poll::Ready(None) => panic!("ended before the error"),
            Poll::Pending => panic!("the stuck sources are not the only ones"),
        }
    }
    // FIFO [0, 1, 2, 3]: 0 and 1 yield; 2 is Pending (never woken), 3 yields; 0; then 1's Err.
    assert_eq!(items, [1, 10, 100, 2]);
    assert!(merged.is_terminated());
    assert_eq!(merged.size_hint(), (0, Some(0)));
    for _ in 0..5 {
        assert_eq!(poll_once(Pin::new(&mut merged)), Poll::Ready(None));
    }

    // The function form; no error: ends with the sources.
    let items = drain_ready(try_merge([
        stream::iter(vec![Ok::<u32, u32>(1), Err(2), Ok(9)]),
        stream::iter(vec![Ok(3), Ok(4), Ok(5)]),
    ]));
    assert_eq!(items, [Ok(1), Ok(3), Err(2)]);
    let items = drain_ready(try_merge([
        stream::iter(vec![Ok::<u32, u32>(1)]),
        stream::iter(vec![Ok(3), Ok(4)]),
    ]));
    assert_eq!(items, [Ok(1), Ok(3), Ok(4)]);
}

// ---------------------------------------------------------------------------------------------
// 7. Inputs: `merge!`, tuples, arrays, `Vec`s, `!Unpin` streams, `Send`
// ---------------------------------------------------------------------------------------------

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
    yield_!(2);
}

#[async_gen]
async fn count(from: u32, to: u32) -> u32 {
    for n in from..to {
        yield_!(n);
    }
}

#[async_gen]
async fn borrowing(items: &[u32]) -> u32 {
    for &n in items {
        yield_!(n);
    }
}

/// The round-robin order is exact: sources polled in input order, each re-queued after it
/// yields.
#[test]
fn merge_accepts_mixed_and_unpin_sources_in_every_form() {
    let mixed = merge!(
        numbers(),
        stream::iter([10, 20]),
        stream::once(async { 30 })
    );
    assert_unpin_fused(&mixed);
    assert_eq!(drain_ready(mixed), [1, 10, 30, 2, 20]);

    let tuple = (stream::iter([1, 2, 3]), stream::iter(vec![4, 5]).map(|n| n)).merge();
    assert_eq!(drain_ready(tuple), [1, 4, 2, 5, 3]);

    let single = (numbers(),).merge();
    assert_eq!(drain_ready(single), [1, 2]);

    let array = [count(0, 3), count(10, 12)].merge();
    assert_unpin_fused(&array);
    assert_eq!(drain_ready(array), [0, 10, 1, 11, 2]);

    let vec = vec![stream::iter(0..2), stream::iter(5..6), stream::iter(8..11)].merge();
    assert_eq!(drain_ready(vec), [0, 5, 8, 1, 9, 10]);

    let from_iter = merge((0..3).map(|i| count(i * 10, i * 10 + 2)));
    assert_eq!(drain_ready(from_iter), [0, 10, 20, 1, 11, 21]);

    // Twelve, the largest tuple.
    let twelve = merge!(
        count(0, 1),
        count(1, 2),
        count(2, 3),
        count(3, 4),
        count(4, 5),
        count(5, 6),
        count(6, 7),
        count(7, 8),
        count(8, 9),
        count(9, 10),
        count(10, 11),
        stream::iter([11]),
    );
    assert_eq!(drain_ready(twelve), (0..12).collect::<Vec<_>>());

    // Works with an executor, `!Unpin` sources included.
    let collected: Vec<u32> = block_on(merge!(numbers(), count(5, 7)).collect());
    assert_eq!(collected, [1, 5, 2, 6]);
}

/// Past 12, `merge!` lays the sources out itself, on the same engine: the round robin is
/// exact, only woken sources are polled, every source is dropped once at its end, and the size
/// hint is the sum of the live ones'.
#[test]
fn merge_macro_past_twelve_keeps_the_round_robin_and_polls_only_woken_sources() {
    let drops = DropCounter::default();
    let strict: Vec<Strict> = (0..12).map(|id| Strict::new(id, 2)).collect();
    let polls: Vec<Rc<Cell<usize>>> = strict.iter().map(|s| s.polls.clone()).collect();
    let [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11]: [Strict; 12] =
        strict.try_into().ok().unwrap();
    let gate = Gate::default();
    let mut merged = merge!(
        tracked(s0, &drops),
        s1,
        s2,
        s3,
        s4,
        s5,
        s6,
        s7,
        s8,
        s9,
        s10,
        s11,
        gate.stream(12).map(|id| (id, 0)),
    );
    assert_unpin_fused(&merged);
    assert_eq!(
        merged.size_hint(),
        (24, None),
        "the gated source has no bound"
    );
    let (wakes, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut items = Vec::new();
    while let Poll::Ready(Some(item)) = Pin::new(&mut merged).poll_next(&mut cx) {
        items.push(item);
    }
    // Slots queued in input order; each re-queued at the back after it yields.
    let expected: Vec<(usize, u32)> = (0..2)
        .flat_map(|round| (0..12).map(move |id| (id, round)))
        .collect();
    assert_eq!(items, expected);
    assert_eq!(drops.drops(), 1, "source 0 was not dropped at its end");
    assert_eq!(polls.iter().map(|p| p.get()).collect::<Vec<_>>(), [3; 12]);
    assert!(gate.is_parked());
    assert!(!merged.is_terminated());
    assert_eq!(merged.size_hint(), (0, None));

    assert!(gate.release(), "the gated source parked its waker");
    assert_eq!(wakes.wakes(), 1, "its wake did not reach the merge's waker");
    assert_eq!(
        Pin::new(&mut merged).poll_next(&mut cx),
        Poll::Ready(Some((12, 0)))
    );
    assert_eq!(
        polls.iter().map(|p| p.get()).collect::<Vec<_>>(),
        [3; 12],
        "an ended source was polled again"
    );
    drop(merged);
    assert_eq!(drops.drops(), 1);
}

/// Any number of sources (40 here, of two types), and a trailing comma.
#[test]
fn merge_macro_takes_forty_sources() {
    let merged = merge!(
        count(0, 1),
        count(1, 2),
        count(2, 3),
        count(3, 4),
        count(4, 5),
        count(5, 6),
        count(6, 7),
        count(7, 8),
        count(8, 9),
        count(9, 10),
        count(10, 11),
        count(11, 12),
        count(12, 13),
        count(13, 14),
        count(14, 15),
        count(15, 16),
        count(16, 17),
        count(17, 18),
        count(18, 19),
        count(19, 20),
        count(20, 21),
        count(21, 22),
        count(22, 23),
        count(23, 24),
        count(24, 25),
        count(25, 26),
        count(26, 27),
        count(27, 28),
        count(28, 29),
        count(29, 30),
        count(30, 31),
        count(31, 32),
        count(32, 33),
        count(33, 34),
        count(34, 35),
        count(35, 36),
        count(36, 37),
        count(37, 38),
        count(38, 39),
        stream::iter([39]),
    );
    // (Ending 40 sources takes more than one poll's budget: an executor, not `drain_ready`.)
    let items: Vec<u32> = block_on(merged.collect());
    assert_eq!(items, (0..40).collect::<Vec<_>>());
}

/// `try_merge!` of streams of different types: items until the first `Err`, every source
/// dropped before it comes out, then the end; past 12 alike.
#[test]
fn try_merge_macro_ends_at_the_first_err_after_dropping_every_source() {
    let drops = DropCounter::default();
    let mut merged = try_merge!(
        tracked(stream::iter([Ok(1), Ok(2), Ok(3)]), &drops),
        tracked(stream::iter([Ok(10), Err("boom"), Ok(11)]), &drops),
        tracked(stream::pending(), &drops),
        ok_then_stuck(drops.token()),
    );
    assert_unpin_fused(&merged);
    // The order of `(..).try_merge()` in `try_merge_drops_every_source_before_the_error_then_ends`.
    let mut items = Vec::new();
    while let Poll::Ready(Some(item)) = poll_once(Pin::new(&mut merged)) {
        if item.is_ok() {
            assert_eq!(drops.drops(), 0, "nothing dropped before the error");
        } else {
            assert_eq!(drops.drops(), 4, "a source outlived the error");
        }
        items.push(item);
    }
    assert_eq!(items, [Ok(1), Ok(10), Ok(100), Ok(2), Err("boom")]);
    assert!(merged.is_terminated());

    let drops = DropCounter::default();
    let many = try_merge!(
        tracked(stream::iter([Ok::<u32, String>(0)]), &drops),
        stream::iter([Ok(1)]),
        stream::iter([Ok(2)]),
        stream::iter([Ok(3)]),
        stream::iter([Ok(4)]),
        stream::iter([Ok(5)]),
        stream::iter([Ok(6)]),
        stream::iter([Ok(7)]),
        stream::iter([Ok(8)]),
        stream::iter([Ok(9)]),
        stream::iter([Ok(10)]),
        stream::once(async { Err(String::from("eleven")) }),
        tracked(stream::iter([Ok(12), Ok(13)]), &drops),
        stream::iter([Ok(14)]).map(|item| item),
    );
    let items = drain_ready(many);
    assert_eq!(
        items,
        (0..11)
            .map(Ok)
            .chain([Err(String::from("eleven"))])
            .collect::<Vec<_>>()
    );
    assert_eq!(drops.drops(), 2);

    let all_ok = try_merge!(stream::iter([Ok::<u8, ()>(1)]), stream::iter([Ok(2)]),);
    assert_eq!(drain_ready(all_ok), [Ok(1), Ok(2)]);
}

/// Zero sources end at the first poll: `merge!()` and `try_merge!()` of an item type the
/// context chooses, `().merge()` of `Infallible` items. Ports futures-concurrency's
/// `merge_tuple_0` (`src/stream/merge/tuple.rs`).
#[test]
fn merges_of_nothing_end_at_once() {
    let mut merged = merge!();
    assert_eq!(merged.size_hint(), (0, Some(0)));
    assert_eq!(poll_once(Pin::new(&mut merged)), Poll::Ready(None::<u32>));
    assert!(merged.is_terminated());
    let mut unit = ().merge();
    assert_eq!(poll_once(Pin::new(&mut unit)), Poll::Ready(None));
    assert!(unit.is_terminated());
    let mut tried = try_merge!();
    assert!(tried.is_terminated());
    assert_eq!(
        poll_once(Pin::new(&mut tried)),
        Poll::Ready(None::<Result<u8, String>>)
    );
    let next: Option<u32> = block_on(merge!().next());
    assert_eq!(next, None);
}

/// `merge!` and `try_merge!` past 12 are `Send` exactly when their sources are (the closures
/// they are built with capture nothing).
#[test]
fn merge_macro_past_twelve_is_send_exactly_when_its_sources_are() {
    let local = [7_u32];
    let sent = merge!(
        borrowing(&local),
        count(0, 1),
        count(1, 2),
        count(2, 3),
        count(3, 4),
        count(4, 5),
        count(5, 6),
        count(6, 7),
        count(7, 8),
        count(8, 9),
        count(9, 10),
        count(10, 11),
        count(11, 12),
    );
    assert!(probe(&sent).is_send());
    assert_eq!(drain_ready(assert_send(sent)).len(), 13);
    let not_sent = merge!(
        stream::iter([Rc::new(0)]),
        stream::iter([Rc::new(1)]),
        stream::iter([Rc::new(2)]),
        stream::iter([Rc::new(3)]),
        stream::iter([Rc::new(4)]),
        stream::iter([Rc::new(5)]),
        stream::iter([Rc::new(6)]),
        stream::iter([Rc::new(7)]),
        stream::iter([Rc::new(8)]),
        stream::iter([Rc::new(9)]),
        stream::iter([Rc::new(10)]),
        stream::iter([Rc::new(11)]),
        stream::iter([Rc::new(12)]),
    );
    assert!(!probe(&not_sent).is_send());
    let tried = try_merge!(
        stream::iter([Ok::<_, ()>(0)]),
        stream::iter([Ok(1)]),
        stream::iter([Ok(2)]),
        stream::iter([Ok(3)]),
        stream::iter([Ok(4)]),
        stream::iter([Ok(5)]),
        stream::iter([Ok(6)]),
        stream::iter([Ok(7)]),
        stream::iter([Ok(8)]),
        stream::iter([Ok(9)]),
        stream::iter([Ok(10)]),
        stream::iter([Ok(11)]),
        stream::iter([Ok(12)]),
    );
    assert!(probe(&tried).is_send());
}

/// `Merge` (and `TryMerge`) is `Send` exactly when its sources are, borrowed inputs included.
#[test]
fn merge_is_send_exactly_when_its_sources_are() {
    let data = vec![1, 2, 3];
    let text = String::from("ab");
    let borrowed = merge!(
        borrowing(&data),
        stream::iter(data.iter().copied()),
        stream::iter(text.chars()).map(u32::from),
    );
    let borrowed = assert_send(borrowed);
    assert!(probe(&borrowed).is_send());
    assert_eq!(drain_ready(borrowed), [1, 1, 97, 2, 2, 98, 3, 3]);

    let vec = merge(vec![borrowing(&data), borrowing(&data[1..])]);
    let _ = assert_send(vec);
    let array = [stream::iter(&data), stream::iter(&data)].merge();
    let _ = assert_send(array);
    let tried = try_merge([stream::iter([Ok::<&u32, ()>(&data[0])])]);
    let _ = assert_send(tried);

    let local = merge([stream::iter([Rc::new(1)])]);
    assert!(!probe(&local).is_send());
    let mixed = merge!(stream::iter([1]), stream::iter([Rc::new(2)]).map(|n| *n));
    assert!(!probe(&mixed).is_send());
    let gated = merge([Gate::default().stream(0)]);
    assert!(!probe(&gated).is_send());
}

// ---------------------------------------------------------------------------------------------
// 8. Timers
// ---------------------------------------------------------------------------------------------

#[async_gen]
async fn ticks(name: &'static str, every_ms: u64, count: u32) -> &'static str {
    for _ in 0..count {
        tokio::time::sleep(Duration::from_millis(every_ms)).await;
        yield_!(name);
    }
}

/// Two generators sleeping 3 ms and 5 ms between items, on a paused clock: the items come in
/// time order, each at its exact time.
#[tokio::test(start_paused = true)]
async fn merged_sleeping_generators_interleave_by_time() {
    let start = tokio::time::Instant::now();
    let mut merged = merge!(ticks("fast", 3, 4), ticks("slow", 5, 3));
    let mut seen = Vec::new();
    while let Some(name) = merged.next().await {
        seen.push((name, start.elapsed()));
    }
    let ms = Duration::from_millis;
    assert_eq!(
        seen,
        [
            ("fast", ms(3)),
            ("slow", ms(5)),
            ("fast", ms(6)),
            ("fast", ms(9)),
            ("slow", ms(10)),
            ("fast", ms(12)),
            ("slow", ms(15)),
        ]
    );
    assert_eq!(start.elapsed(), ms(15));
}

/// The waiting source's waker and whether it was woken, shared with the nudging one.
#[derive(Default)]
struct Doorbell {
    waker: RefCell<Option<Waker>>,
    rung: Cell<bool>,
}

/// Always ready; each poll wakes the waiting source if it is waiting.
struct Nudger {
    sent: u32,
    bell: Rc<Doorbell>,
}

impl Stream for Nudger {
    type Item = String;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<String>> {
        if let Some(waker) = self.bell.waker.borrow_mut().take() {
            self.bell.rung.set(true);
            waker.wake();
        }
        self.sent += 1;
        Poll::Ready((self.sent <= 6).then(|| format!("a{}", self.sent)))
    }
}

/// Yields one item each time it was woken, else waits with its waker on the doorbell.
struct Waiter {
    sent: u32,
    bell: Rc<Doorbell>,
}

impl Stream for Waiter {
    type Item = String;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<String>> {
        if !self.bell.rung.replace(false) {
            *self.bell.waker.borrow_mut() = Some(cx.waker().clone());
            return Poll::Pending;
        }
        self.sent += 1;
        Poll::Ready((self.sent <= 3).then(|| format!("b{}", self.sent)))
    }
}

/// A source woken during another's poll goes before that other's next turn: woken by the
/// poll that produced `a1`, `b1` comes right after it, not after `a2`.
///
/// With per-source wakers (more than 3 sources, here with two that end at once) the merge
/// polls a source woken by another in the same poll, so it never waits on anything and
/// drains without an executor. With 2 or 3 sources the woken source was handed the merge's
/// own waker, which the other woke: the merge may return `Pending` and is polled again, so
/// it runs under an executor.
#[test]
fn a_source_woken_during_anothers_poll_goes_first() {
    let pair = || {
        let bell = Rc::new(Doorbell::default());
        let waiter = Waiter {
            sent: 0,
            bell: bell.clone(),
        };
        (waiter, Nudger { sent: 0, bell })
    };
    let (waiter, nudger) = pair();
    let with_wakers = drain_ready(merge!(waiter, nudger, stream::empty(), stream::empty()));
    let (waiter, nudger) = pair();
    let in_turn: Vec<String> = block_on(merge!(waiter, nudger).collect());
    for items in [with_wakers, in_turn] {
        assert_eq!(items[..2], ["a1", "b1"]);
        assert_eq!(items.iter().filter(|i| i.starts_with('a')).count(), 6);
        assert_eq!(items.iter().filter(|i| i.starts_with('b')).count(), 3);
    }
}

/// A source's panic reaches the poller of the merge with its payload; the merge then drops
/// with the other sources intact (no double panic, every source dropped once).
#[test]
fn a_sources_panic_reaches_the_poller() {
    let drops = DropCounter::default();
    let token = drops.token();
    let healthy = futures::stream::iter([1, 2, 3]).map(move |n| {
        let _keep = &token;
        n
    });
    let failing = futures::stream::once(async { std::panic::panic_any(42u8) });
    let mut merged = merge!(failing, healthy);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        poll_once(Pin::new(&mut merged))
    }));
    let payload = outcome.expect_err("the panic must propagate");
    assert_eq!(payload.downcast_ref::<u8>(), Some(&42));
    drop(merged);
    assert_eq!(drops.drops(), 1);
}

/// Caught by its poller, a source's panic leaves the merge without the source: it is dropped
/// at once and never polled again, and the merge goes on with the others and ends when they do
/// (polled in turn with 2 sources, through the ready queue with 4).
#[test]
fn a_merge_that_outlives_a_sources_panic_goes_on_with_the_others() {
    for sources in [2_u32, 4] {
        let drops = DropCounter::default();
        let failing = {
            let token = drops.token();
            let mut polls = 0;
            stream::poll_fn(move |_| -> Poll<Option<u32>> {
                let _keep = &token;
                polls += 1;
                assert_eq!(polls, 1, "polled again after its panic");
                std::panic::panic_any(42_u8)
            })
            .boxed()
        };
        let mut all = vec![failing];
        for source in 1..sources {
            let token = drops.token();
            let items = stream::iter([source * 10, source * 10 + 1]).map(move |n| {
                let _keep = &token;
                n
            });
            all.push(items.boxed());
        }
        let mut merged = merge(all);
        let mut panics = 0;
        let mut items = drain_catching_panics(&mut merged, |merged, payload| {
            assert_eq!(payload.downcast_ref::<u8>(), Some(&42));
            panics += 1;
            assert_eq!(
                drops.drops(),
                1,
                "the source that panicked is dropped at once"
            );
            assert!(!merged.is_terminated());
        });
        assert_eq!(panics, 1);
        items.sort_unstable();
        let expected: Vec<u32> = (1..sources).flat_map(|s| [s * 10, s * 10 + 1]).collect();
        assert_eq!(items, expected);
        assert!(merged.is_terminated());
        assert_eq!(drops.drops(), sources as usize);
    }
}

/// A source that keeps its waker and is `Pending` until that waker is woken (never, here).
struct KeepsItsWaker(Arc<std::sync::Mutex<Option<Waker>>>);

impl Stream for KeepsItsWaker {
    type Item = u32;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        *self.0.lock().unwrap() = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// The sources' wakers outlive the merge: woken (by reference, by value, cloned) after it is
/// dropped, on this thread and another, they reach a table that is still alive, and the last
/// one frees it (Miri checks both).
#[test]
fn wakers_kept_by_sources_outlive_the_merge() {
    for sources in [2usize, 4, 40] {
        let kept: Vec<_> = (0..sources).map(|_| Arc::default()).collect();
        let mut merged = merge(kept.iter().map(|waker| KeepsItsWaker(Arc::clone(waker))));
        let mut cx = Context::from_waker(Waker::noop());
        // A poll polls at most 32 sources: poll until each has been.
        for _ in 0..sources.div_ceil(32) {
            assert!(Pin::new(&mut merged).poll_next(&mut cx).is_pending());
        }
        drop(merged);
        let mut wakers: Vec<Waker> = kept
            .iter()
            .map(|waker| {
                waker
                    .lock()
                    .unwrap()
                    .take()
                    .expect("each source was polled")
            })
            .collect();
        let last = wakers.pop().unwrap();
        let again = last.clone();
        wakers[0].wake_by_ref();
        let other = std::thread::spawn(move || {
            for waker in wakers {
                waker.wake();
            }
        });
        other.join().unwrap();
        last.wake();
        again.wake_by_ref();
        drop(again);
    }
}
