//! Compile-fail cases: each `.rs` in a topic folder of `tests/ui` (`attribute/`: the item and
//! the options the attribute takes; `boxed/`; `for_await/`; `function_like/`: `stream!`,
//! `merge!`, `gather!`; `handle/`: the yield handle cannot escape its body; `question_mark/`;
//! `types/`: item types, borrows, auto traits; `yield/`: `yield_!` where it cannot go) must fail
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
