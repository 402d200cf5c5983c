//! The entry points, on top of the stages: each macro's whole expansion, its stages run in
//! order (parse -> check -> lower -> emit). `lib.rs` calls one of these per macro.

mod attribute;
mod block;
mod for_await;

pub(crate) use attribute::attribute;
#[cfg(test)]
pub(crate) use block::block;
pub(crate) use block::front_end;
pub(crate) use for_await::for_await;
