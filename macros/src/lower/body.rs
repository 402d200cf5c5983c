//! The body walk: every `yield_!(value)` (or nightly `yield value`), `yield_all!(source)`, `?`
//! and `#[for_await]` loop of the generator's own body is rewritten to use the hidden yielder;
//! misplaced ones become errors in place, and the walk goes on so one compile reports them all.
//!
//! ```text
//! // Input (body of `#[async_gen] async fn f() -> Result<u32, E>`):
//! for n in 0..3 { yield_!(Ok(check(n)?)); }
//! // Output:
//! for n in 0..3 {
//!     yield_!(@lowered __yielder: Result<u32, E>, Ok(('__question_mark1: {
//!         let __residual = match ::asyncgen::bounds::branch(check(n)) {
//!             ControlFlow::Continue(__value) => break '__question_mark1 __value,
//!             ControlFlow::Break(__residual) => __residual,
//!         };
//!         __yielder.suspend(FromResidual::from_residual(__residual)).await;
//!         return
//!     })));
//! }
//! // and `yield_!(@lowered __yielder: T, x)` expands to
//! // `{ let value: T = x; __yielder.suspend(value).await }` (`T` is left out where it cannot
//! // be written in the body: see `item_check`).
//! ```
//! `__yielder` is made with `Span::mixed_site()`: user code cannot name it. Going through the
//! user's own `yield_` path keeps their `use asyncgen::yield_` import used.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Ident, Item, Macro, Path, Stmt, Token, Type};

use super::cleanup::{self, Finally};
use super::for_await::{self, Taken};
use super::macro_tokens::{self, Found, MacroArgs, Nesting};
use crate::model::{Kind, Krate, OurMacro, code_text, is_finally, yielder_ident};

/// Where in the body the walk is: only `Body` can suspend the generator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Body,
    Closure,
    AsyncBlock,
    /// A `finally!` block: it may await, not yield.
    Cleanup,
}

/// What the walk found that the emitted fn needs.
pub(crate) struct Lowered {
    /// Whether the body uses the yielder: it is then bound `mut`.
    pub(crate) yields: bool,
    /// `#[for_await] const _: () = ();` for each imported `for_await` the body's loops used,
    /// so the user's `use asyncgen::for_await;` stays used once the loop attributes are gone.
    pub(crate) markers: Vec<TokenStream>,
    /// Problems found that have no expression of their own to replace.
    pub(crate) errors: Vec<syn::Error>,
    /// Whether the body has `finally!` blocks: its stream then closes by running them.
    pub(crate) cleanup: bool,
}

pub(crate) struct Lowering {
    kind: Kind,
    /// The declared item type, when it can be written in a `let` in the body (see
    /// [`super::item_check`]): each yielded value is checked against it there.
    item_ty: Option<Type>,
    /// Whether this is a `stream!` / `iter!` block (the messages then speak of those).
    block: bool,
    scope: Scope,
    /// Whether `.await` is allowed where the walk is.
    is_async: bool,
    /// Whether the walk is inside another macro's arguments, which may wrap what it holds in
    /// an `async` block the walk cannot see: a yield there finds its stream anywhere on the
    /// chain of polls (`Yielder::suspend_in_macro`).
    in_macro: bool,
    yielder: Ident,
    yields: bool,
    cleanup: bool,
    /// Whether a `yield_all!` passes a close on to its source: the body is then guarded.
    closes_children: bool,
    /// How many `?` were lowered so far.
    question_marks: usize,
    marked: BTreeSet<String>,
    markers: Vec<TokenStream>,
    errors: Vec<syn::Error>,
    krate: Krate,
    /// The name of an unboxed generator fn: a body that yields from a call to it (directly,
    /// in `yield_all!` or a `#[for_await]` loop) would hold itself.
    unboxed_fn: Option<Ident>,
}

impl Lowering {
    /// `item_ty`: the type to check yielded values against in place (see [`super::item_check`]).
    pub(crate) fn new(kind: Kind, item_ty: Option<Type>, krate: Krate) -> Self {
        Self {
            kind,
            item_ty,
            block: false,
            scope: Scope::Body,
            is_async: kind == Kind::Stream,
            in_macro: false,
            yielder: yielder_ident(),
            yields: false,
            cleanup: false,
            closes_children: false,
            question_marks: 0,
            marked: BTreeSet::new(),
            markers: Vec::new(),
            errors: Vec::new(),
            krate,
            unboxed_fn: None,
        }
    }

