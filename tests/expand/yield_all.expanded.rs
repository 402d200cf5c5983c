// `yield_all.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! `yield_all!`: Python's `yield from`, of an iterator and of a stream.
use asyncgen::{async_gen, yield_, yield_all};
/// `0, 1, 2`.
pub fn digits() -> impl ::asyncgen::FusedStream<Item = u32> + ::asyncgen::Close {
    ::asyncgen::__private::async_gen_with_cleanup::<u32, _>(async move |mut __yielder| {
        let __cleanup = ::asyncgen::__private::CleanupState::new();
        let __probe = __yielder.probe();
        ::asyncgen::__private::guarded(__probe, &__cleanup, 0, async {
            yield_all!(@ lowered_closing __yielder : u32, __cleanup, 0..3);
        })
        .await;
    })
}
/// The digits twice, then `99`.
pub fn twice() -> impl ::asyncgen::FusedStream<Item = u32> + ::asyncgen::Close {
    ::asyncgen::__private::async_gen_with_cleanup::<u32, _>(async move |mut __yielder| {
        let __cleanup = ::asyncgen::__private::CleanupState::new();
        let __probe = __yielder.probe();
        ::asyncgen::__private::guarded(__probe, &__cleanup, 0, async {
            yield_all!(@ lowered_closing __yielder : u32, __cleanup, digits());
            yield_all!(@ lowered_closing __yielder : u32, __cleanup, digits());
            yield_!(@ lowered __yielder : u32, 99);
        })
        .await;
    })
}
