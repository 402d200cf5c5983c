//! `merge`: the items of several streams, as soon as each is ready.
#![forbid(unsafe_code)]

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::convert::Infallible;
use core::fmt;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use crate::close::Close;
use crate::concurrency::arena::PinnedSlots;
use crate::concurrency::ready_queue::ReadyQueue;
use crate::concurrency::{POLL_BUDGET, child_panic, coop};

/// Up to this many sources (and at least 2), a merge polls them in turn with its own context
/// instead of giving each a waker: see [`merge`].
const FEW: usize = 3;

/// Merges `streams` into one stream of their items, each item as soon as its stream has it.
///
/// - Order is kept within each source; between sources, items come in the order the sources
///   became ready. It is fair: sources are polled in the order they woke, and one that has just
///   yielded goes to the back of that queue, so an always-ready source cannot starve the
///   others. A source woken during its own poll (one that yields to the others by waking
///   itself and returning `Pending`) waits for the merge's next poll, at the back, as in
///   `FuturesUnordered`: each source is polled at most once per poll. After 32 polls of its
///   children a poll returns `Pending` (having woken itself), so a merge cannot monopolize an
///   executor thread.
/// - A source is never polled again after it ends; the merge ends when all have.
/// - A poll takes at most one item from the sources, the one it returns: dropping the merge
///   loses nothing still in a source, and drops every source.
/// - Each wake-up costs O(1): every source has its own waker, made once (nothing is
///   allocated per item or per wake-up), and only the sources that woke are polled.
/// - Except for 2 or 3 sources, which get no wakers of their own: each poll polls the live
///   ones in turn with the merge's own context, from the one after the source that yielded
///   last (so that one goes after the others), each at most once, until one yields. Finding
///   none ready it returns `Pending` after at most 3 child polls; a source that wakes (or was
///   woken by another during that poll) wakes the merge's waker, so it is polled again. With so
///   few sources, re-polling one that did not wake costs less than a waker per source and the
///   queue (a half to a third of the time per item in the benchmarks; tokio-stream's
///   `StreamMap` merges this way). From 4 sources on, only the sources that woke are polled.
///
/// Sources may be `!Unpin` (such as `#[async_gen]` streams): they are pinned side by side in one
/// allocation (a tuple's, of different types, are boxed one by one). For streams of
/// different types with one item type, use [`merge!`](crate::merge!) or
/// [`IntoMerge::merge`] on a tuple.
///
/// # Panics
///
/// Its poll panics when a source's poll, drop or `size_hint` panics, or the waker it is
/// polled with does, with that panic's payload. The source whose poll or drop panicked is
/// dropped, as if it had ended (counted out first): polled again, the merge goes on with the
/// others and ends. (Without the `std` feature nothing is caught: a source whose poll panicked
/// stays, never polled again and counted as live.) Dropping the merge drops every source,
/// the others too when one's drop panics. See [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// use asyncgen::{async_gen, merge, yield_};
/// use futures::StreamExt;
///
/// #[async_gen]
/// async fn count(from: u32, to: u32) -> u32 {
///     for n in from..to {
///         yield_!(n);
///     }
/// }
///
/// let merged = merge([count(0, 3), count(10, 12)]);
/// let mut items: Vec<u32> = futures::executor::block_on(merged.collect());
/// items.sort();
/// assert_eq!(items, [0, 1, 2, 10, 11]);
/// ```
pub fn merge<I>(streams: I) -> Merge<Vec<I::Item>>
where
    I: IntoIterator,
    I::Item: Stream,
{
    streams.into_iter().collect::<Vec<_>>().merge()
}

