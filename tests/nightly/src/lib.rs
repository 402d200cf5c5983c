//! Nightly-only tests of asyncgen (see `tests/`): a literal `yield value;` in generator bodies.
//! Run with `cargo +nightly test --manifest-path tests/nightly/Cargo.toml`.
