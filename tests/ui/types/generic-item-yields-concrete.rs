// A generic item type `T` is chosen by the caller: the body cannot yield a `u32` as a `T`.
use asyncgen::{async_gen, yield_};

#[async_gen]
async fn defaults<T: Default>() -> T {
    yield_!(T::default());
    yield_!(0u32);
}

fn main() {
    let _ = defaults::<String>();
}
