// A `yield_` future points to its generator's slot and borrows the handle: it cannot be
// stored in a `static` to be polled after the generator is gone.
use std::sync::Mutex;

use asyncgen::__private::{YieldFuture, async_gen};

static PENDING: Mutex<Option<YieldFuture<'static, u32>>> = Mutex::new(None);

fn main() {
    let _stream = async_gen::<u32, _>(async |mut yielder| {
        *PENDING.lock().unwrap() = Some(yielder.yield_(1));
    });
}
