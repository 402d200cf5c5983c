//! The tests that count allocations. They run under a counting global allocator, which is
//! process-wide (one `#[global_allocator]` per binary): a binary of their own, so every other
//! test (`tests/it`) runs on the plain system allocator.

#[global_allocator]
static GLOBAL: support::CountingAllocator = support::CountingAllocator;

mod allocations;
mod wake_probe;
