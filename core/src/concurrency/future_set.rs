//! `FutureSet`: futures under keys, their outputs as they complete, while futures join and
//! leave.
#![forbid(unsafe_code)]

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::future::Future;
use core::hash::{BuildHasher, Hash};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::hash::RandomState;

use futures_core::Stream;

use crate::concurrency::set::{Kind, Set, SetIntoIter, SetIter, SetIterMut, SetIterPinMut, Step};
use crate::concurrency::set_event::SetEvent;

/// Futures under keys of your choosing, run concurrently: a stream of `(key, output)` in
/// completion order, while futures are inserted and removed. asyncio's `asyncio.wait` on a
/// growing set of tasks (`FIRST_COMPLETED`, in a loop), or `FuturesUnordered` with keys.
///
/// - Each output comes once, as soon as its future completes; the future is then dropped,
///   key and all. Between futures, outputs come in the order the futures woke, fairly, each
///   future polled at most once per poll (one woken during its own poll waits for the next,
///   as in `FuturesUnordered`), at most 32 child polls per poll, and one unit of tokio's budget
///   per output with the `tokio`
///   feature (so a task draining it lets its worker's other tasks run: `FuturesUnordered`'s
///   futures-rs#2047 does not happen here).
/// - A wake-up costs O(1): each future has its own waker, and only those that woke are polled.
///   Insert and remove are O(1) (amortised: the set doubles when full, and then polls each
///   future once more with its new waker; [`with_capacity`](Self::with_capacity) avoids that).
/// - Removing cancels: the future is dropped ([`remove_pinned`](Self::remove_pinned)) or given
///   back ([`remove`](Self::remove), for `Unpin` futures), and never polled again by the set.
/// - When the set is empty, `poll_next` returns `Ready(None)`, but the set is not fused: insert
///   a future and it yields again. An insert while the set's task waits on it wakes that task,
///   as does removing the last future (the task then sees `Ready(None)`).
/// - Its futures are reached by key ([`get`](Self::get), [`get_pin_mut`](Self::get_pin_mut),
///   [`get_mut`](Self::get_mut)) or all together ([`iter`](Self::iter),
///   [`iter_pin_mut`](Self::iter_pin_mut), [`iter_mut`](Self::iter_mut), `for .. in &set`), as
///   in a `HashMap`; [`retain`](Self::retain) and [`clear`](Self::clear) drop many at once;
///   `into_iter` moves `Unpin` futures out. `collect()`, `from_iter` and `default()` hash with
///   std's `RandomState` (another hasher: [`with_hasher`](Self::with_hasher), then `extend`).
///
/// Futures may be `!Unpin` (`async` blocks and fns): they are pinned in place, in chunks that
/// never move. Needs the `std` feature: keys are hashed
/// once per insert or remove, by std's `RandomState` as in a `HashMap` (HashDoS-resistant), or
/// by the `BuildHasher` given to [`with_hasher`](Self::with_hasher) (the third type parameter,
/// `H`).
///
/// # Panics
///
/// Its poll panics when a future's poll or drop panics, or the waker it is polled with does, with
/// that panic's payload. The future whose poll or drop panicked is dropped and removed, key and all
/// (its slot freed first): polled on, the set goes on with the other futures. An insert or remove
/// whose key's `Hash` or `Eq` panics changes nothing; one whose old future panics as it is dropped
/// has done its work (the new future is in, the old one out) before the panic goes on, as has a
/// [`retain`](Self::retain) or [`clear`](Self::clear) (every future it removes is out and dropped).
/// (Without the `std` feature there are no sets.) See [the crate
/// docs](crate#when-user-code-panics).
///
/// # Examples
///
/// A crawler that fetches each link it finds, at most 2 at a time:
///
/// ```
/// use asyncgen::FutureSet;
/// use futures::StreamExt;
///
/// async fn fetch(page: u32) -> Vec<u32> {
///     // the links on `page`: a tree of pages 1..=7
///     [page * 2, page * 2 + 1].into_iter().filter(|&p| p <= 7).collect()
/// }
///
/// let mut to_visit = vec![1];
/// let mut visited = Vec::new();
/// let mut fetches = FutureSet::new();
/// futures::executor::block_on(async {
///     loop {
///         while fetches.len() < 2 {
///             let Some(page) = to_visit.pop() else { break };
///             fetches.insert_pinned(page, fetch(page));
///         }
///         let Some((page, links)) = fetches.next().await else { break };
///         visited.push(page);
///         to_visit.extend(links);
///     }
/// });
/// visited.sort();
/// assert_eq!(visited, [1, 2, 3, 4, 5, 6, 7]);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct FutureSet<K, F, H = RandomState> {
    set: Set<K, F, Futures, H>,
}

