//! The function-like forms: `stream!` and `iter!` blocks, with literal `yield` and
//! `for await`.

use asyncgen::{iter, stream};
use futures::Stream;

/// `1, 4, 9` from an `iter!` block, doubled by a `stream!` block.
pub fn doubled_squares() -> impl Stream<Item = u32> {
    let squares = iter! {
        for n in 1..=3u32 {
            yield n * n;
        }
    };
    let squares = futures::stream::iter(squares);
    stream!(-> u32 {
        for await n in squares {
            yield n * 2;
        }
    })
}
