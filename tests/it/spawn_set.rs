//! `SpawnSet`: tokio tasks under keys, spawned into the running set, aborted by key or all at
//! once, joined as `(key, Result<T, JoinError>)`; dropping it aborts them.
//!
//! Most tests are ports of tokio-util's `tokio-util/tests/task_join_map.rs` (JoinMap) and
//! tokio's `tokio/tests/task_join_set.rs` (JoinSet), each named after the test it ports; the
//! differences are in comments. Timers run on tokio's paused clock.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use asyncgen::{SpawnSet, Stream};
use futures::future::pending;
use futures::{FutureExt, StreamExt};
use support::counting_waker;
use tokio::sync::oneshot;
use tokio::sync::oneshot::error::TryRecvError;
use tokio::task::LocalSet;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

// Ports JoinMap's `test_with_sleep` (without `detach_all`, which `SpawnSet` does not have).
#[tokio::test(start_paused = true)]
async fn test_with_sleep() {
    let mut set = SpawnSet::new();
    for i in 0..10 {
        set.spawn(i, async move { i });
        assert_eq!(set.len(), 1 + i);
    }
    let mut seen = [false; 10];
    while let Some((k, res)) = set.join_next().await {
        seen[k] = true;
        assert_eq!(res.expect("task should have completed successfully"), k);
    }
    assert!(seen.iter().all(|&was_seen| was_seen));
    assert!(set.join_next().await.is_none());

    // Do it again, with sleeps: the set is reused once empty.
    for i in 0..10 {
        set.spawn(i, async move {
            tokio::time::sleep(Duration::from_secs(i as u64)).await;
            i
        });
    }
    let mut order = Vec::new();
    while let Some((k, res)) = set.join_next().await {
        assert_eq!(res.expect("task should have completed successfully"), k);
        order.push(k);
    }
    // The paused clock makes the order of the sleeps the order of the results.
    assert_eq!(order, (0..10).collect::<Vec<_>>());
    assert!(set.join_next().await.is_none());
}

// Ports JoinMap's and JoinSet's `test_abort_on_drop`.
#[tokio::test]
async fn test_abort_on_drop() {
    let mut set = SpawnSet::new();
    let mut recvs = Vec::new();
    for i in 0..16 {
        let (send, recv) = oneshot::channel::<()>();
        recvs.push(recv);
        set.spawn(i, async {
            // This task will never complete on its own.
            pending::<()>().await;
            drop(send);
        });
    }
    drop(set);
    for recv in recvs {
        // The task is aborted soon and we will receive an error.
        assert!(recv.await.is_err());
    }
}

// Ports JoinMap's `alternating`.
#[tokio::test]
async fn alternating() {
    let mut set = SpawnSet::new();
    assert_eq!(set.len(), 0);
    set.spawn(1, async {});
    assert_eq!(set.len(), 1);
    set.spawn(2, async {});
    assert_eq!(set.len(), 2);
    for i in 0..16 {
        let (_, res) = set.join_next().await.unwrap();
        assert!(res.is_ok());
        assert_eq!(set.len(), 1);
        set.spawn(i, async {});
        assert_eq!(set.len(), 2);
    }
}

// Ports JoinMap's `test_keys`.
#[tokio::test]
async fn test_keys() {
    let mut set = SpawnSet::new();
    set.spawn(1, async {});
    set.spawn(2, async {});
    let keys = set.keys().collect::<HashSet<&u32>>();
    assert!(keys.contains(&1));
    assert!(keys.contains(&2));
    let _ = set.join_next().await.unwrap();
    let _ = set.join_next().await.unwrap();
    assert_eq!(set.len(), 0);
    assert_eq!(set.keys().len(), 0);
}

