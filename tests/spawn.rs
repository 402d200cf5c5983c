//! The `tokio` feature: `spawn_gather`, `try_spawn_gather`, `spawn_as_completed` and
//! `spawn_merge` run their children on tokio tasks, keep input order where promised, abort
//! what still runs when dropped or after an error, and re-raise a child's panic.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use asyncgen::{spawn_as_completed, spawn_gather, spawn_merge, try_spawn_gather};
use futures::{FutureExt, StreamExt, stream};
use support::DropCounter;
use tokio::time::sleep;

/// Outputs come in input order, whatever the completion order.
#[tokio::test(flavor = "multi_thread")]
async fn spawn_gather_keeps_input_order() {
    let delays = [30u64, 10, 20, 0];
    let outputs = spawn_gather(delays.map(|ms| async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    }))
    .await;
    assert_eq!(outputs, delays);
}

/// The first error wins, and every other task has stopped (dropped its state) by the time it
/// is returned.
#[tokio::test(flavor = "multi_thread")]
async fn try_spawn_gather_returns_the_first_error_after_stopping_the_others() {
    let dropped = DropCounter::default();
    let futures = (0..10u32).map(|n| {
        let token = dropped.token();
        async move {
            let _token = token;
            if n == 3 {
                return Err(format!("task {n} failed"));
            }
            sleep(Duration::from_secs(3600)).await;
            Ok(n)
        }
    });
    let result = tokio::time::timeout(Duration::from_secs(10), try_spawn_gather(futures))
        .await
        .expect("the error must not wait for the slow tasks");
    assert_eq!(result, Err("task 3 failed".to_string()));
    assert_eq!(dropped.drops(), 10);
}

/// A child's panic is re-raised in the caller with its original payload.
#[tokio::test(flavor = "multi_thread")]
async fn a_childs_panic_reaches_the_caller_with_its_payload() {
    let outcome = std::panic::AssertUnwindSafe(spawn_gather([
        async { 1 }.boxed(),
        async { panic!("child failed") }.boxed(),
    ]))
    .catch_unwind()
    .await;
    let payload = outcome.expect_err("the panic must propagate");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"child failed"));
}

/// Dropping the gather before it completes aborts the tasks: they never finish.
#[tokio::test(flavor = "multi_thread")]
async fn dropping_spawn_gather_aborts_the_tasks() {
    let finished = Arc::new(AtomicBool::new(false));
    let flag = finished.clone();
    let gather = spawn_gather([async move {
        sleep(Duration::from_millis(50)).await;
        flag.store(true, Ordering::SeqCst);
    }]);
    // Start it (the task is spawned on the first poll), then drop it.
    assert!(futures::poll!(Box::pin(gather)).is_pending());
    sleep(Duration::from_millis(200)).await;
    assert!(!finished.load(Ordering::SeqCst));
}

/// `spawn_as_completed` yields `(index, output)` in completion order.
#[tokio::test(flavor = "multi_thread")]
async fn spawn_as_completed_yields_in_completion_order() {
    let delays = [400u64, 0, 200];
    let done: Vec<(usize, u64)> = spawn_as_completed(delays.map(|ms| async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    }))
    .collect()
    .await;
    assert_eq!(done, [(1, 0), (2, 200), (0, 400)]);
}

/// `spawn_merge` delivers every item of every source, in order within each source.
#[tokio::test(flavor = "multi_thread")]
async fn spawn_merge_delivers_everything_in_source_order() {
    let sources = (0..4u32).map(|s| stream::iter((0..100u32).map(move |i| (s, i))));
    let items: Vec<(u32, u32)> = spawn_merge(sources).collect().await;
    assert_eq!(items.len(), 400);
    for source in 0..4 {
        let order: Vec<u32> = items
            .iter()
            .filter(|(s, _)| *s == source)
            .map(|(_, i)| *i)
            .collect();
        assert_eq!(order, (0..100).collect::<Vec<_>>());
    }
}

