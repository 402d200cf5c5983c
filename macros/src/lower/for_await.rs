//! `#[for_await] for pat in stream { body }`: a loop over a stream's items, in generator bodies
//! and in any item that carries `#[for_await]` itself (on stable, rustc only lets an attribute
//! macro rewrite the statements of the item it is on).
//!
//! ```text
//! // Input:
//! #[for_await]
//! 'pages: for page in pages(client) { body }
//! // Output:
//! match ::asyncgen::__private::pin!(pages(client)) {
//!     mut __stream => 'pages: loop {
//!         let page = match ::asyncgen::__private::next(::asyncgen::__private::Pin::as_mut(&mut __stream)).await {
//!             ::asyncgen::__private::Option::Some(__item) => __item,
//!             ::asyncgen::__private::Option::None => break,
//!         };
//!         body's statements
//!     },
//! }
//! ```
//! (`core`'s `pin!`, `Pin` and `Option`, re-exported: `::core` may be another crate in the
//! user's.)
//! `break`, `continue` and labels keep their meaning; as with `for`, the stream expression's
//! temporaries live as long as the loop, and the stream is dropped when the loop ends.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprForLoop, Ident, Meta, Pat, Stmt};

use crate::model::{Krate, is_for_await, is_ident, loop_in_at};

/// What a `#[for_await]` on an expression asks for.
pub(crate) enum Taken {
    /// No `#[for_await]` here.
    None,
    /// A loop to lower, and its attribute, which was removed from it.
    Loop(Box<(Attribute, ExprForLoop)>),
    /// `#[for_await]` on something that is not a `for` loop; the attribute was removed.
    Misplaced(syn::Error),
}

/// Takes a `#[for_await]` off `expr`. For a loop, `expr` is left as a placeholder that the
/// caller replaces with the lowered loop.
pub(crate) fn take(expr: &mut Expr, krate: &Krate) -> Taken {
    let Some(attrs) = attrs_mut(expr) else {
        return Taken::None;
    };
    let Some(index) = attrs.iter().position(|attr| is_for_await(attr, krate)) else {
        return Taken::None;
    };
    let attr = attrs.remove(index);
    match std::mem::replace(expr, Expr::Verbatim(TokenStream::new())) {
        Expr::ForLoop(for_loop) => Taken::Loop(Box::new((attr, for_loop))),
        other => {
            *expr = other;
            Taken::Misplaced(misplaced(&attr))
        }
    }
}

/// `#[for_await]` on a `let` or a macro statement: takes it off and says where it goes.
pub(crate) fn misplaced_on_stmt(stmt: &mut Stmt, krate: &Krate) -> Option<syn::Error> {
    let attrs = match stmt {
        Stmt::Local(local) => &mut local.attrs,
        Stmt::Macro(mac) => &mut mac.attrs,
        Stmt::Item(_) | Stmt::Expr(..) => return None,
    };
    let index = attrs.iter().position(|attr| is_for_await(attr, krate))?;
    let attr = attrs.remove(index);
    Some(misplaced(&attr))
}

fn misplaced(attr: &Attribute) -> syn::Error {
    syn::Error::new_spanned(
        attr,
        "`#[for_await]` goes on a `for` loop: `#[for_await] for item in stream { .. }`",
    )
}

