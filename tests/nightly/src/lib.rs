//! Nightly-only tests of asyncgen (see `tests/`): a literal `yield value;` and `for await` in
//! generator bodies.
//! Run with `cargo +nightly test --manifest-path tests/nightly/Cargo.toml`.