/// Children polled as futures.
#[derive(Debug)]
pub(crate) enum Futures {}

impl<F: Future> Kind<F> for Futures {
    type Item = F::Output;

    #[inline]
    fn poll(child: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<Step<F::Output>> {
        child.poll(cx).map(Step::Last)
    }

    fn size_hint(_: &F) -> (usize, Option<usize>) {
        (1, Some(1))
    }
}

impl<K: Hash + Eq + Clone, F: Future> FutureSet<K, F> {
    /// An empty set; it allocates on the first insert.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::Ready;
    ///
    /// let set: FutureSet<u32, Ready<()>> = FutureSet::new();
    /// assert!(set.is_empty());
    /// ```
    pub fn new() -> Self {
        FutureSet {
            set: Set::with_hasher(RandomState::new()),
        }
    }

    /// An empty set with room for `capacity` futures (rounded up to a power of two) before it
    /// grows: inserting up to `capacity` allocates nothing, as for `HashMap::with_capacity`.
    ///
    /// # Panics
    ///
    /// With "capacity overflow" if `capacity` rounded up to a power of two overflows `usize`;
    /// and if it rounds up to more slots than a set has (4 294 967 294: any `capacity` above
    /// 2^31).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::Ready;
    ///
    /// let set: FutureSet<u32, Ready<()>> = FutureSet::with_capacity(100);
    /// assert!(set.capacity() >= 100);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        FutureSet {
            set: Set::with_capacity_and_hasher(capacity, RandomState::new()),
        }
    }
}

impl<K: Hash + Eq + Clone, F: Future, H: BuildHasher> FutureSet<K, F, H> {
    /// An empty set whose keys `hasher` hashes (as `HashMap::with_hasher`): std's
    /// `RandomState`, the default, resists HashDoS, an adversary picking keys that collide; for
    /// keys no adversary picks, a faster one (such as rustc-hash's `FxBuildHasher` or
    /// foldhash's) makes inserts and removes cheaper. It allocates on the first insert.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use futures::StreamExt;
    /// use std::hash::{BuildHasherDefault, DefaultHasher};
    ///
    /// // No random seed: the same hashes in every run (std's `RandomState` seeds each set anew).
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let mut set = FutureSet::with_hasher(Fixed::default());
    /// set.insert_pinned("answer", async { 42 });
    /// let outputs: Vec<(&str, i32)> = futures::executor::block_on(set.collect());
    /// assert_eq!(outputs, [("answer", 42)]);
    /// ```
    pub fn with_hasher(hasher: H) -> Self {
        FutureSet {
            set: Set::with_hasher(hasher),
        }
    }

