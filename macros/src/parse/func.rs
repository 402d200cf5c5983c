//! The item an attribute is on, read as a fn: a free fn, a method, or a trait method with or
//! without a default body; and, when it is not one, what to say so.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Block, Item, ItemFn, Signature, TraitItemFn, Visibility, braced};

use super::{for_await, tolerant};
use crate::model::{Errors, GenFn, Krate, is_group};

/// `item` as a fn, if it is one whose signature parses: its body may not all parse (see
/// [`parse_tolerantly`]). Its `for await` loops are read as `#[for_await]` loops (see
/// [`for_await`](super::for_await)); with `stable_forms`, `errors` gets the error showing that
/// form for each.
pub(crate) fn func(
    item: &TokenStream,
    krate: &Krate,
    stable_forms: bool,
    errors: &mut Errors,
) -> Option<GenFn> {
    if let Some(func) = strictly(item) {
        return Some(func);
    }
    // `syn` does not read `for await`: only a body it cannot read may hold one.
    if let Some((desugared, forms)) = for_await::loops(item, krate, stable_forms) {
        let func = strictly(&desugared).or_else(|| parse_tolerantly(&desugared));
        if func.is_some() {
            for error in forms {
                errors.push(error);
            }
        }
        return func;
    }
    parse_tolerantly(item)
}

/// `item` as a fn whose whole body parses.
fn strictly(item: &TokenStream) -> Option<GenFn> {
    if let Ok(func) = syn::parse2::<ItemFn>(item.clone()) {
        return Some(GenFn {
            attrs: func.attrs,
            vis: func.vis,
            sig: func.sig,
            body: Some(*func.block),
        });
    }
    if let Ok(decl) = syn::parse2::<TraitItemFn>(item.clone()) {
        return Some(GenFn {
            attrs: decl.attrs,
            vis: Visibility::Inherited,
            sig: decl.sig,
            body: decl.default,
        });
    }
    None
}

/// A fn whose signature parses but whose body does not all parse: see [`tolerant`].
fn parse_tolerantly(item: &TokenStream) -> Option<GenFn> {
    let parser = |input: ParseStream<'_>| {
        let mut attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let content;
        let brace_token = braced!(content in input);
        attrs.extend(content.call(Attribute::parse_inner)?);
        let stmts = tolerant::stmts(&content);
        Ok(GenFn {
            attrs,
            vis,
            sig,
            body: Some(Block { brace_token, stmts }),
        })
    };
    parser.parse2(item.clone()).ok()
}

/// Whether `item` is a fn by its keyword (`fn` before the first `{` at its top level), though
/// it may not parse.
pub(crate) fn is_fn(item: &TokenStream) -> bool {
    item.clone()
        .into_iter()
        .take_while(|tree| !is_group(tree, Delimiter::Brace))
        .any(|tree| matches!(tree, TokenTree::Ident(ident) if ident == "fn"))
}

/// The keyword that says what the item is (`struct`, `impl`, ..), where "not a fn" is best shown.
pub(crate) fn item_keyword_span(item: &TokenStream) -> Span {
    match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Struct(i)) => i.struct_token.span,
        Ok(Item::Enum(i)) => i.enum_token.span,
        Ok(Item::Union(i)) => i.union_token.span,
        Ok(Item::Impl(i)) => i.impl_token.span,
        Ok(Item::Trait(i)) => i.trait_token.span,
        Ok(Item::Mod(i)) => i.mod_token.span,
        Ok(Item::Const(i)) => i.const_token.span,
        Ok(Item::Static(i)) => i.static_token.span,
        Ok(Item::Type(i)) => i.type_token.span,
        Ok(Item::Use(i)) => i.use_token.span,
        Ok(other) => other.span(),
        Err(_) => item.span(),
    }
}
