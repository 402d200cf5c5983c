//! Whether the yielded values can be checked against the item type where they are written,
//! as `let value: Item = value;` (so a mismatch points at the value, with "expected due to
//! this" on the declared type).
//!
//! That `let` is inside the body, where the type's names are looked up from, not from the
//! signature. The two agree unless the body declares a name a type can refer to: a `use`
//! (`use std::io::*;` brings an `io::Result`), a `struct`, a `mod`, a `macro_rules!`, or a
//! macro that may expand to one of them. Then, and for a type that cannot be written in a
//! `let` (`impl Trait`, `_`), the check goes through the yield handle instead, which names no
//! type.

use syn::visit::{self, Visit};
use syn::{Item, Stmt, Type, TypeImplTrait};

/// The item type to write in the `let`s, or `None` for the check through the handle.
pub(crate) fn checkable(item_ty: Option<&Type>, stmts: &[Stmt]) -> Option<Type> {
    let ty = item_ty?;
    if contains_impl_trait(ty) || matches!(ty, Type::Infer(_)) {
        return None;
    }
    let mut finder = NameDeclarations(false);
    for stmt in stmts {
        finder.visit_stmt(stmt);
    }
    (!finder.0).then(|| ty.clone())
}

/// Finds what may declare a name in the type or macro namespace.
struct NameDeclarations(bool);

impl Visit<'_> for NameDeclarations {
    fn visit_item(&mut self, item: &Item) {
        // Fns, consts and statics are values: they cannot change what a type means.
        match item {
            Item::Fn(_) | Item::Const(_) | Item::Static(_) | Item::Impl(_) => {}
            _ => self.0 = true,
        }
    }

    fn visit_stmt(&mut self, stmt: &Stmt) {
        if let Stmt::Macro(mac) = stmt {
            let name = mac.mac.path.segments.last().map(|s| s.ident.to_string());
            if !name.as_deref().is_some_and(expands_to_no_item) {
                self.0 = true;
            }
        }
        visit::visit_stmt(self, stmt);
    }
}

/// Statement macros known to expand to an expression, not to items.
fn expands_to_no_item(name: &str) -> bool {
    matches!(
        name,
        "yield_"
            | "yield_all"
            | "print"
            | "println"
            | "eprint"
            | "eprintln"
            | "write"
            | "writeln"
            | "format"
            | "dbg"
            | "assert"
            | "assert_eq"
            | "assert_ne"
            | "debug_assert"
            | "debug_assert_eq"
            | "debug_assert_ne"
            | "panic"
            | "todo"
            | "unimplemented"
            | "unreachable"
            | "vec"
            | "matches"
            | "select"
            | "join"
            | "try_join"
            | "pin"
            | "pin_mut"
            | "trace"
            | "debug"
            | "info"
            | "warn"
            | "error"
    )
}

/// Whether `ty` holds an `impl Trait`, which a `let` cannot name (nor a turbofish: `emit`).
pub(crate) fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_type_impl_trait(&mut self, _: &TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type(ty);
    finder.0
}
