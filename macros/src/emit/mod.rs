//! Emit, the last stage: the output, from what the earlier stages decided. The attribute's fn
//! ([`func`], with the lifetime of a boxed `dyn` worked out in [`boxed`], and beside an unboxed
//! trait declaration the hidden method that makes `dyn Trait`'s error name the fix,
//! [`dyn_hint`]) and the block macros' generator expression ([`block`]).

mod block;
mod boxed;
mod dyn_hint;
mod func;

pub(crate) use block::block;
pub(crate) use func::generator_fn;

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;

use crate::lower::Lowered;
use crate::model::Kind;

/// The runtime fn that turns the body into its stream or iterator: for a body with `finally!`
/// blocks, the one whose stream closes by running them.
fn constructor(kind: Kind, private: &TokenStream, lowered: &Lowered) -> TokenStream {
    let glue = Span::mixed_site();
    match (kind, lowered.cleanup) {
        (Kind::Stream, false) => quote_spanned!(glue=> #private::async_gen),
        (Kind::Stream, true) => quote_spanned!(glue=> #private::async_gen_with_cleanup),
        (Kind::Iter, _) => quote_spanned!(glue=> #private::generator),
    }
}
