//! What a helper does when user code it calls panics: it stays consistent, and the panic goes on
//! to its poller once (the crate docs' "When user code panics" gives the contract).
//!
//! Three patterns, used by every helper:
//!
//! - **Bookkeeping first.** Before a child, an output or a key is dropped, the helper has
//!   already forgotten it (its slot freed, its count taken off, its key unlinked), so a drop
//!   that panics leaves nothing half done. The drop comes last. Where the bookkeeping is
//!   cheaper after the call on the hot path, [`then_even_after_a_panic`] runs it after, and
//!   also as the call unwinds (futures-rs's `Bomb`).
//! - **A child's poll is caught** ([`catch`], with the `std` feature): if it panics, the helper
//!   drops the child and frees its slot as if it had ended, then [`ChildPanic::resume`]s the
//!   panic with its payload. So a `merge`, `as_completed` or set that outlives the panic (its
//!   poller caught it with `catch_unwind`) goes on with the other children and ends when they
//!   do, instead of keeping a slot that is never polled again (a merge that waits forever), or
//!   polling the panicked child again. The child is dropped after the unwinding is caught, not
//!   during it, so a child whose drop panics too does not abort the process: that second panic
//!   is the one that goes on.
//! - **Many drops in a row go on after one panics** ([`each_even_after_a_panic`]): the rest
//!   are dropped as the panic unwinds, as a `Vec` drops its elements.
//!
//! Without `std` nothing is caught (`core` cannot): the panic goes straight on, the child stays
//! in its slot and is never polled again, and a helper polled after the panic may wait forever.
//! (Targets without `std` mostly abort on panic anyway.) The other two patterns hold there too.
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

/// Runs `call` (a call into user code), then `bookkeeping`, which also runs if `call` panics,
/// as the panic unwinds. Without a panic this is `call` then `bookkeeping`, in that order and
/// at that cost: the unwinding path is a landing pad, out of the way (and none at all where
/// `call` cannot unwind, such as an integer key's `clone`). Where the bookkeeping touches
/// several fields of one struct, a guard holding `&mut` the struct costs less than this
/// closure capturing each (`Pool::release`).
#[inline(always)]
pub(crate) fn then_even_after_a_panic<R>(
    call: impl FnOnce() -> R,
    bookkeeping: impl FnOnce(),
) -> R {
    /// Runs the bookkeeping when dropped: after the call, or as it unwinds.
    struct Then<F: FnOnce()>(Option<F>);

    impl<F: FnOnce()> Drop for Then<F> {
        #[inline(always)]
        fn drop(&mut self) {
            if let Some(bookkeeping) = self.0.take() {
                bookkeeping();
            }
        }
    }

    let then = Then(Some(bookkeeping));
    let result = call();
    drop(then);
    result
}

/// Calls `f` on every item of `items`, even after a call panics: the calls for the items after
/// it then run as the panic unwinds (a second panic aborts the process, as when a `Vec`'s
/// elements are dropped), and the first panic goes on.
pub(crate) fn each_even_after_a_panic<I: Iterator>(items: I, f: impl FnMut(I::Item)) {
    /// The items not reached yet, and what to do with each.
    struct Rest<I: Iterator, F: FnMut(I::Item)> {
        items: I,
        f: F,
    }

    impl<I: Iterator, F: FnMut(I::Item)> Rest<I, F> {
        fn run(&mut self) {
            for item in &mut self.items {
                (self.f)(item);
            }
        }
    }

    impl<I: Iterator, F: FnMut(I::Item)> Drop for Rest<I, F> {
        /// Empty unless a call panicked: then it finishes the job during the unwinding.
        fn drop(&mut self) {
            self.run();
        }
    }

    // A call that panics unwinds out of `run`, which drops `rest`: its drop calls `f` on the
    // items left. Without a panic `run` uses them all up, and the drop finds none.
    let mut rest = Rest { items, f };
    rest.run();
}
