//! Concurrency inside a generator body: `yield_!` in the arms of `tokio::select!` and
//! `futures::select!`, sub-futures in a `FuturesUnordered` owned by the body, and sub-futures
//! that yield in the same poll.
//!
//! What is allowed, and in which order items come:
//!
//! - `yield_!` in a `select!` arm's handler (the code after `=>`) runs in the body itself: each
//!   item is delivered, in the order the handlers run. With `biased;` that is the order of the
//!   branches among those ready; without it, a random pick among the ready branches, each
//!   source's items staying in order. A `select!` runs one handler per call: a branch that was
//!   ready but not picked keeps its future (if it is polled by `&mut`, or is a stream's
//!   `next()`) and is picked on a later call, so nothing is lost.
//! - `yield_!` inside a branch's future (an `async` block in `select!` or `join!`) is a compile
//!   error saying that a nested `async` block cannot suspend the generator
//!   (`tests/ui/yield/yield-in-async-block-in-select.rs`,
//!   `tests/ui/yield/yield-in-two-join-branches.rs`).
//!   Through the raw handle two `join!` branches cannot both hold it mutably
//!   (`tests/ui/handle/yield-handle-in-two-join-branches.rs`), so two sub-futures never yield at
//!   once. Shared through an async mutex they take turns: every item is delivered, each
//!   sub-future's in order, a sub-future keeping the mutex for as long as it yields without
//!   waiting for anything else.
//! - Sub-futures in a `FuturesUnordered` compute; the body yields their results in the order
//!   `FuturesUnordered` completes them. Two that complete in the same round are both
//!   delivered, one per call of `next()`.
//!
//! No timers: these tests run under Miri.

use std::pin::pin;
use std::task::Poll;

use asyncgen::__private::async_gen as raw_async_gen;
use asyncgen::{async_gen, yield_};
use futures::lock::Mutex;
use futures::stream::{FuturesUnordered, Stream, StreamExt};
use support::{collect, drain_ready, iterations, pending_times, self_woken};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `value` after `waits` self-waking `Pending`s.
async fn after<T>(waits: usize, value: T) -> T {
    pending_times(waits).await;
    value
}

/// Yields `name0, name1, ..` (`count` items), waiting `waits` times before each.
#[async_gen]
async fn source(name: &'static str, count: usize, waits: usize) -> String {
    for i in 0..count {
        pending_times(waits).await;
        yield_!(format!("{name}{i}"));
    }
}

/// The items of `items` that start with `prefix`, in order.
fn from_source(items: &[String], prefix: &str) -> Vec<String> {
    items
        .iter()
        .filter(|item| item.starts_with(prefix))
        .cloned()
        .collect()
}

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// `yield_!` in `select!` arms
// ---------------------------------------------------------------------------------------------

/// Two branches ready on the first poll; the handlers yield (the first one twice).
#[async_gen]
async fn biased_select_of_two_ready_branches(waits: usize) -> &'static str {
    let mut left = pin!(after(waits, "left"));
    let mut right = pin!(after(waits, "right"));
    let (mut left_done, mut right_done) = (false, false);
    loop {
        tokio::select! {
            biased;
            value = &mut left, if !left_done => {
                left_done = true;
                yield_!(value);
                yield_!("left again");
            }
            value = &mut right, if !right_done => {
                right_done = true;
                yield_!(value);
            }
            else => break,
        }
    }
    yield_!("end");
}

#[test]
fn yield_in_biased_tokio_select_arms_delivers_both_ready_branches_in_branch_order() {
    let (ready, waiting) = (
        drain_ready(biased_select_of_two_ready_branches(0)),
        collect(biased_select_of_two_ready_branches(2)),
    );
    assert_eq!(ready, ["left", "left again", "right", "end"]);
    assert_eq!(waiting, ["left", "left again", "right", "end"]);
}

/// Unbiased `tokio::select!` over two generators' `next()`.
#[async_gen]
async fn tokio_select_of_two_sources(waits: [usize; 2]) -> String {
    let mut left = pin!(source("a", 5, waits[0]));
    let mut right = pin!(source("b", 5, waits[1]));
    loop {
        tokio::select! {
            Some(item) = left.next() => yield_!(item),
            Some(item) = right.next() => {
                // Two yields from one handler, the second after a wait.
                yield_!(item.clone());
                pending_times(1).await;
                yield_!(format!("{item}'"));
            }
            else => break,
        }
    }
}

