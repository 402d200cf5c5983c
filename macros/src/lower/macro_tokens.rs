//! Finding `yield_!(..)`, `yield_all!(..)` and `?` inside the tokens of other macros whose
//! arguments are not a list of expressions (`tokio::select!` arms, user DSLs), so `syn` cannot
//! walk them as Rust syntax.
//!
//! The walk keeps track of what it can recognise in token form: `async { .. }` blocks and
//! closures (where a yield cannot suspend the generator), nested `fn` items (not ours),
//! `stringify!`/`concat!` (tokens, not code) and nested `stream!`/`iter!` (generators of their
//! own). For `?` it takes the operand to be the postfix chain before it (`a.b(c)?`,
//! `x.await?`, `f(x)?`); where that is unclear (`f::<T>(x)?`) it leaves the `?` alone.

use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};

use syn::Attribute;
use syn::parse::Parser;

use crate::model::{
    Krate, OurMacro, is_for_await, is_group, is_ident, is_punct, is_skipped_macro, loop_body_at,
    loop_in_at, work,
};

/// Where a `yield_!` was found, as far as the tokens tell.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nesting {
    Direct,
    Closure,
    /// `async |x| ..`: cannot suspend the generator, but may await.
    AsyncClosure,
    AsyncBlock,
}

/// What the walk found.
pub(crate) enum Found {
    /// `yield_!(..)` or `yield_all!(..)`.
    Call(YieldCall),
    /// `#[for_await] for pat in expr { .. }` (with its label, if any).
    ForAwait {
        attr: Box<Attribute>,
        for_loop: TokenStream,
        nesting: Nesting,
    },
    /// `operand?`.
    Try {
        operand: TokenStream,
        /// The `?`.
        span: Span,
        nesting: Nesting,
    },
}

/// One `yield_!(args)` or `yield_all!(args)` found in a token stream.
pub(crate) struct YieldCall {
    pub(crate) which: OurMacro,
    /// The path as written: `yield_`, `asyncgen::yield_` or `::asyncgen::yield_`.
    pub(crate) path: TokenStream,
    /// The `yield_` identifier: errors and the generated `.await` point here.
    pub(crate) span: Span,
    pub(crate) args: TokenStream,
    pub(crate) nesting: Nesting,
}

/// Whether `tokens` mention `yield_`, `yield_all`, `for_await` or `?` at all: most macros do
/// not, and are left untouched.
pub(crate) fn needs_rewrite(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| {
        work::read(1);
        match tree {
            TokenTree::Ident(ident) => {
                OurMacro::from_name(&ident.to_string()).is_some() || ident == "for_await"
            }
            TokenTree::Punct(punct) => punct.as_char() == '?',
            TokenTree::Group(group) => needs_rewrite(&group.stream()),
            TokenTree::Literal(_) => false,
        }
    })
}

/// A walk over the code inside other macros' arguments: the generator body's and the
/// standalone `#[for_await]`'s.
pub(crate) trait MacroArgs {
    /// Whether `tokens` hold anything this walk rewrites.
    fn wanted(&self, tokens: &TokenStream) -> bool;
    /// Walks one argument that parsed as an expression.
    fn visit_arg(&mut self, arg: &mut syn::Expr);
    /// What a find in tokens that do not parse becomes (`None`: left as it is).
    fn lower(&mut self, found: Found) -> Option<TokenStream>;
    /// The crate path of asyncgen's macros (`crate = ..`), which a path to them may start with.
    fn krate(&self) -> &Krate;
}

