// A `yield_` future cannot be moved to a detached thread, which could poll it after the
// generator is gone.
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

use asyncgen::__private::async_gen;

fn main() {
    let _stream = async_gen::<u32, _>(async |mut yielder| {
        let future = yielder.yield_(1);
        detach(move || {
            let _ = pin!(future).poll(&mut Context::from_waker(Waker::noop()));
        });
    });
}

/// `std::thread::spawn` with its bounds (`Send + 'static`), declared here so that rustc's note
/// on where `'static` is required points into this file: pointing into std, it would quote
/// std's source only where the `rust-src` component is installed, and the expected output
/// would depend on the machine.
fn detach(work: impl FnOnce() + Send + 'static) {
    std::thread::spawn(work);
}