#[test]
fn yield_in_tokio_select_arms_delivers_every_item_of_both_sources_in_order() {
    let runs = iterations(20, 3);
    let runtime = current_thread_runtime();
    for run in 0..runs {
        let waits = [run % 3, (run / 3) % 3];
        // `self_woken`: the sources wake themselves, so a lost wake-up fails instead of hanging.
        let items = runtime.block_on(self_woken(
            tokio_select_of_two_sources(waits).collect::<Vec<_>>(),
        ));
        assert_eq!(items.len(), 15, "{items:?}");
        assert_eq!(from_source(&items, "a"), ["a0", "a1", "a2", "a3", "a4"]);
        assert_eq!(
            from_source(&items, "b"),
            [
                "b0", "b0'", "b1", "b1'", "b2", "b2'", "b3", "b3'", "b4", "b4'"
            ]
        );
        // A handler's items are never interleaved with another handler's.
        for (i, item) in items.iter().enumerate() {
            if item.starts_with('b') && !item.ends_with('\'') {
                assert_eq!(items[i + 1], format!("{item}'"), "{items:?}");
            }
        }
    }
}

/// Like [`source`], hand-written: not self-referential.
///
/// `futures::select!` reads `FusedFuture::is_terminated(&self)` of each branch, which Stacked
/// Borrows (Miri's default) reports as UB for any self-referential future, a plain `async fn`'s
/// as much as a generator's (rust-lang/futures-rs#2879; Tree Borrows accepts it). So that test
/// selects over streams that are not.
fn ticking(name: &'static str, count: usize, waits: usize) -> impl Stream<Item = String> {
    let (mut next, mut waited) = (0, 0);
    futures::stream::poll_fn(move |cx| {
        if next == count {
            Poll::Ready(None)
        } else if waited < waits {
            waited += 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        } else {
            waited = 0;
            next += 1;
            Poll::Ready(Some(format!("{name}{}", next - 1)))
        }
    })
}

/// `futures::select!` (random among the ready) over two fused streams, until both end.
#[async_gen]
async fn futures_select_of_two_sources() -> String {
    let mut left = ticking("a", 4, 1).fuse();
    let mut right = ticking("b", 4, 0).fuse();
    loop {
        futures::select! {
            item = left.next() => if let Some(item) = item { yield_!(item) },
            item = right.next() => if let Some(item) = item { yield_!(item) },
            complete => break,
        }
    }
}

#[test]
fn yield_in_futures_select_arms_delivers_every_item_in_order() {
    let runs = iterations(20, 3);
    for _ in 0..runs {
        let items = collect(futures_select_of_two_sources());
        assert_eq!(items.len(), 8, "{items:?}");
        assert_eq!(from_source(&items, "a"), ["a0", "a1", "a2", "a3"]);
        assert_eq!(from_source(&items, "b"), ["b0", "b1", "b2", "b3"]);
    }
}

// ---------------------------------------------------------------------------------------------
// A `FuturesUnordered` owned by the body
// ---------------------------------------------------------------------------------------------

/// Starts one computation per entry of `waits` (the `i`th waits `waits[i]` times and returns
/// `(i, i * i)`) and yields each result as it completes. After the first result it starts one
/// more, to show the set can grow while the body yields.
#[async_gen]
async fn results_as_they_complete(waits: Vec<usize>) -> (usize, usize) {
    let mut running: FuturesUnordered<_> = waits
        .iter()
        .enumerate()
        .map(|(i, &waits)| after(waits, (i, i * i)))
        .collect();
    let mut started_late = false;
    while let Some(result) = running.next().await {
        yield_!(result);
        if !started_late {
            started_late = true;
            running.push(after(0, (100, 0)));
        }
    }
}

#[test]
fn a_body_yields_the_results_of_its_futures_unordered_as_they_complete() {
    let items = collect(results_as_they_complete(vec![4, 0, 2, 6, 1]));
    // By waits: index 1 (0 waits) first, then the late one (0 waits), 4 (1), 2 (2), 0 (4), 3 (6).
    assert_eq!(items, [(1, 1), (100, 0), (4, 16), (2, 4), (0, 0), (3, 9)],);
}

