//! `?` in generator bodies: stable stand-ins for the unstable `Try` and `FromResidual`.
//!
//! The macros turn `expr?` in a body into
//!
//! ```text
//! 'question_mark: {
//!     // `expr`'s temporaries end with this `let`, and only the residual lives on.
//!     let residual = match branch(expr) {
//!         ControlFlow::Continue(value) => break 'question_mark value,
//!         ControlFlow::Break(residual) => residual,
//!     };
//!     __yielder.yield_(FromResidual::from_residual(residual)).await;
//!     return // a diverging tail, as in `?`'s own desugaring: `Err(e)?;` infers
//! }
//! ```
//!
//! so an `Err(e)` is yielded as `Err(From::from(e))`, a `None` as `None`, and the generator ends
//! (the semantics of `?` in RFC 3513's `gen` blocks).
#![forbid(unsafe_code)]

use core::convert::Infallible;
use core::ops::ControlFlow;

/// Public traits users cannot implement: `Result` and `Option` are the values `?` works on.
mod sealed {
    pub trait Sealed {}
    impl<T, E> Sealed for Result<T, E> {}
    impl<T> Sealed for Option<T> {}
}

/// A value `?` can be applied to in a generator body: `Result` or `Option`. What `value?`
/// evaluates to when it goes on (`Output`) and what it yields before the generator ends
/// (`Residual`) are parameters, not associated types: for a value that is not `Try`, rustc
/// then reports the one missing impl, and no second error for each projection.
///
/// # Examples
///
/// ```
/// use asyncgen::{generator, yield_};
///
/// #[generator]
/// fn halves(inputs: Vec<Option<u32>>) -> Option<u32> {
///     for input in inputs {
///         yield_!(Some(input? / 2)); // `Option<u32>: Try`
///     }
/// }
///
/// assert_eq!(halves(vec![Some(4), None, Some(8)]).collect::<Vec<_>>(), [Some(2), None]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`?` in a generator body works on `Result` and `Option` values, not on `{Self}`",
    label = "`?` applied to a `{Self}`",
    note = "if it is a future, `.await` it first: `value.await?`"
)]
pub trait Try<Output, Residual>: sealed::Sealed {
    /// Whether to go on with a value or end with a residual.
    fn branch(self) -> ControlFlow<Residual, Output>;
}

#[diagnostic::do_not_recommend]
impl<T, E> Try<T, Result<Infallible, E>> for Result<T, E> {
    #[inline]
    fn branch(self) -> ControlFlow<Result<Infallible, E>, T> {
        match self {
            Ok(value) => ControlFlow::Continue(value),
            Err(error) => ControlFlow::Break(Err(error)),
        }
    }
}

#[diagnostic::do_not_recommend]
impl<T> Try<T, Option<Infallible>> for Option<T> {
    #[inline]
    fn branch(self) -> ControlFlow<Option<Infallible>, T> {
        match self {
            Some(value) => ControlFlow::Continue(value),
            None => ControlFlow::Break(None),
        }
    }
}

/// `Try::branch(value)`, as a fn: a value that is not `Try` is then one error (at the value),
/// where the trait's own method would add a second one (at the `?`).
#[inline]
pub fn branch<V: Try<O, R>, O, R>(value: V) -> ControlFlow<R, O> {
    value.branch()
}

/// An item type that can carry what `?` stopped on: the generator's last item.
///
/// # Examples
///
/// ```
/// use asyncgen::{generator, yield_};
///
/// // `Result<u64, String>: FromResidual<Result<Infallible, &str>>`, as `String: From<&str>`.
/// #[generator]
/// fn checked(inputs: Vec<u64>) -> Result<u64, String> {
///     for input in inputs {
///         let even = if input % 2 == 0 { Ok(input) } else { Err("odd") };
///         yield_!(Ok(even?));
///     }
/// }
///
/// let items: Vec<_> = checked(vec![2, 3, 4]).collect();
/// assert_eq!(items, [Ok(2), Err("odd".to_owned())]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`?` cannot end a generator whose items are `{Self}`",
    label = "this `?` would have to yield what it stopped on as an item of type `{Self}`",
    note = "`?` in a generator yields what it stopped on as the last item: `Err(e.into())` \
            from a `Result` when the items are `Result<_, E>`, `None` from an `Option` when they \
            are `Option<_>`; to mix the two, convert first (`.ok_or(error)?`, `.ok()?`)"
)]
pub trait FromResidual<R>: sealed::Sealed {
    /// The last item, made from what `?` stopped on.
    fn from_residual(residual: R) -> Self;
}

impl<T, E, F: ErrorFrom<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
    #[inline]
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Err(F::error_from(error)),
        }
    }
}

/// `From<E>`, under a name whose error speaks of `?`, as std's own `?` does.
///
/// # Examples
///
/// ```
/// fn converts<F: asyncgen::bounds::ErrorFrom<E>, E>() {}
///
/// converts::<String, &str>(); // every `F: From<E>`
/// ```
#[diagnostic::on_unimplemented(
    message = "`?` couldn't convert the error to `{Self}`",
    label = "the trait `From<{E}>` is not implemented for `{Self}`",
    note = "`?` in a generator yields `Err(e.into())` as its last item: the error type of the \
            generator's items must implement `From` for the error `?` stopped on"
)]
pub trait ErrorFrom<E> {
    /// `From::from`.
    fn error_from(error: E) -> Self;
}

// Not recommended: the error is then about `ErrorFrom` (the message above), not `From`.
#[diagnostic::do_not_recommend]
impl<E, F: From<E>> ErrorFrom<E> for F {
    #[inline]
    fn error_from(error: E) -> Self {
        From::from(error)
    }
}

#[diagnostic::do_not_recommend]
impl<T> FromResidual<Option<Infallible>> for Option<T> {
    #[inline]
    fn from_residual(_: Option<Infallible>) -> Self {
        None
    }
}
