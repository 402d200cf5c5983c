//! The names the stages recognise in the user's code (`yield_!`, `yield_all!`, `#[for_await]`,
//! macros whose tokens are not this generator's code) and the hidden name they agree on.

use proc_macro2::Span;
use syn::{Attribute, Ident};

use super::krate::Krate;

/// The two macros the walk rewrites. (`finally!` is recognised only as a statement of the
/// body's top level, `is_finally`: elsewhere, a `finally!` of the user's own is theirs, and
/// asyncgen's reports itself.)
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OurMacro {
    /// `yield_!(value)`.
    Yield,
    /// `yield_all!(source)`.
    YieldAll,
}

impl OurMacro {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "yield_" => Some(OurMacro::Yield),
            "yield_all" => Some(OurMacro::YieldAll),
            _ => None,
        }
    }

    pub(crate) fn display(self) -> &'static str {
        match self {
            OurMacro::Yield => "yield_!",
            OurMacro::YieldAll => "yield_all!",
        }
    }
}

/// `finally!`, `asyncgen::finally!` or `krate::finally!` (`crate = krate`).
pub(crate) fn is_finally(path: &syn::Path, krate: &Krate) -> bool {
    krate.item_name(path).is_some_and(|name| name == "finally")
}

/// `#[for_await]`, `#[asyncgen::for_await]` or `#[krate::for_await]` (`crate = krate`).
pub(crate) fn is_for_await(attr: &Attribute, krate: &Krate) -> bool {
    krate
        .item_name(attr.path())
        .is_some_and(|name| name == "for_await")
}

/// Macros whose arguments are not this generator's code: tokens to quote (`stringify!`), or
/// generators of their own (`stream!`, `iter!`).
pub(crate) fn is_skipped_macro(name: &str) -> bool {
    matches!(
        name,
        "stringify" | "concat" | "compile_error" | "stream" | "iter"
    )
}

/// The hidden name of the body's `Yielder<T>`: bound by `emit`, used by `lower`.
pub(crate) fn yielder_ident() -> Ident {
    Ident::new("__yielder", Span::mixed_site())
}
