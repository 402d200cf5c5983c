use asyncgen::{iter, stream};

fn main() {
    let _numbers = stream!(-> u32 {
        yield 1;
        yield "two";
    });
    let _letters = iter!(-> char {
        yield "a";
    });
}
