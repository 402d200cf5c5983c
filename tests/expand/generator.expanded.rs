// `generator.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! `#[generator]`: a sync generator fn that returns an `Iterator`.
use asyncgen::{generator, yield_, yield_all};
/// The Fibonacci numbers below `limit`.
pub fn fibonacci(limit: u64) -> impl ::asyncgen::__private::FusedIterator<Item = u64> {
    ::asyncgen::__private::generator::<u64, _>(async move |mut __yielder| {
        let limit = limit;
        let (mut a, mut b) = (0, 1);
        while a < limit {
            yield_!(@ lowered __yielder : u64, a);
            (a, b) = (b, a + b);
        }
    })
}
/// The words of `text`, then `"."`.
pub fn words(text: &str) -> impl ::asyncgen::__private::FusedIterator<Item = &str> {
    ::asyncgen::__private::generator::<&str, _>(async move |mut __yielder| {
        let text = text;
        yield_all!(@ lowered_iter __yielder : & str, text.split_whitespace());
        yield_!(@ lowered __yielder : & str, ".");
    })
}
