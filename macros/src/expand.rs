//! The pipeline: options -> signature check -> body lowering -> emit. Errors are collected
//! along the way and emitted next to the expanded fn, so the fn still exists for the rest of
//! the crate (and for rust-analyzer) while the user fixes them.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Item, ItemFn};

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

/// The attribute's whole expansion. Never panics: every problem becomes a `compile_error!`.
pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    options::parse(kind, args, &mut errors);
    let mut func = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(func) => func,
        Err(_) => {
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
    let yields = Lowering::new(kind).body(&mut func.block);
    let expanded = emit::generator_fn(kind, func, &item_ty, yields);
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
