//! The input of `stream! { .. }` and `iter! { .. }`: a leading `crate = path;`, the literal
//! syntax desugared to the macros the body walk knows, then `-> Type { stmts }` or `stmts`.
//!
//! ```text
//! // Input:
//! stream! { for await x in numbers { yield x * 2; } }
//! // After the literal syntax is desugared:
//! #[::asyncgen::for_await] for x in numbers { ::asyncgen::yield_!(x * 2); }
//! ```

use proc_macro2::{Delimiter, Group, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::{Block, Expr, Path, Stmt, Token, Type, braced};

use super::crate_option::CrateOption;
use super::for_await;
use super::tolerant;
use crate::model::{Kind, Krate, is_punct, is_skipped_macro, work};

/// What a block macro was given.
pub(crate) struct BlockInput {
    pub(crate) krate: Krate,
    /// `-> Item` when written first; otherwise the item type is inferred from the yields.
    pub(crate) item_ty: Option<Type>,
    pub(crate) stmts: Vec<Stmt>,
}

/// Reads a block macro's input; an error is the whole expansion. `krate` is where asyncgen
/// is unless the input starts with `crate = path;`.
pub(crate) fn block(kind: Kind, krate: Krate, input: TokenStream) -> syn::Result<BlockInput> {
    let leading_option = |input: ParseStream<'_>| crate_option(input, krate);
    let (krate, input) = leading_option.parse2(input)?;
    let input = desugar(input, &krate);
    let parse = |input: ParseStream<'_>| parse(kind, input);
    let (item_ty, stmts) = parse.parse2(input)?;
    Ok(BlockInput {
        krate,
        item_ty,
        stmts,
    })
}

/// The input of `stream_inner!` / `iter_inner!`, which `stream!` / `iter!` call as
/// `$crate::__private::stream_inner!(($crate) ..)`: the crate path, and the block macro's
/// own input.
pub(crate) fn front_end(input: TokenStream) -> syn::Result<(Krate, TokenStream)> {
    let parser = |input: ParseStream<'_>| {
        let content;
        syn::parenthesized!(content in input);
        let path = content.call(Path::parse_mod_style)?;
        Ok((Krate::at(path), input.parse()?))
    };
    parser.parse2(input).map_err(|error| {
        syn::Error::new(
            error.span(),
            "this macro is called by asyncgen's `stream!` and `iter!`: call those instead",
        )
    })
}

/// A leading `crate = path;` (or `krate`), and the rest of the input.
fn crate_option(input: ParseStream<'_>, krate: Krate) -> syn::Result<(Krate, TokenStream)> {
    if !CrateOption::peek(input) {
        return Ok((krate, input.parse()?));
    }
    let option: CrateOption = input.parse()?;
    input.parse::<Token![;]>()?;
    Ok((option.krate, input.parse()?))
}

