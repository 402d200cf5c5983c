//! tokio's cooperative budget, with the `tokio` feature: each child poll of a `merge` or
//! `gather` takes a unit of the task's budget, as tokio's own resources do, so a merge of
//! always-ready streams drained inside a task gives the other tasks of its worker their turn.
//! (The helpers' own [`POLL_BUDGET`](crate::concurrency::POLL_BUDGET) bounds one poll; a loop
//! that gets an item from every poll needs the task's budget to ever yield.) Without the
//! feature, or outside a tokio task, every poll may proceed.
#![forbid(unsafe_code)]

use core::task::{Context, Poll};

/// Leave to poll one child. Dropped without [`made_progress`](Self::made_progress), it gives
/// its unit back (a child that was `Pending` did no work).
#[must_use]
pub(crate) struct Proceed {
    #[cfg(feature = "tokio")]
    restore: tokio::task::coop::RestoreOnPending,
}

impl Proceed {
    /// The child completed or yielded: the unit stays spent.
    #[inline]
    pub(crate) fn made_progress(self) {
        #[cfg(feature = "tokio")]
        self.restore.made_progress();
    }
}

/// `Ready` while the task has budget for another child poll; `Pending` once it is spent, with
/// the task woken when the scheduler has given it back its budget.
#[inline]
pub(crate) fn poll_proceed(cx: &mut Context<'_>) -> Poll<Proceed> {
    #[cfg(feature = "tokio")]
    return tokio::task::coop::poll_proceed(cx).map(|restore| Proceed { restore });
    #[cfg(not(feature = "tokio"))]
    {
        let _ = cx;
        Poll::Ready(Proceed {})
    }
}
