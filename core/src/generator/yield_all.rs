//! `yield_all!(source)`: Python's `yield from`, for a source that is a `Stream` or an
//! `IntoIterator`.
//!
//! Which one is chosen at compile time by method resolution ("autoref specialization"):
//! `(&&Delegate(source)).delegate_tag()` finds [`ViaStream`] first, whose receiver needs one
//! fewer auto-deref, when the source is a `Stream`, and [`ViaIter`] otherwise. A type that is
//! both is delegated to as a `Stream`. The tag turns the source into a stream, which the macro
//! drains in place: `while let Some(item) = next(s).await { yield_(item).await }`. (Not in a
//! generic `async fn`: holding a closure-carrying iterator in one trips rustc's
//! "implementation of `FnOnce` is not general enough" in `Send` bodies, rust-lang/rust#110338.)
//! In a `#[generator]` body the source is always an iterator, drained by a plain `for` loop:
//! a sync generator cannot await a stream.
#![forbid(unsafe_code)]

use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;

/// The source of a `yield_all!`, wrapped so method resolution can tell streams from iterators.
#[derive(Debug)]
pub struct Delegate<S>(pub S);

/// Picks [`StreamTag`] for a `Delegate` of a `Stream`.
pub trait ViaStream {
    /// Says the source is a stream.
    #[inline]
    fn delegate_tag(&self) -> StreamTag {
        StreamTag
    }
}

impl<S: Stream> ViaStream for &Delegate<S> {}

/// Picks [`IterTag`] for a `Delegate` of an `IntoIterator` that is not a `Stream`.
pub trait ViaIter {
    /// Says the source is an iterator.
    #[inline]
    fn delegate_tag(&self) -> IterTag {
        IterTag
    }
}

impl<I: IntoIterator> ViaIter for Delegate<I> {}

/// The source of a `yield_all!` is a `Stream`.
#[derive(Debug, Clone, Copy)]
pub struct StreamTag;

impl StreamTag {
    /// The stream itself.
    #[inline]
    pub fn into_stream<S: Stream>(self, source: Delegate<S>) -> S {
        source.0
    }
}

/// The source of a `yield_all!` is an `IntoIterator`.
#[derive(Debug, Clone, Copy)]
pub struct IterTag;

impl IterTag {
    /// The iterator as a stream that is always ready.
    #[inline]
    pub fn into_stream<I: IntoIterator>(self, source: Delegate<I>) -> IterStream<I::IntoIter> {
        IterStream(source.0.into_iter())
    }
}

/// An iterator as a `Stream` whose items are always ready.
#[derive(Debug)]
pub struct IterStream<I>(I);

// The iterator is never pinned: `poll_next` only calls `next` on it.
impl<I> Unpin for IterStream<I> {}

impl<I: Iterator> Stream for IterStream<I> {
    type Item = I::Item;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}
