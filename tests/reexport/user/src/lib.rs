//! Generators written against a library that re-exports asyncgen (see tests/reexport/lib).
//! The attributes need `crate = ..` here (this crate has no dependency on asyncgen for them
//! to find); the function-like macros need nothing.

use asyncgen_reexport::{async_gen, for_await, generator, stream, ticks, yield_};

pub mod test_reexport;

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
        for await i in ticks(n) {
            yield i + 1;
        }
    }
}

/// The first `n` squares, as a block called through the library's path.
pub fn square_iter(n: u32) -> impl Iterator<Item = u32> {
    asyncgen_reexport::iter! {
        for i in 0..n {
            yield i * i;
        }
    }
}

/// The library's ticks twice over, merged (through the library's path).
pub fn merged(n: u32) -> impl asyncgen_reexport::Stream<Item = u32> {
    asyncgen_reexport::merge!(ticks(n), ticks(n))
}

/// Two totals, gathered.
pub async fn gathered(n: u32) -> (u32, u32) {
    asyncgen_reexport::gather!(total(n), total(n + 1)).await
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
