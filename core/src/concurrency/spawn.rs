//! The `tokio` feature: `gather` and friends with each future (or stream) on its own tokio
//! task, so they run in parallel on a multi-thread runtime. Tasks live in a
//! [`JoinSet`]: dropping the returned future or stream aborts them, and a task's panic is
//! re-raised in the caller with its original payload.
//!
//! These are the only functions of the crate that need `Send + 'static` futures; the
//! runtime-agnostic [`gather`](crate::gather) and [`merge`](crate::merge()) run everything
//! in the caller's task instead.
#![forbid(unsafe_code)]

use alloc::vec::Vec;
use core::fmt;
use core::future::Future;
use core::pin::{Pin, pin};
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use tokio::sync::mpsc;
use tokio::task::{JoinError, JoinSet};

use crate::concurrency::arena::Outputs;
use crate::generator::next::next;

/// Re-raises a task's panic with its payload; a task cancelled from outside (its runtime
/// shutting down) is reported as a panic too, since its output is gone. Kept for these forms
/// (issue 28): a gather's `Vec<T>` and an item `T` have no place for an error, and a `Result`
/// per output would tax every caller for what only a runtime's shutdown causes (nothing else
/// aborts their tasks: they are theirs alone). `SpawnSet` is where a task's failure is a value.
fn into_output<T>(joined: Result<T, JoinError>) -> T {
    match joined {
        Ok(output) => output,
        Err(error) => match error.try_into_panic() {
            Ok(payload) => std::panic::resume_unwind(payload),
            Err(error) => panic!("a task spawned by asyncgen was cancelled: {error}"),
        },
    }
}

/// Spawns each future on its own task, tagged with its input index.
fn spawn_indexed<I, T>(futures: I) -> JoinSet<(usize, T)>
where
    I: IntoIterator,
    I::Item: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut tasks = JoinSet::new();
    for (index, future) in futures.into_iter().enumerate() {
        tasks.spawn(async move {
            // The future is dropped before its output goes anywhere: an output made before a
            // drop that panics is leaked otherwise, never dropped (rust-lang/rust#47949).
            // Bound first, the output is dropped with the panic.
            let output;
            {
                let mut future = pin!(future);
                output = future.as_mut().await;
            }
            (index, output)
        });
    }
    tasks
}

/// Spawns each future on the current tokio runtime and collects the outputs in input order.
/// Needs the `tokio` feature.
///
/// Dropping the returned future aborts the tasks still running. If a task panics, the panic
/// is re-raised here with its payload (the other tasks are aborted as the `JoinSet` drops).
///
/// # Panics
///
/// - When first polled outside a tokio runtime (with at least one future), as `tokio::spawn`
///   does.
/// - When a task panics (its future's poll, or its drop as it completes): the panic is
///   re-raised here, with its payload, and the other tasks are aborted. Polled again after
///   that, it panics, as every `async fn` does after a panic.
/// - When a task is cancelled from outside (its runtime shutting down): its output is gone.
///   ([`SpawnSet`](crate::SpawnSet) hands such ends out as `Err` values.)
///
/// A panic in a task that is aborted (when this future is dropped, or another task panicked)
/// goes nowhere: tokio catches it, and nothing joins that task. See
/// [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let lengths = asyncgen::spawn_gather(["a", "bb", "ccc"].map(|s| async move { s.len() })).await;
/// assert_eq!(lengths, [1, 2, 3]);
/// # }
/// ```
pub async fn spawn_gather<I, T>(futures: I) -> Vec<T>
where
    I: IntoIterator,
    I::Item: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut tasks = spawn_indexed(futures);
    // The result's buffer, of one place per task.
    let count = tasks.len();
    let mut outputs = Outputs::with_capacity(count);
    while let Some(joined) = tasks.join_next().await {
        let (index, output) = into_output(joined);
        outputs.write(index, output);
    }
    outputs.into_vec(count)
}

