// `yield_!` takes one expression (a tuple needs its own parentheses), `yield_!()` yields `()`,
// and `yield_all!` needs a source.
use asyncgen::{async_gen, yield_, yield_all};

#[async_gen]
async fn pairs() -> (u32, u32) {
    yield_!(1, 2);
}

#[async_gen]
async fn empty() -> u32 {
    yield_all!();
}

fn main() {
    let _ = pairs();
    let _ = empty();
}
