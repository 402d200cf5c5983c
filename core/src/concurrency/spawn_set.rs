//! `SpawnSet`: tokio tasks under keys, their results as they end, while tasks are spawned and
//! aborted. On the sets' engine: each child is a task's `JoinHandle`.
#![forbid(unsafe_code)]

use core::borrow::Borrow;
use core::fmt;
use core::future::{Future, poll_fn};
use core::hash::{BuildHasher, Hash};
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::hash::RandomState;

use futures_core::Stream;
use tokio::runtime::Handle;
use tokio::task::{Id, JoinError, JoinHandle};

use crate::concurrency::future_set::Futures;
use crate::concurrency::set::Set;

/// tokio tasks under keys of your choosing: their results as they end, as
/// `(key, Result<output, JoinError>)`, while tasks are spawned into the running set and aborted
/// by key. tokio-util's `JoinMap` (tokio's `JoinSet` with keys), on [`FutureSet`]'s engine.
/// Needs the `tokio` feature.
///
/// - [`spawn`](Self::spawn) starts a task under a key. A task already under that key is
///   aborted and leaves the set at once: its result never comes out (as in `JoinMap`).
/// - [`abort`](Self::abort), [`abort_matching`](Self::abort_matching) and
///   [`abort_all`](Self::abort_all) cancel tasks that stay in the set until their end is
///   joined: [`join_next`](Self::join_next) then gives `Err` with
///   [`JoinError::is_cancelled`] (or `Ok`, if the task had finished first), so once it has
///   come out, the task's future has been dropped. [`shutdown`](Self::shutdown) aborts every
///   task and waits for all of them that way.
/// - A task that panics, or that its runtime cancels as it shuts down, is an `Err` value
///   ([`JoinError::is_panic`], [`JoinError::is_cancelled`]): the set never panics for a task.
///   (The `spawn_*` functions re-raise those: they have no place for an error per output.)
/// - Dropping the set aborts every task still in it (as `JoinSet` and `JoinMap` do).
/// - It is a `Stream` of what `join_next` gives: `Ready(None)` when empty, and not fused
///   (spawn a task and it yields again). A spawn while a task waits on the set wakes it.
///
/// The errors are tokio's own [`JoinError`], not a type of ours: it is what `JoinSet` and
/// `JoinMap` users match on, and tokio is already a dependency of any program that runs
/// these tasks. The key is `K: Hash + Eq + Clone` as in [`FutureSet`]; it is hashed once per
/// spawn and per abort, and never cloned: it comes back from its slot with the result.
/// An unkeyed set, as `JoinSet`, is a `SpawnSet<tokio::task::Id, T>` filled by
/// [`spawn_with_id`](Self::spawn_with_id).
///
/// Where it differs from `JoinMap`: [`spawn`](Self::spawn) returns whether it replaced a task;
/// each task's result is polled at most once per poll of the set, within the set's budget of
/// 32 child polls (as [`FutureSet`]); and polling the set spends tokio's cooperative budget
/// both for the set (a unit per result) and inside each `JoinHandle` (as `JoinSet` does): two
/// units per result, where `JoinMap` spends one.
///
/// [`FutureSet`]: crate::FutureSet
///
/// # Panics
///
/// The `spawn_*` methods panic where tokio's do (outside a runtime, or `spawn_local` outside a
/// `LocalSet`), with nothing changed. A spawn whose key's `Hash` or `Eq` panics changes nothing
/// in the set, and aborts the task it has just started. An output that panics as it is dropped
/// unseen (its task replaced, or the set dropped, before it was joined) panics inside tokio's
/// `JoinHandle` drop, which catches it. An abort whose key's `Hash` or `Eq` panics aborts
/// nothing. A poll panics only if its waker does. See
/// [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// A download per URL; the user cancels the one that hangs:
///
/// ```
/// use asyncgen::SpawnSet;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut downloads = SpawnSet::new();
/// for url in ["a.example", "b.example", "c.example"] {
///     downloads.spawn(url, async move {
///         if url == "b.example" {
///             std::future::pending::<()>().await; // a server that never answers
///         }
///         url.len()
///     });
/// }
/// assert!(downloads.abort("b.example"));
/// let mut done = Vec::new();
/// while let Some((url, result)) = downloads.join_next().await {
///     match result {
///         Ok(bytes) => done.push((url, bytes)),
///         Err(error) => assert!(error.is_cancelled() && url == "b.example"),
///     }
/// }
/// done.sort();
/// assert_eq!(done, [("a.example", 9), ("c.example", 9)]);
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct SpawnSet<K, T, H = RandomState> {
    tasks: Set<K, Task<T>, Futures, H>,
}

