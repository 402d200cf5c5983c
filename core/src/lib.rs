//! Python-style generators on stable Rust.
//!
//! Write an `async fn` that `yield_!`s and `.await`s, get a [`Stream`]; write a plain `fn` that
//! `yield_!`s, get an [`Iterator`]. The declared return type is the *item* type, as in
//! `async gen fn` (RFC 3513), so the attribute can be deleted the day that is stable.
//!
//! In your `Cargo.toml` (Rust 1.85 or newer, stable):
//!
//! ```toml
//! [dependencies]
//! asyncgen = "0.1"
//! futures = "0.3" # `StreamExt`: `.next()`, `.collect()`, `.map()` on the streams
//! ```
//!
//! asyncgen needs no runtime: its streams and futures run under any executor. Only the
//! `spawn_*` helpers, which put each child on a tokio task, need its `tokio` feature
//! (`asyncgen = { version = "0.1", features = ["tokio"] }`; see [Features](#features)).
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
//! - `#[async_gen] async fn f(..) -> T` becomes `fn f(..) -> impl FusedStream<Item = T> + Close`
//!   (a [`Stream`] that knows when it has ended, so `futures::select!` takes it as is, and that
//!   can be [closed](Close) early, running its [`finally!`] blocks): it captures
//!   its arguments (and their lifetimes), is `Send` exactly when its body is, and allocates
//!   nothing. It is `UnwindSafe` and `RefUnwindSafe` as rustc's `gen` blocks are: when what
//!   the body captures and holds across its yields is, whatever the item type (so
//!   `catch_unwind(move || iter.next())` needs no `AssertUnwindSafe` when the captures are
//!   unwind safe). Like every `async fn` future it is `!Unpin`: pin it with
//!   [`core::pin::pin!`] or `Box::pin` before calling `StreamExt::next` on it (`collect`,
//!   `for_each` and friends pin it for you).
//! - `#[generator] fn f(..) -> T` becomes `fn f(..) -> impl FusedIterator<Item = T>`: an
//!   `Iterator` that keeps returning `None` once it has.
//!   It boxes its state once (an `Iterator` can move, so the state cannot live in it), never
//!   per item. Needs the `alloc` feature (on by default).
//! - `yield_!(value)` works anywhere in the body: loops, `match` arms, `if let`, blocks, and
//!   inside other macros' arguments (`tokio::select!`, `assert!`, your own `macro_rules!`).
//!   `return;` ends the generator. A panic in the body reaches the poller; afterwards the stream
//!   or iterator returns `None`.
//! - Methods, trait methods and `dyn` use: `#[async_gen(boxed)]` / `#[async_gen(boxed_local)]`,
//!   and `#[async_gen(send)]` for a trait method whose stream generic callers must know is
//!   `Send` (see [`async_gen`]). A renamed asyncgen works as is; a re-exported one needs
//!   `crate = path` on the attributes (see [`async_gen`], "A renamed or re-exported
//!   dependency"). `?` in a body whose items are `Result`s yields the error and ends.
//! - [`finally!`]` { .. }` is a cleanup that may `.await` (Python's `try: .. finally:`), run when
//!   the generator ends and when [`Close::close`] ends it early (Python's `aclose()`).
//! - [`yield_all!`]`(source)` yields every item of a stream or iterator (Python's `yield from`);
//!   [`#[for_await]`](for_await) loops over a stream (Python's `async for`).
//! - [`stream!`] and [`iter!`] are generator blocks usable as expressions, with literal `yield`
//!   and `for await` on stable.
//! - asyncio's concurrency, under any executor: [`gather()`] / [`gather!`] (outputs in input
//!   order), [`try_gather()`] / [`try_gather!`] (the first error cancels the rest),
//!   [`gather_limited`], [`as_completed`] (outputs as they complete), [`in_order`] (outputs
//!   in input order, as a stream), [`merge()`] / [`merge!`] (items as soon as ready, fairly)
//!   and [`try_merge()`] / [`try_merge!`] (until the first error). The macros take any number
//!   of children. The `_limited` forms run a few at a time, pulled from an iterator or,
//!   through [`from_stream`], a stream (futures' `buffered` / `buffer_unordered`). Each
//!   wake-up costs O(1): every child has its own waker (a merge of 2 or 3 polls them in turn).
//!   With the `tokio` feature, `spawn_gather` and kin run each child on its own task.
//! - Sets that change while they run (with `std`): [`StreamSet`] merges streams under keys
//!   of your choosing while you insert and remove them (a chat server's connections), and
//!   [`FutureSet`] hands out each future's output as it completes while you add more (a
//!   crawler's fetches, asyncio's `asyncio.wait` on a growing set). Insert, remove and a
//!   wake-up each cost O(1). Their `next_many` takes up to n items in one poll, and their
//!   `next_event` ([`SetEvent`]) says who left, and how. With the `tokio` feature, `SpawnSet`
//!   is tokio-util's `JoinMap` on the same engine: tasks spawned under keys, aborted by key,
//!   joined as results.
//! - On nightly with `#![feature(yield_expr)]` (or `coroutines`) a literal `yield value;`
//!   works in the same bodies, and with `#![feature(async_for_loop)]` a `for await` loop over
//!   any stream. On stable, an error next to rustc's shows the form to write instead:
//!   `yield_!(value)`, `#[for_await] for x in stream`.
//!
//! # Features
//!
//! - `std` (default): the yield goes through a thread-local, and the body holds no pointer to
//!   its stream, which lets the compiler keep a generator polled in a loop in registers (see
//!   [How it works](docs::how_it_works)). Without it the crate is `#![no_std]`, and a yield
//!   goes through a slot in the stream: generators work the same, at a different cost (the
//!   repository's BENCHMARKS.md, `cargo bench --bench yield`: a `u64` stream polled in a loop
//!   takes 39 instructions per item instead of 15; awaited item by item in an `async` block,
//!   56 instead of 62). [`StreamSet`] and [`FutureSet`] need it (std's `RandomState`, their
//!   default hasher of keys). Implies `alloc`.
//! - `alloc` (with `std`): `#[generator]`/`iter!` (one box per iterator), `merge`, `gather`
//!   and kin. Without either, `#[async_gen]` and `stream!` still work, allocating nothing.
//! - `tokio`: `spawn_gather`, `spawn_merge` and kin, which run children on tokio tasks;
//!   `SpawnSet`, tasks under keys (tokio-util's `JoinMap`), a task's panic or cancellation an
//!   `Err` value; and
//!   `merge`, `gather` and kin spend tokio's cooperative budget, a unit per item handed out
//!   (or per completed gather), so a task draining an always-ready merge lets its worker's
//!   other tasks run.
//!
//! # Soundness, and panics
//!
//! The only `unsafe` code is in two files, each block with a `// SAFETY:` comment: the yield
//! mechanism ([`yielder.rs`]) and the arena the concurrency helpers keep their children in
//! ([`concurrency/arena.rs`]). A body cannot move its yield handle out of itself, and the
//! whole behaviour suite runs under Miri. A panic in user code (a body, a child's poll, a
//! key's `Hash`, ..) reaches the caller once, and every helper stays consistent for a caller
//! that catches it and polls on; a generator whose body panicked has ended.
//! [Soundness](docs::soundness) gives the argument, and what each helper does after a panic;
//! [How it works](docs::how_it_works) follows one generator through its expansion to what runs.
//!
//! [`yielder.rs`]: ../src/asyncgen/yielder.rs.html
//! [`concurrency/arena.rs`]: ../src/asyncgen/concurrency/arena.rs.html
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]
// docs.rs (`[package.metadata.docs.rs]` in Cargo.toml) marks what needs a feature.
#![cfg_attr(docsrs, feature(doc_cfg))]
// The `nightly` feature: generator streams are also `core::async_iter::AsyncIterator`s.
#![cfg_attr(feature = "nightly", feature(async_iterator))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