/// What can be merged: a `Vec` or an array of streams of one type, or a tuple of streams of
/// one item type (up to 12, as the standard library's tuple impls; [`merge!`](crate::merge!)
/// takes any number). `.merge()` is the method form of [`merge`], `.try_merge()` of
/// [`try_merge`]: the free functions take an `IntoIterator`, which a tuple is not.
///
/// `()` merges into a stream that ends at once. Its item type is `Infallible` (a trait impl on
/// `()` must name one; futures-concurrency's `().merge()` chose the same); `merge!()` instead
/// lets the caller's context choose it.
///
/// # Examples
///
/// ```
/// use asyncgen::IntoMerge;
/// use futures::{StreamExt, stream};
///
/// let letters = stream::iter(['a', 'b']);
/// let digits = stream::iter(['1', '2']).map(|c| c); // another type, same item type
/// let all: Vec<char> = futures::executor::block_on((letters, digits).merge().collect());
/// assert_eq!(all.len(), 4);
///
/// let nothing: Vec<_> = futures::executor::block_on(().merge().collect());
/// assert!(nothing.is_empty());
/// ```
#[diagnostic::on_unimplemented(
    message = "`IntoMerge` takes a `Vec`, an array, or a tuple of up to 12 streams of one item \
               type",
    label = "not a `Vec`, an array, or a tuple of up to 12 streams",
    note = "for more than 12 streams of different types, `merge!(a, b, ..)` takes any number; \
            `.merge()` and `.try_merge()` on a tuple go up to 12"
)]
pub trait IntoMerge: Sized {
    /// The item type of the sources.
    type Item;
    /// The sources, each boxed: not public API.
    #[doc(hidden)]
    type Sources: MergeSources<Item = Self::Item>;
    /// Not public API.
    #[doc(hidden)]
    fn into_sources(self) -> Self::Sources;

    /// Merges the streams: see [`merge`] (and its `# Panics`).
    fn merge(self) -> Merge<Self> {
        let sources = self.into_sources();
        let count = sources.count();
        // None left to queue with 0 sources: the first poll ends the merge.
        let ready = (count == 1 || count > FEW).then(|| ReadyQueue::all_queued(count));
        Merge {
            sources,
            ready,
            first: 0,
            live: count,
        }
    }

    /// Merges streams of `Result`s until the first `Err`: see [`try_merge`].
    ///
    /// # Errors
    ///
    /// The first `Err` any source yields is the merged stream's last item.
    ///
    /// # Panics
    ///
    /// As [`try_merge`].
    ///
    /// # Examples
    ///
    /// ```
    /// use asyncgen::IntoMerge;
    /// use futures::{StreamExt, stream};
    ///
    /// let readings = stream::iter([Ok(20), Ok(21)]);
    /// let sensor = stream::once(async { Err("sensor offline") });
    /// let items: Vec<Result<u32, &str>> =
    ///     futures::executor::block_on((readings, sensor).try_merge().collect());
    /// assert_eq!(items.last(), Some(&Err("sensor offline")));
    /// ```
    fn try_merge<T, E>(self) -> TryMerge<Self>
    where
        Self: IntoMerge<Item = Result<T, E>>,
    {
        TryMerge {
            merge: Some(self.merge()),
            error: None,
        }
    }
}

/// The sources of a merge, each in its own slot. Not public API.
#[doc(hidden)]
pub trait MergeSources: Unpin {
    /// The item type of the sources.
    type Item;
    /// How many sources.
    fn count(&self) -> usize;
    /// Polls the source in `slot`; `None` if it has ended.
    fn poll_source(
        &mut self,
        slot: usize,
        cx: &mut Context<'_>,
    ) -> Option<Poll<Option<Self::Item>>>;
    /// Drops the source in `slot`.
    fn end_source(&mut self, slot: usize);
    /// The sum of the live sources' size hints.
    fn size_hint(&self) -> (usize, Option<usize>);
}

/// Sources that can be closed ([`Close`]): every one of a merge's, for the merge to be
/// closed. Not public API.
#[doc(hidden)]
pub trait CloseSources: MergeSources {
    /// Polls the close of the source in `slot`; `None` if it has ended.
    fn poll_close_source(&mut self, slot: usize, cx: &mut Context<'_>) -> Option<Poll<()>>;
}

/// Streams of one type, pinned side by side in one allocation. Not public API.
#[doc(hidden)]
pub struct SameTypeSources<S>(PinnedSlots<S>);

impl<S> fmt::Debug for SameTypeSources<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SameTypeSources")
            .field("count", &self.0.len())
            .finish_non_exhaustive()
    }
}