/// `-> Type { stmts }` or `stmts`.
fn parse(kind: Kind, input: ParseStream<'_>) -> syn::Result<(Option<Type>, Vec<Stmt>)> {
    if input.peek(Token![->]) {
        input.parse::<Token![->]>()?;
        let ty: Type = input.parse()?;
        if !input.peek(syn::token::Brace) {
            let name = match kind {
                Kind::Stream => "stream",
                Kind::Iter => "iter",
            };
            let ty_text = quote!(#ty).to_string();
            return Err(syn::Error::new_spanned(
                &ty,
                format!("the body is missing: write `{name}!(-> {ty_text} {{ .. }})`"),
            ));
        }
        let content;
        braced!(content in input);
        let stmts = block_contents(&content);
        if !input.is_empty() {
            return Err(input.error(
                "unexpected tokens after the body: write `-> Item { body }` with nothing after it",
            ));
        }
        return Ok((Some(ty), stmts));
    }
    Ok((None, block_contents(input)))
}

/// The statements, or what `tolerant` makes of them when they do not all parse.
fn block_contents(input: ParseStream<'_>) -> Vec<Stmt> {
    let fork = input.fork();
    match fork.call(Block::parse_within) {
        Ok(stmts) => {
            input.advance_to(&fork);
            stmts
        }
        Err(_) => tolerant::stmts(input),
    }
}

/// `yield expr` -> `::asyncgen::yield_!(expr)`, and `for await pat in s` ->
/// `#[::asyncgen::for_await] for pat in s` (before its label, if any), at every depth but
/// inside `stringify!`-like macros, whose tokens are text.
fn desugar(tokens: TokenStream, krate: &Krate) -> TokenStream {
    let input: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        work::read(1);
        match &input[i] {
            TokenTree::Ident(ident) if ident == "yield" => {
                // A value ends by its statement's `;`: only that far is read (a block of many
                // `yield`s stays linear).
                let stmt_end = input[i + 1..]
                    .iter()
                    .position(|t| is_punct(t, ';'))
                    .map_or(input.len(), |offset| i + 1 + offset);
                work::read(stmt_end - i);
                let (value, rest, end) = match parsed_value_len(&input[i + 1..stmt_end]) {
                    Some(len) => {
                        let value = input[i + 1..i + 1 + len].iter().cloned().collect();
                        (desugar(value, krate), TokenStream::new(), i + 1 + len)
                    }
                    // Not an expression yet: the value may hold a `for await` (in an `async`
                    // block). Its statement is desugared first, then measured.
                    None => {
                        let stmt: Vec<TokenTree> =
                            desugar(input[i + 1..stmt_end].iter().cloned().collect(), krate)
                                .into_iter()
                                .collect();
                        let len = yield_value_len(&stmt);
                        let value = stmt[..len].iter().cloned().collect();
                        (value, stmt[len..].iter().cloned().collect(), stmt_end)
                    }
                };
                out.extend(krate.item(ident.span(), "yield_"));
                out.push(TokenTree::Punct(Punct::new('!', Spacing::Alone)));
                out.push(group(Delimiter::Parenthesis, value, ident.span()));
                out.extend(rest);
                i = end;
            }
            TokenTree::Ident(ident)
                if ident == "for"
                    && matches!(input.get(i + 1), Some(TokenTree::Ident(a)) if a == "await") =>
            {
                for_await::mark(&mut out, &input[i], krate);
                out.push(input[i].clone());
                i += 2;
            }
            TokenTree::Ident(ident)
                if is_skipped_macro(&ident.to_string())
                    && matches!(input.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!') =>
            {
                out.extend(input[i..(i + 3).min(input.len())].iter().cloned());
                i += 3;
            }
            TokenTree::Group(inner) => {
                out.push(group(
                    inner.delimiter(),
                    desugar(inner.stream(), krate),
                    inner.span(),
                ));
                i += 1;
            }
            other => {
                out.push(other.clone());
                i += 1;
            }
        }
    }
    out.into_iter().collect()
}

/// How many of `tokens` (what follows a `yield`) are its value: one expression, as `syn`
/// parses it, so `yield Ok::<u8, E>(1);` keeps its comma. Where the tokens do not parse yet,
/// the value runs to the next `;` or `,`.
fn yield_value_len(tokens: &[TokenTree]) -> usize {
    work::read(tokens.len());
    parsed_value_len(tokens)
        .unwrap_or_else(|| tokens.iter().position(ends_value).unwrap_or(tokens.len()))
}

/// How many of `tokens` are one expression as `syn` parses it: 0 for none (`yield;`), `None`
/// where they do not parse.
fn parsed_value_len(tokens: &[TokenTree]) -> Option<usize> {
    if tokens.first().is_none_or(ends_value) {
        return Some(0);
    }
    work::read(tokens.len());
    let stream: TokenStream = tokens.iter().cloned().collect();
    let rest = (|input: ParseStream<'_>| {
        input.parse::<Expr>()?;
        input.parse::<TokenStream>()
    })
    .parse2(stream)
    .ok()?;
    Some(tokens.len() - rest.into_iter().count())
}

/// `;` or `,`: where a value that does not parse is taken to end.
fn ends_value(token: &TokenTree) -> bool {
    is_punct(token, ';') || is_punct(token, ',')
}

fn group(delimiter: Delimiter, stream: TokenStream, span: Span) -> TokenTree {
    let mut group = Group::new(delimiter, stream);
    group.set_span(span);
    TokenTree::Group(group)
}