/// Longer reads: how the crate works, and why it is sound.
pub mod docs {
    #[doc = include_str!("docs/how_it_works.md")]
    pub mod how_it_works {}
    #[doc = include_str!("docs/soundness.md")]
    pub mod soundness {}
}

// The generator runtime: the yield mechanism (the crate's one `unsafe` file) and the safe
// glue the macros' expansions call around it.
mod close;
mod generator;
// asyncio's concurrency: merge, gather and kin, on one ready queue (and the crate's second
// `unsafe` file, `concurrency/arena.rs`).
#[cfg(feature = "alloc")]
mod concurrency;
#[allow(unsafe_code)]
mod yielder;

pub use close::{Close, Closing};
pub use futures_core::Stream;
/// A [`Stream`] that knows when it has ended: what `#[async_gen]` fns and `stream!` blocks
/// return, so `futures::select!` takes them without `.fuse()`.
pub use futures_core::stream::FusedStream;

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use concurrency::gather::{
    AsCompleted, Gather, TryGather, as_completed, as_completed_limited, gather, gather_limited,
    try_gather, try_gather_limited,
};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use concurrency::gather_tuple::{GatherTuple, IntoGather, TryGatherTuple, TryIntoGather};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use concurrency::in_order::{InOrder, in_order, in_order_limited};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use concurrency::merge::{IntoMerge, Merge, TryMerge, merge, try_merge};
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use concurrency::set_event::SetEvent;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use concurrency::source::{FromStream, IntoSource, Source, from_stream};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use concurrency::spawn::{
    SpawnAsCompleted, SpawnMerge, spawn_as_completed, spawn_gather, spawn_merge, try_spawn_gather,
};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use concurrency::spawn_set::SpawnSet;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use concurrency::{
    future_set::FutureSet,
    set::{SetIntoIter, SetIter, SetIterMut, SetIterPinMut},
    stream_set::StreamSet,
};

/// Merges streams of different types with one item type: `merge!(a, b, c)` is
/// `(a, b, c).merge()`; see [`merge()`] for how items are interleaved.
///
/// It takes any number of streams, up to the macro recursion limit (one level per stream:
/// about 120 under the default limit of 128; raise `#![recursion_limit]` for more, as for
/// tokio's `join!`). Up to 12 it is the tuple's
/// [`IntoMerge`]; past 12 the macro lays the sources out in one flat tuple itself, the same
/// engine. `merge!()` is a stream that ends at once, its item type left to the context (where
/// `().merge()`'s is `Infallible`).
///
/// # Panics
///
/// As [`merge()`]: a source whose poll or drop panics is dropped, and the merge goes on
/// with the others.
///
/// # Examples
///
/// ```
/// use asyncgen::{async_gen, merge, yield_};
/// use futures::{StreamExt, stream};
///
/// #[async_gen]
/// async fn numbers() -> u32 {
///     yield_!(1);
///     yield_!(2);
/// }
///
/// let merged = merge!(numbers(), stream::iter([10, 20]), stream::once(async { 30 }));
/// let mut items: Vec<u32> = futures::executor::block_on(merged.collect());
/// items.sort();
/// assert_eq!(items, [1, 2, 10, 20, 30]);
///
/// // With nothing: it ends at once; the context gives the item type.
/// let nothing: Option<u32> = futures::executor::block_on(merge!().next());
/// assert_eq!(nothing, None);
/// ```
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[macro_export]
macro_rules! merge {
    () => {
        $crate::IntoMerge::merge($crate::__private::NoSources::new())
    };
    (
        $e0:expr, $e1:expr, $e2:expr, $e3:expr, $e4:expr, $e5:expr, $e6:expr, $e7:expr,
        $e8:expr, $e9:expr, $e10:expr, $e11:expr, $e12:expr $(, $rest:expr)* $(,)?
    ) => {
        $crate::IntoMerge::merge($crate::__many_sources!(merge_arg;
            $e0, $e1, $e2, $e3, $e4, $e5, $e6, $e7, $e8, $e9, $e10, $e11, $e12 $(, $rest)*
        ))
    };
    ($($stream:expr),+ $(,)?) => {
        $crate::IntoMerge::merge(($($crate::bounds::merge_arg($stream),)+))
    };
}

