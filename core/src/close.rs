//! Closing a generator early and running its cleanup: Python's `aclose()`.
#![forbid(unsafe_code)]

use core::future::Future;
use core::ops::DerefMut;
use core::pin::Pin;
use core::task::{Context, Poll};

/// A stream that can be closed early, with its cleanup awaited: Python's `aclose()`.
///
/// The streams of `#[async_gen]` fns and `stream!` blocks implement it, and so do the helpers
/// that own streams ([`merge()`](crate::merge()), [`StreamSet`](crate::StreamSet)), which close
/// their children. [`close`](Close::close) ends the generator where it waits (at a yield, or at
/// an `.await`, whose future is dropped: a cancellation) and runs its
/// [`finally!`](crate::finally) blocks to their end, `.await`s included; then the stream has
/// ended (`None` from then on). Closing a stream that has ended does nothing.
///
/// A generator without a `finally!` block (or a `yield_all!` whose source it closes first),
/// or one not polled yet, is dropped in place: what its body holds is dropped as `close`
/// returns, as it would be when the stream is dropped.
///
/// A plain drop, without `close`, cannot await: the body's values are dropped (their `Drop`
/// impls run), and its `finally!` blocks do not run.
///
/// # Examples
///
/// ```
/// use asyncgen::{Close, async_gen, finally, yield_};
/// use futures::StreamExt;
/// use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
///
/// static SUBSCRIBED: AtomicUsize = AtomicUsize::new(0);
///
/// #[async_gen]
/// async fn ticks() -> u32 {
///     SUBSCRIBED.fetch_add(1, SeqCst);
///     finally! {
///         async {}.await; // an async unsubscribe
///         SUBSCRIBED.fetch_sub(1, SeqCst);
///     }
///     for tick in 0.. {
///         yield_!(tick);
///     }
/// }
///
/// futures::executor::block_on(async {
///     let mut ticks = std::pin::pin!(ticks());
///     assert_eq!(ticks.next().await, Some(0));
///     assert_eq!(SUBSCRIBED.load(SeqCst), 1);
///     ticks.close().await;
///     assert_eq!(SUBSCRIBED.load(SeqCst), 0);
///     assert_eq!(ticks.next().await, None);
/// });
/// ```
pub trait Close {
    /// Closes the stream, running its cleanup: `Ready` once it has ended, and at once when it
    /// had. Polled again after `Ready`, it does nothing.
    ///
    /// A panic in the cleanup (or in a `Drop` of what the close cancels) propagates from here,
    /// and the stream has then ended, without the cleanups it had not run yet.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()>;

    /// A future that closes the stream ([`Close::poll_close`]): `stream.close().await`.
    ///
    /// Dropping the future before it completes leaves the cleanup where it got to: polling the
    /// stream again (`close` or `next`) goes on with it, and `next` then returns `None`.
    fn close(&mut self) -> Closing<'_, Self>
    where
        Self: Sized + Unpin,
    {
        Closing { stream: self }
    }
}

/// The future of [`Close::close`].
///
/// # Examples
///
/// ```
/// use asyncgen::{Close, Closing, stream};
/// use futures::StreamExt;
///
/// futures::executor::block_on(async {
///     let mut numbers = Box::pin(stream! {
///         for n in 0.. {
///             yield n;
///         }
///     });
///     assert_eq!(numbers.next().await, Some(0));
///     let closing: Closing<'_, _> = numbers.close();
///     closing.await;
///     assert_eq!(numbers.next().await, None);
/// });
/// ```
#[derive(Debug)]
#[must_use = "a stream is only closed when the future is awaited"]
pub struct Closing<'a, S> {
    stream: &'a mut S,
}

impl<S: Close + Unpin> Future for Closing<'_, S> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut *self.stream).poll_close(cx)
    }
}

impl<S: Close + Unpin + ?Sized> Close for &mut S {
    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut **self).poll_close(cx)
    }
}

impl<P> Close for Pin<P>
where
    P: DerefMut<Target: Close> + Unpin,
{
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.get_mut().as_mut().poll_close(cx)
    }
}

#[cfg(feature = "alloc")]
impl<S: Close + Unpin + ?Sized> Close for alloc::boxed::Box<S> {
    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut **self).poll_close(cx)
    }
}
