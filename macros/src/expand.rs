//! The pipeline: options -> signature check -> body lowering -> emit. Errors are collected
//! along the way and emitted next to the expanded fn, so the fn still exists for the rest of
//! the crate (and for rust-analyzer) while the user fixes them.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, Block, Item, ItemFn, Signature, TraitItemFn, Visibility};

use crate::error::Errors;
use crate::lower::Lowering;
use crate::{check, emit, options};

/// Which attribute is expanding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `#[async_gen]`: `async fn` -> `impl Stream`.
    Stream,
    /// `#[generator]`: `fn` -> `impl Iterator`.
    Iter,
}

impl Kind {
    pub(crate) fn attr(self) -> &'static str {
        match self {
            Kind::Stream => "async_gen",
            Kind::Iter => "generator",
        }
    }

    pub(crate) fn trait_name(self) -> &'static str {
        match self {
            Kind::Stream => "Stream",
            Kind::Iter => "Iterator",
        }
    }
}

/// A fn the attribute is on: a free fn, a method, or a trait method with or without a
/// default body.
pub(crate) struct GenFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    /// `None` for a trait method declared without a body.
    pub(crate) body: Option<Block>,
}

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
        let decl = syn::parse2::<TraitItemFn>(item.clone()).ok()?;
        Some(GenFn {
            attrs: decl.attrs,
            vis: Visibility::Inherited,
            sig: decl.sig,
            body: decl.default,
        })
    }
}

/// The attribute's whole expansion. Never panics: every problem becomes a `compile_error!`.
pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = options::parse(kind, args, &mut errors);
    let mut func = match GenFn::parse(&item) {
        Some(func) => func,
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
        Some(body) => Lowering::new(kind).body(body),
        None => Lowering::new(kind).stmts(&mut []),
    };
    for error in lowered.errors.drain(..) {
        errors.push(error);
    }
    let expanded = emit::generator_fn(kind, &options, func, &item_ty, &lowered);
    let errors = errors.into_compile_errors();
    quote!(#expanded #errors)
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