/// For a loop attribute written `#[for_await]` (through an import), an item that uses the
/// import the same way, `#[for_await] const _: () = ();`, which `#[for_await]` expands to itself.
/// Without it, removing the loop attributes would leave `use asyncgen::for_await;` unused.
pub(crate) fn import_marker(attr: &Attribute) -> Option<TokenStream> {
    let path = attr.path();
    let glue = Span::mixed_site().located_at(attr.pound_token.span);
    path.get_ident()
        .map(|_| quote_spanned!(glue=> #[#path] const _: () = ();))
}

/// The loop as a `loop` over `next(..).await`. Its parts must already be lowered. Arguments
/// given to the attribute are reported, and the loop lowered all the same (so no error about
/// a `Stream` not being an `Iterator` follows).
pub(crate) fn lower_loop(attr: &Attribute, for_loop: ExprForLoop, krate: &Krate) -> Expr {
    let arguments_error = (!matches!(attr.meta, Meta::Path(_))).then(|| {
        syn::Error::new_spanned(&attr.meta, "`#[for_await]` takes no arguments").to_compile_error()
    });
    let ExprForLoop {
        attrs,
        label,
        for_token,
        pat,
        expr,
        body,
        ..
    } = for_loop;
    let glue = Span::mixed_site().located_at(for_token.span);
    // `let` needs an or-pattern in parentheses (`for Ok(x) | Err(x) in s` is fine in `for`).
    let pat = match *pat {
        Pat::Or(or) => Box::new(Pat::Paren(syn::PatParen {
            attrs: Vec::new(),
            paren_token: syn::token::Paren(or.span()),
            pat: Box::new(Pat::Or(or)),
        })),
        pat => Box::new(pat),
    };
    let private = krate.private(glue);
    let stream = Ident::new("__stream", glue);
    let item = Ident::new("__item", glue);
    // The body's statements, not its block: as the tail of the `loop`'s block, the user's
    // braces around a lone expression (`{ if x % 2 == 1 { yield x * x; } }` on one line) drew
    // rustc's `unused_braces` at the user's code, with a fix that does not parse. The loop's
    // block is the same scope, and a tail expression must still be `()`, as in `for`.
    let body = &body.stmts;
    // A `match` scrutinee, as in `for`'s own desugaring: the stream expression's temporaries
    // live as long as the loop (`for x in over(&String::new())`).
    let lowered = quote_spanned! {glue=>
        #(#attrs)*
        match #private::pin!(#expr) {
            mut #stream => #label loop {
                let #pat = match #private::next(
                    #private::Pin::as_mut(&mut #stream)
                ).await {
                    #private::Option::Some(#item) => #item,
                    #private::Option::None => break,
                };
                #(#body)*
            },
        }
    };
    match arguments_error {
        Some(error) => Expr::Verbatim(quote!({ #error #lowered })),
        None => Expr::Verbatim(lowered),
    }
}

/// A `#[for_await]` loop found by the token walker (`for pat in expr { body }`, with its label).
/// Also a loop whose head is a bare struct literal (`for n in Countdown { start: 3 }.iter()
/// { .. }`), which rustc rejects, reporting it once and reading on as if it were in
/// parentheses: so does this, so that the mistake gives that one error and nothing about the
/// attribute (issue 35). `None` if it does not parse either way.
pub(super) fn parse_loop(tokens: TokenStream) -> Option<ExprForLoop> {
    if let Ok(for_loop) = syn::parse2::<ExprForLoop>(tokens.clone()) {
        return Some(for_loop);
    }
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let body = trees.pop()?;
    let for_at = trees.iter().position(|t| is_ident(t, "for"))?;
    let in_at = loop_in_at(&trees, for_at)?;
    let head: TokenStream = trees[in_at + 1..].iter().cloned().collect();
    let head = Group::new(Delimiter::Parenthesis, head);
    let mut for_loop: ExprForLoop = syn::parse2(
        trees[..=in_at]
            .iter()
            .cloned()
            .chain([TokenTree::Group(head), body])
            .collect(),
    )
    .ok()?;
    if let Expr::Paren(paren) = *for_loop.expr {
        for_loop.expr = paren.expr;
    }
    Some(for_loop)
}

/// The attributes of any expression that can carry them.
pub(super) fn attrs_mut(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
    macro_rules! variants {
        ($($variant:ident),*) => {
            match expr {
                $(Expr::$variant(e) => Some(&mut e.attrs),)*
                _ => None,
            }
        };
    }
    variants!(
        Array, Assign, Async, Await, Binary, Block, Break, Call, Cast, Closure, Const, Continue,
        Field, ForLoop, Group, If, Index, Infer, Let, Lit, Loop, Macro, Match, MethodCall, Paren,
        Path, Range, RawAddr, Reference, Repeat, Return, Struct, Try, TryBlock, Tuple, Unary,
        Unsafe, While, Yield
    )
}