    /// For an unboxed generator fn named `name`: recursion in its body is reported with the fix
    /// (rustc's own E0733 does not know of `boxed`).
    pub(crate) fn unboxed_fn(mut self, name: Ident) -> Self {
        self.unboxed_fn = Some(name);
        self
    }

    /// The error for `source`, if it is a call of the unboxed generator fn itself, in the
    /// body's own code (where the call's stream is held by the body's state).
    fn recursion(&self, source: &Expr) -> Option<syn::Error> {
        let name = self.unboxed_fn.as_ref()?;
        if self.scope != Scope::Body || !calls(source, name) {
            return None;
        }
        Some(syn::Error::new_spanned(
            source,
            format!(
                "a generator that yields from itself must be boxed: write `#[{}(boxed)]` \
                 (or `boxed_local` where the stream is not `Send`) on it",
                self.kind.attr()
            ),
        ))
    }

    /// For a `stream!` / `iter!` block rather than an attribute's fn.
    pub(crate) fn in_block(mut self) -> Self {
        self.block = true;
        self
    }

    /// Where the user is, for messages: "a `#[generator]` fn", "`iter!`".
    fn generator_here(&self) -> String {
        match (self.block, self.kind) {
            (false, kind) => format!("a `#[{}]` fn", kind.attr()),
            (true, Kind::Stream) => "`stream!`".to_owned(),
            (true, Kind::Iter) => "`iter!`".to_owned(),
        }
    }

