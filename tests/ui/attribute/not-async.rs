use asyncgen::{async_gen, yield_};

#[async_gen]
fn numbers() -> u32 {
    yield_!(1);
}

fn main() {
    let _ = numbers();
}
