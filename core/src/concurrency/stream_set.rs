//! `StreamSet`: streams under keys, merged, while streams join and leave.
#![forbid(unsafe_code)]

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::hash::RandomState;

use futures_core::Stream;

use crate::close::Close;
use crate::concurrency::child_panic;
use crate::concurrency::merge::sum_hints;
use crate::concurrency::set::{Kind, Set, SetIntoIter, SetIter, SetIterMut, SetIterPinMut, Step};
use crate::concurrency::set_event::SetEvent;

/// Streams under keys of your choosing, merged into one stream of `(key, item)`, while streams
/// are inserted and removed: tokio-stream's `StreamMap` with a wake-up that costs O(1), or a
/// [`merge`](crate::merge()) whose set of sources changes.
///
/// - Items come as in [`merge`](crate::merge()): in order within each stream; between streams
///   in the order they woke, fairly (a stream that yielded goes behind the others queued), each
///   stream polled at most once per poll (one woken during its own poll waits for the next, as
///   in `FuturesUnordered`), at most 32 child polls per poll, and one unit of tokio's budget
///   per item with the `tokio` feature.
/// - A wake-up costs O(1): each stream has its own waker, and only the streams that woke are
///   polled. [`insert`](Self::insert_pinned) and [`remove`](Self::remove_pinned) are O(1)
///   (amortised: the set doubles when full, and then polls each stream once more, with its new
///   waker; [`with_capacity`](Self::with_capacity) avoids that).
/// - A stream that ends is removed, key and all: silently, as in `StreamMap`, unless the set
///   is read with [`next_event`](Self::next_event), which reports it. When the set is empty,
///   `poll_next` returns `Ready(None)` (so `while let Some(..) = set.next().await` ends), but
///   the set is not fused: insert a stream and it yields again.
/// - Its streams are reached by key ([`get`](Self::get), [`get_pin_mut`](Self::get_pin_mut),
///   [`get_mut`](Self::get_mut)) or all together ([`iter`](Self::iter),
///   [`iter_pin_mut`](Self::iter_pin_mut), [`iter_mut`](Self::iter_mut), `for .. in &set`), as
///   in a `HashMap`; [`retain`](Self::retain) and [`clear`](Self::clear) drop many at once;
///   `into_iter` moves `Unpin` streams out. `collect()`, `from_iter` and `default()` hash with
///   std's `RandomState` (another hasher: [`with_hasher`](Self::with_hasher), then `extend`).
/// - An insert while the set's task waits on it wakes that task, so the new stream is polled;
///   so does removing the last stream (the task then sees `Ready(None)`).
/// - The set pulls an item from a stream only to hand it out: removing a stream, or dropping
///   the set, loses nothing still in a stream.
///
/// Streams may be `!Unpin` (such as `#[async_gen]` streams): they are pinned in place, in
/// chunks that never move, so [`insert_pinned`](Self::insert_pinned) and
/// [`remove_pinned`](Self::remove_pinned) drop the stream they take out. For `Unpin` streams
/// (channel receivers, boxed streams), [`insert`](Self::insert) and [`remove`](Self::remove)
/// give it back, as `StreamMap`'s do. Needs the `std` feature: keys are hashed
/// once per insert or remove, by std's `RandomState` as in a `HashMap` (HashDoS-resistant), or
/// by the `BuildHasher` given to [`with_hasher`](Self::with_hasher) (the third type parameter,
/// `H`).
///
/// # Panics
///
/// Its poll panics when a stream's poll or drop panics, a key's `clone` (one per item handed out),
/// or the waker it is polled with does, with that panic's payload. The stream whose poll or drop
/// panicked is dropped and removed, key and all (its slot freed first): polled on, the set goes on
/// with the other streams. An insert or remove whose key's `Hash` or `Eq` panics changes nothing;
/// one whose old stream panics as it is dropped has done its work (the new stream is in, the old
/// one out) before the panic goes on, as has a [`retain`](Self::retain) or [`clear`](Self::clear)
/// (every stream it removes is out and dropped). (Without the `std` feature there are no sets.) See
/// [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// use asyncgen::StreamSet;
/// use futures::{StreamExt, stream};
///
/// let mut set = StreamSet::new();
/// set.insert("odd", stream::iter([1, 3]));
/// set.insert("even", stream::iter([2, 4]));
/// futures::executor::block_on(async {
///     let mut items = Vec::new();
///     while let Some((key, n)) = set.next().await {
///         items.push((key, n));
///         if n == 3 {
///             set.insert("late", stream::iter([5, 7])); // joins while the set runs
///         }
///     }
///     items.sort();
///     assert_eq!(
///         items,
///         [("even", 2), ("even", 4), ("late", 5), ("late", 7), ("odd", 1), ("odd", 3)]
///     );
/// });
/// assert!(set.is_empty()); // every stream ended, and was removed
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct StreamSet<K, S, H = RandomState> {
    set: Set<K, S, Streams, H>,
}

