// `in_macro.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! Yields inside another macro's arguments (`tokio::select!` arms, your own macros): such a
//! macro may wrap them in an `async` block that a nested generator awaits, so they go through
//! `suspend_in_macro`, which finds its stream wherever it is polled.
use asyncgen::{async_gen, yield_, yield_all};
macro_rules! twice {
    ($e:expr) => {
        $e;
        $e
    };
}
/// `n` twice, then `0, 1` twice.
pub fn echoed(n: u32) -> impl ::asyncgen::FusedStream<Item = u32> + ::asyncgen::Close {
    ::asyncgen::__private::async_gen::<u32, _>(async move |mut __yielder| {
        let n = n;
        twice!({
            let mut __yielder = ::asyncgen::__private::InMacro(&mut __yielder);
            yield_!(@ lowered __yielder, n)
        });
        twice!({
            let mut __yielder = ::asyncgen::__private::InMacro(&mut __yielder);
            yield_all!(@ lowered __yielder, 0..2)
        });
    })
}
