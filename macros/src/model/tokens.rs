//! Predicates on single tokens, for the stages that read tokens rather than syntax.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Whether `tree` is the punctuation `c`.
pub(crate) fn is_punct(tree: &TokenTree, c: char) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == c)
}

/// Whether `tree` is a group delimited by `delimiter`.
pub(crate) fn is_group(tree: &TokenTree, delimiter: Delimiter) -> bool {
    matches!(tree, TokenTree::Group(g) if g.delimiter() == delimiter)
}

/// Whether `tokens` name the value `self` anywhere, in macro arguments too (`self::path` does
/// not count). Nested items are not told apart: a nested `impl` whose methods use their own
/// `self` counts as well.
pub(crate) fn names_self_value(tokens: TokenStream) -> bool {
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let names_it = match &tree {
            TokenTree::Ident(ident) => {
                ident == "self" && !trees.peek().is_some_and(|next| is_punct(next, ':'))
            }
            TokenTree::Group(group) => names_self_value(group.stream()),
            _ => false,
        };
        if names_it {
            return true;
        }
    }
    false
}
