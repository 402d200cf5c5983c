//! With the `tokio` feature, `merge` and the `gather` family spend tokio's cooperative budget,
//! a unit per item handed out (or per completed gather). A task draining an always-ready merge gets
//! an item from every poll, so the merge's own poll budget never makes it yield; tokio's
//! budget does, and the other tasks of its (single) worker get their turn while it drains.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::{Stream, StreamExt, stream};

/// Items from every source: ready at every poll. More than tokio's budget of a task poll (128
/// units) in any case; fewer under Miri, which runs them slowly.
const ITEMS: u64 = if cfg!(miri) { 300 } else { 2_000 };

/// Drains `items` in a task of a current-thread runtime, beside another task that only sets a
/// flag; returns how many items came before the flag was seen set, and how many in all.
fn drain_beside_another_task<S: Stream>(items: impl FnOnce() -> S) -> (Option<usize>, usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let ran = Arc::new(AtomicBool::new(false));
        let other = tokio::spawn({
            let ran = ran.clone();
            async move { ran.store(true, Ordering::SeqCst) }
        });
        let mut items = std::pin::pin!(items());
        let (mut seen_after, mut count) = (None, 0);
        while items.next().await.is_some() {
            count += 1;
            if seen_after.is_none() && ran.load(Ordering::SeqCst) {
                seen_after = Some(count);
            }
        }
        other.await.unwrap();
        (seen_after, count)
    })
}

fn assert_other_task_ran(what: &str, (seen_after, count): (Option<usize>, usize), all: u64) {
    assert_eq!(count as u64, all, "{what}: every item");
    let seen_after = seen_after
        .unwrap_or_else(|| panic!("{what}: the other task never ran while {count} items came"));
    // tokio's budget is 128 units a task poll; allow for it to change, not for no budget.
    assert!(
        seen_after <= 1_000,
        "{what}: the other task ran only after {seen_after} items"
    );
}

#[test]
fn an_always_ready_merge_lets_the_other_tasks_of_its_worker_run() {
    // 2 sources are polled in turn; 8 go through the ready queue.
    for sources in [2, 8] {
        let drained = drain_beside_another_task(|| {
            asyncgen::merge((0..sources).map(|_| stream::iter(0..ITEMS)))
        });
        assert_other_task_ran(&format!("merge of {sources}"), drained, sources * ITEMS);
    }
    let drained = drain_beside_another_task(|| {
        asyncgen::merge!(
            stream::iter(0..ITEMS),
            stream::iter(0..ITEMS).map(|i| i + 1)
        )
    });
    assert_other_task_ran("merge!", drained, 2 * ITEMS);
}

#[test]
fn an_always_ready_as_completed_lets_the_other_tasks_of_its_worker_run() {
    let drained =
        drain_beside_another_task(|| asyncgen::as_completed((0..ITEMS).map(|i| async move { i })));
    assert_other_task_ran("as_completed", drained, ITEMS);
    let drained = drain_beside_another_task(|| {
        asyncgen::as_completed_limited((0..ITEMS).map(|i| async move { i }), 4)
    });
    assert_other_task_ran("as_completed_limited", drained, ITEMS);
}

#[test]
fn an_always_ready_in_order_lets_the_other_tasks_of_its_worker_run() {
    let drained =
        drain_beside_another_task(|| asyncgen::in_order((0..ITEMS).map(|i| async move { i })));
    assert_other_task_ran("in_order", drained, ITEMS);
    let drained = drain_beside_another_task(|| {
        let requests = stream::iter(0..ITEMS).map(|i| async move { i });
        asyncgen::in_order_limited(asyncgen::from_stream(requests), 4)
    });
    assert_other_task_ran("in_order_limited(from_stream(..))", drained, ITEMS);
}

#[test]
fn always_ready_stream_and_future_sets_let_the_other_tasks_of_their_worker_run() {
    let drained = drain_beside_another_task(|| {
        (0..4)
            .map(|key| (key, stream::iter(0..ITEMS)))
            .collect::<asyncgen::StreamSet<_, _>>()
    });
    assert_other_task_ran("StreamSet", drained, 4 * ITEMS);
    let drained = drain_beside_another_task(|| {
        (0..ITEMS)
            .map(|key| (key, async move { key }))
            .collect::<asyncgen::FutureSet<_, _>>()
    });
    assert_other_task_ran("FutureSet", drained, ITEMS);
}
