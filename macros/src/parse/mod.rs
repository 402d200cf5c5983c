//! Parse, the first stage: the tokens rustc hands over, read into what the later stages work
//! on. The attribute's fn ([`func`]) and options ([`options`]), the block macros' input
//! ([`block`]), each macro's `crate = path` ([`CrateOption`]); `for await` loops made
//! `#[for_await]` ones ([`for_await`]); statements that do not parse yet are kept as tokens
//! ([`tolerant`]).

mod block;
mod crate_option;
mod dependency;
mod for_await;
mod func;
mod options;
mod tolerant;

pub(crate) use block::{BlockInput, block, front_end};
pub(crate) use crate_option::for_await_arguments;
pub(crate) use func::{func, is_fn, item_keyword_span};
pub(crate) use options::{Boxing, Options, options};
