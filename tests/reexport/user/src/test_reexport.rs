//! async-stream's `tests/test-reexport/src/lib.rs`, ported (issue 29): the same functions,
//! the same bodies, with `reexporter` renamed to this test's re-exporting library. asyncgen
//! has no `try_stream!`: its `stream!` with a `Result` item type is the second function.

use futures_core::stream::Stream;

pub fn create_stream() -> impl Stream<Item = u8> {
    asyncgen_reexport::stream! {
        for x in 0..10_u8 {
            yield x;
        }
    }
}

pub fn create_try_stream() -> impl Stream<Item = Result<u8, u8>> {
    asyncgen_reexport::stream! {
        for x in 0..10_u8 {
            yield Ok(x);
        }
    }
}
