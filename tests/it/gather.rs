//! `gather`, `try_gather`, `as_completed`, their `_limited` forms and the `gather!` /
//! `try_gather!` macros: output order, fail-fast cancellation, limits and lazy input, drops,
//! panics, auto traits, and running under a hand-cranked executor, `block_on` and tokio.
//!
//! Most tests drive the combinator with [`Harness`], a one-future executor that polls only
//! after a wake-up, and complete the children with [`Gate`]s the test opens in a chosen (or
//! seeded-random) order: every interleaving is deterministic.

use std::cell::{Cell, RefCell};
use std::future::{Future, ready};
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use asyncgen::{
    AsCompleted, Gather, GatherTuple, TryGather, TryGatherTuple, as_completed,
    as_completed_limited, gather, gather_limited, try_gather, try_gather_limited,
};
use futures::executor::block_on;
use futures::future::FusedFuture;
use futures::stream::FusedStream;
use futures::{FutureExt, Stream, StreamExt, future};
use support::{
    DropCounter, DropToken, block_on_with_threads, drain_catching_panics, iterations, poll_limited,
};
use tokio::time::{Instant, sleep};

// ---------------------------------------------------------------------------------------------
// The harness: a one-future executor, gates, and counters.
// ---------------------------------------------------------------------------------------------

/// The harness's waker: counts wake-ups and remembers that one is pending.
struct WakeFlag {
    pending: AtomicBool,
    count: AtomicUsize,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.count.fetch_add(1, SeqCst);
        self.pending.store(true, SeqCst);
    }
}

/// Polls in one `run` after which the harness calls it a livelock (the tests need a few).
const POLL_LIMIT: usize = 1_000;

/// A hand-cranked executor for one future or stream: it polls only after a wake-up (and once
/// at the start), as a real executor would, so a lost wake-up shows as a hang (`None`).
struct Harness<F> {
    inner: Pin<Box<F>>,
    flag: Arc<WakeFlag>,
    waker: Waker,
}

impl<F> Harness<F> {
    fn new(inner: F) -> Self {
        let flag = Arc::new(WakeFlag {
            pending: AtomicBool::new(true),
            count: AtomicUsize::new(0),
        });
        Harness {
            inner: Box::pin(inner),
            waker: Waker::from(flag.clone()),
            flag,
        }
    }

    /// Whether a wake-up reached the harness since it last polled.
    fn woken(&self) -> bool {
        self.flag.pending.load(SeqCst)
    }
}

impl<F: Future> Harness<F> {
    /// Polls while woken: `Some(output)` once the future completes, `None` while it waits.
    fn run(&mut self) -> Option<F::Output> {
        for _ in 0..POLL_LIMIT {
            if !self.flag.pending.swap(false, SeqCst) {
                return None;
            }
            let mut cx = Context::from_waker(&self.waker);
            if let Poll::Ready(output) = self.inner.as_mut().poll(&mut cx) {
                return Some(output);
            }
        }
        panic!("still woken after {POLL_LIMIT} polls: livelock");
    }
}

impl<S: Stream> Harness<S> {
    /// Polls while woken: `Some(item)` (`Some(None)` at the end), `None` while it waits.
    fn run_next(&mut self) -> Option<Option<S::Item>> {
        for _ in 0..POLL_LIMIT {
            if !self.flag.pending.swap(false, SeqCst) {
                return None;
            }
            let mut cx = Context::from_waker(&self.waker);
            if let Poll::Ready(item) = self.inner.as_mut().poll_next(&mut cx) {
                // A consumer polls again after an item without waiting for a wake-up.
                self.flag.pending.store(true, SeqCst);
                return Some(item);
            }
        }
        panic!("still woken after {POLL_LIMIT} polls: livelock");
    }
}

#[derive(Default)]
struct GateState {
    open: Cell<bool>,
    waker: RefCell<Option<Waker>>,
    polls: Cell<usize>,
}

/// A future the test completes by hand: `wait()` is pending until `open()`, which wakes it.
#[derive(Clone, Default)]
struct Gate(Rc<GateState>);

impl Gate {
    fn open(&self) {
        self.0.open.set(true);
        if let Some(waker) = self.0.waker.borrow_mut().take() {
            waker.wake();
        }
    }

    fn is_open(&self) -> bool {
        self.0.open.get()
    }

    /// How many times a `wait()` on this gate was polled.
    fn polls(&self) -> usize {
        self.0.polls.get()
    }

    fn wait(&self) -> Wait {
        Wait(self.0.clone())
    }
}

struct Wait(Rc<GateState>);

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let state = &self.0;
        state.polls.set(state.polls.get() + 1);
        if state.open.get() {
            Poll::Ready(())
        } else {
            *state.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

fn gates(n: usize) -> Vec<Gate> {
    (0..n).map(|_| Gate::default()).collect()
}

/// The input indices of the children, in the order they completed.
type Log = Rc<RefCell<Vec<usize>>>;

/// Child `index`: waits for its gate, logs its completion, outputs `index * 10`.
async fn gated(index: usize, gate: Gate, log: Log) -> usize {
    gate.wait().await;
    log.borrow_mut().push(index);
    index * 10
}

/// Counts the futures alive now and the most ever alive at once.
#[derive(Clone, Default)]
struct Live {
    now: Rc<Cell<usize>>,
    max: Rc<Cell<usize>>,
}

impl Live {
    /// Held by a future from its creation to its drop.
    fn enter(&self) -> LiveGuard {
        self.now.set(self.now.get() + 1);
        self.max.set(self.max.get().max(self.now.get()));
        LiveGuard(self.now.clone())
    }
}

struct LiveGuard(Rc<Cell<usize>>);

impl Drop for LiveGuard {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

/// Wraps `input` and counts its `next()` calls.
fn counting<I: Iterator>(mut input: I, calls: Rc<Cell<usize>>) -> impl Iterator<Item = I::Item> {
    std::iter::from_fn(move || {
        calls.set(calls.get() + 1);
        input.next()
    })
}

/// Runs `test` on a current-thread tokio runtime whose clock starts paused (as
/// `#[tokio::test(start_paused = true)]`: sleeps take no real time). Bounded without a wall
/// clock: the paused clock advances only when every task waits, so a lost wake-up lets it
/// run to the watchdog's day and fail; a livelock never lets it advance, and fails after
/// `support::MAX_POLLS` polls.
fn on_paused_tokio<F: Future<Output = ()>>(test: impl FnOnce() -> F) {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(24 * 3600), poll_limited(test()))
                .await
                .expect("a day of paused time with nothing to run: a lost wake-up");
        });
}

/// A panic payload that is not a string, to check it arrives unchanged.
#[derive(Debug, PartialEq)]
struct Boom(u32);

/// Panics with `boom` as the payload; typed as any output, so a child can be written as
/// `async { explode(Boom(1)) }` with a concrete output type.
fn explode<T>(boom: Boom) -> T {
    std::panic::panic_any(boom)
}

// ---------------------------------------------------------------------------------------------
// gather: input order whatever the completion order.
// ---------------------------------------------------------------------------------------------

/// `gather` returns input order for 300 seeded random release orders, polling only woken children.
#[test]
fn gather_outputs_follow_input_order_for_random_release_orders() {
    // 1..=80 gated children per seed, some open before the first poll, the rest opened in random
    // batches: completion follows wake order, each child is polled once (open) or twice.
    for seed in 0..iterations(300, 5) as u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let n = rng.usize(1..=80);
        let gates = gates(n);
        let preopened: Vec<usize> = (0..n).filter(|_| rng.u8(..4) == 0).collect();
        for &i in &preopened {
            gates[i].open();
        }
        let mut closed: Vec<usize> = (0..n).filter(|i| !preopened.contains(i)).collect();
        rng.shuffle(&mut closed);
        let log = Log::default();
        let children = (0..n).map(|i| gated(i, gates[i].clone(), log.clone()));
        let mut harness = Harness::new(gather(children));

        // The first polls start every child in input order: the open ones complete at once.
        let mut result = harness.run();
        let mut expected_log = preopened.clone();
        assert_eq!(*log.borrow(), expected_log, "seed {seed}");
        let mut rest = &closed[..];
        while !rest.is_empty() {
            assert_eq!(
                result, None,
                "seed {seed}: resolved with gates still closed"
            );
            let (batch, tail) = rest.split_at(rng.usize(1..=4).min(rest.len()));
            for &i in batch {
                gates[i].open();
            }
            assert!(
                harness.woken(),
                "seed {seed}: opening a gate did not wake gather"
            );
            expected_log.extend_from_slice(batch);
            result = harness.run();
            rest = tail;
        }
        let expected: Vec<usize> = (0..n).map(|i| i * 10).collect();
        assert_eq!(result, Some(expected), "seed {seed}");
        assert_eq!(*log.borrow(), expected_log, "seed {seed}: completion order");
        for (i, gate) in gates.iter().enumerate() {
            let polls = if preopened.contains(&i) { 1 } else { 2 };
            assert_eq!(
                gate.polls(),
                polls,
                "seed {seed}: child {i} polled spuriously"
            );
        }
    }
}