/// Merges streams of `Result`s of different types, with one `Ok` and one `Err` type, until the
/// first `Err`: `try_merge!(a, b, c)` is `(a, b, c).try_merge()`; see [`try_merge()`].
///
/// Any number of streams, as [`merge!`]. `try_merge!()` ends at once.
///
/// # Errors
///
/// The first `Err` any source yields is the merged stream's last item: every source is
/// dropped before it is handed out.
///
/// # Panics
///
/// As [`try_merge()`]: a source whose poll or drop panics is dropped, and the merge goes on
/// with the others; when a drop panics as the sources are dropped for an `Err`, the next poll
/// hands out the `Err`.
///
/// # Examples
///
/// ```
/// use asyncgen::try_merge;
/// use futures::{StreamExt, stream};
///
/// let readings = stream::iter([Ok(20), Ok(21)]);
/// let alarms = stream::once(async { Err("sensor offline") });
/// let items: Vec<Result<u32, &str>> =
///     futures::executor::block_on(try_merge!(readings, alarms).collect());
/// assert_eq!(items.last(), Some(&Err("sensor offline")));
/// ```
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[macro_export]
macro_rules! try_merge {
    () => {
        $crate::IntoMerge::try_merge($crate::__private::NoSources::new())
    };
    (
        $e0:expr, $e1:expr, $e2:expr, $e3:expr, $e4:expr, $e5:expr, $e6:expr, $e7:expr,
        $e8:expr, $e9:expr, $e10:expr, $e11:expr, $e12:expr $(, $rest:expr)* $(,)?
    ) => {
        $crate::IntoMerge::try_merge($crate::__many_sources!(try_merge_arg;
            $e0, $e1, $e2, $e3, $e4, $e5, $e6, $e7, $e8, $e9, $e10, $e11, $e12 $(, $rest)*
        ))
    };
    ($($stream:expr),+ $(,)?) => {
        $crate::IntoMerge::try_merge(($($crate::bounds::try_merge_arg($stream),)+))
    };
}

/// Not public API: the sources of a `merge!` or `try_merge!` of more than 12, in one flat
/// tuple, and closures that reach the one in slot `n`.
///
/// Each source is first given the `_`s that skip the ones before it in a tuple pattern, and
/// its index as `0 + 1 + ..` (tokio's `join!` normalizes its branches the same way):
/// from `merge_arg; a, b, c` to `[() (0)] a, [(_) (0 + 1)] b, [(_ _) (0 + 1 + 1)] c,`, then
/// slot `n` is reached by `|sources| { let (_, _, source, ..) = sources; source }`, the `n`th
/// of an array of such non-capturing closures (as fn pointers: one indexed call per poll).
#[cfg(feature = "alloc")]
#[doc(hidden)]
#[macro_export]
macro_rules! __many_sources {
    (@{ $check:ident ($($count:tt)*) ($($total:tt)*)
        $( [ ($($skip:tt)*) ($($index:tt)*) ] $e:expr, )* }) => {
        $crate::__private::many_sources(
            ( $( $crate::__private::source($crate::bounds::$check($e)), )* ),
            [ $( |sources| {
                let ( $($skip,)* source, .. ) = sources;
                source
            }, )* ],
            |sources| [ $( {
                let ( $($skip,)* source, .. ) = sources;
                $crate::__private::SourceSlot::slot_hint(source)
            }, )* ],
        )
    };
    (@{ $check:ident ($($s:tt)*) ($($n:tt)*) $($done:tt)* } $e:expr, $($rest:tt)*) => {
        $crate::__many_sources!(@{
            $check ($($s)* _) ($($n)* + 1) $($done)* [($($s)*) ($($n)*)] $e,
        } $($rest)*)
    };
    ($check:ident; $($e:expr),+) => {
        $crate::__many_sources!(@{ $check () (0) } $($e,)+)
    };
}

/// Runs futures of different types concurrently and resolves to the tuple of their outputs:
/// `asyncio.gather(a, b, c)`. For many of one type, use [`gather()`].
///
/// It takes any number of futures, up to the macro recursion limit (one level per future:
/// about 120 under the default limit of 128; raise `#![recursion_limit]` for more, as for
/// tokio's `join!`), and resolves to a flat tuple of as many outputs. Up to 12 it is the
/// tuple's [`IntoGather`]; past 12 the macro lays the futures out in one flat tuple itself,
/// the same engine. `gather!()` resolves to `()` at its first poll, as `futures::join!()` and
/// tokio's `join!()`.
///
/// # Panics
///
/// As [`gather()`]: its poll panics when a future's poll or drop panics (that future is
/// dropped with its output); polled on, it runs the others, then panics ("an output is
/// missing") rather than resolve without one output per future.
///
/// # Examples
///
/// ```
/// use asyncgen::gather;
///
/// async fn name() -> &'static str {
///     "Ada"
/// }
/// async fn age() -> u32 {
///     36
/// }
///
/// let (name, age) = futures::executor::block_on(gather!(name(), age()));
/// assert_eq!((name, age), ("Ada", 36));
///
/// // More than 12: still one flat tuple.
/// let (a, b, c, d, e, f, g, h, i, j, k, l, m) = futures::executor::block_on(gather!(
///     async { 1 }, async { 2 }, async { 3 }, async { 4 }, async { 5 }, async { 6 },
///     async { 7 }, async { 8 }, async { 9 }, async { 10 }, async { 11 }, async { 12 },
///     async { "thirteen" },
/// ));
/// assert_eq!((a, l, m), (1, 12, "thirteen"));
/// assert_eq!([b, c, d, e, f, g, h, i, j, k], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
/// ```
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[macro_export]
macro_rules! gather {
    () => {
        $crate::IntoGather::gather(())
    };
    (
        $e0:expr, $e1:expr, $e2:expr, $e3:expr, $e4:expr, $e5:expr, $e6:expr, $e7:expr,
        $e8:expr, $e9:expr, $e10:expr, $e11:expr, $e12:expr $(, $rest:expr)* $(,)?
    ) => {
        $crate::__private::gather_children(
            $crate::__many_children!((TupleChild take_output gather_arg);
                $e0, $e1, $e2, $e3, $e4, $e5, $e6, $e7, $e8, $e9, $e10, $e11, $e12 $(, $rest)*
            )
        )
    };
    ($($future:expr),+ $(,)?) => {
        $crate::IntoGather::gather(($($crate::bounds::gather_arg($future),)+))
    };
}