/// Rewrites the arguments of `mac`. Arguments that parse as a list of expressions (`assert!`,
/// `println!`, `vec!`, most user macros) are walked as syntax, so closures and `async`
/// blocks in them are seen exactly; other syntax (`tokio::select!` arms) goes through the
/// token walker. `stringify!`-like macros and nested generators are left alone.
pub(crate) fn rewrite_macro_args(walk: &mut impl MacroArgs, mac: &mut syn::Macro) {
    use quote::ToTokens;
    use syn::punctuated::Punctuated;

    let skipped = mac
        .path
        .segments
        .last()
        .is_some_and(|s| is_skipped_macro(&s.ident.to_string()));
    if skipped || !walk.wanted(&mac.tokens) {
        return;
    }
    let parsed =
        Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated.parse2(mac.tokens.clone());
    if let Ok(mut exprs) = parsed {
        for expr in &mut exprs {
            walk.visit_arg(expr);
        }
        mac.tokens = exprs.into_token_stream();
        return;
    }
    let tokens = std::mem::take(&mut mac.tokens);
    let krate = walk.krate().clone();
    mac.tokens = rewrite(tokens, &krate, &mut |found| walk.lower(found));
}

/// Replaces every `yield_!(..)`, `yield_all!(..)` and `?` in `tokens`, at any depth, by what
/// `lower` returns for it (`None`: leave it as it is).
pub(crate) fn rewrite(
    tokens: TokenStream,
    krate: &Krate,
    lower: &mut dyn FnMut(Found) -> Option<TokenStream>,
) -> TokenStream {
    Walker { krate, lower }.walk(tokens, Nesting::Direct)
}

struct Walker<'a> {
    krate: &'a Krate,
    lower: &'a mut dyn FnMut(Found) -> Option<TokenStream>,
}

