use asyncgen::{async_gen, generator, yield_};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

#[generator]
fn doubled() -> u32 {
    #[for_await]
    for n in numbers() {
        yield_!(n * 2);
    }
}

fn main() {
    let _ = doubled();
}