/// Runs fallible futures of different types concurrently: the tuple of their `Ok` values, or
/// the first `Err` in completion order, returned after the others are dropped.
///
/// Any number of futures, as [`gather!`]. `try_gather!()` resolves to `Ok(())` at its first
/// poll, its error type left to the context (as tokio's `try_join!()`; `().try_gather()`'s is
/// `Infallible`).
///
/// # Errors
///
/// Resolves to the first `Err` a future returns, in completion order, once every other future
/// has been dropped.
///
/// # Panics
///
/// As [`gather!`]. And when a drop panics as the others are dropped for an `Err`, the `Err` is
/// kept: polled again, it resolves to it.
///
/// # Examples
///
/// ```
/// use asyncgen::try_gather;
///
/// async fn user() -> Result<&'static str, String> {
///     Ok("ada")
/// }
/// async fn quota() -> Result<u32, String> {
///     Err("quota service down".to_string())
/// }
///
/// let result = futures::executor::block_on(try_gather!(user(), quota()));
/// assert_eq!(result, Err("quota service down".to_string()));
/// ```
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[macro_export]
macro_rules! try_gather {
    () => {
        $crate::__private::try_gather_children($crate::__private::NoChildren::new())
    };
    (
        $e0:expr, $e1:expr, $e2:expr, $e3:expr, $e4:expr, $e5:expr, $e6:expr, $e7:expr,
        $e8:expr, $e9:expr, $e10:expr, $e11:expr, $e12:expr $(, $rest:expr)* $(,)?
    ) => {
        $crate::__private::try_gather_children(
            $crate::__many_children!((TryChild take_ok try_gather_arg);
                $e0, $e1, $e2, $e3, $e4, $e5, $e6, $e7, $e8, $e9, $e10, $e11, $e12 $(, $rest)*
            )
        )
    };
    ($($future:expr),+ $(,)?) => {
        $crate::TryIntoGather::try_gather(($($crate::bounds::try_gather_arg($future),)+))
    };
}

/// Not public API: the futures of a `gather!` or `try_gather!` of more than 12, in one flat
/// tuple of `$slot`s, and closures that reach the one in slot `n` (an array of them), take the
/// outputs (`$take` of each) and drop them all. Normalized as in `__many_sources!`.
#[cfg(feature = "alloc")]
#[doc(hidden)]
#[macro_export]
macro_rules! __many_children {
    (@{ ($slot:ident $take:ident $check:ident) ($($count:tt)*) ($($total:tt)*)
        $( [ ($($skip:tt)*) ($($index:tt)*) ] $e:expr, )* }) => {
        $crate::__private::many_children(
            ( $( $crate::__private::$slot::new($crate::bounds::$check($e)), )* ),
            [ $( |children| {
                let ( $($skip,)* child, .. ) = children;
                child
            }, )* ],
            |children| {
                $crate::__private::Option::Some(( $( {
                    let ( $($skip,)* child, .. ) = &mut *children;
                    child.$take()?
                }, )* ))
            },
            // One assignment: the old tuple's drop goes on with the others after one panics.
            |children| *children = ( $( $crate::__private::$slot::taken($($index)*), )* ),
        )
    };
    (@{ $kind:tt ($($s:tt)*) ($($n:tt)*) $($done:tt)* } $e:expr, $($rest:tt)*) => {
        $crate::__many_children!(@{
            $kind ($($s)* _) ($($n)* + 1) $($done)* [($($s)*) ($($n)*)] $e,
        } $($rest)*)
    };
    ($kind:tt; $($e:expr),+) => {
        $crate::__many_children!(@{ $kind () (0) } $($e,)+)
    };
}

