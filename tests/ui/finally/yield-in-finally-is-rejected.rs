// A cleanup runs as the generator ends: it cannot hand out items (Python: "async generator
// ignored GeneratorExit"), and `?`, which would yield its error, is rejected with it.
use asyncgen::{async_gen, finally, stream, yield_, yield_all};

#[async_gen]
async fn unsubscribes(topics: Vec<u32>) -> u32 {
    finally! {
        yield_!(0);
        yield_all!(topics.clone());
        "1".parse::<u32>()?;
    }
    yield_!(1);
}

fn main() {
    let _ = unsubscribes(vec![1]);
    let _ = stream! {
        finally! {
            yield 2;
        }
        yield 1;
    };
}
