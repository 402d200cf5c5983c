// `Box::leak` makes the handle's box live forever, but the reference it returns still carries
// the body's brand: it cannot be taken out of the body to be used after the generator is gone.
use asyncgen::__private::async_gen;

fn main() {
    let mut kept = None;
    let stream = async_gen::<u32, _>(async |yielder| {
        kept = Some(Box::leak(Box::new(yielder)));
    });
    drop(stream);
    if let Some(leaked) = kept {
        let _ = leaked.yield_(1);
    }
}
