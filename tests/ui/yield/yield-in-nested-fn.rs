use asyncgen::{async_gen, yield_};

#[async_gen]
async fn outer() -> u32 {
    fn helper() {
        yield_!(1);
    }
    helper();
}

fn main() {
    let _ = outer();
}
