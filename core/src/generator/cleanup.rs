//! `finally! { .. }` in a generator body: a cleanup that may `.await`, run when the body ends
//! (its end, `return`, a `?` that ends it) and when the stream is closed ([`crate::Close`]).
//!
//! The macros split the body at each top-level `finally!` and nest what follows it in a
//! guard, with the block after the guard:
//!
//! ```text
//! // Input:                    // Output (`state`, `probe` hidden):
//! a;                           let state = CleanupState::new();
//! finally! { c1 }              let probe = yielder.probe();
//! b;                           guarded(probe, &state, 0, async {
//! finally! { c2 }                  a;
//! rest;                            guarded(probe, &state, 1, async {
//!                                      b;
//!                                      guarded(probe, &state, 2, async { rest }).await;
//!                                      { c2 }
//!                                  }).await;
//!                                  { c1 }
//!                              }).await
//! ```
//!
//! The `async` blocks are not `move`: they borrow the locals written before them, which the
//! cleanup after them then uses. `return` and `?` end the innermost block, so the cleanups
//! after it run in turn. The whole body is guarded too (depth 0), so that a close before the
//! first `finally!` ran ends the body without a cleanup.
//!
//! Closing polls the body with the stream's frame marked (`Probe::is_closing`). Every guard
//! on the way down polls what it guards, except the innermost one whose guarded part runs (the
//! depth `state` holds): that one drops its guarded part (the `.await` it waited on is
//! cancelled) and returns, so the cleanup after it runs, and the cleanups around it after
//! that. Once a cleanup began (`CLEANING`), no guard acts again: the rest of the body is
//! cleanups, each the last statement of the block around it, and they all run.
//!
//! A `yield_all!` passes the close on to its source. Written directly in the body (not in
//! another macro's arguments), it drains the source through `next_or_close` and marks the
//! body `Draining` meanwhile; its body is guarded even without a `finally!`. The acting guard
//! then first polls its part in place of dropping it: the part waits at the `yield_all!`'s
//! yield, which completes (the consumer took the item), or at its `next_or_close`, which closes
//! the source and never completes. Once the source has closed, the guard drops the part.
#![forbid(unsafe_code)]

use core::future::{Future, poll_fn};
use core::marker::PhantomData;
use core::pin::{Pin, pin};
use core::sync::atomic::{AtomicU8, AtomicU32, Ordering::Relaxed};
use core::task::{Context, Poll};

use futures_core::Stream;

use crate::close::Close;
use crate::yielder::Probe;

/// In a `CleanupState`'s depth: a cleanup began.
const CLEANING: u32 = u32::MAX;

/// Where the body is with a `yield_all!`'s source, in a `CleanupState`: not in one.
const NO_CHILD: u8 = 0;
/// Draining a source.
const DRAINING: u8 = 1;
/// Closing it: the stream was closed while the body drained it.
const CLOSING_CHILD: u8 = 2;
/// It has closed; what the guard guards can be dropped.
const CHILD_CLOSED: u8 = 3;

/// The body's record of its guards: the depth of the innermost one whose guarded part runs,
/// or `CLEANING`; and whether a `yield_all!` drains a source, which a close closes first.
/// Atomics (of one task: relaxed) so that the body stays `Send` while its blocks borrow it.
#[derive(Debug)]
pub struct CleanupState {
    depth: AtomicU32,
    child: AtomicU8,
}

impl CleanupState {
    /// No guard has run yet.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        CleanupState {
            depth: AtomicU32::new(0),
            child: AtomicU8::new(NO_CHILD),
        }
    }

    /// Whether a close began by closing a `yield_all!`'s source: the guard goes on with it
    /// whatever polls the body next (`close()` again, or `next()`).
    fn closing_child(&self) -> bool {
        matches!(self.child.load(Relaxed), CLOSING_CHILD | CHILD_CLOSED)
    }
}

