//! The body walk: every `yield_!(value)` (or nightly `yield value`) of the generator's own body
//! becomes an await on the hidden yielder; misplaced ones become errors in place, and the walk
//! goes on so one compile reports them all.
//!
//! ```text
//! // Input (body of `#[async_gen] async fn f() -> u32`):
//! for n in 0..3 { yield_!(n * n); }
//! // Output:
//! for n in 0..3 { yield_!(@lowered __yielder, n * n); }
//! // which the `yield_!` macro_rules expands to:
//! for n in 0..3 { __yielder.yield_(n * n).await; }
//! ```
//! `__yielder` is made with `Span::mixed_site()`: user code cannot name it. Going through the
//! user's own `yield_` path keeps their `use asyncgen::yield_` import used.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Ident, Item, Macro, Stmt, Token};

use crate::expand::Kind;
use crate::macro_tokens::{self, Nesting, YieldCall};

/// Where in the body the walk is: only `Body` can suspend the generator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Body,
    Closure,
    AsyncBlock,
}

pub(crate) struct Lowering {
    kind: Kind,
    scope: Scope,
    yielder: Ident,
    /// Whether any yield was lowered: the handle is then bound `mut`.
    yields: bool,
}

impl Lowering {
    pub(crate) fn new(kind: Kind) -> Self {
        Self {
            kind,
            scope: Scope::Body,
            yielder: yielder_ident(),
            yields: false,
        }
    }

    /// Lowers `block` in place; returns whether it yields.
    pub(crate) fn body(mut self, block: &mut Block) -> bool {
        self.visit_block_mut(block);
        self.yields
    }

