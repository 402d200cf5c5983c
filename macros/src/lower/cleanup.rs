//! `finally! { .. }` at the top level of an async generator's body: the body is split at each
//! one, and what follows it is nested in a cleanup guard, with the block after the guard
//! (the runtime's side, and why it works: `core/src/generator/cleanup.rs`).
//!
//! ```text
//! // Input (lowered):             // Output:
//! let feed = subscribe();         let __cleanup = CleanupState::new();
//! finally! {                      let __probe = __yielder.probe();
//!     feed.unsubscribe().await;   guarded(__probe, &__cleanup, 0, async {
//! }                                   let feed = subscribe();
//! for x in feed { yield_!(x); }       finally!(@used);
//!                                     guarded(__probe, &__cleanup, 1, async {
//!                                         for x in feed { yield_!(x); }
//!                                     }).await;
//!                                     { feed.unsubscribe().await; };
//!                                 }).await;
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Block, Stmt};

use crate::model::Krate;

/// A top-level `finally!` of the body, and the statements after it up to the next.
pub(super) struct Finally {
    /// The macro path as written (keeps the user's import used).
    pub(super) path: syn::Path,
    /// The block's statements, lowered.
    pub(super) cleanup: Vec<Stmt>,
    /// The statements it guards before the next `finally!`, lowered.
    pub(super) after: Vec<Stmt>,
}

/// The statements of a `finally!`, whatever its delimiters.
pub(super) fn cleanup_stmts(mac: &syn::Macro) -> syn::Result<Vec<Stmt>> {
    mac.parse_body_with(Block::parse_within)
}

/// The body: `first` (the statements before the first `finally!`) and `finallies`, with a
/// guard around all of it (depth 0) and one around what follows each `finally!`.
pub(super) fn nest(
    first: &[Stmt],
    finallies: &[Finally],
    yielder: &syn::Ident,
    krate: &Krate,
) -> TokenStream {
    let glue = Span::mixed_site();
    let names = Names {
        state: state_ident(),
        probe: syn::Ident::new("__probe", glue),
        private: krate.private(glue),
    };
    let inner = names.guarded_from(finallies, 1);
    let body = names.guard(0, quote!(#(#first)* #inner));
    let Names {
        state,
        probe,
        private,
    } = &names;
    quote_spanned! {glue=>
        let #state = #private::CleanupState::new();
        let #probe = #yielder.probe();
        #body;
    }
}

/// The hidden name of the body's `CleanupState`, which `yield_all!`s that pass a close on to
/// their source use too.
pub(super) fn state_ident() -> syn::Ident {
    syn::Ident::new("__cleanup", Span::mixed_site())
}

struct Names {
    state: syn::Ident,
    probe: syn::Ident,
    private: TokenStream,
}

impl Names {
    /// `guarded` awaited on `inner`, at `depth`.
    fn guard(&self, depth: u32, inner: TokenStream) -> TokenStream {
        let Names {
            state,
            probe,
            private,
        } = self;
        let depth = proc_macro2::Literal::u32_unsuffixed(depth);
        quote_spanned! {Span::mixed_site()=>
            #private::guarded(#probe, &#state, #depth, async { #inner }).await
        }
    }

    /// The first of `finallies` (at `depth`): what it guards in its guard, then its block;
    /// the others nested in what it guards.
    fn guarded_from(&self, finallies: &[Finally], depth: u32) -> TokenStream {
        let [this, rest @ ..] = finallies else {
            return TokenStream::new();
        };
        let Finally {
            path,
            cleanup,
            after,
        } = this;
        let inner = self.guarded_from(rest, depth + 1);
        let guarded = self.guard(depth, quote!(#(#after)* #inner));
        quote! {
            #path!(@used);
            #guarded;
            { #(#cleanup)* };
        }
    }
}
