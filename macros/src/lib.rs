//! Implementation detail of the `asyncgen` crate: use `asyncgen`, which re-exports these macros
//! with their documentation.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod check;
mod emit;
mod error;
mod expand;
mod lower;
mod macro_tokens;
mod options;

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
