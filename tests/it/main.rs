//! The integration tests, one binary: each module is a topic. (Test binaries of their own:
//! `tests/counting_allocator/`, which installs a counting global allocator for the whole
//! process, and `tests/ui.rs`, the trybuild suite, which `.ci/run` drives on its own.)
//!
//! Helpers shared by the modules are in the `support` library (`tests/support/lib.rs`).

mod arguments;
mod async_gen;
mod attribute_macros;
mod auto_traits;
mod cancellation;
mod close;
mod concurrent_yields;
// With asyncgen's `tokio` feature (the root package's default).
#[cfg(feature = "tokio")]
mod coop;
mod empty_blocks;
mod expanded;
#[cfg(not(miri))]
mod feed_server;
mod for_await;
mod function_like;
mod gather;
mod generator;
mod hygiene;
mod in_order;
// `pub`: `missing_docs` checks only items reachable from the crate root.
pub mod lints;
mod merge;
mod methods;
mod question_mark;
mod runtime;
mod self_waking;
mod sets;
mod sets_api;
mod sets_poll;
mod soundness;
#[cfg(feature = "tokio")]
mod spawn;
#[cfg(feature = "tokio")]
mod spawn_set;
mod traits;
mod yield_all;