    /// An empty set with room for `capacity` futures before it grows, whose keys `hasher`
    /// hashes (see [`with_hasher`](Self::with_hasher)).
    ///
    /// # Panics
    ///
    /// With "capacity overflow" if `capacity` rounded up to a power of two overflows `usize`;
    /// and if it rounds up to more slots than a set has (4 294 967 294: any `capacity` above
    /// 2^31).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::Ready;
    /// use std::hash::{BuildHasherDefault, DefaultHasher};
    ///
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let set: FutureSet<u64, Ready<u8>, Fixed> =
    ///     FutureSet::with_capacity_and_hasher(64, Fixed::default());
    /// assert!(set.capacity() >= 64);
    /// ```
    pub fn with_capacity_and_hasher(capacity: usize, hasher: H) -> Self {
        FutureSet {
            set: Set::with_capacity_and_hasher(capacity, hasher),
        }
    }

    /// The set's hasher of keys.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::Ready;
    /// use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    ///
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let set: FutureSet<u8, Ready<()>, Fixed> = FutureSet::with_hasher(Fixed::default());
    /// assert_eq!(set.hasher().hash_one(7_u8), Fixed::default().hash_one(7_u8));
    /// ```
    pub fn hasher(&self) -> &H {
        self.set.hasher()
    }

    /// Puts `future` under `key`, pinned in place. A future already under `key` is dropped
    /// (cancelled); returns whether there was one.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use futures::StreamExt;
    ///
    /// async fn double(n: u32) -> u32 {
    ///     n * 2
    /// }
    ///
    /// let mut set = FutureSet::new(); // `async fn` futures are `!Unpin`: no box needed
    /// set.insert_pinned("a", double(1));
    /// assert!(set.insert_pinned("a", double(5))); // replaces the first
    /// let outputs: Vec<(&str, u32)> = futures::executor::block_on(set.collect());
    /// assert_eq!(outputs, [("a", 10)]);
    /// ```
    pub fn insert_pinned(&mut self, key: K, future: F) -> bool {
        self.set
            .insert_with(key, future, |place, offset, new| place.insert(offset, new))
            .is_some()
    }

    /// Cancels the future under `key`: it is dropped, never polled again. Returns whether there
    /// was one.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use futures::StreamExt;
    ///
    /// async fn download(url: &str) -> usize {
    ///     url.len()
    /// }
    ///
    /// let mut set = FutureSet::new();
    /// set.insert_pinned(1, download("https://example.com/big.iso"));
    /// set.insert_pinned(2, download("https://example.com/"));
    /// assert!(set.remove_pinned(&1));
    /// let outputs: Vec<(i32, usize)> = futures::executor::block_on(set.collect());
    /// assert_eq!(outputs, [(2, 20)]);
    /// ```
    pub fn remove_pinned<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set
            .remove_with(key, |place, offset| place.remove(offset))
            .is_some()
    }

    /// Whether a future is under `key`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    ///
    /// let mut set = FutureSet::new();
    /// set.insert(String::from("index.html"), std::future::ready(200));
    /// assert!(set.contains_key("index.html"));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.contains_key(key)
    }

    /// How many futures are in the set (not those whose output was handed out).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    ///
    /// let mut set = FutureSet::new();
    /// set.insert(1, std::future::ready(()));
    /// assert_eq!(set.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether the set has no future.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::Ready;
    ///
    /// assert!(FutureSet::<u8, Ready<()>>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.set.len() == 0
    }

    /// How many futures the set holds without growing.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::Ready;
    ///
    /// assert_eq!(FutureSet::<u8, Ready<()>>::new().capacity(), 0);
    /// ```
    pub fn capacity(&self) -> usize {
        self.set.capacity()
    }

    /// The keys, in no particular order.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    ///
    /// let mut set = FutureSet::new();
    /// set.insert('a', std::future::pending::<()>());
    /// assert_eq!(set.keys().collect::<Vec<_>>(), [&'a']);
    /// ```
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &K> {
        self.set.keys()
    }
}

