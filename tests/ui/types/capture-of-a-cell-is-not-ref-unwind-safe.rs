// Issue 29: a generator is `RefUnwindSafe` when what its body captures is, as rustc's `gen`
// blocks are. A captured `&Cell` can be changed through a shared reference, so this one is
// not: `catch_unwind(|| counter.next())` would need `AssertUnwindSafe`.
use std::cell::Cell;
use std::panic::RefUnwindSafe;

use asyncgen::{generator, yield_};

#[generator]
fn counting(count: &Cell<u32>) -> u32 {
    count.set(count.get() + 1);
    yield_!(count.get());
}

// `std::panic::catch_unwind`'s bound on what the closure borrows, declared here (`tests/ui.rs`).
fn assert_ref_unwind_safe<T: RefUnwindSafe>(_: &T) {}

fn main() {
    let count = Cell::new(0);
    let counter = counting(&count);
    assert_ref_unwind_safe(&counter);
}
