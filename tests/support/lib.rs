//! Helpers shared by the integration tests, the benches and the examples.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use futures_core::Stream;

mod counting_allocator;
pub use counting_allocator::{
    CountingAllocator, allocations_on_this_thread, live_allocations_on_this_thread,
};

/// Polls `stream` once with a waker that does nothing.
pub fn poll_once<S: Stream + ?Sized>(stream: Pin<&mut S>) -> Poll<Option<S::Item>> {
    stream.poll_next(&mut Context::from_waker(Waker::noop()))
}

/// Drains a stream whose body never waits on anything but its own yields, without an executor.
///
/// # Panics
/// If the stream returns `Pending`: it awaited something this helper cannot drive.
pub fn drain_ready<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    loop {
        match poll_once(stream.as_mut()) {
            Poll::Ready(Some(item)) => items.push(item),
            Poll::Ready(None) => return items,
            Poll::Pending => panic!("drain_ready: the stream is waiting on something"),
        }
    }
}

/// Polls `stream` (a helper whose children are always ready) to its end, catching each panic
/// and handing its payload, with the stream, to `on_panic`; the items, in order.
///
/// # Panics
/// If `stream` returns `Pending`.
pub fn drain_catching_panics<S: Stream + Unpin>(
    stream: &mut S,
    mut on_panic: impl FnMut(&S, Box<dyn std::any::Any + Send>),
) -> Vec<S::Item> {
    let mut items = Vec::new();
    loop {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            poll_once(Pin::new(&mut *stream))
        })) {
            Err(payload) => on_panic(stream, payload),
            Ok(Poll::Ready(Some(item))) => items.push(item),
            Ok(Poll::Ready(None)) => return items,
            Ok(Poll::Pending) => panic!("always-ready children"),
        }
    }
}

/// `Pending` `times` times, waking its task each time: a future that makes its caller go
/// round the executor without any timer or other task.
pub async fn pending_times(times: usize) {
    let mut left = times;
    std::future::poll_fn(|cx| {
        if left == 0 {
            Poll::Ready(())
        } else {
            left -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// A waker that counts its wakes. Arc-based: cloning and waking it allocate nothing.
#[derive(Debug, Default)]
pub struct WakeCounter(AtomicUsize);

impl WakeCounter {
    /// How many times it was woken so far.
    pub fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl std::task::Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A fresh [`WakeCounter`] and a waker that wakes it.
pub fn counting_waker() -> (Arc<WakeCounter>, Waker) {
    let counter = Arc::new(WakeCounter::default());
    (counter.clone(), Waker::from(counter))
}

/// Counts how many times values made from it were dropped.
#[derive(Clone, Debug, Default)]
pub struct DropCounter(Arc<AtomicUsize>);

impl DropCounter {
    /// A value whose drop increments this counter.
    pub fn token(&self) -> DropToken {
        DropToken(self.0.clone())
    }

    /// How many tokens were dropped so far.
    pub fn drops(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Increments its [`DropCounter`] when dropped.
#[derive(Debug)]
pub struct DropToken(Arc<AtomicUsize>);

impl Drop for DropToken {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// How many polls [`SelfWoken`] and [`PollLimited`] allow before they call it a livelock: far
/// more than any test here needs, reached in about a second when something spins.
pub const MAX_POLLS: usize = 1_000_000;

/// The future of a test whose every wake-up comes from inside its own polls (self-waking
/// `Pending`s, yields, its own sub-futures; no timer, no other thread), checked
/// deterministically instead of with a time limit: a poll that returns `Pending` without a
/// wake-up is a lost wake-up (an executor would wait forever), and more than [`MAX_POLLS`]
/// polls a livelock. Either panics. Runs under any executor (its waker forwards to the
/// executor's).
pub fn self_woken<F: Future>(future: F) -> SelfWoken<F> {
    let wakes = Arc::new(ForwardingWaker::default());
    SelfWoken {
        future: Box::pin(future),
        polls: 0,
        waker: Waker::from(wakes.clone()),
        wakes,
    }
}

/// See [`self_woken`].
#[derive(Debug)]
pub struct SelfWoken<F> {
    future: Pin<Box<F>>,
    polls: usize,
    wakes: Arc<ForwardingWaker>,
    waker: Waker,
}

/// Counts its wakes and passes them on to the executor's waker of the latest poll.
#[derive(Debug, Default)]
struct ForwardingWaker {
    wakes: AtomicUsize,
    outer: std::sync::Mutex<Option<Waker>>,
}

impl std::task::Wake for ForwardingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        if let Some(outer) = &*self.outer.lock().unwrap() {
            outer.wake_by_ref();
        }
    }
}

impl<F: Future> Future for SelfWoken<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.polls += 1;
        assert!(
            this.polls <= MAX_POLLS,
            "no end after {MAX_POLLS} polls: a livelock"
        );
        {
            let mut outer = this.wakes.outer.lock().unwrap();
            if !outer
                .as_ref()
                .is_some_and(|outer| outer.will_wake(cx.waker()))
            {
                *outer = Some(cx.waker().clone());
            }
        }
        let wakes = this.wakes.wakes.load(Ordering::SeqCst);
        let poll = this
            .future
            .as_mut()
            .poll(&mut Context::from_waker(&this.waker));
        assert!(
            poll.is_ready() || this.wakes.wakes.load(Ordering::SeqCst) != wakes,
            "poll {} returned `Pending` without a wake-up: a lost wake-up (an executor would \
             wait forever)",
            this.polls
        );
        poll
    }
}

/// Runs a future whose wake-ups all come from inside its own polls to its end on this
/// thread, failing on a lost wake-up or a livelock ([`self_woken`]) instead of hanging.
pub fn block_on_self_woken<F: Future>(future: F) -> F::Output {
    let mut future = self_woken(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        // `self_woken` panics on a `Pending` nothing woke: polling again at once is what a
        // woken executor does.
        if let Poll::Ready(output) = Pin::new(&mut future).poll(&mut cx) {
            return output;
        }
    }
}

/// Collects a stream whose wake-ups all come from inside its own polls, failing on a lost
/// wake-up or a livelock ([`self_woken`]) instead of hanging.
pub fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    block_on_self_woken(std::future::poll_fn(|cx| {
        loop {
            match stream.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => items.push(item),
                Poll::Ready(None) => return Poll::Ready(()),
                Poll::Pending => return Poll::Pending,
            }
        }
    }));
    items
}

/// A future that panics past [`MAX_POLLS`] polls: a livelock fails instead of hanging, where
/// wake-ups may come from outside (timers, other threads), so [`self_woken`] does not apply.
pub fn poll_limited<F: Future>(future: F) -> PollLimited<F> {
    PollLimited {
        future: Box::pin(future),
        polls: 0,
    }
}

/// See [`poll_limited`].
#[derive(Debug)]
pub struct PollLimited<F> {
    future: Pin<Box<F>>,
    polls: usize,
}

impl<F: Future> Future for PollLimited<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls += 1;
        assert!(
            self.polls <= MAX_POLLS,
            "no end after {MAX_POLLS} polls: a livelock"
        );
        self.future.as_mut().poll(cx)
    }
}

