//! The expanded examples: each `tests/expand/NAME.rs` of the workspace, with this crate's
//! macros expanded, must equal the checked-in `tests/expand/NAME.expanded.rs`. A change to
//! what the macros generate fails here until the files are regenerated and read:
//!
//! ```text
//! EXPAND=overwrite cargo test -p asyncgen-macros expand
//! ```
//!
//! Only this crate's macros are expanded (`#[async_gen]`, `#[generator]`, `#[for_await]`,
//! `stream!`, `iter!`), through the functions rustc calls, so no `cargo expand` or nightly is
//! needed; `yield_!(@lowered ..)` and `yield_all!(@lowered ..)` are `macro_rules!` arms of
//! `asyncgen` and are left as they are. The comparison is of the code as `prettyplease` prints it
//! (so not of comments or formatting); the files are printed by `prettyplease`, then `rustfmt` when it is
//! installed, and `tests/it/expanded.rs` compiles and runs them next to their sources.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ImplItem, Item, Macro, Stmt, TraitItem};

use super::{Entry, call};

const REGENERATE: &str = "EXPAND=overwrite cargo test -p asyncgen-macros expand";

#[test]
fn expanded_examples_are_up_to_date() {
    let overwrite = std::env::var("EXPAND").is_ok_and(|value| value == "overwrite");
    let sources = sources();
    assert!(
        sources.len() >= 8,
        "expected the examples in {}",
        dir().display()
    );
    let mut stale = Vec::new();
    for source in &sources {
        let expanded = expand_file(&fs::read_to_string(source).unwrap());
        assert_no_allow(source, &expanded);
        let target = source.with_extension("expanded.rs");
        if overwrite {
            fs::write(&target, print(source, &expanded)).unwrap();
            continue;
        }
        let checked_in = fs::read_to_string(&target).unwrap_or_default();
        let same = normalized(&checked_in).is_some_and(|checked_in| {
            Some(checked_in) == normalized(&prettyplease::unparse(&expanded))
        });
        if !same {
            stale.push(format!(
                "tests/expand/{}",
                target.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "these expansions are missing or stale: {stale:?}\n\
         regenerate them with `{REGENERATE}`, then read the diff"
    );
    for entry in fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".expanded.rs") {
            let source = path.with_file_name(format!("{stem}.rs"));
            assert!(source.exists(), "{name} has no source {stem}.rs: delete it");
        }
    }
}

/// The expander itself expands what the examples need: a check that it is not a no-op.
#[test]
fn expand_file_expands_every_entry() {
    let expanded = expand_file(
        "#[async_gen] async fn a() -> u32 { yield_!(1); }
         #[generator] fn b() -> u32 { yield_!(1); }
         #[for_await] async fn c(s: S) { #[for_await] for x in s {} }
         impl T { #[asyncgen::async_gen] async fn d(&self) -> u32 { yield_!(1); } }
         trait U { #[async_gen(boxed)] async fn e(&self) -> u32; }
         fn f() { let _ = stream! { yield 1; }; let _ = iter! { yield 2; }; }",
    )
    .to_token_stream()
    .to_string();
    for leftover in [
        "async_gen]",
        "generator]",
        "for_await]",
        "stream !",
        "iter !",
    ] {
        assert!(
            !expanded.contains(leftover),
            "{leftover} left in {expanded}"
        );
    }
    assert!(expanded.matches("__yielder").count() >= 5, "{expanded}");
}

/// The expansions name `core`'s items through `::asyncgen::__private`, never as `::core::..`:
/// a crate may make `::core` another crate (`extern crate x as core;`, `tests/shadowed_core`).
#[test]
fn expansions_never_name_core_or_std() {
    let expanded = expand_file(
        "#[async_gen(send)] async fn a() -> Result<u32, E> { yield_!(Ok(f()?)); }
         #[generator] fn b() -> u32 { yield_all!(0..2); }
         #[for_await] async fn c(s: S) { #[for_await] for x in s {} }
         #[async_gen] async fn d(s: S) -> u32 { #[for_await] for x in s { yield_!(x); } }
         trait U {
             #[async_gen(boxed)] async fn e(&self) -> u32;
             #[async_gen(boxed_local)] async fn f(&self) -> u32 { yield_!(1); }
             #[generator(boxed)] fn g(&self) -> u32 { yield_!(1); }
         }
         fn h() { let _ = stream! { for await x in s { yield x; } }; let _ = iter! {}; }",
    )
    .to_token_stream()
    .to_string();
    for root in [":: core ::", ":: std ::", ":: alloc ::"] {
        assert!(!expanded.contains(root), "`{root}` in {expanded}");
    }
    assert!(
        expanded.contains(":: asyncgen :: __private :: Pin"),
        "{expanded}"
    );
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/expand")
}

/// The sources, `tests/expand/*.rs` but the expansions, sorted.
fn sources() -> Vec<PathBuf> {
    let mut sources: Vec<PathBuf> = fs::read_dir(dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".rs") && !name.ends_with(".expanded.rs")
        })
        .collect();
    sources.sort();
    sources
}

/// Generated code users would have to silence is a bug: the expansions carry no `#[allow]`.
fn assert_no_allow(source: &Path, expanded: &syn::File) {
    let text = expanded.to_token_stream().to_string();
    assert!(
        !text.contains("allow ("),
        "{} expands to an `#[allow(..)]`: {text}",
        source.display()
    );
}

fn expand_file(source: &str) -> syn::File {
    let mut file = syn::parse_file(source).expect("the example parses");
    Expander.visit_file_mut(&mut file);
    file
}

/// `text` printed by `prettyplease`: the same for an expansion and for its printed, then
/// `rustfmt`ed, file (which may differ in tokens: `prettyplease` adds braces and commas, and
/// comments are gone). `None` if it does not parse.
fn normalized(text: &str) -> Option<String> {
    syn::parse_file(text)
        .ok()
        .map(|file| prettyplease::unparse(&file))
}

/// The file as checked in: a header, then the expansion printed.
fn print(source: &Path, expanded: &syn::File) -> String {
    let name = source.file_name().unwrap().to_string_lossy();
    let printed = prettyplease::unparse(expanded);
    let printed = rustfmt(&printed).unwrap_or(printed);
    format!(
        "// `{name}` with asyncgen's macros expanded. Generated: do not edit; regenerate with\n\
         // `{REGENERATE}`.\n\n{printed}"
    )
}

/// `text` formatted by `rustfmt` (the style `cargo fmt --check` holds these files to), or
/// `None` when it is not installed.
fn rustfmt(text: &str) -> Option<String> {
    use std::io::Write;
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).ok())
        .flatten()
}

