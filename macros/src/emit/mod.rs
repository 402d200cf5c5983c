//! Emit, the last stage: the output, from what the earlier stages decided. The attribute's fn
//! ([`func`], with the lifetime of a boxed `dyn` worked out in [`boxed`], and beside an unboxed
//! trait declaration the hidden method that makes `dyn Trait`'s error name the fix,
//! [`dyn_hint`]) and the block macros' generator expression ([`block`]); both call the runtime
//! fn [`constructor`] picks.

mod block;
mod boxed;
mod constructor;
mod dyn_hint;
mod func;

pub(crate) use block::block;
pub(crate) use func::generator_fn;
