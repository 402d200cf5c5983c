// `futures::join!` takes futures: a `yield_!` in one of them is in a nested `async` block, which
// cannot suspend the generator around it. (Even by hand, two branches cannot both borrow the
// handle mutably: see `yield-handle-in-two-join-branches.rs`.)
use asyncgen::{async_gen, yield_};

#[async_gen]
async fn both() -> u32 {
    futures::join!(async { yield_!(1) }, async { yield_!(2) });
}

fn main() {
    let _ = both();
}
