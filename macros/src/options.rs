//! The attribute's arguments: `#[async_gen]` / `#[generator]` take none yet.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Meta, Token};

use crate::error::Errors;
use crate::expand::Kind;

/// Reports each argument as unknown; the item is still expanded.
pub(crate) fn parse(kind: Kind, args: TokenStream, errors: &mut Errors) {
    if args.is_empty() {
        return;
    }
    match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args) {
        Ok(metas) => {
            for meta in metas {
                errors.push(syn::Error::new_spanned(
                    meta.path(),
                    format!(
                        "unknown option for `#[{}]`: it takes no options",
                        kind.attr()
                    ),
                ));
            }
        }
        Err(error) => errors.push(error),
    }
}
