// A body must accept a handle of any brand: one that asks for a `'static` handle (and could
// then store it anywhere) is rejected.
use std::future::Future;

use asyncgen::__private::{Yielder, async_gen};

fn body(yielder: Yielder<'static, u32>) -> impl Future<Output = ()> {
    async move {
        drop(yielder);
    }
}

fn main() {
    let _stream = async_gen::<u32, _>(body);
}