impl Walker<'_> {
    fn walk(&mut self, tokens: TokenStream, nesting: Nesting) -> TokenStream {
        let input: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out: Vec<TokenTree> = Vec::with_capacity(input.len());
        let mut i = 0;
        while i < input.len() {
            work::read(1);
            let next = |k: usize| input.get(i + k);
            match &input[i] {
                TokenTree::Ident(ident) if is_bang(next(1)) => {
                    let name = ident.to_string();
                    if let Some(which) = OurMacro::from_name(&name) {
                        if let Some(lowered) = self.call(which, &input[i..], nesting, &mut out) {
                            out.extend(lowered);
                            i += 3;
                            continue;
                        }
                    }
                    // `stringify!(..)`: tokens, not code. `stream! { .. }`: not ours.
                    if is_skipped_macro(&name) {
                        out.extend(input[i..(i + 3).min(input.len())].iter().cloned());
                        i += 3;
                        continue;
                    }
                }
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    if let Some((found, end)) = for_await_loop(&input[i..], nesting, self.krate) {
                        if let Some(lowered) = (self.lower)(found) {
                            out.extend(lowered);
                            i += end;
                            continue;
                        }
                    }
                }
                TokenTree::Punct(p) if p.as_char() == '?' => {
                    // An operand the walk cannot delimit is left alone (the macro may not even
                    // be Rust); rustc then reports the `?`.
                    let Some(start) = postfix_operand_start(&out) else {
                        out.push(input[i].clone());
                        i += 1;
                        continue;
                    };
                    work::read(out.len() - start);
                    let operand: TokenStream = out.split_off(start).into_iter().collect();
                    let found = Found::Try {
                        operand: operand.clone(),
                        span: p.span(),
                        nesting,
                    };
                    match (self.lower)(found) {
                        Some(lowered) => out.extend(lowered),
                        None => {
                            out.extend(operand);
                            out.push(input[i].clone());
                        }
                    }
                    i += 1;
                    continue;
                }
                // `fn name(..) { .. }`: not ours.
                TokenTree::Ident(ident) if ident == "fn" => {
                    let end = input[i..]
                        .iter()
                        .position(|t| is_group(t, Delimiter::Brace) || is_punct(t, ';'))
                        .map_or(input.len(), |offset| i + offset + 1);
                    work::read(end - i);
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

    /// `yield_!(args)` at `tokens[0]` (with its path before it in `out`), lowered; `None` if
    /// it is not asyncgen's (`crate::yield_!`) or has no argument group.
    fn call(
        &mut self,
        which: OurMacro,
        tokens: &[TokenTree],
        nesting: Nesting,
        out: &mut Vec<TokenTree>,
    ) -> Option<TokenStream> {
        let TokenTree::Group(group) = tokens.get(2)? else {
            return None;
        };
        let prefix = take_our_path(out, self.krate)?;
        let mut path = prefix.clone();
        path.extend([tokens[0].clone()]);
        let call = YieldCall {
            which,
            path,
            span: tokens[0].span(),
            args: group.stream(),
            nesting,
        };
        let lowered = (self.lower)(Found::Call(call));
        if lowered.is_none() {
            out.extend(prefix); // left as it is: give back the `asyncgen::` taken above
        }
        lowered
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
        // `|x| -> T { .. }`: the body is the block (the type may hold commas).
        let returns_type = is_arrow(&input[params_end..]);
        let body_start = if returns_type {
            params_end
                + input[params_end..]
                    .iter()
                    .position(|t| is_group(t, Delimiter::Brace))?
        } else {
            params_end
        };
        // Without a return type, the body runs to the end of the expression: the next `,` or
        // `;` at this level.
        let body_end = if returns_type {
            body_start + 1
        } else {
            expression_end(input, params_end)
        };
        let is_async = match out.as_slice() {
            [.., TokenTree::Ident(a), TokenTree::Ident(m)] if m == "move" => a == "async",
            [.., TokenTree::Ident(a)] => a == "async",
            _ => false,
        };
        let nesting = if is_async {
            Nesting::AsyncClosure
        } else {
            Nesting::Closure
        };
        work::read(body_end - start);
        out.extend(input[start..body_start].iter().cloned());
        let body: TokenStream = input[body_start..body_end].iter().cloned().collect();
        out.extend(self.walk(body, nesting));
        Some(body_end)
    }
}

/// `#[for_await] 'label: for pat in expr { body }` at the start of `tokens`: the loop, and how
/// many tokens it spans: to the body ([`loop_body_at`]).
fn for_await_loop(tokens: &[TokenTree], nesting: Nesting, krate: &Krate) -> Option<(Found, usize)> {
    let [pound, TokenTree::Group(group), ..] = tokens else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let attr_tokens: TokenStream = [pound.clone(), tokens[1].clone()].into_iter().collect();
    let attr = Attribute::parse_outer.parse2(attr_tokens).ok()?.pop()?;
    if !is_for_await(&attr, krate) {
        return None;
    }
    let for_at = 2 + tokens[2..]
        .iter()
        .take(4)
        .position(|t| is_ident(t, "for"))?;
    // After the `in`: the pattern may have braces of its own (`for Pair { a, b } in pairs`).
    let in_at = loop_in_at(tokens, for_at)?;
    let body = loop_body_at(tokens, in_at + 1)?;
    work::read(body + 1);
    let for_loop = tokens[2..=body].iter().cloned().collect();
    let found = Found::ForAwait {
        attr: Box::new(attr),
        for_loop,
        nesting,
    };
    Some((found, body + 1))
}

/// The index of the `,` or `;` that ends the expression starting at `input[start]`, or the end;
/// commas in a turbofish (`f::<A, B>(x)`) do not count.
fn expression_end(input: &[TokenTree], start: usize) -> usize {
    let mut k = start;
    while k < input.len() {
        if is_punct(&input[k], ',') || is_punct(&input[k], ';') {
            return k;
        }
        let turbofish = k + 2 < input.len()
            && is_joint_colon(&input[k])
            && is_punct(&input[k + 1], ':')
            && is_punct(&input[k + 2], '<');
        if turbofish {
            k = closing_angle(input, k + 2).unwrap_or(k + 2);
        }
        k += 1;
    }
    input.len()
}

/// The index of the `>` closing the `<` at `input[open]`, skipping the `>` of `->`.
fn closing_angle(input: &[TokenTree], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, tree) in input.iter().enumerate().skip(open) {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '>' && !is_arrow_head(input, k) => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(k);
                }
            }
            TokenTree::Punct(p) if p.as_char() == ';' => return None,
            _ => {}
        }
    }
    None
}

