// `boxed` needs a `Send` body: a value of a type parameter without a `Send` bound, held
// across a yield, is not.
use std::fmt::Debug;

use asyncgen::{async_gen, yield_};

#[async_gen(boxed)]
async fn describe<T: Debug + 'static>(value: T, times: usize) -> String {
    for _ in 0..times {
        yield_!(format!("{value:?}"));
    }
}

fn main() {
    let _ = describe(1u32, 2);
}
