//! The future behind each turn of a `#[for_await]` loop: the next item of a pinned stream.
#![forbid(unsafe_code)]

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;

/// Resolves to the stream's next item, or `None` once it has ended.
///
/// Not public API: `#[for_await] 'l: for x in s { body }` becomes
/// `match pin!(s) { mut stream => 'l: loop { let x = match next(Pin::as_mut(&mut stream)).await
/// { Some(item) => item, None => break }; body } }` (the stream expression is a `match`
/// scrutinee, so its temporaries live as long as the loop, as in `for`).
#[inline]
pub fn next<S: Stream + ?Sized>(stream: Pin<&mut S>) -> Next<'_, S> {
    Next { stream }
}

/// The future [`next`] returns.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Next<'a, S: ?Sized> {
    stream: Pin<&'a mut S>,
}

impl<S: Stream + ?Sized> Future for Next<'_, S> {
    type Output = Option<S::Item>;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.stream.as_mut().poll_next(cx)
    }
}
