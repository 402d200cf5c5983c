//! A global allocator for the memory tables: while switched on (by [`counted`]) it tracks the
//! live heap bytes, their peak and the allocations; switched off, it forwards to `System`
//! after one relaxed load, so the timed runs pay next to nothing for it and every variant
//! pays the same. A bench that wants it installs it:
//!
//! ```text
//! #[global_allocator]
//! static GLOBAL: harness::heap::PeakAllocator = harness::heap::PeakAllocator;
//! ```
//!
//! It counts every thread's allocations: call [`counted`] only while no other thread runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering};

/// Forwards to `System`, counting while [`counted`] runs.
#[derive(Debug)]
pub struct PeakAllocator;

static ON: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed since switched on (below 0 if older blocks are freed).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// What [`counted`] saw.
#[derive(Clone, Copy, Debug)]
pub struct Counted {
    /// The most bytes live at once, above the level at the start.
    pub peak: usize,
    pub allocations: usize,
}

/// Runs `f` with the counting on; returns its result and what it allocated.
pub fn counted<R>(f: impl FnOnce() -> R) -> (R, Counted) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    ALLOCATIONS.store(0, Ordering::Relaxed);
    ON.store(true, Ordering::SeqCst);
    let result = f();
    ON.store(false, Ordering::SeqCst);
    let counts = Counted {
        peak: PEAK.load(Ordering::Relaxed).max(0) as usize,
        allocations: ALLOCATIONS.load(Ordering::Relaxed),
    };
    (result, counts)
}

/// `delta` bytes became live (or freed, below 0); `allocation`: one more allocation.
#[inline]
fn record(delta: isize, allocation: bool) {
    if ON.load(Ordering::Relaxed) {
        let live = LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
        PEAK.fetch_max(live, Ordering::Relaxed);
        if allocation {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments; the counters have no
// effect on the memory handed out.
unsafe impl GlobalAlloc for PeakAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size() as isize, true);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` shares.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record(-(layout.size() as isize), false);
        // SAFETY: as above, for `dealloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size() as isize, true);
        // SAFETY: as above, for `alloc_zeroed`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size as isize - layout.size() as isize, true);
        // SAFETY: as above, for `realloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
