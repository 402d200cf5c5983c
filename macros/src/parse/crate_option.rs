//! The `crate = path` option (see [`Krate`] for what it is for), as every macro reads it.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::{LitStr, Path, Token};

use crate::model::{Errors, Krate};

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

/// The arguments of `#[for_await]` on an item: nothing, or `crate = path`. The error that
/// asyncgen is not a dependency comes back apart: it matters only if a loop is lowered (the
/// attribute is also the marker that keeps a `for_await` import used).
pub(crate) fn for_await_arguments(
    args: TokenStream,
    errors: &mut Errors,
) -> (Krate, Option<syn::Error>) {
    if args.is_empty() {
        return match super::dependency::default_krate() {
            Ok(krate) => (krate, None),
            Err(krate) => (krate, Some(not_a_dependency("for_await"))),
        };
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
    let krate = parser.parse2(args).unwrap_or_else(|error| {
        errors.push(error);
        Krate::asyncgen()
    });
    (krate, None)
}

/// Where asyncgen is when `#[attr]` gives no `crate = path`: under the name this crate's
/// dependency has ([`dependency`](super::dependency)), or, where rustc links no asyncgen
/// (a library re-exports it), an error at the attribute that says to give the path.
pub(crate) fn default_krate(attr: &str, errors: &mut Errors) -> Krate {
    super::dependency::default_krate().unwrap_or_else(|krate| {
        errors.push(not_a_dependency(attr));
        krate
    })
}

fn not_a_dependency(attr: &str) -> syn::Error {
    syn::Error::new(
        Span::call_site(),
        format!(
            "`asyncgen` is not a dependency of this crate: where a library re-exports it, say \
             where with `#[{attr}(crate = path::to::asyncgen)]`"
        ),
    )
}
