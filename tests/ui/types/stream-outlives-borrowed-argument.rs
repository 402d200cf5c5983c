// The stream captures its arguments, as an `async fn` future does: it cannot be used once
// what it borrows is gone.
use asyncgen::{async_gen, yield_};
use futures::StreamExt;

#[async_gen]
async fn words(text: &str) -> String {
    for word in text.split(' ') {
        yield_!(word.to_owned());
    }
}

fn main() {
    let stream = {
        let text = String::from("a b");
        words(&text)
    };
    let _ = futures::executor::block_on(stream.collect::<Vec<_>>());
}