/// A source's panic is re-raised by the merged stream.
#[tokio::test(flavor = "multi_thread")]
async fn spawn_merge_reraises_a_sources_panic() {
    let failing = stream::once(async { panic!("source failed") });
    let merged = spawn_merge([failing.boxed(), stream::pending::<u32>().boxed()]);
    let outcome = std::panic::AssertUnwindSafe(merged.collect::<Vec<u32>>())
        .catch_unwind()
        .await;
    let payload = outcome.expect_err("the panic must propagate");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"source failed"));
}

/// A task's panic is never lost to a race: the task drops its sender before it is marked
/// complete, so the merged stream must not end on the closed channel alone. Thousands of
/// tries on a multi-thread runtime, each must re-raise the payload.
#[test]
fn spawn_merge_never_loses_a_panic_to_the_closing_channel() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let _entered = runtime.enter();
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {})); // thousands of expected panics: keep the log clean
    let mut lost = 0;
    for _ in 0..2000 {
        let failing = stream::iter([0u32]).map(|_| -> u32 { std::panic::panic_any(7u32) });
        let mut merged = spawn_merge([failing]);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            loop {
                if let std::task::Poll::Ready(item) = merged.poll_next_unpin(&mut cx) {
                    return item;
                }
                std::thread::yield_now();
            }
        }));
        match outcome {
            Err(payload) => assert_eq!(payload.downcast_ref::<u32>(), Some(&7)),
            Ok(_) => lost += 1,
        }
    }
    std::panic::set_hook(previous_hook);
    assert_eq!(lost, 0, "panics lost");
}

/// Dropping `spawn_as_completed` or `spawn_merge` aborts their tasks: they never finish.
#[tokio::test(flavor = "multi_thread")]
async fn dropping_spawned_streams_aborts_their_tasks() {
    let finished = Arc::new(AtomicBool::new(false));
    let (flag_a, flag_b) = (finished.clone(), finished.clone());
    let as_completed = spawn_as_completed([async move {
        sleep(Duration::from_millis(50)).await;
        flag_a.store(true, Ordering::SeqCst);
    }]);
    let merged = spawn_merge([stream::once(async move {
        sleep(Duration::from_millis(50)).await;
        flag_b.store(true, Ordering::SeqCst);
    })]);
    drop((as_completed, merged));
    sleep(Duration::from_millis(200)).await;
    assert!(!finished.load(Ordering::SeqCst));
}

/// Both streams are fused (`futures::select!` takes them without `.fuse()`) and say how many
/// items are left where they know.
#[tokio::test(flavor = "multi_thread")]
async fn spawn_merge_and_spawn_as_completed_are_fused_with_size_hints() {
    use futures::stream::{FusedStream, Stream};

    let mut merged = spawn_merge([stream::iter(vec![1u32, 2]), stream::iter(vec![3])]);
    let mut completed = spawn_as_completed([10u32, 20, 30].map(|n| async move { n }));
    assert_eq!(completed.size_hint(), (3, Some(3)));
    assert!(!merged.is_terminated() && !completed.is_terminated());
    let (mut from_merge, mut from_completed) = (Vec::new(), Vec::new());
    loop {
        futures::select! {
            item = merged.next() => from_merge.extend(item),
            item = completed.next() => from_completed.extend(item.map(|(_, n)| n)),
            complete => break,
        }
    }
    from_merge.sort_unstable();
    from_completed.sort_unstable();
    assert_eq!(
        (from_merge, from_completed),
        (vec![1, 2, 3], vec![10, 20, 30])
    );
    assert!(merged.is_terminated() && completed.is_terminated());
    assert_eq!(
        (merged.size_hint(), completed.size_hint()),
        ((0, Some(0)), (0, Some(0)))
    );
    assert_eq!((merged.next().await, completed.next().await), (None, None));
}
