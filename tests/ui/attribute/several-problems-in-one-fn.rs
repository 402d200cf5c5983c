// Every mistake the macro finds in one fn is reported in the same compile.
use asyncgen::{async_gen, generator, yield_, yield_all};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

#[generator(boxed_forever)]
fn everything_wrong(items: Vec<u32>) -> u32 {
    std::future::ready(()).await;
    items.iter().for_each(|item| yield_!(*item));
    yield_!(1, 2);
    yield_all!();
    #[for_await]
    for n in numbers() {
        yield_!(n);
    }
    return 1;
}

fn main() {
    let _ = everything_wrong(vec![1]);
}
