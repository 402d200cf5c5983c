//! The hint that makes `dyn Trait`'s error name the fix. An unboxed generator method in a
//! trait returns `impl Stream` (or `impl Iterator`), so the trait is not dyn compatible, and
//! rustc's E0038 says only "...because method `list` references an `impl Trait` type in its
//! return type". rustc gives a macro no way to add to that error, but it lists every reason a
//! trait is not dyn compatible, each with the method's name: a hidden method whose name is the
//! fix, made dyn-incompatible by a type parameter, adds the line
//!
//! ```text
//! ...because method `list_for_dyn_needs_async_gen_boxed` has generic type parameters
//! ```
//!
//! under the attribute. The trait was not dyn compatible already, so nothing that compiled
//! before stops compiling; the method has a default body, so impls never see it. It is only
//! emitted beside a declaration without a body (one with a body may be in an impl, where an
//! extra method would not be a member of the trait) and with `self` (without it, `boxed` would
//! not make the method callable through `dyn`). It carries the declaration's generics and
//! `where` clause, so a declaration kept out of `dyn` (`where Self: Sized`, or any bound that
//! implies it, such as `Self: Clone`) keeps its hint out too, by rustc's own rule, and the trait
//! stays dyn compatible. No `#[allow]`: rustc and clippy do not lint a proc macro's output for
//! being unused, and an `allow` would clash with a user's `forbid`.
//!
//! ```text
//! // Input:
//! trait Storage {
//!     #[async_gen]
//!     async fn list(&self) -> String;
//! }
//! // Output, beside the declaration:
//! #[doc(hidden)]
//! fn list_for_dyn_needs_async_gen_boxed<__AsyncgenDynHint>(&self) {}
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};
use syn::Signature;
use syn::ext::IdentExt;

use crate::model::Kind;

/// The hidden method for the declaration `sig`, or nothing when it has no `self`. (A free fn
/// written with `self` and without a body gets rustc's two errors about those, and a third
/// about the hint's `self`.)
pub(super) fn dyn_hint(kind: Kind, sig: &Signature) -> TokenStream {
    if sig.receiver().is_none() {
        return TokenStream::new();
    }
    // At the attribute: the line rustc shows with the hint is `#[async_gen]`.
    let at = Span::call_site();
    let name = format_ident!(
        "{}_for_dyn_needs_{}_boxed",
        sig.ident.unraw(),
        kind.attr(),
        span = at
    );
    // The type parameter that makes the hint dyn-incompatible, named apart from the trait's
    // and the method's own (hygiene does not rename generic parameters).
    let params = sig.generics.params.iter();
    let where_clause = &sig.generics.where_clause;
    quote_spanned! {at=>
        #[doc(hidden)]
        fn #name<#(#params,)* __AsyncgenDynHint>(&self) #where_clause {}
    }
}
