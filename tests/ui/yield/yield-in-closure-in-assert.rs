use asyncgen::{async_gen, yield_};

#[async_gen]
async fn checked(items: Vec<u32>) -> u32 {
    assert!(items.iter().all(|item| {
        yield_!(*item);
        true
    }));
}

fn main() {
    let _ = checked(vec![1]);
}
