//! `for await pat in stream { .. }` (Python's `async for`, the loop `stream!` takes) in the fn
//! of an attribute: rewritten into a `#[for_await]` loop (when `syn` cannot read the fn, as it
//! cannot read `for await`), so the body walk lowers it over any `Stream`, as it lowers the
//! same loop in `stream!`. Left as it is, rustc would lower it over nightly's `AsyncIterator`,
//! which a stream is not.
//!
//! ```text
//! // Input:
//! 'pages: for await page in pages(client) { body }
//! // Output:
//! #[::asyncgen::for_await] 'pages: for page in pages(client) { body }
//! ```
//!
//! On stable, rustc rejects the syntax where it parses the fn, before the attribute runs, and
//! its error knows nothing of `#[for_await]`: an error of ours beside it shows that form.

use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};
use quote::quote;

use crate::model::{
    Krate, code_text, is_group, is_punct, is_skipped_macro, loop_body_at, loop_in_at, work,
};

/// `item` (a fn, maybe) with the `for await` loops of its body, its last `{ .. }`, made
/// `#[for_await]` loops; `None` if there are none. With `stable_forms`, also the error that
/// shows the stable form, for each loop rustc parsed.
pub(crate) fn loops(
    item: &TokenStream,
    krate: &Krate,
    stable_forms: bool,
) -> Option<(TokenStream, Vec<syn::Error>)> {
    let mut tokens: Vec<TokenTree> = item.clone().into_iter().collect();
    let Some(TokenTree::Group(body)) = tokens.last_mut() else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace || !has_for_await(body.stream()) {
        return None;
    }
    let mut errors = Vec::new();
    let stream = desugar(body.stream(), krate, stable_forms.then_some(&mut errors));
    let mut desugared = Group::new(Delimiter::Brace, stream);
    desugared.set_span(body.span());
    *body = desugared;
    Some((tokens.into_iter().collect(), errors))
}

/// Whether `tokens` hold `for await` at any depth: most bodies do not, and are left as they
/// are.
fn has_for_await(tokens: TokenStream) -> bool {
    let mut after_for = false;
    tokens.into_iter().any(|tree| {
        work::read(1);
        let found = match &tree {
            TokenTree::Ident(ident) if after_for && ident == "await" => true,
            TokenTree::Group(group) => has_for_await(group.stream()),
            _ => false,
        };
        after_for = matches!(&tree, TokenTree::Ident(ident) if ident == "for");
        found
    })
}

/// `tokens` with their `for await` loops rewritten; `errors`, where rustc parsed the tokens
/// (not in a macro's arguments, which it leaves to the macro), collects the stable forms.
fn desugar(
    tokens: TokenStream,
    krate: &Krate,
    mut errors: Option<&mut Vec<syn::Error>>,
) -> TokenStream {
    let input: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        work::read(1);
        match &input[i] {
            TokenTree::Ident(ident)
                if ident == "for"
                    && matches!(input.get(i + 1), Some(TokenTree::Ident(a)) if a == "await") =>
            {
                if let Some(errors) = errors.as_deref_mut() {
                    errors.push(stable_form(&input[i], &input[i + 1], &input[i + 2..]));
                }
                mark(&mut out, &input[i], krate);
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
                let macro_arguments = i >= 2
                    && is_punct(&input[i - 1], '!')
                    && matches!(input[i - 2], TokenTree::Ident(_));
                let errors = if macro_arguments {
                    None
                } else {
                    errors.as_deref_mut()
                };
                let mut group =
                    Group::new(inner.delimiter(), desugar(inner.stream(), krate, errors));
                group.set_span(inner.span());
                out.push(TokenTree::Group(group));
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

/// Puts `#[for_await]` (at the `for` token) before the loop about to be pushed onto `out`,
/// and before its `'label:` if it has one.
pub(crate) fn mark(out: &mut Vec<TokenTree>, for_token: &TokenTree, krate: &Krate) {
    let span = for_token.span();
    let at = out.len() - label_len(out);
    let mut pound = Punct::new('#', Spacing::Alone);
    pound.set_span(span);
    let mut attr = Group::new(Delimiter::Bracket, krate.item(span, "for_await"));
    attr.set_span(span);
    out.splice(at..at, [TokenTree::Punct(pound), TokenTree::Group(attr)]);
}

/// The length of a `'label:` at the end of `out`, or 0.
fn label_len(out: &[TokenTree]) -> usize {
    match out {
        [
            ..,
            TokenTree::Punct(quote),
            TokenTree::Ident(_),
            TokenTree::Punct(colon),
        ] if quote.as_char() == '\'' && colon.as_char() == ':' => 3,
        _ => 0,
    }
}

/// The error at `for await`, for the loop whose tokens after it are `rest`: the same loop
/// with `#[for_await]`, which is what compiles on stable.
fn stable_form(for_token: &TokenTree, await_token: &TokenTree, rest: &[TokenTree]) -> syn::Error {
    // The pattern runs to the `in`; the stream to the body. A stream with a struct literal in
    // it (`Countdown { start: 3 }.iter()`) is shown in parentheses, which it needs.
    let in_at = loop_in_at(rest, 0);
    let form = match in_at {
        Some(in_at) => {
            let body_at = loop_body_at(rest, in_at + 1).unwrap_or(rest.len());
            work::read(body_at);
            let pat = code_text(rest[..in_at].iter().cloned().collect());
            let head = &rest[in_at + 1..body_at];
            let stream = code_text(head.iter().cloned().collect());
            if head.iter().any(|t| is_group(t, Delimiter::Brace)) {
                format!("#[for_await] for {pat} in ({stream})")
            } else {
                format!("#[for_await] for {pat} in {stream}")
            }
        }
        None => "#[for_await] for item in stream".to_owned(),
    };
    syn::Error::new_spanned(
        quote!(#for_token #await_token),
        format!("on stable Rust, write `{form}`"),
    )
}
