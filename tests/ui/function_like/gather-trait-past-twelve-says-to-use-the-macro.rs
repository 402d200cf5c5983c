// `IntoGather` is implemented for tuples of up to 12 futures, as the standard library's tuple
// impls: past that, the error says so and that `gather!` takes any number. (The method form,
// `(..).gather()`, gets rustc's own "no method named `gather`", which no attribute words.)
use asyncgen::IntoGather;
use std::future::{ready, Ready};

type R = Ready<u8>;

fn main() {
    let r = || -> R { ready(0) };
    let _ = IntoGather::gather((r(), r(), r(), r(), r(), r(), r(), r(), r(), r(), r(), r(), r()));
}