/// A task in a set: its `JoinHandle`, which aborts the task when dropped before its result
/// came out (a bare `JoinHandle` detaches it).
struct Task<T> {
    handle: JoinHandle<T>,
    /// The result came out: nothing to abort.
    joined: bool,
}

impl<T> Future for Task<T> {
    type Output = Result<T, JoinError>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let result = core::task::ready!(Pin::new(&mut self.handle).poll(cx));
        self.joined = true;
        Poll::Ready(result)
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        if !self.joined {
            self.handle.abort();
        }
    }
}

impl<K: Hash + Eq + Clone, T> SpawnSet<K, T> {
    /// An empty set; it allocates on the first spawn.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// let set: SpawnSet<u32, ()> = SpawnSet::new();
    /// assert!(set.is_empty());
    /// ```
    pub fn new() -> Self {
        SpawnSet {
            tasks: Set::with_hasher(RandomState::new()),
        }
    }

    /// An empty set with room for `capacity` tasks before it grows (see
    /// [`FutureSet::with_capacity`](crate::FutureSet::with_capacity)).
    ///
    /// # Panics
    ///
    /// As [`FutureSet::with_capacity`](crate::FutureSet::with_capacity): if `capacity` rounds
    /// up to more slots than a set has.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// let set: SpawnSet<u32, ()> = SpawnSet::with_capacity(100);
    /// assert!(set.capacity() >= 100);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        SpawnSet {
            tasks: Set::with_capacity_and_hasher(capacity, RandomState::new()),
        }
    }
}

impl<K: Hash + Eq + Clone, T, H: BuildHasher> SpawnSet<K, T, H> {
    /// An empty set whose keys `hasher` hashes (see
    /// [`FutureSet::with_hasher`](crate::FutureSet::with_hasher)).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    /// use std::hash::{BuildHasherDefault, DefaultHasher};
    ///
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let set: SpawnSet<u64, (), Fixed> = SpawnSet::with_hasher(Fixed::default());
    /// assert!(set.is_empty());
    /// ```
    pub fn with_hasher(hasher: H) -> Self {
        SpawnSet {
            tasks: Set::with_hasher(hasher),
        }
    }

    /// An empty set with room for `capacity` tasks before it grows, whose keys `hasher` hashes.
    ///
    /// # Panics
    ///
    /// As [`with_capacity`](SpawnSet::with_capacity).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    /// use std::hash::{BuildHasherDefault, DefaultHasher};
    ///
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let set: SpawnSet<u64, (), Fixed> = SpawnSet::with_capacity_and_hasher(64, Fixed::default());
    /// assert!(set.capacity() >= 64);
    /// ```
    pub fn with_capacity_and_hasher(capacity: usize, hasher: H) -> Self {
        SpawnSet {
            tasks: Set::with_capacity_and_hasher(capacity, hasher),
        }
    }

