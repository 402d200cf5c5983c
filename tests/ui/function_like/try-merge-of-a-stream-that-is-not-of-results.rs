// `try_merge!` takes streams of `Result`s: a stream of plain items is named, at itself, with
// what to write instead.
use asyncgen::try_merge;
use futures::stream;

fn main() {
    let _ = try_merge!(stream::iter([Ok::<u32, String>(1)]), stream::iter([2u32]));
}