// Ports JoinMap's `abort_by_key` (and JoinSet's `abort_tasks`, there through each task's
// `AbortHandle`).
#[tokio::test(start_paused = true)]
async fn abort_by_key() {
    let mut set = SpawnSet::new();
    let (mut num_canceled, mut num_completed) = (0, 0);
    for i in 0..16 {
        set.spawn(i, async move {
            tokio::time::sleep(Duration::from_secs(i as u64)).await;
        });
    }
    for i in 0..16 {
        if i % 2 != 0 {
            assert!(set.abort(&i)); // abort odd-numbered tasks
        }
    }
    // Aborted tasks stay until their end is joined.
    assert_eq!(set.len(), 16);
    while let Some((key, res)) = set.join_next().await {
        match res {
            Ok(()) => {
                num_completed += 1;
                assert_eq!(key % 2, 0);
            }
            Err(e) => {
                num_canceled += 1;
                assert!(e.is_cancelled());
                assert_ne!(key % 2, 0);
            }
        }
        assert!(!set.contains_key(&key));
    }
    assert_eq!(num_canceled, 8);
    assert_eq!(num_completed, 8);
    assert!(!set.abort(&0));
}

// Ports JoinMap's `abort_by_predicate`.
#[tokio::test(start_paused = true)]
async fn abort_by_predicate() {
    let mut set = SpawnSet::new();
    let (mut num_canceled, mut num_completed) = (0, 0);
    for i in 0..16 {
        set.spawn(i, async move {
            tokio::time::sleep(Duration::from_secs(i as u64)).await;
        });
    }
    set.abort_matching(|key| key % 2 != 0);
    while let Some((key, res)) = set.join_next().await {
        match res {
            Ok(()) => {
                num_completed += 1;
                assert_eq!(key % 2, 0);
            }
            Err(e) => {
                num_canceled += 1;
                assert!(e.is_cancelled());
                assert_ne!(key % 2, 0);
            }
        }
    }
    assert_eq!(num_canceled, 8);
    assert_eq!(num_completed, 8);
}

/// A panicking predicate has aborted what it said `true` of, and the set goes on.
#[tokio::test(start_paused = true)]
async fn a_panicking_predicate_leaves_the_set_usable() {
    let mut set = SpawnSet::new();
    for i in 0..4 {
        set.spawn(i, pending::<()>());
    }
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        set.abort_matching(|_| panic!("predicate"));
    }));
    assert!(panicked.is_err());
    assert_eq!(set.len(), 4);
    set.shutdown().await;
    assert!(set.is_empty());
}

// Ports JoinMap's and JoinSet's `runtime_gone`: where `spawn_gather` panics with "cancelled",
// the set hands the cancellation out as an `Err` (issue 28).
#[test]
fn runtime_gone() {
    let mut set = SpawnSet::new();
    {
        let rt = rt();
        set.spawn_on("key", async { 1 }, rt.handle());
        drop(rt);
    }
    let (key, res) = rt().block_on(set.join_next()).unwrap();
    assert_eq!(key, "key");
    assert!(res.unwrap_err().is_cancelled());
}

// Ports JoinMap's `join_map_coop` (JoinSet's `join_set_coop`): `join_next` yields to the
// executor when the task's budget is spent, and then goes on. (Under Miri 200 tasks: still
// more results than tokio's budget of 128 units allows.)
#[tokio::test(flavor = "current_thread")]
async fn join_map_coop() {
    let task_num = support::iterations(1000, 200) as u32;
    static SEM: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(0);
    let mut set = SpawnSet::new();
    for i in 0..task_num {
        set.spawn(i, async move {
            SEM.add_permits(1);
            i
        });
    }
    // Every task has ended once this returns (a current-thread runtime).
    let _ = SEM.acquire_many(task_num).await.unwrap();
    let (mut count, mut coop_count) = (0, 0);
    loop {
        match set.join_next().now_or_never() {
            Some(Some((key, Ok(i)))) => assert_eq!(key, i),
            Some(Some((key, Err(err)))) => panic!("failed[{key}]: {err}"),
            None => {
                coop_count += 1;
                tokio::task::yield_now().await;
                continue;
            }
            Some(None) => break,
        }
        count += 1;
    }
    assert!(coop_count >= 1);
    assert_eq!(count, task_num);
}