/// Children polled as streams.
#[derive(Debug)]
pub(crate) enum Streams {}

impl<S: Stream> Kind<S> for Streams {
    type Item = S::Item;

    #[inline]
    fn poll(child: Pin<&mut S>, cx: &mut Context<'_>) -> Poll<Step<S::Item>> {
        child.poll_next(cx).map(|item| match item {
            Some(item) => Step::More(item),
            None => Step::Done,
        })
    }

    fn size_hint(child: &S) -> (usize, Option<usize>) {
        child.size_hint()
    }
}

impl<K: Hash + Eq + Clone, S: Stream> StreamSet<K, S> {
    /// An empty set; it allocates on the first insert.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream::Iter;
    ///
    /// let set: StreamSet<u32, Iter<std::ops::Range<u8>>> = StreamSet::new();
    /// assert!(set.is_empty());
    /// ```
    pub fn new() -> Self {
        StreamSet {
            set: Set::with_hasher(RandomState::new()),
        }
    }

    /// An empty set with room for `capacity` streams (rounded up to a power of two) before it
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
    /// use asyncgen::StreamSet;
    /// use futures::stream::Iter;
    ///
    /// let set: StreamSet<u32, Iter<std::ops::Range<u8>>> = StreamSet::with_capacity(1000);
    /// assert!(set.capacity() >= 1000);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        StreamSet {
            set: Set::with_capacity_and_hasher(capacity, RandomState::new()),
        }
    }
}

impl<K: Hash + Eq + Clone, S: Stream, H: BuildHasher> StreamSet<K, S, H> {
    /// An empty set whose keys `hasher` hashes (as `HashMap::with_hasher`): std's
    /// `RandomState`, the default, resists HashDoS, an adversary picking keys that collide; for
    /// keys no adversary picks, a faster one (such as rustc-hash's `FxBuildHasher` or
    /// foldhash's) makes inserts and removes cheaper. It allocates on the first insert.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{StreamExt, stream};
    /// use std::hash::{BuildHasherDefault, DefaultHasher};
    ///
    /// // No random seed: the same hashes in every run (std's `RandomState` seeds each set anew).
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let mut set = StreamSet::with_hasher(Fixed::default());
    /// set.insert(1_u64, stream::iter(['a', 'b']));
    /// let items: Vec<(u64, char)> = futures::executor::block_on(set.collect());
    /// assert_eq!(items, [(1, 'a'), (1, 'b')]);
    /// ```
    pub fn with_hasher(hasher: H) -> Self {
        StreamSet {
            set: Set::with_hasher(hasher),
        }
    }

    /// An empty set with room for `capacity` streams before it grows, whose keys `hasher`
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
    /// use asyncgen::StreamSet;
    /// use futures::stream::Iter;
    /// use std::hash::{BuildHasherDefault, DefaultHasher};
    ///
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let set: StreamSet<u64, Iter<std::vec::IntoIter<u8>>, Fixed> =
    ///     StreamSet::with_capacity_and_hasher(64, Fixed::default());
    /// assert!(set.capacity() >= 64);
    /// ```
    pub fn with_capacity_and_hasher(capacity: usize, hasher: H) -> Self {
        StreamSet {
            set: Set::with_capacity_and_hasher(capacity, hasher),
        }
    }

    /// The set's hasher of keys.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream::Empty;
    /// use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    ///
    /// type Fixed = BuildHasherDefault<DefaultHasher>;
    /// let set: StreamSet<u8, Empty<()>, Fixed> = StreamSet::with_hasher(Fixed::default());
    /// assert_eq!(set.hasher().hash_one(7_u8), Fixed::default().hash_one(7_u8));
    /// ```
    pub fn hasher(&self) -> &H {
        self.set.hasher()
    }