/// Every combinator over an empty input resolves on its first poll (`[]`, `Ok([])`, the end).
#[test]
fn empty_inputs_resolve_at_once() {
    let none = || std::iter::empty::<std::future::Ready<u8>>();
    assert_eq!(Harness::new(gather(none())).run(), Some(vec![]));
    assert_eq!(Harness::new(gather_limited(none(), 3)).run(), Some(vec![]));
    let ok_none = || std::iter::empty::<std::future::Ready<Result<u8, ()>>>();
    assert_eq!(Harness::new(try_gather(ok_none())).run(), Some(Ok(vec![])));
    assert_eq!(
        Harness::new(try_gather_limited(ok_none(), 2)).run(),
        Some(Ok(vec![]))
    );
    assert_eq!(Harness::new(as_completed(none())).run_next(), Some(None));
    let mut limited = Harness::new(as_completed_limited(none(), 1));
    assert_eq!(limited.run_next(), Some(None));
    assert!(limited.inner.is_terminated());
}

/// A resolved `Gather` reports `is_terminated` and, polled again, never resolves twice.
#[test]
fn gather_is_fused_after_resolving() {
    let mut harness = Harness::new(gather([ready(1), ready(2)]));
    assert!(!harness.inner.is_terminated());
    assert_eq!(harness.run(), Some(vec![1, 2]));
    assert!(harness.inner.is_terminated());
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(harness.inner.as_mut().poll(&mut cx), Poll::Pending);
}

/// Under tokio, sleeps finishing out of order gather in input order, in the longest sleep's time.
#[test]
fn gather_under_tokio_returns_input_order_in_the_longest_time() {
    on_paused_tokio(|| async {
        let millis = [50_u64, 10, 40, 20, 30, 1, 60, 5];
        let log = Arc::new(Mutex::new(Vec::new()));
        let start = Instant::now();
        let outputs = gather(millis.iter().enumerate().map(|(i, &ms)| {
            let log = log.clone();
            async move {
                sleep(Duration::from_millis(ms)).await;
                log.lock().unwrap().push(i);
                (i, ms)
            }
        }))
        .await;
        assert_eq!(start.elapsed(), Duration::from_millis(60));
        let expected: Vec<(usize, u64)> = millis.iter().copied().enumerate().collect();
        assert_eq!(outputs, expected);
        assert_eq!(*log.lock().unwrap(), [5, 7, 1, 3, 4, 2, 0, 6]);
    });
}

/// Under tokio, 20 seeded sets of 200 random sleeps gather in input order in the longest's time
/// (under Miri, 2 sets of 50: tokio's timers are most of the time there).
#[test]
fn gather_under_tokio_random_durations_keep_input_order() {
    let count = iterations(200, 50);
    on_paused_tokio(|| async move {
        for seed in 0..iterations(20, 2) as u64 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let millis: Vec<u64> = (0..count).map(|_| rng.u64(1..=500)).collect();
            let start = Instant::now();
            let outputs = gather(millis.iter().enumerate().map(|(i, &ms)| async move {
                sleep(Duration::from_millis(ms)).await;
                i
            }))
            .await;
            let longest = *millis.iter().max().unwrap();
            assert_eq!(
                start.elapsed(),
                Duration::from_millis(longest),
                "seed {seed}"
            );
            assert_eq!(outputs, (0..count).collect::<Vec<_>>(), "seed {seed}");
        }
    });
}

// ---------------------------------------------------------------------------------------------
// try_gather: fail fast, siblings dropped before the error returns, nothing started after.
// ---------------------------------------------------------------------------------------------

/// `try_gather` of 10 000 fails at 10 ms, not after the 1 h sibling, all siblings dropped first.
#[test]
#[cfg_attr(
    miri,
    ignore = "10 000 futures on a paused tokio runtime take too long under Miri; the same code \
              paths run in the smaller `try_gather` tests"
)]
fn try_gather_of_10_000_fails_fast_and_drops_every_sibling_first() {
    // When the `Err` is observed, those done earlier and the 5 001 still running are all dropped:
    // N - 1 tokens, the failing child's own token travelling inside the error.
    on_paused_tokio(|| async {
        const N: usize = 10_000;
        const SLOW: usize = 0;
        const FAIL: usize = 5_003;
        let drops = DropCounter::default();
        let completed = Arc::new(AtomicUsize::new(0));
        let slow_finished = Arc::new(AtomicBool::new(false));
        let futures = (0..N).map(|i| {
            let token = drops.token();
            let completed = completed.clone();
            let slow_finished = slow_finished.clone();
            async move {
                let ms = match i {
                    SLOW => 3_600_000,
                    FAIL => 10,
                    // 1, 3, .., 19 ms: half finish before the failure, half after it.
                    _ => 2 * (i as u64 % 10) + 1,
                };
                sleep(Duration::from_millis(ms)).await;
                if i == FAIL {
                    return Err((i, token)); // the error carries its own token out
                }
                if i == SLOW {
                    slow_finished.store(true, SeqCst);
                }
                completed.fetch_add(1, SeqCst);
                drop(token);
                Ok(i)
            }
        });
        let start = Instant::now();
        let mut all = pin!(try_gather(futures));
        // Awaited through a reborrow: the `TryGather` stays alive while we look at the counters.
        let result = all.as_mut().await;
        assert_eq!(start.elapsed(), Duration::from_millis(10));
        let Err((index, token)) = result else {
            panic!("expected the error of child {FAIL}")
        };
        assert_eq!(index, FAIL);
        // Children with i % 10 in 0..5 finished (1..9 ms), except the slow one and the failing one.
        assert_eq!(completed.load(SeqCst), 5_000 - 2);
        assert!(!slow_finished.load(SeqCst));
        // Every future is gone: N - 1 tokens dropped, the last one is in the error.
        assert_eq!(drops.drops(), N - 1);
        assert!(all.is_terminated());
        drop(token);
        assert_eq!(drops.drops(), N);
    });
}

/// `try_gather`: the first `Err` to complete wins; the other failing child is dropped unpolled.
#[test]
fn try_gather_first_error_in_completion_order_wins() {
    let gates = gates(5);
    let drops = DropCounter::default();
    let children = (0..5).map(|i| {
        let (gate, token) = (gates[i].clone(), drops.token());
        async move {
            gate.wait().await;
            drop(token);
            match i {
                1 => Err("one"),
                3 => Err("three"),
                _ => Ok(i),
            }
        }
    });
    let mut harness = Harness::new(try_gather(children));
    assert_eq!(harness.run(), None);
    gates[0].open();
    assert_eq!(harness.run(), None);
    assert_eq!(drops.drops(), 1);
    // Both fail in the same batch: 3 woke first, so its error is the first to complete.
    gates[3].open();
    gates[1].open();
    assert_eq!(harness.run(), Some(Err("three")));
    assert_eq!(drops.drops(), 5);
    assert_eq!(gates[1].polls(), 1, "child 1 was polled after the error");
    assert_eq!(gates[2].polls(), 1);
    assert!(harness.inner.is_terminated());
}

/// `try_gather` with every future `Ok` returns the values in input order.
#[test]
fn try_gather_all_ok_is_in_input_order() {
    let gates = gates(4);
    let log = Log::default();
    let children = (0..4).map(|i| {
        let child = gated(i, gates[i].clone(), log.clone());
        async move { Ok::<_, ()>(child.await) }
    });
    let mut harness = Harness::new(try_gather(children));
    assert_eq!(harness.run(), None);
    for i in [2, 0, 3] {
        gates[i].open();
        assert_eq!(harness.run(), None);
    }
    gates[1].open();
    assert_eq!(harness.run(), Some(Ok(vec![0, 10, 20, 30])));
    assert_eq!(*log.borrow(), [2, 0, 3, 1]);
}