impl<S: Stream> IntoMerge for Vec<S> {
    type Item = S::Item;
    type Sources = SameTypeSources<S>;

    fn into_sources(self) -> Self::Sources {
        SameTypeSources(PinnedSlots::filled(self))
    }
}

impl<S: Stream, const N: usize> IntoMerge for [S; N] {
    type Item = S::Item;
    type Sources = SameTypeSources<S>;

    fn into_sources(self) -> Self::Sources {
        SameTypeSources(PinnedSlots::filled(self))
    }
}

impl<S: Stream> MergeSources for SameTypeSources<S> {
    type Item = S::Item;

    fn count(&self) -> usize {
        self.0.len()
    }

    #[inline]
    fn poll_source(&mut self, slot: usize, cx: &mut Context<'_>) -> Option<Poll<Option<S::Item>>> {
        Some(self.0.pin_mut(slot)?.poll_next(cx))
    }

    fn end_source(&mut self, slot: usize) {
        self.0.remove(slot);
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        sum_hints(self.0.iter().map(|s| s.size_hint()))
    }
}

impl<S: Stream + Close> CloseSources for SameTypeSources<S> {
    fn poll_close_source(&mut self, slot: usize, cx: &mut Context<'_>) -> Option<Poll<()>> {
        Some(self.0.pin_mut(slot)?.poll_close(cx))
    }
}

/// Adds size hints: lower bounds saturating, upper bounds `None` on overflow.
pub(crate) fn sum_hints(
    hints: impl Iterator<Item = (usize, Option<usize>)>,
) -> (usize, Option<usize>) {
    hints.fold((0, Some(0)), |(low, high), (l, h)| {
        (
            low.saturating_add(l),
            high.zip(h).and_then(|(a, b)| a.checked_add(b)),
        )
    })
}

/// No streams: `().merge()`, `merge!()`, `try_merge!()`. Not public API.
#[doc(hidden)]
pub struct NoSources<T>(PhantomData<fn() -> T>);

impl<T> NoSources<T> {
    /// No sources of items `T`.
    #[must_use]
    pub fn new() -> Self {
        NoSources(PhantomData)
    }
}

impl<T> Default for NoSources<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for NoSources<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NoSources")
    }
}

impl<T> IntoMerge for NoSources<T> {
    type Item = T;
    type Sources = Self;

    fn into_sources(self) -> Self {
        self
    }
}

impl<T> MergeSources for NoSources<T> {
    type Item = T;

    fn count(&self) -> usize {
        0
    }

    fn poll_source(&mut self, _: usize, _: &mut Context<'_>) -> Option<Poll<Option<T>>> {
        None
    }

    fn end_source(&mut self, _: usize) {}

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(0))
    }
}

impl<T> CloseSources for NoSources<T> {
    fn poll_close_source(&mut self, _: usize, _: &mut Context<'_>) -> Option<Poll<()>> {
        None
    }
}

impl IntoMerge for () {
    type Item = Infallible;
    type Sources = NoSources<Infallible>;

    fn into_sources(self) -> Self::Sources {
        NoSources::new()
    }
}

/// One source of a `merge!` of more than 12, boxed as in a tuple's. Not public API.
#[doc(hidden)]
pub trait SourceSlot<I> {
    /// Polls the source; `None` if it has ended.
    fn poll_slot(&mut self, cx: &mut Context<'_>) -> Option<Poll<Option<I>>>;
    /// Drops the source.
    fn end_slot(&mut self);
    /// The source's size hint, `(0, Some(0))` once it ended.
    fn slot_hint(&self) -> (usize, Option<usize>);
}

impl<I, S: Stream<Item = I>> SourceSlot<I> for Option<Pin<Box<S>>> {
    #[inline]
    fn poll_slot(&mut self, cx: &mut Context<'_>) -> Option<Poll<Option<I>>> {
        Some(self.as_mut()?.as_mut().poll_next(cx))
    }

    fn end_slot(&mut self) {
        *self = None;
    }