/// Runs `guarded` (the part of the body after a `finally!`), unless the stream is closed
/// while this is the innermost guard whose part runs: the part is then dropped, and this
/// returns.
pub async fn guarded<T, F: Future<Output = ()>>(
    probe: Probe<'_, T>,
    state: &CleanupState,
    depth: u32,
    guarded: F,
) {
    state.depth.store(depth, Relaxed);
    let mut guarded = pin!(Some(guarded));
    poll_fn(|cx| {
        let Some(part) = guarded.as_mut().as_pin_mut() else {
            return Poll::Ready(());
        };
        let acts =
            state.depth.load(Relaxed) == depth && (probe.is_closing() || state.closing_child());
        if acts {
            // Parked in a `yield_all!`: its source is closed first, by polling the part, which
            // waits at the yield (done: the consumer took the item) or at the `next_or_close`
            // after it, which closes the source and never completes.
            if state.child.load(Relaxed) == DRAINING {
                state.child.store(CLOSING_CHILD, Relaxed);
            }
            if state.child.load(Relaxed) == CLOSING_CHILD {
                if part.poll(cx).is_ready() {
                    state.depth.store(CLEANING, Relaxed);
                    return Poll::Ready(());
                }
                if state.child.load(Relaxed) != CHILD_CLOSED {
                    return Poll::Pending;
                }
            }
            // First, so that if a drop below panics, no guard acts again.
            state.depth.store(CLEANING, Relaxed);
            guarded.set(None);
            return Poll::Ready(());
        }
        let polled = part.poll(cx);
        if polled.is_ready() {
            state.depth.store(CLEANING, Relaxed);
        }
        polled
    })
    .await;
}

/// Marks the body as draining a `yield_all!`'s source while it lives (made just before the
/// loop, dropped with it, also when a guard drops the part it is in).
#[derive(Debug)]
pub struct Draining<'s>(&'s CleanupState);

impl<'s> Draining<'s> {
    /// Marks `state`'s body as draining a source until this is dropped.
    #[inline]
    pub fn enter(state: &'s CleanupState) -> Self {
        state.child.store(DRAINING, Relaxed);
        Draining(state)
    }
}

impl Drop for Draining<'_> {
    fn drop(&mut self) {
        self.0.child.store(NO_CHILD, Relaxed);
    }
}

/// How a `yield_all!` closes its source: [`Close::poll_close`], or nothing for a source
/// without it. Picked by method resolution at the macro's site: `(&&CloseTag::of(&stream))
/// .closer()` finds `ViaClose` first when the source is `Close` (the autoref trick of
/// `yield_all`'s `Delegate`).
pub type Closer<S> = fn(Pin<&mut S>, &mut Context<'_>) -> Poll<()>;

/// The source's type, for picking its `Closer`.
#[derive(Debug)]
pub struct CloseTag<S: ?Sized>(PhantomData<fn(&S)>);

impl<S: ?Sized> CloseTag<S> {
    /// The tag of the pinned source's type.
    #[inline]
    pub fn of(_: &Pin<&mut S>) -> Self {
        CloseTag(PhantomData)
    }
}

/// Picks [`Close::poll_close`] for a source that is `Close`.
pub trait ViaClose<S: ?Sized> {
    /// [`Close::poll_close`].
    #[inline]
    fn closer(&self) -> Closer<S>
    where
        S: Close,
    {
        |source, cx| source.poll_close(cx)
    }
}

impl<S: Close + ?Sized> ViaClose<S> for &CloseTag<S> {}

/// Picks nothing to close for another source.
pub trait ViaNoClose<S: ?Sized> {
    /// Nothing: closed at once.
    #[inline]
    fn closer(&self) -> Closer<S> {
        |_, _| Poll::Ready(())
    }
}

impl<S: ?Sized> ViaNoClose<S> for CloseTag<S> {}

/// The next item of a `yield_all!`'s source; once a close began, the close of the source
/// instead, after which it waits for good (the guard then drops what it is in).
#[inline]
pub fn next_or_close<'a, S: Stream + ?Sized>(
    state: &'a CleanupState,
    closer: Closer<S>,
    source: Pin<&'a mut S>,
) -> NextOrClose<'a, S> {
    NextOrClose {
        state,
        closer,
        source,
    }
}

/// The future of `next_or_close`.
#[derive(Debug)]
pub struct NextOrClose<'a, S: ?Sized> {
    state: &'a CleanupState,
    closer: Closer<S>,
    source: Pin<&'a mut S>,
}

impl<S: Stream + ?Sized> Future for NextOrClose<'_, S> {
    type Output = Option<S::Item>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = self.get_mut();
        match this.state.child.load(Relaxed) {
            CLOSING_CHILD => {
                if (this.closer)(this.source.as_mut(), cx).is_ready() {
                    this.state.child.store(CHILD_CLOSED, Relaxed);
                }
                Poll::Pending
            }
            CHILD_CLOSED => Poll::Pending,
            _ => this.source.as_mut().poll_next(cx),
        }
    }
}
