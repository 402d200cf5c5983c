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
//! `$crate` (given by the `macro_rules!` front-end) finds asyncgen under any name; a
//! `crate = path;` before everything still overrides it: `stream! { crate = ag; yield 1; }`.

use proc_macro2::TokenStream;

use crate::emit;
use crate::lower::{self, Lowering};
use crate::model::{Kind, Krate};
use crate::parse::{self, BlockInput};

/// `stream!` / `iter!` as `core/src/lib.rs` defines them: `macro_rules!` front-ends that
/// call `stream_inner!(($crate) ..)`, so the generated code reaches asyncgen through the path
/// the macro was called by, renamed or re-exported, with no option.
pub(crate) fn front_end(kind: Kind, input: TokenStream) -> TokenStream {
    match parse::front_end(input) {
        Ok((krate, input)) => block(kind, krate, input),
        Err(error) => error.to_compile_error(),
    }
}

/// The block's whole expansion: a parse error is all of it; the body's errors go inside the
/// generator, which still has its type.
pub(crate) fn block(kind: Kind, krate: Krate, input: TokenStream) -> TokenStream {
    let BlockInput {
        krate,
        item_ty,
        mut stmts,
    } = match parse::block(kind, krate, input) {
        Ok(parsed) => parsed,
        Err(error) => return error.to_compile_error(),
    };
    let checked = lower::checkable(item_ty.as_ref(), &stmts);
    let lowered = Lowering::new(kind, checked, krate.clone())
        .in_block()
        .stmts(&mut stmts);
    emit::block(kind, &krate, item_ty.as_ref(), &stmts, &lowered)
}
