//! The attribute's arguments: `#[async_gen(boxed)]`, `#[async_gen(boxed_local)]`,
//! `#[async_gen(send)]` and `#[async_gen(crate = path)]` (and the same for `#[generator]`).

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Meta, Token};

use super::crate_option::{CrateOption, default_krate};
use crate::model::{Errors, Kind, Krate};

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
    /// Where `boxed` / `boxed_local` / `send` is written: what a `Send` error on the body is
    /// about.
    pub(crate) boxing_span: Span,
    /// `send`: the unboxed `impl Stream` / `impl Iterator` is also `+ Send` (for trait
    /// methods, whose callers cannot otherwise learn it).
    pub(crate) send: bool,
    pub(crate) krate: Krate,
}

/// One option as written.
enum Written {
    Meta(Meta),
    Crate(CrateOption),
}

fn parse_option(input: ParseStream<'_>) -> syn::Result<Written> {
    if CrateOption::peek(input) {
        input.parse().map(Written::Crate)
    } else {
        input.parse().map(Written::Meta)
    }
}

pub(crate) fn options(kind: Kind, args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options {
        boxing: Boxing::Unboxed,
        boxing_span: Span::call_site(),
        send: false,
        krate: Krate::asyncgen(),
    };
    // (Options that do not parse may have said where asyncgen is: nothing more is reported.)
    let krate_given = !args.is_empty() && read(kind, args, &mut options, errors);
    if !krate_given {
        options.krate = default_krate(kind.attr(), errors);
    }
    options
}

/// The options written, into `options`: whether they gave the crate (or did not parse).
fn read(kind: Kind, args: TokenStream, options: &mut Options, errors: &mut Errors) -> bool {
    let parser = |input: ParseStream<'_>| {
        Punctuated::<Written, Token![,]>::parse_terminated_with(input, parse_option)
    };
    let metas = match parser.parse2(args) {
        Ok(metas) => metas,
        Err(error) => {
            errors.push(error);
            return true;
        }
    };
    let mut krate_span = None;
    let mut send_span = None;
    for meta in metas {
        let meta = match meta {
            Written::Crate(option) => {
                if krate_span.replace(option.span).is_some() {
                    errors.push(syn::Error::new(option.span, "duplicate option `crate`"));
                }
                options.krate = option.krate;
                continue;
            }
            Written::Meta(meta) => meta,
        };
        let boxing = match &meta {
            Meta::Path(path) if path.is_ident("boxed") => Boxing::Send,
            Meta::Path(path) if path.is_ident("boxed_local") => Boxing::Local,
            Meta::Path(path) if path.is_ident("send") => {
                if send_span.replace(path.span()).is_some() {
                    errors.push(syn::Error::new(path.span(), "duplicate option `send`"));
                }
                options.send = true;
                continue;
            }
            Meta::List(_) | Meta::NameValue(_)
                if ["boxed", "boxed_local", "send"]
                    .iter()
                    .any(|name| meta.path().is_ident(name)) =>
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
                         (returns a `Send` boxed `dyn {tr}`, for traits), `boxed_local` \
                         (the same without `Send`), `send` (returns `impl {tr} + Send`) \
                         and `crate = path` (where `asyncgen` is, if renamed)",
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
    if let Some(send) = send_span {
        match options.boxing {
            Boxing::Unboxed => options.boxing_span = send,
            Boxing::Send => errors.push(syn::Error::new(
                send,
                "`boxed` is already `Send`: remove `send`",
            )),
            Boxing::Local => errors.push(syn::Error::new(
                send,
                "`send` and `boxed_local` cannot be combined: `boxed_local` is not `Send`; \
                 use `boxed` for a `Send` box",
            )),
        }
    }
    krate_span.is_some()
}

fn path_name(meta: &Meta) -> String {
    let path = meta.path();
    quote::quote!(#path).to_string().replace(' ', "")
}
