// `free_fn.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! A free `async fn` generator: the lesson's `square_odds`.
use asyncgen::{async_gen, yield_};
/// The squares of the odd numbers in `start..stop`, awaiting before each.
pub fn square_odds(
    start: u32,
    stop: u32,
) -> impl ::asyncgen::FusedStream<Item = u32> + ::asyncgen::Close {
    ::asyncgen::__private::async_gen::<u32, _>(async move |mut __yielder| {
        let start = start;
        let stop = stop;
        for n in start..stop {
            if n % 2 == 1 {
                std::future::ready(()).await;
                yield_!(@ lowered __yielder : u32, n * n);
            }
        }
    })
}
