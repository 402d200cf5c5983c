//! `in_order` and `in_order_limited`: the futures' outputs as a stream, in input order, each
//! as soon as it and those before it are done (futures' `FuturesOrdered` / `buffered(n)`), on
//! `gather`'s pool, with the outputs that wait for an earlier one in a ring beside it.
#![forbid(unsafe_code)]

use alloc::boxed::Box;
use alloc::vec;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use crate::concurrency::gather::Pool;
use crate::concurrency::source::{IntoSource, Source};
use crate::concurrency::{POLL_BUDGET, coop};

/// Runs `futures` concurrently and yields their outputs in input order, each as soon as it
/// and every one before it are done: [`gather`](crate::gather()) as a stream, futures'
/// `FuturesOrdered`. Dropping the stream drops the futures still running and the outputs
/// waiting.
///
/// Named for the order it yields in, as [`as_completed`](crate::as_completed) is; it yields
/// the outputs alone (their index is their place in the stream). Every future starts at once;
/// [`in_order_limited`] runs a few at a time, from an iterator or a stream.
///
/// An output that completes before an earlier one waits in a ring with a place for each
/// future, allocated once (the pool's slots, a waker each, and the ring: a fixed number of
/// allocations however many futures); a future is polled only when it woke, at most once per
/// poll, as in [`as_completed`](crate::as_completed).
///
/// # Panics
///
/// Its poll panics when a future's poll or drop panics, or the waker it is polled with does,
/// with that panic's payload. The future whose poll or drop panicked is dropped (with its
/// output, if it had completed): polled on, the stream skips its place and yields the others,
/// in order, and ends. (Without the `std` feature nothing is caught: a future whose poll
/// panicked stays, counted as running, and the stream waits for it.) See [the crate
/// docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// use asyncgen::in_order;
/// use futures::StreamExt;
///
/// async fn square(n: u32) -> u32 {
///     n * n
/// }
///
/// let squares: Vec<u32> = futures::executor::block_on(in_order((1..=4).map(square)).collect());
/// assert_eq!(squares, [1, 4, 9, 16]);
/// ```
pub fn in_order<I>(futures: I) -> InOrder<vec::IntoIter<I::Item>>
where
    I: IntoIterator,
    I::Item: Future,
{
    InOrder::over(Pool::all(futures))
}

/// [`in_order`] with at most `limit` futures at once (at least 1), pulled lazily from an
/// iterator or, through [`from_stream`](crate::from_stream), a stream: futures' `buffered(n)`.
///
/// The limit counts the futures running **and** the outputs waiting for an earlier one, as in
/// `buffered(n)` (and unlike [`gather_limited`](crate::gather_limited), whose limit counts
/// running futures only, the outputs waiting in its result): a stream may be endless, and
/// this keeps what it holds to `limit` futures and `limit` outputs, in places allocated once.
/// So a slow future holds up the starts of at most `limit - 1` after it.
///
/// It sets up `min(limit, the input's upper size bound)` places at the start, so `usize::MAX`
/// means "no limit" for an input of known length; for an endless input, give a real limit.
///
/// # Panics
///
/// When called, if its places cannot be allocated (an endless input with a `limit` of
/// `usize::MAX` panics with a capacity overflow), or if the input's `size_hint` panics.
/// Polled, as [`in_order`], and as [`from_stream`](crate::from_stream) says for a stream's
/// panic; its `size_hint` panics when the input's does.
///
/// # Examples
///
/// ```
/// use asyncgen::{from_stream, in_order_limited};
/// use futures::{StreamExt, stream};
///
/// async fn fetch(page: u32) -> String {
///     format!("page {page}")
/// }
///
/// // From an iterator, 3 at a time.
/// let pages: Vec<String> =
///     futures::executor::block_on(in_order_limited((1..=5).map(fetch), 3).collect());
/// assert_eq!(pages, ["page 1", "page 2", "page 3", "page 4", "page 5"]);
///
/// // From a stream, as `stream.buffered(2)`: the stream is polled only when there is room.
/// let requests = stream::iter(1..=3).map(fetch);
/// let pages: Vec<String> =
///     futures::executor::block_on(in_order_limited(from_stream(requests), 2).collect());
/// assert_eq!(pages, ["page 1", "page 2", "page 3"]);
/// ```
pub fn in_order_limited<I: IntoSource>(futures: I, limit: usize) -> InOrder<I::Source> {
    InOrder::over(Pool::new(futures.into_source(), limit.max(1)))
}

/// The stream [`in_order`] and [`in_order_limited`] return.
///
/// It is a `FusedStream`, and its size hint counts the outputs waiting, the futures running
/// and those the input has left.
///
/// # Examples
///
/// ```
/// use asyncgen::{InOrder, Stream, in_order};
/// use futures::StreamExt;
/// use futures::stream::FusedStream;
/// use std::future::{Ready, ready};
///
/// let mut letters: InOrder<std::vec::IntoIter<Ready<char>>> = in_order([ready('a'), ready('b')]);
/// assert_eq!(letters.size_hint(), (2, Some(2)));
/// let all: Vec<char> = futures::executor::block_on((&mut letters).collect());
/// assert_eq!(all, ['a', 'b']);
/// assert!(letters.is_terminated());
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct InOrder<I: Source> {
    pool: Pool<I>,
    waiting: Waiting<<I::Future as Future>::Output>,
}

