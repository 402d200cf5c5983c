//! The inputs the fuzz test starts from: a small random grammar of the items and bodies the
//! macros take, as source text, with the constructs users write (and misuse) most.
//!
//! The text is always valid Rust syntax (the driver checks that `syn` parses it), so the
//! expansion of a generated input must parse. The grammar also knows which of its constructs
//! the macro rejects where they are written (a `yield_!` in a closure, `.await` in a sync
//! generator, ..): an input with none of them must expand without an error. It errs on the
//! side of "may be rejected" (a `yield_!` in a nested fn, which the macro leaves to rustc,
//! counts), since only an input the grammar calls acceptable is checked for that.

use fastrand::Rng;

use crate::tests::Entry;

/// A generated input, as source text.
pub(super) struct Generated {
    /// The attribute's arguments (ignored by `stream!` and `iter!`).
    pub(super) args: String,
    /// The item, or the body of `stream!` / `iter!`.
    pub(super) input: String,
    /// Nothing in it is a mistake the macro reports: its output must then carry no error.
    pub(super) acceptable: bool,
}

pub(super) fn generate(rng: &mut Rng, entry: Entry) -> Generated {
    let mut grammar = Grammar {
        rng,
        entry,
        acceptable: true,
        depth: 0,
    };
    let args = grammar.args();
    let input = grammar.input();
    Generated {
        args,
        input,
        acceptable: grammar.acceptable,
    }
}

/// Past this nesting only atoms and simple statements are made, so inputs stay small.
const MAX_DEPTH: usize = 3;

/// Where the text being generated goes: what the macro allows there.
#[derive(Clone, Copy)]
struct Place {
    /// Directly in the generator's own body, where a yield suspends the generator: not in a
    /// closure, an `async` block or a nested item.
    in_body: bool,
    /// Whether `.await`, and so a `#[for_await]` loop, is allowed here.
    is_async: bool,
}

impl Place {
    /// Inside a closure, an `async` block (`is_async`) or a nested fn: no longer the body.
    fn nested(is_async: bool) -> Place {
        Place {
            in_body: false,
            is_async,
        }
    }
}

struct Grammar<'r> {
    rng: &'r mut Rng,
    entry: Entry,
    /// Cleared by the first construct the macro may reject where it is written.
    acceptable: bool,
    depth: usize,
}

/// Choosing, nesting and the macro's rules.
impl Grammar<'_> {
    fn pick(&mut self, options: &[&str]) -> String {
        options[self.rng.usize(..options.len())].to_owned()
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.rng.usize(..n) == 0
    }

    fn is_deep(&self) -> bool {
        self.depth >= MAX_DEPTH
    }

    /// Runs `make` one level deeper.
    fn nested(&mut self, make: impl FnOnce(&mut Self) -> String) -> String {
        self.depth += 1;
        let text = make(self);
        self.depth -= 1;
        text
    }

    /// `count` statements (or expressions, ..) made by `make`, joined by `separator`.
    fn repeat(
        &mut self,
        count: usize,
        separator: &str,
        mut make: impl FnMut(&mut Self) -> String,
    ) -> String {
        (0..count)
            .map(|_| make(self))
            .collect::<Vec<_>>()
            .join(separator)
    }

    fn reject(&mut self) {
        self.acceptable = false;
    }

    /// `#[async_gen]`, `#[generator]`, `stream!` and `iter!` have a generator body;
    /// `#[for_await]` only lowers loops.
    fn is_generator(&self) -> bool {
        self.entry != Entry::ForAwait
    }

    fn is_sync_generator(&self) -> bool {
        matches!(self.entry, Entry::Generator | Entry::Iter)
    }

    /// A yield can only suspend the generator from its own body.
    fn yield_at(&mut self, place: Place) {
        if self.is_generator() && !place.in_body {
            self.reject();
        }
    }

    /// A literal `yield`: in the attributes, built by a stable compiler, the macro says to
    /// write `yield_!(x)` instead.
    fn keyword_yield_at(&mut self, place: Place) {
        self.yield_at(place);
        if cfg!(asyncgen_stable_compiler)
            && matches!(self.entry, Entry::AsyncGen | Entry::Generator)
        {
            self.reject();
        }
    }

    fn await_at(&mut self, place: Place) {
        if !place.is_async {
            self.reject();
        }
    }

    /// A `#[for_await]` loop awaits: async code only, and never a sync generator's body.
    fn for_await_at(&mut self, place: Place) {
        if !place.is_async || (self.is_sync_generator() && place.in_body) {
            self.reject();
        }
    }

    /// A generator cannot return a value (closures and nested fns can).
    fn return_value_at(&mut self, place: Place) {
        if self.is_generator() && place.in_body {
            self.reject();
        }
    }

    /// The body of a fn (`is_async`), or of `stream!` / `iter!`.
    fn body_place(&self, fn_is_async: bool) -> Place {
        match self.entry {
            Entry::AsyncGen | Entry::Stream => Place {
                in_body: true,
                is_async: true,
            },
            Entry::Generator | Entry::Iter => Place {
                in_body: true,
                is_async: false,
            },
            Entry::ForAwait => Place::nested(fn_is_async),
        }
    }
}

