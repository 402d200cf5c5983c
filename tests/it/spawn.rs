//! The `tokio` feature: `spawn_gather`, `try_spawn_gather`, `spawn_as_completed` and
//! `spawn_merge` run their children on tokio tasks, keep input order where promised, abort
//! what still runs when dropped or after an error, and re-raise a child's panic.

//!
//! Timers run on tokio's paused clock (`start_paused`, current-thread runtime): time advances
//! only when every task waits, so an order of completion by delay is the same on any machine,
//! and a test that waits for something that must not happen ends at once, failing, instead of
//! passing because a loaded machine did not get there in time.

use std::panic::PanicHookInfo;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use asyncgen::{spawn_as_completed, spawn_gather, spawn_merge, try_spawn_gather};
use futures::{FutureExt, StreamExt, stream};
use support::DropCounter;
use tokio::sync::oneshot;
use tokio::time::sleep;

/// Outputs come in input order, whatever the completion order.
#[tokio::test(start_paused = true)]
async fn spawn_gather_keeps_input_order() {
    let delays = [30u64, 10, 20, 0];
    let outputs = spawn_gather(delays.map(|ms| async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    }))
    .await;
    assert_eq!(outputs, delays);
}

/// The `Vec` has room for the outputs and no more (issue 28: it was the buffer of the `Option`s
/// it collected, capacity 16 for 10 `u32`s).
#[tokio::test(start_paused = true)]
async fn spawn_gathers_vecs_have_room_for_their_outputs_only() {
    let values = spawn_gather((0..10_u32).map(|n| async move { n })).await;
    assert_eq!((values.len(), values.capacity()), (10, 10));
    let values = try_spawn_gather((0..10_u32).map(|n| async move { Ok::<_, String>(n) })).await;
    let values = values.expect("every future succeeds");
    assert_eq!((values.len(), values.capacity()), (10, 10));
}

/// The first error wins, and every other task has stopped (dropped its state) by the time it
/// is returned. (The paused clock makes the timeout exact: it fires only if the error waited
/// for the hour-long sleeps.)
#[tokio::test(start_paused = true)]
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

/// A task for the abort tests: says when it has started, then waits an hour before it would
/// say it finished. Aborted, it is dropped with its `finished` sender unused.
async fn abortable(started: oneshot::Sender<()>, finished: oneshot::Sender<()>) {
    started.send(()).unwrap();
    sleep(Duration::from_secs(3600)).await;
    let _ = finished.send(());
}

/// Waits until a task made by [`abortable`] is gone, and asserts it was aborted: its sender
/// dropped unused. Had it not been aborted, the paused clock would run the hour at once (nothing
/// else to do) and the task would send.
async fn assert_aborted(finished: oneshot::Receiver<()>) {
    assert!(finished.await.is_err(), "the task ran to its end");
}

/// Dropping the gather before it completes aborts the tasks: they never finish.
#[tokio::test(start_paused = true)]
async fn dropping_spawn_gather_aborts_the_tasks() {
    let (started, has_started) = oneshot::channel();
    let (finished, has_finished) = oneshot::channel();
    let mut gather = Box::pin(spawn_gather([abortable(started, finished)]));
    // Start it (the task is spawned on the first poll), let the task run, then drop it.
    assert!(futures::poll!(gather.as_mut()).is_pending());
    has_started.await.unwrap();
    drop(gather);
    assert_aborted(has_finished).await;
}

/// `spawn_as_completed` yields `(index, output)` in completion order.
#[tokio::test(start_paused = true)]
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
    const WORKERS: &str = "spawn-merge-panic-race";
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(WORKERS)
        .build()
        .unwrap();
    let _entered = runtime.enter();
    // Thousands of expected panics on the runtime's threads: keep the log clean.
    let _quiet = QuietPanics::on_threads_named(WORKERS);
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
    assert_eq!(lost, 0, "panics lost");
}

