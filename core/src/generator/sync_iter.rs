//! The `Iterator` behind every `#[generator]` fn and `iter!` block: an [`async_gen`] stream,
//! boxed once so it can be pinned, polled with a no-op waker.
#![forbid(unsafe_code)]

use alloc::boxed::Box;
use core::fmt;
use core::iter::FusedIterator;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use futures_core::Stream;

use crate::yielder::{Yielder, async_gen};

/// Turns a sync generator body into an `Iterator` of what it yields.
///
/// Not public API: called by the code `#[generator]` and `iter!` generate.
#[inline]
pub fn generator<T, C>(body: C) -> impl FusedIterator<Item = T>
where
    C: for<'y> AsyncFnOnce(Yielder<'y, T>),
{
    // The body's state may borrow from itself, so it must stay put between `next` calls,
    // while an `Iterator` can be moved: one allocation per generator, none per item.
    Generator {
        stream: Box::pin(async_gen(body)),
    }
}

struct Generator<S> {
    stream: Pin<Box<S>>,
}

impl<S: Stream> Iterator for Generator<S> {
    type Item = S::Item;

    #[inline(always)]
    fn next(&mut self) -> Option<S::Item> {
        let mut cx = Context::from_waker(Waker::noop());
        match self.stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(item) => item,
            // The macro rejects `.await` in `#[generator]` bodies it can see; this is a future
            // hidden in another macro's tokens that was not ready.
            Poll::Pending => panic!(
                "a `#[generator]` body awaited a future that was not ready; \
                 only `#[async_gen]` bodies can await"
            ),
        }
    }
}

// `async_gen` streams return `None` forever once finished or after a panic.
impl<S: Stream> FusedIterator for Generator<S> {}

impl<S> fmt::Debug for Generator<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator").finish_non_exhaustive()
    }
}
