//! tokio's cooperative budget, with the `tokio` feature: each item a `merge` or `as_completed`
//! hands out, and each `gather` that completes, spends a unit of the task's budget, as an
//! operation on one of tokio's own resources does; with the budget spent, a poll returns
//! `Pending` at once (tokio wakes the task when its next turn gives it a new budget). So a
//! merge of always-ready streams drained inside a task gives the other tasks of its worker
//! their turn. (The helpers' own [`POLL_BUDGET`](crate::concurrency::POLL_BUDGET) bounds one
//! poll; a loop that gets an item from every poll needs the task's budget to ever yield.)
//! Without the feature, or outside a tokio task, every poll may proceed.
//!
//! A unit per poll of the helper, not per child poll: tokio's check costs a thread-local
//! access, which per child would double the cost of an item of a `merge` of two ready streams
//! (84 instructions against 48 per item, callgrind).
#![forbid(unsafe_code)]

use core::task::{Context, Poll};

/// Leave to do one unit of work. Dropped without [`made_progress`](Self::made_progress), it gives
/// its unit back (a child that was `Pending` did no work).
#[must_use]
struct Proceed {
    #[cfg(feature = "tokio")]
    restore: tokio::task::coop::RestoreOnPending,
}

impl Proceed {
    /// The work was done (an item or an output handed out): the unit stays spent.
    #[inline]
    fn made_progress(self) {
        #[cfg(feature = "tokio")]
        self.restore.made_progress();
    }
}

/// One poll of a helper, `poll`, within the task's budget: `Pending` without running it once
/// the budget is spent; a unit spent if it returns `Ready`.
#[inline]
pub(crate) fn cooperate<T>(
    cx: &mut Context<'_>,
    poll: impl FnOnce(&mut Context<'_>) -> Poll<T>,
) -> Poll<T> {
    let proceed = core::task::ready!(poll_proceed(cx));
    let result = poll(cx);
    if result.is_ready() {
        proceed.made_progress();
    }
    result
}

/// `Ready` while the task has budget for another unit of work; `Pending` once it is spent,
/// with the task woken when the scheduler has given it back its budget.
#[inline]
fn poll_proceed(cx: &mut Context<'_>) -> Poll<Proceed> {
    #[cfg(feature = "tokio")]
    return tokio::task::coop::poll_proceed(cx).map(|restore| Proceed { restore });
    #[cfg(not(feature = "tokio"))]
    {
        let _ = cx;
        Poll::Ready(Proceed {})
    }
}