    /// Puts `stream` under `key`, pinned in place. A stream already under `key` is dropped
    /// (never polled again); returns whether there was one.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{StreamSet, async_gen, yield_};
    /// use futures::StreamExt;
    ///
    /// #[async_gen]
    /// async fn countdown(from: u32) -> u32 {
    ///     for n in (1..=from).rev() {
    ///         yield_!(n);
    ///     }
    /// }
    ///
    /// let mut set = StreamSet::new(); // `#[async_gen]` streams are `!Unpin`: no box needed
    /// assert!(!set.insert_pinned('a', countdown(5)));
    /// assert!(set.insert_pinned('a', countdown(2))); // replaces the first
    /// let items: Vec<(char, u32)> = futures::executor::block_on(set.collect());
    /// assert_eq!(items, [('a', 2), ('a', 1)]);
    /// ```
    pub fn insert_pinned(&mut self, key: K, stream: S) -> bool {
        self.set
            .insert_with(key, stream, |place, offset, new| place.insert(offset, new))
            .is_some()
    }

    /// Drops the stream under `key` (it is never polled again); returns whether there was one.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{StreamExt, stream};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert_pinned(1, stream::repeat('x'));
    /// set.insert_pinned(2, stream::repeat('y'));
    /// assert!(set.remove_pinned(&1));
    /// assert!(!set.remove_pinned(&1));
    /// let first = futures::executor::block_on(set.next());
    /// assert_eq!(first, Some((2, 'y')));
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

    /// Whether a stream is under `key`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream;
    ///
    /// let mut set = StreamSet::new();
    /// set.insert(String::from("alice"), stream::iter([1]));
    /// assert!(set.contains_key("alice"));
    /// assert!(!set.contains_key("bob"));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.contains_key(key)
    }

    /// How many streams are in the set (those that ended are not).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream;
    ///
    /// let mut set = StreamSet::new();
    /// set.insert(1, stream::empty::<()>());
    /// assert_eq!(set.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether the set has no stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream::Empty;
    ///
    /// assert!(StreamSet::<u8, Empty<()>>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.set.len() == 0
    }

    /// How many streams the set holds without growing.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream::Empty;
    ///
    /// assert_eq!(StreamSet::<u8, Empty<()>>::new().capacity(), 0);
    /// ```
    pub fn capacity(&self) -> usize {
        self.set.capacity()
    }

    /// The keys, in no particular order.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream;
    ///
    /// let mut set = StreamSet::new();
    /// set.insert('a', stream::pending::<()>());
    /// set.insert('b', stream::pending());
    /// let mut keys: Vec<char> = set.keys().copied().collect();
    /// keys.sort();
    /// assert_eq!(keys, ['a', 'b']);
    /// ```
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &K> {
        self.set.keys()
    }
}

impl<K: Hash + Eq + Clone, S: Stream + Unpin, H: BuildHasher> StreamSet<K, S, H> {
    /// Puts `stream` under `key`, and gives back the stream that was there, if any (it is
    /// never polled again by the set).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{StreamExt, stream};
    ///
    /// let mut set = StreamSet::new();
    /// assert!(set.insert("sensor", stream::iter([1, 2])).is_none());
    /// let old = set.insert("sensor", stream::iter([7, 8]));
    /// let old: Vec<i32> = futures::executor::block_on(old.unwrap().collect());
    /// assert_eq!(old, [1, 2]); // nothing was taken from it
    /// ```
    pub fn insert(&mut self, key: K, stream: S) -> Option<S> {
        self.set
            .insert_with(key, stream, |place, offset, new| place.replace(offset, new))
            .flatten()
    }

    /// Takes the stream under `key` out of the set and gives it back, with every item it has
    /// not yet handed out.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{StreamExt, stream};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert(1, stream::iter(['a', 'b', 'c']));
    /// let first = futures::executor::block_on(set.next());
    /// assert_eq!(first, Some((1, 'a')));
    /// let rest: String = futures::executor::block_on(set.remove(&1).unwrap().collect());
    /// assert_eq!(rest, "bc");
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<S>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set
            .remove_with(key, |place, offset| place.take(offset))
            .flatten()
    }
}

