use asyncgen::{generator, stream, yield_};

#[generator]
fn total(items: Vec<u32>) -> u32 {
    for item in &items {
        yield_!(*item);
    }
    return items.iter().sum();
}

fn main() {
    let _ = total(vec![1]);
    let _ = stream! {
        yield 1u32;
        return 2u32;
    };
}
