//! Implementation detail of the `asyncgen` crate: use `asyncgen`, which re-exports these macros
//! with their documentation.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;

// The pipeline, bottom up: `model` (what every stage shares), the stages in the order they run,
// `parse` -> `check` -> `lower` -> `emit`, and `expand` (the entry points, which run them). Each
// imports only from those before it: `.ci/check-module-cycles macros/src` lists the edges.
mod check;
mod emit;
mod expand;
mod lower;
mod model;
mod parse;
#[cfg(test)]
mod tests;

use model::Kind;

// The macros' docs, with their examples, are on their re-exports in `asyncgen`
// (core/src/lib.rs). rustdoc appends an inlined re-export's original docs to the re-export's
// own, where these lines would trail the last section: so they are only in this crate's own
// docs (`cfg(doc)` is set when rustdoc documents this crate, not when it is built as a
// dependency of `asyncgen`'s docs).

#[cfg_attr(
    doc,
    doc = "Turns an `async fn` whose body uses `yield_!` into a fn returning \
           `impl Stream<Item = T>`: documented and tested on its re-export, \
           `asyncgen::async_gen`."
)]
#[proc_macro_attribute]
pub fn async_gen(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::attribute(Kind::Stream, args.into(), item.into()).into()
}

#[cfg_attr(
    doc,
    doc = "Turns a `fn` whose body uses `yield_!` into a fn returning \
           `impl FusedIterator<Item = T>`: documented and tested on its re-export, \
           `asyncgen::generator`."
)]
#[proc_macro_attribute]
pub fn generator(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::attribute(Kind::Iter, args.into(), item.into()).into()
}

#[cfg_attr(
    doc,
    doc = "Lowers the `#[for_await] for x in stream { .. }` loops of the item it is on: \
           documented and tested on its re-export, `asyncgen::for_await`."
)]
#[proc_macro_attribute]
pub fn for_await(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::for_await(args.into(), item.into()).into()
}

// `stream!` and `iter!` are `macro_rules!` front-ends in `asyncgen` (core/src/lib.rs) that call
// these with `$crate` first: `$crate::__private::stream_inner!(($crate) ..)`. Only a
// `macro_rules!` knows the path it was called by, so `ag::stream!` and a library's re-export
// of it work with no `crate = ..` option.

#[doc(hidden)]
#[proc_macro]
pub fn stream_inner(input: TokenStream) -> TokenStream {
    expand::front_end(Kind::Stream, input.into()).into()
}

#[doc(hidden)]
#[proc_macro]
pub fn iter_inner(input: TokenStream) -> TokenStream {
    expand::front_end(Kind::Iter, input.into()).into()
}
