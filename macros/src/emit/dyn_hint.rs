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
//! extra method would not be a member of the trait), and not when the declaration opts out of
//! `dyn` with `where Self: Sized` (the trait may be dyn compatible then: the hint would make it
//! not).
//!
//! ```text
//! // Input:
//! trait Storage {
//!     #[async_gen]
//!     async fn list(&self) -> String;
//! }
//! // Output, beside the declaration:
//! #[doc(hidden)]
//! #[allow(dead_code, clippy::extra_unused_type_parameters)]
//! fn list_for_dyn_needs_async_gen_boxed<Hint>(&self) {}
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};
use syn::ext::IdentExt;
use syn::{Attribute, Signature, TypeParamBound, WherePredicate};

use crate::model::Kind;

/// The hidden method for the declaration `sig` (its outer attributes `attrs`), or nothing when
/// the declaration is excluded from `dyn` already, or has no `self` (`boxed` would not make it
/// callable through `dyn`, and rustc's E0038 says so; a free fn written without a body, an
/// error of its own, gets no second one from a stray `&self`).
pub(super) fn dyn_hint(kind: Kind, attrs: &[Attribute], sig: &Signature) -> TokenStream {
    if sig.receiver().is_none() || excluded_from_dyn(sig) {
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
    // The same `#[cfg]`s as the declaration: without it, the hint would make the trait not
    // dyn compatible on its own.
    let cfgs = attrs.iter().filter(|attr| attr.path().is_ident("cfg"));
    quote_spanned! {at=>
        #(#cfgs)*
        #[doc(hidden)]
        #[allow(dead_code, clippy::extra_unused_type_parameters)]
        fn #name<Hint>(&self) {}
    }
}

/// Whether the declaration's `where` clause has `Self: Sized` (so it is not in the vtable, and
/// the trait may be dyn compatible).
fn excluded_from_dyn(sig: &Signature) -> bool {
    let Some(clause) = &sig.generics.where_clause else {
        return false;
    };
    clause.predicates.iter().any(|predicate| match predicate {
        WherePredicate::Type(predicate) => {
            matches!(&predicate.bounded_ty, syn::Type::Path(ty)
                if ty.qself.is_none() && ty.path.is_ident("Self"))
                && predicate.bounds.iter().any(|bound| match bound {
                    TypeParamBound::Trait(bound) => bound
                        .path
                        .segments
                        .last()
                        .is_some_and(|segment| segment.ident == "Sized"),
                    _ => false,
                })
        }
        _ => false,
    })
}
