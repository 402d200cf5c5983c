//! The generator runtime around the yield mechanism (`crate::yielder`, the crate's one file
//! with `unsafe`): what the expansions of `#[async_gen]`, `#[generator]`, `stream!`, `iter!`
//! and `#[for_await]` call, all safe code.
//!
//! - [`sync_iter`]: `#[generator]`'s `Iterator`, a generator stream driven without a
//!   runtime.
//! - [`yield_all`]: `yield_all!(source)`, for streams and iterators alike.
//! - [`question_mark`]: `?` in bodies (stable stand-ins for `Try`/`FromResidual`).
//! - [`cleanup`]: `finally!`, the cleanup a close runs.
//! - [`next`]: the future each turn of a `#[for_await]` loop awaits.
//! - [`receiver`]: the check a `boxed` generator holding `&self` makes of `Self`.
//! - `nightly`: the `nightly` feature's `AsyncIterator` adapter.
#![forbid(unsafe_code)]

pub(crate) mod cleanup;
pub(crate) mod next;
#[cfg(feature = "nightly")]
pub(crate) mod nightly;
pub(crate) mod question_mark;
pub(crate) mod receiver;
#[cfg(feature = "alloc")]
pub(crate) mod sync_iter;
pub(crate) mod yield_all;
