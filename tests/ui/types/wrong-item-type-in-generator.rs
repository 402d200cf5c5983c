use asyncgen::{async_gen, generator, yield_, yield_all};

#[generator]
fn numbers() -> u32 {
    yield_!(1);
    yield_!("two");
}

#[generator]
fn words() -> u32 {
    yield_all!(vec!["three", "four"]);
}

#[async_gen]
async fn more_words() -> u32 {
    yield_all!(["five"]);
}

fn main() {
    let _ = numbers();
    let _ = words();
    let _ = more_words();
}
