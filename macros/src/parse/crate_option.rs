//! The `crate = path` option (see [`Krate`] for what it is for), as every macro reads it.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
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
