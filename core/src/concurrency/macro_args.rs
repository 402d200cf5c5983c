//! The arguments of `merge!`, `try_merge!`, `gather!` and `try_gather!`, checked one by one,
//! so the first error names the wrong argument, at itself, and says what the macro takes.
//! (rustc's own errors about the whole tuple follow it.)
#![forbid(unsafe_code)]

use core::future::Future;

use futures_core::Stream;

/// A `merge!` argument: any `Stream`.
///
/// # Examples
///
/// ```
/// fn takes<S: asyncgen::bounds::MergeArg>(_: S) {}
///
/// takes(futures::stream::iter([1, 2]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`merge!` takes streams: `{Self}` is not a `Stream`",
    label = "not a `Stream`",
    note = "an iterator becomes a stream with `futures::stream::iter(..)`"
)]
pub trait MergeArg: Stream {}

// Not recommended: the error is then the message above, not rustc's list of `Stream` impls.
#[diagnostic::do_not_recommend]
impl<S: Stream> MergeArg for S {}

/// A `try_merge!` argument: a `Stream` of `Result`s.
///
/// # Examples
///
/// ```
/// fn takes<S: asyncgen::bounds::TryMergeArg>(_: S) {}
///
/// takes(futures::stream::iter([Ok::<u32, String>(1)]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`try_merge!` takes streams of `Result`s: `{Self}` is not one",
    label = "not a `Stream` whose items are `Result`s",
    note = "for streams that cannot fail, use `merge!`; to make one fallible, \
            `.map(Ok::<_, YourError>)` it (`futures::StreamExt::map`)"
)]
pub trait TryMergeArg: Stream {}

#[diagnostic::do_not_recommend]
impl<T, E, S: Stream<Item = Result<T, E>>> TryMergeArg for S {}

/// A `gather!` argument: any `Future`.
///
/// # Examples
///
/// ```
/// fn takes<F: asyncgen::bounds::GatherArg>(_: F) {}
///
/// takes(async { 1 });
/// ```
#[diagnostic::on_unimplemented(
    message = "`gather!` takes futures: `{Self}` is not a `Future`",
    label = "not a `Future`",
    note = "a value that is already there needs no gathering: use it after the `.await`, or \
            wrap it in `std::future::ready(..)`"
)]
pub trait GatherArg: Future {}

#[diagnostic::do_not_recommend]
impl<F: Future> GatherArg for F {}

/// A `try_gather!` argument: a `Future` whose output is a `Result`.
///
/// # Examples
///
/// ```
/// fn takes<F: asyncgen::bounds::TryGatherArg>(_: F) {}
///
/// takes(async { Ok::<u32, String>(1) });
/// ```
#[diagnostic::on_unimplemented(
    message = "`try_gather!` takes futures of `Result`s: `{Self}` is not one",
    label = "not a `Future` whose output is a `Result`",
    note = "for futures that cannot fail, use `gather!`"
)]
pub trait TryGatherArg: Future {}

#[diagnostic::do_not_recommend]
impl<T, E, F: Future<Output = Result<T, E>>> TryGatherArg for F {}

/// `arg`, checked to be a stream.
#[inline(always)]
pub fn merge_arg<S: MergeArg>(arg: S) -> S {
    arg
}

/// `arg`, checked to be a stream of `Result`s.
#[inline(always)]
pub fn try_merge_arg<S: TryMergeArg>(arg: S) -> S {
    arg
}

/// `arg`, checked to be a future.
#[inline(always)]
pub fn gather_arg<F: GatherArg>(arg: F) -> F {
    arg
}

/// `arg`, checked to be a future of a `Result`.
#[inline(always)]
pub fn try_gather_arg<F: TryGatherArg>(arg: F) -> F {
    arg
}