impl<K: Hash + Eq + Clone, F: Future + Unpin, H: BuildHasher> FutureSet<K, F, H> {
    /// Puts `future` under `key`, and gives back the future that was there, if any (never
    /// polled again by the set).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::{Ready, ready};
    ///
    /// let mut set: FutureSet<&str, Ready<u32>> = FutureSet::new();
    /// assert!(set.insert("a", ready(1)).is_none());
    /// let old = set.insert("a", ready(2)).unwrap();
    /// assert_eq!(futures::executor::block_on(old), 1);
    /// ```
    pub fn insert(&mut self, key: K, future: F) -> Option<F> {
        self.set
            .insert_with(key, future, |place, offset, new| place.replace(offset, new))
            .flatten()
    }

    /// Takes the future under `key` out of the set and gives it back, not polled again by the
    /// set.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    ///
    /// let mut set = FutureSet::new();
    /// set.insert(7, Box::pin(async { "done" }));
    /// let future = set.remove(&7).unwrap();
    /// assert!(set.is_empty());
    /// assert_eq!(futures::executor::block_on(future), "done");
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<F>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set
            .remove_with(key, |place, offset| place.take(offset))
            .flatten()
    }
}

// The access API (issue 28): one future by key, all of them, and removals of many.
impl<K: Hash + Eq + Clone, F: Future, H: BuildHasher> FutureSet<K, F, H> {
    /// The future under `key`, if any (`HashMap::get`).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::{Ready, ready};
    ///
    /// let mut set: FutureSet<&str, Ready<u8>> = FutureSet::new();
    /// set.insert("a", ready(1));
    /// assert!(set.get("a").is_some());
    /// assert!(set.get("b").is_none());
    /// ```
    pub fn get<Q>(&self, key: &Q) -> Option<&F>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.get(key)
    }

    /// The future under `key`, pinned (it may be `!Unpin`), if any; [`get_mut`](Self::get_mut)
    /// gives `&mut F` for `Unpin` futures. Named as `FuturesUnordered::iter_pin_mut` is beside
    /// its `iter_mut`, and as this set's `insert_pinned` beside `insert`.
    ///
    /// Polling it yourself registers your waker in place of the set's: the set polls it again
    /// when the set's waker wakes (or after a growth), so poll it to completion only if you then
    /// remove it.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::pin::Pin;
    ///
    /// let mut set = FutureSet::new();
    /// set.insert_pinned(1, async { 7 }); // `!Unpin`
    /// let future: Pin<&mut _> = set.get_pin_mut(&1).unwrap();
    /// let _ = future; // could be polled, or asked something through `Pin::as_mut`
    /// assert!(set.get_pin_mut(&2).is_none());
    /// ```
    pub fn get_pin_mut<Q>(&mut self, key: &Q) -> Option<Pin<&mut F>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.get_pin_mut(key)
    }

    /// Every future with its key, in no particular order (`HashMap::iter`; `FuturesUnordered`'s
    /// `iter` gives the futures alone).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::{Ready, ready};
    ///
    /// let mut set: FutureSet<u32, Ready<()>> = FutureSet::new();
    /// set.extend([(1, ready(())), (2, ready(()))]);
    /// let mut keys: Vec<u32> = set.iter().map(|(&key, _future)| key).collect();
    /// keys.sort();
    /// assert_eq!(keys, [1, 2]);
    /// ```
    pub fn iter(&self) -> SetIter<'_, K, F> {
        self.set.iter()
    }

    /// Every future with its key, pinned (they may be `!Unpin`), in no particular order
    /// (`FuturesUnordered::iter_pin_mut`); [`iter_mut`](Self::iter_mut) gives `&mut F` for
    /// `Unpin` futures. Polling one yourself: see [`get_pin_mut`](Self::get_pin_mut).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    ///
    /// async fn job(n: u32) -> u32 {
    ///     n
    /// }
    ///
    /// let mut set = FutureSet::new();
    /// set.insert_pinned('a', job(1)); // `!Unpin`
    /// set.insert_pinned('b', job(2));
    /// assert_eq!(set.iter_pin_mut().len(), 2);
    /// ```
    pub fn iter_pin_mut(&mut self) -> SetIterPinMut<'_, K, F> {
        self.set.iter_pin_mut()
    }

    /// Keeps the futures for which `keep` returns `true`, and drops (cancels) the others, as
    /// `HashMap::retain`. `keep` gets each future pinned, so it works for `!Unpin` futures
    /// too (`Pin::get_mut` gives `&mut F` of an `Unpin` one).
    ///
    /// # Panics
    ///
    /// When `keep` or a future's drop panics, with the first such panic's payload, once every
    /// future `keep` rejected is out of the set and dropped (a drop that panics does not stop the
    /// others). If `keep` panics, the futures it has not been given yet, and the one it panicked
    /// on, stay. A task waiting on a set left empty is woken before the panic goes on.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    ///
    /// let mut set = FutureSet::new();
    /// for n in 0..6 {
    ///     set.insert_pinned(n, async move { n * 10 });
    /// }
    /// set.retain(|&n, _future| n % 2 == 0);
    /// let mut keys: Vec<i32> = set.keys().copied().collect();
    /// keys.sort();
    /// assert_eq!(keys, [0, 2, 4]);
    /// ```
    pub fn retain(&mut self, keep: impl FnMut(&K, Pin<&mut F>) -> bool) {
        self.set.retain(keep);
    }

    /// Drops (cancels) every future, and keeps the capacity, as `HashMap::clear` (where
    /// `FuturesUnordered::clear` frees it). A task waiting on the set is woken, and sees
    /// `Ready(None)`.
    ///
    /// # Panics
    ///
    /// When a future's drop panics, with the first such panic's payload, once every future is out
    /// of the set and dropped (a drop that panics does not stop the others).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use futures::StreamExt;
    ///
    /// let mut set = FutureSet::new();
    /// for n in 0..3 {
    ///     set.insert_pinned(n, async move { n });
    /// }
    /// set.clear();
    /// assert!(set.is_empty());
    /// assert_eq!(futures::executor::block_on(set.next()), None);
    /// ```
    pub fn clear(&mut self) {
        self.set.clear();
    }
}