// The access API (issue 28): one stream by key, all of them, and removals of many.
impl<K: Hash + Eq + Clone, S: Stream, H: BuildHasher> StreamSet<K, S, H> {
    /// The stream under `key`, if any (`HashMap::get`, `StreamMap`'s `iter().find(..)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{Stream, stream};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert("a", stream::iter([1, 2, 3]));
    /// assert_eq!(set.get("a").unwrap().size_hint(), (3, Some(3)));
    /// assert!(set.get("b").is_none());
    /// ```
    pub fn get<Q>(&self, key: &Q) -> Option<&S>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.get(key)
    }

    /// The stream under `key`, pinned (it may be `!Unpin`), if any; [`get_mut`](Self::get_mut)
    /// gives `&mut S` for `Unpin` streams. Named as `FuturesUnordered::iter_pin_mut` is beside
    /// its `iter_mut`, and as this set's `insert_pinned` beside `insert`.
    ///
    /// Polling it yourself registers your waker in place of the set's: the set polls it again
    /// when the set's waker wakes (or after a growth), and an item you take is not handed out
    /// by the set.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{StreamSet, async_gen, yield_};
    /// use futures::StreamExt;
    ///
    /// #[async_gen]
    /// async fn numbers() -> u32 {
    ///     yield_!(1);
    ///     yield_!(2);
    /// }
    ///
    /// let mut set = StreamSet::new();
    /// set.insert_pinned("n", numbers()); // `!Unpin`
    /// futures::executor::block_on(async {
    ///     // Takes an item straight from the stream, past the set.
    ///     let first = set.get_pin_mut("n").unwrap().next().await;
    ///     assert_eq!(first, Some(1));
    ///     assert_eq!(set.next().await, Some(("n", 2)));
    /// });
    /// ```
    pub fn get_pin_mut<Q>(&mut self, key: &Q) -> Option<Pin<&mut S>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.get_pin_mut(key)
    }

    /// Every stream with its key, in no particular order (`StreamMap::iter`, `HashMap::iter`).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{Stream, stream};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert('a', stream::iter(vec![1]));
    /// set.insert('b', stream::iter(vec![1, 2]));
    /// let mut hints: Vec<(char, usize)> =
    ///     set.iter().map(|(&key, s)| (key, s.size_hint().0)).collect();
    /// hints.sort();
    /// assert_eq!(hints, [('a', 1), ('b', 2)]);
    /// ```
    pub fn iter(&self) -> SetIter<'_, K, S> {
        self.set.iter()
    }

    /// Every stream with its key, pinned (they may be `!Unpin`), in no particular order
    /// (`FuturesUnordered::iter_pin_mut`); [`iter_mut`](Self::iter_mut) gives `&mut S` for
    /// `Unpin` streams, as `StreamMap::iter_mut`. Polling one yourself: see
    /// [`get_pin_mut`](Self::get_pin_mut).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{StreamSet, async_gen, yield_};
    ///
    /// #[async_gen]
    /// async fn ticks() -> u32 {
    ///     yield_!(1);
    /// }
    ///
    /// let mut set = StreamSet::new();
    /// set.insert_pinned(1, ticks());
    /// set.insert_pinned(2, ticks());
    /// let mut keys: Vec<i32> = set.iter_pin_mut().map(|(&key, _stream)| key).collect();
    /// keys.sort();
    /// assert_eq!(keys, [1, 2]);
    /// ```
    pub fn iter_pin_mut(&mut self) -> SetIterPinMut<'_, K, S> {
        self.set.iter_pin_mut()
    }

    /// Keeps the streams for which `keep` returns `true`, and drops the others, as
    /// `HashMap::retain`. `keep` gets each stream pinned, so it works for `!Unpin` streams
    /// too (`Pin::get_mut` gives `&mut S` of an `Unpin` one).
    ///
    /// # Panics
    ///
    /// When `keep` or a stream's drop panics, with the first such panic's payload, once every
    /// stream `keep` rejected is out of the set and dropped (a drop that panics does not stop the
    /// others). If `keep` panics, the streams it has not been given yet, and the one it panicked
    /// on, stay. A task waiting on a set left empty is woken before the panic goes on.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{StreamExt, stream};
    ///
    /// let mut room = StreamSet::new();
    /// for name in ["ann", "bob", "cy"] {
    ///     room.insert(name, stream::iter([format!("hi from {name}")]));
    /// }
    /// room.retain(|name, _messages| *name != "bob"); // bob is kicked
    /// let mut said: Vec<(&str, String)> = futures::executor::block_on(room.collect());
    /// said.sort();
    /// assert_eq!(said, [("ann", "hi from ann".into()), ("cy", "hi from cy".into())]);
    /// ```
    pub fn retain(&mut self, keep: impl FnMut(&K, Pin<&mut S>) -> bool) {
        self.set.retain(keep);
    }

    /// Drops every stream, and keeps the capacity, as `StreamMap::clear` and `HashMap::clear`.
    /// A task waiting on the set is woken, and sees `Ready(None)`.
    ///
    /// # Panics
    ///
    /// When a stream's drop panics, with the first such panic's payload, once every stream is out
    /// of the set and dropped (a drop that panics does not stop the others).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{StreamExt, stream};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert("a", stream::iter(vec![1]));
    /// set.insert("b", stream::iter(vec![1, 2]));
    /// set.clear();
    /// assert!(set.is_empty());
    /// assert_eq!(futures::executor::block_on(set.next()), None);
    /// ```
    pub fn clear(&mut self) {
        self.set.clear();
    }
}

