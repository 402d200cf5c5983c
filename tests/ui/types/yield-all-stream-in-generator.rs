use asyncgen::{async_gen, generator, yield_, yield_all};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

#[generator]
fn sync_numbers() -> u32 {
    yield_all!(numbers());
}

fn main() {
    let _ = sync_numbers();
}
