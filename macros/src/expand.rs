//! The pipeline: options -> signature check -> body lowering -> emit. Errors are collected
//! along the way and emitted next to the expanded fn, so the fn still exists for the rest of
//! the crate (and for rust-analyzer) while the user fixes them.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::quote;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Block, Item, ItemFn, Signature, TraitItemFn, Visibility, braced};

use crate::lower::Lowering;
use crate::model::{Errors, GenFn, Kind, is_group};
use crate::options::Boxing;
use crate::{check, emit, item_check, options, tolerant};

impl GenFn {
    fn parse(item: &TokenStream) -> Option<Self> {
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
        Self::parse_tolerantly(item)
    }

    /// A fn whose signature parses but whose body does not all parse: see [`tolerant`].
    fn parse_tolerantly(item: &TokenStream) -> Option<Self> {
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
}

/// The attribute's whole expansion. Never panics: every problem becomes a `compile_error!`.
pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = options::parse(kind, args, &mut errors);
    let mut func = match GenFn::parse(&item) {
        Some(func) => func,
        None if is_fn(&item) => {
            // A signature that does not parse: rustc has reported it; `syn`'s reading of it
            // says the same, in case `syn` is the one that does not know the syntax.
            if let Err(error) = syn::parse2::<ItemFn>(item.clone()) {
                errors.push(error);
            }
            let errors = errors.into_compile_errors();
            return quote!(#errors #item);
        }
        None => {
            errors.push(syn::Error::new(
                item_keyword_span(&item),
                format!(
                    "`#[{}]` can only be applied to {} with a body",
                    kind.attr(),
                    if kind == Kind::Stream {
                        "an `async fn`"
                    } else {
                        "a `fn`"
                    },
                ),
            ));
            let errors = errors.into_compile_errors();
            return quote!(#errors #item);
        }
    };
    let item_ty = check::signature(kind, &func.sig, &mut errors);
    let mut lowered = match &mut func.body {
        Some(body) => {
            let checked = item_check::checkable(Some(&item_ty), &body.stmts);
            let lowering = Lowering::new(kind, checked, options.krate.clone());
            // (A `#[generator]`'s state is boxed already: it may yield from itself.)
            let lowering = match (kind, options.boxing) {
                (Kind::Stream, Boxing::Unboxed) => lowering.unboxed_fn(func.sig.ident.clone()),
                _ => lowering,
            };
            lowering.body(body)
        }
        None => Lowering::new(kind, None, options.krate.clone()).stmts(&mut []),
    };
    for error in lowered.errors.drain(..) {
        errors.push(error);
    }
    let expanded = emit::generator_fn(kind, &options, func, &item_ty, &lowered);
    // First, as in the source: the options' errors come before the body's.
    let errors = errors.into_compile_errors();
    quote!(#errors #expanded)
}

/// Whether `item` is a fn by its keyword (`fn` before the first `{` at its top level), though
/// it may not parse.
fn is_fn(item: &TokenStream) -> bool {
    item.clone()
        .into_iter()
        .take_while(|tree| !is_group(tree, Delimiter::Brace))
        .any(|tree| matches!(tree, TokenTree::Ident(ident) if ident == "fn"))
}

/// The keyword that says what the item is (`struct`, `impl`, ..), where "not a fn" is best shown.
fn item_keyword_span(item: &TokenStream) -> Span {
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