/// A gather's `Vec` has room for its outputs and no more (issue 28): `try_gather`'s kept the
/// buffer of the `Result`s it collected (capacity 20 for 10 `u64`s with a `String` error, 330
/// with a 256-byte error), as `filter_map(Result::ok).collect()` reuses it in place.
#[test]
fn gathered_vecs_have_room_for_their_outputs_only() {
    let values = block_on(try_gather(
        (0..10_u64).map(|n| ready(Ok::<_, [u8; 256]>(n))),
    ));
    let values = values.map_err(|_| ()).expect("every future succeeds");
    assert_eq!((values.len(), values.capacity()), (10, 10));
    let values = block_on(try_gather((0..10_u64).map(|n| ready(Ok::<_, String>(n)))));
    let values = values.expect("every future succeeds");
    assert_eq!((values.len(), values.capacity()), (10, 10));
    let values = block_on(gather((0..10_u64).map(ready)));
    assert_eq!((values.len(), values.capacity()), (10, 10));
    // Limited, of an input that says its length.
    let values = block_on(gather_limited((0..10_u64).map(ready), 3));
    assert_eq!((values.len(), values.capacity()), (10, 10));
    let values = block_on(try_gather_limited(
        (0..10_u64).map(|n| ready(Ok::<_, ()>(n))),
        3,
    ));
    let values = values.expect("every future succeeds");
    assert_eq!((values.len(), values.capacity()), (10, 10));
}

/// `try_gather_limited` drops running siblings before the `Err` returns and pulls no more.
#[test]
fn try_gather_limited_starts_nothing_after_the_error() {
    // Limit 4, 100 children, a head (0) that never completes, child 7 fails.
    let gates = gates(100);
    let drops = DropCounter::default();
    let (made, calls) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let source = (0..100).map(|i| {
        made.set(made.get() + 1);
        let (gate, token) = (gates[i].clone(), drops.token());
        async move {
            gate.wait().await;
            drop(token);
            if i == 7 { Err(i) } else { Ok(i) }
        }
    });
    let mut harness = Harness::new(try_gather_limited(counting(source, calls.clone()), 4));
    assert_eq!(made.get(), 0, "pulled before the first poll");
    assert_eq!(harness.run(), None);
    assert_eq!(made.get(), 4);
    // The head (0) stays pending; 1..=6 complete one by one, each freeing a slot.
    for (k, gate) in gates.iter().enumerate().take(7).skip(1) {
        gate.open();
        assert_eq!(harness.run(), None);
        assert_eq!(made.get(), 4 + k);
    }
    // Running now: 0, 7, 8, 9.
    gates[7].open();
    assert_eq!(harness.run(), Some(Err(7)));
    assert_eq!((made.get(), calls.get()), (10, 10));
    assert_eq!(
        drops.drops(),
        10,
        "the running siblings were not dropped before the Err"
    );
    assert_eq!([0, 8, 9].map(|i| gates[i].polls()), [1, 1, 1]);
    drop(harness);
    assert_eq!((made.get(), calls.get(), drops.drops()), (10, 10, 10));
}

// ---------------------------------------------------------------------------------------------
// gather_limited: the limit, lazy input, no head-of-line blocking.
// ---------------------------------------------------------------------------------------------

/// `gather_limited` keeps at most `limit` alive, pulls lazily, returns input order (150 seeds).
#[test]
fn gather_limited_respects_the_limit_and_pulls_lazily() {
    // 1..=40 children, limit 1..=6, random releases, some gates opened before their future exists:
    // whenever it waits, exactly min(n, limit + completed) futures were made.
    for seed in 0..iterations(150, 5) as u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let n = rng.usize(1..=40);
        let limit = rng.usize(1..=6);
        let gates = gates(n);
        let (live, log) = (Live::default(), Log::default());
        let (made, calls) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
        let source = (0..n).map(|i| {
            made.set(made.get() + 1);
            let guard = live.enter();
            let child = gated(i, gates[i].clone(), log.clone());
            async move {
                let _guard = guard;
                child.await
            }
        });
        let mut harness = Harness::new(gather_limited(counting(source, calls.clone()), limit));
        assert_eq!(made.get(), 0, "seed {seed}: pulled before the first poll");
        let result = loop {
            let result = harness.run();
            let completed = log.borrow().len();
            assert_eq!(
                made.get(),
                n.min(limit + completed),
                "seed {seed}: not lazy"
            );
            assert_eq!(live.now.get(), made.get() - completed, "seed {seed}");
            if result.is_some() {
                break result;
            }
            let mut closed: Vec<usize> = (0..made.get()).filter(|&i| !gates[i].is_open()).collect();
            rng.shuffle(&mut closed);
            closed.truncate(rng.usize(1..=3));
            for i in closed {
                gates[i].open();
            }
            // Sometimes open a gate whose future does not exist yet.
            if rng.bool() {
                gates[rng.usize(..n)].open();
            }
        };
        assert_eq!(
            result,
            Some((0..n).map(|i| i * 10).collect()),
            "seed {seed}"
        );
        assert_eq!(
            live.max.get(),
            limit.min(n),
            "seed {seed}: limit exceeded or unused"
        );
        assert_eq!(live.now.get(), 0, "seed {seed}");
        assert_eq!(calls.get(), n + 1, "seed {seed}: next() after the end");
    }
}

/// `gather_limited(_, 3)`: the 19 others all start and complete while the head stays pending.
#[test]
fn gather_limited_slow_head_does_not_block_the_others() {
    let n = 20;
    let gates = gates(n);
    let (live, log) = (Live::default(), Log::default());
    let made = Rc::new(Cell::new(0));
    let source = (0..n).map(|i| {
        made.set(made.get() + 1);
        let guard = live.enter();
        let child = gated(i, gates[i].clone(), log.clone());
        async move {
            let _guard = guard;
            child.await
        }
    });
    let mut harness = Harness::new(gather_limited(source, 3));
    assert_eq!(harness.run(), None);
    loop {
        let started: Vec<usize> = (1..made.get()).filter(|&i| !gates[i].is_open()).collect();
        if started.is_empty() {
            break;
        }
        for &i in started.iter().rev() {
            gates[i].open();
        }
        assert_eq!(harness.run(), None);
    }
    assert_eq!(log.borrow().len(), n - 1, "the others did not all complete");
    assert_eq!((made.get(), live.now.get(), live.max.get()), (n, 1, 3));
    assert_eq!(gates[0].polls(), 1);
    gates[0].open();
    assert_eq!(harness.run(), Some((0..n).map(|i| i * 10).collect()));
    assert_eq!(log.borrow().last(), Some(&0));
}

/// `try_gather_limited` pulls an endless input lazily and stops at the first `Err`.
#[test]
fn try_gather_limited_pulls_an_endless_input_lazily() {
    let made = Rc::new(Cell::new(0));
    let pages = (0_usize..).map(|page| {
        made.set(made.get() + 1);
        async move { if page == 5 { Err(page) } else { Ok(page) } }
    });
    let mut harness = Harness::new(try_gather_limited(pages, 2));
    assert_eq!(harness.run(), Some(Err(5)));
    // 0..=5 and the one started beside 5 (6): the limit bounds the look-ahead.
    assert_eq!(made.get(), 7);
}

/// `gather_limited(_, 0)` runs one future at a time instead of none (it would never finish).
#[test]
fn gather_limited_zero_runs_one_at_a_time() {
    let gates = gates(5);
    let (live, log) = (Live::default(), Log::default());
    let source = (0..5).map(|i| {
        let guard = live.enter();
        let child = gated(i, gates[i].clone(), log.clone());
        async move {
            let _guard = guard;
            child.await
        }
    });
    let mut harness = Harness::new(gather_limited(source, 0));
    for gate in &gates {
        assert_eq!(harness.run(), None);
        assert_eq!(live.now.get(), 1);
        gate.open();
    }
    assert_eq!(harness.run(), Some(vec![0, 10, 20, 30, 40]));
    assert_eq!(live.max.get(), 1);
}

/// Under tokio, `gather_limited(_, 2)`: four 10 ms sleeps beside a 50 ms head end at 50 ms.
#[test]
fn gather_limited_under_tokio_overlaps_the_slow_head() {
    on_paused_tokio(|| async {
        let millis = [50_u64, 10, 10, 10, 10];
        let start = Instant::now();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let finished_at = Arc::new(Mutex::new(Vec::new()));
        let outputs = gather_limited(
            millis.iter().enumerate().map(|(i, &ms)| {
                let (in_flight, most) = (in_flight.clone(), most.clone());
                let finished_at = finished_at.clone();
                async move {
                    most.fetch_max(in_flight.fetch_add(1, SeqCst) + 1, SeqCst);
                    sleep(Duration::from_millis(ms)).await;
                    in_flight.fetch_sub(1, SeqCst);
                    finished_at
                        .lock()
                        .unwrap()
                        .push((i, start.elapsed().as_millis()));
                    i
                }
            }),
            2,
        )
        .await;
        assert_eq!(start.elapsed(), Duration::from_millis(50));
        assert_eq!(outputs, [0, 1, 2, 3, 4]);
        assert_eq!(most.load(SeqCst), 2);
        assert_eq!(
            *finished_at.lock().unwrap(),
            [(1, 10), (2, 20), (3, 30), (4, 40), (0, 50)]
        );
    });
}

