use asyncgen::{async_gen, yield_};

#[async_gen]
async fn total(items: Vec<u32>) -> u32 {
    for item in &items {
        yield_!(*item);
    }
    return items.iter().sum();
}

fn main() {
    let _ = total(vec![1]);
}