/// Turns an `async fn` whose body uses `yield_!` into a function returning
/// `impl FusedStream<Item = T> + Close`, where `T` is the declared return type ([`Close`]: end
/// it early, running its [`finally!`] blocks).
///
/// See the [crate docs](crate) for the whole surface.
///
/// # Examples
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
///
/// # Methods and traits
///
/// It works on methods (`&self`, `&mut self`, `self`, `self: Pin<&mut Self>`), with generics,
/// lifetimes, `impl Trait` arguments and `where` clauses; the stream captures the arguments as
/// an `async fn` future does. Attributes and doc comments stay on the generated fn. Attribute
/// macros run from the top down, so put `#[async_gen]` above those that rewrite an `async fn`
/// (`#[tracing::instrument]` below it instruments the call that makes the stream; above it, it
/// would wrap the body in an `async` block and hide its yields). In a trait,
/// plain `#[async_gen]` gives a return-position `impl Stream` (fine for generic code, not for
/// `dyn`: `dyn Trait` then fails with E0038, whose reasons include "...because method
/// `list_for_dyn_needs_async_gen_boxed` has generic type parameters", a hidden method a
/// declaration without a body brings to say what to write, with the declaration's `where`
/// clause, so `where Self: Sized` keeps both out of `dyn`). For `dyn Trait` and recursion, box
/// it:
///
/// - `#[async_gen(boxed)]` returns `Pin<Box<dyn Stream<Item = T> + Send + 'x>>`; the body must
///   be `Send` (a default method that uses `&self` then needs `Self: Sync`: `trait Name: Sync`,
///   or `where Self: Sync` on the method).
/// - `#[async_gen(boxed_local)]` returns the same without `Send`.
///
///   The boxed forms return the type a hand-written trait names (`futures`' `BoxStream`), so
///   that an `impl` of such a trait can use them; `dyn Stream` has no [`Close`], so a boxed
///   generator is ended by dropping it, which runs its body's `Drop`s but not its [`finally!`]
///   blocks.
/// - `#[async_gen(send)]` keeps the unboxed `impl FusedStream<Item = T> + Close` and adds `+ Send`, as
///   `trait-variant` does for `async fn`s: every implementation's body must then be `Send`, and
///   generic code (`fn f<S: Store>(s: S)`) can spawn the stream. Without it, only callers who
///   know the implementing type learn whether the stream is `Send`.
///
/// `'x` is `'_` when the fn has exactly one input lifetime (the usual `&self` method: the
/// signature is then exactly what you would write by hand), nothing (`'static`) when it borrows
/// nothing, and otherwise a new lifetime `'asyncgen` that every input lifetime, type parameter
/// and `Self` must outlive, as `async-trait` does. Put the attribute on the trait's declaration
/// and on each impl; a declaration without a body is fine.
///
/// The macro sees one fn at a time, so two things are out of its sight: a type parameter of
/// the `impl` or trait that is not part of `Self` gets no lifetime bound (add `T: 'static`, or
/// `T: Send + Sync + 'static`, yourself), and a lifetime hidden in a path (`Wrapper` for
/// `Wrapper<'_>`) is not seen: write the `'_` (rustc's `elided_lifetimes_in_paths` lint
/// finds them).
///
/// ```
/// use asyncgen::{async_gen, yield_, yield_all};
/// use futures::StreamExt;
///
/// struct Dir {
///     name: &'static str,
///     children: Vec<Dir>,
/// }
///
/// trait Walk {
///     #[async_gen(boxed)]
///     async fn paths(&self, prefix: String) -> String;
/// }
///
/// impl Walk for Dir {
///     // Recursive: a boxed stream has a name-able type.
///     #[async_gen(boxed)]
///     async fn paths(&self, prefix: String) -> String {
///         let path = format!("{prefix}/{}", self.name);
///         yield_!(path.clone());
///         for child in &self.children {
///             yield_all!(child.paths(path.clone()));
///         }
///     }
/// }
///
/// let tree = Dir {
///     name: "a",
///     children: vec![Dir { name: "b", children: vec![] }, Dir { name: "c", children: vec![] }],
/// };
/// let walker: &dyn Walk = &tree;
/// let paths: Vec<String> = futures::executor::block_on(walker.paths(String::new()).collect());
/// assert_eq!(paths, ["/a", "/a/b", "/a/c"]);
/// ```
///
/// # `?`
///
/// When the item type is a `Result<T, E>`, `?` on a `Result<_, E2>` with `E: From<E2>` yields
/// `Err(e.into())` as the last item and ends the stream, as in RFC 3513's `gen` blocks; with an
/// `Option<T>` item type, `?` on an `Option` yields `None` and ends. Closures and `async` blocks
/// inside the body keep their own `?`. In the arguments of macros that are not lists of
/// expressions (`tokio::select!` arms), the operand of `?` is the postfix chain before it
/// (`a.b(c)?`, `x.await?`, `f::<T>(x)?`, `<T as Tr>::f(x)?`, `(expr)?`); put anything else
/// in parentheses.
///
/// ```
/// use asyncgen::{async_gen, yield_};
/// use futures::StreamExt;
///
/// #[async_gen]
/// async fn parse_all(lines: Vec<&'static str>) -> Result<u32, std::num::ParseIntError> {
///     for line in lines {
///         yield_!(Ok(line.parse()?));
///     }
/// }
///
/// let items: Vec<_> = futures::executor::block_on(parse_all(vec!["1", "x", "3"]).collect());
/// assert_eq!(items.len(), 2); // `Ok(1)`, then the error; "3" is never parsed
/// assert!(items[1].is_err());
/// ```
///
/// # A renamed or re-exported dependency
///
/// With the dependency renamed in `Cargo.toml` (`ag = { package = "asyncgen", .. }`), every
/// form works as written: `#[ag::async_gen]`, `#[generator]`, `#[for_await]`, `ag::yield_!`.
/// The attributes name asyncgen by the name rustc links it under, which they read from
/// rustc's `--extern ag=..` arguments. (`stream!`, `iter!`, `merge!`, `gather!` and the other
/// function-like macros need none of this: they reach asyncgen through `$crate`, as
/// async-stream's do, whatever path they are called by.)
///
/// Why rustc's arguments rather than `Cargo.toml`: they are the name rustc resolves, whatever
/// made it so (a rename in `[dependencies]`, one inherited from `[workspace.dependencies]`,
/// a target-specific or dev-dependency), and reading them needs no TOML parser, which the
/// `proc-macro-crate` crate would add to every user's build. Where the arguments are not
/// rustc's (rust-analyzer's macro server), the code names `::asyncgen`.
///
/// Neither can find a library that re-exports asyncgen to its users: its users have no
/// dependency on asyncgen to read. There (and wherever the guess is wrong), say where it is
/// with `crate = path` (or `crate = "path"`, as in serde and tokio):
/// `#[async_gen(crate = my_lib::asyncgen)]`, `#[generator(crate = ..)]` and
/// `#[for_await(crate = ..)]` on an item; without it, the attribute's error says to. Paths to
/// the macros inside the body may then also start with it (`my_lib::asyncgen::yield_!`).
///
/// ```
/// # extern crate asyncgen as ag; // as `ag = { package = "asyncgen", .. }` would
/// use ag::{async_gen, yield_};
/// use futures::StreamExt;
///
/// #[async_gen(crate = ag)]
/// async fn count(n: u32) -> u32 {
///     for i in 0..n {
///         ag::yield_!(i);
///     }
/// }
///
/// let items: Vec<u32> = futures::executor::block_on(count(3).collect());
/// assert_eq!(items, [0, 1, 2]);
/// ```
///
/// # Panics
///
/// The stream's `poll_next` panics when the body panics; polled again after that, the stream
/// returns `None`.
#[doc(inline)]
pub use asyncgen_macros::async_gen;

/// Turns a sync `fn` whose body uses `yield_!` into a function returning
/// `impl FusedIterator<Item = T>` (an `Iterator`), where `T` is the declared return type.
///
/// # Examples
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
///
/// Methods, traits, `?` and `yield_all!` work as for [`async_gen`]. The options are
/// `#[generator(boxed)]`, returning `Box<dyn Iterator<Item = T> + Send + 'x>`,
/// `#[generator(boxed_local)]`, without `Send`, with the same lifetime rule, `send` (the
/// unboxed iterator is also `Send`) and `crate = path` (see [`async_gen`]).
///
/// ```
/// use asyncgen::{generator, yield_, yield_all};
///
/// enum Tree {
///     Leaf(u32),
///     Node(Vec<Tree>),
/// }
///
/// impl Tree {
///     #[generator(boxed)]
///     fn leaves(&self) -> u32 {
///         match self {
///             Tree::Leaf(n) => yield_!(*n),
///             Tree::Node(children) => {
///                 for child in children {
///                     yield_all!(child.leaves());
///                 }
///             }
///         }
///     }
/// }
///
/// let tree = Tree::Node(vec![Tree::Leaf(1), Tree::Node(vec![Tree::Leaf(2), Tree::Leaf(3)])]);
/// assert_eq!(tree.leaves().collect::<Vec<_>>(), [1, 2, 3]);
/// ```
///
/// # Panics
///
/// The iterator's `next` panics when the body panics; called again after that, it returns
/// `None`. It also panics if the body awaits a future that is not ready: an `.await` the
/// attribute can see is a compile error, but one inside another macro's arguments is not.
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[doc(inline)]
pub use asyncgen_macros::generator;

