//! Nothing: this package only holds `tests/embassy.rs` (see `Cargo.toml`).
