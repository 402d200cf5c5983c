//! `cargo bench --bench sets`: asyncgen's `StreamSet` and `FutureSet`, sets whose children are
//! inserted and removed while they run, against their peers, every variant of a workload in
//! one process, interleaved round by round (see `harness`). In every table the first row is
//! asyncgen's set, so the last column reads "x asyncgen": above 1.00 the peer is slower. A later
//! asyncgen row (the insert-only futures churn) is shown, and judged only against the peers
//! doing the same work.
//!
//! Every workload runs at N = 64 and N = 10 000 children and hands out M = 100 000 items
//! (10 000 with `--quick`): `u64`s, under `u64` keys where the set takes keys. Making the set of N children (N inserts, and for woken children the poll that
//! registers their wakers) and dropping it are off the clock (`harness::untimed`): the times
//! are per item handed out, churn included. Child `id` yields `id << 32 | seq` (a future
//! returns `id`), and each item is checked against the child it must come from, or at least
//! against a child still in the set (so a removed child that still yields fails the run), and
//! each run must hand out exactly M items.
//!
//! - `steady/ready/N=..`: N always-ready endless streams; take M items.
//! - `steady/woken/N=..`: the I/O-like case of `concurrency`'s woken merge: N endless gated
//!   streams, each `Pending` until the driver releases it; per item the driver (1) polls the set
//!   once, which must return `Pending`, (2) releases one child, chosen at random (seeded, the
//!   same schedule for every variant), waking the waker it left, (3) polls the set for the
//!   item, which must come from that child. The driver is an executor loop (`Pump`): it polls
//!   again only when woken, and fails the run if a set waits with nothing to wake it.
//! - `stream-churn/{ready,woken}/N=..`: as steady, and per item handed out one stream, chosen
//!   at random (it may be the one that just yielded), is removed by its key and a new one
//!   inserted in its place (N stay in the set).
//! - `future-churn/{ready,woken}/N=..`: a set of N futures (`ready`: `std::future::Ready`;
//!   `woken`: `Pending` until the driver releases them, as above). Each output handed out is
//!   replaced by a new future, and another future, chosen at random, is removed by its key
//!   and replaced too: per item 1 output, 1 remove, 2 inserts (N stay in flight). futures'
//!   `FuturesUnordered` cannot remove: its row "(i.o.)", insert only, pushes the replacement of
//!   each output and removes nothing (1 output, 1 insert per item), as do futures-buffered's
//!   `FuturesUnordered` and asyncgen's row "(i.o.)", shown to compare with them (and its row
//!   "(i.o., FxHash)", the same with rustc-hash's hasher of keys, shown, not judged); the
//!   "+Abortable" rows remove by aborting (an `AbortHandle` per child; the aborted child ends at
//!   its next poll).
//!
//! Peers: tokio-stream's `StreamMap` (keys are `u64`s; its `insert` and `remove` look for the
//! key in a `Vec`: O(N)), futures-concurrency's `StreamGroup` and `FutureGroup` (they hand out
//! their own `Key` on insert; a poll scans the children's ready bits: O(N) per item when one
//! child at a time wakes), futures-buffered's `MergeUnbounded` (no keys, no remove: `push`;
//! churned with `Abortable` streams) and `FuturesUnordered`, futures' `FuturesUnordered`. A
//! variant whose warm-up run takes over a second (`--cap`) is timed by that run alone.
//!
//! Options (after `--`): `--rounds R`, `--quick`, `--cap SECONDS`, `--items M` (every size),
//! `--only NAME` (for `valgrind --tool=callgrind`), a filter word. At the end, each workload's
//! verdict: asyncgen's time over the best peer's, the median of the per-round ratios.

mod harness;

use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Waker};

use asyncgen::{FutureSet, StreamSet};
use futures::stream::{AbortHandle, Abortable, Aborted, FuturesUnordered};
use futures_buffered::MergeUnbounded;
use futures_concurrency::future::FutureGroup;
use futures_concurrency::stream::StreamGroup;
use futures_core::Stream;
use harness::gate::{Flag, Gate, Gated};
use harness::{Measured, Options, Variant, measure, untimed};
use rustc_hash::FxBuildHasher;
use tokio_stream::StreamMap;

