// `function_like.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! The function-like forms: `stream!` and `iter!` blocks, with literal `yield` and
//! `for await`.
use asyncgen::{iter, stream};
use futures::Stream;
/// `1, 4, 9` from an `iter!` block, doubled by a `stream!` block.
pub fn doubled_squares() -> impl Stream<Item = u32> {
    let squares = ::asyncgen::__private::generator::<_, _>(async move |mut __yielder| {
        for n in 1..=3u32 {
            ::asyncgen::yield_!(@ lowered __yielder, n * n);
        }
    });
    let squares = futures::stream::iter(squares);
    ::asyncgen::__private::async_gen::<u32, _>(async move |mut __yielder| {
        match ::asyncgen::__private::pin!(squares) {
            mut __stream => loop {
                let n = match ::asyncgen::__private::next(::asyncgen::__private::Pin::as_mut(
                    &mut __stream,
                ))
                .await
                {
                    ::asyncgen::__private::Option::Some(__item) => __item,
                    ::asyncgen::__private::Option::None => break,
                };
                ::asyncgen::yield_!(@ lowered __yielder : u32, n * 2);
            },
        }
    })
}