// Ports JoinMap's and JoinSet's `abort_all`.
#[tokio::test(start_paused = true)]
async fn abort_all() {
    let mut set: SpawnSet<usize, ()> = SpawnSet::new();
    for i in 0..5 {
        set.spawn(i, pending());
    }
    for i in 5..10 {
        set.spawn(i, async {
            tokio::time::sleep(Duration::from_secs(1)).await;
        });
    }
    // The set will now have 5 pending tasks and 5 ready tasks.
    tokio::time::sleep(Duration::from_secs(2)).await;
    set.abort_all();
    assert_eq!(set.len(), 10);
    let mut seen = [false; 10];
    while let Some((k, res)) = set.join_next().await {
        seen[k] = true;
        match res {
            // Finished before the abort: its output is kept.
            Ok(()) => assert!(k >= 5),
            Err(err) => assert!(err.is_cancelled() && k < 5),
        }
    }
    assert_eq!(set.len(), 0);
    assert!(seen.iter().all(|&was_seen| was_seen));
}

// Ports JoinMap's `try_join_next_empty`.
#[tokio::test]
async fn try_join_next_empty() {
    let mut set: SpawnSet<usize, ()> = SpawnSet::new();
    assert!(set.try_join_next().is_none());
}

// Ports JoinMap's `try_join_next_no_ready_task`.
#[tokio::test]
async fn try_join_next_no_ready_task() {
    let mut set = SpawnSet::new();
    let (_tx, rx) = oneshot::channel::<()>();
    set.spawn("pending", async move {
        let _ = rx.await;
    });
    assert!(set.try_join_next().is_none());
    assert_eq!(set.len(), 1);
}

// Ports JoinMap's `try_join_next_completed_task`.
#[tokio::test]
async fn try_join_next_completed_task() {
    let mut set = SpawnSet::new();
    set.spawn("hello", async { 42 });
    let mut got = None;
    while got.is_none() {
        got = set.try_join_next();
        if got.is_none() {
            tokio::task::yield_now().await;
        }
    }
    let (key, res) = got.unwrap();
    assert_eq!(key, "hello");
    assert_eq!(res.unwrap(), 42);
    assert!(set.is_empty());
}

// Ports JoinMap's `try_join_next_aborted_task`.
#[tokio::test]
async fn try_join_next_aborted_task() {
    let mut set = SpawnSet::new();
    set.spawn("forever", async {
        pending::<()>().await;
    });
    assert!(set.abort("forever"));
    let mut got = None;
    while got.is_none() {
        got = set.try_join_next();
        if got.is_none() {
            tokio::task::yield_now().await;
        }
    }
    let (key, res) = got.unwrap();
    assert_eq!(key, "forever");
    assert!(res.unwrap_err().is_cancelled());
    assert!(set.is_empty());
}

// Ports JoinMap's `try_join_next_advances_through_multiple`.
#[tokio::test(flavor = "current_thread")]
async fn try_join_next_advances_through_multiple() {
    const N: u32 = 8;
    static SEM: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(0);
    let mut set = SpawnSet::new();
    for i in 0..N {
        set.spawn(i, async move {
            SEM.add_permits(1);
            i
        });
    }
    let _ = SEM.acquire_many(N).await.unwrap();
    let mut seen = vec![false; N as usize];
    let mut count = 0;
    loop {
        match set.try_join_next() {
            Some((key, res)) => {
                let v = res.expect("task should have completed successfully");
                assert_eq!(key, v);
                seen[v as usize] = true;
                count += 1;
            }
            None if set.is_empty() => break,
            None => tokio::task::yield_now().await,
        }
    }
    assert_eq!(count, N);
    assert!(seen.into_iter().all(|b| b));
    assert!(set.try_join_next().is_none());
}

// Ports JoinMap's `try_join_next_skips_replaced_task`.
#[tokio::test]
async fn try_join_next_skips_replaced_task() {
    let mut set = SpawnSet::new();
    let (tx1, rx1) = oneshot::channel::<()>();
    set.spawn(1, async {
        let _ = rx1.await;
        11
    });
    tx1.send(()).unwrap();
    tokio::task::yield_now().await;
    let (tx2, rx2) = oneshot::channel::<()>();
    assert!(set.spawn(1, async {
        let _ = rx2.await;
        22
    }));
    tx2.send(()).unwrap();
    tokio::task::yield_now().await;
    let (key, res) = set.try_join_next().unwrap();
    assert_eq!(key, 1);
    assert_eq!(res.unwrap(), 22);
    assert!(set.try_join_next().is_none());
    assert!(set.is_empty());
}