/// [`spawn_gather`] for fallible futures: the `Ok` values in input order, or the first `Err`
/// in completion order, returned once every other task has been aborted and has stopped.
/// Needs the `tokio` feature.
///
/// # Errors
///
/// Resolves to the first `Err` a future returns, in completion order, once every other task
/// has been aborted and has stopped.
///
/// # Panics
///
/// As [`spawn_gather`]: outside a tokio runtime, and when a task panics or is cancelled from
/// outside. Also when an `Ok` value already in panics as it is dropped for an `Err`: the `Err`
/// is then dropped with the panic.
///
/// # Examples
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let parsed = asyncgen::try_spawn_gather(["1", "x"].map(|s| async move { s.parse::<u32>() })).await;
/// assert!(parsed.is_err());
/// # }
/// ```
pub async fn try_spawn_gather<I, T, E>(futures: I) -> Result<Vec<T>, E>
where
    I: IntoIterator,
    I::Item: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let mut tasks = spawn_indexed(futures);
    let count = tasks.len();
    let mut outputs = Outputs::with_capacity(count);
    while let Some(joined) = tasks.join_next().await {
        match into_output(joined) {
            (index, Ok(value)) => outputs.write(index, value),
            (_, Err(error)) => {
                tasks.shutdown().await; // abort the others and wait until they are gone
                // Dropped before the result is made: if a drop panics, the error is dropped
                // with the panic rather than leaked (rust-lang/rust#47949).
                drop(outputs);
                return Err(error);
            }
        }
    }
    Ok(outputs.into_vec(count))
}

/// Spawns each future and yields `(input index, output)` as each completes. Needs the `tokio`
/// feature.
///
/// Dropping the stream aborts the tasks still running; a task's panic is re-raised by the
/// poll that finds it. The stream is fused: it returns `None` for good once every task has
/// been joined.
///
/// # Panics
///
/// - When called outside a tokio runtime (with at least one future): the tasks are spawned at
///   once.
/// - The stream's poll that finds a task that panicked (with its payload) or that was cancelled
///   from outside (its runtime shutting down). Polled on, the stream goes on with the other
///   tasks and ends. A panic in a task aborted when the stream is dropped goes nowhere (tokio
///   catches it). See [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// use futures::StreamExt;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut done: Vec<(usize, u32)> =
///     asyncgen::spawn_as_completed([1u32, 2, 3].map(|n| async move { n * 10 })).collect().await;
/// done.sort();
/// assert_eq!(done, [(0, 10), (1, 20), (2, 30)]);
/// # }
/// ```
pub fn spawn_as_completed<I, T>(futures: I) -> SpawnAsCompleted<T>
where
    I: IntoIterator,
    I::Item: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    SpawnAsCompleted {
        tasks: spawn_indexed(futures),
    }
}

/// The stream [`spawn_as_completed`] returns. Needs the `tokio` feature.
///
/// It is a `FusedStream`, and its size hint is exact: the tasks not joined yet.
///
/// # Examples
///
/// ```
/// use asyncgen::{SpawnAsCompleted, Stream, spawn_as_completed};
/// use futures::StreamExt;
/// use futures::stream::FusedStream;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut done: SpawnAsCompleted<&str> =
///     spawn_as_completed(["a", "b"].map(|s| async move { s }));
/// assert_eq!(done.size_hint(), (2, Some(2)));
/// let mut letters = Vec::new();
/// while let Some((_index, letter)) = done.next().await {
///     letters.push(letter);
/// }
/// letters.sort();
/// assert_eq!(letters, ["a", "b"]);
/// assert!(done.is_terminated());
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct SpawnAsCompleted<T> {
    tasks: JoinSet<(usize, T)>,
}

impl<T: 'static> Stream for SpawnAsCompleted<T> {
    type Item = (usize, T);

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<(usize, T)>> {
        self.get_mut()
            .tasks
            .poll_join_next(cx)
            .map(|joined| joined.map(into_output))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.tasks.len(), Some(self.tasks.len()))
    }
}

impl<T: 'static> FusedStream for SpawnAsCompleted<T> {
    fn is_terminated(&self) -> bool {
        // A `JoinSet` with no task left answers `None` to every poll.
        self.tasks.is_empty()
    }
}

