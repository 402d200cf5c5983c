// Shared ownership does not help: an `Rc` cell made outside the body outlives it, so the
// handle cannot be put there.
use std::cell::RefCell;
use std::rc::Rc;

use asyncgen::__private::async_gen;

fn main() {
    let shared = Rc::new(RefCell::new(None));
    let inside = shared.clone();
    let _stream = async_gen::<u32, _>(async move |yielder| {
        *inside.borrow_mut() = Some(yielder);
    });
    let _late = shared.borrow_mut().take();
}
