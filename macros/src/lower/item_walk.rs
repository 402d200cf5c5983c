//! The walk of the standalone `#[for_await]` attribute: the `#[for_await]` loops of the item it
//! is on (a plain `async fn`, an `impl`, a `mod`), lowered as in generator bodies (see
//! [`super::for_await`]) wherever `.await` is allowed, and reported elsewhere.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprForLoop, Item, Stmt};

use super::for_await::{Taken, attrs_mut, lower_loop, misplaced_on_stmt, take};
use super::macro_tokens::{self, Found, MacroArgs, Nesting};
use crate::model::{Errors, Krate};

/// Lowers the `#[for_await]` loops in `item`, whose top level is sync; problems go to `errors`.
pub(crate) fn item(item: &mut Item, krate: Krate, errors: &mut Errors) {
    let mut walk = ItemWalk {
        is_async: false,
        errors,
        krate,
    };
    walk.visit_item_mut(item);
}

/// Lowers the `#[for_await]` loops in the parts of `for_loop`, which is taken to be in async
/// code (the loop itself is left for the caller).
pub(crate) fn loop_parts(for_loop: &mut ExprForLoop, krate: Krate, errors: &mut Errors) {
    let mut walk = ItemWalk {
        is_async: true,
        errors,
        krate,
    };
    walk.visit_expr_for_loop_mut(for_loop);
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
        let for_loop = super::for_await::parse_loop(for_loop)?;
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
        // Tokens: a statement that did not parse (`parse::func` read the fn tolerantly).
        if let Expr::Verbatim(tokens) = expr {
            if macro_tokens::needs_rewrite(tokens) {
                let raw = std::mem::take(tokens);
                let krate = self.krate.clone();
                *tokens = macro_tokens::rewrite(raw, &krate, &mut |found| self.lower(found));
            }
            return;
        }
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
