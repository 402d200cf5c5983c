//! A global allocator that counts the allocations each thread makes, and those it has not
//! freed, for the tests that assert allocation counts (the `counting_allocator` test binary:
//! `tests/counting_allocator/`) or that nothing leaks (`tests/faults/`).
//! A `#[global_allocator]` is per binary, and that binary installs it:
//!
//! ```text
//! #[global_allocator]
//! static GLOBAL: support::CountingAllocator = support::CountingAllocator;
//! ```
//!
//! Counting per thread keeps other threads (a parallel test, libtest's own thread) out of the
//! count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Forwards to `System`, counting each `alloc`, `alloc_zeroed` and `realloc` of the calling
/// thread.
#[derive(Debug)]
pub struct CountingAllocator;

thread_local! {
    /// Allocations made by this thread. `const`-initialized and without a destructor, so
    /// reading it from the allocator never allocates.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    /// Blocks this thread allocated less blocks it freed (a `realloc` changes nothing): the
    /// same before and after a piece of code that frees on this thread all it allocates.
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn count_allocation() {
    // `try_with`: a thread being torn down may still allocate.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

fn count_live(change: isize) {
    let _ = LIVE.try_with(|live| live.set(live.get() + change));
}

/// How many allocations this thread has made so far (under [`CountingAllocator`]).
pub fn allocations_on_this_thread() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Blocks allocated on this thread less those freed on it, so far (under
/// [`CountingAllocator`]): compare it before and after, with everything made in between
/// dropped, to find a leak.
pub fn live_allocations_on_this_thread() -> isize {
    LIVE.with(Cell::get)
}

// SAFETY: forwards to `System`, only counting.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        count_live(1);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        count_live(1);
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count_live(-1);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}