impl<T> fmt::Debug for SpawnAsCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpawnAsCompleted")
            .field("running", &self.tasks.len())
            .finish()
    }
}

/// Drives each stream on its own task and merges their items, in the order they arrive
/// (order is kept within each source). Needs the `tokio` feature.
///
/// Unlike [`merge`](crate::merge()), the sources run ahead of the consumer: each task may
/// hold one item it has taken from its stream while waiting for room, and items wait in a
/// channel with one place per source. Dropping the merged stream aborts the tasks and drops
/// those items. A task's panic is re-raised by the poll that finds it. The stream is fused:
/// it returns `None` for good once every source has ended and every item was taken.
///
/// # Panics
///
/// - When called outside a tokio runtime (with at least one stream): the tasks are spawned at
///   once.
/// - The stream's poll that finds a task that panicked (with its payload) or that was cancelled
///   from outside (its runtime shutting down). Polled on, the stream goes on with the other
///   tasks and ends. A panic in a task aborted when the stream is dropped goes nowhere (tokio
///   catches it). See [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// use futures::{StreamExt, stream};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut all: Vec<u32> =
///     asyncgen::spawn_merge([stream::iter([1, 2]), stream::iter([3, 4])]).collect().await;
/// all.sort();
/// assert_eq!(all, [1, 2, 3, 4]);
/// # }
/// ```
pub fn spawn_merge<I, T>(streams: I) -> SpawnMerge<T>
where
    I: IntoIterator,
    I::Item: Stream<Item = T> + Send + 'static,
    T: Send + 'static,
{
    let streams: Vec<I::Item> = streams.into_iter().collect();
    let (sender, receiver) = mpsc::channel(streams.len().max(1));
    let mut tasks = JoinSet::new();
    for stream in streams {
        let sender = sender.clone();
        tasks.spawn(async move {
            let mut stream = pin!(stream);
            while let Some(item) = next(stream.as_mut()).await {
                if sender.send(item).await.is_err() {
                    return; // the merged stream is gone
                }
            }
        });
    }
    SpawnMerge {
        tasks,
        receiver,
        ended: false,
    }
}

/// The stream [`spawn_merge`] returns. Needs the `tokio` feature.
///
/// It is a `FusedStream`; its size hint's lower bound is the items waiting in its channel.
///
/// # Examples
///
/// ```
/// use asyncgen::{SpawnMerge, Stream, spawn_merge};
/// use futures::stream::{self, FusedStream, StreamExt};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut merged: SpawnMerge<u32> = spawn_merge([stream::iter([1, 2]), stream::iter([3, 4])]);
/// let mut items = Vec::new();
/// while let Some(item) = merged.next().await {
///     items.push(item);
/// }
/// items.sort();
/// assert_eq!(items, [1, 2, 3, 4]);
/// assert!(merged.is_terminated());
/// assert_eq!(merged.size_hint(), (0, Some(0)));
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct SpawnMerge<T> {
    tasks: JoinSet<()>,
    receiver: mpsc::Receiver<T>,
    /// Set once it returned `None`: every task joined and the channel drained.
    ended: bool,
}

impl<T> Stream for SpawnMerge<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        // Surface a finished task's panic before anything else.
        while let Poll::Ready(Some(joined)) = this.tasks.poll_join_next(cx) {
            into_output(joined);
        }
        match this.receiver.poll_recv(cx) {
            Poll::Ready(None) => {
                // Every sender is gone, but a task that panicked drops its sender before it is
                // marked complete: end only once every task is joined, re-raising any panic.
                while let Some(joined) = core::task::ready!(this.tasks.poll_join_next(cx)) {
                    into_output(joined);
                }
                this.ended = true;
                Poll::Ready(None)
            }
            other => other,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.ended {
            (0, Some(0))
        } else {
            // The items already in the channel; the sources may have any number left.
            (self.receiver.len(), None)
        }
    }
}

impl<T> FusedStream for SpawnMerge<T> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

impl<T> fmt::Debug for SpawnMerge<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpawnMerge")
            .field("running", &self.tasks.len())
            .finish_non_exhaustive()
    }
}