/// The attribute's arguments and the input.
impl Grammar<'_> {
    fn args(&mut self) -> String {
        let garbage = [
            "boxed, boxed",
            "boxed = true",
            "boxed(x)",
            "boxed, boxed_local",
            "unknown",
            "+ +",
            "\"boxed\"",
            "1",
            "boxed::x",
            "#",
            "boxed; boxed",
        ];
        match self.entry {
            Entry::AsyncGen | Entry::Generator => match self.rng.usize(..10) {
                0..=3 => String::new(),
                4 | 5 => "boxed".to_owned(),
                6 => "boxed_local".to_owned(),
                7 => "boxed,".to_owned(),
                _ => {
                    self.reject();
                    self.pick(&garbage)
                }
            },
            Entry::ForAwait => {
                if self.one_in(5) {
                    self.reject();
                    self.pick(&garbage)
                } else {
                    String::new()
                }
            }
            // Ignored by function-like macros.
            Entry::Stream | Entry::Iter => self.pick(&["", "boxed", "whatever ()"]),
        }
    }

    fn input(&mut self) -> String {
        let entry = self.entry;
        match entry {
            Entry::Stream | Entry::Iter => self.block_macro_input(),
            Entry::AsyncGen | Entry::Generator if self.one_in(8) => {
                self.reject(); // not a fn
                self.other_item()
            }
            Entry::ForAwait if self.one_in(3) => self.other_item(),
            Entry::AsyncGen | Entry::Generator | Entry::ForAwait => self.fn_item(),
        }
    }

    /// `stmts`, or `-> Item { stmts }`.
    fn block_macro_input(&mut self) -> String {
        let place = self.body_place(false);
        let body = self.block(place);
        if self.one_in(3) {
            let item = self.pick(&["u32", "Result<u32, E>", "&'static str", "_", "Vec<T>"]);
            format!("-> {item} {{ {body} }}")
        } else {
            body
        }
    }
}

