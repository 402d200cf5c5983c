// `yield i;` is nightly syntax: on stable, rustc rejects it before the attribute runs (an
// error that cannot be removed), and the attribute's error beside it says what to write.
use asyncgen::async_gen;

#[async_gen]
async fn numbers() -> u32 {
    for i in 0..3 {
        yield i;
    }
}

fn main() {
    let _ = numbers();
}
