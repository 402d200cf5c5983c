use asyncgen::async_gen;

#[async_gen]
struct Numbers {
    next: u32,
}

fn main() {}
