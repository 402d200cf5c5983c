use asyncgen::{async_gen, yield_};

#[async_gen]
async fn each(items: Vec<u32>) -> u32 {
    items.iter().for_each(|item| yield_!(*item));
}

fn main() {
    let _ = each(vec![1]);
}
