// The yield handle is lent to the body for a lifetime the body is generic over: even code that
// calls the hidden constructor directly cannot keep it after the body ends.
use asyncgen::__private::async_gen;

fn main() {
    let mut kept = None;
    let _stream = async_gen::<u32, _>(async |yielder| {
        kept = Some(yielder);
    });
}