/// The outputs that completed before an earlier one, by input index, in a ring of as many
/// places as the pool has slots: every future started and not yet handed out (running,
/// waiting, or lost to a panic) has an index in `next..next + places`, since each holds a
/// place under the limit until it is handed out ([`Pool::set_room`]).
struct Waiting<T> {
    places: Box<[Place<T>]>,
    /// The input index of the next output to hand out.
    next: usize,
    /// Its place.
    head: usize,
    /// Places that hold an output or `Lost`.
    held: usize,
    /// Places that hold `Lost`.
    lost: usize,
}

enum Place<T> {
    Empty,
    Output(T),
    /// Its future panicked (in its poll or its drop): the stream skips it.
    Lost,
}

impl<T> Waiting<T> {
    fn new(places: usize) -> Self {
        Waiting {
            // At least one: `head` always names a place.
            places: (0..places.max(1)).map(|_| Place::Empty).collect(),
            next: 0,
            head: 0,
            held: 0,
            lost: 0,
        }
    }

    /// The place of input index `index`, which is in `next..next + places`.
    #[inline]
    fn place(&self, index: usize) -> usize {
        let place = self.head + (index - self.next);
        if place >= self.places.len() {
            place - self.places.len()
        } else {
            place
        }
    }

    /// Moves on to the next input index, the one at `head` handed out (or skipped).
    #[inline]
    fn advance(&mut self) {
        self.next += 1;
        self.head += 1;
        if self.head == self.places.len() {
            self.head = 0;
        }
    }

    fn put(&mut self, index: usize, output: T) {
        let place = self.place(index);
        self.places[place] = Place::Output(output); // was `Empty`: nothing of the user's dropped
        self.held += 1;
    }

    /// Index `index`'s output is lost: its place is skipped when its turn comes.
    fn lose(&mut self, index: usize) {
        let place = self.place(index);
        self.places[place] = Place::Lost;
        self.held += 1;
        self.lost += 1;
    }

    /// The next output, if it is in, past the lost ones before it.
    #[inline]
    fn take_next(&mut self) -> Option<T> {
        while self.held != 0 {
            match core::mem::replace(&mut self.places[self.head], Place::Empty) {
                Place::Empty => return None,
                Place::Output(output) => {
                    self.held -= 1;
                    self.advance();
                    return Some(output);
                }
                Place::Lost => {
                    self.held -= 1;
                    self.lost -= 1;
                    self.advance();
                }
            }
        }
        None
    }

    /// Outputs waiting to be handed out.
    fn outputs(&self) -> usize {
        self.held - self.lost
    }
}

impl<I: Source> InOrder<I> {
    fn over(pool: Pool<I>) -> Self {
        InOrder {
            waiting: Waiting::new(pool.slots()),
            pool,
        }
    }

    /// The next output in input order, polling the futures that woke until it is in.
    #[inline(always)]
    fn poll_in_order(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<<I::Future as Future>::Output>> {
        if let Some(output) = self.waiting.take_next() {
            return Poll::Ready(Some(output));
        }
        self.pool.start_poll();
        let mut budget = POLL_BUDGET;
        loop {
            // Each waiting output (and lost one) holds a place: no index outruns the ring.
            self.pool
                .set_room(self.waiting.places.len() - self.waiting.held);
            let waiting = &mut self.waiting;
            let completed = self
                .pool
                .poll_completed_noting(cx, &mut budget, |index| waiting.lose(index));
            match completed {
                Poll::Ready(Some((index, output))) => {
                    if index == self.waiting.next {
                        self.waiting.advance();
                        return Poll::Ready(Some(output));
                    }
                    self.waiting.put(index, output);
                }
                // Nothing waits: each index below the last started was handed out or lost.
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

// Nothing in it is pinned in place: the futures are pinned in the arena's heap block, the
// outputs are never pinned.
impl<I: Source> Unpin for InOrder<I> {}

impl<I: Source> Stream for InOrder<I> {
    type Item = <I::Future as Future>::Output;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        coop::cooperate(cx, |cx| this.poll_in_order(cx))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (low, high) = self.pool.bounds();
        let waiting = self.waiting.outputs();
        (
            low.saturating_add(waiting),
            high.and_then(|high| high.checked_add(waiting)),
        )
    }
}

impl<I: Source> FusedStream for InOrder<I> {
    fn is_terminated(&self) -> bool {
        self.pool.is_done() && self.waiting.outputs() == 0
    }
}

impl<I: Source> fmt::Debug for InOrder<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InOrder")
            .field("pool", &self.pool)
            .field("next", &self.waiting.next)
            .field("waiting", &self.waiting.outputs())
            .finish()
    }
}
