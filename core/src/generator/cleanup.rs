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
//! Closing polls the body with the stream's frame marked ([`Probe::is_closing`]). Every guard
//! on the way down polls what it guards, except the innermost one whose guarded part runs (the
//! depth `state` holds): that one drops its guarded part (the `.await` it waited on is
//! cancelled) and returns, so the cleanup after it runs, and the cleanups around it after
//! that. Once a cleanup began (`CLEANING`), no guard acts again: the rest of the body is
//! cleanups, each the last statement of the block around it, and they all run.
#![forbid(unsafe_code)]

use core::future::{Future, poll_fn};
use core::pin::pin;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};
use core::task::Poll;

use crate::yielder::Probe;

/// In a [`CleanupState`]: a cleanup began.
const CLEANING: u32 = u32::MAX;

/// The depth of the innermost guard whose guarded part runs, or [`CLEANING`]. An atomic (of
/// one task: relaxed) so that the body stays `Send` while its blocks borrow it.
#[derive(Debug)]
pub struct CleanupState(AtomicU32);

impl CleanupState {
    /// No guard has run yet.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        CleanupState(AtomicU32::new(0))
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
    state.0.store(depth, Relaxed);
    let mut guarded = pin!(Some(guarded));
    poll_fn(|cx| {
        if probe.is_closing() && state.0.load(Relaxed) == depth {
            // First, so that if a drop below panics, no guard acts again.
            state.0.store(CLEANING, Relaxed);
            guarded.set(None);
            return Poll::Ready(());
        }
        let Some(part) = guarded.as_mut().as_pin_mut() else {
            return Poll::Ready(());
        };
        let polled = part.poll(cx);
        if polled.is_ready() {
            state.0.store(CLEANING, Relaxed);
        }
        polled
    })
    .await;
}
