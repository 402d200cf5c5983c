// `stream!` and `iter!` are `macro_rules!` front-ends that pass `$crate` to a hidden proc
// macro (issue 29): called without it, the hidden macro says which macro to call.
fn main() {
    let _ = asyncgen::__private::stream_inner!(yield 1u32;);
}