fn main() {
    let options = Options::from_args();
    println!(
        "asyncgen sets benches. The first row of each table is asyncgen's set (\"x first\" = x \
         asyncgen; > 1.00: the peer is slower). Set up (N inserts) and drop are off the clock."
    );
    println!(
        "{}",
        if cfg!(feature = "tokio") {
            "asyncgen built with its `tokio` feature: each item spends a unit of tokio's \
             cooperative budget, which no peer here does; `--no-default-features` measures \
             without it."
        } else {
            "asyncgen built without its `tokio` feature: no cooperative budget, as the peers."
        }
    );
    let mut verdicts = Vec::new();
    for churn in [false, true] {
        for kind in [Kind::Ready, Kind::Woken] {
            for n in [64, 10_000] {
                streams(&options, kind, n, churn, &mut verdicts);
            }
        }
    }
    for kind in [Kind::Ready, Kind::Woken] {
        for n in [64, 10_000] {
            futures_churn(&options, kind, n, &mut verdicts);
        }
    }
    if !verdicts.is_empty() {
        let faster = verdicts.iter().filter(|line| line.ends_with("yes")).count();
        println!(
            "\nVerdicts: asyncgen's time over the best peer's (median of the per-round ratios; \
             < 1.00: asyncgen is faster): faster than every peer in {faster} of {}",
            verdicts.len()
        );
        for line in &verdicts {
            println!("  {line}");
        }
    }
}

/// Items handed out per run (at every size).
fn items(options: &Options) -> usize {
    options.items(100_000, 10_000)
}

/// How the children wait.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Always ready.
    Ready,
    /// `Pending` until the driver releases them, one per item.
    Woken,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ready => "ready",
            Kind::Woken => "woken",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The sets, as the bench drives them

/// A set of children of type `C`, as the workloads drive it: insert a child (made with a fresh
/// `id`), remove one by the handle its insert gave, poll for the next item.
trait Churn<C>: Sized {
    /// What removes a child: the set's key, or an `AbortHandle`.
    type Key;
    fn with_capacity(n: usize) -> Self;
    fn add(&mut self, id: u64, child: C) -> Self::Key;
    fn cancel(&mut self, key: Self::Key);
    /// The next item (a stream's item, a future's output), checked against its key if the set
    /// gives one.
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>>;
    /// How many children it runs, where it knows (not counting aborted ones not yet dropped).
    fn live(&self) -> Option<usize>;
}

/// `key` must be the key of the child `item` came from (`id << 32 | seq`, or `id`).
#[inline]
fn check_key(key: u64, item: u64, shift: u32) -> u64 {
    assert_eq!(key, item >> shift, "the key of the child that yielded");
    item
}

