//! Python-style generators on stable Rust.
//!
//! Write an `async fn` that `yield_!`s and `.await`s, get a [`Stream`]; write a plain `fn` that
//! `yield_!`s, get an [`Iterator`]. The declared return type is the *item* type, as in
//! `async gen fn` (RFC 3513), so the attribute can be deleted the day that is stable.
//!
//! ```
//! use asyncgen::{async_gen, generator, yield_};
//! use futures::StreamExt;
//!
//! #[generator]
//! fn odds(start: u32, stop: u32) -> u32 {
//!     for n in (start..=stop).filter(|n| n % 2 == 1) {
//!         yield_!(n);
//!     }
//! }
//!
//! #[async_gen]
//! async fn square_odds(start: u32, stop: u32) -> u32 {
//!     for odd in odds(start, stop) {
//!         std::future::ready(()).await; // any future
//!         yield_!(odd * odd);
//!     }
//! }
//!
//! let squares: Vec<u32> = futures::executor::block_on(square_odds(11, 17).collect());
//! assert_eq!(squares, [121, 169, 225, 289]);
//! ```
//!
//! # What you get
//!
//! - `#[async_gen] async fn f(..) -> T` becomes `fn f(..) -> impl Stream<Item = T>`: it captures
//!   its arguments (and their lifetimes), is `Send` exactly when its body is, and allocates
//!   nothing. Like every `async fn` future it is `!Unpin`: pin it with [`core::pin::pin!`] or
//!   `Box::pin` before calling `StreamExt::next` on it (`collect`, `for_each` and friends pin it
//!   for you).
//! - `#[generator] fn f(..) -> T` becomes `fn f(..) -> impl FusedIterator<Item = T>`: an
//!   `Iterator` that keeps returning `None` once it has.
//!   It boxes its state once (an `Iterator` can move, so the state cannot live in it), never
//!   per item. Needs the `alloc` feature (on by default).
//! - `yield_!(value)` works anywhere in the body: loops, `match` arms, `if let`, blocks, and
//!   inside other macros' arguments (`tokio::select!`, `assert!`, your own `macro_rules!`).
//!   `return;` ends the generator. A panic in the body reaches the poller; afterwards the stream
//!   or iterator returns `None`.
//! - On nightly with `#![feature(yield_expr)]` (or `coroutines`) a literal `yield value;`
//!   works in the same bodies.
//!
//! How it works, and why it is sound, is explained in the source of the one module that uses
//! `unsafe` (`core/src/yielder.rs`).
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "alloc")]
mod iter;
#[allow(unsafe_code)]
mod yielder;

pub use futures_core::Stream;

/// Turns an `async fn` whose body uses `yield_!` into a function returning
/// `impl Stream<Item = T>`, where `T` is the declared return type.
///
/// See the [crate docs](crate) for the whole surface.
///
/// ```
/// use asyncgen::{async_gen, yield_};
/// use futures::StreamExt;
///
/// #[async_gen]
/// async fn countdown(from: u32) -> u32 {
///     for n in (1..=from).rev() {
///         yield_!(n);
///     }
/// }
///
/// let items: Vec<u32> = futures::executor::block_on(countdown(3).collect());
/// assert_eq!(items, [3, 2, 1]);
/// ```
#[doc(inline)]
pub use asyncgen_macros::async_gen;

/// Turns a sync `fn` whose body uses `yield_!` into a function returning
/// `impl FusedIterator<Item = T>` (an `Iterator`), where `T` is the declared return type.
///
/// ```
/// use asyncgen::{generator, yield_};
///
/// #[generator]
/// fn fibonacci(count: usize) -> u64 {
///     let (mut a, mut b) = (0, 1);
///     for _ in 0..count {
///         yield_!(a);
///         (a, b) = (b, a + b);
///     }
/// }
///
/// assert_eq!(fibonacci(7).collect::<Vec<_>>(), [0, 1, 1, 2, 3, 5, 8]);
/// ```
#[cfg(feature = "alloc")]
#[doc(inline)]
pub use asyncgen_macros::generator;

/// Yields a value from the enclosing `#[async_gen]` or `#[generator]` function.
///
/// The generator's attribute rewrites every `yield_!(value)` of its body into
/// `yield_!(@lowered <hidden yielder>, value)`, which awaits the yield, or, where it cannot
/// suspend the generator (in a closure), `yield_!(@error "why")`. A call the attribute did not
/// rewrite has no generator around it and reports that as an error. The attribute finds calls
/// by their name as written (`yield_!`, `asyncgen::yield_!`): a renamed import, or a
/// `macro_rules!` defined outside the body that expands to `yield_!`, is not seen; pass the
/// `yield_!(..)` call to such a macro as an argument instead.
///
/// ```
/// use asyncgen::{generator, yield_};
///
/// #[generator]
/// fn pair() -> &'static str {
///     yield_!("ping");
///     yield_!("pong");
/// }
///
/// assert_eq!(pair().collect::<Vec<_>>(), ["ping", "pong"]);
/// ```
///
/// ```compile_fail
/// fn not_a_generator() {
///     asyncgen::yield_!(1);
/// }
/// ```
#[macro_export]
macro_rules! yield_ {
    (@lowered $yielder:ident, $value:expr) => {
        $yielder.yield_($value).await
    };
    (@error $message:literal) => {
        ::core::compile_error! { $message }
    };
    ($($value:tt)*) => {
        ::core::compile_error! {
            "`yield_!` can only be used in the body of an `#[async_gen]` or `#[generator]` fn, \
written there as `yield_!` (not renamed, not produced by a macro defined elsewhere)"
        }
    };
}

/// Not public API: what the macros' generated code calls.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "alloc")]
    pub use crate::iter::generator;
    pub use crate::yielder::{YieldFuture, Yielder, async_gen};
    pub use core::iter::FusedIterator;
    pub use futures_core::Stream;
}
