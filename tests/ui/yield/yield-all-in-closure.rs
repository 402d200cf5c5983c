use asyncgen::{async_gen, yield_all};

#[async_gen]
async fn numbers() -> u32 {
    let batches = vec![vec![1, 2], vec![3]];
    batches.into_iter().for_each(|batch| {
        yield_all!(batch);
    });
}

fn main() {
    let _ = numbers();
}