/// Runs `future` on this thread while `threads` (its only source of wake-ups besides its own
/// polls) run, without a time limit yet without hanging on a lost wake-up: once every thread
/// has ended (joined, so each wake-up it made is seen), a `Pending` that nothing woke is a
/// lost wake-up, and fails. Joins the threads, re-raising a thread's panic.
pub fn block_on_with_threads<F: Future>(
    threads: Vec<std::thread::JoinHandle<()>>,
    future: F,
) -> F::Output {
    struct Unpark {
        woken: std::sync::atomic::AtomicBool,
        thread: std::thread::Thread,
    }
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.woken.store(true, Ordering::SeqCst);
            self.thread.unpark();
        }
    }
    let unpark = Arc::new(Unpark {
        woken: std::sync::atomic::AtomicBool::new(false),
        thread: std::thread::current(),
    });
    let waker = Waker::from(unpark.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = poll_limited(future);
    let mut threads = Some(threads);
    let join = |threads: Vec<std::thread::JoinHandle<()>>| {
        for thread in threads {
            if let Err(panic) = thread.join() {
                std::panic::resume_unwind(panic);
            }
        }
    };
    loop {
        if let Poll::Ready(output) = Pin::new(&mut future).poll(&mut cx) {
            join(threads.take().unwrap_or_default());
            return output;
        }
        loop {
            if unpark.woken.swap(false, Ordering::SeqCst) {
                break;
            }
            match threads.take() {
                Some(running) if running.iter().all(std::thread::JoinHandle::is_finished) => {
                    join(running);
                }
                Some(running) => {
                    threads = Some(running);
                    // The threads do not unpark this one when they end: look again soon. (How
                    // soon changes nothing but how long a failing run takes to say so.)
                    std::thread::park_timeout(std::time::Duration::from_millis(1));
                    continue;
                }
                None => {}
            }
            assert!(
                unpark.woken.swap(false, Ordering::SeqCst),
                "`Pending`, every other thread has ended, and nothing woke the future: a lost \
                 wake-up (an executor would wait forever)"
            );
            break;
        }
    }
}

/// Asserts `T: Send` at compile time, passing the value through.
pub fn assert_send<T: Send>(value: T) -> T {
    value
}

/// `normal` iterations, or `under_miri` when the tests run under Miri, where thousands of
/// seeded runs would take hours: the same properties, checked on fewer cases.
pub fn iterations(normal: usize, under_miri: usize) -> usize {
    if cfg!(miri) { under_miri } else { normal }
}

/// How the examples scale the lesson's sleeps: 1.0, or 0.01 with `--fast` on the command line
/// or `ASYNCGEN_FAST=1` in the environment (CI runs them so).
pub fn time_scale() -> f64 {
    let fast = std::env::args().any(|arg| arg == "--fast")
        || std::env::var_os("ASYNCGEN_FAST").is_some_and(|v| v != "0");
    if fast { 0.01 } else { 1.0 }
}

/// The lesson's `await asyncio.sleep(seconds)`, scaled by [`time_scale`].
pub async fn sleep(seconds: f64) {
    tokio::time::sleep(std::time::Duration::from_secs_f64(seconds * time_scale())).await;
}

/// Wall-clock seconds since `start`, as measured: with `--fast` the examples print real time,
/// 100x shorter, not the lesson's seconds. Scaling a measurement back up would also multiply
/// the timer's and the scheduler's fixed costs by 100, and print times no run took.
pub fn seconds_since(start: std::time::Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// The README's code blocks, compiled as doc tests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;