    fn slot_hint(&self) -> (usize, Option<usize>) {
        self.as_ref().map_or((0, Some(0)), |s| s.size_hint())
    }
}

/// A source of `merge!`'s, boxed (the tuple's type of slot). Not public API.
#[doc(hidden)]
pub fn source<S: Stream>(stream: S) -> Option<Pin<Box<S>>> {
    Some(Box::pin(stream))
}

/// How a `merge!` of more than 12 reaches the source in one slot of its tuple `T`.
#[doc(hidden)]
pub type SourceFn<T, I> = for<'a> fn(&'a mut T) -> &'a mut dyn SourceSlot<I>;

/// The sources of a `merge!` of more than 12: a flat tuple of `N` boxed sources of any length
/// (no trait impls for it), a function per slot that reaches its source (the macro's
/// non-capturing closures: an index into `slots` reaches any slot in O(1), as a tuple's
/// `match`), and `hints`, the sources' size hints. Not public API.
///
/// Why not impls for longer tuples: each length is one more impl compiled into every build;
/// the macro pays for the length it is given, where it is used (tokio's `join!` does the same).
#[doc(hidden)]
pub struct ManySources<T, I, H, const N: usize> {
    sources: T,
    slots: [SourceFn<T, I>; N],
    hints: H,
}

// The streams are pinned in their boxes; the closure captures nothing.
impl<T, I, H, const N: usize> Unpin for ManySources<T, I, H, N> {}

impl<T, I, H, const N: usize> fmt::Debug for ManySources<T, I, H, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManySources")
            .field("count", &N)
            .finish_non_exhaustive()
    }
}

/// `merge!`'s sources past 12: `sources` is a tuple of `N` boxed streams. Not public API.
#[doc(hidden)]
pub fn many_sources<T, I, H, const N: usize>(
    sources: T,
    slots: [SourceFn<T, I>; N],
    hints: H,
) -> ManySources<T, I, H, N>
where
    H: Fn(&T) -> [(usize, Option<usize>); N],
{
    ManySources {
        sources,
        slots,
        hints,
    }
}

impl<T, I, H, const N: usize> IntoMerge for ManySources<T, I, H, N>
where
    H: Fn(&T) -> [(usize, Option<usize>); N],
{
    type Item = I;
    type Sources = Self;

    fn into_sources(self) -> Self {
        self
    }
}

