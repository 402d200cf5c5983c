//! Finding `yield_!(..)` inside the tokens of other macros whose arguments are not a list of
//! expressions (`tokio::select!` arms, user DSLs), so `syn` cannot walk them as Rust syntax.
//!
//! The walk keeps track of what it can recognise in token form: `async { .. }` blocks and
//! closures (where a yield cannot suspend the generator), nested `fn` items (not ours) and
//! `stringify!`/`concat!` (tokens, not code).

use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};

/// Where a `yield_!` was found, as far as the tokens tell.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nesting {
    Direct,
    Closure,
    AsyncBlock,
}

/// One `yield_!(args)` found in a token stream.
pub(crate) struct YieldCall {
    /// The path as written: `yield_`, `asyncgen::yield_` or `::asyncgen::yield_`.
    pub(crate) path: TokenStream,
    /// The `yield_` identifier: errors and the generated `.await` point here.
    pub(crate) span: Span,
    pub(crate) args: TokenStream,
    pub(crate) nesting: Nesting,
}

/// Whether `tokens` mention `yield_` at all: most macros do not, and are left untouched.
pub(crate) fn mentions_yield(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "yield_",
        TokenTree::Group(group) => mentions_yield(&group.stream()),
        _ => false,
    })
}

/// Macros whose arguments are tokens to quote, not code to run.
pub(crate) fn is_verbatim_macro(name: &str) -> bool {
    matches!(name, "stringify" | "concat" | "compile_error")
}

/// Replaces every `yield_!(..)` in `tokens`, at any depth, by what `lower` returns for it.
pub(crate) fn rewrite(
    tokens: TokenStream,
    lower: &mut dyn FnMut(YieldCall) -> TokenStream,
) -> TokenStream {
    Walker { lower }.walk(tokens, Nesting::Direct)
}

struct Walker<'a> {
    lower: &'a mut dyn FnMut(YieldCall) -> TokenStream,
}

impl Walker<'_> {
    fn walk(&mut self, tokens: TokenStream, nesting: Nesting) -> TokenStream {
        let input: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out: Vec<TokenTree> = Vec::with_capacity(input.len());
        let mut i = 0;
        while i < input.len() {
            let next = |k: usize| input.get(i + k);
            match &input[i] {
                TokenTree::Ident(ident) if ident == "yield_" && is_bang(next(1)) => {
                    if let (Some(TokenTree::Group(group)), Some(path)) =
                        (next(2), take_our_path(&mut out))
                    {
                        let mut path = path;
                        path.extend([input[i].clone()]);
                        let call = YieldCall {
                            path,
                            span: ident.span(),
                            args: group.stream(),
                            nesting,
                        };
                        out.extend((self.lower)(call));
                        i += 3;
                        continue;
                    }
                }
                // `stringify!(..)`: tokens, not code. `fn name(..) { .. }`: not ours.
                TokenTree::Ident(ident)
                    if is_verbatim_macro(&ident.to_string()) && is_bang(next(1)) =>
                {
                    out.extend(input[i..(i + 3).min(input.len())].iter().cloned());
                    i += 3;
                    continue;
                }
                TokenTree::Ident(ident) if ident == "fn" => {
                    let end = input[i..]
                        .iter()
                        .position(|t| is_group(t, Delimiter::Brace) || is_punct(t, ';'))
                        .map_or(input.len(), |offset| i + offset + 1);
                    out.extend(input[i..end].iter().cloned());
                    i = end;
                    continue;
                }
                TokenTree::Ident(ident) if ident == "async" => {
                    let mut body = i + 1;
                    if matches!(input.get(body), Some(TokenTree::Ident(m)) if m == "move") {
                        body += 1;
                    }
                    if let Some(TokenTree::Group(group)) = input.get(body) {
                        if group.delimiter() == Delimiter::Brace {
                            out.extend(input[i..body].iter().cloned());
                            out.push(self.regroup(group, Nesting::AsyncBlock));
                            i = body + 1;
                            continue;
                        }
                    }
                }
                TokenTree::Punct(p) if p.as_char() == '|' && starts_expression(&out) => {
                    if let Some(end) = self.closure(&input, i, &mut out) {
                        i = end;
                        continue;
                    }
                }
                TokenTree::Group(group) => {
                    out.push(self.regroup(group, nesting));
                    i += 1;
                    continue;
                }
                _ => {}
            }
            out.push(input[i].clone());
            i += 1;
        }
        out.into_iter().collect()
    }

    fn regroup(&mut self, group: &proc_macro2::Group, nesting: Nesting) -> TokenTree {
        let mut rewritten =
            proc_macro2::Group::new(group.delimiter(), self.walk(group.stream(), nesting));
        rewritten.set_span(group.span());
        TokenTree::Group(rewritten)
    }

    /// A closure starting at `input[start]` (a `|`): copies its parameters, walks its body as
    /// [`Nesting::Closure`] and returns the index after it, or `None` if it does not look like
    /// one.
    fn closure(
        &mut self,
        input: &[TokenTree],
        start: usize,
        out: &mut Vec<TokenTree>,
    ) -> Option<usize> {
        let params_end = if matches!(&input[start], TokenTree::Punct(p) if p.spacing() == Spacing::Joint)
            && is_punct(input.get(start + 1)?, '|')
        {
            start + 2 // `||`
        } else {
            start + 1 + input[start + 1..].iter().position(|t| is_punct(t, '|'))? + 1
        };
        // The body runs to the end of the expression: the next `,` or `;` at this level.
        let body_end = input[params_end..]
            .iter()
            .position(|t| is_punct(t, ',') || is_punct(t, ';'))
            .map_or(input.len(), |offset| params_end + offset);
        out.extend(input[start..params_end].iter().cloned());
        let body: TokenStream = input[params_end..body_end].iter().cloned().collect();
        out.extend(self.walk(body, Nesting::Closure));
        Some(body_end)
    }
}

