//! A child whose poll panics leaves its helper before the panic goes on to the helper's poller.
//!
//! With the `std` feature, each helper polls a child inside [`catch`]: if the poll panics, the
//! helper drops the child and frees its slot as if it had ended, then [`ChildPanic::resume`]s
//! the panic with its payload. So a `merge`, `as_completed` or set that outlives the panic
//! (its poller caught it with `catch_unwind`) goes on with the other children and ends when
//! they do, instead of keeping a slot that is never polled again (a merge that waits forever),
//! or polling the panicked child again. The child is dropped after the unwinding is caught, not
//! during it, so a child whose drop panics too does not abort the process.
//!
//! Without `std` nothing is caught (`core` cannot): the panic goes straight on, the child stays
//! in its slot and is never polled again, and a helper polled after the panic may wait forever.
//! (Targets without `std` mostly abort on panic anyway.)
//!
//! `AssertUnwindSafe`: the child's poll reaches only the child and its context; the helper's own
//! state is not touched during it, and the child, the only thing a panic may leave broken, is
//! dropped without being looked at again.
#![forbid(unsafe_code)]

/// A caught panic of a child's poll, to [`resume`](Self::resume) once the child is gone. Without
/// `std` it has no value: nothing is caught.
#[cfg(feature = "std")]
pub(crate) struct ChildPanic(alloc::boxed::Box<dyn core::any::Any + Send>);

/// Without `std`, nothing is caught: there is never a `ChildPanic`.
#[cfg(not(feature = "std"))]
pub(crate) enum ChildPanic {}

/// Runs `poll`, a child's poll, and catches its panic (with `std`).
#[inline]
pub(crate) fn catch<T>(poll: impl FnOnce() -> T) -> Result<T, ChildPanic> {
    #[cfg(feature = "std")]
    return std::panic::catch_unwind(core::panic::AssertUnwindSafe(poll)).map_err(ChildPanic);
    #[cfg(not(feature = "std"))]
    Ok(poll())
}

impl ChildPanic {
    /// Lets the panic go on, with the child's payload.
    #[cold]
    pub(crate) fn resume(self) -> ! {
        #[cfg(feature = "std")]
        std::panic::resume_unwind(self.0);
        #[cfg(not(feature = "std"))]
        match self {}
    }
}
