//! `#[for_await]` on an item (a plain `async fn`, an `impl`, ..): on stable, rustc only lets an
//! attribute macro rewrite the statements of the item it is on, so the loops of code that is
//! not a generator are lowered by the attribute on the item around them.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, ExprForLoop, FnModifiers, Item, ItemFn};

use crate::lower;
use crate::model::{Errors, GenFn, Krate};
use crate::parse;

/// `#[for_await]` on an item: lowers the `#[for_await]` loops in it.
pub(crate) fn for_await(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let (krate, not_a_dependency) = parse::for_await_arguments(args, &mut errors);
    if let Ok(for_loop) = syn::parse2::<ExprForLoop>(item.clone()) {
        errors.extend(not_a_dependency);
        let errors = errors.into_compile_errors();
        let lowered = loop_without_fn_attribute(for_loop, &krate);
        return quote!(#errors #lowered);
    }
    let mut parsed = match syn::parse2::<Item>(item.clone()) {
        Ok(parsed) => parsed,
        // A fn whose body does not all parse: its statements that do are walked, those that
        // do not are kept as tokens, where the token walker still lowers `#[for_await]`
        // loops, and rustc, reading them again, reports the syntax error itself, once (one
        // mistake, one error: issue 35).
        Err(error) => match parse::func(&item, &krate, false, &mut errors) {
            Some(GenFn {
                attrs,
                vis,
                sig,
                body: Some(block),
            }) => Item::Fn(ItemFn {
                attrs,
                vis,
                modifiers: FnModifiers::default(),
                sig,
                block: Box::new(block),
            }),
            _ => {
                errors.push(error);
                let errors = errors.into_compile_errors();
                return quote!(#errors #item);
            }
        },
    };
    lower::item_walk(&mut parsed, krate, &mut errors);
    // Only where a loop was lowered: the attribute is also the marker a generator leaves to
    // keep a `for_await` import used, which needs no crate.
    // (Not a let chain: the MSRV, 1.85, predates them.)
    if let Some(error) = not_a_dependency {
        if quote!(#parsed).to_string() != item.to_string() {
            errors.push(error);
        }
    }
    let errors = errors.into_compile_errors();
    quote!(#parsed #errors)
}

/// `#[for_await]` on a loop that no attribute of the fn around it lowered: on stable, rustc
/// runs the attribute on the loop itself (after its own errors about attributes on
/// expressions). Says where the attribute belongs; the loop is lowered all the same, so no
/// error about a `Stream` not being an `Iterator` follows.
fn loop_without_fn_attribute(mut for_loop: ExprForLoop, krate: &Krate) -> TokenStream {
    let error = syn::Error::new(
        for_loop.for_token.span,
        "a `#[for_await]` loop needs an attribute on the fn around it, which lowers the loop: \
         `#[for_await]` on a plain `async fn` (or `#[async_gen]` / `#[generator]` on a \
         generator)",
    )
    .to_compile_error();
    let mut errors = Errors::default();
    lower::loop_parts_walk(&mut for_loop, krate.clone(), &mut errors);
    let attr: Attribute = syn::parse_quote!(#[for_await]);
    let lowered = lower::lower_loop(&attr, for_loop, krate);
    let errors = errors.into_compile_errors();
    quote!({ #error #errors #lowered })
}
