// `trait_boxed.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! A trait with a `boxed` generator method: object-safe, `Send`, borrowing `self`.
use asyncgen::{async_gen, yield_};
/// Something that lists names.
pub trait Source {
    /// The names, from a boxed `dyn Stream + Send`.
    fn names<'asyncgen_life0: 'asyncgen, 'asyncgen_life1: 'asyncgen, 'asyncgen>(
        &'asyncgen_life0 self,
        prefix: &'asyncgen_life1 str,
    ) -> ::asyncgen::__private::Pin<
        ::asyncgen::__private::Box<
            dyn ::asyncgen::Stream<Item = String> + ::asyncgen::__private::Send + 'asyncgen,
        >,
    >
    where
        Self: 'asyncgen;
}
/// A fixed list.
pub struct Fixed(pub Vec<&'static str>);
impl Source for Fixed {
    fn names<'asyncgen_life0: 'asyncgen, 'asyncgen_life1: 'asyncgen, 'asyncgen>(
        &'asyncgen_life0 self,
        prefix: &'asyncgen_life1 str,
    ) -> ::asyncgen::__private::Pin<
        ::asyncgen::__private::Box<
            dyn ::asyncgen::Stream<Item = String> + ::asyncgen::__private::Send + 'asyncgen,
        >,
    >
    where
        Self: 'asyncgen,
    {
        <Self as ::asyncgen::__private::SyncReceiver>::sync_receiver();
        ::asyncgen::__private::Box::pin(::asyncgen::__private::async_gen::<String, _>(
            async move |mut __yielder| {
                let prefix = prefix;
                for name in &self.0 {
                    yield_!(@ lowered __yielder : String, format!("{prefix}{name}"));
                }
            },
        ))
    }
}
