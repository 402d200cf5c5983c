use asyncgen::{async_gen, yield_};

#[async_gen]
async fn spawned() -> u32 {
    let task = async {
        yield_!(1);
    };
    task.await;
}

fn main() {
    let _ = spawned();
}