    /// Spawns `task` on the current tokio runtime under `key`, as `tokio::spawn` does. A task
    /// already under `key` is aborted and leaves the set (its result never comes out); returns
    /// whether there was one.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, as `tokio::spawn`. See also [the type's](SpawnSet#panics).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// assert!(!set.spawn("job", async { 1 }));
    /// assert!(set.spawn("job", async { 2 })); // aborts the first
    /// let (key, result) = set.join_next().await.unwrap();
    /// assert_eq!((key, result.unwrap()), ("job", 2));
    /// assert!(set.join_next().await.is_none());
    /// # }
    /// ```
    #[track_caller]
    pub fn spawn<F>(&mut self, key: K, task: F) -> bool
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        self.insert(key, tokio::spawn(task))
    }

    /// Spawns `task` on the runtime of `handle` under `key`, as `Handle::spawn` does; as
    /// [`spawn`](Self::spawn) otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let mut set = SpawnSet::new();
    /// set.spawn_on(7, async { "elsewhere" }, runtime.handle());
    /// let (key, result) = runtime.block_on(set.join_next()).unwrap();
    /// assert_eq!((key, result.unwrap()), (7, "elsewhere"));
    /// ```
    #[track_caller]
    pub fn spawn_on<F>(&mut self, key: K, task: F, handle: &Handle) -> bool
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        self.insert(key, handle.spawn(task))
    }

    /// Spawns a `!Send` `task` on the current `LocalSet` (or local runtime) under `key`, as
    /// `tokio::task::spawn_local` does; as [`spawn`](Self::spawn) otherwise.
    ///
    /// # Panics
    ///
    /// Outside a `LocalSet` or local runtime, as `spawn_local`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    /// use std::rc::Rc;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let local = tokio::task::LocalSet::new();
    /// local
    ///     .run_until(async {
    ///         let mut set = SpawnSet::new();
    ///         let shared = Rc::new(5); // not `Send`
    ///         set.spawn_local('a', async move { *shared + 1 });
    ///         let (key, result) = set.join_next().await.unwrap();
    ///         assert_eq!((key, result.unwrap()), ('a', 6));
    ///     })
    ///     .await;
    /// # }
    /// ```
    #[track_caller]
    pub fn spawn_local<F>(&mut self, key: K, task: F) -> bool
    where
        F: Future<Output = T> + 'static,
        T: 'static,
    {
        self.insert(key, tokio::task::spawn_local(task))
    }

    /// Runs the blocking `work` on tokio's blocking pool under `key`, as
    /// `tokio::task::spawn_blocking` does; as [`spawn`](Self::spawn) otherwise, but aborting
    /// it only stops it before it starts (tokio cannot stop a running closure).
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, as `spawn_blocking`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn_blocking("sum", || (1..=100u32).sum::<u32>());
    /// let (key, result) = set.join_next().await.unwrap();
    /// assert_eq!((key, result.unwrap()), ("sum", 5050));
    /// # }
    /// ```
    #[track_caller]
    pub fn spawn_blocking<F>(&mut self, key: K, work: F) -> bool
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.insert(key, tokio::task::spawn_blocking(work))
    }

    /// Puts a spawned task under `key`; the task is aborted if the key's `Hash` or `Eq` panics
    /// (the `Task` is dropped with the panic).
    fn insert(&mut self, key: K, handle: JoinHandle<T>) -> bool {
        let task = Task {
            handle,
            joined: false,
        };
        // Replacing drops the old `Task`, which aborts it.
        self.tasks
            .insert_with(key, task, |place, offset, new| place.insert(offset, new))
            .is_some()
    }

    /// Aborts the task under `key`; returns whether there was one. The task stays in the set
    /// until its end is joined: [`join_next`](Self::join_next) then gives its key with `Err`
    /// ([`JoinError::is_cancelled`]), or with `Ok` if it had finished before the abort.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn(1, std::future::pending::<()>());
    /// assert!(set.abort(&1));
    /// assert!(set.contains_key(&1)); // until joined
    /// let (key, result) = set.join_next().await.unwrap();
    /// assert!(key == 1 && result.unwrap_err().is_cancelled());
    /// assert!(!set.abort(&1));
    /// # }
    /// ```
    pub fn abort<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        match self.tasks.get_pin_mut(key) {
            Some(task) => {
                task.handle.abort();
                true
            }
            None => false,
        }
    }

    /// Aborts each task whose key `aborts` says `true` of, as [`abort`](Self::abort) does.
    ///
    /// # Panics
    ///
    /// If `aborts` panics: the tasks it said `true` of before are aborted, the others not.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// for n in 0..4u32 {
    ///     set.spawn(n, async move {
    ///         tokio::task::yield_now().await;
    ///         n
    ///     });
    /// }
    /// set.abort_matching(|n| n % 2 == 1);
    /// let mut finished = Vec::new();
    /// while let Some((n, result)) = set.join_next().await {
    ///     if result.is_ok() {
    ///         finished.push(n);
    ///     }
    /// }
    /// finished.sort();
    /// assert_eq!(finished, [0, 2]);
    /// # }
    /// ```
    pub fn abort_matching(&mut self, mut aborts: impl FnMut(&K) -> bool) {
        for (key, task) in self.tasks.iter_pin_mut() {
            if aborts(key) {
                task.handle.abort();
            }
        }
    }

    /// Aborts every task, as [`abort`](Self::abort) does: each stays in the set until joined.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn("a", std::future::pending::<()>());
    /// set.spawn("b", std::future::pending::<()>());
    /// set.abort_all();
    /// assert_eq!(set.len(), 2);
    /// while let Some((_, result)) = set.join_next().await {
    ///     assert!(result.unwrap_err().is_cancelled());
    /// }
    /// # }
    /// ```
    pub fn abort_all(&mut self) {
        for (_, task) in self.tasks.iter_pin_mut() {
            task.handle.abort();
        }
    }

    /// Aborts every task and waits until each has stopped (its future dropped); the set is
    /// then empty. The results, panics and cancellations alike, are dropped: join them with
    /// [`abort_all`](Self::abort_all) and [`join_next`](Self::join_next) to see them.
    ///
    /// # Panics
    ///
    /// If an output it drops panics as it is dropped: that task is out of the set, the others
    /// are aborted and still in it (call `shutdown` again to wait for them).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
    /// let mut set = SpawnSet::new();
    /// set.spawn((), async move {
    ///     std::future::pending::<()>().await;
    ///     drop(sender);
    /// });
    /// set.shutdown().await;
    /// assert!(set.is_empty());
    /// assert!(receiver.await.is_err()); // the task's future, and its sender, are gone
    /// # }
    /// ```
    pub async fn shutdown(&mut self) {
        self.abort_all();
        while self.join_next().await.is_some() {}
    }

    /// The next task to end, with its key: its output, or how it failed (a panic, an abort, its
    /// runtime shutting down). `None` if the set is empty. Cancel-safe: a result comes out
    /// only when this resolves.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn("ok", async { 1 });
    /// set.spawn("boom", async { panic!("task failed") });
    /// let mut results = Vec::new();
    /// while let Some((key, result)) = set.join_next().await {
    ///     results.push((key, result.map_err(|error| error.is_panic())));
    /// }
    /// results.sort();
    /// assert_eq!(results, [("boom", Err(true)), ("ok", Ok(1))]);
    /// # }
    /// ```
    pub async fn join_next(&mut self) -> Option<(K, Result<T, JoinError>)> {
        poll_fn(|cx| self.poll_join_next(cx)).await
    }

    /// [`join_next`](Self::join_next) as a poll: `Ready(None)` if the set is empty, `Pending`
    /// (with `cx`'s waker woken when a task ends or is spawned) if no task has ended.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut set: SpawnSet<u8, ()> = SpawnSet::new();
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert!(matches!(set.poll_join_next(&mut cx), Poll::Ready(None)));
    /// ```
    pub fn poll_join_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<(K, Result<T, JoinError>)>> {
        self.tasks.poll_next(cx)
    }

    /// A task that has ended, if one has, without waiting: `None` if none has (or the set is
    /// empty). As `JoinMap::try_join_next`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn("quick", async { 3 });
    /// assert!(set.try_join_next().is_none()); // not run yet
    /// tokio::task::yield_now().await; // the task runs
    /// let (key, result) = set.try_join_next().unwrap();
    /// assert_eq!((key, result.unwrap()), ("quick", 3));
    /// # }
    /// ```
    pub fn try_join_next(&mut self) -> Option<(K, Result<T, JoinError>)> {
        match self.poll_join_next(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(joined) => joined,
            Poll::Pending => None,
        }
    }

    /// Whether a task is under `key` (one aborted but not joined yet included).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn(String::from("index.html"), async {});
    /// assert!(set.contains_key("index.html"));
    /// # }
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.tasks.contains_key(key)
    }

    /// How many tasks are in the set: those not joined yet, aborted ones included.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn(1, async {});
    /// assert_eq!(set.len(), 1);
    /// set.join_next().await;
    /// assert_eq!(set.len(), 0);
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the set has no task.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// assert!(SpawnSet::<u8, ()>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tasks.len() == 0
    }

    /// How many tasks the set holds without growing.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// assert_eq!(SpawnSet::<u8, ()>::new().capacity(), 0);
    /// ```
    pub fn capacity(&self) -> usize {
        self.tasks.capacity()
    }

    /// The keys, in no particular order.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// set.spawn('a', std::future::pending::<()>());
    /// assert_eq!(set.keys().collect::<Vec<_>>(), [&'a']);
    /// # }
    /// ```
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &K> {
        self.tasks.keys()
    }
}