/// The index of the `<` matching the `>` that ends `tokens`, if `tokens` end with one.
fn opening_angle(tokens: &[TokenTree]) -> Option<usize> {
    let last = tokens.len().checked_sub(1)?;
    if !is_punct(&tokens[last], '>') || is_arrow_head(tokens, last) {
        return None;
    }
    let mut depth = 0usize;
    for k in (0..=last).rev() {
        match &tokens[k] {
            TokenTree::Punct(p) if p.as_char() == '>' && !is_arrow_head(tokens, k) => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '<' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(k);
                }
            }
            TokenTree::Punct(p) if p.as_char() == ';' => return None,
            _ => {}
        }
    }
    None
}

/// Whether `tokens[k]` is the `>` of a `->` (as in `Fn() -> T`), which closes nothing.
fn is_arrow_head(tokens: &[TokenTree], k: usize) -> bool {
    k > 0
        && matches!(&tokens[k - 1], TokenTree::Punct(m) if m.as_char() == '-' && m.spacing() == Spacing::Joint)
}

/// Whether `tokens` start with `->`.
fn is_arrow(tokens: &[TokenTree]) -> bool {
    matches!(tokens, [TokenTree::Punct(minus), TokenTree::Punct(gt), ..]
        if minus.as_char() == '-' && minus.spacing() == Spacing::Joint && gt.as_char() == '>')
}

fn is_bang(tree: Option<&TokenTree>) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == '!')
}

/// Whether a `|` here opens a closure rather than being a bit-or: nothing, or an operator or
/// separator, before it.
fn starts_expression(out: &[TokenTree]) -> bool {
    match out.last() {
        None => true,
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';' | '=' | '>' | '(' | '!'),
        Some(TokenTree::Ident(ident)) => ident == "move" || ident == "return" || ident == "async",
        _ => false,
    }
}

/// Removes and returns the path written before `yield_` if it names asyncgen's macro:
/// nothing, `asyncgen::`, `::asyncgen::` or the `crate = ..` path. Another path
/// (`crate::yield_!`) is not ours.
fn take_our_path(out: &mut Vec<TokenTree>, krate: &Krate) -> Option<TokenStream> {
    if !sep_at(out, out.len()) {
        return Some(TokenStream::new());
    }
    let prefixes = [Some(vec!["asyncgen".to_owned()]), krate.custom_segments()];
    let start = prefixes
        .into_iter()
        .flatten()
        .find_map(|prefix| path_start(out, &prefix))?;
    Some(out.split_off(start).into_iter().collect())
}

/// Where `prefix::` (or `::prefix::`) starts if `out` ends with it.
fn path_start(out: &[TokenTree], prefix: &[String]) -> Option<usize> {
    let mut at = out.len();
    for segment in prefix.iter().rev() {
        if !sep_at(out, at) {
            return None;
        }
        at -= 2;
        match at.checked_sub(1).map(|k| &out[k]) {
            Some(TokenTree::Ident(ident)) if ident == segment => at -= 1,
            _ => return None,
        }
    }
    // Only a leading `::` can join the path to an ident before it (`other::asyncgen::`);
    // without one, whatever precedes (`match`, `=`, ..) is not part of the path.
    if !sep_at(out, at) {
        return Some(at);
    }
    if at >= 3 && matches!(&out[at - 3], TokenTree::Ident(i) if !is_keyword(&i.to_string())) {
        return None; // `other::asyncgen::yield_`
    }
    Some(at - 2)
}

