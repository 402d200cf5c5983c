use asyncgen::{async_gen, yield_};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
    yield_!("two");
}

fn main() {
    let _ = numbers();
}