impl<T, H: BuildHasher> SpawnSet<Id, T, H> {
    /// Spawns `task` as [`spawn`](Self::spawn) does, under its own task id, and returns the id:
    /// an unkeyed set, as tokio's `JoinSet` (whose `join_next_with_id` gives the id with the
    /// result; here every result comes with it).
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, as `tokio::spawn`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::SpawnSet;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = SpawnSet::new();
    /// let id = set.spawn_with_id(async { "unkeyed" });
    /// let (joined, result) = set.join_next().await.unwrap();
    /// assert_eq!((joined, result.unwrap()), (id, "unkeyed"));
    /// # }
    /// ```
    #[track_caller]
    pub fn spawn_with_id<F>(&mut self, task: F) -> Id
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let handle = tokio::spawn(task);
        let id = handle.id();
        self.insert(id, handle);
        id
    }
}

impl<K: Hash + Eq + Clone, T> Default for SpawnSet<K, T> {
    /// An empty set ([`new`](SpawnSet::new)); with std's `RandomState` only, so that
    /// `SpawnSet::default()` needs no hasher named (as `JoinMap`'s).
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Hash + Eq + Clone, T, H: BuildHasher> Stream for SpawnSet<K, T, H> {
    type Item = (K, Result<T, JoinError>);

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_join_next(cx)
    }

    /// Exactly one result per task in the set (more may be spawned).
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.tasks.len(), Some(self.tasks.len()))
    }
}

impl<K: fmt::Debug, T, H> fmt::Debug for SpawnSet<K, T, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpawnSet")
            .field("keys", &self.tasks.debug_keys())
            .finish_non_exhaustive()
    }
}
