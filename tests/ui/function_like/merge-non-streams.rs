use asyncgen::merge;
use futures::stream;

fn main() {
    let _ = merge!(stream::iter([1u32]), vec![2u32]);
    let _ = merge!(stream::iter([1u32]), stream::iter(["two"]));
}