// ---------------------------------------------------------------------------------------------
// as_completed: completion order, with the input index.
// ---------------------------------------------------------------------------------------------

/// `as_completed` yields `(index, output)` in the order the test completes the futures.
#[test]
fn as_completed_yields_in_completion_order() {
    let gates = gates(5);
    let log = Log::default();
    let mut harness = Harness::new(as_completed(
        (0..5).map(|i| gated(i, gates[i].clone(), log.clone())),
    ));
    assert_eq!(harness.run_next(), None);
    assert_eq!(harness.inner.size_hint(), (5, Some(5)));
    for i in [3, 0] {
        gates[i].open();
        assert_eq!(harness.run_next(), Some(Some((i, i * 10))));
        assert_eq!(harness.run_next(), None);
    }
    gates[4].open();
    gates[1].open();
    assert_eq!(harness.run_next(), Some(Some((4, 40))));
    assert_eq!(harness.run_next(), Some(Some((1, 10))));
    assert_eq!(harness.run_next(), None);
    assert_eq!(harness.inner.size_hint(), (1, Some(1)));
    gates[2].open();
    assert_eq!(harness.run_next(), Some(Some((2, 20))));
    assert_eq!(harness.run_next(), Some(None));
    assert!(harness.inner.is_terminated());
    assert_eq!(*log.borrow(), [3, 0, 4, 1, 2]);
}

/// `as_completed_limited(_, 2)` yields in completion order, starting a future only in a free slot.
#[test]
fn as_completed_limited_yields_in_completion_order_and_pulls_lazily() {
    let gates = gates(5);
    let log = Log::default();
    let made = Rc::new(Cell::new(0));
    let source = (0..5).map(|i| {
        made.set(made.get() + 1);
        gated(i, gates[i].clone(), log.clone())
    });
    let mut harness = Harness::new(as_completed_limited(source, 2));
    assert_eq!(harness.run_next(), None);
    assert_eq!(made.get(), 2);
    gates[1].open();
    assert_eq!(harness.run_next(), Some(Some((1, 10))));
    assert_eq!(harness.run_next(), None);
    assert_eq!(made.get(), 3);
    gates[4].open(); // not started yet: nothing to wake
    assert!(!harness.woken());
    assert_eq!(harness.run_next(), None);
    gates[0].open();
    assert_eq!(harness.run_next(), Some(Some((0, 0))));
    assert_eq!(harness.run_next(), None);
    assert_eq!(made.get(), 4);
    gates[2].open();
    assert_eq!(harness.run_next(), Some(Some((2, 20))));
    // 4 starts in the freed slot and completes on its first poll.
    assert_eq!(harness.run_next(), Some(Some((4, 40))));
    assert_eq!(harness.run_next(), None);
    assert_eq!(made.get(), 5);
    gates[3].open();
    assert_eq!(harness.run_next(), Some(Some((3, 30))));
    assert_eq!(harness.run_next(), Some(None));
    assert_eq!(*log.borrow(), [1, 0, 2, 4, 3]);
    assert_eq!([0, 1, 2, 3, 4].map(|i| gates[i].polls()), [2, 2, 2, 2, 1]);
}

/// `as_completed_limited(_, 3)` over an endless input pulls only what it needs: 7 for 5 items.
#[test]
fn as_completed_limited_over_an_endless_input_pulls_lazily() {
    let made = Rc::new(Cell::new(0));
    let source = (0_usize..).map(|i| {
        made.set(made.get() + 1);
        ready(i * 2)
    });
    let mut harness = Harness::new(as_completed_limited(source, 3));
    let items: Vec<_> = (0..5)
        .map(|_| harness.run_next().flatten().unwrap())
        .collect();
    assert_eq!(items, [(0, 0), (1, 2), (2, 4), (3, 6), (4, 8)]);
    // 3 at the start, then one per freed slot before each of the next 4 items.
    assert_eq!(made.get(), 7);
    assert_eq!(harness.inner.size_hint(), (usize::MAX, None));
}

// ---------------------------------------------------------------------------------------------
// Dropping mid-way: every running future dropped exactly once, none started after.
// ---------------------------------------------------------------------------------------------

/// Builds `n` gated children holding a token of `futures`, whose outputs hold a token of
/// `outputs`.
fn token_children(
    gates: &[Gate],
    futures: &DropCounter,
    outputs: &DropCounter,
) -> Vec<impl Future<Output = (usize, DropToken)> + use<>> {
    gates
        .iter()
        .enumerate()
        .map(|(i, gate)| {
            let (gate, token, output) = (gate.clone(), futures.token(), outputs.token());
            async move {
                gate.wait().await;
                drop(token);
                (i, output)
            }
        })
        .collect()
}

/// Dropping `gather` with 3 of 10 done drops the 7 running futures and 3 stored outputs once.
#[test]
fn dropping_gather_midway_drops_each_future_once() {
    let gates = gates(10);
    let (futures, outputs) = (DropCounter::default(), DropCounter::default());
    let mut harness = Harness::new(gather(token_children(&gates, &futures, &outputs)));
    assert!(harness.run().is_none());
    for i in [4, 0, 9] {
        gates[i].open();
    }
    assert!(harness.run().is_none());
    assert_eq!((futures.drops(), outputs.drops()), (3, 0));
    drop(harness);
    assert_eq!((futures.drops(), outputs.drops()), (10, 10));
    assert!(gates.iter().all(|gate| gate.polls() <= 2));
}

/// Dropping `try_gather` mid-way drops every running future and stored value once.
#[test]
fn dropping_try_gather_midway_drops_each_future_once() {
    let gates = gates(6);
    let (futures, outputs) = (DropCounter::default(), DropCounter::default());
    let children = token_children(&gates, &futures, &outputs)
        .into_iter()
        .map(|child| async move { Ok::<_, ()>(child.await) });
    let mut harness = Harness::new(try_gather(children));
    assert!(harness.run().is_none());
    gates[2].open();
    assert!(harness.run().is_none());
    assert_eq!((futures.drops(), outputs.drops()), (1, 0));
    drop(harness);
    assert_eq!((futures.drops(), outputs.drops()), (6, 6));
}

/// Dropping `gather_limited` mid-way drops the running futures once and pulls no more.
#[test]
fn dropping_gather_limited_midway_starts_no_more() {
    let gates = gates(10);
    let drops = DropCounter::default();
    let (made, calls) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let source = (0..10).map(|i| {
        made.set(made.get() + 1);
        let (gate, token) = (gates[i].clone(), drops.token());
        async move {
            gate.wait().await;
            drop(token);
            i
        }
    });
    let mut harness = Harness::new(gather_limited(counting(source, calls.clone()), 3));
    assert_eq!(harness.run(), None);
    gates[1].open();
    assert_eq!(harness.run(), None);
    assert_eq!((made.get(), drops.drops()), (4, 1));
    drop(harness);
    assert_eq!((made.get(), calls.get(), drops.drops()), (4, 4, 4));
}

/// Dropping `as_completed`(`_limited`) after two items drops each future once, starts no more.
#[test]
fn dropping_as_completed_midway_drops_each_future_once() {
    let gates_all = gates(5);
    let (futures, outputs) = (DropCounter::default(), DropCounter::default());
    let mut harness = Harness::new(as_completed(token_children(&gates_all, &futures, &outputs)));
    assert!(harness.run_next().is_none());
    gates_all[3].open();
    gates_all[1].open();
    let first = harness.run_next().flatten().map(|(i, _)| i);
    let second = harness.run_next().flatten().map(|(i, _)| i);
    assert_eq!((first, second), (Some(3), Some(1)));
    assert_eq!((futures.drops(), outputs.drops()), (2, 2));
    drop(harness);
    assert_eq!((futures.drops(), outputs.drops()), (5, 5));

    let gates = gates(8);
    let drops = DropCounter::default();
    let made = Rc::new(Cell::new(0));
    let source = (0..8).map(|i| {
        made.set(made.get() + 1);
        let (gate, token) = (gates[i].clone(), drops.token());
        async move {
            gate.wait().await;
            drop(token);
            i
        }
    });
    let mut harness = Harness::new(as_completed_limited(source, 3));
    assert_eq!(harness.run_next(), None);
    gates[2].open();
    gates[0].open();
    assert_eq!(harness.run_next(), Some(Some((2, 2))));
    assert_eq!(harness.run_next(), Some(Some((0, 0))));
    assert_eq!(harness.run_next(), None);
    assert_eq!((made.get(), drops.drops()), (5, 2));
    drop(harness);
    assert_eq!((made.get(), drops.drops()), (5, 5));
}