/// Awaits each item of a stream: `#[for_await] for item in stream { .. }` is Python's
/// `async for item in stream:`.
///
/// Inside an `#[async_gen]` body (and `stream!`) the loops are rewritten by the generator's
/// own macro. Anywhere else, put `#[for_await]` on the enclosing item too (an `async fn`, an
/// `impl` block, ..): on stable, only the macro on an item may rewrite the statements inside
/// it. It composes with `#[tokio::main]` and `#[tokio::test]`, in either order.
///
/// The loop pins the stream (so `!Unpin` streams such as an `#[async_gen]` fn's work), awaits
/// each item, and drops the stream when the loop ends; `break`, `continue`, labels and
/// irrefutable patterns work as in a `for` loop. The loop must be in async code; a
/// `#[for_await]` on anything but a `for` loop is an error.
///
/// # Examples
///
/// ```
/// use asyncgen::{async_gen, for_await, yield_};
///
/// #[async_gen]
/// async fn pairs() -> (char, u32) {
///     yield_!(('a', 1));
///     yield_!(('b', 2));
///     yield_!(('c', 3));
/// }
///
/// #[for_await]
/// async fn total() -> u32 {
///     let mut sum = 0;
///     #[for_await]
///     for (name, n) in pairs() {
///         if name == 'c' {
///             break;
///         }
///         sum += n;
///     }
///     sum
/// }
///
/// assert_eq!(futures::executor::block_on(total()), 3);
/// ```
#[doc(inline)]
pub use asyncgen_macros::for_await;

/// A generator block that is an `impl Stream`: `stream! { .. yield x; .. }`.
///
/// The function-like twin of [`async_gen`], for a stream made inline. Its body is statements,
/// like an `async move` block's: it captures what it uses by value, may `.await`, and uses the
/// literal syntax on stable: `yield value;` and `for await item in stream { .. }` (and also
/// `yield_!`, `yield_all!`, `#[for_await]`, `?` with a `Result` item type). The item type is
/// inferred from what it yields, or written first, as in a closure: `stream!(-> u32 { .. })`;
/// a block that yields nothing (`stream! {}`) is a stream of `()`, as async-stream's is.
/// A `stream!` inside another yields to its own stream only.
///
/// (It is not called `async_gen!`: a function-like macro and an attribute macro cannot share
/// a name.)
///
/// # Panics
///
/// As for [`async_gen`]: the stream's `poll_next` panics when the body panics, and returns
/// `None` after that.
///
/// # Examples
///
/// ```
/// use asyncgen::stream;
/// use futures::StreamExt;
///
/// let evens = stream! {
///     for n in 0..10u32 {
///         if n % 2 == 0 {
///             yield n;
///         }
///     }
/// };
/// let doubled = stream!(-> u64 {
///     for await n in evens {
///         yield u64::from(n) * 2;
///     }
/// });
/// let items: Vec<u64> = futures::executor::block_on(doubled.collect());
/// assert_eq!(items, [0, 4, 8, 12, 16]);
/// ```
///
/// Called through any path (`ag::stream!` where the dependency is renamed, `my_lib::stream!`
/// where a library re-exports it), it finds asyncgen by itself: the generated code names it
/// through `$crate`. `crate = path;` first in the block is still accepted.
#[macro_export]
macro_rules! stream {
    ($($tokens:tt)*) => {
        $crate::__private::stream_inner!(($crate) $($tokens)*)
    };
}

/// A sync generator block that is an `impl Iterator`: `iter! { .. yield x; .. }`.
///
/// The function-like twin of [`generator`], with the same body rules as [`stream!`] except
/// that it cannot await (`iter! {}` is an iterator of `()`). It boxes its state once, never
/// per item.
///
/// # Panics
///
/// As for [`generator`]: the iterator's `next` panics when the body panics (and returns `None`
/// after that), or awaits a future that is not ready.
///
/// # Examples
///
/// ```
/// use asyncgen::iter;
///
/// let words = ["a", "bb", "ccc"];
/// let letters = iter! {
///     for word in words {
///         for c in word.chars() {
///             yield c;
///         }
///         yield '/';
///     }
/// };
/// assert_eq!(letters.collect::<String>(), "a/bb/ccc/");
/// ```
///
/// Like [`stream!`], it works through any path the crate is reached by.
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[macro_export]
macro_rules! iter {
    ($($tokens:tt)*) => {
        $crate::__private::iter_inner!(($crate) $($tokens)*)
    };
}

/// Yields a value from the enclosing `#[async_gen]` or `#[generator]` function.
///
/// The generator's attribute rewrites every `yield_!(value)` of its body into
/// `yield_!(@lowered <hidden yielder>: <item type>, value)` (the type is left out where the
/// body could give it another meaning), which checks the value against the item type where it
/// is written and awaits the yield, or, where it cannot
/// suspend the generator (in a closure), `yield_!(@error "why")`. A call the attribute did not
/// rewrite has no generator around it and reports that as an error. The attribute finds calls
/// by their name as written (`yield_!`, `asyncgen::yield_!`): a renamed import, or a
/// `macro_rules!` defined outside the body that expands to `yield_!`, is not seen; pass the
/// `yield_!(..)` call to such a macro as an argument instead.
///
/// # Examples
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
    // The value is evaluated first, in its own statement: its temporaries (a `MutexGuard`,
    // ..) are gone before the generator suspends, and it may itself yield.
    // The item type as declared (spans and all): a mismatch points at the value and at the
    // declaration.
    (@lowered $yielder:ident: $item:ty, $value:expr) => {{
        let value: $item = $value;
        $yielder.suspend(value).await
    }};
    // The item type is inferred (`stream!` without `-> T`) or an `impl Trait`.
    (@lowered $yielder:ident, $value:expr) => {{
        let value = $crate::__private::ItemOf::of(&$yielder).check($value);
        $yielder.suspend(value).await
    }};
    (@error $message:literal) => {
        $crate::__private::compile_error! { $message }
    };
    // A misuse the attribute reports itself: only keeps the user's import used.
    (@used) => {};
    ($($value:tt)*) => {
        $crate::__private::compile_error! {
            "`yield_!` can only be used in the body of an `#[async_gen]` or `#[generator]` fn, \
written there as `yield_!` (not renamed, not produced by a macro defined elsewhere)"
        }
    };
}

