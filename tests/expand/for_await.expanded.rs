// `for_await.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! `#[for_await]` loops: in a generator body, and in a plain `async fn` that carries the
//! attribute itself.
use asyncgen::{async_gen, for_await, yield_};
use futures::Stream;
/// The running totals of `numbers`.
pub fn running_totals(
    numbers: impl Stream<Item = u32>,
) -> impl ::asyncgen::FusedStream<Item = u32> + ::asyncgen::Close {
    const _: () = ();
    ::asyncgen::__private::async_gen::<u32, _>(async move |mut __yielder| {
        let numbers = numbers;
        let mut total = 0;
        match ::asyncgen::__private::pin!(numbers) {
            mut __stream => loop {
                let n = match ::asyncgen::__private::next(::asyncgen::__private::Pin::as_mut(
                    &mut __stream,
                ))
                .await
                {
                    ::asyncgen::__private::Option::Some(__item) => __item,
                    ::asyncgen::__private::Option::None => break,
                };
                total += n;
                yield_!(@ lowered __yielder : u32, total);
            },
        }
    })
}
/// The sum of a stream, outside any generator.
pub async fn sum(numbers: impl Stream<Item = u32>) -> u32 {
    let mut total = 0;
    match ::asyncgen::__private::pin!(numbers) {
        mut __stream => loop {
            let n = match ::asyncgen::__private::next(::asyncgen::__private::Pin::as_mut(
                &mut __stream,
            ))
            .await
            {
                ::asyncgen::__private::Option::Some(__item) => __item,
                ::asyncgen::__private::Option::None => break,
            };
            total += n;
        },
    }
    total
}
