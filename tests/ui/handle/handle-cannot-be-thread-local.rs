// A thread-local lives as long as its thread, longer than any generator body: the handle,
// lent to the body only, cannot be stored there.
use std::cell::RefCell;

use asyncgen::__private::{Yielder, async_gen};

thread_local! {
    static KEPT: RefCell<Option<Yielder<'static, u32>>> = const { RefCell::new(None) };
}

fn main() {
    let _stream = async_gen::<u32, _>(async |yielder| {
        KEPT.with(|kept| *kept.borrow_mut() = Some(yielder));
    });
}
