//! Tests of the expansion itself, through the functions the proc macros call, on `proc_macro2`
//! tokens (which work outside rustc).

mod expand;
mod fuzz;
mod ide;
mod nightly_syntax;
mod sync_receiver;

use proc_macro2::TokenStream;

use crate::model::{Kind, Krate};

/// One of the crate's macros.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    AsyncGen,
    Generator,
    ForAwait,
    Stream,
    Iter,
}

impl Entry {
    pub(crate) const ALL: [Entry; 5] = [
        Entry::AsyncGen,
        Entry::Generator,
        Entry::ForAwait,
        Entry::Stream,
        Entry::Iter,
    ];

    /// The macro's name as users write it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Entry::AsyncGen => "async_gen",
            Entry::Generator => "generator",
            Entry::ForAwait => "for_await",
            Entry::Stream => "stream",
            Entry::Iter => "iter",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Entry> {
        Entry::ALL.into_iter().find(|entry| entry.name() == name)
    }

    pub(crate) fn is_attribute(self) -> bool {
        matches!(self, Entry::AsyncGen | Entry::Generator | Entry::ForAwait)
    }
}

/// What rustc would get back from the macro: `args` are an attribute's arguments (ignored by
/// the function-like macros), `input` the item or the macro's tokens.
pub(crate) fn call(entry: Entry, args: TokenStream, input: TokenStream) -> TokenStream {
    match entry {
        Entry::AsyncGen => crate::expand::attribute(Kind::Stream, args, input),
        Entry::Generator => crate::expand::attribute(Kind::Iter, args, input),
        Entry::ForAwait => crate::expand::for_await(args, input),
        Entry::Stream => crate::expand::block(Kind::Stream, Krate::asyncgen(), input),
        Entry::Iter => crate::expand::block(Kind::Iter, Krate::asyncgen(), input),
    }
}
