//! Where generated code finds the `asyncgen` crate: `::asyncgen`; `$crate`, which the
//! `stream!` / `iter!` front-ends pass; the name rustc links a renamed dependency under
//! (`::ag`); or the path a `crate = ..` option gives, for a library that re-exports asyncgen's
//! macros (`crate = my_lib::asyncgen`), as `#[tokio::main(crate = "..")]` and serde's
//! `#[serde(crate = "..")]` do.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};
use syn::Path;

/// The crate path generated code names everything by.
#[derive(Clone)]
pub(crate) struct Krate {
    /// `None`: `::asyncgen`.
    custom: Option<Path>,
}

impl Krate {
    pub(crate) fn asyncgen() -> Self {
        Krate { custom: None }
    }

    /// At `path`: a `crate = path` option's, the front-ends' `$crate`, or a rename's `::ag`.
    pub(crate) fn at(path: Path) -> Self {
        Krate { custom: Some(path) }
    }

    /// `#krate::name` at `span` (`::asyncgen::__private`, `ag::yield_`, ..).
    pub(crate) fn item(&self, span: Span, name: &str) -> TokenStream {
        let name = syn::Ident::new(name, span);
        match &self.custom {
            None => quote_spanned!(span=> ::asyncgen::#name),
            Some(path) => {
                let path = respanned(path.to_token_stream(), span);
                quote_spanned!(span=> #path::#name)
            }
        }
    }

    /// `#krate::__private` at `span`.
    pub(crate) fn private(&self, span: Span) -> TokenStream {
        self.item(span, "__private")
    }

    /// The last name of `path` if it may name one of asyncgen's items: `name` (imported),
    /// `asyncgen::name`, `::asyncgen::name`, or the `crate = ..` path followed by `name`;
    /// `None` for another path (`crate::name`, which is the user's own).
    pub(crate) fn item_name(&self, path: &Path) -> Option<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let (name, prefix) = segments.split_last()?;
        let ours = match prefix {
            [] => path.leading_colon.is_none(),
            [krate] if krate == "asyncgen" => true,
            // A `stream!` / `iter!` reached through `$crate` cannot know the path the user
            // calls asyncgen by (`ag::stream! { ag::yield_all!(..) }`): any path but the
            // user's own crate's is taken for it.
            [first, ..] if self.is_dollar_crate() => {
                !matches!(first.as_str(), "crate" | "self" | "super" | "Self")
            }
            prefix => self
                .custom_segments()
                .is_some_and(|custom| custom == prefix),
        };
        ours.then(|| name.clone())
    }

    /// Whether this is the `$crate` of the `stream!` / `iter!` front-ends.
    fn is_dollar_crate(&self) -> bool {
        self.custom_segments()
            .is_some_and(|custom| custom.len() == 1 && custom[0] == "$crate")
    }

    /// The segments of the `crate = ..` path, if one was given.
    pub(crate) fn custom_segments(&self) -> Option<Vec<String>> {
        let path = self.custom.as_ref()?;
        Some(path.segments.iter().map(|s| s.ident.to_string()).collect())
    }
}

/// `tokens` located at `span`, still resolved as the user wrote them (`crate::..` is their
/// crate): errors in the generated code then point where the generated code is.
fn respanned(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            let located = tree.span().located_at(span);
            if let TokenTree::Group(group) = &mut tree {
                let mut new =
                    proc_macro2::Group::new(group.delimiter(), respanned(group.stream(), span));
                new.set_span(located);
                *group = new;
            } else {
                tree.set_span(located);
            }
            tree
        })
        .collect()
}
