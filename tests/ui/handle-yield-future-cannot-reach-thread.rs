// A `yield_` future cannot be moved to a detached thread, which could poll it after the
// generator is gone.
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

use asyncgen::__private::async_gen;

fn main() {
    let _stream = async_gen::<u32, _>(async |mut yielder| {
        let future = yielder.yield_(1);
        std::thread::spawn(move || {
            let _ = pin!(future).poll(&mut Context::from_waker(Waker::noop()));
        });
    });
}