/// Whether `out[..k]` ends with `::`.
fn sep_at(out: &[TokenTree], k: usize) -> bool {
    k >= 2
        && matches!(&out[k - 2], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(&out[k - 1], ':')
}

/// Where the operand of a `?` at the end of `out` starts: the postfix chain before it
/// (`a.b(c)[d]`, `path::to(x)`, `m!(x)`, `x.await`), or `None` when the tokens do not clearly
/// form one.
fn postfix_operand_start(out: &[TokenTree]) -> Option<usize> {
    let mut start = out.len();
    loop {
        // An atom, possibly followed by calls and indexing: `f(x)[0]`, `m!(x)`, `(a + b)`.
        while start > 0 && is_call_or_index(&out[start - 1]) {
            start -= 1;
        }
        // `name::<T>(..)`: skip the turbofish, the name comes next. `<T as Trait>::f(..)`: a
        // qualified path starts the operand.
        if let Some(open) = opening_angle(&out[..start]) {
            if open >= 2 && is_punct(&out[open - 1], ':') && is_joint_colon(&out[open - 2]) {
                start = open - 2;
            } else {
                return is_expression_boundary(out, open).then_some(open);
            }
        }
        let atom_end = start;
        if start > 0 && is_punct(&out[start - 1], '!') {
            start -= 1; // a macro call: its name must come next
        }
        match out.get(start.wrapping_sub(1)) {
            Some(TokenTree::Ident(ident)) if is_value_word(&ident.to_string()) => start -= 1,
            Some(TokenTree::Literal(_)) if start == atom_end => start -= 1,
            _ if start == atom_end && start < out.len() => {} // a parenthesized expression
            _ => return None,
        }
        // Continue through `.` (field, method, `.await`) and `::` (paths).
        if start >= 1
            && is_punct(&out[start - 1], '.')
            && !(start >= 2 && is_punct(&out[start - 2], '.'))
        {
            start -= 1;
            continue;
        }
        if start >= 2 && is_punct(&out[start - 1], ':') && is_joint_colon(&out[start - 2]) {
            start -= 2;
            let continues = start > 0
                && (matches!(&out[start - 1], TokenTree::Ident(_))
                    || is_punct(&out[start - 1], '>'));
            if !continues {
                break; // a leading `::`
            }
            continue;
        }
        break;
    }
    is_expression_boundary(out, start).then_some(start)
}

fn is_call_or_index(tree: &TokenTree) -> bool {
    matches!(tree, TokenTree::Group(g) if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket))
}

fn is_joint_colon(tree: &TokenTree) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
}

/// Identifiers that can be (part of) an operand: names, `self`, `await` after a `.`, not
/// keywords that start or join expressions.
fn is_value_word(word: &str) -> bool {
    !matches!(
        word,
        "as" | "break"
            | "const"
            | "continue"
            | "else"
            | "enum"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "dyn"
            | "yield"
    )
}

/// Whether the token before `start` ends whatever came before the operand: nothing, a
/// separator or operator, or a keyword (`return x?`, `match x? {`).
fn is_expression_boundary(out: &[TokenTree], start: usize) -> bool {
    if start == out.len() {
        return false; // no operand at all: `?Sized`
    }
    match start.checked_sub(1).map(|k| &out[k]) {
        None => true,
        // `break 'label x?`: the ident is a label's.
        Some(TokenTree::Ident(_)) if start >= 2 && is_punct(&out[start - 2], '\'') => true,
        Some(TokenTree::Ident(ident)) => !is_value_word(&ident.to_string()),
        Some(TokenTree::Punct(p)) => match p.as_char() {
            '.' | '\'' | '?' => false,
            // `=>` ends a match arm's pattern; any other `>` may close generics (`f::<T>(x)?`).
            '>' => {
                start >= 2
                    && matches!(&out[start - 2], TokenTree::Punct(q) if q.as_char() == '=' && q.spacing() == Spacing::Joint)
            }
            _ => true,
        },
        // After a `{ .. }` a new statement starts; after `(..)` or a literal nothing can.
        Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        Some(TokenTree::Literal(_)) => false,
    }
}

/// Keywords that can stand before a path in an expression (`match ::asyncgen::yield_!(..)`).
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "match" | "if" | "while" | "return" | "break" | "in" | "let" | "else" | "move" | "yield"
    )
}
