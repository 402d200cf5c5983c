//! asyncio's concurrency helpers, under any executor, on one engine:
//!
//! - [`arena`]: the children pinned in one allocation and a waker for each from one more: the
//!   only module here with `unsafe` (its soundness argument is at its top).
//! - [`ready_queue`]: a waker per child and a FIFO of the children that woke, so a wake-up
//!   costs O(1) (loom-tested through `__loom`).
//! - [`merge`]: `merge()` / `merge!`, items of many streams as they come, fairly.
//! - [`gather`]: `gather()`, `try_gather()`, `gather_limited`, `as_completed` over collections.
//! - [`in_order`]: `in_order()`, `in_order_limited`: outputs in input order, as a stream, on
//!   `gather`'s pool.
//! - [`source`]: what the `_limited` forms pull from: an iterator, or a stream (`from_stream`).
//! - [`gather_tuple`]: `gather!` / `try_gather!` over tuples of differently typed futures.
//! - [`set`]: children under keys, inserted and removed while the set runs, behind
//!   [`stream_set`] (`StreamSet`) and [`future_set`] (`FutureSet`) (the `std` feature); what
//!   their `next_event` hands out is in [`set_event`].
//! - [`child_panic`]: a child whose poll panics leaves its helper before the panic goes on.
//! - [`coop`]: tokio's cooperative budget, a unit per item handed out (the `tokio` feature).
//! - [`macro_args`]: the per-argument checks behind those macros' error messages.
//! - `spawn`: the `tokio` feature's `spawn_*` variants, each child on its own task.
//! - `spawn_set`: `SpawnSet`, tokio tasks under keys on [`set`]'s engine (the `tokio` feature).
// Each module but `arena` has `#![forbid(unsafe_code)]`.

#[allow(unsafe_code)]
pub(crate) mod arena;
pub(crate) mod child_panic;
pub(crate) mod coop;
#[cfg(feature = "std")]
pub(crate) mod future_set;
pub(crate) mod gather;
pub(crate) mod gather_tuple;
pub(crate) mod in_order;
pub(crate) mod macro_args;
pub(crate) mod merge;
pub(crate) mod ready_queue;
#[cfg(feature = "std")]
pub(crate) mod set;
#[cfg(feature = "std")]
pub(crate) mod set_event;
pub(crate) mod source;
#[cfg(feature = "tokio")]
pub(crate) mod spawn;
#[cfg(feature = "tokio")]
pub(crate) mod spawn_set;
#[cfg(feature = "std")]
pub(crate) mod stream_set;

/// How many children a `merge` or `gather` polls in one poll of its own before it wakes
/// itself and yields to the executor, so a set of always-ready children cannot starve the
/// other tasks of its thread.
pub(crate) const POLL_BUDGET: usize = 32;