// The access API for `Unpin` futures: `&mut F` rather than `Pin<&mut F>`.
impl<K: Hash + Eq + Clone, F: Future + Unpin, H: BuildHasher> FutureSet<K, F, H> {
    /// The future under `key`, if any (`HashMap::get_mut`); for `!Unpin` futures,
    /// [`get_pin_mut`](Self::get_pin_mut).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use futures::channel::oneshot;
    ///
    /// let (_tx, rx) = oneshot::channel::<u8>();
    /// let mut set = FutureSet::new();
    /// set.insert("job", rx);
    /// set.get_mut("job").unwrap().close(); // its sender sees it cancelled
    /// ```
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut F>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.get_pin_mut(key).map(Pin::into_inner)
    }

    /// Every future with its key, as `&mut`, in no particular order (`HashMap::iter_mut`,
    /// `FuturesUnordered::iter_mut`); for `!Unpin` futures, [`iter_pin_mut`](Self::iter_pin_mut).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use futures::{StreamExt, channel::oneshot};
    ///
    /// let mut set = FutureSet::new();
    /// let (tx, rx) = oneshot::channel::<u8>();
    /// set.insert(1, rx);
    /// for (_key, rx) in set.iter_mut() {
    ///     rx.close();
    /// }
    /// assert!(tx.is_canceled());
    /// let outputs: Vec<_> = futures::executor::block_on(set.collect());
    /// assert_eq!(outputs, [(1, Err(oneshot::Canceled))]);
    /// ```
    pub fn iter_mut(&mut self) -> SetIterMut<'_, K, F> {
        SetIterMut(self.set.iter_pin_mut())
    }
}

