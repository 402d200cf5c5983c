//! Which runtime fn a generator's body goes to.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;

use crate::lower::Lowered;
use crate::model::Kind;

/// The runtime fn that turns the body into its stream or iterator: for a body with `finally!`
/// blocks, the one whose stream closes by running them.
pub(super) fn constructor(kind: Kind, private: &TokenStream, lowered: &Lowered) -> TokenStream {
    let glue = Span::mixed_site();
    match (kind, lowered.cleanup) {
        (Kind::Stream, false) => quote_spanned!(glue=> #private::async_gen),
        (Kind::Stream, true) => quote_spanned!(glue=> #private::async_gen_with_cleanup),
        (Kind::Iter, _) => quote_spanned!(glue=> #private::generator),
    }
}