// ---------------------------------------------------------------------------------------------
// Panics reach the poller with their payload.
// ---------------------------------------------------------------------------------------------

/// A child's panic reaches the caller of `Gather::poll` with its original non-string payload.
#[test]
fn a_panicking_child_of_gather_reaches_the_poller_with_its_payload() {
    // Dropping the gather afterwards drops every other future once.
    let gates = gates(4);
    let drops = DropCounter::default();
    let children = (0..4).map(|i| {
        let (gate, token) = (gates[i].clone(), drops.token());
        async move {
            gate.wait().await;
            if i == 2 {
                explode::<()>(Boom(7));
            }
            drop(token);
            i
        }
    });
    let mut harness = Harness::new(gather(children));
    assert_eq!(harness.run(), None);
    gates[0].open();
    gates[2].open();
    let payload = catch_unwind(AssertUnwindSafe(|| harness.run())).expect_err("no panic");
    assert_eq!(payload.downcast_ref::<Boom>(), Some(&Boom(7)));
    // Child 0 completed, child 2's token was dropped while it unwound.
    assert_eq!(drops.drops(), 2);
    drop(harness);
    assert_eq!(drops.drops(), 4);
}

/// A future that panics when first polled, holding `token` until it is dropped (a panic in
/// an `async` block would drop its locals while unwinding; this one keeps its token).
fn panics_when_polled(token: DropToken, boom: u32) -> future::BoxFuture<'static, u32> {
    let mut polls = 0;
    future::poll_fn(move |_| -> Poll<u32> {
        let _keep = &token;
        polls += 1;
        assert_eq!(polls, 1, "polled again after its panic");
        explode(Boom(boom))
    })
    .boxed()
}

/// `count` futures, each holding a token of `drops`; future `i` returns `i`, but future
/// `panicking` panics with `Boom(panicking)` when first polled.
fn children_one_panics(
    drops: &DropCounter,
    count: u32,
    panicking: u32,
) -> Vec<future::BoxFuture<'static, u32>> {
    (0..count)
        .map(|i| {
            let token = drops.token();
            if i == panicking {
                return panics_when_polled(token, i);
            }
            async move {
                drop(token);
                i
            }
            .boxed()
        })
        .collect()
}

/// Caught by its poller, a child's panic leaves `as_completed` (and its limited form, whose
/// freed slot starts the next input) without the child: it is dropped at once and never polled
/// again, and the other outputs come, then the end. A gather polled on after such a panic
/// completes the others and then panics: it has no output for that child.
#[test]
fn as_completed_goes_on_after_a_childs_panic_is_caught() {
    for limit in [None, Some(2)] {
        let drops = DropCounter::default();
        let children = children_one_panics(&drops, 5, 1);
        let mut stream = match limit {
            None => as_completed(children).boxed(),
            Some(limit) => as_completed_limited(children, limit).boxed(),
        };
        let mut panics = 0;
        let mut outputs = drain_catching_panics(&mut stream, |_, payload| {
            assert_eq!(payload.downcast_ref::<Boom>(), Some(&Boom(1)));
            panics += 1;
        });
        assert_eq!(panics, 1);
        outputs.sort_unstable();
        assert_eq!(outputs, [(0, 0), (2, 2), (3, 3), (4, 4)], "limit {limit:?}");
        assert_eq!(drops.drops(), 5);
    }

    let drops = DropCounter::default();
    let children = children_one_panics(&drops, 3, 0);
    let mut all = gather(children);
    let mut cx = Context::from_waker(Waker::noop());
    let first = catch_unwind(AssertUnwindSafe(|| Pin::new(&mut all).poll(&mut cx)));
    assert_eq!(
        first.expect_err("child 0 panics").downcast_ref::<Boom>(),
        Some(&Boom(0))
    );
    assert_eq!(
        drops.drops(),
        1,
        "the child that panicked is dropped at once"
    );
    let second = catch_unwind(AssertUnwindSafe(|| Pin::new(&mut all).poll(&mut cx)));
    let payload = second.expect_err("no output for child 0");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(
            &"an output is missing: its future panicked, and the gather was polled on after the \
              panic"
        )
    );
    assert_eq!(drops.drops(), 3);
}

/// Child panics in `as_completed`, `try_gather_limited`, `gather!`, `try_gather!` reach `block_on`.
#[test]
fn panics_in_children_reach_block_on_with_their_payloads() {
    // Each with its original payload (`&str`, `String`, `Boom`).
    fn payload_of<T>(run: impl FnOnce() -> T) -> Box<dyn std::any::Any + Send> {
        catch_unwind(AssertUnwindSafe(run)).err().expect("no panic")
    }
    let stream = as_completed((0..3).map(|i| async move {
        if i == 1 {
            panic!("child one failed");
        }
        i
    }));
    let payload = payload_of(|| block_on(stream.collect::<Vec<_>>()));
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"child one failed"));

    let limited = try_gather_limited(
        (0..6).map(|i| async move {
            if i == 4 {
                panic!("child {i} failed");
            }
            Ok::<_, ()>(i)
        }),
        2,
    );
    let payload = payload_of(|| block_on(limited));
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("child 4 failed")
    );

    let tuple = gather!(async { 1_u8 }, async { explode::<char>(Boom(3)) });
    let payload = payload_of(|| block_on(tuple));
    assert_eq!(payload.downcast_ref::<Boom>(), Some(&Boom(3)));

    let try_tuple = try_gather!(async { Ok::<_, ()>("a") }, async {
        explode::<Result<u64, ()>>(Boom(4))
    });
    let payload = payload_of(|| block_on(try_tuple));
    assert_eq!(payload.downcast_ref::<Boom>(), Some(&Boom(4)));
}

// ---------------------------------------------------------------------------------------------
// gather! and try_gather!: futures of different types.
// ---------------------------------------------------------------------------------------------

/// `gather!` over futures of four types resolves, after the last one, to their outputs' tuple.
#[test]
fn gather_macro_outputs_a_tuple_of_different_types() {
    let gates = gates(2);
    let log = Log::default();
    let mut harness = Harness::new(gather!(
        gated(0, gates[0].clone(), log.clone()),
        ready("two"),
        async { String::from("three") },
        gated(3, gates[1].clone(), log.clone()),
    ));
    assert_eq!(harness.run(), None);
    gates[1].open();
    assert_eq!(harness.run(), None);
    gates[0].open();
    assert_eq!(harness.run(), Some((0, "two", String::from("three"), 30)));
    assert_eq!(*log.borrow(), [3, 0]);
    assert!(harness.inner.is_terminated());
}

/// `gather!` takes twelve futures (the most) and keeps argument order.
#[test]
fn gather_macro_takes_twelve_futures() {
    let outputs = block_on(gather!(
        ready(0_u8),
        ready(1_u16),
        ready(2_u32),
        ready(3_u64),
        ready(4_usize),
        ready(5_i8),
        ready(6_i16),
        ready(7_i32),
        ready(8_i64),
        ready('9'),
        ready("10"),
        async { 11.0_f64 },
    ));
    assert_eq!(outputs, (0, 1, 2, 3, 4, 5, 6, 7, 8, '9', "10", 11.0));
}

