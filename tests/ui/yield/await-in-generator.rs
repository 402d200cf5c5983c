use asyncgen::{generator, yield_};

#[generator]
fn delayed() -> u32 {
    std::future::ready(()).await;
    yield_!(1);
}

fn main() {
    let _ = delayed();
}
