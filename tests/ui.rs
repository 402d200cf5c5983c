//! Compile-fail cases: each `.rs` in a topic folder of `tests/ui` (`attribute/`: the item and
//! the options the attribute takes; `boxed/`; `finally/`: cleanup blocks where they cannot
//! be, and what they cannot hold; `for_await/`; `function_like/`: `stream!`,
//! `merge!`, `try_merge!`, `gather!`; `handle/`: the yield handle cannot escape its body;
//! `question_mark/`; `types/`: item types, borrows, auto traits; `yield/`: `yield_!` where it cannot go) must fail
//! to build with the `.stderr` next to it. Refresh with `TRYBUILD=overwrite cargo test --test
//! ui`, then read every changed file.
//!
//! The expected output must not depend on the machine, only on the compiler:
//! - The `.stderr` files are rustc 1.95's (the stable toolchain CI runs); another compiler
//!   words errors differently, so there the test is ignored. `.ci/run` runs it with
//!   `--include-ignored`, so a new stable toolchain in CI shows up as a failure to refresh.
//! - No expected note points into the standard library: rustc quotes std's source under such
//!   a note only where the `rust-src` component is installed (every rust-analyzer user has
//!   it). A case that needs a std bound declares a local fn with the same bounds instead
//!   (`handle/handle-yield-future-cannot-reach-thread.rs`). `.ci/run` runs this suite with and
//!   without `rust-src`.
//! - No expected layout depends on where the checkout is. A closure's or an async body's type
//!   carries the absolute path of its file (`{async closure body@/home/..:6:27: 8:2}`), and
//!   rustc lays out some errors by the length of what they print: a "the trait `X` is not
//!   implemented for `T`" label longer than 140 characters (the default diagnostic width)
//!   becomes "unsatisfied trait bound" with the text in a `= help:` line. trybuild writes
//!   `$DIR` for the path only afterwards, so such a case passed from a short checkout and failed
//!   from a long one (`/home/<user>/projects/..`, a CI runner's `/home/runner/work/..`). Where a
//!   case needs such a type in that label, its file name keeps the label over 140 from any path
//!   (`types/next-on-a-stream-that-is-not-pinned-says-to-pin-it-first.rs` says how). `.ci/run`
//!   runs the suite from a copy of the checkout under a path of 150+ characters as well.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "expected errors are rustc 1.95's; `.ci/run` runs this with --include-ignored"
)]
#[cfg_attr(
    asyncgen_slot_in_stream,
    ignore = "expected errors are for the default yield route (the slot on the stack)"
)]
#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/*/*.rs");
}