/// A cleanup block in an `#[async_gen]` body or a `stream!` block, which may `.await`: Python's
/// `try: .. finally: ..` around the rest of the body.
///
/// `finally! { .. }`, a statement at the top level of the body, runs its block exactly once
/// when the generator ends after reaching it: at the body's end, at `return`, at a `?` that
/// ends it, and when the consumer closes the stream ([`Close::close`], Python's `aclose()`).
/// The block sees the locals written before it, and its `.await`s complete before `close()`
/// returns. Several `finally!`s run innermost (last written) first. A `yield_!`, `yield_all!`
/// or `?` in the block is an error: the generator is ending.
///
/// What does not run it: a plain drop of the stream (a `Drop` impl cannot `.await`: the body's
/// values are dropped, their own `Drop` impls run), and a panic in the body (the unwinding
/// drops the body's values; the stream has ended). Nor does a panic on the way: one in an
/// inner cleanup, or in a `Drop` of what a close cancels, reaches the caller and ends the
/// stream without the cleanups around it (Python's `finally` would run them; Rust's unwinding
/// cannot await). A close before the body reached the
/// `finally!` does not run it, as Python's `aclose()` on a generator that has not entered the
/// `try`. In a sync `#[generator]`, use a value with a `Drop` impl.
///
/// # Examples
///
/// ```
/// use asyncgen::{Close, async_gen, finally, yield_};
/// use futures::StreamExt;
/// use std::sync::{Arc, Mutex};
///
/// #[async_gen]
/// async fn lines(log: Arc<Mutex<Vec<String>>>) -> &'static str {
///     log.lock().unwrap().push("open".into());
///     finally! {
///         async {}.await; // an async close of the file, connection, subscription ..
///         log.lock().unwrap().push("closed".into());
///     }
///     yield_!("first");
///     yield_!("second");
/// }
///
/// futures::executor::block_on(async {
///     let log = Arc::new(Mutex::new(Vec::new()));
///     // To the end: the cleanup runs after the last item.
///     let all: Vec<_> = lines(log.clone()).collect().await;
///     assert_eq!(all, ["first", "second"]);
///     // Closed after one item: the cleanup runs in `close()`.
///     let mut stream = std::pin::pin!(lines(log.clone()));
///     assert_eq!(stream.next().await, Some("first"));
///     stream.close().await;
///     assert_eq!(*log.lock().unwrap(), ["open", "closed", "open", "closed"]);
/// });
/// ```
///
/// ```compile_fail
/// fn not_a_generator() {
///     asyncgen::finally! {}
/// }
/// ```
#[macro_export]
macro_rules! finally {
    (@error $message:literal) => {
        $crate::__private::compile_error! { $message }
    };
    // A use the attribute lowered or reported itself: only keeps the user's import used.
    (@used) => {};
    ($($cleanup:tt)*) => {
        $crate::__private::compile_error! {
            "`finally!` can only be used as a statement at the top level of an `#[async_gen]` \
fn's body or a `stream!` block (not in a block, loop, closure, another macro or another \
`finally!`), written there as `finally!`: it guards the rest of the body. A sync \
`#[generator]` cleans up with a value's `Drop`"
        }
    };
}

/// Yields every item of a stream or an iterator from the enclosing generator: Python's
/// `yield from` (and `async for x in s: yield x`).
///
/// In an `#[async_gen]` body (or `stream!`) the source may be a `Stream` or anything
/// `IntoIterator`; a type that is both is treated as a `Stream`. In a `#[generator]` body (or
/// `iter!`) it must be `IntoIterator`. The items must have the generator's item type; the
/// source is dropped once it ends.
///
/// Closing the generator ([`Close`]) while it drains a stream closes that stream first (so its
/// own [`finally!`] blocks run), then the generator's. This holds for a `yield_all!` written in
/// the body itself, of a source whose type is known there to implement [`Close`]: a
/// generator's stream, `merge`, `StreamSet`, a `Pin<Box<..>>` or `&mut` of one, a generic
/// `S: Stream + Close`. A source known only as a `Stream` (a generic `S: Stream`, an
/// `impl Stream` return type, a `futures` adapter such as `.map(..)`, a `BoxStream`) is
/// dropped when the generator is closed, as is the source of a `yield_all!` inside another
/// macro's arguments (`tokio::select!` arms).
///
/// # Examples
///
/// ```
/// use asyncgen::{async_gen, yield_, yield_all};
/// use futures::StreamExt;
///
/// #[async_gen]
/// async fn digits() -> u32 {
///     yield_all!(0..3); // an iterator
/// }
///
/// #[async_gen]
/// async fn twice() -> u32 {
///     yield_all!(digits()); // a stream
///     yield_all!(digits());
///     yield_!(99);
/// }
///
/// let items: Vec<u32> = futures::executor::block_on(twice().collect());
/// assert_eq!(items, [0, 1, 2, 0, 1, 2, 99]);
/// ```
///
/// ```compile_fail
/// fn not_a_generator() {
///     asyncgen::yield_all!(0..3);
/// }
/// ```
#[macro_export]
macro_rules! yield_all {
    // Like a `for` loop, the source's temporaries live until the delegation ends (a
    // `match` scrutinee's do), so `yield_all!(vec.iter())` on a temporary `vec` works.
    // The item type as declared: a source of other items is reported against the declaration.
    (@lowered $yielder:ident: $item:ty, $source:expr) => {
        match $crate::__private::Delegate($source) {
            source => {
                use $crate::__private::{ViaIter as _, ViaStream as _};
                // Its own statement: the `&&source` temporary must not live across an `.await`.
                let tag = (&&source).delegate_tag();
                match $crate::__private::pin!(tag.into_stream(source)) {
                    mut stream => {
                        while let $crate::__private::Option::Some(item) =
                            $crate::__private::next($crate::__private::Pin::as_mut(&mut stream)).await
                        {
                            let item: $item = item;
                            $yielder.suspend(item).await;
                        }
                    }
                }
            }
        }
    };
    (@lowered $yielder:ident, $source:expr) => {
        $crate::yield_all!(@lowered $yielder: _, $source)
    };
    // In a body whose close passes on to the source (`generator::cleanup`): drained through
    // `next_or_close`, which closes it when the generator is closed.
    (@lowered_closing $yielder:ident: $item:ty, $state:ident, $source:expr) => {
        match $crate::__private::Delegate($source) {
            source => {
                use $crate::__private::{ViaClose as _, ViaIter as _, ViaNoClose as _, ViaStream as _};
                let tag = (&&source).delegate_tag();
                match $crate::__private::pin!(tag.into_stream(source)) {
                    mut stream => {
                        let closer = (&&$crate::__private::CloseTag::of(&stream)).closer();
                        let _draining = $crate::__private::Draining::enter(&$state);
                        while let $crate::__private::Option::Some(item) =
                            $crate::__private::next_or_close(&$state, closer, $crate::__private::Pin::as_mut(&mut stream)).await
                        {
                            let item: $item = item;
                            $yielder.suspend(item).await;
                        }
                    }
                }
            }
        }
    };
    (@lowered_closing $yielder:ident, $state:ident, $source:expr) => {
        $crate::yield_all!(@lowered_closing $yielder: _, $state, $source)
    };
    (@lowered_iter $yielder:ident: $item:ty, $source:expr) => {
        for item in $source {
            let item: $item = item;
            $yielder.suspend(item).await;
        }
    };
    (@lowered_iter $yielder:ident, $source:expr) => {
        $crate::yield_all!(@lowered_iter $yielder: _, $source)
    };
    (@error $message:literal) => {
        $crate::__private::compile_error! { $message }
    };
    // A misuse the attribute reports itself: only keeps the user's import used.
    (@used) => {};
    ($($source:tt)*) => {
        $crate::__private::compile_error! {
            "`yield_all!` can only be used in the body of an `#[async_gen]` or `#[generator]` fn, \
written there as `yield_all!` (not renamed, not produced by a macro defined elsewhere)"
        }
    };
}

