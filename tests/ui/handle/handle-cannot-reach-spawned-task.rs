// A spawned task may outlive the generator: the handle cannot be moved into one.
use asyncgen::__private::async_gen;

fn main() {
    let _stream = async_gen::<u32, _>(async |mut yielder| {
        tokio::spawn(async move {
            yielder.yield_(1).await;
        });
    });
}
