//! The output fn: same attributes, name, generics and arguments; `async` dropped; the return
//! type becomes the stream or iterator of the declared item type.
//!
//! ```text
//! // Input:
//! #[async_gen]
//! pub async fn square_odds(start: u32, mut stop: u32) -> u32 { body }
//! // Output:
//! pub fn square_odds(start: u32, stop: u32)
//!     -> impl ::asyncgen::FusedStream<Item = u32> + ::asyncgen::Close {
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

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{AttrStyle, Attribute, FnArg, Pat, PatIdent, ReceiverKind, Type};

use super::constructor::constructor;
use super::{boxed, dyn_hint};
use crate::check::Checked;
use crate::lower::{Lowered, contains_impl_trait};
use crate::model::{GenFn, Kind, names_self_value, yielder_ident};
use crate::parse::{Boxing, Options};

pub(crate) fn generator_fn(
    kind: Kind,
    options: &Options,
    mut func: GenFn,
    checked: &Checked,
    lowered: &Lowered,
) -> TokenStream {
    let item_ty = &checked.item_ty;
    let glue = Span::mixed_site();
    let rebinds = match func.body {
        Some(_) => move_arguments_in(&mut func.sig.inputs),
        None => Vec::new(),
    };
    let GenFn {
        attrs,
        vis,
        mut sig,
        body,
    } = func;
    let ret = return_type(kind, options, &mut sig, item_ty);
    // `async` is what the macro replaces; `const` is reported by `check` and dropped here, so
    // the error is not followed by rustc's own about calling non-const fns.
    sig.asyncness = None;
    sig.constness = None;
    // `-> impl Stream<Item = T>` is reported by `check`; kept as written, it still names the
    // user's imports (no unused-import warning on top of the error).
    if !(checked.written_as_container && options.boxing == Boxing::Unboxed) {
        sig.output = syn::parse_quote!(-> #ret);
    }
    let (outer, inner): (Vec<Attribute>, Vec<Attribute>) = attrs
        .into_iter()
        .partition(|attr| matches!(attr.style, AttrStyle::Outer));
    let Some(body) = body else {
        let hint = (options.boxing == Boxing::Unboxed).then(|| dyn_hint::dyn_hint(kind, &sig));
        return quote_spanned!(glue=> #(#outer)* #vis #sig; #hint);
    };
    let private = options.krate.private(glue);
    let constructor = constructor(kind, &private, lowered);
    // `impl Trait` cannot be written in a turbofish; the return type then drives inference.
    let turbofish_item = if contains_impl_trait(item_ty) {
        quote_spanned!(glue=> _)
    } else {
        quote!(#item_ty)
    };
    let yielder = yielder_ident();
    // `yield_` takes `&mut self`; a body that never yields would warn about `mut`.
    let mutability = lowered.yields.then(|| quote_spanned!(glue=> mut));
    let stmts = &body.stmts;
    // The body's own braces: what ends with the body (a borrow of a local) is shown there.
    let mut closure_body = Group::new(Delimiter::Brace, quote!(#(#rebinds)* #(#stmts)*));
    closure_body.set_span(glue.located_at(body.brace_token.span.join()));
    let generator = quote_spanned! {glue=>
        #constructor::<#turbofish_item, _>(async move |#mutability #yielder| #closure_body)
    };
    // The box is where the body must be `Send`: an error there points at the `boxed` option.
    let boxing = glue.located_at(options.boxing_span);
    let boxing_private = options.krate.private(boxing);
    let generator = match (options.boxing, kind) {
        (Boxing::Unboxed, _) => generator,
        (_, Kind::Stream) => quote_spanned!(boxing=> #boxing_private::Box::pin(#generator)),
        (_, Kind::Iter) => quote_spanned!(boxing=> #boxing_private::Box::new(#generator)),
    };
    // A `Send` box of a body that captures `&self` needs `Self: Sync`: checked first, so the
    // one error says where to write it (`SyncReceiver`, issue 29). Made only where the box
    // would fail without it: the body names `self`, so its closure captures the `&Self`.
    let sync_receiver = (options.boxing == Boxing::Send
        && sig
            .receiver()
            .is_some_and(|receiver| matches!(receiver.kind, ReceiverKind::Reference(_, _, None)))
        && names_self_value(quote!(#(#stmts)*)))
    .then(|| quote_spanned!(boxing=> <Self as #boxing_private::SyncReceiver>::sync_receiver();));
    let markers = &lowered.markers;
    quote_spanned! {glue=>
        #(#outer)*
        #vis #sig {
            #(#inner)*
            #(#markers)*
            #sync_receiver
            #generator
        }
    }
}

/// `impl FusedStream<Item = T> + Close`, or the boxed `dyn` (whose lifetime may add to `sig`'s
/// generics). asyncgen's traits by their public paths (`::asyncgen::FusedStream`): hovers and
/// errors show them; `core`'s through `__private` (rustc and rust-analyzer print `Send`,
/// `Pin<..>` by the item, not the path), since `::core` may be another crate in the user's.
fn return_type(
    kind: Kind,
    options: &Options,
    sig: &mut syn::Signature,
    item_ty: &Type,
) -> TokenStream {
    // At the user's `-> T`: errors about the returned type (and rustc's suggestions) land there.
    let glue = Span::mixed_site().located_at(match &sig.output {
        syn::ReturnType::Type(_, ty) => ty.span(),
        syn::ReturnType::Default => sig.ident.span(),
    });
    let krate = &options.krate;
    let private = krate.private(glue);
    let send = match options.boxing {
        Boxing::Unboxed => {
            let send = options.send.then(|| {
                let at = Span::mixed_site().located_at(options.boxing_span);
                let private = krate.private(at);
                quote_spanned!(at=> + #private::Send)
            });
            return match kind {
                Kind::Stream => {
                    let stream = krate.item(glue, "FusedStream");
                    let close = krate.item(glue, "Close");
                    // Nightly: also `AsyncIterator`, named through a trait of ours so the
                    // user's crate needs no `#![feature]` (see `nightly` in core/Cargo.toml).
                    let async_iter = cfg!(feature = "nightly")
                        .then(|| quote_spanned!(glue=> + #private::AsyncIter<#item_ty>));
                    quote_spanned!(glue=> impl #stream<Item = #item_ty> + #close #async_iter #send)
                }
                Kind::Iter => {
                    quote_spanned!(glue=> impl #private::FusedIterator<Item = #item_ty> #send)
                }
            };
        }
        Boxing::Send => Some(quote_spanned!(glue=> + #private::Send)),
        Boxing::Local => None,
    };
    let mut item_ty = item_ty.clone();
    let lifetime = boxed::dyn_lifetime(sig, &mut item_ty).map(|lifetime| quote!(+ #lifetime));
    match kind {
        Kind::Stream => {
            let stream = krate.item(glue, "Stream");
            quote_spanned! {glue=>
                #private::Pin<#private::Box<dyn #stream<Item = #item_ty> #send #lifetime>>
            }
        }
        Kind::Iter => quote_spanned! {glue=>
            #private::Box<
                dyn #private::Iterator<Item = #item_ty> #send #lifetime
            >
        },
    }
}

/// Makes every argument a plain name in the signature and returns the `let`s that move it
/// into the body, as `async fn` does (rustc's own lowering of `async fn` arguments):
///
/// ```text
/// // Input:                      // Output (the signature, then the body's first `let`s):
/// mut stop: u32                  stop: u32            let mut stop = stop;
/// ref mut x: u8                  x: u8                let mut x = x; let ref mut x = x;
/// (a, _): (u8, Guard)            __arg2: (u8, Guard)  let __arg2 = __arg2; let (a, _) = __arg2;
/// _: Guard                       __arg3: Guard        let __arg3 = __arg3;
/// ```
/// The whole argument is moved in, so its `_` parts live as long as the generator too. The
/// moved-in local is `mut` only where the pattern borrows it mutably (`ref mut`), so no
/// `unused_mut` is left to warn about. A named pattern keeps its name in the signature (the
/// docs show `x: u8`), made with `Span::mixed_site()` like the other hidden names, so the
/// body sees only the pattern's bindings. `#[cfg]`s on an argument go on its `let`s.
fn move_arguments_in(
    inputs: &mut syn::punctuated::Punctuated<FnArg, syn::Token![,]>,
) -> Vec<TokenStream> {
    let glue = Span::mixed_site();
    let mut rebinds = Vec::new();
    for (index, arg) in inputs.iter_mut().enumerate() {
        let arg = match arg {
            FnArg::Typed(arg) => arg,
            FnArg::Receiver(receiver) => {
                // A by-value `self` the body never names must still be moved in.
                if !matches!(receiver.kind, ReceiverKind::Reference(..)) {
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
                let hidden = match pat {
                    Pat::Ident(named) => {
                        let mut hidden = named.ident.clone();
                        hidden.set_span(glue);
                        hidden
                    }
                    _ => format_ident!("__arg{}", index, span = glue),
                };
                let mutability = borrows_mutably(pat).then(|| quote_spanned!(glue=> mut));
                rebinds.push(quote_spanned!(glue=> #(#cfgs)* let #mutability #hidden = #hidden;));
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

/// Whether matching `pat` borrows part of the value mutably (`ref mut x`, `(ref mut a, _)`),
/// so the local it is matched against must be `mut`. Not under a `&` / `&mut` pattern, which
/// borrows through the reference. A macro in pattern position may expand to anything: `mut`
/// then, as a needless `mut` only warns where a missing one fails (E0596).
fn borrows_mutably(pat: &Pat) -> bool {
    fn any<'a>(pats: impl IntoIterator<Item = &'a Pat>) -> bool {
        pats.into_iter().any(borrows_mutably)
    }
    match pat {
        Pat::Ident(named) => {
            (named.by_ref.is_some() && named.mutability.is_some())
                || named
                    .subpat
                    .as_ref()
                    .is_some_and(|(_, sub)| borrows_mutably(sub))
        }
        Pat::Or(or) => any(&or.cases),
        Pat::Paren(paren) => borrows_mutably(&paren.pat),
        Pat::Slice(slice) => any(&slice.elems),
        Pat::Struct(strukt) => any(strukt.fields.iter().map(|field| &*field.pat)),
        Pat::Tuple(tuple) => any(&tuple.elems),
        Pat::TupleStruct(tuple) => any(&tuple.elems),
        Pat::Type(typed) => borrows_mutably(&typed.pat),
        Pat::Macro(_) | Pat::Verbatim(_) => true,
        _ => false,
    }
}
