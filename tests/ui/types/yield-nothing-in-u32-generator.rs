// `yield_!()` yields `()`: fine in a generator of `()`, a type error anywhere else.
use asyncgen::{generator, yield_};

#[generator]
fn ticks() -> u32 {
    yield_!();
}

fn main() {
    let _ = ticks();
}
