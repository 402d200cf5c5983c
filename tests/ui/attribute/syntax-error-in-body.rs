// A syntax error in the body is reported once, by rustc, and nothing else: the rest of the
// body is still lowered (the `yield_!`s around it), so no error follows from the macro.
use asyncgen::{async_gen, yield_};

#[async_gen]
async fn numbers() -> u32 {
    let x = 1u32;
    yield_!(x);
    let y = x.;
    yield_!(y);
}

fn main() {
    let _ = numbers();
}