/// Dropping `spawn_as_completed` or `spawn_merge` aborts their tasks: they never finish.
#[tokio::test(start_paused = true)]
async fn dropping_spawned_streams_aborts_their_tasks() {
    let (started_a, a_started) = oneshot::channel();
    let (finished_a, a_finished) = oneshot::channel();
    let (started_b, b_started) = oneshot::channel();
    let (finished_b, b_finished) = oneshot::channel();
    // Both spawn their tasks at once.
    let as_completed = spawn_as_completed([abortable(started_a, finished_a)]);
    let merged = spawn_merge([stream::once(abortable(started_b, finished_b))]);
    a_started.await.unwrap();
    b_started.await.unwrap();
    drop((as_completed, merged));
    assert_aborted(a_finished).await;
    assert_aborted(b_finished).await;
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

/// Tests that replace the process's panic hook take turns.
static PANIC_HOOK: Mutex<()> = Mutex::new(());

/// The panic hook, while this lives: silent for panics on threads with a given name, the
/// previous hook for every other panic (the other tests of this binary run meanwhile, and
/// their failures must still be reported). Restores the previous hook when dropped, also when
/// the test fails.
struct QuietPanics {
    previous: Option<Arc<PanicHook>>,
    _turn: MutexGuard<'static, ()>,
}

type PanicHook = Box<dyn Fn(&PanicHookInfo<'_>) + Send + Sync + 'static>;

impl QuietPanics {
    fn on_threads_named(name: &'static str) -> Self {
        // A test that failed while holding it poisoned it; the hook was restored all the same.
        let turn = PANIC_HOOK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let previous = Arc::new(std::panic::take_hook());
        let passed_on = previous.clone();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(name) {
                passed_on(info);
            }
        }));
        Self {
            previous: Some(previous),
            _turn: turn,
        }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        // Dropping ours drops its clone of the previous hook, which leaves ours the only one.
        drop(std::panic::take_hook());
        let previous = self.previous.take().expect("dropped once");
        match Arc::try_unwrap(previous) {
            Ok(previous) => std::panic::set_hook(previous),
            // Our hook is still running on another thread: keep forwarding through it.
            Err(previous) => std::panic::set_hook(Box::new(move |info| previous(info))),
        }
    }
}

/// Six jobs of 10 to 60 ms, each counting itself done as it ends.
fn counted_jobs(
    done: &Arc<std::sync::atomic::AtomicUsize>,
) -> Vec<impl Future<Output = u64> + Send + 'static> {
    (1..=6u64)
        .map(|n| {
            let done = done.clone();
            async move {
                sleep(Duration::from_millis(10 * n)).await;
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                n
            }
        })
        .collect()
}

/// What runs while a slow consumer is away (issue 35): asyncio's tasks run whether or not
/// anyone awaits them, and so do `spawn_as_completed`'s; `as_completed`'s futures run only
/// while its stream is polled, as any Rust future. The consumer takes the first output, then
/// spends 1 s on it (far longer than every job) before it looks at how many jobs are done:
/// 6 of 6 with tasks (Python's count), 1 of 6 in the consumer's own task.
#[tokio::test(start_paused = true)]
async fn a_slow_consumer_finds_spawned_jobs_done_and_in_task_jobs_waiting() {
    let in_task = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let spawned = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut waiting = asyncgen::as_completed(counted_jobs(&in_task));
    let mut running = spawn_as_completed(counted_jobs(&spawned));
    assert_eq!(waiting.next().await.map(|(_, n)| n), Some(1));
    assert_eq!(running.next().await.map(|(_, n)| n), Some(1));
    sleep(Duration::from_secs(1)).await;
    let done = |count: &Arc<std::sync::atomic::AtomicUsize>| {
        count.load(std::sync::atomic::Ordering::SeqCst)
    };
    assert_eq!((done(&in_task), done(&spawned)), (1, 6));
    // Polled again, the in-task jobs go on from where they were left.
    assert_eq!(
        waiting.map(|(_, n)| n).collect::<Vec<_>>().await,
        [2, 3, 4, 5, 6]
    );
    assert_eq!(done(&in_task), 6);
    assert_eq!(
        running.map(|(_, n)| n).collect::<Vec<_>>().await,
        [2, 3, 4, 5, 6]
    );
}
