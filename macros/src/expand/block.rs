//! `stream! { .. }` and `iter! { .. }`: generator blocks as expressions, with the literal
//! syntax on stable (`yield x;`, `for await x in s { .. }`), since a function-like macro's
//! input is only tokens to rustc.
//!
//! ```text
//! // Input:
//! stream! { for await x in numbers { yield x * 2; } }
//! // After the literal syntax is desugared:
//! #[::asyncgen::for_await] for x in numbers { ::asyncgen::yield_!(x * 2); }
//! // Output:
//! ::asyncgen::__private::async_gen::<_, _>(async move |mut __yielder| { /* lowered */ })
//! ```
//! The item type is inferred from the yields, or written first: `stream!(-> u32 { .. })`.
//! Where asyncgen is renamed, `crate = path;` comes before everything:
//! `stream! { crate = ag; yield 1; }`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::item_check;
use crate::lower::Lowering;
use crate::model::{Kind, yielder_ident};
use crate::parse::{self, BlockInput};

/// The block's whole expansion: a parse error is all of it; the body's errors go inside the
/// generator, which still has its type.
pub(crate) fn block(kind: Kind, input: TokenStream) -> TokenStream {
    let BlockInput {
        krate,
        item_ty,
        mut stmts,
    } = match parse::block(kind, input) {
        Ok(parsed) => parsed,
        Err(error) => return error.to_compile_error(),
    };
    let checked = item_check::checkable(item_ty.as_ref(), &stmts);
    let lowered = Lowering::new(kind, checked, krate.clone())
        .in_block()
        .stmts(&mut stmts);
    let errors = lowered.errors.iter().map(syn::Error::to_compile_error);
    let glue = Span::mixed_site();
    let private = krate.private(glue);
    let constructor = match kind {
        Kind::Stream => quote_spanned!(glue=> #private::async_gen),
        Kind::Iter => quote_spanned!(glue=> #private::generator),
    };
    let item_ty = item_ty.map_or_else(|| quote_spanned!(glue=> _), |ty| quote!(#ty));
    let yielder = yielder_ident();
    let mutability = lowered.yields.then(|| quote_spanned!(glue=> mut));
    let markers = &lowered.markers;
    quote_spanned! {glue=>
        #constructor::<#item_ty, _>(async move |#mutability #yielder| {
            #(#errors)*
            #(#markers)*
            #(#stmts)*
        })
    }
}
