//! Implementation detail of the `asyncgen` crate: use `asyncgen`, which re-exports these macros
//! with their documentation.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod boxed;
mod check;
mod emit;
mod error;
mod expand;
mod for_await;
mod function_like;
mod item_check;
mod krate;
mod lower;
mod macro_tokens;
mod options;
#[cfg(test)]
mod tests;
mod tolerant;

use expand::Kind;

/// Turns an `async fn` whose body uses `yield_!` into a fn returning `impl Stream<Item = T>`.
///
/// Documented and tested in the `asyncgen` crate, which re-exports it.
#[proc_macro_attribute]
pub fn async_gen(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Kind::Stream, args.into(), item.into()).into()
}

/// Turns a `fn` whose body uses `yield_!` into a fn returning `impl FusedIterator<Item = T>`.
///
/// Documented and tested in the `asyncgen` crate, which re-exports it.
#[proc_macro_attribute]
pub fn generator(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Kind::Iter, args.into(), item.into()).into()
}

/// Lowers the `#[for_await] for x in stream { .. }` loops of the item it is on.
///
/// Documented and tested in the `asyncgen` crate, which re-exports it.
#[proc_macro_attribute]
pub fn for_await(args: TokenStream, item: TokenStream) -> TokenStream {
    for_await::expand_attribute(args.into(), item.into()).into()
}

/// A generator block: `stream! { .. yield x; .. }` is an `impl Stream`.
///
/// Documented and tested in the `asyncgen` crate, which re-exports it.
#[proc_macro]
pub fn stream(input: TokenStream) -> TokenStream {
    function_like::expand(Kind::Stream, input.into()).into()
}

/// A sync generator block: `iter! { .. yield x; .. }` is an `impl Iterator`.
///
/// Documented and tested in the `asyncgen` crate, which re-exports it.
#[proc_macro]
pub fn iter(input: TokenStream) -> TokenStream {
    function_like::expand(Kind::Iter, input.into()).into()
}
