use asyncgen::{async_gen, generator, yield_};

#[async_gen]
const async fn numbers() -> u32 {
    yield_!(1);
}

#[generator]
const fn letters() -> char {
    yield_!('a');
}

fn main() {
    let _ = numbers();
    let _ = letters();
}
