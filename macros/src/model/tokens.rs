//! Predicates on single tokens, for the stages that read tokens rather than syntax.

use proc_macro2::{Delimiter, TokenTree};

/// Whether `tree` is the punctuation `c`.
pub(crate) fn is_punct(tree: &TokenTree, c: char) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == c)
}

/// Whether `tree` is a group delimited by `delimiter`.
pub(crate) fn is_group(tree: &TokenTree, delimiter: Delimiter) -> bool {
    matches!(tree, TokenTree::Group(g) if g.delimiter() == delimiter)
}
