use asyncgen::yield_all;

fn not_a_generator() {
    yield_all!(0..3);
}

async fn also_not_a_generator() {
    yield_all!(vec![1, 2]);
}

fn main() {
    not_a_generator();
    let _ = also_not_a_generator();
}
