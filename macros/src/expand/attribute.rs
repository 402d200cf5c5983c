//! The pipeline: options -> signature check -> body lowering -> emit. Errors are collected
//! along the way and emitted next to the expanded fn, so the fn still exists for the rest of
//! the crate (and for rust-analyzer) while the user fixes them.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::lower::{self, Lowering};
use crate::model::{Errors, Kind};
use crate::parse::{self, Boxing};
use crate::{check, emit};

/// The attribute's whole expansion. Never panics: every problem becomes a `compile_error!`.
pub(crate) fn attribute(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = parse::options(kind, args, &mut errors);
    // `for await` loops are read as `#[for_await]` ones, which the walk lowers (or, in a sync
    // `#[generator]`, reports). On stable each also gets the error that shows that form, next
    // to rustc's, which cannot be removed.
    let stable_forms = cfg!(asyncgen_stable_compiler) && kind == Kind::Stream;
    let mut func = match parse::func(&item, &options.krate, stable_forms, &mut errors) {
        Some(func) => func,
        None if parse::is_fn(&item) => {
            // A signature that does not parse: rustc has reported it; `syn`'s reading of it
            // says the same, in case `syn` is the one that does not know the syntax.
            if let Err(error) = syn::parse2::<ItemFn>(item.clone()) {
                errors.push(error);
            }
            let errors = errors.into_compile_errors();
            return quote!(#errors #item);
        }
        None => {
            errors.push(syn::Error::new(
                parse::item_keyword_span(&item),
                format!(
                    "`#[{}]` can only be applied to {} with a body",
                    kind.attr(),
                    if kind == Kind::Stream {
                        "an `async fn`"
                    } else {
                        "a `fn`"
                    },
                ),
            ));
            let errors = errors.into_compile_errors();
            return quote!(#errors #item);
        }
    };
    let checked = check::signature(kind, &func.sig, &mut errors);
    let mut lowered = match &mut func.body {
        Some(body) => {
            let checked = lower::checkable(Some(&checked.item_ty), &body.stmts);
            let lowering = Lowering::new(kind, checked, options.krate.clone());
            // (A `#[generator]`'s state is boxed already: it may yield from itself.)
            let lowering = match (kind, options.boxing) {
                (Kind::Stream, Boxing::Unboxed) => lowering.unboxed_fn(func.sig.ident.clone()),
                _ => lowering,
            };
            lowering.body(body)
        }
        None => Lowering::new(kind, None, options.krate.clone()).stmts(&mut Vec::new()),
    };
    for error in lowered.errors.drain(..) {
        errors.push(error);
    }
    let expanded = emit::generator_fn(kind, &options, func, &checked, &lowered);
    // First, as in the source: the options' errors come before the body's.
    let errors = errors.into_compile_errors();
    quote!(#errors #expanded)
}
