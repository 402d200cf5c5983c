// A `const` or `static` inside the body is an item of its own, evaluated at compile time: it
// cannot yield.
use asyncgen::{async_gen, yield_};

#[async_gen]
async fn numbers() -> u32 {
    const FIRST: u32 = {
        yield_!(0);
        1
    };
    static SECOND: u32 = {
        yield_!(1);
        2
    };
    yield_!(FIRST + SECOND);
}

fn main() {
    let _ = numbers();
}
