//! Every problem found in one item, reported together.

use proc_macro2::TokenStream;

/// Collects independent errors so one compile shows all of them.
#[derive(Default)]
pub(crate) struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    pub(crate) fn extend(&mut self, errors: impl IntoIterator<Item = syn::Error>) {
        for error in errors {
            self.push(error);
        }
    }

    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.first
            .map(|error| error.to_compile_error())
            .unwrap_or_default()
    }
}