/// Expands this crate's macros wherever the examples use them, innermost last (an expansion is
/// walked again, as rustc would).
struct Expander;

impl VisitMut for Expander {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        file.items = expand_items(std::mem::take(&mut file.items));
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            *items = expand_items(std::mem::take(items));
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        block.items = expand_members(
            std::mem::take(&mut block.items),
            impl_item_attrs,
            |output| Ok(syn::parse2::<syn::ItemImpl>(quote::quote!(impl X { #output }))?.items),
        );
        visit_mut::visit_item_impl_mut(self, block);
    }

    fn visit_item_trait_mut(&mut self, block: &mut syn::ItemTrait) {
        block.items = expand_members(
            std::mem::take(&mut block.items),
            trait_item_attrs,
            |output| Ok(syn::parse2::<syn::ItemTrait>(quote::quote!(trait X { #output }))?.items),
        );
        visit_mut::visit_item_trait_mut(self, block);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let mut stmts = Vec::new();
        for stmt in std::mem::take(&mut block.stmts) {
            match stmt {
                Stmt::Item(item) => {
                    stmts.extend(expand_items(vec![item]).into_iter().map(Stmt::Item));
                }
                other => stmts.push(other),
            }
        }
        block.stmts = stmts;
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(mac) = expr {
            if let Some(entry) = function_like_entry(&mac.mac) {
                let output = call(entry, TokenStream::new(), mac.mac.tokens.clone());
                *expr =
                    syn::parse2(output.clone()).unwrap_or_else(|error| panic!("{error}: {output}"));
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(mac) = stmt {
            if function_like_entry(&mac.mac).is_some() {
                let expr = Expr::Macro(syn::ExprMacro {
                    attrs: std::mem::take(&mut mac.attrs),
                    mac: mac.mac.clone(),
                });
                *stmt = Stmt::Expr(expr, mac.semi_token);
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }
}

/// The first of this crate's attributes on an item, taken off, with its arguments.
fn take_attribute(attrs: &mut Vec<Attribute>) -> Option<(Entry, TokenStream)> {
    let index = attrs
        .iter()
        .position(|attr| attribute_entry(attr).is_some())?;
    let attr = attrs.remove(index);
    let entry = attribute_entry(&attr)?;
    let args = match attr.meta {
        syn::Meta::List(list) => list.tokens,
        _ => TokenStream::new(),
    };
    Some((entry, args))
}

/// `items` with this crate's attributes expanded, until none is left.
fn expand_items(items: Vec<Item>) -> Vec<Item> {
    expand_members(items, item_attrs, |output| {
        Ok(syn::parse2::<syn::File>(output)?.items)
    })
}

/// `members` (of a file, an `impl`, a trait) with this crate's attributes expanded, until none
/// is left (an expansion is expanded again, as rustc would); `parse` reads an expansion back
/// as members of the same kind.
fn expand_members<T: ToTokens>(
    members: Vec<T>,
    attrs_of: fn(&mut T) -> Option<&mut Vec<Attribute>>,
    parse: fn(TokenStream) -> syn::Result<Vec<T>>,
) -> Vec<T> {
    let mut done = Vec::new();
    let mut todo = members;
    todo.reverse();
    while let Some(mut member) = todo.pop() {
        let Some((entry, args)) = attrs_of(&mut member).and_then(take_attribute) else {
            done.push(member);
            continue;
        };
        let output = call(entry, args, member.into_token_stream());
        let mut expanded =
            parse(output.clone()).unwrap_or_else(|error| panic!("{error}: {output}"));
        expanded.reverse();
        todo.extend(expanded);
    }
    done
}

fn impl_item_attrs(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    match item {
        ImplItem::Fn(method) => Some(&mut method.attrs),
        _ => None,
    }
}

fn trait_item_attrs(item: &mut TraitItem) -> Option<&mut Vec<Attribute>> {
    match item {
        TraitItem::Fn(method) => Some(&mut method.attrs),
        _ => None,
    }
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    match item {
        Item::Fn(item) => Some(&mut item.attrs),
        Item::Const(item) => Some(&mut item.attrs),
        Item::Impl(item) => Some(&mut item.attrs),
        Item::Mod(item) => Some(&mut item.attrs),
        Item::Static(item) => Some(&mut item.attrs),
        Item::Trait(item) => Some(&mut item.attrs),
        _ => None,
    }
}

/// `#[async_gen(..)]`, `#[asyncgen::generator]`, `#[for_await]`, ..
fn attribute_entry(attr: &Attribute) -> Option<Entry> {
    let name = crate::model::Krate::asyncgen().item_name(attr.path())?;
    Entry::from_name(&name).filter(|entry| entry.is_attribute())
}

/// `stream! { .. }`, `asyncgen::iter!(..)`.
fn function_like_entry(mac: &Macro) -> Option<Entry> {
    let name = crate::model::Krate::asyncgen().item_name(&mac.path)?;
    Entry::from_name(&name).filter(|entry| !entry.is_attribute())
}