impl<T, I, H, const N: usize> MergeSources for ManySources<T, I, H, N>
where
    H: Fn(&T) -> [(usize, Option<usize>); N],
{
    type Item = I;

    fn count(&self) -> usize {
        N
    }

    #[inline]
    fn poll_source(&mut self, slot: usize, cx: &mut Context<'_>) -> Option<Poll<Option<I>>> {
        self.slots.get(slot)?(&mut self.sources).poll_slot(cx)
    }

    fn end_source(&mut self, slot: usize) {
        if let Some(source) = self.slots.get(slot) {
            source(&mut self.sources).end_slot();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        sum_hints((self.hints)(&self.sources).into_iter())
    }
}

/// Tuples of streams with one item type: `(a, b).merge()`, `merge!(a, b)`.
macro_rules! tuple_sources {
    ($($name:ident $index:tt),+) => {
        impl<Item, $($name: Stream<Item = Item>),+> IntoMerge for ($($name,)+) {
            type Item = Item;
            type Sources = ($(Option<Pin<Box<$name>>>,)+);

            fn into_sources(self) -> Self::Sources {
                ($(Some(Box::pin(self.$index)),)+)
            }
        }

        impl<Item, $($name: Stream<Item = Item>),+> MergeSources for ($(Option<Pin<Box<$name>>>,)+) {
            type Item = Item;

            fn count(&self) -> usize {
                [$(stringify!($name)),+].len()
            }

            fn poll_source(&mut self, slot: usize, cx: &mut Context<'_>) -> Option<Poll<Option<Item>>> {
                match slot {
                    $($index => Some(self.$index.as_mut()?.as_mut().poll_next(cx)),)+
                    _ => None,
                }
            }

            fn end_source(&mut self, slot: usize) {
                match slot {
                    $($index => self.$index = None,)+
                    _ => {}
                }
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                sum_hints([$(self.$index.as_ref().map_or((0, Some(0)), |s| s.size_hint())),+].into_iter())
            }
        }

        impl<Item, $($name: Stream<Item = Item> + Close),+> CloseSources for ($(Option<Pin<Box<$name>>>,)+) {
            fn poll_close_source(&mut self, slot: usize, cx: &mut Context<'_>) -> Option<Poll<()>> {
                match slot {
                    $($index => Some(self.$index.as_mut()?.as_mut().poll_close(cx)),)+
                    _ => None,
                }
            }
        }
    };
}

tuple_sources!(A 0);
tuple_sources!(A 0, B 1);
tuple_sources!(A 0, B 1, C 2);
tuple_sources!(A 0, B 1, C 2, D 3);
tuple_sources!(A 0, B 1, C 2, D 3, E 4);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// The stream [`merge`] returns; `T` is what was merged (`Vec<S>`, `[S; N]`, a tuple).
///
/// It is a `FusedStream`, and its size hint is the sum of its live sources' hints.
///
/// # Examples
///
/// ```
/// use asyncgen::{Merge, Stream, merge};
/// use futures::stream::{self, FusedStream, Iter, StreamExt};
/// use std::ops::Range;
///
/// let mut merged: Merge<Vec<Iter<Range<u32>>>> =
///     merge([stream::iter(0..2), stream::iter(5..8)]);
/// assert_eq!(merged.size_hint(), (5, Some(5)));
/// let mut items = Vec::new();
/// futures::executor::block_on(async {
///     while let Some(item) = merged.next().await {
///         items.push(item);
///     }
/// });
/// items.sort();
/// assert_eq!(items, [0, 1, 5, 6, 7]);
/// assert!(merged.is_terminated());
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Merge<T: IntoMerge> {
    sources: T::Sources,
    /// `None` for 2 or 3 sources ([`FEW`]): they are polled in turn, with the parent's waker.
    ready: Option<ReadyQueue>,
    /// Without a ready queue: the source to poll first, the one after the last that yielded.
    first: usize,
    /// Sources that have not ended.
    live: usize,
}

impl<T: IntoMerge> Stream for Merge<T> {
    type Item = T::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T::Item>> {
        let this = self.get_mut();
        coop::cooperate(cx, |cx| this.poll_sources(cx))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.sources.size_hint()
    }
}

impl<T: IntoMerge> Merge<T> {
    /// The next item of any source: one poll of the merge.
    fn poll_sources(&mut self, cx: &mut Context<'_>) -> Poll<Option<T::Item>> {
        let this = self;
        if this.live == 0 {
            return Poll::Ready(None);
        }
        let Some(ready) = &mut this.ready else {
            return this.poll_in_turn(cx);
        };
        ready.start_poll();
        for _ in 0..POLL_BUDGET {
            let Some(slot) = ready.next(cx.waker()) else {
                return Poll::Pending;
            };
            let waker = ready.waker(slot);
            let mut child_cx = Context::from_waker(&waker);
            match poll_source(&mut this.sources, &mut this.live, slot, &mut child_cx) {
                None => {} // ended: never queued again
                Some(Poll::Pending) => ready.idle(slot),
                Some(Poll::Ready(Some(item))) => {
                    // It may have more ready: after the others that are queued.
                    ready.push(slot);
                    return Poll::Ready(Some(item));
                }
                Some(Poll::Ready(None)) => {
                    // Never queued again: a wake finds it held.
                    let none_left = end_source(&mut this.sources, &mut this.live, slot);
                    if none_left {
                        return Poll::Ready(None);
                    }
                }
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// A few sources, no ready queue: each live one polled at most once, with the parent's
    /// context, from the one after the last that yielded, until one yields.
    fn poll_in_turn(&mut self, cx: &mut Context<'_>) -> Poll<Option<T::Item>> {
        let count = self.sources.count();
        let mut slot = self.first;
        for _ in 0..count {
            match poll_source(&mut self.sources, &mut self.live, slot, cx) {
                None | Some(Poll::Pending) => {} // `None`: ended
                Some(Poll::Ready(Some(item))) => {
                    self.first = if slot + 1 == count { 0 } else { slot + 1 };
                    return Poll::Ready(Some(item));
                }
                Some(Poll::Ready(None)) => {
                    let none_left = end_source(&mut self.sources, &mut self.live, slot);
                    if none_left {
                        return Poll::Ready(None);
                    }
                }
            }
            slot = if slot + 1 == count { 0 } else { slot + 1 };
        }
        Poll::Pending
    }
}

/// Polls the source in `slot`; one whose poll panics is ended, as one that returned `None`,
/// before the panic goes on (`child_panic`).
#[inline(always)]
fn poll_source<S: MergeSources>(
    sources: &mut S,
    live: &mut usize,
    slot: usize,
    cx: &mut Context<'_>,
) -> Option<Poll<Option<S::Item>>> {
    match child_panic::catch(|| sources.poll_source(slot, cx)) {
        Ok(poll) => poll,
        Err(panic) => {
            end_source(sources, live, slot);
            panic.resume()
        }
    }
}

/// Drops the source in `slot`, which ended: its `poll_source` is `None` from now on (with a
/// ready queue its slot stays held, never queued again). Whether no source is left.
///
/// Counted out before it is dropped: if its drop panics, the merge goes on without it.
#[inline]
fn end_source<S: MergeSources>(sources: &mut S, live: &mut usize, slot: usize) -> bool {
    *live -= 1;
    sources.end_source(slot);
    *live == 0
}

impl<T: IntoMerge> FusedStream for Merge<T> {
    fn is_terminated(&self) -> bool {
        self.live == 0
    }
}

/// Closes every live source, all at once: each is polled to close with the caller's context,
/// and dropped when it has closed. Then the merge has ended. For sources that all implement
/// [`Close`] (the streams of `#[async_gen]` fns and `stream!` blocks, and the helpers made of
/// them); `merge!` of more than 12 sources does not offer it.
///
/// A panic in a source's close ends that source and reaches the caller; closed again, the
/// merge goes on closing the others. A close left pending (`next` called in between) goes on
/// in the merge's next poll, where each source ends.
///
/// # Examples
///
/// ```
/// use asyncgen::{Close, async_gen, finally, merge, yield_};
/// use futures::StreamExt;
/// use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
///
/// static OPEN: AtomicUsize = AtomicUsize::new(0);
///
/// #[async_gen]
/// async fn ticker(every: u32) -> u32 {
///     OPEN.fetch_add(1, SeqCst);
///     finally! {
///         OPEN.fetch_sub(1, SeqCst);
///     }
///     for tick in (0..).step_by(every as usize) {
///         yield_!(tick);
///     }
/// }
///
/// futures::executor::block_on(async {
///     let mut ticks = merge([ticker(2), ticker(3)]);
///     let first: Vec<u32> = (&mut ticks).take(4).collect().await;
///     assert_eq!(first.len(), 4);
///     assert_eq!(OPEN.load(SeqCst), 2);
///     ticks.close().await;
///     assert_eq!(OPEN.load(SeqCst), 0);
///     assert_eq!(ticks.next().await, None);
/// });
/// ```
impl<T: IntoMerge> Close for Merge<T>
where
    T::Sources: CloseSources,
{
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        for slot in 0..this.sources.count() {
            if this.live == 0 {
                break;
            }
            let sources = &mut this.sources;
            match child_panic::catch(|| sources.poll_close_source(slot, cx)) {
                Ok(None) => {}
                Ok(Some(Poll::Pending)) => {
                    // Queued for the merge's next poll too, as if it had woken: a close left
                    // pending (`next` called in between) goes on there.
                    if let Some(ready) = &this.ready {
                        ready.waker(slot).wake_by_ref();
                    }
                }
                Ok(Some(Poll::Ready(()))) => {
                    end_source(&mut this.sources, &mut this.live, slot);
                }
                Err(panic) => {
                    end_source(&mut this.sources, &mut this.live, slot);
                    panic.resume()
                }
            }
        }
        if this.live == 0 {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl<T: IntoMerge> fmt::Debug for Merge<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Merge")
            .field("live", &self.live)
            .field("ready", &self.ready)
            .finish_non_exhaustive()
    }
}

/// Merges streams of `Result`s: the items of all of them, until the first `Err`. Then it
/// drops every source, yields the `Err`, and ends.
///
/// # Errors
///
/// The first `Err` any source yields is the merged stream's last item.
///
/// # Examples
///
/// ```
/// use asyncgen::try_merge;
/// use futures::{StreamExt, stream};
///
/// let good = stream::iter([Ok(1), Ok(2)]);
/// let bad = stream::iter([Err("broken"), Ok(3)]);
/// let items: Vec<Result<u32, &str>> = futures::executor::block_on(try_merge([good, bad]).collect());
/// assert_eq!(items.last(), Some(&Err("broken")));
/// assert!(!items.contains(&Ok(3))); // nothing after the error
/// ```
///
/// # Panics
///
/// As [`merge`]. And when a source's drop panics as every source is dropped for an `Err`,
/// the `Err` is kept: the next poll hands it out, then the stream ends.
pub fn try_merge<I, T, E>(streams: I) -> TryMerge<Vec<I::Item>>
where
    I: IntoIterator,
    I::Item: Stream<Item = Result<T, E>>,
{
    streams.into_iter().collect::<Vec<_>>().try_merge()
}

/// The stream [`try_merge`] (and [`IntoMerge::try_merge`]) returns.
///
/// It is a `FusedStream`: it returns `None` for good once it yielded an `Err` or every source
/// ended.
///
/// # Examples
///
/// ```
/// use asyncgen::{TryMerge, try_merge};
/// use futures::stream::{self, FusedStream, Iter, StreamExt};
/// use std::array::IntoIter;
///
/// let mut merged: TryMerge<Vec<Iter<IntoIter<Result<u8, char>, 2>>>> =
///     try_merge([stream::iter([Err('x'), Ok(1)])]);
/// futures::executor::block_on(async {
///     assert_eq!(merged.next().await, Some(Err('x')));
///     assert!(merged.is_terminated());
///     assert_eq!(merged.next().await, None);
/// });
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct TryMerge<T: IntoMerge> {
    /// `None` once an `Err` ended it.
    merge: Option<Merge<T>>,
    /// The `Err` that ended it, while the sources are dropped: if one of their drops panics,
    /// the next poll hands it out.
    error: Option<T::Item>,
}

// The sources are pinned in their own allocation; the kept error is never pinned.
impl<T: IntoMerge> Unpin for TryMerge<T> {}

impl<T, I, E> Stream for TryMerge<T>
where
    T: IntoMerge<Item = Result<I, E>>,
{
    type Item = Result<I, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let Some(merge) = &mut this.merge else {
            // Ended; or an `Err` ended it, and a source's drop panicked before it went out.
            return Poll::Ready(this.error.take());
        };
        match core::task::ready!(Pin::new(merge).poll_next(cx)) {
            Some(Ok(item)) => Poll::Ready(Some(Ok(item))),
            Some(Err(error)) => {
                // Every source is dropped before the error is handed out; it is kept meanwhile.
                this.error = Some(Err(error));
                this.merge = None;
                Poll::Ready(this.error.take())
            }
            None => {
                this.merge = None;
                Poll::Ready(None)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.merge
            .as_ref()
            .map_or((0, Some(0)), |m| (0, m.size_hint().1))
    }
}

impl<T, I, E> FusedStream for TryMerge<T>
where
    T: IntoMerge<Item = Result<I, E>>,
{
    fn is_terminated(&self) -> bool {
        // A merge of no sources is over before its first poll, as `Merge`'s.
        self.merge.as_ref().is_none_or(FusedStream::is_terminated) && self.error.is_none()
    }
}

/// Closes the sources left ([`Merge`]'s close); then the stream has ended. An `Err` already
/// taken out of a source but not handed out (a source's drop panicked first) is dropped.
impl<T: IntoMerge> Close for TryMerge<T>
where
    T::Sources: CloseSources,
{
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if let Some(merge) = &mut this.merge {
            core::task::ready!(Pin::new(merge).poll_close(cx));
            this.merge = None;
        }
        this.error = None;
        Poll::Ready(())
    }
}

impl<T: IntoMerge> fmt::Debug for TryMerge<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryMerge")
            .field("merge", &self.merge)
            .finish()
    }
}
