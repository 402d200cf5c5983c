use std::rc::Rc;

use asyncgen::{async_gen, yield_};
use futures::StreamExt;

#[async_gen]
async fn shared(value: Rc<u32>) -> u32 {
    tokio::task::yield_now().await;
    yield_!(*value);
}

#[tokio::main]
async fn main() {
    tokio::spawn(shared(Rc::new(1)).collect::<Vec<_>>());
}