// Ports JoinMap's `duplicate_keys`.
#[tokio::test]
async fn duplicate_keys() {
    let mut set = SpawnSet::new();
    assert!(!set.spawn(1, async { 1 }));
    assert!(set.spawn(1, async { 2 }));
    assert_eq!(set.len(), 1);
    let (key, res) = set.join_next().await.unwrap();
    assert_eq!(key, 1);
    assert_eq!(res.unwrap(), 2);
    assert!(set.join_next().await.is_none());
}

// Ports JoinMap's `duplicate_keys2`: the replaced task's result never comes out.
#[tokio::test]
async fn duplicate_keys2() {
    let (send, recv) = oneshot::channel::<()>();
    let mut set = SpawnSet::new();
    set.spawn(1, async { 1 });
    set.spawn(1, async {
        recv.await.unwrap();
        2
    });
    assert_eq!(set.len(), 1);
    tokio::select! {
        biased;
        res = set.join_next() => match res {
            Some((_key, res)) => panic!("Task {res:?} exited."),
            None => panic!("Phantom task completion."),
        },
        () = tokio::task::yield_now() => {},
    }
    send.send(()).unwrap();
    let (key, res) = set.join_next().await.unwrap();
    assert_eq!(key, 1);
    assert_eq!(res.unwrap(), 2);
    assert!(set.join_next().await.is_none());
}

// Ports JoinMap's `duplicate_keys_drop`: the key given to a replacing spawn is dropped (here
// the new one; the set keeps the key it has), and its panic leaves the new task in and the
// old one aborted.
#[tokio::test]
async fn duplicate_keys_drop() {
    #[derive(Hash, Debug, PartialEq, Eq, Clone)]
    struct Key;
    impl Drop for Key {
        fn drop(&mut self) {
            panic!("drop called for key");
        }
    }
    let (send, recv) = oneshot::channel::<()>();
    let mut set = SpawnSet::new();
    set.spawn(Key, async { recv.await.unwrap() });
    let _ = catch_unwind(AssertUnwindSafe(|| set.spawn(Key, async {}))).unwrap_err();
    let (key, res) = set.join_next().await.unwrap();
    std::mem::forget(key); // don't panic when this key drops
    assert!(res.is_ok());
    // The original task was aborted, so its sender is gone.
    assert!(send.is_closed());
    assert!(set.join_next().await.is_none());
}

/// A key that panics when hashed, once armed.
#[derive(Clone, Debug)]
struct Touchy {
    n: u32,
    armed: Arc<AtomicBool>,
}

impl PartialEq for Touchy {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n
    }
}

impl Eq for Touchy {}

impl Hash for Touchy {
    fn hash<S: Hasher>(&self, state: &mut S) {
        assert!(!self.armed.load(Ordering::Relaxed), "hash");
        self.n.hash(state);
    }
}

/// A spawn whose key's `Hash` panics changes nothing, and aborts the task it started. (A
/// `JoinMap` hashes after spawning, and keeps such a task without a key: it runs on, and
/// `join_next` skips its result.)
#[tokio::test]
async fn a_spawn_whose_key_panics_aborts_its_task() {
    let armed = Arc::new(AtomicBool::new(false));
    let key = |n| Touchy {
        n,
        armed: armed.clone(),
    };
    let mut set = SpawnSet::new();
    set.spawn(key(1), async { 1 });
    armed.store(true, Ordering::Relaxed);
    let (send, recv) = oneshot::channel::<()>();
    let spawned = catch_unwind(AssertUnwindSafe(|| {
        set.spawn(key(2), async move {
            pending::<()>().await;
            drop(send);
            2
        })
    }));
    assert!(spawned.is_err());
    assert_eq!(set.len(), 1);
    assert!(recv.await.is_err(), "the task was aborted");
    armed.store(false, Ordering::Relaxed);
    let (key, res) = set.join_next().await.unwrap();
    assert_eq!((key.n, res.unwrap()), (1, 1));
}

