//! What every stage shares, below all of them: the attribute's [`Kind`], the parsed fn
//! ([`GenFn`]), the macro names the stages recognise ([`OurMacro`], ..), where generated code
//! finds asyncgen ([`Krate`]), the error collector ([`Errors`]) and token predicates.
//!
//! Nothing here imports from a stage (`parse`, `check`, `lower`, `emit`) or from the entry
//! points (`expand`): they all import from here, so imports run one way (STYLE.md, habit 2).

mod errors;
mod func;
mod kind;
mod krate;
mod names;
mod tokens;
pub(crate) mod work;

pub(crate) use errors::Errors;
pub(crate) use func::GenFn;
pub(crate) use kind::Kind;
pub(crate) use krate::Krate;
pub(crate) use names::{OurMacro, is_finally, is_for_await, is_skipped_macro, yielder_ident};
pub(crate) use tokens::{
    code_text, is_group, is_ident, is_punct, loop_body_at, loop_in_at, names_self_value,
};
