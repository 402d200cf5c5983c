//! Predicates on single tokens, for the stages that read tokens rather than syntax; and tokens
//! written back as code, for messages.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Whether `tree` is the punctuation `c`.
pub(crate) fn is_punct(tree: &TokenTree, c: char) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == c)
}

/// Whether `tree` is a group delimited by `delimiter`.
pub(crate) fn is_group(tree: &TokenTree, delimiter: Delimiter) -> bool {
    matches!(tree, TokenTree::Group(g) if g.delimiter() == delimiter)
}

/// Whether `tree` is the identifier (or keyword) `word`.
pub(crate) fn is_ident(tree: &TokenTree, word: &str) -> bool {
    matches!(tree, TokenTree::Ident(ident) if ident == word)
}

/// The index in `tokens` of a `for` loop's `in`, searching from `from` (its `for`, or its
/// pattern's start): a pattern cannot hold the keyword.
pub(crate) fn loop_in_at(tokens: &[TokenTree], from: usize) -> Option<usize> {
    (from..tokens.len()).find(|&k| is_ident(&tokens[k], "in"))
}

/// The index in `tokens` of a `for` loop's body, searching from `from` (after the `in`): the
/// first `{ .. }` not followed by `.` or `?`. A `for` loop's stream cannot be a bare struct
/// literal, but users write one (`for n in Countdown { start: 3 }.iter() { .. }`): rustc
/// reports it and reads on as if it were in parentheses, and so do the macros, so that the
/// mistake gives that one error.
pub(crate) fn loop_body_at(tokens: &[TokenTree], from: usize) -> Option<usize> {
    (from..tokens.len()).find(|&k| {
        is_group(&tokens[k], Delimiter::Brace)
            && !tokens
                .get(k + 1)
                .is_some_and(|next| is_punct(next, '.') || is_punct(next, '?'))
    })
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

/// `tokens` as code to quote in a message: `f(x).await?` where `TokenStream`'s own `Display`
/// writes `f (x) . await ?`. Spaces stay where code has them (around binary operators, after
/// `,`), so the text can be pasted back.
pub(crate) fn code_text(tokens: TokenStream) -> String {
    let mut text = String::new();
    write_code(tokens, &mut text);
    text
}

fn write_code(tokens: TokenStream, text: &mut String) {
    let mut previous: Option<TokenTree> = None;
    // Whether `previous` is a prefix operator (`&x`, `!x`, `-1`, `*r`), or ends a `::` or
    // opens a turbofish's `<`: no space after it.
    let mut glued = false;
    // Whether `previous` closes a turbofish (`f::<T>(x)`): a call follows with no space.
    let mut closed_generics = false;
    // The turbofishes open where the walk is (`::<`), whose `>` take no space before them.
    let mut generics = 0_usize;
    for tree in tokens {
        let closes = generics > 0 && is_punct(&tree, '>');
        // `::<Vec<u8>>`: in a turbofish, every `<` opens generics.
        let nested = generics > 0 && is_punct(&tree, '<');
        if let Some(before) = &previous {
            let call = closed_generics && is_group(&tree, Delimiter::Parenthesis);
            if !glued && !closes && !nested && !call && spaced(before, &tree) {
                text.push(' ');
            }
        }
        let path_sep = matches!(
            (&previous, &tree),
            (Some(TokenTree::Punct(p)), TokenTree::Punct(q))
                if p.as_char() == ':' && p.spacing() == Spacing::Joint && q.as_char() == ':'
        );
        let opens = nested || (is_punct(&tree, '<') && glued_path_sep(previous.as_ref(), glued));
        glued = path_sep || opens || is_prefix(&tree, previous.as_ref(), glued);
        generics = generics + usize::from(opens) - usize::from(closes);
        closed_generics = closes;
        match &tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace if group.stream().is_empty() => ("{", "}"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                text.push_str(open);
                write_code(group.stream(), text);
                text.push_str(close);
            }
            other => text.push_str(&other.to_string()),
        }
        previous = Some(tree);
    }
}

/// Whether `previous` was the `::` of a path (which a turbofish's `<` follows).
fn glued_path_sep(previous: Option<&TokenTree>, glued: bool) -> bool {
    glued && previous.is_some_and(|p| is_punct(p, ':'))
}

/// Whether `tree` is a prefix operator, by what comes before it: nothing, an operator, or a
/// keyword (`return -1`), but not a value (`a - 1`, `x? * 2`).
fn is_prefix(tree: &TokenTree, previous: Option<&TokenTree>, previous_glued: bool) -> bool {
    if !matches!(tree, TokenTree::Punct(p) if matches!(p.as_char(), '&' | '!' | '-' | '*')) {
        return false;
    }
    match previous {
        None => true,
        Some(TokenTree::Punct(p)) => {
            p.as_char() != '?' && (p.spacing() == Spacing::Alone || previous_glued)
        }
        Some(TokenTree::Ident(i)) => is_spaced_keyword(&i.to_string()),
        Some(_) => false,
    }
}

/// Whether code puts a space between `before` and `after` (glued tokens aside).
fn spaced(before: &TokenTree, after: &TokenTree) -> bool {
    match (before, after) {
        // The parts of one operator (`::`, `->`, `..`, `!=`) or a lifetime (`'a`).
        (TokenTree::Punct(p), _) if p.spacing() == Spacing::Joint => false,
        (TokenTree::Punct(p), _) if matches!(p.as_char(), '.' | '#' | '$') => false,
        (_, TokenTree::Punct(p)) if matches!(p.as_char(), ',' | ';' | '.' | '?' | ':') => false,
        // A macro call: `m!(x)` (after a keyword, `!` is a prefix: `return !x`).
        (TokenTree::Ident(i), TokenTree::Punct(p))
            if p.as_char() == '!' && p.spacing() == Spacing::Alone =>
        {
            is_spaced_keyword(&i.to_string())
        }
        (TokenTree::Punct(p), TokenTree::Group(_)) if p.as_char() == '!' => false,
        // A call or an index: `f(x)`, `v[0]`, `f(x)(y)`.
        (TokenTree::Ident(i), TokenTree::Group(g)) if g.delimiter() != Delimiter::Brace => {
            is_spaced_keyword(&i.to_string())
        }
        (TokenTree::Group(_), TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        _ => true,
    }
}

/// Keywords an operand follows with a space (`in (a, b)`, `match (x, y)`, `return !x`).
fn is_spaced_keyword(word: &str) -> bool {
    matches!(
        word,
        "in" | "match" | "if" | "while" | "return" | "break" | "let" | "else" | "move" | "yield"
    )
}
