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
//! The item type is inferred from the yields, or written first: `stream!(-> u32 { .. })`; with
//! no yield at all it is `()`.
//! Where asyncgen is renamed, `crate = path;` comes before everything:
//! `stream! { crate = ag; yield 1; }`.

use proc_macro2::TokenStream;

use crate::emit;
use crate::lower::{self, Lowering};
use crate::model::Kind;
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
    let checked = lower::checkable(item_ty.as_ref(), &stmts);
    let lowered = Lowering::new(kind, checked, krate.clone())
        .in_block()
        .stmts(&mut stmts);
    emit::block(kind, &krate, item_ty.as_ref(), &stmts, &lowered)
}
