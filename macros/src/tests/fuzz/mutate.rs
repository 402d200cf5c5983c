//! Mutations of generated inputs: what code looks like while it is being typed (truncated,
//! half-edited) and what no one would write, at the token level (where every group stays
//! balanced) and at the text level (re-lexed, so a mutation may also split or merge tokens).

use std::str::FromStr;

use fastrand::Rng;
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// One to three token-level mutations of `tokens`.
pub(super) fn mutate_tokens(rng: &mut Rng, tokens: TokenStream) -> TokenStream {
    let rounds = rng.usize(1..=3);
    (0..rounds).fold(tokens, |tokens, _| mutate_tokens_once(rng, tokens))
}

fn mutate_tokens_once(rng: &mut Rng, tokens: TokenStream) -> TokenStream {
    match rng.usize(..8) {
        0 => truncate(rng, tokens),
        1 => at_random_depth(rng, tokens, &mut delete_one),
        2 => at_random_depth(rng, tokens, &mut duplicate_one),
        3 => at_random_depth(rng, tokens, &mut |rng, trees| swap_two(rng, trees)),
        4 | 5 => at_random_depth(rng, tokens, &mut insert_one),
        6 => at_random_depth(rng, tokens, &mut |rng, trees| shuffle_window(rng, trees)),
        _ => at_random_depth(rng, tokens, &mut |rng, trees| {
            replace_a_delimiter(rng, trees)
        }),
    }
}

/// Applies `mutate` to the trees of `tokens` or, half of the time, to those of one of its
/// groups, chosen the same way (so deeper levels are less likely, but reached).
fn at_random_depth(
    rng: &mut Rng,
    tokens: TokenStream,
    mutate: &mut dyn FnMut(&mut Rng, &mut Vec<TokenTree>),
) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let groups: Vec<usize> = (0..trees.len())
        .filter(|&i| matches!(trees[i], TokenTree::Group(_)))
        .collect();
    match rng.choice(&groups) {
        Some(&i) if rng.bool() => {
            let TokenTree::Group(group) = &trees[i] else {
                unreachable!("indices of groups only")
            };
            let inner = at_random_depth(rng, group.stream(), mutate);
            trees[i] = with_stream(group, group.delimiter(), inner);
        }
        _ => mutate(rng, &mut trees),
    }
    trees.into_iter().collect()
}

/// `group` with another delimiter and content, at the same place.
fn with_stream(group: &Group, delimiter: Delimiter, stream: TokenStream) -> TokenTree {
    let mut new = new_group(delimiter, stream);
    new.set_span(group.span());
    TokenTree::Group(new)
}

/// A group, but never an empty invisible one: no macro makes those, and `syn` reads one
/// after an item differently as an item (ignored) and as a file (an item missing), so the
/// output checks would report `syn`'s inconsistency.
fn new_group(delimiter: Delimiter, stream: TokenStream) -> Group {
    if delimiter == Delimiter::None && stream.is_empty() {
        return Group::new(Delimiter::Parenthesis, stream);
    }
    Group::new(delimiter, stream)
}

/// Everything after a random token is cut, at any depth: the groups around the cut stay
/// (closed), as an editor's auto-closed brackets leave them.
fn truncate(rng: &mut Rng, tokens: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    if trees.is_empty() {
        return TokenStream::new();
    }
    let cut = rng.usize(..trees.len());
    match &trees[cut] {
        TokenTree::Group(group) if rng.bool() => {
            let inner = truncate(rng, group.stream());
            trees[cut] = with_stream(group, group.delimiter(), inner);
            trees.truncate(cut + 1);
        }
        _ => trees.truncate(cut),
    }
    trees.into_iter().collect()
}

fn delete_one(rng: &mut Rng, trees: &mut Vec<TokenTree>) {
    if !trees.is_empty() {
        trees.remove(rng.usize(..trees.len()));
    }
}

fn duplicate_one(rng: &mut Rng, trees: &mut Vec<TokenTree>) {
    if !trees.is_empty() {
        let i = rng.usize(..trees.len());
        trees.insert(i, trees[i].clone());
    }
}

fn swap_two(rng: &mut Rng, trees: &mut [TokenTree]) {
    if !trees.is_empty() {
        let (a, b) = (rng.usize(..trees.len()), rng.usize(..trees.len()));
        trees.swap(a, b);
    }
}

fn insert_one(rng: &mut Rng, trees: &mut Vec<TokenTree>) {
    let at = rng.usize(..=trees.len());
    let new = random_tokens(rng);
    trees.splice(at..at, new);
}

/// Shuffles up to four neighbouring trees.
fn shuffle_window(rng: &mut Rng, trees: &mut [TokenTree]) {
    if trees.len() < 2 {
        return;
    }
    let start = rng.usize(..trees.len() - 1);
    let end = (start + rng.usize(2..=4)).min(trees.len());
    rng.shuffle(&mut trees[start..end]);
}

/// Changes the delimiter of one group of `trees`, if it has any; `None` (an invisible group,
/// as macro_rules `$x:expr` makes) included.
fn replace_a_delimiter(rng: &mut Rng, trees: &mut [TokenTree]) {
    let groups: Vec<usize> = (0..trees.len())
        .filter(|&i| matches!(trees[i], TokenTree::Group(_)))
        .collect();
    let Some(&i) = rng.choice(&groups) else {
        return;
    };
    let TokenTree::Group(group) = &trees[i] else {
        unreachable!("indices of groups only")
    };
    let delimiter = random_delimiter(rng);
    trees[i] = with_stream(group, delimiter, group.stream());
}

