//! Generators under `embassy-executor` (`platform-std`, `executor-thread`): bodies that await
//! `embassy_time::Timer`, whose timer queue finds the task from the waker it is polled with.
//! A yield mechanism that wraps the caller's waker panics here ("Found waker not created by
//! the Embassy executor"): the body's futures must see the executor's own waker. No test
//! asserts a time: each only checks what arrives, in which order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use asyncgen::{async_gen, merge, yield_, yield_all};
use embassy_executor::{Executor, SpawnToken};
use embassy_time::{Duration, Timer};
use futures::StreamExt;

/// `0..n`, a timer before each.
#[async_gen]
async fn ticks(n: u32) -> u32 {
    for i in 0..n {
        Timer::after(Duration::from_millis(1)).await;
        yield_!(i);
    }
}

/// `ticks`, delegated to and then added to, with a timer between.
#[async_gen]
async fn ticks_then_done(n: u32) -> u32 {
    yield_all!(ticks(n));
    Timer::after(Duration::from_millis(1)).await;
    yield_!(u32::MAX);
}

/// Runs `task` on a new embassy executor until `done` is set.
fn run(task: SpawnToken<impl Sized>, done: &'static AtomicBool) {
    let executor: &'static mut Executor = Box::leak(Box::new(Executor::new()));
    executor.run_until(
        |spawner| spawner.spawn(task),
        || done.load(Ordering::SeqCst),
    );
}

static TIMERS_DONE: AtomicBool = AtomicBool::new(false);
static TIMERS_SEEN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

#[embassy_executor::task]
async fn consume_ticks() {
    let mut stream = core::pin::pin!(ticks_then_done(3));
    while let Some(tick) = stream.next().await {
        TIMERS_SEEN.lock().unwrap().push(tick);
    }
    TIMERS_DONE.store(true, Ordering::SeqCst);
}

#[test]
fn a_body_awaiting_embassy_timers_yields_every_item() {
    run(consume_ticks().unwrap(), &TIMERS_DONE);
    assert_eq!(*TIMERS_SEEN.lock().unwrap(), [0, 1, 2, u32::MAX]);
}

static MERGE_DONE: AtomicBool = AtomicBool::new(false);
static MERGE_SEEN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

#[embassy_executor::task]
async fn consume_merged() {
    let merged = merge!(ticks(3), ticks_then_done(2));
    let mut merged = core::pin::pin!(merged);
    while let Some(tick) = merged.next().await {
        MERGE_SEEN.lock().unwrap().push(tick);
    }
    MERGE_DONE.store(true, Ordering::SeqCst);
}

#[test]
fn merged_generators_awaiting_embassy_timers_yield_every_item() {
    run(consume_merged().unwrap(), &MERGE_DONE);
    let mut seen = MERGE_SEEN.lock().unwrap().clone();
    seen.sort_unstable();
    assert_eq!(seen, [0, 0, 1, 1, 2, u32::MAX]);
}