/// `try_gather!`: the first `Err` to complete wins; other futures and stored `Ok`s dropped first.
#[test]
fn try_gather_macro_first_error_wins_and_drops_the_others() {
    let gates = gates(4);
    let drops = DropCounter::default();
    let (ok_token, value_token) = (drops.token(), drops.token());
    let (g0, g1, g2, g3) = (
        gates[0].clone(),
        gates[1].clone(),
        gates[2].clone(),
        gates[3].clone(),
    );
    let (b_token, c_token, d_token) = (drops.token(), drops.token(), drops.token());
    let mut harness = Harness::new(try_gather!(
        async move {
            g0.wait().await;
            drop(ok_token);
            Ok((1_u8, value_token))
        },
        async move {
            let _token = b_token;
            g1.wait().await;
            Err::<&str, _>("b failed")
        },
        async move {
            let _token = c_token;
            g2.wait().await;
            Err::<char, _>("c failed")
        },
        async move {
            let _token = d_token;
            g3.wait().await;
            Ok(String::from("never"))
        },
    ));
    assert!(harness.run().is_none());
    gates[0].open();
    assert!(harness.run().is_none());
    assert_eq!(
        drops.drops(),
        1,
        "only a's future token is gone; its value is stored"
    );
    gates[2].open();
    gates[1].open();
    let result = harness.run().expect("resolved");
    assert_eq!(result.map(|_| ()), Err("c failed"));
    assert_eq!(
        drops.drops(),
        5,
        "a's stored value, b and d were not dropped first"
    );
    assert_eq!((gates[1].polls(), gates[3].polls()), (1, 1));
    assert!(harness.inner.is_terminated());
}

/// `try_gather!` returns the last future's error (stored `Ok`s dropped first), or all `Ok`s.
#[test]
fn try_gather_macro_error_from_the_last_future() {
    let gate = Gate::default();
    let drops = DropCounter::default();
    let token = drops.token();
    let last = gate.clone();
    let mut harness = Harness::new(try_gather!(
        ready(Ok::<u8, String>(1)),
        async move { Ok(token) },
        async move {
            last.wait().await;
            Err::<(), _>(String::from("last failed"))
        },
    ));
    assert!(harness.run().is_none());
    assert_eq!(drops.drops(), 0);
    gate.open();
    let result = harness.run().expect("resolved");
    assert_eq!(drops.drops(), 1, "the stored Ok value outlived the error");
    assert_eq!(result.map(|_| ()), Err(String::from("last failed")));

    let immediate = block_on(try_gather!(
        async { Ok::<_, &str>(1_u8) },
        async { Ok("x") },
        async { Err::<char, _>("third") },
    ));
    assert_eq!(immediate, Err("third"));
    let all_ok = block_on(try_gather!(async { Ok::<_, &str>(1_u8) }, ready(Ok('x'))));
    assert_eq!(all_ok, Ok((1, 'x')));
}

/// Fourteen outputs, flat, of each future's own type.
type Fourteen = (
    usize,
    u8,
    usize,
    &'static str,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
    usize,
);

/// Past 12, `gather!` still resolves to one flat tuple, in argument order, after the last
/// future; each future is polled once at the start and then only when it woke.
#[test]
fn gather_macro_past_twelve_is_one_flat_tuple_and_polls_only_woken_futures() {
    let gates = gates(14);
    let log = Log::default();
    let g = |index: usize| gated(index, gates[index].clone(), log.clone());
    let mut harness = Harness::new(gather!(
        g(0),
        ready(1_u8),
        g(2),
        async { "three" },
        g(4),
        g(5),
        g(6),
        g(7),
        g(8),
        g(9),
        g(10),
        g(11),
        g(12),
        g(13),
    ));
    assert!(harness.run().is_none());
    assert!(
        gates
            .iter()
            .all(|gate| gate.polls() == 1 || gate.polls() == 0)
    );
    for index in [13, 4, 0, 12, 2, 5, 6, 7, 8, 9, 10] {
        gates[index].open();
        assert!(harness.run().is_none());
    }
    assert_eq!(gates[11].polls(), 1, "polled again without a wake-up");
    assert_eq!(gates[13].polls(), 2);
    gates[11].open();
    // The type says it.
    let outputs: Fourteen = harness.run().expect("resolved after the last gate");
    // (Tuples past 12 have no `PartialEq` or `Debug`: compared by parts.)
    let (a, b, c, d, e, f, g, h, i, j, k, l, m, n) = outputs;
    assert_eq!((a, b, c, d), (0, 1, 20, "three"));
    assert_eq!(
        [e, f, g, h, i, j, k, l, m, n],
        [40, 50, 60, 70, 80, 90, 100, 110, 120, 130]
    );
    assert_eq!(*log.borrow(), [13, 4, 0, 12, 2, 5, 6, 7, 8, 9, 10, 11]);
    assert!(harness.inner.is_terminated());
    assert!(
        harness.run().is_none(),
        "a fused gather is not resolved twice"
    );
}

/// Any number: 40 futures (a trailing comma too), still one flat tuple. Ports tokio's
/// `sync_one_lit_expr_comma` (`tests/macros_join.rs`: a trailing comma after the last one).
#[test]
fn gather_macro_takes_forty_futures_and_a_trailing_comma() {
    let outputs = block_on(gather!(
        ready(0),
        ready(1),
        ready(2),
        ready(3),
        ready(4),
        ready(5),
        ready(6),
        ready(7),
        ready(8),
        ready(9),
        ready(10),
        ready(11),
        ready(12),
        ready(13),
        ready(14),
        ready(15),
        ready(16),
        ready(17),
        ready(18),
        ready(19),
        ready(20),
        ready(21),
        ready(22),
        ready(23),
        ready(24),
        ready(25),
        ready(26),
        ready(27),
        ready(28),
        ready(29),
        ready(30),
        ready(31),
        ready(32),
        ready(33),
        ready(34),
        ready(35),
        ready(36),
        ready(37),
        ready(38),
        async { "last" },
    ));
    assert_eq!(outputs.0, 0);
    assert_eq!(outputs.12, 12);
    assert_eq!(outputs.38, 38);
    assert_eq!(outputs.39, "last");
    assert_eq!(block_on(gather!(async { 1 },)), (1,));
    assert_eq!(block_on(try_gather!(async { Ok::<_, ()>(1) },)), Ok((1,)));
}

/// Past 12, `try_gather!`'s first `Err` in completion order wins, after every other future
/// and every stored `Ok` value was dropped. Ports tokio's `err_abort_early`
/// (`tests/macros_try_join.rs`: one `Ok` in, then an `Err` while another still waits).
#[test]
fn try_gather_macro_past_twelve_first_error_wins_and_drops_the_others() {
    let gates = gates(13);
    let drops = DropCounter::default();
    let child = |index: usize, fails: bool| {
        let gate = gates[index].clone();
        let token = drops.token();
        async move {
            gate.wait().await;
            if fails {
                Err(format!("{index} failed"))
            } else {
                Ok(token)
            }
        }
    };
    let mut harness = Harness::new(try_gather!(
        child(0, false),
        child(1, false),
        child(2, false),
        child(3, false),
        child(4, false),
        child(5, false),
        child(6, false),
        child(7, false),
        child(8, false),
        child(9, true),
        child(10, false),
        child(11, true),
        async { Ok::<_, String>('m') },
    ));
    assert!(harness.run().is_none());
    gates[3].open();
    assert!(harness.run().is_none());
    assert_eq!(drops.drops(), 0, "3's Ok value is stored, not dropped");
    gates[11].open();
    gates[9].open();
    let result = harness.run().expect("resolved at the first error");
    assert_eq!(result.map(|_| ()), Err(String::from("11 failed")));
    assert_eq!(
        drops.drops(),
        12,
        "a future or a stored Ok value outlived the error"
    );
    assert_eq!(gates[9].polls(), 1, "9 was polled after 11 failed");
    assert!(harness.inner.is_terminated());

    let all_ok = block_on(try_gather!(
        ready(Ok::<_, ()>(0_u8)),
        ready(Ok(1_u16)),
        ready(Ok(2_u32)),
        ready(Ok(3_u64)),
        ready(Ok(4_usize)),
        ready(Ok(5_i8)),
        ready(Ok(6_i16)),
        ready(Ok(7_i32)),
        ready(Ok(8_i64)),
        ready(Ok('9')),
        ready(Ok("10")),
        ready(Ok(11.0_f64)),
        async { Ok(12_u128) },
    ));
    let (a, b, c, d, e, f, g, h, i, j, k, l, m) = all_ok.expect("all Ok");
    assert_eq!((a, b, c, d, e, f, g, h, i), (0, 1, 2, 3, 4, 5, 6, 7, 8));
    assert_eq!((j, k, l, m), ('9', "10", 11.0, 12));
}

