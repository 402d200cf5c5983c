// A generator that yields from itself must be boxed: `#[async_gen(boxed)]`.
use asyncgen::{async_gen, yield_, yield_all};

#[async_gen]
async fn countdown(n: u32) -> u32 {
    if n > 0 {
        yield_!(n);
        yield_all!(countdown(n - 1));
    }
}

fn main() {
    let _ = countdown(3);
}
