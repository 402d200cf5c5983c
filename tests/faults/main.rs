//! Fault injection (issue 27): each call a helper makes into user code panics in turn, and the
//! helper must stay consistent. A child's `poll` and `Drop`, an item's or output's `Drop`, a
//! key's `Clone`, `Hash` and `Eq`, the parent waker's `wake`, and `size_hint` are hooks
//! ([`plan::Hook`]); a run makes the k-th call of one hook panic, and the sweep tries every k
//! (`sweep`). After the panic the driver polls on, as a server that catches panics does, and
//! checks the contract of the crate docs ("When user code panics"): the helper ends, or (a
//! future) panics with its own message, within a bounded number of polls; no `Pending` goes out
//! without a wake-up to come; every child and item is dropped once; no item of a child that ran
//! is lost but the one the panic interrupted; no result claims an output it lacks; and nothing
//! leaks (every value holding the run's plan is gone, and every allocation is freed: this
//! binary's counting allocator).
//!
//! Seeded: the children's scripts, the driver's choices (when to wake a parked child, call
//! `size_hint`, insert into a set, drop the helper early) come from the seed a failure names.
//! Under Miri (CI, with Stacked and Tree Borrows and its leak check) fewer seeds and calls run.
//!
//! One finding each of issue 27's list (1-7) is also a test of its own (`regressions`); 8 is a
//! unit test of `core/src/yielder.rs`, 9 is in `tests/it/soundness.rs`.

#[global_allocator]
static GLOBAL: support::CountingAllocator = support::CountingAllocator;

mod drive;
mod hooked;
mod plan;
mod regressions;
mod subjects;
mod sweep;
