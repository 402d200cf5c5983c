//! Where the `_limited` helpers pull their futures from: an iterator, or a stream wrapped in
//! [`from_stream`], behind one small sealed trait, [`Source`], so the pool has one engine for
//! both and the iterator path compiles to what it was (its pull is `Ready(next())`).
#![forbid(unsafe_code)]

use alloc::boxed::Box;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;

use crate::concurrency::child_panic;

mod sealed {
    /// Only this crate's inputs: the pool relies on how they behave (an iterator never
    /// `Pending`, a stream polled again only after a new poll of the pool starts).
    pub trait Sealed {}
}

impl<I: IntoIterator> sealed::Sealed for I {}
impl<S> sealed::Sealed for FromStream<S> {}

/// What a `_limited` helper ([`gather_limited`](crate::gather_limited),
/// [`try_gather_limited`](crate::try_gather_limited),
/// [`as_completed_limited`](crate::as_completed_limited),
/// [`in_order_limited`](crate::in_order_limited)) takes its futures from: any
/// `IntoIterator` of futures, or a `Stream` of futures wrapped in [`from_stream`].
///
/// A wrapper rather than a second impl for every `Stream`: a type may be both an iterator and
/// a stream, and the wrapper says which one you mean; each form keeps one name for both
/// inputs (no `_stream` twin to find); and nothing needs importing, unlike an extension trait
/// on `Stream` (futures' `buffered` / `buffer_unordered`).
///
/// Sealed: implemented for every `IntoIterator` whose items are futures and for
/// [`FromStream`].
///
/// # Examples
///
/// ```
/// use asyncgen::{IntoSource, as_completed_limited, from_stream};
/// use futures::{StreamExt, stream};
/// use std::future::ready;
///
/// fn count<I: IntoSource>(futures: I, limit: usize) -> usize {
///     futures::executor::block_on(as_completed_limited(futures, limit).count())
/// }
///
/// assert_eq!(count([ready(1), ready(2)], 2), 2);
/// assert_eq!(count(from_stream(stream::iter([ready(1), ready(2), ready(3)])), 2), 3);
/// ```
///
/// A stream passed as it is does not compile (the error says to wrap it in `from_stream`):
///
/// ```compile_fail
/// use futures::stream;
/// use std::future::ready;
///
/// let _ = asyncgen::gather_limited(stream::iter([ready(1)]), 2);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither an iterator of futures nor a stream of them in `from_stream`",
    note = "a `Stream` of futures goes in as `asyncgen::from_stream(stream)`"
)]
pub trait IntoSource: sealed::Sealed {
    /// What the helper pulls the futures from.
    type Source: Source;

    /// The source.
    fn into_source(self) -> Self::Source;
}

impl<I> IntoSource for I
where
    I: IntoIterator,
    I::Item: Future,
{
    type Source = I::IntoIter;

    #[inline]
    fn into_source(self) -> I::IntoIter {
        self.into_iter()
    }
}

impl<S> IntoSource for FromStream<S>
where
    S: Stream,
    S::Item: Future,
{
    type Source = Self;

    #[inline]
    fn into_source(self) -> Self {
        self
    }
}

/// The futures a pool pulls, one at a time, only when it has room for one: an `Iterator`'s
/// (never `Pending`), or a stream's through [`FromStream`]. The type parameter of
/// [`Gather`](crate::Gather), [`TryGather`](crate::TryGather),
/// [`AsCompleted`](crate::AsCompleted) and [`InOrder`](crate::InOrder). Sealed; see
/// [`IntoSource`].
///
/// # Examples
///
/// ```
/// use asyncgen::{AsCompleted, FromStream, as_completed_limited, from_stream};
/// use futures::stream::{self, Iter};
/// use std::future::{Ready, ready};
///
/// type Squares = AsCompleted<FromStream<Iter<std::vec::IntoIter<Ready<u32>>>>>;
/// let squares: Squares = as_completed_limited(from_stream(stream::iter(vec![ready(4)])), 8);
/// # drop(squares);
/// ```
pub trait Source: sealed::Sealed {
    /// The futures' type.
    type Future: Future;

