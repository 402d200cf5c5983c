//! The `nightly` feature: generator streams are also `core::async_iter::AsyncIterator`s, the
//! standard library's own (unstable) trait, so they work with nightly APIs built on it.
//!
//! The macros call [`async_gen`] here instead of the yield mechanism's own: it wraps the
//! stream in [`AsyncIterStream`], which forwards both traits. The return types the macros
//! write name the trait through `__private::AsyncIter`, so crates using the macros need no
//! `#![feature(async_iterator)]` of their own.
#![forbid(unsafe_code)]

use core::async_iter::AsyncIterator;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use crate::close::Close;
use crate::yielder::Yielder;

pin_project_lite::pin_project! {
    /// A generator stream that is also an `AsyncIterator`.
    #[derive(Debug)]
    pub struct AsyncIterStream<S> {
        #[pin]
        stream: S,
    }
}

/// [`crate::yielder::async_gen`], as a stream that is also an `AsyncIterator`.
///
/// Not public API: called by the code `#[async_gen]` and `stream!` generate.
#[inline]
pub fn async_gen<T, C>(body: C) -> AsyncIterStream<impl FusedStream<Item = T> + Close>
where
    C: for<'y> AsyncFnOnce(Yielder<'y, T>),
{
    AsyncIterStream {
        stream: crate::yielder::async_gen(body),
    }
}

/// [`async_gen`] for a body with `finally!` blocks.
#[inline]
pub fn async_gen_with_cleanup<T, C>(body: C) -> AsyncIterStream<impl FusedStream<Item = T> + Close>
where
    C: for<'y> AsyncFnOnce(Yielder<'y, T>),
{
    AsyncIterStream {
        stream: crate::yielder::async_gen_with_cleanup(body),
    }
}

impl<S: Close> Close for AsyncIterStream<S> {
    #[inline]
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.project().stream.poll_close(cx)
    }
}

impl<S: Stream> Stream for AsyncIterStream<S> {
    type Item = S::Item;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.project().stream.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.stream.size_hint()
    }
}

impl<S: FusedStream> FusedStream for AsyncIterStream<S> {
    fn is_terminated(&self) -> bool {
        self.stream.is_terminated()
    }
}

/// The same items as its `Stream` impl: both traits are one stream.
impl<S: Stream> AsyncIterator for AsyncIterStream<S> {
    type Item = S::Item;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        Stream::poll_next(self, cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        Stream::size_hint(self)
    }
}
