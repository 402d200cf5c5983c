use std::rc::Rc;

use asyncgen::{async_gen, yield_};

#[async_gen(boxed)]
async fn shared() -> u32 {
    let counter = Rc::new(1);
    yield_!(*counter);
}

fn main() {
    let _ = shared();
}
