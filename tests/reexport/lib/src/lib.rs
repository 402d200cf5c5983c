//! A library whose users get generators from it, not from asyncgen: it re-exports the crate
//! (for the attributes' `crate = asyncgen_reexport::asyncgen`) and the macros themselves
//! (the function-like ones need no option: they reach asyncgen through `$crate`).

pub use asyncgen;
pub use asyncgen::{
    FusedStream, Stream, async_gen, for_await, gather, generator, iter, merge, stream, yield_,
};

/// A generator of the library's own, used by its users' generators.
#[async_gen]
pub async fn ticks(n: u32) -> u32 {
    for i in 0..n {
        yield_!(i);
    }
}
