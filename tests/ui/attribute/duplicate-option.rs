use asyncgen::{async_gen, generator, yield_};

#[async_gen(boxed, boxed)]
async fn numbers() -> u32 {
    yield_!(1);
}

#[generator(boxed, boxed_local)]
fn letters() -> char {
    yield_!('a');
}

#[async_gen(boxed = true)]
async fn more() -> u32 {
    yield_!(1);
}

fn main() {
    let _ = numbers();
    let _ = letters();
    let _ = more();
}