    /// The next future, `Ready(None)` at the end. Not public API.
    #[doc(hidden)]
    fn poll_future(&mut self, cx: &mut Context<'_>) -> Poll<Option<Self::Future>>;

    /// A poll of the pool starts: a source that was `Pending` in the last one may be polled
    /// again. Not public API.
    #[doc(hidden)]
    #[inline(always)]
    fn start_poll(&mut self) {}

    /// Bounds on the futures left, as `Iterator::size_hint`. Not public API.
    #[doc(hidden)]
    fn bounds(&self) -> (usize, Option<usize>);
}

impl<I> Source for I
where
    I: Iterator,
    I::Item: Future,
{
    type Future = I::Item;

    #[inline(always)]
    fn poll_future(&mut self, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.next())
    }

    #[inline(always)]
    fn bounds(&self) -> (usize, Option<usize>) {
        self.size_hint()
    }
}

/// A `Stream` of futures as the input of a `_limited` helper: `gather_limited(from_stream(s),
/// 8)` runs at most 8 of `s`'s futures at once and polls `s` only when one of the 8 is free,
/// so a pipeline feeds work as it is taken: futures' `buffer_unordered(8)` is
/// `as_completed_limited(from_stream(s), 8)` and `buffered(8)` is
/// `in_order_limited(from_stream(s), 8)`.
///
/// The stream is boxed (one allocation), so any stream goes in, `Unpin` or not (a
/// `#[async_gen]` fn's, a `stream!` block). A helper polls it only while it has room for
/// another future, and after a `Pending` not again in that poll of its own: it waits for the
/// stream's wake-up, meanwhile running (and handing out) the futures it has. It ends once the stream has ended and every future is done; with
/// the stream `Pending` and nothing running, the helper is `Pending` too, and the stream's
/// wake-up wakes it.
///
/// # Panics
///
/// When the stream's poll panics, the helper drops the stream (as an ended one: nothing more
/// starts), then the panic goes on to its poller; polled on, it runs the futures it has to
/// their end, as after a child's panic. (Without the `std` feature nothing is caught: the
/// stream stays and is polled again.)
///
/// # Examples
///
/// ```
/// use asyncgen::{as_completed_limited, from_stream};
/// use futures::{StreamExt, stream};
///
/// async fn fetch(page: u32) -> String {
///     format!("page {page}")
/// }
///
/// // Requests as they arrive, 4 at a time, outputs as they complete.
/// let requests = stream::iter(1..=10).map(fetch);
/// let pages: Vec<(usize, String)> =
///     futures::executor::block_on(as_completed_limited(from_stream(requests), 4).collect());
/// assert_eq!(pages.len(), 10);
/// ```
pub fn from_stream<S>(stream: S) -> FromStream<S>
where
    S: Stream,
    S::Item: Future,
{
    FromStream {
        stream: Some(Box::pin(stream)),
        pending: false,
    }
}

/// A `Stream` of futures as a helper's input: see [`from_stream`].
///
/// # Examples
///
/// ```
/// use asyncgen::{FromStream, from_stream, gather_limited};
/// use futures::stream::{self, Iter};
/// use std::future::{Ready, ready};
///
/// let input: FromStream<Iter<std::array::IntoIter<Ready<u8>, 2>>> =
///     from_stream(stream::iter([ready(1), ready(2)]));
/// assert_eq!(futures::executor::block_on(gather_limited(input, 1)), [1, 2]);
/// ```
pub struct FromStream<S> {
    /// `None` once its poll panicked: a panicked stream is not polled again.
    stream: Option<Pin<Box<S>>>,
    /// It returned `Pending` in this poll of the pool: its wake-up will poll the pool again.
    pending: bool,
}

impl<S> Source for FromStream<S>
where
    S: Stream,
    S::Item: Future,
{
    type Future = S::Item;

    fn poll_future(&mut self, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        if self.pending {
            return Poll::Pending;
        }
        let Some(stream) = &mut self.stream else {
            return Poll::Ready(None);
        };
        match child_panic::catch(|| stream.as_mut().poll_next(cx)) {
            Ok(Poll::Pending) => {
                self.pending = true;
                Poll::Pending
            }
            Ok(ready) => ready,
            Err(panic) => {
                // Gone before the panic goes on (a drop that panics too is the one that
                // does): the pool finds it ended at its next pull.
                drop(self.stream.take());
                panic.resume()
            }
        }
    }

    #[inline]
    fn start_poll(&mut self) {
        self.pending = false;
    }

    fn bounds(&self) -> (usize, Option<usize>) {
        match &self.stream {
            Some(stream) => stream.size_hint(),
            None => (0, Some(0)),
        }
    }
}

impl<S> fmt::Debug for FromStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FromStream")
            .field("panicked", &self.stream.is_none())
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}