impl<C: Stream<Item = u64>> Churn<C> for StreamSet<u64, C> {
    type Key = u64;
    fn with_capacity(n: usize) -> Self {
        StreamSet::with_capacity(n)
    }
    fn add(&mut self, id: u64, child: C) -> u64 {
        assert!(!self.insert_pinned(id, child), "a new key");
        id
    }
    fn cancel(&mut self, key: u64) {
        assert!(self.remove_pinned(&key), "a key in the set");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self)
            .poll_next(cx)
            .map(|item| item.map(|(key, item)| check_key(key, item, 32)))
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<C: Stream<Item = u64> + Unpin> Churn<C> for StreamMap<u64, C> {
    type Key = u64;
    fn with_capacity(n: usize) -> Self {
        StreamMap::with_capacity(n)
    }
    fn add(&mut self, id: u64, child: C) -> u64 {
        assert!(self.insert(id, child).is_none(), "a new key");
        id
    }
    fn cancel(&mut self, key: u64) {
        assert!(self.remove(&key).is_some(), "a key in the set");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self)
            .poll_next(cx)
            .map(|item| item.map(|(key, item)| check_key(key, item, 32)))
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// futures-concurrency's `StreamGroup`, through `keyed()` (items with their `Key`).
type StreamGroupKeyed<C> = futures_concurrency::stream::stream_group::Keyed<C>;

impl<C: Stream<Item = u64> + Unpin> Churn<C> for StreamGroupKeyed<C> {
    type Key = futures_concurrency::stream::stream_group::Key;
    fn with_capacity(n: usize) -> Self {
        StreamGroup::with_capacity(n).keyed()
    }
    fn add(&mut self, _: u64, child: C) -> Self::Key {
        self.insert(child)
    }
    fn cancel(&mut self, key: Self::Key) {
        assert!(self.remove(key), "a key in the set");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self)
            .poll_next(cx)
            .map(|item| item.map(|(_, item)| item))
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// futures-buffered's `MergeUnbounded`: no keys, no remove (steady workloads only).
impl<C: Stream<Item = u64> + Unpin> Churn<C> for MergeUnbounded<C> {
    type Key = ();
    fn with_capacity(_: usize) -> Self {
        MergeUnbounded::new()
    }
    fn add(&mut self, _: u64, child: C) {
        self.push(child);
    }
    fn cancel(&mut self, (): ()) {
        unreachable!("MergeUnbounded cannot remove");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self).poll_next(cx)
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// A set without remove, each child wrapped in `Abortable`: removing aborts it, and the set
/// drops it when it next polls it.
struct Aborting<T>(T);

impl<C: Stream<Item = u64> + Unpin> Churn<C> for Aborting<MergeUnbounded<Abortable<C>>> {
    type Key = AbortHandle;
    fn with_capacity(_: usize) -> Self {
        Aborting(MergeUnbounded::new())
    }
    fn add(&mut self, _: u64, child: C) -> AbortHandle {
        let (handle, registration) = AbortHandle::new_pair();
        self.0.push(Abortable::new(child, registration));
        handle
    }
    fn cancel(&mut self, key: AbortHandle) {
        key.abort();
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(&mut self.0).poll_next(cx)
    }
    fn live(&self) -> Option<usize> {
        None
    }
}

impl<F: Future<Output = u64>, H: BuildHasher + Default> Churn<F> for FutureSet<u64, F, H> {
    type Key = u64;
    fn with_capacity(n: usize) -> Self {
        FutureSet::with_capacity_and_hasher(n, H::default())
    }
    fn add(&mut self, id: u64, child: F) -> u64 {
        assert!(!self.insert_pinned(id, child), "a new key");
        id
    }
    fn cancel(&mut self, key: u64) {
        assert!(self.remove_pinned(&key), "a key in the set");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self)
            .poll_next(cx)
            .map(|item| item.map(|(key, output)| check_key(key, output, 0)))
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// futures-concurrency's `FutureGroup`, through `keyed()` (outputs with their `Key`).
type FutureGroupKeyed<F> = futures_concurrency::future::future_group::Keyed<F>;

impl<F: Future<Output = u64> + Unpin> Churn<F> for FutureGroupKeyed<F> {
    type Key = futures_concurrency::future::future_group::Key;
    fn with_capacity(n: usize) -> Self {
        FutureGroup::with_capacity(n).keyed()
    }
    fn add(&mut self, _: u64, child: F) -> Self::Key {
        self.insert(child)
    }
    fn cancel(&mut self, key: Self::Key) {
        assert!(self.remove(key), "a key in the set");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self)
            .poll_next(cx)
            .map(|item| item.map(|(_, output)| output))
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// futures' `FuturesUnordered`: no keys, no remove (insert-only rows).
impl<F: Future<Output = u64>> Churn<F> for FuturesUnordered<F> {
    type Key = ();
    fn with_capacity(_: usize) -> Self {
        FuturesUnordered::new()
    }
    fn add(&mut self, _: u64, child: F) {
        self.push(child);
    }
    fn cancel(&mut self, (): ()) {
        unreachable!("FuturesUnordered cannot remove");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self).poll_next(cx)
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

/// futures-buffered's `FuturesUnordered`: no keys, no remove (insert-only rows).
impl<F: Future<Output = u64>> Churn<F> for futures_buffered::FuturesUnordered<F> {
    type Key = ();
    fn with_capacity(n: usize) -> Self {
        futures_buffered::FuturesUnordered::with_capacity(n)
    }
    fn add(&mut self, _: u64, child: F) {
        self.push(child);
    }
    fn cancel(&mut self, (): ()) {
        unreachable!("FuturesUnordered cannot remove");
    }
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        Pin::new(self).poll_next(cx)
    }
    fn live(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<F: Future<Output = u64>> Churn<F> for Aborting<FuturesUnordered<Abortable<F>>> {
    type Key = AbortHandle;
    fn with_capacity(_: usize) -> Self {
        Aborting(FuturesUnordered::new())
    }
    fn add(&mut self, _: u64, child: F) -> AbortHandle {
        let (handle, registration) = AbortHandle::new_pair();
        self.0.push(Abortable::new(child, registration));
        handle
    }
    fn cancel(&mut self, key: AbortHandle) {
        key.abort();
    }
    /// Skips the aborted futures' `Err(Aborted)`.
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        loop {
            match Pin::new(&mut self.0).poll_next(cx) {
                Poll::Ready(Some(Err(Aborted))) => continue,
                Poll::Ready(Some(Ok(output))) => return Poll::Ready(Some(output)),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
    fn live(&self) -> Option<usize> {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Children and the driver

/// An always-ready endless stream: `first`, `first + 1`, ..
struct Counter(u64);

impl Stream for Counter {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u64>> {
        let item = self.0;
        self.0 += 1;
        Poll::Ready(Some(item))
    }
}

/// A woken-case future: `Pending` until the driver opens its gate, then `value` (closing the
/// gate for the future that takes its place).
struct GateFuture<'a> {
    gate: &'a Gate,
    value: u64,
}

impl Future for GateFuture<'_> {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        if self.gate.open.replace(false) {
            return Poll::Ready(self.value);
        }
        self.gate.wait(cx);
        Poll::Pending
    }
}

/// The driver's executor loop: it polls a set with its own waker, again only while the set
/// woke it (as an executor would), and fails the run if the set waits with nothing to wake
/// it (a lost wake-up).
struct Pump {
    woken: Arc<Flag>,
    waker: Waker,
}

impl Pump {
    fn new() -> Self {
        let woken = Arc::new(Flag::default());
        Pump {
            waker: Waker::from(woken.clone()),
            woken,
        }
    }

    /// The set's next item.
    #[inline]
    fn next<C, S: Churn<C>>(&self, set: &mut S) -> u64 {
        let mut cx = Context::from_waker(&self.waker);
        loop {
            self.woken.0.store(false, Ordering::Relaxed);
            match set.poll_item(&mut cx) {
                Poll::Ready(Some(item)) => return item,
                Poll::Ready(None) => panic!("the set ended"),
                Poll::Pending => assert!(
                    self.woken.0.load(Ordering::Relaxed),
                    "waiting with no wake-up pending"
                ),
            }
        }
    }

    /// Polls the set until it waits (nothing is released: it must), registering its wakers.
    #[inline]
    fn wait<C, S: Churn<C>>(&self, set: &mut S) {
        let mut cx = Context::from_waker(&self.waker);
        loop {
            self.woken.0.store(false, Ordering::Relaxed);
            assert!(
                set.poll_item(&mut cx).is_pending(),
                "an item with nothing released"
            );
            if !self.woken.0.load(Ordering::Relaxed) {
                return;
            }
        }
    }
}

/// One workload at one size: what every variant shares, made before timing.
struct Work {
    n: usize,
    kind: Kind,
    /// Per item, the position (0..n) of the child the driver releases (woken only).
    release: Vec<u32>,
    /// Per item, the position of the child removed and replaced (churn only).
    churn: Vec<u32>,
    /// A gate per position (woken only).
    gates: Vec<Gate>,
    pump: Pump,
}

/// How a run replaces children as it goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    /// Streams: nothing (steady), or one removed and replaced per item (churn).
    Streams { churn: bool },
    /// Futures: each output replaced, and one other future removed and replaced.
    OutputAndOther,
    /// Futures: each output replaced, nothing removed.
    Output,
}

impl Work {
    fn new(n: usize, kind: Kind, m: usize) -> Self {
        let mut rng = fastrand::Rng::with_seed(n as u64);
        let mut positions = || (0..m).map(|_| rng.u32(..n as u32)).collect::<Vec<_>>();
        let release = if kind == Kind::Woken {
            positions()
        } else {
            Vec::new()
        };
        Work {
            n,
            kind,
            release,
            churn: positions(),
            gates: (0..n).map(|_| Gate::default()).collect(),
            pump: Pump::new(),
        }
    }

    /// Runs one variant: a set `S` of `n` children made by `make(gate, id)`, `m` items handed
    /// out, children replaced as `replace` says. Returns the number of items.
    #[inline(never)]
    fn run<'a, C, S: Churn<C>>(
        &'a self,
        m: usize,
        replace: Replace,
        make: impl Fn(&'a Gate, u64) -> C,
    ) -> u64 {
        let n = self.n;
        let make = &make;
        let child = move |at: usize| move |id| make(&self.gates[at], id);
        let (mut set, mut children) = untimed(|| {
            self.gates.iter().for_each(Gate::reset);
            let mut set = S::with_capacity(n);
            let mut children = Children::new(n, m);
            for at in 0..n {
                children.insert(&mut set, at, child(at));
            }
            if self.kind == Kind::Woken {
                self.pump.wait(&mut set);
            }
            (set, children)
        });
        let shift = if let Replace::Streams { .. } = replace {
            32
        } else {
            0
        };
        let mut count = 0u64;
        for step in 0..m {
            let position = if self.kind == Kind::Woken {
                if step > 0 {
                    self.pump.wait(&mut set);
                }
                let position = self.release[step] as usize;
                self.gates[position].release();
                let item = self.pump.next(&mut set);
                assert_eq!(
                    item >> shift,
                    children.ids[position],
                    "the released child's item"
                );
                position
            } else {
                let item = self.pump.next(&mut set);
                children.position(item >> shift)
            };
            count += 1;
            match replace {
                Replace::Streams { churn: false } => {}
                Replace::Streams { churn: true } => {
                    let other = self.churn[step] as usize;
                    children.remove(&mut set, other);
                    children.insert(&mut set, other, child(other));
                }
                Replace::Output => children.insert(&mut set, position, child(position)),
                Replace::OutputAndOther => {
                    children.insert(&mut set, position, child(position));
                    let mut other = self.churn[step] as usize;
                    if other == position {
                        other = (other + 1) % n;
                    }
                    children.remove(&mut set, other);
                    children.insert(&mut set, other, child(other));
                }
            }
        }
        untimed(|| {
            if let Some(live) = set.live() {
                assert_eq!(live, n, "N children in the set at the end");
            }
            drop(set);
            drop(children);
        });
        count
    }
}

/// The driver's record of the children: per position (0..n), the id of its child and the
/// handle that removes it; per id, its position (ids are 0, 1, .. in order of insertion).
struct Children<K> {
    ids: Vec<u64>,
    keys: Vec<Option<K>>,
    position_of: Vec<u32>,
}

impl<K> Children<K> {
    /// Room for `n` children and `2 * m` replacements: nothing allocated while timed.
    fn new(n: usize, m: usize) -> Self {
        Children {
            ids: vec![u64::MAX; n],
            keys: (0..n).map(|_| None).collect(),
            position_of: Vec::with_capacity(n + 2 * m),
        }
    }

    /// Inserts a new child, `child(its id)`, at position `at`, whose child has ended or was
    /// removed.
    #[inline]
    fn insert<C, S: Churn<C, Key = K>>(
        &mut self,
        set: &mut S,
        at: usize,
        child: impl FnOnce(u64) -> C,
    ) {
        let id = self.position_of.len() as u64;
        self.keys[at] = Some(set.add(id, child(id)));
        self.ids[at] = id;
        self.position_of.push(at as u32);
    }

    /// Removes the child at `at` from `set`, by its key.
    #[inline]
    fn remove<C, S: Churn<C, Key = K>>(&mut self, set: &mut S, at: usize) {
        set.cancel(self.keys[at].take().expect("a child there"));
    }

    /// The position of child `id`, which must be in the set.
    #[inline]
    fn position(&self, id: u64) -> usize {
        let at = self.position_of[id as usize] as usize;
        assert_eq!(self.ids[at], id, "an item of a child in the set");
        at
    }
}

// ---------------------------------------------------------------------------------------------
// Workloads

/// asyncgen's time over the best peer's among `peers` (rows of `measured`), by the median of
/// the per-round ratios.
fn verdict(measured: &Measured, workload: &str, ours: &str, peers: &[&str]) -> String {
    let row = |name: &str| {
        measured
            .rows
            .iter()
            .find(|row| row.name == name)
            .expect("a measured row")
    };
    let ours = row(ours);
    let (best, ratio) = peers
        .iter()
        .map(|&name| {
            let peer = row(name);
            (peer, ours.ratio_to(peer))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("peers");
    format!(
        "{workload:<40} asyncgen {:>8.1} ns, best peer {:>8.1} ns ({}): {ratio:>5.2}x  faster than \
         every peer: {}",
        ours.ns,
        best.ns,
        best.name,
        if ratio < 1.0 { "yes" } else { "no" }
    )
}

const STREAM_SET: &str = "asyncgen StreamSet";
const STREAM_MAP: &str = "tokio-stream StreamMap";
const STREAM_GROUP: &str = "futures-concurrency StreamGroup";
const MERGE_UNBOUNDED: &str = "futures-buffered MergeUnbounded";
const MERGE_UNBOUNDED_ABORT: &str = "futures-buffered MergeUnbounded+Abortable";

/// `steady/..` (no churn) or `stream-churn/..`.
fn streams(options: &Options, kind: Kind, n: usize, churn: bool, verdicts: &mut Vec<String>) {
    let m = items(options);
    let what = if churn { "stream-churn" } else { "steady" };
    let workload = format!("{what}/{}/N={n}", kind.name());
    let group = format!(
        "{workload} ({m} items{})",
        if churn {
            ", a stream removed and one inserted per item"
        } else {
            ""
        }
    );
    if !wanted(options, &group) {
        return;
    }
    let work = &Work::new(n, kind, m);
    let replace = Replace::Streams { churn };
    let mut variants = match kind {
        Kind::Ready => stream_variants(work, replace, |_, id| Counter(id << 32)),
        Kind::Woken => stream_variants(work, replace, |gate, id| Gated {
            gate,
            next: id << 32,
            left: u64::MAX,
        }),
    };
    let peers = if churn {
        variants.retain(|variant| variant.name != MERGE_UNBOUNDED);
        [STREAM_MAP, STREAM_GROUP, MERGE_UNBOUNDED_ABORT]
    } else {
        variants.retain(|variant| variant.name != MERGE_UNBOUNDED_ABORT);
        [STREAM_MAP, STREAM_GROUP, MERGE_UNBOUNDED]
    };
    if let Some(measured) = measure(options, &group, "item", m, m as u64, &variants) {
        verdicts.push(verdict(&measured, &workload, STREAM_SET, &peers));
    }
}

fn stream_variants<'a, C>(
    work: &'a Work,
    replace: Replace,
    make: impl Fn(&'a Gate, u64) -> C + Copy + 'a,
) -> Vec<Variant<'a>>
where
    C: Stream<Item = u64> + Unpin + 'a,
{
    vec![
        Variant::new(STREAM_SET, move |m| {
            work.run::<C, StreamSet<u64, C>>(m, replace, make)
        }),
        Variant::new(STREAM_MAP, move |m| {
            work.run::<C, StreamMap<u64, C>>(m, replace, make)
        }),
        Variant::new(STREAM_GROUP, move |m| {
            work.run::<C, StreamGroupKeyed<C>>(m, replace, make)
        }),
        Variant::new(MERGE_UNBOUNDED, move |m| {
            work.run::<C, MergeUnbounded<C>>(m, replace, make)
        }),
        Variant::new(MERGE_UNBOUNDED_ABORT, move |m| {
            work.run::<C, Aborting<MergeUnbounded<Abortable<C>>>>(m, replace, make)
        }),
    ]
}

const FUTURE_SET: &str = "asyncgen FutureSet";
const FUTURE_GROUP: &str = "futures-concurrency FutureGroup";
const FUTURES_UNORDERED_ABORT: &str = "futures FuturesUnordered+Abortable";
const FUTURE_SET_INSERT: &str = "asyncgen FutureSet (i.o.)";
/// The same with rustc-hash's hasher of keys (`with_hasher`): shown, not judged.
const FUTURE_SET_INSERT_FX: &str = "asyncgen FutureSet (i.o., FxHash)";
const FUTURES_UNORDERED_INSERT: &str = "futures FuturesUnordered (i.o.)";
const BUFFERED_UNORDERED_INSERT: &str = "futures-buffered FuturesUnordered (i.o.)";

/// `future-churn/..`.
fn futures_churn(options: &Options, kind: Kind, n: usize, verdicts: &mut Vec<String>) {
    let m = items(options);
    let workload = format!("future-churn/{}/N={n}", kind.name());
    let group = format!(
        "{workload} ({m} outputs, each replaced, and one other future removed and replaced \
         per output; (i.o.): insert only, each output replaced, nothing removed)"
    );
    if !wanted(options, &group) {
        return;
    }
    let work = &Work::new(n, kind, m);
    let variants = match kind {
        Kind::Ready => future_variants(work, |_, id| std::future::ready(id)),
        Kind::Woken => future_variants(work, |gate, id| GateFuture { gate, value: id }),
    };
    if let Some(measured) = measure(options, &group, "item", m, m as u64, &variants) {
        verdicts.push(verdict(
            &measured,
            &workload,
            FUTURE_SET,
            &[FUTURE_GROUP, FUTURES_UNORDERED_ABORT],
        ));
        verdicts.push(verdict(
            &measured,
            &format!("{workload} insert only"),
            FUTURE_SET_INSERT,
            &[FUTURES_UNORDERED_INSERT, BUFFERED_UNORDERED_INSERT],
        ));
    }
}

fn future_variants<'a, F>(
    work: &'a Work,
    make: impl Fn(&'a Gate, u64) -> F + Copy + 'a,
) -> Vec<Variant<'a>>
where
    F: Future<Output = u64> + Unpin + 'a,
{
    use Replace::{Output, OutputAndOther};
    vec![
        Variant::new(FUTURE_SET, move |m| {
            work.run::<F, FutureSet<u64, F>>(m, OutputAndOther, make)
        }),
        Variant::new(FUTURE_GROUP, move |m| {
            work.run::<F, FutureGroupKeyed<F>>(m, OutputAndOther, make)
        }),
        Variant::new(FUTURES_UNORDERED_ABORT, move |m| {
            work.run::<F, Aborting<FuturesUnordered<Abortable<F>>>>(m, OutputAndOther, make)
        }),
        Variant::new(FUTURE_SET_INSERT, move |m| {
            work.run::<F, FutureSet<u64, F>>(m, Output, make)
        }),
        Variant::new(FUTURE_SET_INSERT_FX, move |m| {
            work.run::<F, FutureSet<u64, F, FxBuildHasher>>(m, Output, make)
        }),
        Variant::new(FUTURES_UNORDERED_INSERT, move |m| {
            work.run::<F, FuturesUnordered<F>>(m, Output, make)
        }),
        Variant::new(BUFFERED_UNORDERED_INSERT, move |m| {
            work.run::<F, futures_buffered::FuturesUnordered<F>>(m, Output, make)
        }),
    ]
}

/// Whether `measure` will run `group` (so the schedules are not made for nothing).
fn wanted(options: &Options, group: &str) -> bool {
    options
        .filter
        .as_ref()
        .is_none_or(|filter| group.contains(filter.as_str()))
}
