//! Parsing a body that does not fully parse: code being typed (rust-analyzer expands the
//! attribute on every keystroke) or syntax newer than `syn`'s. The statements that parse are
//! lowered as usual; each one that does not is kept as its tokens, where the token walker
//! still lowers `yield_!`, `?` and `#[for_await]`, and rustc (which reads them again) reports
//! the syntax error itself, once. So the fn keeps its generator signature, and the editor its
//! completions, while the user is mid-statement.

use proc_macro2::TokenStream;
use syn::parse::ParseStream;
use syn::parse::discouraged::Speculative;
use syn::{Expr, Stmt};

use crate::model::is_punct;

/// The statements of a block's contents, those that do not parse kept as tokens (up to and
/// including the next `;` at this level, or to the end).
pub(crate) fn stmts(input: ParseStream<'_>) -> Vec<Stmt> {
    let mut stmts = Vec::new();
    while !input.is_empty() {
        if let Some(stmt) = parse_one(input) {
            stmts.push(stmt);
            continue;
        }
        let raw = input
            .step(|cursor| {
                let mut rest = *cursor;
                let mut tokens = TokenStream::new();
                while let Some((tree, next)) = rest.token_tree() {
                    rest = next;
                    let end = is_punct(&tree, ';');
                    tokens.extend([tree]);
                    if end {
                        break;
                    }
                }
                Ok((tokens, rest))
            })
            .unwrap_or_default();
        stmts.push(Stmt::Expr(Expr::Verbatim(raw), None));
    }
    stmts
}

/// One statement, or the block's tail expression; `None` (nothing consumed) if neither parses.
fn parse_one(input: ParseStream<'_>) -> Option<Stmt> {
    let fork = input.fork();
    if let Ok(stmt) = fork.parse::<Stmt>() {
        input.advance_to(&fork);
        return Some(stmt);
    }
    let fork = input.fork();
    match fork.parse::<Expr>() {
        Ok(tail) if fork.is_empty() => {
            input.advance_to(&fork);
            Some(Stmt::Expr(tail, None))
        }
        _ => None,
    }
}
