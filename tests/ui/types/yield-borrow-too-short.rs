// Items outlive each resumption of the body: a borrow of a local cannot be one, nor can a
// borrow of an argument be yielded as `&'static`.
use asyncgen::{async_gen, generator, yield_};

#[async_gen]
async fn shouted<'a>(text: &'a str) -> &'a str {
    let owned = text.to_uppercase();
    yield_!(owned.as_str());
}

#[generator]
fn words<'a>(text: &'a str) -> &'static str {
    for word in text.split(' ') {
        yield_!(word);
    }
}

fn main() {
    let _ = shouted("a b");
    let _ = words("a b");
}
