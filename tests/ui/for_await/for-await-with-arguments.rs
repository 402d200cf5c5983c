use asyncgen::{async_gen, for_await, yield_};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

#[async_gen]
async fn doubled() -> u32 {
    #[for_await(x)]
    for n in numbers() {
        yield_!(n * 2);
    }
}

#[for_await(parallel)]
async fn consume() {
    #[for_await]
    for n in numbers() {
        println!("{n}");
    }
}

fn main() {
    let _ = doubled();
    let _ = consume();
}