/// An output that notes its drop, then panics if `.1`.
struct Touchier(Arc<AtomicBool>, bool);

impl Drop for Touchier {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        assert!(!self.1, "output dropped");
    }
}

/// Replacing a task whose output waits for a join drops that output unseen (as `JoinMap`);
/// if its drop panics, tokio catches the panic (in the `JoinHandle`'s drop): the spawn returns,
/// the new task in.
#[tokio::test]
async fn a_replaced_output_that_panics_as_it_drops_is_caught_by_tokio() {
    let dropped = Arc::new(AtomicBool::new(false));
    let mut set = SpawnSet::new();
    let first = dropped.clone();
    set.spawn("job", async move { Touchier(first, true) });
    tokio::task::yield_now().await; // it ends; its output waits in its task
    let second = Arc::new(AtomicBool::new(false));
    let output = second.clone();
    assert!(set.spawn("job", async move { Touchier(output, false) }));
    assert!(dropped.load(Ordering::Relaxed));
    let (key, res) = set.join_next().await.unwrap();
    let res = res.unwrap();
    assert!(key == "job" && Arc::ptr_eq(&res.0, &second));
    assert!(set.join_next().await.is_none());
}

// Ports JoinSet's `task_panics`: the panic is an `Err` value, with its payload, and the other
// task runs on (`JoinSet::join_all` re-raises it instead; `spawn_gather` is ours for that).
#[tokio::test(start_paused = true)]
async fn task_panics() {
    let mut set = SpawnSet::new();
    set.spawn("sends", async {
        tokio::time::sleep(Duration::from_secs(2)).await;
        7
    });
    set.spawn("panics", async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        std::panic::panic_any(42_u8)
    });
    let (key, res) = set.join_next().await.unwrap();
    assert_eq!(key, "panics");
    let payload = res.unwrap_err().into_panic();
    assert_eq!(payload.downcast_ref::<u8>(), Some(&42));
    let (key, res) = set.join_next().await.unwrap();
    assert_eq!((key, res.unwrap()), ("sends", 7));
}

/// `shutdown` aborts every task and returns once each has stopped.
#[tokio::test(start_paused = true)]
async fn shutdown_waits_for_every_task() {
    let mut set = SpawnSet::new();
    let mut recvs = Vec::new();
    for i in 0..8 {
        let (send, recv) = oneshot::channel::<()>();
        recvs.push(recv);
        set.spawn(i, async move {
            pending::<()>().await;
            drop(send);
        });
    }
    set.spawn(8, async {}); // its output is dropped by the shutdown
    set.shutdown().await;
    assert!(set.is_empty());
    for mut recv in recvs {
        // Already stopped (its sender dropped): no need to wait.
        assert_eq!(recv.try_recv(), Err(TryRecvError::Closed));
    }
}