/// The futures with their keys, moved out (never polled again by the set). Only for `Unpin`
/// futures: a pinned one cannot move; drop them with [`clear`](FutureSet::clear), or reach them
/// with [`iter_pin_mut`](FutureSet::iter_pin_mut).
///
/// # Examples
///
/// ```
/// use asyncgen::FutureSet;
/// use std::future::ready;
///
/// let set: FutureSet<_, _> = [(1, ready('a')), (2, ready('b'))].into_iter().collect();
/// let mut keys: Vec<i32> = set.into_iter().map(|(key, _future)| key).collect();
/// keys.sort();
/// assert_eq!(keys, [1, 2]);
/// ```
impl<K, F: Unpin, H> IntoIterator for FutureSet<K, F, H> {
    type Item = (K, F);
    type IntoIter = SetIntoIter<K, F>;

    fn into_iter(self) -> SetIntoIter<K, F> {
        self.set.into_children()
    }
}

/// As [`FutureSet::iter`].
///
/// # Examples
///
/// ```
/// use asyncgen::FutureSet;
///
/// let mut set = FutureSet::new();
/// set.insert(1, std::future::ready(()));
/// for (key, _future) in &set {
///     assert_eq!(*key, 1);
/// }
/// ```
impl<'a, K, F, H> IntoIterator for &'a FutureSet<K, F, H> {
    type Item = (&'a K, &'a F);
    type IntoIter = SetIter<'a, K, F>;

    fn into_iter(self) -> SetIter<'a, K, F> {
        self.set.iter()
    }
}

/// As [`FutureSet::iter_mut`].
///
/// # Examples
///
/// ```
/// use asyncgen::FutureSet;
/// use futures::channel::oneshot;
///
/// let mut set = FutureSet::new();
/// let (tx, rx) = oneshot::channel::<()>();
/// set.insert(1, rx);
/// for (_key, rx) in &mut set {
///     rx.close();
/// }
/// assert!(tx.is_canceled());
/// ```
impl<'a, K, F: Unpin, H> IntoIterator for &'a mut FutureSet<K, F, H> {
    type Item = (&'a K, &'a mut F);
    type IntoIter = SetIterMut<'a, K, F>;

    fn into_iter(self) -> SetIterMut<'a, K, F> {
        SetIterMut(self.set.iter_pin_mut())
    }
}

impl<K: Hash + Eq + Clone, F: Future, H: BuildHasher> FutureSet<K, F, H> {
    /// Up to `limit` outputs at once, appended to `buffer` with their keys; returns how
    /// many: tokio-stream's `StreamMap::next_many` (which `FuturesUnordered` lacks). It waits
    /// for at least one; then it takes, in one poll, as many as are ready, up to `limit`. It
    /// returns 0 only when the set is empty or `limit` is 0 (it then polls no future). Each
    /// output's future is gone from the set, as after `next`.
    ///
    /// The order and fairness of `next`: futures in the order they woke, each polled at most
    /// once per call (one woken during its own poll waits for the next call). One call polls
    /// at most `max(32, limit)` futures (a `next` polls at most 32): each output is work the
    /// caller asked for, as `limit` calls of `next` would poll as often, and the 32 still
    /// bound a call that finds few ready. With the `tokio` feature, a call spends one unit of
    /// tokio's budget, as tokio's own `Receiver::recv_many` does (`StreamMap::next_many`
    /// spends none).
    ///
    /// Cancel safe, as `next`: dropped before it completes, it has taken nothing.
    ///
    /// # Panics
    ///
    /// As `next` does (see [the type's docs](Self#panics)); the
    /// outputs taken before the panic are in `buffer`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::ready;
    ///
    /// let mut set = FutureSet::new();
    /// for n in 0..5 {
    ///     set.insert(n, ready(n * 10));
    /// }
    /// let mut buffer = Vec::new();
    /// futures::executor::block_on(async {
    ///     assert_eq!(set.next_many(&mut buffer, 3).await, 3);
    ///     assert_eq!(set.next_many(&mut buffer, 3).await, 2); // all that is left
    ///     assert_eq!(set.next_many(&mut buffer, 3).await, 0); // empty
    /// });
    /// buffer.sort();
    /// assert_eq!(buffer, [(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)]);
    /// ```
    pub async fn next_many(&mut self, buffer: &mut Vec<(K, F::Output)>, limit: usize) -> usize {
        core::future::poll_fn(|cx| self.poll_next_many(cx, buffer, limit)).await
    }