    /// The expression a `yield_!` or `yield` at `span` becomes. `path` is the `yield_` path
    /// the user wrote (so their import stays used), or `::asyncgen::yield_` for `yield`.
    fn lower_yield(&mut self, path: TokenStream, span: Span, value: Option<Expr>) -> Expr {
        let message = match self.scope {
            Scope::Body => {
                self.yields = true;
                let yielder = &self.yielder;
                let value = value.map_or_else(|| quote_spanned!(span=> ()), |v| quote!(#v));
                return Expr::Verbatim(quote_spanned!(span=> #path!(@lowered #yielder, #value)));
            }
            Scope::Closure => {
                "`yield_!` cannot be used inside a closure: a closure cannot suspend the generator around it"
            }
            Scope::AsyncBlock => {
                "`yield_!` cannot be used inside a nested `async` block: that block is a separate \
                 future and cannot suspend the generator around it"
            }
        };
        // Through the user's path, so their `yield_` import is not reported unused on top.
        Expr::Verbatim(quote_spanned!(span=> #path!(@error #message)))
    }

    /// Parses the arguments of a `yield_!(..)` and lowers the call.
    fn lower_yield_call(&mut self, path: TokenStream, span: Span, args: TokenStream) -> Expr {
        if args.is_empty() {
            return self.lower_yield(path, span, None);
        }
        match syn::parse2::<Expr>(args) {
            Ok(mut value) => {
                self.visit_expr_mut(&mut value);
                self.lower_yield(path, span, Some(value))
            }
            Err(error) => error_expr(syn::Error::new(
                error.span(),
                format!("`yield_!` takes one value to yield: {error}"),
            )),
        }
    }

    fn lower_macro(&mut self, mac: &Macro) -> Option<Expr> {
        is_yield_macro(mac).then(|| {
            let path = &mac.path;
            self.lower_yield_call(quote!(#path), path.span(), mac.tokens.clone())
        })
    }

    /// Rewrites `yield_!` calls hidden in another macro's tokens. Arguments that parse as a
    /// list of expressions (`assert!`, `println!`, `vec!`, most user macros) are walked like
    /// the body, so closures and `async` blocks in them are seen exactly; other syntax
    /// (`tokio::select!` arms) goes through the token walker.
    fn rewrite_foreign_macro(&mut self, mac: &mut Macro) {
        let verbatim = mac
            .path
            .segments
            .last()
            .is_some_and(|s| macro_tokens::is_verbatim_macro(&s.ident.to_string()));
        if verbatim || !macro_tokens::mentions_yield(&mac.tokens) {
            return;
        }
        let parsed = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone());
        if let Ok(mut exprs) = parsed {
            for expr in &mut exprs {
                self.visit_expr_mut(expr);
            }
            mac.tokens = exprs.into_token_stream();
            return;
        }
        let tokens = std::mem::take(&mut mac.tokens);
        mac.tokens = macro_tokens::rewrite(tokens, &mut |call: YieldCall| {
            let scope = match call.nesting {
                Nesting::Direct => self.scope,
                Nesting::Closure => Scope::Closure,
                Nesting::AsyncBlock => Scope::AsyncBlock,
            };
            let expr = self.within_value(scope, |this| {
                this.lower_yield_call(call.path, call.span, call.args)
            });
            quote!(#expr)
        });
    }

    fn within(&mut self, scope: Scope, walk: impl FnOnce(&mut Self)) {
        self.within_value(scope, walk);
    }

    fn within_value<R>(&mut self, scope: Scope, walk: impl FnOnce(&mut Self) -> R) -> R {
        // A scope nested in a closure or async block stays that, whatever the tokens say.
        let scope = if self.scope == Scope::Body {
            scope
        } else {
            self.scope
        };
        let outer = std::mem::replace(&mut self.scope, scope);
        let result = walk(self);
        self.scope = outer;
        result
    }
}

impl VisitMut for Lowering {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Macro(m) => match self.lower_macro(&m.mac) {
                Some(lowered) => *expr = lowered,
                None => self.rewrite_foreign_macro(&mut m.mac),
            },
            Expr::Yield(y) => {
                let span = y.yield_token.span;
                let value = y.expr.take().map(|mut value| {
                    self.visit_expr_mut(&mut value);
                    *value
                });
                *expr = self.lower_yield(quote_spanned!(span=> ::asyncgen::yield_), span, value);
            }
            Expr::Closure(closure) => {
                self.within(Scope::Closure, |this| {
                    visit_mut::visit_expr_closure_mut(this, closure);
                });
            }
            Expr::Async(block) => {
                self.within(Scope::AsyncBlock, |this| {
                    visit_mut::visit_expr_async_mut(this, block);
                });
            }
            Expr::Return(ret) if self.scope == Scope::Body && ret.expr.is_some() => {
                *expr = error_expr(syn::Error::new_spanned(
                    &*ret,
                    "a generator cannot return a value: yield it with `yield_!(value);`, \
                     then end with `return;`",
                ));
            }
            Expr::Await(awaited) if self.kind == Kind::Iter && self.scope == Scope::Body => {
                *expr = error_expr(syn::Error::new_spanned(
                    awaited.await_token,
                    "`.await` cannot be used in a `#[generator]` fn, which is sync: \
                     use `#[async_gen]` on an `async fn` to await",
                ));
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            match self.lower_macro(&m.mac) {
                Some(lowered) => {
                    // Keep the statement's attributes (`#[cfg(..)] yield_!(x);`).
                    let attrs = &m.attrs;
                    let lowered = Expr::Verbatim(quote!(#(#attrs)* #lowered));
                    let semi = m.semi_token.unwrap_or_else(<Token![;]>::default);
                    *stmt = Stmt::Expr(lowered, Some(semi));
                }
                None => self.rewrite_foreign_macro(&mut m.mac),
            }
            return;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    // Nested items are not part of this generator: a `yield_!` in a nested fn reaches the
    // fallback `macro_rules!` and reports itself, and a nested `#[async_gen]` expands itself.
    fn visit_item_mut(&mut self, _: &mut Item) {}
}

/// The hidden name of the body's `&mut Yielder<T>`.
pub(crate) fn yielder_ident() -> Ident {
    Ident::new("__yielder", Span::mixed_site())
}

/// `yield_!`, `asyncgen::yield_!` or `::asyncgen::yield_!`: a `yield_` macro of another path
/// (`crate::yield_!`) is the user's own.
fn is_yield_macro(mac: &Macro) -> bool {
    let segments: Vec<String> = mac
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segments.as_slice() {
        [name] => name == "yield_" && mac.path.leading_colon.is_none(),
        [krate, name] => krate == "asyncgen" && name == "yield_",
        _ => false,
    }
}

fn error_expr(error: syn::Error) -> Expr {
    Expr::Verbatim(error.to_compile_error())
}
