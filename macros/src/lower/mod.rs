//! Lower, the third stage: the generator's body rewritten in place. The body walk ([`body`])
//! rewrites `yield_!`, `yield_all!`, `?` and `#[for_await]` loops, and reads other macros'
//! tokens with the token walker ([`macro_tokens`]), and nests the body in the guards of its
//! `finally!` blocks ([`cleanup`]); the loop lowering ([`for_await`]) is shared
//! with the walk of the standalone `#[for_await]` attribute ([`item_walk`]). [`item_check`]
//! decides beforehand whether yielded values can be checked against the item type in place.

mod body;
mod cleanup;
mod for_await;
mod item_check;
mod item_walk;
mod macro_tokens;

pub(crate) use body::{Lowered, Lowering};
pub(crate) use for_await::lower_loop;
pub(crate) use item_check::{checkable, contains_impl_trait};
pub(crate) use item_walk::{item as item_walk, loop_parts as loop_parts_walk};
