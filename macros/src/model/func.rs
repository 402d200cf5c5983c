//! The fn an attribute is on, as `parse` reads it and `emit` writes it back.

use syn::{Attribute, Block, Signature, Visibility};

/// A fn the attribute is on: a free fn, a method, or a trait method with or without a
/// default body.
pub(crate) struct GenFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    /// `None` for a trait method declared without a body.
    pub(crate) body: Option<Block>,
}