    /// How to get an async generator instead, for messages.
    fn async_instead(&self) -> &'static str {
        if self.block {
            "use `stream!`"
        } else {
            "use `#[async_gen]` on an `async fn`"
        }
    }

    /// Lowers `block` in place.
    pub(crate) fn body(self, block: &mut Block) -> Lowered {
        self.stmts(&mut block.stmts)
    }

    /// Lowers the statements of a generator body in place.
    pub(crate) fn stmts(mut self, stmts: &mut Vec<Stmt>) -> Lowered {
        let mut first = Vec::new();
        let mut finallies: Vec<Finally> = Vec::new();
        for mut stmt in std::mem::take(stmts) {
            match self.take_finally(&mut stmt) {
                Some(finally) => finallies.push(finally),
                None => match finallies.last_mut() {
                    Some(last) => last.after.push(stmt),
                    None => first.push(stmt),
                },
            }
        }
        *stmts = if finallies.is_empty() && !self.closes_children {
            first
        } else {
            self.cleanup = true;
            // With `finally!` blocks, the items first, outside the guards' blocks: an item is
            // visible in its whole block, before and after a `finally!` (items capture no
            // locals, so nothing else changes). `macro_rules!` definitions go with them, in
            // their order, so the items that use one still follow it. (Without `finally!`,
            // the body is one block: nothing to move.)
            let mut items = Vec::new();
            if !finallies.is_empty() {
                items = take_items(&mut first);
                for finally in &mut finallies {
                    items.extend(take_items(&mut finally.after));
                }
            }
            let nested = cleanup::nest(&first, &finallies, &self.yielder, &self.krate);
            items.push(Stmt::Expr(Expr::Verbatim(nested), None));
            items
        };
        self.finish()
    }

    fn finish(self) -> Lowered {
        Lowered {
            yields: self.yields,
            markers: self.markers,
            errors: self.errors,
            cleanup: self.cleanup,
        }
    }

    /// A top-level statement of the body: lowered in place, or taken when it is a
    /// `finally!` the body can have (its block then lowered as a cleanup).
    fn take_finally(&mut self, stmt: &mut Stmt) -> Option<Finally> {
        let mac = match &*stmt {
            Stmt::Macro(m) if m.attrs.is_empty() => Some(&m.mac),
            Stmt::Expr(Expr::Macro(m), _) if m.attrs.is_empty() => Some(&m.mac),
            _ => None,
        };
        let Some(mac) =
            mac.filter(|mac| self.kind == Kind::Stream && is_finally(&mac.path, &self.krate))
        else {
            self.visit_stmt_mut(stmt);
            return None;
        };
        let path = mac.path.clone();
        let mut cleanup = match cleanup::cleanup_stmts(mac) {
            Ok(cleanup) => cleanup,
            Err(error) => {
                let message = format!("`finally!` takes a block of statements: {error}");
                let error = misused(&quote!(#path), syn::Error::new(error.span(), message));
                *stmt = Stmt::Expr(error, Some(<Token![;]>::default()));
                return None;
            }
        };
        self.within(Scope::Cleanup, None, |this| {
            for stmt in &mut cleanup {
                this.visit_stmt_mut(stmt);
            }
        });
        Some(Finally {
            path,
            cleanup,
            after: Vec::new(),
        })
    }

    /// The expression a `yield_!`, `yield_all!` or `yield` at `span` becomes. `path` is the
    /// macro path the user wrote (so their import stays used), or `::asyncgen::yield_` for
    /// `yield`.
    fn lower_yield(
        &mut self,
        which: OurMacro,
        path: TokenStream,
        span: Span,
        value: Option<Expr>,
    ) -> Expr {
        let message = match self.scope {
            Scope::Body => {
                let yielder = &self.yielder;
                // A `yield_all!` written directly in an async body passes a close on to its
                // source (`generator::cleanup`): the body is then guarded.
                let closing = which == OurMacro::YieldAll
                    && self.kind == Kind::Stream
                    && !self.in_macro
                    && value.is_some();
                self.closes_children |= closing;
                let arm = match (which, self.kind) {
                    (OurMacro::YieldAll, Kind::Iter) => quote_spanned!(span=> @lowered_iter),
                    (OurMacro::YieldAll, Kind::Stream) if closing => {
                        quote_spanned!(span=> @lowered_closing)
                    }
                    _ => quote_spanned!(span=> @lowered),
                };
                let state = closing.then(|| {
                    let state = cleanup::state_ident();
                    quote_spanned!(span=> , #state)
                });
                // `yielder: Item` when the item type can be named (see `item_ty`).
                let handle = match &self.item_ty {
                    Some(ty) => quote_spanned!(span=> #yielder: #ty),
                    None => quote_spanned!(span=> #yielder),
                };
                let lowered = match (which, value) {
                    (OurMacro::YieldAll, None) => {
                        return misused(
                            &path,
                            syn::Error::new(
                                span,
                                "`yield_all!` takes the stream or iterator to yield the items of",
                            ),
                        );
                    }
                    (OurMacro::Yield, None) => quote_spanned!(span=> #path!(#arm #handle, ())),
                    (_, Some(v)) => quote_spanned!(span=> #path!(#arm #handle #state, #v)),
                };
                self.yields = true;
                if self.suspends_anywhere() {
                    // Inside another macro's arguments: the handle, shadowed, suspends
                    // anywhere on the chain of polls (`InMacro`).
                    let private = self.krate.private(Span::mixed_site().located_at(span));
                    return Expr::Verbatim(quote_spanned! {span=>
                        {
                            let mut #yielder = #private::InMacro(&mut #yielder);
                            #lowered
                        }
                    });
                }
                return Expr::Verbatim(lowered);
            }
            Scope::Closure => format!(
                "`{}` cannot be used inside a closure: a closure cannot suspend the generator around it",
                which.display()
            ),
            Scope::AsyncBlock => format!(
                "`{}` cannot be used inside a nested `async` block: that block is a separate \
                 future and cannot suspend the generator around it",
                which.display()
            ),
            Scope::Cleanup => format!(
                "`{}` cannot be used in `finally!`: the generator is ending, and its cleanup \
                 cannot hand out items (in Python, a yield there is a `RuntimeError`)",
                which.display()
            ),
        };
        // Through the user's path, so their import is not reported unused on top.
        Expr::Verbatim(quote_spanned!(span=> #path!(@error #message)))
    }

    /// Parses the arguments of a `yield_!(..)` / `yield_all!(..)` and lowers the call.
    fn lower_call(
        &mut self,
        which: OurMacro,
        path: TokenStream,
        span: Span,
        args: TokenStream,
    ) -> Expr {
        if args.is_empty() {
            return self.lower_yield(which, path, span, None);
        }
        let parsed = syn::parse2::<Expr>(args);
        if let (OurMacro::YieldAll, Ok(value)) = (which, &parsed) {
            if let Some(error) = self.recursion(value) {
                return misused(&path, error);
            }
        }
        match parsed {
            Ok(mut value) => {
                self.visit_expr_mut(&mut value);
                self.lower_yield(which, path, span, Some(value))
            }
            Err(error) => {
                let tuple = match which {
                    OurMacro::Yield => " (to yield a tuple, write `yield_!((a, b))`)",
                    OurMacro::YieldAll => "",
                };
                let message = format!("`{}` takes one expression{tuple}: {error}", which.display());
                misused(&path, syn::Error::new(error.span(), message))
            }
        }
    }

    /// `operand?` in the body: yield what `?` stopped on as the last item, then end.
    fn lower_try(&mut self, operand: TokenStream, question: Span) -> TokenStream {
        self.yields = true;
        let glue = Span::mixed_site().located_at(question);
        let yielder = &self.yielder;
        // Numbered: a `?` in the operand of another must not shadow its label.
        self.question_marks += 1;
        let label = syn::Lifetime::new(&format!("'__question_mark{}", self.question_marks), glue);
        let value = Ident::new("__value", glue);
        let residual = Ident::new("__residual", glue);
        // Public paths: a type error about `?` names these, and users see no `__private`.
        let ops = self.krate.item(glue, "bounds");
        // `core`'s `ControlFlow` through asyncgen: the calling crate may shadow `core`.
        let private = self.krate.private(glue);
        let suspend = if self.suspends_anywhere() {
            Ident::new("suspend_in_macro", glue)
        } else {
            Ident::new("suspend", glue)
        };
        // Only the residual is alive at the yield: the operand's temporaries (a `MutexGuard`)
        // end with the `let`, and the `Ok` value (maybe `!Send`) left by `break`.
        quote_spanned! {glue=>
            (#label: {
                let #residual = match #ops::branch(#operand) {
                    #private::ControlFlow::Continue(#value) => break #label #value,
                    #private::ControlFlow::Break(#residual) => #residual,
                };
                #yielder
                    .#suspend(#ops::FromResidual::from_residual(#residual))
                    .await;
                // A tail, not a statement: as `?`'s own diverging arm, it lets an unused value's
                // type fall back (`Err(e)?;` needs no annotation).
                return
            })
        }
    }

    fn lower_macro(&mut self, mac: &Macro) -> Option<Expr> {
        let which = our_macro(&mac.path, &self.krate)?;
        let path = &mac.path;
        Some(self.lower_call(which, quote!(#path), path.span(), mac.tokens.clone()))
    }

    /// Rewrites what is hidden in another macro's tokens: see
    /// [`macro_tokens::rewrite_macro_args`].
    fn rewrite_foreign_macro(&mut self, mac: &mut Macro) {
        let outer = std::mem::replace(&mut self.in_macro, true);
        macro_tokens::rewrite_macro_args(self, mac);
        self.in_macro = outer;
    }

    /// Whether a yield here must find its stream anywhere on the chain of polls: inside
    /// another macro's arguments of an async generator (a sync one cannot be polled inside
    /// another generator's poll: it awaits nothing but its yields).
    fn suspends_anywhere(&self) -> bool {
        self.in_macro && self.kind == Kind::Stream
    }

    /// A `#[for_await]` loop: its parts are lowered, then the loop becomes a `loop` over
    /// `next(..).await`.
    fn lower_for_await(&mut self, attr: &syn::Attribute, mut for_loop: syn::ExprForLoop) -> Expr {
        if let Some(error) = self.recursion(&for_loop.expr) {
            return loop_error(error);
        }
        self.visit_expr_mut(&mut for_loop.expr);
        self.visit_block_mut(&mut for_loop.body);
        if self.kind == Kind::Iter && self.scope == Scope::Body {
            return loop_error(syn::Error::new_spanned(
                attr,
                format!(
                    "`#[for_await]` cannot be used in {}, which is sync: {} to await a stream",
                    self.generator_here(),
                    self.async_instead(),
                ),
            ));
        }
        if !self.is_async {
            return loop_error(syn::Error::new_spanned(
                attr,
                "`#[for_await]` loops await, so they must be in async code: \
                 this closure is not async",
            ));
        }
        if let Some(marker) = for_await::import_marker(attr) {
            if self.marked.insert(marker.to_string()) {
                self.markers.push(marker);
            }
        }
        for_await::lower_loop(attr, for_loop, &self.krate)
    }

    fn within(&mut self, scope: Scope, is_async: Option<bool>, walk: impl FnOnce(&mut Self)) {
        self.within_value(scope, is_async, walk);
    }

    fn within_value<R>(
        &mut self,
        scope: Scope,
        is_async: Option<bool>,
        walk: impl FnOnce(&mut Self) -> R,
    ) -> R {
        // A scope nested in a closure or async block stays that, whatever the tokens say.
        let scope = if self.scope == Scope::Body {
            scope
        } else {
            self.scope
        };
        let outer = std::mem::replace(&mut self.scope, scope);
        let outer_async = self.is_async;
        self.is_async = is_async.unwrap_or(outer_async);
        let result = walk(self);
        self.scope = outer;
        self.is_async = outer_async;
        result
    }
}

impl MacroArgs for Lowering {
    fn wanted(&self, tokens: &TokenStream) -> bool {
        macro_tokens::needs_rewrite(tokens)
    }

    fn krate(&self) -> &Krate {
        &self.krate
    }

    fn visit_arg(&mut self, arg: &mut Expr) {
        self.visit_expr_mut(arg);
    }

    fn lower(&mut self, found: Found) -> Option<TokenStream> {
        let scope_of = |nesting| match nesting {
            Nesting::Direct => Scope::Body,
            Nesting::Closure | Nesting::AsyncClosure => Scope::Closure,
            Nesting::AsyncBlock => Scope::AsyncBlock,
        };
        let is_async = |nesting| match nesting {
            Nesting::Direct => None,
            Nesting::Closure => Some(false),
            Nesting::AsyncClosure | Nesting::AsyncBlock => Some(true),
        };
        match found {
            Found::Call(call) => {
                let scope = scope_of(call.nesting);
                let expr = self.within_value(scope, is_async(call.nesting), |this| {
                    this.lower_call(call.which, call.path, call.span, call.args)
                });
                Some(quote!(#expr))
            }
            Found::ForAwait {
                attr,
                for_loop,
                nesting,
            } => {
                let for_loop = super::for_await::parse_loop(for_loop)?;
                let expr = self.within_value(scope_of(nesting), is_async(nesting), |this| {
                    this.lower_for_await(&attr, for_loop)
                });
                Some(quote!(#expr))
            }
            Found::Try {
                operand,
                span,
                nesting,
            } => (nesting == Nesting::Direct && self.scope == Scope::Body)
                .then(|| self.lower_try(operand, span)),
        }
    }
}

impl VisitMut for Lowering {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match for_await::take(expr, &self.krate) {
            Taken::None => {}
            Taken::Loop(found) => {
                let (attr, for_loop) = *found;
                *expr = self.lower_for_await(&attr, for_loop);
                return;
            }
            // Reported apart: the expression (a `let` in an `if`, an operand) stays as it is.
            Taken::Misplaced(error) => {
                self.errors.push(error);
                self.visit_expr_mut(expr);
                return;
            }
        }
        match expr {
            Expr::Macro(m) => match self.lower_macro(&m.mac) {
                Some(lowered) => *expr = lowered,
                None => self.rewrite_foreign_macro(&mut m.mac),
            },
            Expr::Yield(y) => {
                // rustc gates the literal `yield` where it parses the fn, before the attribute
                // runs: lowered or not, it fails on stable, with an error that does not know
                // of `yield_!`. (In `stream!`, `iter!` and other macros' arguments, rustc never
                // parses it.)
                if cfg!(asyncgen_stable_compiler)
                    && !self.block
                    && !self.in_macro
                    && self.scope == Scope::Body
                {
                    self.errors.push(literal_yield_on_stable(y));
                }
                let span = y.yield_token.span;
                let value = y.expr.take().map(|mut value| {
                    self.visit_expr_mut(&mut value);
                    *value
                });
                let path = self.krate.item(span, "yield_");
                *expr = self.lower_yield(OurMacro::Yield, path, span, value);
            }
            Expr::Try(question) if self.scope == Scope::Cleanup => {
                *expr = error_expr(syn::Error::new_spanned(
                    question.question_token,
                    "`?` cannot be used in `finally!`: it would yield the error, and the \
                     generator is ending; handle the error here (`if let Err(e) = ..`, \
                     `.ok()`, `let _ = ..`)",
                ));
            }
            Expr::Try(question) if self.scope == Scope::Body => {
                self.visit_expr_mut(&mut question.expr);
                let operand = &question.expr;
                let lowered = self.lower_try(quote!(#operand), question.question_token.span);
                *expr = Expr::Verbatim(lowered);
            }
            // Tokens: a statement that did not parse (see `tolerant`), or syntax `syn` keeps
            // as tokens.
            Expr::Verbatim(tokens) if macro_tokens::needs_rewrite(tokens) => {
                let raw = std::mem::take(tokens);
                let krate = self.krate.clone();
                *tokens =
                    macro_tokens::rewrite(raw, &krate, &mut |found| MacroArgs::lower(self, found));
            }
            Expr::Closure(closure) => {
                let is_async = closure.asyncness.is_some();
                self.within(Scope::Closure, Some(is_async), |this| {
                    visit_mut::visit_expr_closure_mut(this, closure);
                });
            }
            Expr::Async(block) => {
                self.within(Scope::AsyncBlock, Some(true), |this| {
                    visit_mut::visit_expr_async_mut(this, block);
                });
            }
            Expr::Return(ret)
                if matches!(self.scope, Scope::Body | Scope::Cleanup) && ret.expr.is_some() =>
            {
                *expr = error_expr(syn::Error::new_spanned(
                    &*ret,
                    format!(
                        "a generator cannot return a value: yield it with `{}`, then end with \
                         `return;`",
                        if self.block {
                            "yield value;"
                        } else {
                            "yield_!(value);"
                        },
                    ),
                ));
            }
            Expr::Await(awaited) if self.kind == Kind::Iter && self.scope == Scope::Body => {
                *expr = error_expr(syn::Error::new_spanned(
                    awaited.await_token,
                    format!(
                        "`.await` cannot be used in {}, which is sync: {} to await",
                        self.generator_here(),
                        self.async_instead(),
                    ),
                ));
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Some(error) = for_await::misplaced_on_stmt(stmt, &self.krate) {
            visit_mut::visit_stmt_mut(self, stmt);
            let error = error.to_compile_error();
            *stmt = Stmt::Expr(Expr::Verbatim(quote!(#error #stmt)), None);
            return;
        }
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

    // Nested items are not part of this generator: their `yield_!`s are reported as such, and
    // a nested `#[async_gen]` expands itself.
    fn visit_item_mut(&mut self, item: &mut Item) {
        NestedItem(&self.krate).visit_item_mut(item);
    }

    // `stream! { .. }` and `iter! { .. }` are generators of their own: what they yield is theirs.
    fn visit_macro_mut(&mut self, _: &mut Macro) {}
}

/// The items of `stmts`, `macro_rules!` definitions among them, taken out in their order.
/// (Not macro calls that may make items, such as `thread_local!`: a statement macro may as
/// well be an expression.)
fn take_items(stmts: &mut Vec<Stmt>) -> Vec<Stmt> {
    let (items, rest) = std::mem::take(stmts)
        .into_iter()
        .partition(|stmt| matches!(stmt, Stmt::Item(item) if !matches!(item, Item::Macro(m) if m.ident.is_none())));
    *stmts = rest;
    items
}

/// `yield value` in an attribute's fn on a stable compiler: the form that compiles there.
fn literal_yield_on_stable(y: &syn::ExprYield) -> syn::Error {
    let value = y
        .expr
        .as_deref()
        .map_or_else(String::new, |value| code_text(quote!(#value)));
    syn::Error::new_spanned(y, format!("on stable Rust, write `yield_!({value})`"))
}

/// A walk of an item nested in the body (a `fn`, `const`, `static`, `impl`): a `yield_!` or
/// `yield_all!` there cannot reach the generator, and is reported as that (rather than by the
/// fallback, which would say it is not in a generator body at all).
struct NestedItem<'a>(&'a Krate);

impl NestedItem<'_> {
    fn report(&self, mac: &Macro) -> Option<Expr> {
        let which = our_macro(&mac.path, self.0)?;
        let path = &mac.path;
        let message = format!(
            "`{}` cannot be used inside an item nested in the generator's body (a `fn`, `const`, \
             `static`, ..): that item is separate code and cannot suspend the generator",
            which.display()
        );
        Some(Expr::Verbatim(
            quote_spanned!(path.span()=> #path!(@error #message)),
        ))
    }
}

impl VisitMut for NestedItem<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(m) = expr {
            if let Some(reported) = self.report(&m.mac) {
                *expr = reported;
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            if let Some(reported) = self.report(&m.mac) {
                let semi = m.semi_token.unwrap_or_else(<Token![;]>::default);
                *stmt = Stmt::Expr(reported, Some(semi));
                return;
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, item: &mut Item) {
        if only_inert(item_attrs(item)) {
            visit_mut::visit_item_mut(self, item);
        }
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        if only_inert(&item.attrs) {
            visit_mut::visit_impl_item_fn_mut(self, item);
        }
    }

    fn visit_trait_item_fn_mut(&mut self, item: &mut syn::TraitItemFn) {
        if only_inert(&item.attrs) {
            visit_mut::visit_trait_item_fn_mut(self, item);
        }
    }

    // Another macro's tokens (`stream!` blocks among them) are left to it.
    fn visit_macro_mut(&mut self, _: &mut Macro) {}
}

/// Whether `attrs` are all built-in attributes that change no code. Any other may be a
/// generator attribute under another name (`use asyncgen::async_gen as agen;`), or a `cfg`
/// that removes the item: its `yield_!`s are then left to it.
fn only_inert(attrs: &[syn::Attribute]) -> bool {
    const INERT: [&str; 11] = [
        "doc",
        "allow",
        "warn",
        "deny",
        "forbid",
        "expect",
        "inline",
        "must_use",
        "cold",
        "track_caller",
        "deprecated",
    ];
    attrs.iter().all(|attr| {
        let path = attr.path();
        let first = path.segments.first().map(|s| s.ident.to_string());
        match first.as_deref() {
            Some("rustfmt" | "clippy" | "diagnostic") => path.segments.len() > 1,
            Some(name) => path.segments.len() == 1 && INERT.contains(&name),
            None => false,
        }
    })
}

fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Const(item) => &item.attrs,
        Item::Enum(item) => &item.attrs,
        Item::Fn(item) => &item.attrs,
        Item::Impl(item) => &item.attrs,
        Item::Mod(item) => &item.attrs,
        Item::Static(item) => &item.attrs,
        Item::Struct(item) => &item.attrs,
        Item::Trait(item) => &item.attrs,
        Item::Type(item) => &item.attrs,
        Item::Union(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

/// `yield_!` / `yield_all!`, `asyncgen::..`, `::asyncgen::..` or `krate::..` (`crate = krate`):
/// a macro of that name at another path (`crate::yield_!`) is the user's own.
fn our_macro(path: &Path, krate: &Krate) -> Option<OurMacro> {
    OurMacro::from_name(&krate.item_name(path)?)
}

/// A misused `yield_!` / `yield_all!`: the error, and the user's macro path still used (so the
/// error is not followed by an unused-import warning).
fn misused(path: &TokenStream, error: syn::Error) -> Expr {
    let error = error.to_compile_error();
    Expr::Verbatim(quote!(({ #path!(@used); #error })))
}

/// Whether `expr` calls the fn `name`: `name(..)`, `Self::name(..)` or `self.name(..)`.
fn calls(expr: &Expr, name: &Ident) -> bool {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => {
                let segments: Vec<&Ident> = path.path.segments.iter().map(|s| &s.ident).collect();
                match segments.as_slice() {
                    [only] => *only == name && path.path.leading_colon.is_none(),
                    [this, last] => *this == "Self" && *last == name,
                    _ => false,
                }
            }
            _ => false,
        },
        Expr::MethodCall(call) => {
            call.method == *name
                && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("self"))
        }
        Expr::Paren(inner) => calls(&inner.expr, name),
        Expr::Group(inner) => calls(&inner.expr, name),
        _ => false,
    }
}

/// An error in place of an expression. In parentheses: `compile_error! { .. }` alone would end
/// the statement where it starts one (`x.await + 1` would leave `+ 1` behind).
fn error_expr(error: syn::Error) -> Expr {
    let error = error.to_compile_error();
    Expr::Verbatim(quote!((#error)))
}

/// An error in place of a `for` loop: block-like as the loop was, so the statement after it
/// needs no `;` between them.
fn loop_error(error: syn::Error) -> Expr {
    Expr::Verbatim(error.to_compile_error())
}
