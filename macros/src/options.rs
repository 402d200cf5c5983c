//! The attribute's arguments: `#[async_gen(boxed)]`, `#[async_gen(boxed_local)]` (and the
//! same for `#[generator]`).

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Meta, Token};

use crate::error::Errors;
use crate::expand::Kind;

/// How the generated fn returns its generator.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Boxing {
    /// `impl Stream` / `impl Iterator`: no allocation, not object-safe in traits.
    Unboxed,
    /// `Pin<Box<dyn Stream + Send + '_>>` / `Box<dyn Iterator + Send + '_>`.
    Send,
    /// The same without `Send`.
    Local,
}

impl Boxing {
    fn name(self) -> &'static str {
        match self {
            Boxing::Unboxed => "",
            Boxing::Send => "boxed",
            Boxing::Local => "boxed_local",
        }
    }
}

/// The parsed options. Every mistake is reported; the item is still expanded with what parsed.
pub(crate) struct Options {
    pub(crate) boxing: Boxing,
    /// Where `boxed` / `boxed_local` is written: what a `Send` error on the boxed body is
    /// about.
    pub(crate) boxing_span: Span,
}

pub(crate) fn parse(kind: Kind, args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options {
        boxing: Boxing::Unboxed,
        boxing_span: Span::call_site(),
    };
    if args.is_empty() {
        return options;
    }
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
        Ok(metas) => metas,
        Err(error) => {
            errors.push(error);
            return options;
        }
    };
    for meta in metas {
        let boxing = match &meta {
            Meta::Path(path) if path.is_ident("boxed") => Boxing::Send,
            Meta::Path(path) if path.is_ident("boxed_local") => Boxing::Local,
            Meta::List(_) | Meta::NameValue(_)
                if meta.path().is_ident("boxed") || meta.path().is_ident("boxed_local") =>
            {
                errors.push(syn::Error::new(
                    meta.span(),
                    format!(
                        "`{}` takes no value: write `#[{}({})]`",
                        path_name(&meta),
                        kind.attr(),
                        path_name(&meta)
                    ),
                ));
                continue;
            }
            _ => {
                errors.push(syn::Error::new(
                    meta.path().span(),
                    format!(
                        "unknown option `{}` for `#[{attr}]`: the options are `boxed` \
                         (returns a `Send` boxed `dyn {tr}`, for traits) and `boxed_local` \
                         (the same without `Send`)",
                        path_name(&meta),
                        attr = kind.attr(),
                        tr = kind.trait_name(),
                    ),
                ));
                continue;
            }
        };
        if options.boxing != Boxing::Unboxed {
            let message = if boxing == options.boxing {
                format!("duplicate option `{}`", boxing.name())
            } else {
                "`boxed` and `boxed_local` cannot be combined: `boxed` is `Send`, \
                 `boxed_local` is not; pick one"
                    .to_owned()
            };
            errors.push(syn::Error::new(meta.span(), message));
            continue;
        }
        options.boxing = boxing;
        options.boxing_span = meta.span();
    }
    options
}

fn path_name(meta: &Meta) -> String {
    let path = meta.path();
    quote::quote!(#path).to_string().replace(' ', "")
}
