// Issue 29: a generator is `UnwindSafe` when what its body captures is, as rustc's `gen`
// blocks are. A captured `&mut` could be left half-updated by a panic, so
// `catch_unwind(move || iter.next())` does not compile for this one without `AssertUnwindSafe`.
use std::panic::UnwindSafe;

use asyncgen::{generator, yield_};

#[generator]
fn counting(count: &mut u32) -> u32 {
    *count += 1;
    yield_!(*count);
}

// `std::panic::catch_unwind`, declared here with the same bounds (`tests/ui.rs`).
fn catch_unwind<F: FnOnce() -> R + UnwindSafe, R>(f: F) -> R {
    f()
}

fn main() {
    let mut count = 0;
    let mut iter = counting(&mut count);
    let _ = catch_unwind(move || iter.next());
}
