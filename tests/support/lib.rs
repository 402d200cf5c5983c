//! Helpers shared by the integration tests, the benches and the examples.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use futures_core::Stream;

mod counting_allocator;
pub use counting_allocator::{CountingAllocator, allocations_on_this_thread};

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

/// Runs `test` on its own thread and fails if it takes longer than `seconds`: a hang in a
/// test of wake-ups becomes a failure instead of a stuck test run.
///
/// # Panics
/// If `test` panics or times out.
pub fn within_seconds<R: Send + 'static>(
    seconds: u64,
    test: impl FnOnce() -> R + Send + 'static,
) -> R {
    // Miri runs the same code two to three orders of magnitude slower.
    let seconds = if cfg!(miri) { seconds * 30 } else { seconds };
    let (sender, receiver) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = sender.send(test());
    });
    match receiver.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(worker.join().expect_err("the test thread panicked"))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("timed out after {seconds} s: hang")
        }
    }
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