    /// The poll behind [`next_many`](Self::next_many): `Pending` if no output is ready
    /// and the set is not empty, else `Ready(n)`, the `n` outputs (at most `limit`)
    /// appended to `buffer`; `Ready(0)` only if the set is empty or `limit` is 0. As
    /// tokio-stream's `StreamMap::poll_next_many`.
    ///
    /// # Panics
    ///
    /// As [`next_many`](Self::next_many).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::FutureSet;
    /// use std::future::{pending, ready};
    /// use std::pin::Pin;
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut set: FutureSet<u8, Pin<Box<dyn Future<Output = u8>>>> = FutureSet::new();
    /// set.insert(1, Box::pin(pending()));
    /// let mut cx = Context::from_waker(Waker::noop());
    /// let mut buffer = Vec::new();
    /// assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 8), Poll::Pending);
    /// set.insert(2, Box::pin(ready(20)));
    /// assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 8), Poll::Ready(1));
    /// assert_eq!(buffer, [(2, 20)]);
    /// ```
    pub fn poll_next_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<(K, F::Output)>,
        limit: usize,
    ) -> Poll<usize> {
        self.set.poll_next_many(cx, buffer, limit)
    }

    /// The next [`SetEvent`]: an output with its key, as `next` gives, or the news that a
    /// future left the set without one: [`Ended`](SetEvent::Ended) (its poll or drop
    /// panicked), and, if [`report_removals`](Self::report_removals) is on,
    /// [`Removed`](SetEvent::Removed) (cancelled by a remove) and
    /// [`Replaced`](SetEvent::Replaced). `None` once the set is empty and every departure is
    /// reported (not fused, as `next`).
    ///
    /// Departures not yet reported (removals, replacements, and a future whose poll
    /// or drop panicked) come first, in the order they happened; then the futures
    /// are polled as by `next`, with the same fairness and budget. tokio-stream's `StreamMap`
    /// and futures' `FuturesUnordered` have no such call: their ended children are dropped
    /// silently. Opt-in, so `next` costs nothing more: it never looks at departures. Cancel
    /// safe.
    ///
    /// # Panics
    ///
    /// As `next` does (see [the type's docs](Self#panics)). The
    /// future whose poll or drop panicked is reported as
    /// [`Ended`](SetEvent::Ended) by the next call; a future whose drop panics on a
    /// remove or a replacement is reported all the same.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{FutureSet, SetEvent};
    /// use std::future::{Ready, ready};
    ///
    /// let mut set: FutureSet<&str, Ready<u32>> = FutureSet::new();
    /// set.report_removals(true);
    /// set.insert("slow", ready(1));
    /// set.insert("fast", ready(2));
    /// set.remove(&"slow"); // cancelled
    /// futures::executor::block_on(async {
    ///     assert_eq!(set.next_event().await, Some(SetEvent::Removed("slow")));
    ///     assert_eq!(set.next_event().await, Some(SetEvent::Item("fast", 2)));
    ///     assert_eq!(set.next_event().await, None);
    /// });
    /// ```
    pub async fn next_event(&mut self) -> Option<SetEvent<K, F::Output>> {
        core::future::poll_fn(|cx| self.poll_next_event(cx)).await
    }

    /// The poll behind [`next_event`](Self::next_event).
    ///
    /// # Panics
    ///
    /// As [`next_event`](Self::next_event).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{FutureSet, SetEvent};
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut set = FutureSet::new();
    /// set.insert_pinned('x', async { 7 });
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(Some(SetEvent::Item('x', 7))));
    /// assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
    /// ```
    pub fn poll_next_event(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<SetEvent<K, F::Output>>> {
        self.set.poll_next_event(cx)
    }

    /// Whether [`next_event`](Self::next_event) reports removals by key
    /// ([`Removed`](SetEvent::Removed), from `remove`, `remove_pinned`, and `retain` and
    /// `clear`, those two in no particular order) and replacements
    /// ([`Replaced`](SetEvent::Replaced), from an insert under a key in the set). Off in a new
    /// set: whoever removes a future usually knows, and the reports wait in the set
    /// (their keys, in a queue) until `next_event` hands them out, which `next` never does.
    /// Turned off, the reports not yet handed out are dropped. Useful when the code that
    /// removes is not the loop that says who left (a moderator's command, a timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{FutureSet, SetEvent};
    /// use std::future::{Pending, pending};
    ///
    /// let mut set: FutureSet<u32, Pending<()>> = FutureSet::new();
    /// set.insert(1, pending());
    /// set.remove(&1); // not reported: off by default
    /// set.report_removals(true);
    /// set.insert(2, pending());
    /// set.insert(2, pending()); // replaced
    /// futures::executor::block_on(async {
    ///     assert_eq!(set.next_event().await, Some(SetEvent::Replaced(2)));
    ///     set.report_removals(false); // no more reports
    ///     set.remove(&2);
    ///     assert_eq!(set.next_event().await, None);
    /// });
    /// ```
    pub fn report_removals(&mut self, report: bool) {
        self.set.report_removals(report);
    }
}

