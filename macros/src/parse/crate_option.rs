//! The `crate = path` option (see [`Krate`] for what it is for), as every macro reads it.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::{LitStr, Path, Token};

use crate::model::Krate;

/// `crate = path` or `crate = "path"`, as an option of any of the macros.
pub(crate) struct CrateOption {
    /// The `crate` keyword: what a duplicate is reported at.
    pub(crate) span: Span,
    pub(crate) krate: Krate,
}

impl Parse for CrateOption {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let keyword: Token![crate] = input.parse()?;
        input.parse::<Token![=]>()?;
        let path = if input.peek(LitStr) {
            input.parse::<LitStr>()?.parse::<Path>()?
        } else {
            input.call(Path::parse_mod_style)?
        };
        Ok(CrateOption {
            span: keyword.span,
            krate: Krate::at(path),
        })
    }
}

impl CrateOption {
    /// Whether `input` starts with `crate =`: the option rather than a path like `crate::x`.
    pub(crate) fn peek(input: ParseStream<'_>) -> bool {
        input.peek(Token![crate]) && input.peek2(Token![=]) && !input.peek2(Token![==])
    }
}

/// The arguments of `#[for_await]` on an item: nothing, or `crate = path`.
pub(crate) fn for_await_arguments(args: TokenStream) -> syn::Result<Krate> {
    if args.is_empty() {
        return Ok(Krate::asyncgen());
    }
    let parser = |input: ParseStream<'_>| {
        if !CrateOption::peek(input) {
            return Err(input.error(
                "`#[for_await]` on an item takes no arguments but `crate = path` (where `asyncgen` is, \
                 if renamed)",
            ));
        }
        let option: CrateOption = input.parse()?;
        input.parse::<Option<syn::Token![,]>>()?;
        Ok(option.krate)
    };
    parser.parse2(args)
}