// The access API for `Unpin` streams: `&mut S` rather than `Pin<&mut S>`.
impl<K: Hash + Eq + Clone, S: Stream + Unpin, H: BuildHasher> StreamSet<K, S, H> {
    /// The stream under `key`, if any (`HashMap::get_mut`); for `!Unpin` streams,
    /// [`get_pin_mut`](Self::get_pin_mut).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::channel::mpsc;
    ///
    /// let (tx, rx) = mpsc::unbounded::<String>();
    /// let mut set = StreamSet::new();
    /// set.insert("alice", rx);
    /// set.get_mut("alice").unwrap().close(); // no more messages from alice
    /// assert!(tx.is_closed());
    /// ```
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut S>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.set.get_pin_mut(key).map(Pin::into_inner)
    }

    /// Every stream with its key, as `&mut`, in no particular order (`StreamMap::iter_mut`,
    /// `HashMap::iter_mut`); for `!Unpin` streams, [`iter_pin_mut`](Self::iter_pin_mut).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::{Stream, stream};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert("a", stream::iter(vec![1]));
    /// set.insert("b", stream::iter(vec![1, 2]));
    /// let mut hints: Vec<usize> = set.iter_mut().map(|(_, s)| s.size_hint().0).collect();
    /// hints.sort();
    /// assert_eq!(hints, [1, 2]);
    /// ```
    pub fn iter_mut(&mut self) -> SetIterMut<'_, K, S> {
        SetIterMut(self.set.iter_pin_mut())
    }
}

/// The streams with their keys, moved out, each with every item it has not handed out. Only
/// for `Unpin` streams: a pinned one cannot move; drop them with [`clear`](StreamSet::clear), or
/// reach them with [`iter_pin_mut`](StreamSet::iter_pin_mut).
///
/// # Examples
///
/// ```
/// use asyncgen::StreamSet;
/// use futures::{StreamExt, stream};
///
/// let mut set = StreamSet::new();
/// set.insert(1, stream::iter(['a', 'b']));
/// let first = futures::executor::block_on(set.next());
/// assert_eq!(first, Some((1, 'a')));
/// for (key, rest) in set {
///     let rest: String = futures::executor::block_on(rest.collect());
///     assert_eq!((key, rest.as_str()), (1, "b"));
/// }
/// ```
impl<K, S: Unpin, H> IntoIterator for StreamSet<K, S, H> {
    type Item = (K, S);
    type IntoIter = SetIntoIter<K, S>;

    fn into_iter(self) -> SetIntoIter<K, S> {
        self.set.into_children()
    }
}

/// As [`StreamSet::iter`].
///
/// # Examples
///
/// ```
/// use asyncgen::StreamSet;
/// use futures::stream;
///
/// let mut set = StreamSet::new();
/// set.insert(1, stream::iter([()]));
/// for (key, _stream) in &set {
///     assert_eq!(*key, 1);
/// }
/// ```
impl<'a, K, S, H> IntoIterator for &'a StreamSet<K, S, H> {
    type Item = (&'a K, &'a S);
    type IntoIter = SetIter<'a, K, S>;

    fn into_iter(self) -> SetIter<'a, K, S> {
        self.set.iter()
    }
}

/// As [`StreamSet::iter_mut`].
///
/// # Examples
///
/// ```
/// use asyncgen::StreamSet;
/// use futures::channel::mpsc;
///
/// let mut set = StreamSet::new();
/// let (tx, rx) = mpsc::unbounded::<u8>();
/// set.insert(1, rx);
/// for (_key, rx) in &mut set {
///     rx.close();
/// }
/// assert!(tx.is_closed());
/// ```
impl<'a, K, S: Unpin, H> IntoIterator for &'a mut StreamSet<K, S, H> {
    type Item = (&'a K, &'a mut S);
    type IntoIter = SetIterMut<'a, K, S>;

