//! The output fn: same attributes, name, generics and arguments; `async` dropped; the return
//! type becomes the stream or iterator of the declared item type.
//!
//! ```text
//! // Input:
//! #[async_gen]
//! pub async fn square_odds(start: u32, mut stop: u32) -> u32 { body }
//! // Output:
//! pub fn square_odds(start: u32, stop: u32) -> impl ::asyncgen::__private::Stream<Item = u32> {
//!     ::asyncgen::__private::async_gen::<u32, _>(async move |mut __yielder| {
//!         let start = start;
//!         let mut stop = stop;
//!         body
//!     })
//! }
//! ```
//! Every argument is moved into the body, as `async fn` does, so guards passed as arguments
//! live as long as the generator. Glue tokens are mixed-site: their edition is this crate's
//! (2024), so the returned `impl Trait` captures every lifetime in scope whatever the
//! caller's edition.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::visit::Visit;
use syn::{Attribute, FnArg, ItemFn, Pat, PatIdent, Type, TypeImplTrait};

use crate::expand::Kind;
use crate::lower::yielder_ident;

pub(crate) fn generator_fn(
    kind: Kind,
    mut func: ItemFn,
    item_ty: &Type,
    yields: bool,
) -> TokenStream {
    let rebinds = move_arguments_in(&mut func);
    let glue = Span::mixed_site();
    let ret = match kind {
        Kind::Stream => quote_spanned!(glue=> impl ::asyncgen::__private::Stream<Item = #item_ty>),
        Kind::Iter => {
            quote_spanned!(glue=> impl ::asyncgen::__private::FusedIterator<Item = #item_ty>)
        }
    };
    let constructor = match kind {
        Kind::Stream => quote_spanned!(glue=> ::asyncgen::__private::async_gen),
        Kind::Iter => quote_spanned!(glue=> ::asyncgen::__private::generator),
    };
    // `impl Trait` cannot be written in a turbofish; the return type then drives inference.
    let turbofish_item = if contains_impl_trait(item_ty) {
        quote_spanned!(glue=> _)
    } else {
        quote!(#item_ty)
    };
    let yielder = yielder_ident();
    // `yield_` takes `&mut self`; a body that never yields would warn about `mut`.
    let mutability = yields.then(|| quote_spanned!(glue=> mut));
    let ItemFn {
        attrs,
        vis,
        mut sig,
        block,
    } = func;
    sig.asyncness = None;
    sig.output = syn::parse_quote!(-> #ret);
    let stmts = &block.stmts;
    quote_spanned! {glue=>
        #(#attrs)*
        #vis #sig {
            #constructor::<#turbofish_item, _>(async move |#mutability #yielder| {
                #(#rebinds)*
                #(#stmts)*
            })
        }
    }
}

/// Makes every argument a plain name in the signature and returns the `let`s that move it
/// into the body, as `async fn` does: `let mut x = x;`, and for a pattern
/// `let __arg1 = __arg1; let (a, _) = __arg1;` (the whole argument is moved in, so its `_`
/// parts live as long as the generator too). `#[cfg]`s on an argument go on its `let`s.
fn move_arguments_in(func: &mut ItemFn) -> Vec<TokenStream> {
    let glue = Span::mixed_site();
    let mut rebinds = Vec::new();
    for (index, arg) in func.sig.inputs.iter_mut().enumerate() {
        let arg = match arg {
            FnArg::Typed(arg) => arg,
            FnArg::Receiver(receiver) => {
                // A by-value `self` the body never names must still be moved in.
                if receiver.reference.is_none() {
                    let self_token = receiver.self_token;
                    rebinds.push(quote_spanned!(glue=> let _ = &#self_token;));
                }
                continue;
            }
        };
        let cfgs: Vec<&Attribute> = arg
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"))
            .collect();
        match &mut *arg.pat {
            Pat::Ident(PatIdent {
                by_ref: None,
                mutability,
                ident,
                subpat: None,
                ..
            }) => {
                let mutability = mutability.take();
                rebinds.push(quote_spanned!(glue=> #(#cfgs)* let #mutability #ident = #ident;));
            }
            pat => {
                let hidden = format_ident!("__arg{}", index, span = glue);
                rebinds.push(quote_spanned!(glue=> #(#cfgs)* let #hidden = #hidden;));
                if !matches!(pat, Pat::Wild(_)) {
                    rebinds.push(quote_spanned!(glue=> #(#cfgs)* let #pat = #hidden;));
                }
                *pat = Pat::Ident(PatIdent {
                    attrs: Vec::new(),
                    by_ref: None,
                    mutability: None,
                    ident: hidden,
                    subpat: None,
                });
            }
        }
    }
    rebinds
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_type_impl_trait(&mut self, _: &TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type(ty);
    finder.0
}