/// A spawn wakes a task waiting on the empty set, as an insert into a `FutureSet` does; a
/// spawn while the set is not waited on costs no wake.
#[tokio::test]
async fn a_spawn_wakes_a_task_waiting_on_the_set() {
    let (wakes, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set = SpawnSet::new();
    set.spawn(0, pending::<()>());
    assert!(set.poll_join_next(&mut cx).is_pending());
    assert_eq!(wakes.wakes(), 0);
    set.spawn(1, async {});
    assert_eq!(wakes.wakes(), 1);
    // Woken, the task polls the set: task 1 has not run yet.
    assert!(set.poll_join_next(&mut cx).is_pending());
    tokio::task::yield_now().await; // task 1 runs, and wakes the set
    assert_eq!(wakes.wakes(), 2);
    match set.poll_join_next(&mut cx) {
        Poll::Ready(Some((1, Ok(())))) => {}
        other => panic!("expected task 1's output, got {other:?}"),
    }
    set.abort(&0);
}

/// The `Stream` impl: `(key, result)` items, an exact size hint, and not fused: it yields
/// again after a spawn into the empty set.
#[tokio::test]
async fn the_set_is_a_stream() {
    let mut set: SpawnSet<u32, u32> = (0..3).fold(SpawnSet::new(), |mut set, n| {
        set.spawn(n, async move { n * 10 });
        set
    });
    assert_eq!(Stream::size_hint(&set), (3, Some(3)));
    let mut outputs: Vec<(u32, u32)> = (&mut set)
        .map(|(key, res)| (key, res.unwrap()))
        .collect()
        .await;
    outputs.sort_unstable();
    assert_eq!(outputs, [(0, 0), (1, 10), (2, 20)]);
    assert_eq!(Pin::new(&mut set).next().await.map(|(k, _)| k), None);
    set.spawn(4, async { 40 });
    assert_eq!(
        set.next().await.map(|(k, r)| (k, r.unwrap())),
        Some((4, 40))
    );
    let _: SpawnSet<u8, ()> = SpawnSet::default();
}

/// `spawn_with_id`: an unkeyed set, as a `JoinSet`, each result with its task's id.
#[tokio::test]
async fn spawn_with_id_keys_tasks_by_their_ids() {
    let mut set = SpawnSet::new();
    let ids: HashSet<tokio::task::Id> = (0..4)
        .map(|n| set.spawn_with_id(async move { n }))
        .collect();
    assert_eq!(ids.len(), 4);
    let mut joined = HashSet::new();
    while let Some((id, res)) = set.join_next().await {
        res.unwrap();
        joined.insert(id);
    }
    assert_eq!(joined, ids);
}

/// Tasks on a multi-thread runtime, joined from another thread's `block_on`; the set is `Send`
/// (as `JoinMap`) when its keys and outputs are.
#[test]
fn tasks_on_a_multi_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let mut set = support::assert_send(SpawnSet::new());
    for n in 0..100_u64 {
        set.spawn_on(n, async move { n * n }, runtime.handle());
    }
    let mut sum = 0;
    while let Some((n, res)) = futures::executor::block_on(set.join_next()) {
        assert_eq!(res.unwrap(), n * n);
        sum += n;
    }
    assert_eq!(sum, 4950);
}

/// `spawn_blocking`: a closure on the blocking pool, its result as a task's.
#[tokio::test]
async fn spawn_blocking_joins_a_closure() {
    let mut set = SpawnSet::new();
    set.spawn_blocking("sum", || (1..=10_u32).sum::<u32>());
    let (key, res) = set.join_next().await.unwrap();
    assert_eq!((key, res.unwrap()), ("sum", 55));
}

// Ports JoinMap's `spawn_local::panic_outside_any_runtime`.
#[test]
#[should_panic(expected = "`spawn_local` called from outside of a `task::LocalSet`")]
fn spawn_local_panics_outside_any_runtime() {
    let mut set = SpawnSet::new();
    set.spawn_local((), async {});
}

// Ports JoinMap's `spawn_local::local_set::spawn_then_join_next`, `spawn_then_shutdown` and
// `spawn_then_drop` (`!Send` tasks on a `LocalSet`).
#[tokio::test(flavor = "current_thread")]
async fn spawn_local_then_join_next_shutdown_and_drop() {
    const N: usize = 8;
    let local = LocalSet::new();
    local
        .run_until(async {
            let mut set = SpawnSet::new();
            for i in 0..N {
                let rc = Rc::new(i);
                set.spawn_local(i, async move { *rc });
            }
            assert!(set.join_next().now_or_never().is_none());
            let mut seen = vec![false; N];
            while let Some((k, res)) = set.join_next().await {
                assert_eq!(res.unwrap(), k);
                seen[k] = true;
            }
            assert!(seen.into_iter().all(|b| b));

            for stop in ["shutdown", "drop"] {
                let mut receivers = Vec::new();
                for i in 0..N {
                    let (tx, rx) = oneshot::channel::<()>();
                    receivers.push(rx);
                    set.spawn_local(i, async move {
                        pending::<()>().await;
                        drop(tx);
                        i
                    });
                }
                if stop == "shutdown" {
                    set.shutdown().await;
                } else {
                    drop(std::mem::take(&mut set));
                }
                for rx in receivers {
                    assert!(rx.await.is_err(), "task should have been aborted");
                }
            }
        })
        .await;
}
