use asyncgen::{async_gen, yield_};

#[async_gen]
async fn racing() -> u32 {
    tokio::select! {
        () = async { yield_!(1) } => {}
        () = tokio::task::yield_now() => {}
    }
}

fn main() {
    let _ = racing();
}