/// The bounds the macros' code checks: what `?` in a generator body works on, and what
/// `merge!`, `try_merge!`, `gather!` and `try_gather!` take.
///
/// You never call or implement these. They are public so that an error about them names a
/// path you can look up here (`the trait asyncgen::bounds::Try<_, _> is not implemented for
/// ..`), not a hidden one. `Try` and `FromResidual` are stable stand-ins for the standard
/// library's unstable traits of the same names, implemented by `Result` and `Option` only
/// (they are sealed): see [`async_gen`]'s "`?`" section for what `?` does in
/// a body. The `*Arg` traits are implemented by every stream or future of the right kind.
pub mod bounds {
    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    pub use crate::concurrency::macro_args::{GatherArg, MergeArg, TryGatherArg, TryMergeArg};
    // The fns the expansions pass values through to check them: errors name them ("required
    // by a bound in `asyncgen::bounds::merge_arg`"), users never call them.
    #[cfg(feature = "alloc")]
    #[doc(hidden)]
    pub use crate::concurrency::macro_args::{
        gather_arg, merge_arg, try_gather_arg, try_merge_arg,
    };
    #[doc(hidden)]
    pub use crate::generator::question_mark::branch;
    pub use crate::generator::question_mark::{ErrorFrom, FromResidual, Try};
}

/// Not public API: the ready queue, for the loom model in `core/tests/loom.rs`.
#[cfg(all(asyncgen_loom, feature = "alloc"))]
#[doc(hidden)]
pub mod __loom {
    pub use crate::concurrency::ready_queue::ReadyQueue;
}

// Not public API: the bound that says to pin a generator's stream (`yielder.rs`). Reachable
// from the root, so rustc names it `UnpinBody` in that error, where a path through a hidden
// module would be printed whole.
#[doc(hidden)]
pub use yielder::UnpinBody;

/// Not public API: what the macros' generated code calls.
#[doc(hidden)]
pub mod __private {
    // Generated code names `core`'s items through here, never as `::core::..`: a crate may
    // make `::core` another crate (`extern crate x as core;` at its root, as
    // futures-async-stream's `tests/overwriting_core_crate.rs` does; tests/shadowed_core).
    pub use core::compile_error;
    pub use core::iter::{FusedIterator, Iterator};
    pub use core::marker::Send;
    pub use core::ops::ControlFlow;
    pub use core::option::Option;
    pub use core::pin::{Pin, pin};

    #[cfg(feature = "alloc")]
    pub use crate::concurrency::gather_tuple::{
        NoChildren, TryChild, TupleChild, gather_children, many_children, try_gather_children,
    };
    #[cfg(feature = "alloc")]
    pub use crate::concurrency::merge::{NoSources, SourceSlot, many_sources, source};
    pub use crate::generator::cleanup::{
        CleanupState, CloseTag, Draining, ViaClose, ViaNoClose, guarded, next_or_close,
    };
    pub use crate::generator::next::{Next, next};
    // What the `stream!` / `iter!` front-ends call, with `$crate` first.
    #[cfg(feature = "nightly")]
    pub use crate::generator::nightly::async_gen;
    #[cfg(feature = "nightly")]
    pub use crate::generator::nightly::async_gen_with_cleanup;
    pub use crate::generator::receiver::SyncReceiver;
    #[cfg(feature = "alloc")]
    pub use crate::generator::sync_iter::generator;
    pub use crate::generator::yield_all::{
        Delegate, IterStream, IterTag, StreamTag, ViaIter, ViaStream,
    };
    pub use crate::yielder::{InMacro, Probe, SLOT_ON_THE_STACK, Suspend, YieldFuture, Yielder};
    #[cfg(not(feature = "nightly"))]
    pub use crate::yielder::{async_gen, async_gen_with_cleanup};
    #[cfg(feature = "alloc")]
    pub use asyncgen_macros::iter_inner;
    pub use asyncgen_macros::stream_inner;

    /// With the `nightly` feature, generator fns' return types name this trait too, so that
    /// they are `AsyncIterator`s without naming that unstable trait in the calling crate
    /// (which would need `#![feature(async_iterator)]` in every crate using the macros, as
    /// soon as one crate of a build turned the feature on).
    #[cfg(feature = "nightly")]
    pub trait AsyncIter<T>: core::async_iter::AsyncIterator<Item = T> {}

    #[cfg(feature = "nightly")]
    impl<T, S: core::async_iter::AsyncIterator<Item = T> + ?Sized> AsyncIter<T> for S {}
    #[cfg(feature = "alloc")]
    pub use alloc::boxed::Box;

    /// The item type of a generator, taken from its handle without keeping a borrow of it.
    ///
    /// `ItemOf::of(&handle).check(value)` type-checks `value` against the item type right where
    /// it is written (so a wrong type is reported at the yielded expression, naming the item
    /// type), and lets `value` itself yield, since the handle is no longer borrowed by then.
    pub struct ItemOf<T>(core::marker::PhantomData<fn(T) -> T>);

    impl<T> ItemOf<T> {
        /// The item type of the generator `_handle` yields to.
        #[inline(always)]
        pub fn of(_handle: &Yielder<'_, T>) -> Self {
            ItemOf(core::marker::PhantomData)
        }

        /// `value`, which must be of the item type.
        #[inline(always)]
        pub fn check(self, value: T) -> T {
            value
        }
    }

    impl<T> core::fmt::Debug for ItemOf<T> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("ItemOf")
        }
    }
}