#[test]
fn futures_unordered_results_completing_in_the_same_round_are_all_delivered() {
    // Several computations complete in the same poll of the `FuturesUnordered`: each comes out
    // of its own `next()`, none is lost, and ties come in any order.
    for waits in [vec![1, 1, 1, 0, 0], vec![0; 6], vec![2, 0, 2, 0, 2, 0]] {
        let items = collect(results_as_they_complete(waits.clone()));
        let mut ids: Vec<usize> = items.iter().map(|&(i, _)| i).collect();
        // The ones started together complete by waits (the late one started later).
        let first: Vec<usize> = ids.iter().copied().filter(|&i| i != 100).collect();
        assert!(
            first
                .windows(2)
                .all(|pair| waits[pair[0]] <= waits[pair[1]]),
            "{waits:?}: {ids:?}"
        );
        ids.sort_unstable();
        let mut expected: Vec<usize> = (0..waits.len()).collect();
        expected.push(100);
        assert_eq!(ids, expected);
        for (i, square) in items {
            assert_eq!(square, if i == 100 { 0 } else { i * i });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Two sub-futures yielding in the same poll, through a shared handle (raw API)
// ---------------------------------------------------------------------------------------------

/// Two `join!` branches, ready at once, share the handle through an async mutex and each yield
/// three items (with `waits` self-waking `Pending`s before each).
fn join_of_two_yielding_branches(waits: usize) -> impl Stream<Item = String> {
    raw_async_gen::<String, _>(async move |yielder| {
        let yielder = Mutex::new(yielder);
        let branch = |name: &'static str| {
            let yielder = &yielder;
            async move {
                for i in 0..3 {
                    pending_times(waits).await;
                    yielder.lock().await.yield_(format!("{name}{i}")).await;
                }
            }
        };
        futures::join!(branch("a"), branch("b"));
        yielder.lock().await.yield_("end".to_owned()).await;
    })
}

#[test]
fn two_join_branches_sharing_the_handle_take_turns_and_lose_nothing() {
    let (ready, waiting) = (
        drain_ready(join_of_two_yielding_branches(0)),
        collect(join_of_two_yielding_branches(1)),
    );
    // Ready at once, the first branch keeps the mutex while it yields: it relocks before the
    // other is polled.
    assert_eq!(ready, ["a0", "a1", "a2", "b0", "b1", "b2", "end"]);
    // Waiting between yields, the branches alternate.
    assert_eq!(waiting, ["a0", "b0", "a1", "b1", "a2", "b2", "end"]);
}

/// As [`join_of_two_yielding_branches`], with `count` sub-futures in a `FuturesUnordered`
/// (which polls them with wakers of its own).
fn futures_unordered_of_yielding_sub_futures(
    count: usize,
    waits: usize,
) -> impl Stream<Item = String> {
    raw_async_gen::<String, _>(async move |yielder| {
        let yielder = Mutex::new(yielder);
        let mut running: FuturesUnordered<_> = (0..count)
            .map(|n| {
                let yielder = &yielder;
                async move {
                    for i in 0..3 {
                        pending_times(waits).await;
                        yielder.lock().await.yield_(format!("{n}.{i}")).await;
                    }
                    n
                }
            })
            .collect();
        let mut finished = Vec::new();
        while let Some(n) = running.next().await {
            finished.push(n);
        }
        drop(running);
        let mut yielder = yielder.into_inner();
        yielder.yield_(format!("finished {finished:?}")).await;
    })
}

#[test]
fn sub_futures_in_futures_unordered_sharing_the_handle_lose_nothing() {
    for waits in [0, 1, 2] {
        let items = collect(futures_unordered_of_yielding_sub_futures(3, waits));
        assert_eq!(items.len(), 10, "{items:?}");
        for n in 0..3 {
            let mine = from_source(&items, &format!("{n}."));
            assert_eq!(mine, [0, 1, 2].map(|i| format!("{n}.{i}")), "{items:?}");
        }
        assert!(items[9].starts_with("finished"), "{items:?}");
    }
}