fn is_bang(tree: Option<&TokenTree>) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == '!')
}

fn is_punct(tree: &TokenTree, c: char) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == c)
}

fn is_group(tree: &TokenTree, delimiter: Delimiter) -> bool {
    matches!(tree, TokenTree::Group(g) if g.delimiter() == delimiter)
}

/// Whether a `|` here opens a closure rather than being a bit-or: nothing, or an operator or
/// separator, before it.
fn starts_expression(out: &[TokenTree]) -> bool {
    match out.last() {
        None => true,
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';' | '=' | '>' | '(' | '!'),
        Some(TokenTree::Ident(ident)) => ident == "move" || ident == "return",
        _ => false,
    }
}

/// Removes and returns the path written before `yield_` if it names asyncgen's macro:
/// nothing, `asyncgen::` or `::asyncgen::`. Another path (`crate::yield_!`) is not ours.
fn take_our_path(out: &mut Vec<TokenTree>) -> Option<TokenStream> {
    let n = out.len();
    let sep_at = |k: usize| {
        k >= 2
            && matches!(&out[k - 2], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            && is_punct(&out[k - 1], ':')
    };
    if !sep_at(n) {
        return Some(TokenStream::new());
    }
    let named_asyncgen = n >= 3 && matches!(&out[n - 3], TokenTree::Ident(i) if i == "asyncgen");
    if !named_asyncgen {
        return None;
    }
    // Only a leading `::` can join `asyncgen` to an ident before it (`other::asyncgen::`);
    // without one, whatever precedes (`match`, `=`, ..) is not part of the path.
    if !sep_at(n - 3) {
        return Some(out.split_off(n - 3).into_iter().collect());
    }
    if n >= 6 && matches!(&out[n - 6], TokenTree::Ident(i) if !is_keyword(&i.to_string())) {
        return None; // `other::asyncgen::yield_`
    }
    Some(out.split_off(n - 5).into_iter().collect())
}

/// Keywords that can stand before a path in an expression (`match ::asyncgen::yield_!(..)`).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "match" | "if" | "while" | "return" | "break" | "in" | "let" | "else" | "move" | "yield"
    )
}