/// Fns and other items.
impl Grammar<'_> {
    fn fn_item(&mut self) -> String {
        let is_async = self.fn_asyncness();
        let attrs = self.outer_attrs();
        let signature = self.signature(is_async);
        // A trait method without a body (the attribute accepts it, and it has no visibility).
        if self.one_in(10) {
            return format!("{attrs}{signature};");
        }
        let vis = self.pick(&["", "pub ", "pub(crate) "]);
        let inner_attrs = self.pick(&["", "", "", "#![allow(unused)] "]);
        let body = self.block(self.body_place(is_async));
        format!("{attrs}{vis}{signature} {{ {inner_attrs}{body} }}")
    }

    fn fn_asyncness(&mut self) -> bool {
        let usual = match self.entry {
            Entry::AsyncGen => true,
            Entry::Generator => false,
            _ => return self.rng.bool(),
        };
        if self.one_in(10) {
            self.reject();
            !usual
        } else {
            usual
        }
    }

    fn outer_attrs(&mut self) -> String {
        self.pick(&[
            "",
            "",
            "#[inline] ",
            "/// Docs.\n",
            "#[allow(unused)] #[must_use] ",
            "#[cfg(test)] ",
            "#[tracing::instrument(skip(self))] ",
        ])
    }

    /// `const async unsafe extern "C" fn name<G>(params) -> R where ..`, in parts.
    fn signature(&mut self, is_async: bool) -> String {
        let mut text = String::new();
        if self.one_in(20) {
            if self.is_generator() {
                self.reject();
            }
            text += "const ";
        }
        if is_async {
            text += "async ";
        }
        if self.one_in(20) {
            text += "unsafe ";
        }
        if self.one_in(30) {
            if self.is_generator() {
                self.reject();
            }
            text += "extern \"C\" ";
        }
        // Not `f`, which expressions call: an unboxed `#[async_gen]` fn that yields from a call
        // of itself is rejected (it would hold itself; tests/ui/boxed/recursion-unboxed.rs).
        let name = self.pick(&["numbers", "g", "r#type", "items"]);
        let generics = self.generics();
        let params = self.params();
        let output = self.return_type();
        let where_clause = self.where_clause();
        text + &format!("fn {name}{generics}({params}){output}{where_clause}")
    }

    fn generics(&mut self) -> String {
        self.pick(&[
            "",
            "",
            "<T>",
            "<'a>",
            "<'a, T: Clone + Send + 'a>",
            "<T: Into<u32>, const N: usize>",
            "<'a, 'b: 'a, T: ?Sized>",
            "<F: Fn(&str) -> u32>",
            "<S: Stream<Item = u32> + Unpin>",
        ])
    }

    fn where_clause(&mut self) -> String {
        self.pick(&[
            "",
            "",
            " where T: Send + 'static",
            " where for<'x> F: Fn(&'x str) -> &'x str",
            " where Self: Sized,",
            " where T: Iterator<Item = u32>, 'a: 'static",
        ])
    }

    fn params(&mut self) -> String {
        let receiver = self.pick(&[
            "",
            "",
            "",
            "self",
            "&self",
            "&mut self",
            "mut self",
            "&'a self",
            "self: Pin<&mut Self>",
            "self: Box<Self>",
        ]);
        let count = self.rng.usize(0..=3);
        let typed = self.repeat(count, ", ", Self::typed_param);
        match (receiver.is_empty(), typed.is_empty()) {
            (true, _) => typed,
            (false, true) => receiver,
            (false, false) => format!("{receiver}, {typed}"),
        }
    }

    fn typed_param(&mut self) -> String {
        let pat = self.pick(&[
            "x",
            "mut y",
            "_",
            "(a, b)",
            "Point { x, y }",
            "[first, ..]",
            "ref r",
            "ref mut m",
            "(ref mut a, _)",
            "ref mut r#in",
            "#[cfg(test)] z",
            "r#in",
        ]);
        let ty = self.ty();
        format!("{pat}: {ty}")
    }

    fn ty(&mut self) -> String {
        self.pick(&[
            "u32",
            "String",
            "Vec<u32>",
            "&str",
            "&'a str",
            "&mut T",
            "Option<T>",
            "(u32, bool)",
            "[u8; 4]",
            "Box<dyn Fn(u32) -> u32 + Send>",
            "impl Stream<Item = u32>",
            "impl IntoIterator<Item = &'a u32>",
            "<T as Iterator>::Item",
            "fn(u32) -> u32",
            "Pin<&mut S>",
        ])
    }

    fn return_type(&mut self) -> String {
        if self.one_in(10) {
            // What the macro makes, written by hand: the item type is expected instead.
            if self.is_generator() {
                self.reject();
            }
            return self.pick(&[
                " -> impl Stream<Item = u32>",
                " -> impl Iterator<Item = u32>",
                " -> impl futures::Stream<Item = Result<u32, E>> + Send",
            ]);
        }
        self.pick(&[
            "",
            "",
            " -> u32",
            " -> Result<u32, E>",
            " -> &'a str",
            " -> &str",
            " -> Option<T>",
            " -> (u32, String)",
            " -> impl Display",
            " -> Box<dyn Fn(u32) -> u32 + Send>",
            " -> Vec<&'a T>",
            " -> io::Result<()>",
            " -> Self::Item",
            " -> !",
        ])
    }

    /// An item the attributes do not take as a fn: fine for `#[for_await]`, which walks it.
    fn other_item(&mut self) -> String {
        match self.rng.usize(..7) {
            0 => "struct S { a: u32, b: Vec<u8> }".to_owned(),
            1 => "enum E { A, B(u32), C { x: u8 } }".to_owned(),
            2 => self.impl_block(),
            3 => self.trait_item(),
            4 => self.module(),
            5 => self.pick(&[
                "const C: u32 = 1;",
                "static S: u8 = 0;",
                "type A = u32;",
                "use std::fmt;",
                "struct T(u8);",
            ]),
            _ => format!(
                "#[derive(Debug)] {}",
                self.pick(&["struct U;", "union V { a: u8 }"])
            ),
        }
    }

    /// A method with a body: `async` or not, with or without a receiver.
    fn method(&mut self) -> String {
        let is_async = self.rng.bool();
        let asyncness = if is_async { "async " } else { "" };
        let vis = self.pick(&["", "pub "]);
        let params = self.params();
        let output = self.return_type_for_method();
        let body = self.block(Place::nested(is_async));
        format!("{vis}{asyncness}fn method({params}){output} {{ {body} }}")
    }

    /// Inside an impl or trait no attribute looks at the signature.
    fn return_type_for_method(&mut self) -> String {
        self.pick(&["", " -> u32", " -> impl Stream<Item = u32> + '_"])
    }

    fn impl_block(&mut self) -> String {
        let head = self.pick(&["impl S", "impl<T: Clone> Tr for S<T> where T: Send"]);
        let count = self.rng.usize(1..=3);
        let methods = self.repeat(count, " ", Self::method);
        format!("{head} {{ const K: u32 = 1; type X = u8; {methods} }}")
    }

    fn trait_item(&mut self) -> String {
        let method = self.method();
        format!(
            "trait Tr: Send {{ fn declared(&self) -> u32; async fn items(&self); \
             type Out; const N: usize; {method} }}"
        )
    }

    fn module(&mut self) -> String {
        let method = self.method();
        format!("mod m {{ use super::*; struct S; {method} }}")
    }
}