    fn into_iter(self) -> SetIterMut<'a, K, S> {
        SetIterMut(self.set.iter_pin_mut())
    }
}

impl<K: Hash + Eq + Clone, S: Stream, H: BuildHasher> StreamSet<K, S, H> {
    /// Up to `limit` items at once, appended to `buffer` with their keys; returns how
    /// many: tokio-stream's `StreamMap::next_many`. It waits for at least one; then it takes,
    /// in one poll, as many as are ready, up to `limit`. It returns 0 only when the set is
    /// empty or `limit` is 0 (it then polls no stream).
    ///
    /// The order and fairness of `next`: streams in the
    /// order they woke, one that yielded behind the others queued (so `limit` items come from
    /// as many streams as are ready before a second from any), one woken during its
    /// own poll waiting for the next call. One call polls at most `max(32, limit)` children
    /// (a `next` polls at most 32): each item is work the caller asked for, as `limit`
    /// calls of `next` would poll as often, and the 32 still bound a call that finds few
    /// ready. With the `tokio` feature, a call spends one unit of tokio's budget, as tokio's own
    /// `Receiver::recv_many` does (`StreamMap::next_many` spends none).
    ///
    /// Cancel safe, as `next`: dropped before it completes, it has taken nothing.
    ///
    /// # Panics
    ///
    /// As `next` does (see [the type's docs](Self#panics)); the
    /// items taken before the panic are in `buffer`.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::StreamSet;
    /// use futures::stream;
    ///
    /// let mut set = StreamSet::new();
    /// set.insert('a', stream::iter(vec![1, 2, 3]));
    /// set.insert('b', stream::iter(vec![10]));
    /// let mut buffer = Vec::new();
    /// futures::executor::block_on(async {
    ///     assert_eq!(set.next_many(&mut buffer, 3).await, 3);
    ///     // Each stream once, in the order they were inserted, before a second item from `a`.
    ///     assert_eq!(buffer, [('a', 1), ('b', 10), ('a', 2)]);
    ///     buffer.clear();
    ///     assert_eq!(set.next_many(&mut buffer, 3).await, 1); // all that is left
    ///     assert_eq!(buffer, [('a', 3)]);
    ///     assert_eq!(set.next_many(&mut buffer, 3).await, 0); // empty
    /// });
    /// ```
    pub async fn next_many(&mut self, buffer: &mut Vec<(K, S::Item)>, limit: usize) -> usize {
        core::future::poll_fn(|cx| self.poll_next_many(cx, buffer, limit)).await
    }

