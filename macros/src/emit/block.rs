//! The generator expression a `stream!` / `iter!` block becomes.
//!
//! ```text
//! // Input (lowered):
//! stream! { for await x in numbers { yield x * 2; } }
//! // Output:
//! ::asyncgen::__private::async_gen::<_, _>(async move |mut __yielder| { /* lowered */ })
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Stmt, Type};

use super::constructor::constructor;
use crate::lower::Lowered;
use crate::model::{Kind, Krate, yielder_ident};

/// The block's generator: `item_ty` is the `-> Item` written first, if any; the body's errors
/// go inside it, so it still has its type.
pub(crate) fn block(
    kind: Kind,
    krate: &Krate,
    item_ty: Option<&Type>,
    stmts: &[Stmt],
    lowered: &Lowered,
) -> TokenStream {
    let errors = lowered.errors.iter().map(syn::Error::to_compile_error);
    let glue = Span::mixed_site();
    let private = krate.private(glue);
    let constructor = constructor(kind, &private, lowered);
    // Without `-> Item`, the yields give the item type; with none (`stream! {}`, a block that
    // only awaits), nothing would, and the stream is of `()`, as async-stream's `stream!`.
    let item_ty = match item_ty {
        Some(ty) => quote!(#ty),
        None if lowered.yields => quote_spanned!(glue=> _),
        None => quote_spanned!(glue=> ()),
    };
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
