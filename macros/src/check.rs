//! Signature rules: what a generator fn may declare, and its item type. What is decided here
//! is returned ([`Checked`]) for `emit`, which does not decide it again.

use syn::spanned::Spanned;
use syn::{
    GenericArgument, PathArguments, ReturnType, Signature, Type, TypeParamBound, parse_quote,
};

use crate::model::{Errors, Kind};

/// What the signature says, once checked.
pub(crate) struct Checked {
    /// The type of the items. After a mistake, a best guess at the intended one, so the
    /// expansion still type-checks around it.
    pub(crate) item_ty: Type,
    /// The return type was written as the container (`-> impl Stream<Item = T>`), which is
    /// reported here.
    pub(crate) written_as_container: bool,
}

/// Checks `sig`: every mistake is recorded in `errors`, and the item type (or a best guess at
/// it) is returned all the same.
pub(crate) fn signature(kind: Kind, sig: &Signature, errors: &mut Errors) -> Checked {
    let attr = kind.attr();
    match (kind, &sig.asyncness) {
        (Kind::Stream, None) => errors.push(syn::Error::new_spanned(
            sig.fn_token,
            "`#[async_gen]` needs an `async fn`: write `async fn` \
             (or use `#[generator]` for a sync generator that returns an `Iterator`)",
        )),
        (Kind::Iter, Some(asyncness)) => errors.push(syn::Error::new_spanned(
            asyncness,
            "`#[generator]` makes a sync `Iterator`: remove `async` \
             (or use `#[async_gen]` for an async generator that returns a `Stream`)",
        )),
        _ => {}
    }
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new_spanned(
            constness,
            format!("`#[{attr}]` fns cannot be `const`"),
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(
            abi,
            format!("`#[{attr}]` fns cannot have an `extern` ABI"),
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            format!("`#[{attr}]` fns cannot be variadic"),
        ));
    }
    let (item_ty, written_as_container) = item_type(kind, &sig.output, errors);
    Checked {
        item_ty,
        written_as_container,
    }
}

/// The item type, and whether the return type was written as the container.
fn item_type(kind: Kind, output: &ReturnType, errors: &mut Errors) -> (Type, bool) {
    let ty = match output {
        ReturnType::Default => return (parse_quote!(()), false),
        ReturnType::Type(_, ty) => ty,
    };
    let Some(item) = declared_as_container(kind, ty) else {
        return ((**ty).clone(), false);
    };
    let written = item.as_ref().map_or_else(
        || "the item type".to_owned(),
        |item| format!("`-> {}`", quote::quote!(#item)),
    );
    errors.push(syn::Error::new(
        ty.span(),
        format!(
            "the return type of a `#[{}]` fn is the type of the items it yields \
             (as in `async gen fn`): write {written}, not `-> impl {}<..>`",
            kind.attr(),
            kind.trait_name(),
        ),
    ));
    (item.unwrap_or_else(|| parse_quote!(_)), true)
}

/// `-> impl Stream<Item = X>` (or `Iterator` for `#[generator]`): the user wrote what the macro
/// produces. Returns `Some(Some(X))`, or `Some(None)` when no `Item` is given.
fn declared_as_container(kind: Kind, ty: &Type) -> Option<Option<Type>> {
    let Type::ImplTrait(impl_trait) = ty else {
        return None;
    };
    impl_trait.bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        let is_container = last.ident == kind.trait_name()
            || (kind == Kind::Stream && last.ident == "AsyncIterator");
        if !is_container {
            return None;
        }
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            return Some(None);
        };
        Some(args.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(assoc) if assoc.ident == "Item" => Some(assoc.ty.clone()),
            _ => None,
        }))
    })
}
