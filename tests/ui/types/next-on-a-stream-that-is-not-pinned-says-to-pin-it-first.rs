// `.next()` needs `Unpin`; a generator's stream is not: the first error says to pin it (it
// suggested `(&stream).next()`, and only the second one, at `.await`, named `pin!`: issue 29).
// (The file name is long on purpose: the error at `.await` names the body's type, which
// carries this file's absolute path, and rustc moves a label longer than 140 characters into
// a `= help:` line. The name keeps that label over 140 from a checkout at any path, so the
// expected layout is the same everywhere: tests/ui.rs.)
use asyncgen::{async_gen, yield_};
use futures::StreamExt;

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

async fn first() -> Option<u32> {
    let mut stream = numbers();
    stream.next().await
}

fn main() {
    let _ = first();
}