    /// The poll behind [`next_many`](Self::next_many): `Pending` if no item is ready
    /// and the set is not empty, else `Ready(n)`, the `n` items (at most `limit`)
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
    /// use asyncgen::StreamSet;
    /// use futures::{StreamExt, stream};
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert(1, stream::pending::<u8>().boxed());
    /// let mut cx = Context::from_waker(Waker::noop());
    /// let mut buffer = Vec::new();
    /// assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 8), Poll::Pending);
    /// set.insert(2, stream::iter([7, 8]).boxed());
    /// assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 8), Poll::Ready(2));
    /// assert_eq!(buffer, [(2, 7), (2, 8)]);
    /// assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 0), Poll::Ready(0)); // limit 0
    /// ```
    pub fn poll_next_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<(K, S::Item)>,
        limit: usize,
    ) -> Poll<usize> {
        self.set.poll_next_many(cx, buffer, limit)
    }

    /// The next [`SetEvent`]: an item with its key, as `next`
    /// gives, or the news that a stream left the set: [`Ended`](SetEvent::Ended)
    /// (a stream's end, or a panic), and, if [`report_removals`](Self::report_removals) is on,
    /// [`Removed`](SetEvent::Removed) and [`Replaced`](SetEvent::Replaced). `None` once the set
    /// is empty and every departure is reported (not fused, as `next`).
    ///
    /// Departures not yet reported (removals, replacements, and a stream whose poll
    /// or drop panicked) come first, in the order they happened; then the streams
    /// are polled as by `next`, with the same fairness and budget. tokio-stream's `StreamMap`
    /// and futures' `FuturesUnordered` have no such call: their ended children are dropped
    /// silently. Opt-in, so `next` costs nothing more: it never looks at departures. Cancel
    /// safe.
    ///
    /// # Panics
    ///
    /// As `next` does (see [the type's docs](Self#panics)). The
    /// stream whose poll or drop panicked is reported as
    /// [`Ended`](SetEvent::Ended) by the next call; a stream whose drop panics on a
    /// remove or a replacement is reported all the same.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{SetEvent, StreamSet};
    /// use futures::stream;
    ///
    /// let mut set = StreamSet::new();
    /// set.insert("bob", stream::iter(["bye"]));
    /// futures::executor::block_on(async {
    ///     assert_eq!(set.next_event().await, Some(SetEvent::Item("bob", "bye")));
    ///     assert_eq!(set.next_event().await, Some(SetEvent::Ended("bob"))); // `next` says nothing
    ///     assert_eq!(set.next_event().await, None);
    /// });
    /// ```
    pub async fn next_event(&mut self) -> Option<SetEvent<K, S::Item>> {
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
    /// use asyncgen::{StreamSet, SetEvent};
    /// use std::task::{Context, Poll, Waker};
    ///
    /// let mut set = StreamSet::new();
    /// set.insert(1, futures::stream::empty::<()>());
    /// let mut cx = Context::from_waker(Waker::noop());
    /// assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(Some(SetEvent::Ended(1))));
    /// assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
    /// ```
    pub fn poll_next_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<SetEvent<K, S::Item>>> {
        self.set.poll_next_event(cx)
    }

    /// Whether [`next_event`](Self::next_event) reports removals by key
    /// ([`Removed`](SetEvent::Removed), from `remove`, `remove_pinned`, and `retain` and
    /// `clear`, those two in no particular order) and replacements
    /// ([`Replaced`](SetEvent::Replaced), from an insert under a key in the set). Off in a new
    /// set: whoever removes a stream usually knows, and the reports wait in the set
    /// (their keys, in a queue) until `next_event` hands them out, which `next` never does.
    /// Turned off, the reports not yet handed out are dropped. Useful when the code that
    /// removes is not the loop that says who left (a moderator's command, a timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{SetEvent, StreamSet};
    /// use futures::stream;
    ///
    /// let mut set = StreamSet::new();
    /// set.report_removals(true);
    /// set.insert("alice", stream::pending::<()>());
    /// set.insert("alice", stream::pending()); // she reconnects: the old stream is replaced
    /// set.remove(&"alice"); // and is kicked
    /// futures::executor::block_on(async {
    ///     assert_eq!(set.next_event().await, Some(SetEvent::Replaced("alice")));
    ///     assert_eq!(set.next_event().await, Some(SetEvent::Removed("alice")));
    ///     assert_eq!(set.next_event().await, None);
    /// });
    /// ```
    pub fn report_removals(&mut self, report: bool) {
        self.set.report_removals(report);
    }
}

/// With std's `RandomState` only, as [`new`](StreamSet::new): so `StreamSet::default()` needs no
/// hasher named (a `Default` for every `H: Default` left `H` for the caller to name, as the type's
/// default parameter does not steer inference). With another hasher:
/// [`with_hasher`](StreamSet::with_hasher).
impl<K: Hash + Eq + Clone, S: Stream> Default for StreamSet<K, S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Hash + Eq + Clone, S: Stream, H: BuildHasher> Stream for StreamSet<K, S, H> {
    type Item = (K, S::Item);

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().set.poll_next(cx)
    }

    /// The sum of the streams' hints: more may be inserted.
    fn size_hint(&self) -> (usize, Option<usize>) {
        sum_hints(self.set.size_hints())
    }
}