fn random_delimiter(rng: &mut Rng) -> Delimiter {
    match rng.usize(..4) {
        0 => Delimiter::Parenthesis,
        1 => Delimiter::Brace,
        2 => Delimiter::Bracket,
        _ => Delimiter::None,
    }
}

/// A punctuation, an identifier (keywords and the crate's own names often), a literal, a
/// lifetime or a small group.
fn random_tokens(rng: &mut Rng) -> Vec<TokenTree> {
    let span = Span::call_site();
    match rng.usize(..5) {
        0 => {
            let chars = [
                '+', '-', '*', '/', '%', '^', '!', '&', '|', '=', '<', '>', '@', '.', ',', ';',
                ':', '#', '$', '?', '~', '\'',
            ];
            let c = rng.choice(chars).unwrap_or('+');
            let spacing = if rng.bool() {
                Spacing::Alone
            } else {
                Spacing::Joint
            };
            vec![TokenTree::Punct(Punct::new(c, spacing))]
        }
        1 => vec![TokenTree::Ident(random_ident(rng))],
        2 => vec![TokenTree::Literal(random_literal(rng))],
        3 => {
            let lifetime = ["a", "static", "_", "outer", "items"];
            let name = rng.choice(lifetime).unwrap_or("a");
            vec![
                TokenTree::Punct(Punct::new('\'', Spacing::Joint)),
                TokenTree::Ident(Ident::new(name, span)),
            ]
        }
        _ => {
            let content: TokenStream = match rng.usize(..3) {
                0 => TokenStream::new(),
                _ => random_tokens(rng).into_iter().collect(),
            };
            vec![TokenTree::Group(new_group(random_delimiter(rng), content))]
        }
    }
}

fn random_ident(rng: &mut Rng) -> Ident {
    let span = Span::call_site();
    let names = [
        "yield_",
        "yield_all",
        "for_await",
        "asyncgen",
        "async",
        "await",
        "move",
        "fn",
        "for",
        "in",
        "let",
        "return",
        "yield",
        "loop",
        "break",
        "continue",
        "match",
        "if",
        "else",
        "self",
        "Self",
        "impl",
        "dyn",
        "where",
        "const",
        "static",
        "mut",
        "ref",
        "unsafe",
        "struct",
        "trait",
        "mod",
        "pub",
        "crate",
        "super",
        "_",
        "x",
        "u32",
        "Stream",
        "Item",
        "boxed",
        "boxed_local",
        "stream",
        "iter",
        "stringify",
        "tokio",
        "select",
        "macro_rules",
    ];
    if rng.usize(..10) == 0 {
        let raw = rng
            .choice(["type", "match", "r#in", "yield"])
            .unwrap_or("type");
        return Ident::new_raw(raw.trim_start_matches("r#"), span);
    }
    Ident::new(rng.choice(names).unwrap_or("x"), span)
}

fn random_literal(rng: &mut Rng) -> Literal {
    match rng.usize(..9) {
        0 => Literal::u32_suffixed(rng.u32(..)),
        1 => Literal::i32_unsuffixed(-rng.i32(0..100)),
        2 => Literal::f64_unsuffixed(1.5),
        3 => Literal::string("text {} \" \\"),
        4 => Literal::character('\''),
        5 => Literal::byte_string(b"\xff\0"),
        6 => Literal::usize_unsuffixed(0),
        _ => {
            let source = [
                "1e10",
                "0x1F",
                "r#\"raw\"#",
                "c\"cstr\"",
                "b'x'",
                "1_000u64",
            ];
            let text = rng.choice(source).unwrap_or("1");
            Literal::from_str(text).unwrap_or_else(|_| Literal::u8_unsuffixed(1))
        }
    }
}

/// One to three character-level edits of `text`: the result may not lex.
pub(super) fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.usize(1..=3) {
        edit_chars(rng, &mut chars);
    }
    chars.into_iter().collect()
}

fn edit_chars(rng: &mut Rng, chars: &mut Vec<char>) {
    let at = rng.usize(..=chars.len());
    let len = rng.usize(1..=8).min(chars.len() - at);
    match rng.usize(..5) {
        0 => {
            chars.drain(at..at + len);
        }
        1 => {
            let copy: Vec<char> = chars[at..at + len].to_vec();
            chars.splice(at..at, copy);
        }
        2 if at + 1 < chars.len() => chars.swap(at, at + 1),
        _ => {
            let snippet = random_snippet(rng);
            chars.splice(at..at, snippet.chars());
        }
    }
}

/// Text that changes how the code around it lexes or parses.
fn random_snippet(rng: &mut Rng) -> &'static str {
    let snippets = [
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "<",
        ">",
        "'",
        "'a ",
        "\"",
        "#",
        "#[for_await] ",
        "!",
        "?",
        ".await",
        "yield ",
        "yield_!(",
        "async ",
        "move ",
        "|",
        "||",
        "::",
        "->",
        "=>",
        ";",
        ",",
        "=",
        "r#",
        "b'x'",
        "1u8",
        "1e3",
        "0x",
        "..",
        "..=",
        "'static",
        "self",
        "Self",
        " ",
        "\n",
        "//",
        "/*",
        "*/",
        "/// doc\n",
        "for await ",
        "fn ",
        "const ",
        "loop ",
        "break ",
        "return ",
        "#!",
        "$x",
        "@",
    ];
    rng.choice(snippets).unwrap_or(" ")
}