/// A future of a `gather!` past 12 that panics: the payload reaches the poller, that future
/// is dropped at once, the others run on, and the gather then panics rather than resolve
/// without its output.
#[test]
fn a_panicking_future_of_a_gather_macro_past_twelve_is_dropped_and_the_rest_run() {
    let drops = DropCounter::default();
    let gate = Gate::default();
    let token = drops.token();
    let waiting = gate.clone();
    let mut harness = Harness::new(gather!(
        ready(0),
        ready(1),
        ready(2),
        ready(3),
        ready(4),
        ready(5),
        async move {
            let _token = token;
            explode::<u32>(Boom(6))
        },
        ready(7),
        ready(8),
        ready(9),
        ready(10),
        ready(11),
        async move {
            waiting.wait().await;
            12
        },
    ));
    let payload = catch_unwind(AssertUnwindSafe(|| harness.run().is_some())).expect_err("panicked");
    assert_eq!(payload.downcast_ref::<Boom>(), Some(&Boom(6)));
    assert_eq!(drops.drops(), 1, "the panicking future was kept");
    harness.flag.pending.store(true, SeqCst);
    assert!(harness.run().is_none(), "the last one still runs");
    gate.open();
    let missing = catch_unwind(AssertUnwindSafe(|| harness.run().is_some())).expect_err("panicked");
    assert!(
        missing
            .downcast_ref::<&str>()
            .is_some_and(|message| message.contains("an output is missing"))
    );
}

/// Zero futures resolve at the first poll: `gather!()` and `().gather()` to `()`,
/// `try_gather!()` to `Ok(())` of an error type the context chooses, `().try_gather()` to
/// `Ok::<(), Infallible>`. Ports tokio's `empty_join` and `empty_try_join`
/// (`tests/macros_join.rs`, `tests/macros_try_join.rs`) and futures-concurrency's `join_0`
/// (`src/future/join/tuple.rs`).
#[test]
fn gathers_of_nothing_resolve_at_once() {
    use asyncgen::{IntoGather, TryIntoGather};

    let mut harness = Harness::new(gather!());
    assert_eq!(harness.run(), Some(()));
    assert!(harness.inner.is_terminated());
    assert_eq!(block_on(().gather()), ());
    assert_eq!(block_on(try_gather!()) as Result<_, ()>, Ok(()));
    let inferred: Result<(), String> = block_on(try_gather!());
    assert_eq!(inferred, Ok(()));
    let never: Result<(), std::convert::Infallible> = block_on(().try_gather());
    assert_eq!(never, Ok(()));
    let mut fallible = Harness::new(try_gather!() as TryGatherTuple<_>);
    assert_eq!(fallible.run(), Some(Ok::<(), u8>(())));
    assert!(fallible.inner.is_terminated());
}

/// Dropped while one future still waits, a `gather!` or `try_gather!` past 12 drops every
/// future and every output already in, each once. Ports futures-concurrency's
/// `does_not_leak_memory` (`src/future/join/tuple.rs` and `src/future/try_join/tuple.rs`:
/// a tuple join of ready outputs and a `pending()` polled once, then dropped).
#[test]
fn dropping_a_gather_macro_past_twelve_midway_drops_each_future_and_output_once() {
    let drops = DropCounter::default();
    let t = || ready(drops.token());
    let mut harness = Harness::new(gather!(
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        future::pending::<DropToken>(),
    ));
    assert!(harness.run().is_none());
    assert_eq!(
        drops.drops(),
        0,
        "an output in was dropped before the gather"
    );
    drop(harness);
    assert_eq!(drops.drops(), 12);

    let drops = DropCounter::default();
    let t = || ready(Ok::<_, ()>(drops.token()));
    let waiting = drops.token();
    let mut harness = Harness::new(try_gather!(
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        t(),
        async move {
            let _token = waiting;
            future::pending::<Result<(), ()>>().await
        },
    ));
    assert!(harness.run().is_none());
    assert_eq!(drops.drops(), 0);
    drop(harness);
    assert_eq!(drops.drops(), 13, "a future or an Ok value was not dropped");
}

/// `gather!` past 12 is `Send` exactly when its futures are (the closures it is built with
/// capture nothing).
#[test]
fn gather_macro_past_twelve_is_send_with_send_futures() {
    let local = String::from("borrowed");
    let borrowed = &local;
    let sent = require_send(gather!(
        ready(0),
        ready(1),
        ready(2),
        ready(3),
        ready(4),
        ready(5),
        ready(6),
        ready(7),
        ready(8),
        ready(9),
        ready(10),
        ready(11),
        async move { borrowed.len() },
    ));
    assert_eq!(block_on(sent).12, 8);
    let try_sent = require_send(try_gather!(
        ready(Ok::<_, ()>(0)),
        ready(Ok(1)),
        ready(Ok(2)),
        ready(Ok(3)),
        ready(Ok(4)),
        ready(Ok(5)),
        ready(Ok(6)),
        ready(Ok(7)),
        ready(Ok(8)),
        ready(Ok(9)),
        ready(Ok(10)),
        ready(Ok(11)),
        async move { Ok(borrowed.len()) },
    ));
    assert_eq!(block_on(try_sent).map(|outputs| outputs.12), Ok(8));
}

// ---------------------------------------------------------------------------------------------
// Auto traits.
// ---------------------------------------------------------------------------------------------

/// Compile-time check that a value is `Send`.
fn require_send<T: Send>(value: T) -> T {
    value
}

/// `Probe::of(&value)` then `(&probe).is_send()`: `true` if the value's type is `Send`, else
/// `false`, on stable (autoref specialization: the `Send` impl matches without an autoref).
struct Probe<T>(PhantomData<T>);

impl<T> Probe<T> {
    fn of(_: &T) -> Self {
        Probe(PhantomData)
    }
}

trait ProbeSend {
    fn is_send(&self) -> bool {
        true
    }
}

impl<T: Send> ProbeSend for Probe<T> {}

trait ProbeAny {
    fn is_send(&self) -> bool {
        false
    }
}

impl<T> ProbeAny for &Probe<T> {}

macro_rules! is_send {
    ($value:expr) => {
        (&Probe::of(&$value)).is_send()
    };
}

/// All five combinators are `Send` with `Send` futures borrowing locals, and run on another thread.
#[test]
fn combinators_are_send_with_send_futures_borrowing_locals() {
    let names = [
        String::from("ada"),
        String::from("grace"),
        String::from("linus"),
    ];
    let lengths: Gather<_> = require_send(gather(names.iter().map(|n| async move { n.len() })));
    let doubled: Gather<_> = require_send(gather_limited(
        names.iter().map(|n| async move { n.len() * 2 }),
        2,
    ));
    let firsts: TryGather<_> = require_send(try_gather(
        names
            .iter()
            .map(|n| async move { n.chars().next().ok_or("empty name") }),
    ));
    let done: AsCompleted<_> = require_send(as_completed_limited(
        names.iter().map(|n| async move { n.as_str() }),
        1,
    ));
    let tuple: GatherTuple<_> = require_send(gather!(async { names[0].len() }, async {
        names[1].as_str()
    }));
    let try_tuple: TryGatherTuple<_> = require_send(try_gather!(
        async { Ok::<_, ()>(names[2].as_str()) },
        ready(Ok(1_u8)),
    ));
    let outputs = std::thread::scope(|scope| {
        scope
            .spawn(move || {
                block_on(async {
                    (
                        lengths.await,
                        doubled.await,
                        firsts.await,
                        done.collect::<Vec<_>>().await,
                        tuple.await,
                        try_tuple.await,
                    )
                })
            })
            .join()
            .unwrap()
    });
    assert_eq!(
        outputs,
        (
            vec![3, 5, 5],
            vec![6, 10, 10],
            Ok(vec!['a', 'g', 'l']),
            vec![(0, "ada"), (1, "grace"), (2, "linus")],
            (3, "grace"),
            Ok(("linus", 1)),
        )
    );
}

/// With an `Rc` in a child no combinator is `Send`; with an `Arc` all are (`is_send!` probe).
#[test]
fn combinators_are_not_send_with_an_rc_inside() {
    // Concrete future types: an async block's auto traits are not known yet inside the function
    // that defines it, so the probe would fail to compile on one.
    let rc = || ready(Rc::new(1_u8));
    let rc_ok = || ready(Ok::<_, ()>(Rc::new(1_u8)));
    assert!(!is_send!(gather([rc()])));
    assert!(!is_send!(gather_limited([rc()], 1)));
    assert!(!is_send!(try_gather([rc_ok()])));
    assert!(!is_send!(try_gather_limited([rc_ok()], 1)));
    assert!(!is_send!(as_completed([rc()])));
    assert!(!is_send!(as_completed_limited([rc()], 1)));
    assert!(!is_send!(gather!(rc(), ready(1))));
    assert!(!is_send!(try_gather!(rc_ok(), ready(Ok(2)))));

    let arc = || ready(Arc::new(1_u8));
    let arc_ok = || ready(Ok::<_, ()>(Arc::new(1_u8)));
    assert!(is_send!(gather([arc()])));
    assert!(is_send!(gather_limited([arc()], 1)));
    assert!(is_send!(try_gather([arc_ok()])));
    assert!(is_send!(try_gather_limited([arc_ok()], 1)));
    assert!(is_send!(as_completed([arc()])));
    assert!(is_send!(as_completed_limited([arc()], 1)));
    assert!(is_send!(gather!(arc(), ready(1))));
    assert!(is_send!(try_gather!(arc_ok(), ready(Ok(2)))));
}

