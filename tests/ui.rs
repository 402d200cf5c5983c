//! Compile-fail cases: each `.rs` in `tests/ui` must fail to build with the `.stderr` next to
//! it. Refresh with `TRYBUILD=overwrite cargo test --test ui`, then read every changed file.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
