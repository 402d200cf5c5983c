//! Which attribute (or block macro) is expanding: the async or the sync generator.

/// Which attribute is expanding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `#[async_gen]`: `async fn` -> `impl Stream`.
    Stream,
    /// `#[generator]`: `fn` -> `impl Iterator`.
    Iter,
}

impl Kind {
    pub(crate) fn attr(self) -> &'static str {
        match self {
            Kind::Stream => "async_gen",
            Kind::Iter => "generator",
        }
    }

    pub(crate) fn trait_name(self) -> &'static str {
        match self {
            Kind::Stream => "Stream",
            Kind::Iter => "Iterator",
        }
    }
}