/// Statements.
impl Grammar<'_> {
    /// Statements, each ending with `;` or a block.
    fn stmts(&mut self, place: Place) -> String {
        let count = match self.depth {
            0 => self.rng.usize(1..=3),
            _ if self.is_deep() => self.rng.usize(0..=1),
            _ => self.rng.usize(0..=2),
        };
        self.repeat(count, " ", |this| this.stmt(place))
    }

    /// What a `{ .. }` holds: statements, maybe ending with a tail expression.
    fn block(&mut self, place: Place) -> String {
        let stmts = self.stmts(place);
        if self.one_in(4) {
            return format!("{stmts} {}", self.operand(place));
        }
        stmts
    }

    fn stmt(&mut self, place: Place) -> String {
        let stmt = if self.is_deep() {
            self.simple_stmt(place)
        } else {
            self.nested(|this| this.compound_stmt(place))
        };
        if stmt != ";" && self.one_in(12) {
            let attr = self.pick(&["#[allow(unused)]", "#[cfg(all())]", "#[rustfmt::skip]"]);
            // Attributes on expression statements need the nightly `stmt_expr_attributes`,
            // but parse: rustc reports them, not the macro.
            return format!("{attr} {stmt}");
        }
        stmt
    }

    fn simple_stmt(&mut self, place: Place) -> String {
        match self.rng.usize(..7) {
            0 => self.let_stmt(place),
            1 => self.yield_stmt(place),
            2 => format!("{}?;", self.operand(place)),
            3 => self.return_stmt(place),
            4 => {
                self.await_at(place);
                format!("{}.await;", self.operand(place))
            }
            5 => self.pick(&["const N: usize = 3;", "static S: u8 = 0;", "x += 1;", ";"]),
            _ => format!("{};", self.operand(place)),
        }
    }

    fn compound_stmt(&mut self, place: Place) -> String {
        match self.rng.usize(..20) {
            0 | 1 => self.simple_stmt(place),
            2 => self.keyword_yield_stmt(place),
            3 | 4 => self.for_await_stmt(place),
            5 => self.loop_stmt(place),
            6 => self.labeled_loop_stmt(place),
            7 => self.if_stmt(place),
            8 => format!("{};", self.match_expr(place)),
            9 => format!("let f = {};", self.closure()),
            10 => format!("let fut = {};", self.async_block()),
            11 => self.nested_fn(),
            12 | 13 => self.macro_stmt(place),
            14 => self.try_stmt(place),
            15 => self.misplaced_for_await(place),
            16 => format!("x = {};", self.expr(place)),
            _ => format!("{};", self.expr(place)),
        }
    }

    fn let_stmt(&mut self, place: Place) -> String {
        match self.rng.usize(..5) {
            0 => format!("let {} = {};", self.pattern(), self.expr(place)),
            1 => format!(
                "let {}: {} = {};",
                self.pattern(),
                self.ty(),
                self.expr(place)
            ),
            2 => format!("let Some(v) = {} else {{ return; }};", self.operand(place)),
            3 => "let x;".to_owned(),
            _ => format!("let mut x = {};", self.expr(place)),
        }
    }

    fn yield_stmt(&mut self, place: Place) -> String {
        self.yield_at(place);
        match self.rng.usize(..8) {
            0 => "yield_!();".to_owned(),
            1 => format!("yield_all!({});", self.expr(place)),
            2 => {
                self.reject(); // one expression only
                self.pick(&["yield_!(1, 2);", "yield_all!();", "yield_!(let x = 1);"])
            }
            _ => {
                let path = self.pick(&["", "", "asyncgen::", "::asyncgen::"]);
                format!("{path}yield_!({});", self.expr(place))
            }
        }
    }

    /// `yield x;`: the syntax of `stream!` and `iter!`, and nightly's in the attributes.
    fn keyword_yield_stmt(&mut self, place: Place) -> String {
        self.keyword_yield_at(place);
        if self.one_in(5) {
            return "yield;".to_owned();
        }
        format!("yield {};", self.expr(place))
    }

    fn try_stmt(&mut self, place: Place) -> String {
        let operand = self.operand(place);
        match self.rng.usize(..5) {
            0 => format!("let v = {operand}?;"),
            1 => format!("f({operand}?)?;"),
            2 => format!("{operand}?.method()?;"),
            3 => {
                self.await_at(place);
                format!("{operand}.await?;")
            }
            _ => format!("write!(out, \"{{}}\", {operand}?)?;"),
        }
    }

    fn return_stmt(&mut self, place: Place) -> String {
        if self.rng.bool() {
            return "return;".to_owned();
        }
        self.return_value_at(place);
        format!("return {};", self.expr(place))
    }

    /// `#[for_await] for ..` (or, in `stream!` and `iter!`, `for await ..`), maybe labeled.
    fn for_await_stmt(&mut self, place: Place) -> String {
        self.for_await_at(place);
        let pat = self.loop_pattern();
        let stream = self.cond(place);
        let body = self.block(place);
        let label = self.pick(&["", "", "'items: "]);
        let exit = if label.is_empty() {
            ""
        } else {
            "if done { break 'items; }"
        };
        let keyword_syntax = matches!(self.entry, Entry::Stream | Entry::Iter) && self.rng.bool();
        if keyword_syntax {
            return format!("{label}for await {pat} in {stream} {{ {exit} {body} }}");
        }
        let attr = self.pick(&["#[for_await]", "#[asyncgen::for_await]"]);
        format!("{attr} {label}for {pat} in {stream} {{ {exit} {body} }}")
    }

    /// `#[for_await]` on something else than a loop, or with arguments.
    fn misplaced_for_await(&mut self, place: Place) -> String {
        self.reject();
        match self.rng.usize(..3) {
            0 => format!("#[for_await] let v = {};", self.expr(place)),
            1 => format!("#[for_await(x)] for v in {} {{}}", self.cond(place)),
            _ => "#[for_await] println!(\"{}\", 1);".to_owned(),
        }
    }

    fn loop_stmt(&mut self, place: Place) -> String {
        let body = self.stmts(place);
        match self.rng.usize(..3) {
            0 => format!(
                "for {} in {} {{ {body} }}",
                self.loop_pattern(),
                self.cond(place)
            ),
            1 => format!("while {} {{ {body} }}", self.cond(place)),
            _ => format!("loop {{ {body} break; }}"),
        }
    }

    fn labeled_loop_stmt(&mut self, place: Place) -> String {
        let body = self.stmts(place);
        let inner = self.stmts(place);
        format!(
            "'outer: loop {{ 'inner: for v in {} {{ if v {{ continue 'outer; }} {inner} break 'inner; }} \
             {body} break 'outer; }}",
            self.cond(place)
        )
    }

    fn if_stmt(&mut self, place: Place) -> String {
        let then = self.block(place);
        let otherwise = self.block(place);
        match self.rng.usize(..3) {
            0 => format!("if {} {{ {then} }}", self.cond(place)),
            1 => format!(
                "if let Some(v) = {} {{ {then} }} else {{ {otherwise} }}",
                self.operand(place)
            ),
            _ => format!(
                "if {} {{ {then} }} else if {} {{ {otherwise} }}",
                self.cond(place),
                self.cond(place)
            ),
        }
    }

    /// A nested fn: its body is not the generator's.
    fn nested_fn(&mut self) -> String {
        let is_async = self.rng.bool();
        let body = self.stmts(Place::nested(is_async));
        if is_async {
            format!("async fn helper() {{ {body} }}")
        } else {
            format!("fn helper(v: u32) -> u32 {{ {body} v }}")
        }
    }

    fn macro_stmt(&mut self, place: Place) -> String {
        match self.rng.usize(..9) {
            0 => format!("println!(\"{{}} {{x}}\", {});", self.expr(place)),
            1 => format!("assert!({}, \"message {{}}\", 1);", self.cond(place)),
            2 => format!("assert_eq!({}, {});", self.expr(place), self.expr(place)),
            3 => format!(
                "futures::join!({}, {});",
                self.expr(place),
                self.expr(place)
            ),
            4 => self.select(place),
            5 => format!("let s = {};", self.nested_generator()),
            6 => format!(
                "my_dsl! {{ {} => @ {} }}",
                self.stmts(place),
                self.expr(place)
            ),
            7 => format!("let text = stringify!({});", self.expr(place)),
            _ => format!("let v = vec![{}; 3];", self.expr(place)),
        }
    }

    /// `tokio::select!`, whose arms are not expressions: the token walker's input.
    fn select(&mut self, place: Place) -> String {
        let first = self.operand(place);
        let body = self.block(place);
        let second = self.operand(place);
        let value = self.expr(place);
        let bias = self.pick(&["", "biased; "]);
        format!(
            "tokio::select! {{ {bias}v = {first} => {{ {body} }} Some(w) = {second} => {value}, \
             else => {{}} }}"
        )
    }
}