/// With std's `RandomState` only, as [`new`](FutureSet::new): so `FutureSet::default()` needs no
/// hasher named (a `Default` for every `H: Default` left `H` for the caller to name, as the type's
/// default parameter does not steer inference). With another hasher:
/// [`with_hasher`](FutureSet::with_hasher).
impl<K: Hash + Eq + Clone, F: Future> Default for FutureSet<K, F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Hash + Eq + Clone, F: Future, H: BuildHasher> Stream for FutureSet<K, F, H> {
    type Item = (K, F::Output);

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().set.poll_next(cx)
    }

    /// Exactly one output per future in the set (more may be inserted).
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.set.len(), Some(self.set.len()))
    }
}

impl<K: Hash + Eq + Clone, F: Future, H: BuildHasher> Extend<(K, F)> for FutureSet<K, F, H> {
    /// Inserts each future as [`insert_pinned`](Self::insert_pinned) does: a key already in the
    /// set gets the new future, and its old one is dropped (as `HashMap::extend` replaces a
    /// value, and `StreamMap::extend` a stream).
    fn extend<I: IntoIterator<Item = (K, F)>>(&mut self, futures: I) {
        for (key, future) in futures {
            self.insert_pinned(key, future);
        }
    }
}

/// With std's `RandomState` only (as [`Default`]): `FutureSet::from_iter(..)` and
/// `.collect::<FutureSet<_, _>>()` compile without the hasher named, as
/// `FuturesUnordered::from_iter` does. With another hasher: [`with_hasher`](FutureSet::with_hasher)
/// and [`extend`](Extend::extend). A key that comes twice keeps its last future (the first is
/// dropped), as in a `HashMap`.
impl<K: Hash + Eq + Clone, F: Future> FromIterator<(K, F)> for FutureSet<K, F> {
    fn from_iter<I: IntoIterator<Item = (K, F)>>(futures: I) -> Self {
        let futures = futures.into_iter();
        let mut set = Self::with_capacity(futures.size_hint().0);
        set.extend(futures);
        set
    }
}

impl<K: fmt::Debug, F, H> fmt::Debug for FutureSet<K, F, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FutureSet")
            .field("keys", &self.set.debug_keys())
            .finish_non_exhaustive()
    }
}
