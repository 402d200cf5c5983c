//! Finding `yield_!(..)` inside the tokens of other macros (`tokio::select!`, `assert!`, user
//! `macro_rules!`), whose arguments are not Rust syntax `syn` can walk.

use proc_macro2::{Group, Spacing, Span, TokenStream, TokenTree};

/// One `yield_!(args)` found in a token stream.
pub(crate) struct YieldCall {
    /// The path as written: `yield_`, `asyncgen::yield_`, ..
    pub(crate) path: TokenStream,
    /// The `yield_` identifier: errors and the generated `.await` point here.
    pub(crate) span: Span,
    pub(crate) args: TokenStream,
}

/// Replaces every `yield_!(..)` (also `asyncgen::yield_!` and `::asyncgen::yield_!`) in
/// `tokens`, at any depth, by what `lower` returns for it.
pub(crate) fn rewrite(
    tokens: TokenStream,
    lower: &mut dyn FnMut(YieldCall) -> TokenStream,
) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    let mut input = tokens.into_iter().peekable();
    while let Some(tree) = input.next() {
        match tree {
            TokenTree::Ident(ident) if ident == "yield_" => {
                let is_bang =
                    matches!(input.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                if !is_bang {
                    out.push(TokenTree::Ident(ident));
                    continue;
                }
                let bang = input.next();
                let Some(TokenTree::Group(group)) =
                    input.next_if(|t| matches!(t, TokenTree::Group(_)))
                else {
                    out.push(TokenTree::Ident(ident));
                    out.extend(bang);
                    continue;
                };
                let mut path = take_path_prefix(&mut out);
                let span = ident.span();
                path.push(TokenTree::Ident(ident));
                let replacement = lower(YieldCall {
                    path: path.into_iter().collect(),
                    span,
                    args: group.stream(),
                });
                // Spliced as is: a postfix `.await` chain binds as tightly as the macro call it
                // replaces, and invisible groups confuse some macros that re-parse tokens.
                out.extend(replacement);
            }
            TokenTree::Group(group) => {
                let mut rewritten = Group::new(group.delimiter(), rewrite(group.stream(), lower));
                rewritten.set_span(group.span());
                out.push(TokenTree::Group(rewritten));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// Removes and returns the `path::` (with an optional leading `::`) written before `yield_`.
fn take_path_prefix(out: &mut Vec<TokenTree>) -> Vec<TokenTree> {
    let mut start = out.len();
    while start >= 2 && ends_with_path_sep(&out[..start]) {
        start -= 2;
        if matches!(out[..start].last(), Some(TokenTree::Ident(_))) {
            start -= 1;
        } else {
            break;
        }
    }
    out.split_off(start)
}

fn ends_with_path_sep(out: &[TokenTree]) -> bool {
    matches!(
        out,
        [.., TokenTree::Punct(first), TokenTree::Punct(second)]
            if first.as_char() == ':' && first.spacing() == Spacing::Joint && second.as_char() == ':'
    )
}