// Closing: Python's `aclose()` passed on to the streams ([`Close`]).
impl<K: Hash + Eq + Clone, S: Stream + Close, H: BuildHasher> StreamSet<K, S, H> {
    /// Closes the stream under `key` ([`Close::close`]: its `finally!` blocks run, their
    /// `.await`s included), then removes it; whether it was in the set. The other streams are
    /// not polled meanwhile. A panic in its close removes it, then reaches the caller.
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::{StreamSet, async_gen, finally, yield_};
    /// use futures::StreamExt;
    /// use std::sync::{Arc, Mutex};
    ///
    /// #[async_gen]
    /// async fn session(name: &'static str, log: Arc<Mutex<Vec<String>>>) -> String {
    ///     finally! {
    ///         log.lock().unwrap().push(format!("{name} left"));
    ///     }
    ///     loop {
    ///         yield_!(format!("{name} is here"));
    ///     }
    /// }
    ///
    /// let log = Arc::new(Mutex::new(Vec::new()));
    /// let mut room = StreamSet::new();
    /// room.insert_pinned("ann", session("ann", log.clone()));
    /// room.insert_pinned("bob", session("bob", log.clone()));
    /// futures::executor::block_on(async {
    ///     // Both have started (a stream closed before its first poll has no cleanup to run).
    ///     let mut said: Vec<String> = (&mut room).take(2).map(|(_, line)| line).collect().await;
    ///     said.sort();
    ///     assert_eq!(said, ["ann is here", "bob is here"]);
    ///     assert!(room.close_key(&"bob").await);
    ///     assert!(!room.close_key(&"bob").await);
    /// });
    /// assert_eq!(room.keys().collect::<Vec<_>>(), [&"ann"]);
    /// assert_eq!(*log.lock().unwrap(), ["bob left"]);
    /// ```
    pub async fn close_key<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        core::future::poll_fn(|cx| {
            let Some(stream) = self.get_pin_mut(key) else {
                return Poll::Ready(false);
            };
            match child_panic::catch(|| stream.poll_close(cx)) {
                Ok(Poll::Pending) => {
                    // Also polled by the set's next poll, should this future be dropped:
                    // its close goes on there.
                    self.set.queue(Some(key));
                    Poll::Pending
                }
                Ok(Poll::Ready(())) => Poll::Ready(self.remove_pinned(key)),
                Err(panic) => {
                    self.remove_pinned(key);
                    panic.resume()
                }
            }
        })
        .await
    }
}

/// Closes every stream in the set, all at once (each polled to close with the caller's
/// context), removing each as it has closed; `Ready` once the set is empty. A close left
/// pending (this future dropped, or `next` called in between) goes on in the set's next poll,
/// where the stream ends. The set stays usable: streams inserted later are polled as before.
/// A panic in a stream's close removes it, then reaches the caller; closed again, the set goes
/// on with the others.
impl<K: Hash + Eq + Clone, S: Stream + Close, H: BuildHasher> Close for StreamSet<K, S, H> {
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut panicked = None;
        this.set.retain(|_, stream| {
            if panicked.is_some() {
                return true;
            }
            match child_panic::catch(|| stream.poll_close(cx)) {
                Ok(polled) => polled.is_pending(),
                Err(panic) => {
                    panicked = Some(panic);
                    false
                }
            }
        });
        if let Some(panic) = panicked {
            panic.resume()
        }
        if this.is_empty() {
            Poll::Ready(())
        } else {
            // Polled by the set's next poll too: a close left pending goes on there.
            this.set.queue::<K>(None);
            Poll::Pending
        }
    }
}

impl<K: Hash + Eq + Clone, S: Stream, H: BuildHasher> Extend<(K, S)> for StreamSet<K, S, H> {
    /// Inserts each stream as [`insert_pinned`](Self::insert_pinned) does: a key already in the
    /// set gets the new stream, and its old one is dropped (as `StreamMap::extend` and
    /// `HashMap::extend` replace).
    fn extend<I: IntoIterator<Item = (K, S)>>(&mut self, streams: I) {
        for (key, stream) in streams {
            self.insert_pinned(key, stream);
        }
    }
}

/// With std's `RandomState` only (as [`Default`]): `StreamSet::from_iter(..)` and
/// `.collect::<StreamSet<_, _>>()` compile without the hasher named. With another hasher:
/// [`with_hasher`](StreamSet::with_hasher) and [`extend`](Extend::extend). A key that comes
/// twice keeps its last stream (the first is dropped), as in a `HashMap`.
impl<K: Hash + Eq + Clone, S: Stream> FromIterator<(K, S)> for StreamSet<K, S> {
    fn from_iter<I: IntoIterator<Item = (K, S)>>(streams: I) -> Self {
        let streams = streams.into_iter();
        let mut set = Self::with_capacity(streams.size_hint().0);
        set.extend(streams);
        set
    }
}

impl<K: fmt::Debug, S, H> fmt::Debug for StreamSet<K, S, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSet")
            .field("keys", &self.set.debug_keys())
            .finish_non_exhaustive()
    }
}
