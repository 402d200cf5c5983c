//! Generators written against a library that re-exports asyncgen (see tests/reexport/lib).

use asyncgen_reexport::{async_gen, for_await, generator, stream, ticks, yield_};

/// Squares of the library's ticks.
#[async_gen(crate = asyncgen_reexport::asyncgen)]
pub async fn squares(n: u32) -> u32 {
    #[for_await]
    for i in ticks(n) {
        yield_!(i * i);
    }
}

/// The first `n` odd numbers.
#[generator(crate = asyncgen_reexport::asyncgen)]
pub fn odds(n: u32) -> u32 {
    for i in 0..n {
        yield_!(2 * i + 1);
    }
}

/// The ticks plus one, as a block.
pub fn shifted(n: u32) -> impl asyncgen_reexport::Stream<Item = u32> {
    stream! {
        crate = asyncgen_reexport::asyncgen;
        for await i in ticks(n) {
            yield i + 1;
        }
    }
}

/// The sum of the ticks, in a plain `async fn`.
#[for_await(crate = asyncgen_reexport::asyncgen)]
pub async fn total(n: u32) -> u32 {
    let mut total = 0;
    #[for_await]
    for i in ticks(n) {
        total += i;
    }
    total
}