/// Expressions.
impl Grammar<'_> {
    /// Any expression, where a struct literal may stand (not a `for`/`if`/`match` head).
    fn expr(&mut self, place: Place) -> String {
        if self.is_deep() {
            return self.atom();
        }
        self.nested(|this| this.compound_expr(place))
    }

    fn compound_expr(&mut self, place: Place) -> String {
        match self.rng.usize(..16) {
            0..=3 => self.operand(place),
            4 => self.binary(place),
            5 => self.closure(),
            6 => self.async_block(),
            7 => format!("{{ {} }}", self.block(place)),
            8 => {
                let (then, otherwise) = (self.block(place), self.block(place));
                format!(
                    "if {} {{ {then} }} else {{ {otherwise} }}",
                    self.cond(place)
                )
            }
            9 => self.match_expr(place),
            10 => format!(
                "'blk: {{ {} break 'blk {}; }}",
                self.stmts(place),
                self.atom()
            ),
            11 => format!("{} as u64", self.operand(place)),
            12 => format!("S {{ a: {}, ..Default::default() }}", self.expr(place)),
            13 => format!("0..{}", self.operand(place)),
            14 => {
                self.keyword_yield_at(place);
                format!("(yield {})", self.operand(place))
            }
            _ => self.pick(&["loop { break 1; }", "const { 1 + 2 }", "unsafe { f() }"]),
        }
    }

    /// An expression a `for`, `while`, `if` or `match` can start with: no struct literal,
    /// nothing that ends in a block.
    fn cond(&mut self, place: Place) -> String {
        if self.one_in(3) {
            let (left, right) = (self.operand(place), self.operand(place));
            let op = self.pick(&["==", "<", "&&", "||", "!="]);
            return format!("{left} {op} {right}");
        }
        self.operand(place)
    }

    fn binary(&mut self, place: Place) -> String {
        let (left, right) = (self.operand(place), self.operand(place));
        let op = self.pick(&["+", "-", "*", "==", "<", "&&", "||", "&", "|", ">>", "%"]);
        format!("{left} {op} {right}")
    }

    /// Something a postfix (`.method()`, `?`, `.await`, `[i]`) or a binary operator can
    /// follow.
    fn operand(&mut self, place: Place) -> String {
        if self.is_deep() {
            return self.atom();
        }
        self.nested(|this| this.postfix_or_primary(place))
    }

    fn postfix_or_primary(&mut self, place: Place) -> String {
        match self.rng.usize(..16) {
            0..=3 => self.atom(),
            4 => format!("{}?", self.operand(place)),
            5 => {
                self.await_at(place);
                format!("{}.await", self.operand(place))
            }
            6 | 7 => self.method_chain(place),
            8 => format!("f({}, {})", self.expr(place), self.expr(place)),
            9 => format!("({})", self.expr(place)),
            10 => format!("({}, {})", self.expr(place), self.expr(place)),
            11 => format!("[{}, {}]", self.expr(place), self.expr(place)),
            12 => format!("{}[0].field.0", self.operand(place)),
            13 => {
                self.yield_at(place);
                format!("yield_!({})", self.expr(place))
            }
            14 => self.unary(place),
            _ => self.macro_expr(place),
        }
    }

    fn unary(&mut self, place: Place) -> String {
        let op = self.pick(&["!", "-", "&", "&mut ", "*"]);
        format!("{op}{}", self.operand(place))
    }

    fn method_chain(&mut self, place: Place) -> String {
        let receiver = self.operand(place);
        let count = self.rng.usize(1..=2);
        let methods = self.repeat(count, ".", |this| this.method_call(place));
        format!("{receiver}.{methods}")
    }

    fn method_call(&mut self, place: Place) -> String {
        match self.rng.usize(..10) {
            0 => format!("map({})", self.closure()),
            1 => format!("then(|| {})", self.atom()),
            2 => format!("get({})", self.expr(place)),
            _ => self.pick(&[
                "iter()",
                "collect::<Vec<_>>()",
                "parse::<u32>()",
                "len()",
                "clone()",
                "into_iter()",
                "filter_map(|v| v.ok())",
                "fold(0, |a, b| a + b)",
            ]),
        }
    }

    /// A sync or async closure, with an expression or a block body.
    fn closure(&mut self) -> String {
        let is_async = self.one_in(3);
        let place = Place::nested(is_async);
        let asyncness = if is_async { "async " } else { "" };
        let params = self.pick(&["|v|", "|v: u32|", "move |v|", "||", "move ||", "|(a, b)|"]);
        if self.one_in(3) {
            let body = self.block(place);
            let output = self.pick(&["", " -> Result<u32, E>"]);
            return format!("{asyncness}{params}{output} {{ {body} }}");
        }
        format!("{asyncness}{params} {}", self.expr(place))
    }

    fn async_block(&mut self) -> String {
        let body = self.block(Place::nested(true));
        let movability = self.pick(&["", "move "]);
        format!("async {movability}{{ {body} }}")
    }

    fn match_expr(&mut self, place: Place) -> String {
        let scrutinee = self.cond(place);
        let first = self.expr(place);
        let guard = self.cond(place);
        let block = self.block(place);
        format!(
            "match {scrutinee} {{ Some(v) => {first}, {} if {guard} => {{ {block} }} _ => {{}} }}",
            self.loop_pattern()
        )
    }

    /// Calls of other macros, which the macro looks into: their arguments are code.
    fn macro_expr(&mut self, place: Place) -> String {
        match self.rng.usize(..6) {
            0 => format!("vec![{}, {}]", self.expr(place), self.expr(place)),
            1 => format!("format!(\"{{}}\", {})", self.expr(place)),
            2 => format!("matches!({}, Some(_))", self.expr(place)),
            3 => format!("dbg!({})", self.expr(place)),
            4 => format!("futures::join!({})", self.expr(place)),
            // In parentheses: `stream! { .. }` at the start of a statement would end it.
            _ => format!("({})", self.nested_generator()),
        }
    }

    /// `stream!` / `iter!` in the body: a generator of its own, whose yields are not ours.
    fn nested_generator(&mut self) -> String {
        self.pick(&[
            "stream! { yield 1; }",
            "iter! { for i in 0..3 { yield i; } }",
            "stream!(-> u32 { yield 1; for await x in s { yield x; } })",
            "iter! { yield_!(2); }",
        ])
    }

    fn atom(&mut self) -> String {
        self.pick(&[
            "1",
            "2u32",
            "\"text\"",
            "'c'",
            "1.5",
            "true",
            "b\"bytes\"",
            "r\"raw\"",
            "0xFF",
            "x",
            "items",
            "self",
            "r#match",
            "None",
            "E::A",
            "Self::N",
            "f(x)",
            "Vec::<u32>::new()",
            "Ok::<u32, E>(1)",
            "iter::empty::<u32>()",
            "<u32 as Default>::default()",
            "std::mem::take::<Vec<u32>>(&mut v)",
        ])
    }

    /// What a `for` loop (or a match arm) may bind, which a `let` may not without
    /// parentheses: a top-level or-pattern.
    fn loop_pattern(&mut self) -> String {
        if self.one_in(6) {
            return self.pick(&["Ok(v) | Err(v)", "| x", "1 | 2"]);
        }
        self.pattern()
    }

    fn pattern(&mut self) -> String {
        self.pick(&[
            "x",
            "mut x",
            "_",
            "(a, b)",
            "Some(v)",
            "[a, b]",
            "S { a, .. }",
            "ref r",
            "1..=3",
            "a @ 1..=5",
        ])
    }
}