// ---------------------------------------------------------------------------------------------
// Runtimes: futures' block_on, and tokio with wakes from other threads.
// ---------------------------------------------------------------------------------------------

/// Under a thread-parking executor (`support::block_on_with_threads`: the loop of
/// `futures::executor::block_on`, failing on a lost wake-up instead of waiting forever), 300
/// futures woken from another thread gather in order; `futures::executor::block_on` runs the
/// other forms.
#[test]
fn works_under_futures_block_on_with_wakes_from_another_thread() {
    // `try_gather`, `as_completed` and `gather!` work there too.
    let outputs = {
        let (senders, receivers): (Vec<_>, Vec<_>) = (0..300)
            .map(|_| futures::channel::oneshot::channel::<usize>())
            .unzip();
        let mut order: Vec<usize> = (0..300).collect();
        fastrand::Rng::with_seed(7).shuffle(&mut order);
        let mut senders: Vec<_> = senders.into_iter().map(Some).collect();
        let sender_thread = std::thread::spawn(move || {
            for (n, i) in order.into_iter().enumerate() {
                senders[i].take().unwrap().send(i * 2).unwrap();
                if n % 16 == 0 {
                    std::thread::sleep(Duration::from_micros(200));
                }
            }
        });
        block_on_with_threads(
            vec![sender_thread],
            gather(
                receivers
                    .into_iter()
                    .map(|receiver| async move { receiver.await.unwrap() }),
            ),
        )
    };
    assert_eq!(outputs, (0..300).map(|i| i * 2).collect::<Vec<_>>());

    assert_eq!(
        block_on(try_gather(
            ["1", "2", "3"].map(|s| async move { s.parse::<u8>() })
        )),
        Ok(vec![1, 2, 3])
    );
    // All ready at once: the first started (input order) is the first to complete.
    let first_error = block_on(try_gather([
        ready(Ok(1)),
        ready(Err("first")),
        ready(Err("second")),
    ]));
    assert_eq!(first_error, Err("first"));
    let mut done =
        block_on(as_completed((0..40).map(|i| async move { i + 1 })).collect::<Vec<_>>());
    done.sort();
    assert_eq!(done, (0..40).map(|i| (i, i + 1)).collect::<Vec<_>>());
    assert_eq!(block_on(gather!(async { 'a' }, ready(2_u8))), ('a', 2));
}

/// On tokio's multi-thread runtime a spawned `gather` keeps input order; a child panic its payload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_spawned_on_tokio_multi_thread() {
    let count = iterations(500, 20);
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..count)
        .map(|_| tokio::sync::oneshot::channel::<usize>())
        .unzip();
    let gathered = tokio::spawn(gather(
        receivers
            .into_iter()
            .map(|receiver| async move { receiver.await.unwrap() }),
    ));
    for (i, sender) in senders.into_iter().enumerate().rev() {
        tokio::spawn(async move {
            tokio::task::yield_now().await;
            sender.send(i + 1).unwrap();
        });
    }
    // No real-time limit: a lost wake-up hangs here, and a hang fails the run (cargo test's
    // "has been running for over 60 seconds", CI's time limit) without a timer racing the
    // workers on a loaded machine.
    let outputs = gathered.await.unwrap();
    assert_eq!(outputs, (1..=count).collect::<Vec<_>>());

    let panicked = tokio::spawn(gather!(async { 1 }, async {
        tokio::task::yield_now().await;
        explode::<i32>(Boom(9))
    }))
    .await
    .expect_err("the child's panic was lost");
    let payload = panicked.into_panic();
    assert_eq!(payload.downcast_ref::<Boom>(), Some(&Boom(9)));
}

/// A limit far beyond the input (`usize::MAX`: "no limit") costs only what the input needs:
/// the slots are capped by the input's upper bound.
#[test]
fn limits_beyond_the_input_cost_nothing_extra() {
    let futures = || (0..3).map(|i| async move { i });
    assert_eq!(block_on(gather_limited(futures(), usize::MAX)), [0, 1, 2]);
    let ok = block_on(try_gather_limited(
        futures().map(|f| async move { Ok::<_, ()>(f.await) }),
        usize::MAX,
    ));
    assert_eq!(ok, Ok(vec![0, 1, 2]));
    let mut done: Vec<(usize, i32)> =
        block_on(as_completed_limited(futures(), usize::MAX).collect());
    done.sort();
    assert_eq!(done, [(0, 0), (1, 1), (2, 2)]);
}

/// An input whose size hint claims it is empty (or shorter than it is) loses nothing: the
/// `_limited` forms pull it until it returns `None`, only the hint of the `Vec` that
/// `gather` collects is trusted to end early.
#[test]
fn a_lying_size_hint_loses_no_future() {
    struct Lying<I>(I);
    impl<I: Iterator> Iterator for Lying<I> {
        type Item = I::Item;
        fn next(&mut self) -> Option<I::Item> {
            self.0.next()
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (0, Some(0))
        }
    }
    let futures = || Lying((0..5).map(|i| async move { i }));
    for limit in [1, 2, 10] {
        assert_eq!(block_on(gather_limited(futures(), limit)), [0, 1, 2, 3, 4]);
        let mut done: Vec<(usize, i32)> =
            block_on(as_completed_limited(futures(), limit).collect());
        done.sort();
        assert_eq!(done.len(), 5, "limit {limit}");
    }
    assert_eq!(block_on(gather(futures())), [0, 1, 2, 3, 4]);
}

/// The outputs already in when a gather is dropped (or a `try_gather` fails) are dropped once
/// each, and only those: the output buffer keeps no `Option` per output, so this is its
/// bookkeeping at work (Miri checks the frees and leaks).
#[test]
fn outputs_already_in_are_dropped_once_when_the_gather_is_dropped_or_fails() {
    for n in [3usize, 40, 130] {
        let drops = DropCounter::default();
        let tokens = |i: usize| {
            let token = drops.token();
            async move {
                if i % 3 == 0 {
                    std::future::pending::<()>().await;
                }
                token
            }
        };
        let mut gathered = Box::pin(asyncgen::gather((0..n).map(tokens)));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(gathered.as_mut().poll(&mut cx).is_pending());
        assert_eq!(
            drops.drops(),
            0,
            "gather of {n}: outputs kept until the end"
        );
        // The outputs in (two thirds) and the futures still running (holding the rest).
        drop(gathered);
        assert_eq!(drops.drops(), n, "gather of {n}: each token once");

        let drops = DropCounter::default();
        let results = |i: usize| {
            let token = drops.token();
            async move {
                if i + 1 == n {
                    // Fails last, after the others are in: `Pending` once, woken at once.
                    let mut yielded = false;
                    std::future::poll_fn(|cx| {
                        if std::mem::replace(&mut yielded, true) {
                            return Poll::Ready(());
                        }
                        cx.waker().wake_by_ref();
                        Poll::Pending
                    })
                    .await;
                    return Err(token);
                }
                Ok(token)
            }
        };
        let failed = block_on(asyncgen::try_gather((0..n).map(results)));
        assert!(failed.is_err());
        assert_eq!(
            drops.drops(),
            n - 1,
            "try_gather of {n}: the values in, once each"
        );
        drop(failed);
        assert_eq!(drops.drops(), n);
    }
}

/// Zero-sized outputs come back as a `Vec` of the right length (the output buffer of a
/// zero-sized type has no memory of its own), from `gather`, `try_gather` and
/// `gather_limited`.
#[test]
fn zero_sized_outputs() {
    for n in [0usize, 1, 100] {
        assert_eq!(
            block_on(asyncgen::gather((0..n).map(|_| async {}))).len(),
            n
        );
        let all = block_on(asyncgen::try_gather(
            (0..n).map(|_| async { Ok::<(), ()>(()) }),
        ));
        assert_eq!(all.map(|units| units.len()), Ok(n));
        let limited = block_on(asyncgen::gather_limited((0..n).map(|_| async {}), 3));
        assert_eq!(limited.len(), n);
    }
}
