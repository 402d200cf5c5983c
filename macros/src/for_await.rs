//! `#[for_await] for pat in stream { body }`: a loop over a stream's items, in generator bodies
//! and in any item that carries `#[for_await]` itself (on stable, rustc only lets an attribute
//! macro rewrite the statements of the item it is on).
//!
//! ```text
//! // Input:
//! #[for_await]
//! 'pages: for page in pages(client) { body }
//! // Output:
//! match ::core::pin::pin!(pages(client)) {
//!     mut __stream => 'pages: loop {
//!         let page = match ::asyncgen::__private::next(::core::pin::Pin::as_mut(&mut __stream)).await {
//!             ::core::option::Option::Some(__item) => __item,
//!             ::core::option::Option::None => break,
//!         };
//!         body
//!     },
//! }
//! ```
//! `break`, `continue` and labels keep their meaning; as with `for`, the stream expression's
//! temporaries live as long as the loop, and the stream is dropped when the loop ends.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ExprForLoop, Ident, Item, Meta, Pat, Stmt};

use quote::ToTokens;
use syn::parse::{ParseStream, Parser};

use crate::macro_tokens::{self, Found, MacroArgs, Nesting};
use crate::model::{Errors, Krate, is_for_await};
use crate::parse::CrateOption;

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
    // A `match` scrutinee, as in `for`'s own desugaring: the stream expression's temporaries
    // live as long as the loop (`for x in over(&String::new())`).
    let lowered = quote_spanned! {glue=>
        #(#attrs)*
        match ::core::pin::pin!(#expr) {
            mut #stream => #label loop {
                let #pat = match #private::next(
                    ::core::pin::Pin::as_mut(&mut #stream)
                ).await {
                    ::core::option::Option::Some(#item) => #item,
                    ::core::option::Option::None => break,
                };
                #body
            },
        }
    };
    match arguments_error {
        Some(error) => Expr::Verbatim(quote!({ #error #lowered })),
        None => Expr::Verbatim(lowered),
    }
}

/// `#[for_await]` on an item: lowers the `#[for_await]` loops in it.
pub(crate) fn expand_attribute(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let krate = match parse_arguments(args) {
        Ok(krate) => krate,
        Err(error) => {
            errors.push(error);
            Krate::asyncgen()
        }
    };
    if let Ok(for_loop) = syn::parse2::<ExprForLoop>(item.clone()) {
        return loop_without_fn_attribute(for_loop, &krate);
    }
    let mut parsed = match syn::parse2::<Item>(item.clone()) {
        Ok(parsed) => parsed,
        Err(error) => {
            errors.push(error);
            let errors = errors.into_compile_errors();
            return quote!(#errors #item);
        }
    };
    let mut walk = ItemWalk {
        is_async: false,
        errors: &mut errors,
        krate,
    };
    walk.visit_item_mut(&mut parsed);
    let errors = errors.into_compile_errors();
    quote!(#parsed #errors)
}

/// `#[for_await]` on a loop that no attribute of the fn around it lowered: on stable, rustc
/// runs the attribute on the loop itself (after its own errors about attributes on
/// expressions). Says where the attribute belongs; the loop is lowered all the same, so no
/// error about a `Stream` not being an `Iterator` follows.
fn loop_without_fn_attribute(mut for_loop: ExprForLoop, krate: &Krate) -> TokenStream {
    let error = syn::Error::new(
        for_loop.for_token.span,
        "a `#[for_await]` loop needs an attribute on the fn around it, which lowers the loop: \
         `#[for_await]` on a plain `async fn` (or `#[async_gen]` / `#[generator]` on a \
         generator)",
    )
    .to_compile_error();
    let mut errors = Errors::default();
    let mut walk = ItemWalk {
        is_async: true,
        errors: &mut errors,
        krate: krate.clone(),
    };
    walk.visit_expr_for_loop_mut(&mut for_loop);
    let attr: Attribute = syn::parse_quote!(#[for_await]);
    let lowered = lower_loop(&attr, for_loop, krate);
    let errors = errors.into_compile_errors();
    quote!({ #error #errors #lowered })
}

/// The item attribute's arguments: nothing, or `crate = path`.
fn parse_arguments(args: TokenStream) -> syn::Result<Krate> {
    if args.is_empty() {
        return Ok(Krate::asyncgen());
    }
    let parser = |input: ParseStream<'_>| {
        if !CrateOption::peek(input) {
            return Err(input.error(
                "`#[for_await]` on an item takes no arguments but `crate = path` (where `asyncgen` is, \
                 if renamed)",
            ));
        }
        let option: CrateOption = input.parse()?;
        input.parse::<Option<syn::Token![,]>>()?;
        Ok(option.krate)
    };
    parser.parse2(args)
}

impl MacroArgs for ItemWalk<'_> {
    fn wanted(&self, tokens: &TokenStream) -> bool {
        mentions_for_await(tokens)
    }

    fn krate(&self) -> &Krate {
        &self.krate
    }

    fn visit_arg(&mut self, arg: &mut Expr) {
        self.visit_expr_mut(arg);
    }

    fn lower(&mut self, found: Found) -> Option<TokenStream> {
        let Found::ForAwait {
            attr,
            for_loop,
            nesting,
        } = found
        else {
            return None;
        };
        let for_loop = syn::parse2::<ExprForLoop>(for_loop).ok()?;
        let is_async = match nesting {
            Nesting::Direct => self.is_async,
            Nesting::Closure => false,
            Nesting::AsyncClosure | Nesting::AsyncBlock => true,
        };
        let mut expr = Expr::ForLoop(for_loop);
        if let Some(attrs) = attrs_mut(&mut expr) {
            attrs.insert(0, *attr);
        }
        self.within(is_async, |this| this.visit_expr_mut(&mut expr));
        Some(expr.into_token_stream())
    }
}

/// Walks an item tracking whether `.await` is allowed, lowering `#[for_await]` loops.
struct ItemWalk<'a> {
    is_async: bool,
    errors: &'a mut Errors,
    krate: Krate,
}

impl ItemWalk<'_> {
    fn within(&mut self, is_async: bool, walk: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.is_async, is_async);
        walk(self);
        self.is_async = outer;
    }
}

impl VisitMut for ItemWalk<'_> {
    /// Loops in other macros' arguments (`join!(async { #[for_await] for .. })`).
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        macro_tokens::rewrite_macro_args(self, mac);
    }

    fn visit_item_fn_mut(&mut self, func: &mut syn::ItemFn) {
        let is_async = func.sig.asyncness.is_some();
        self.within(is_async, |this| visit_mut::visit_item_fn_mut(this, func));
    }

    fn visit_impl_item_fn_mut(&mut self, func: &mut syn::ImplItemFn) {
        let is_async = func.sig.asyncness.is_some();
        self.within(is_async, |this| {
            visit_mut::visit_impl_item_fn_mut(this, func)
        });
    }

    fn visit_trait_item_fn_mut(&mut self, func: &mut syn::TraitItemFn) {
        let is_async = func.sig.asyncness.is_some();
        self.within(is_async, |this| {
            visit_mut::visit_trait_item_fn_mut(this, func)
        });
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Some(error) = misplaced_on_stmt(stmt, &self.krate) {
            self.errors.push(error);
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match take(expr, &self.krate) {
            Taken::None => {}
            Taken::Misplaced(error) => self.errors.push(error),
            Taken::Loop(found) => {
                let (attr, mut for_loop) = *found;
                self.visit_expr_mut(&mut for_loop.expr);
                self.visit_block_mut(&mut for_loop.body);
                *expr = if self.is_async {
                    lower_loop(&attr, for_loop, &self.krate)
                } else {
                    // Only the error: the loop itself would add rustc's "not an iterator".
                    let error = syn::Error::new_spanned(
                        &attr,
                        "`#[for_await]` loops await, so they must be in async code: \
                         an `async fn`, an `async` block or an async closure",
                    );
                    Expr::Verbatim(error.to_compile_error())
                };
                return;
            }
        }
        match expr {
            Expr::Closure(closure) => {
                let is_async = closure.asyncness.is_some();
                self.within(is_async, |this| {
                    visit_mut::visit_expr_closure_mut(this, closure)
                });
            }
            Expr::Async(block) => {
                self.within(true, |this| visit_mut::visit_expr_async_mut(this, block));
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }
}

/// Whether `tokens` mention `for_await` at all.
fn mentions_for_await(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == "for_await",
        proc_macro2::TokenTree::Group(group) => mentions_for_await(&group.stream()),
        _ => false,
    })
}

/// The attributes of any expression that can carry them.
fn attrs_mut(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
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
