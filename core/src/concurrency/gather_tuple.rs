//! `gather!(a, b, c)` and `try_gather!(a, b, c)`: futures of different types, their outputs
//! as a tuple, on the same engine as [`gather`](crate::gather) (a waker per future, O(1) per
//! wake-up).
#![forbid(unsafe_code)]

use alloc::boxed::Box;
use core::convert::Infallible;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::FusedFuture;

use crate::concurrency::ready_queue::ReadyQueue;
use crate::concurrency::{POLL_BUDGET, child_panic, coop};

/// One future of a tuple, then its output. Not public API.
#[doc(hidden)]
pub enum TupleChild<F: Future> {
    Running(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

// Never pinned in place: the future is pinned in its box.
impl<F: Future> Unpin for TupleChild<F> {}

impl<F: Future> fmt::Debug for TupleChild<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TupleChild::Running(_) => "Running",
            TupleChild::Done(_) => "Done",
            TupleChild::Taken => "Taken",
        })
    }
}

impl<F: Future> TupleChild<F> {
    /// `future`, boxed. Not public API.
    #[doc(hidden)]
    pub fn new(future: F) -> Self {
        TupleChild::Running(Box::pin(future))
    }

    /// An empty slot, for the one at index `_slot` of a tuple (the macro's repetition needs
    /// an argument to repeat on). Not public API.
    #[doc(hidden)]
    #[must_use]
    pub fn taken(_slot: usize) -> Self {
        TupleChild::Taken
    }

    /// The output, if the future completed and it was not taken. Not public API.
    #[doc(hidden)]
    pub fn take_output(&mut self) -> Option<F::Output> {
        self.take()
    }

    /// Polls the future if it is running; `Ready(true)` when it just completed.
    fn poll_running(&mut self, cx: &mut Context<'_>) -> Poll<bool> {
        let TupleChild::Running(future) = self else {
            return Poll::Ready(false);
        };
        let output = core::task::ready!(future.as_mut().poll(cx));
        *self = TupleChild::Done(output);
        Poll::Ready(true)
    }

    fn take(&mut self) -> Option<F::Output> {
        match core::mem::replace(self, TupleChild::Taken) {
            TupleChild::Done(output) => Some(output),
            _ => None,
        }
    }
}

/// What `gather!` can run: a tuple of futures. `.gather()` is its method form.
///
/// Implemented for tuples of 0 to 12 futures (as the standard library's tuple impls);
/// [`gather!`](crate::gather!) takes any number. `().gather()` resolves to `()` at its first
/// poll, as `futures::join!()`, tokio's `join!()` and futures-concurrency's `().join()`.
///
/// # Panics
///
/// `.gather()`'s future panics as [`gather!`](crate::gather!)'s does.
///
/// # Examples
///
/// ```
/// use asyncgen::IntoGather;
///
/// async fn name() -> &'static str {
///     "Ada"
/// }
///
/// let (name, year) = futures::executor::block_on((name(), async { 1815 }).gather());
/// assert_eq!((name, year), ("Ada", 1815));
/// assert_eq!(futures::executor::block_on(().gather()), ());
/// ```
#[diagnostic::on_unimplemented(
    message = "`IntoGather` takes a tuple of up to 12 futures",
    label = "not a tuple of up to 12 futures",
    note = "for more than 12, `gather!(a, b, ..)` takes any number and resolves to a flat tuple"
)]
pub trait IntoGather: Sized {
    /// The tuple of outputs.
    type Output;
    /// Not public API.
    #[doc(hidden)]
    type Children: TupleChildren<Output = Self::Output>;
    /// Not public API.
    #[doc(hidden)]
    fn into_children(self) -> Self::Children;

    /// Runs the futures concurrently; resolves to the tuple of their outputs.
    fn gather(self) -> GatherTuple<Self::Children> {
        GatherTuple::new(self.into_children())
    }
}

/// What `try_gather!` can run: a tuple of futures with `Result` outputs of one error type.
/// `.try_gather()` is its method form.
///
/// Implemented for tuples of 0 to 12 futures; [`try_gather!`](crate::try_gather!) takes any
/// number. `().try_gather()` resolves to `Ok(())` at its first poll; its error type is
/// `Infallible` (a trait impl on `()` must name one, as futures-concurrency's `().try_join()`),
/// where `try_gather!()` lets the context choose it (as tokio's `try_join!()`).
///
/// # Panics
///
/// `.try_gather()`'s future panics as [`try_gather!`](crate::try_gather!)'s does.
///
/// # Examples
///
/// ```
/// use asyncgen::TryIntoGather;
///
/// async fn port(text: &str) -> Result<u16, std::num::ParseIntError> {
///     text.parse()
/// }
///
/// let ok = futures::executor::block_on((port("80"), async { Ok(true) }).try_gather());
/// assert_eq!(ok, Ok((80, true)));
/// let failed = futures::executor::block_on((port("http"), async { Ok(true) }).try_gather());
/// assert!(failed.is_err());
/// assert_eq!(futures::executor::block_on(().try_gather()), Ok(()));
/// ```
#[diagnostic::on_unimplemented(
    message = "`TryIntoGather` takes a tuple of up to 12 futures of `Result`s with one error type",
    label = "not a tuple of up to 12 futures of `Result`s",
    note = "for more than 12, `try_gather!(a, b, ..)` takes any number and resolves to a flat \
            tuple"
)]
pub trait TryIntoGather: Sized {
    /// The tuple of `Ok` values.
    type Ok;
    /// The error type.
    type Error;
    /// Not public API.
    #[doc(hidden)]
    type Children: TupleChildren<Output = Self::Ok, Error = Self::Error>;
    /// Not public API.
    #[doc(hidden)]
    fn into_children(self) -> Self::Children;

    /// Runs the futures concurrently; resolves to the tuple of `Ok` values or the first
    /// `Err`, after dropping the others.
    ///
    /// # Errors
    ///
    /// Resolves to the first `Err` a future returns, in completion order, once every other
    /// future has been dropped.
    fn try_gather(self) -> TryGatherTuple<Self::Children> {
        TryGatherTuple {
            inner: GatherTuple::new(self.into_children()),
        }
    }
}

/// The futures of a tuple, each in its slot. Not public API.
#[doc(hidden)]
pub trait TupleChildren: Unpin {
    /// The tuple of outputs (of `Ok` values for `try_gather!`).
    type Output;
    /// The error type for `try_gather!` (`Infallible` for `gather!`).
    type Error;
    /// How many futures.
    fn count(&self) -> usize;
    /// Polls the future in `slot` if it runs: `Ready(Ok(true))` when it just completed,
    /// `Ready(Err(e))` when it failed (`try_gather!`).
    fn poll_child(&mut self, slot: usize, cx: &mut Context<'_>) -> Poll<Result<bool, Self::Error>>;
    /// The outputs, once all completed.
    fn take_outputs(&mut self) -> Option<Self::Output>;
    /// Drops the future or output in `slot` (its poll panicked).
    fn drop_child(&mut self, slot: usize);
    /// Drops every future and output, all of them even if a drop panics.
    fn cancel(&mut self);
}

/// The `Ok` value of a completed `try_gather!` slot.
fn take_ok<F, T, E>(slot: &mut TupleChild<F>) -> Option<T>
where
    F: Future<Output = Result<T, E>>,
{
    slot.take()?.ok()
}

/// Polls a `try_gather!` slot: an `Err` output is handed out instead of stored.
fn poll_try<F, T, E>(slot: &mut TupleChild<F>, cx: &mut Context<'_>) -> Poll<Result<bool, E>>
where
    F: Future<Output = Result<T, E>>,
{
    match core::task::ready!(slot.poll_running(cx)) {
        false => Poll::Ready(Ok(false)),
        true => match slot.take() {
            Some(Err(error)) => Poll::Ready(Err(error)),
            Some(Ok(value)) => {
                *slot = TupleChild::Done(Ok(value));
                Poll::Ready(Ok(true))
            }
            None => Poll::Ready(Ok(false)),
        },
    }
}

macro_rules! tuples {
    ($($name:ident $ok:ident $index:tt),+) => {
        impl<$($name: Future),+> IntoGather for ($($name,)+) {
            type Output = ($($name::Output,)+);
            type Children = ($(TupleChild<$name>,)+);

            fn into_children(self) -> Self::Children {
                ($(TupleChild::new(self.$index),)+)
            }
        }

        impl<$($name: Future),+> TupleChildren for ($(TupleChild<$name>,)+) {
            type Output = ($($name::Output,)+);
            type Error = core::convert::Infallible;

            fn count(&self) -> usize {
                [$($index),+].len()
            }

            fn poll_child(&mut self, slot: usize, cx: &mut Context<'_>) -> Poll<Result<bool, Self::Error>> {
                match slot {
                    $($index => self.$index.poll_running(cx).map(Ok),)+
                    _ => Poll::Ready(Ok(false)),
                }
            }

            fn take_outputs(&mut self) -> Option<Self::Output> {
                Some(($(self.$index.take()?,)+))
            }

            fn drop_child(&mut self, slot: usize) {
                match slot {
                    $($index => self.$index = TupleChild::Taken,)+
                    _ => {}
                }
            }

            fn cancel(&mut self) {
                // One assignment: the old tuple's drop goes on with the other fields after
                // one panics, and the new one is written all the same.
                *self = ($(TupleChild::<$name>::Taken,)+);
            }
        }

        impl<Error, $($ok, $name: Future<Output = Result<$ok, Error>>),+> TryIntoGather for ($($name,)+) {
            type Ok = ($($ok,)+);
            type Error = Error;
            type Children = TryTupleChildren<($(TupleChild<$name>,)+)>;

            fn into_children(self) -> Self::Children {
                TryTupleChildren(($(TupleChild::new(self.$index),)+))
            }
        }

        impl<Error, $($ok, $name: Future<Output = Result<$ok, Error>>),+> TupleChildren
            for TryTupleChildren<($(TupleChild<$name>,)+)>
        {
            type Output = ($($ok,)+);
            type Error = Error;

            fn count(&self) -> usize {
                [$($index),+].len()
            }

            fn poll_child(&mut self, slot: usize, cx: &mut Context<'_>) -> Poll<Result<bool, Error>> {
                match slot {
                    $($index => poll_try(&mut (self.0).$index, cx),)+
                    _ => Poll::Ready(Ok(false)),
                }
            }

            fn take_outputs(&mut self) -> Option<Self::Output> {
                Some(($(take_ok(&mut (self.0).$index)?,)+))
            }

            fn drop_child(&mut self, slot: usize) {
                match slot {
                    $($index => (self.0).$index = TupleChild::Taken,)+
                    _ => {}
                }
            }

            fn cancel(&mut self) {
                // As for `gather!`'s: all dropped, even after a panic.
                self.0 = ($(TupleChild::<$name>::Taken,)+);
            }
        }
    };
}

/// No futures: `().gather()`, `gather!()`, `try_gather!()` (whose error type `E` the caller's
/// context chooses). Not public API.
#[doc(hidden)]
pub struct NoChildren<E>(PhantomData<fn() -> E>);

impl<E> NoChildren<E> {
    /// No futures, of error type `E`.
    #[must_use]
    pub fn new() -> Self {
        NoChildren(PhantomData)
    }
}

impl<E> Default for NoChildren<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> fmt::Debug for NoChildren<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NoChildren")
    }
}

impl<E> TupleChildren for NoChildren<E> {
    type Output = ();
    type Error = E;

    fn count(&self) -> usize {
        0
    }

    fn poll_child(&mut self, _: usize, _: &mut Context<'_>) -> Poll<Result<bool, E>> {
        Poll::Ready(Ok(false))
    }

    fn take_outputs(&mut self) -> Option<()> {
        Some(())
    }

    fn drop_child(&mut self, _: usize) {}

    fn cancel(&mut self) {}
}

impl IntoGather for () {
    type Output = ();
    type Children = NoChildren<Infallible>;

    fn into_children(self) -> Self::Children {
        NoChildren::new()
    }
}

impl TryIntoGather for () {
    type Ok = ();
    type Error = Infallible;
    type Children = NoChildren<Infallible>;

    fn into_children(self) -> Self::Children {
        NoChildren::new()
    }
}

/// One future of a `gather!` or `try_gather!` of more than 12, as the generated code reaches
/// it by slot. Not public API.
#[doc(hidden)]
pub trait ChildSlot<E> {
    /// As [`TupleChildren::poll_child`], for this one.
    fn poll_slot(&mut self, cx: &mut Context<'_>) -> Poll<Result<bool, E>>;
    /// Drops its future or output.
    fn drop_slot(&mut self);
}

impl<F: Future> ChildSlot<Infallible> for TupleChild<F> {
    #[inline]
    fn poll_slot(&mut self, cx: &mut Context<'_>) -> Poll<Result<bool, Infallible>> {
        self.poll_running(cx).map(Ok)
    }

    fn drop_slot(&mut self) {
        *self = TupleChild::Taken;
    }
}

/// A future of a `try_gather!` of more than 12: its `Err` is handed out, not stored. Not
/// public API.
#[doc(hidden)]
#[derive(Debug)]
pub struct TryChild<F: Future>(TupleChild<F>);

impl<F: Future> TryChild<F> {
    /// `future`, boxed.
    pub fn new(future: F) -> Self {
        TryChild(TupleChild::new(future))
    }

    /// An empty slot, for the one at index `_slot`.
    #[must_use]
    pub fn taken(_slot: usize) -> Self {
        TryChild(TupleChild::Taken)
    }
}

impl<T, E, F: Future<Output = Result<T, E>>> TryChild<F> {
    /// The `Ok` value, if the future completed and it was not taken.
    pub fn take_ok(&mut self) -> Option<T> {
        take_ok(&mut self.0)
    }
}

impl<T, E, F: Future<Output = Result<T, E>>> ChildSlot<E> for TryChild<F> {
    #[inline]
    fn poll_slot(&mut self, cx: &mut Context<'_>) -> Poll<Result<bool, E>> {
        poll_try(&mut self.0, cx)
    }

    fn drop_slot(&mut self) {
        self.0 = TupleChild::Taken;
    }
}

/// How a `gather!` or `try_gather!` of more than 12 reaches the future in one slot of its
/// tuple `T`.
#[doc(hidden)]
pub type ChildFn<T, E> = for<'a> fn(&'a mut T) -> &'a mut dyn ChildSlot<E>;

/// The futures of a `gather!` or `try_gather!` of more than 12: a flat tuple of `N` slots of
/// any length (no trait impls for it), a function per slot that reaches its future (the
/// macro's non-capturing closures: an index into `slots` reaches any slot in O(1), as a
/// tuple's `match`), and the code the macro generated to take the outputs (`take`) and to drop
/// them all (`cancel`). Not public API.
///
/// Why not impls for longer tuples: each length is one more impl compiled into every build;
/// the macro pays for the length it is given, where it is used (tokio's `join!` does the same),
/// and its output is a flat tuple of any length.
#[doc(hidden)]
pub struct ManyChildren<T, O, E, K, C, const N: usize> {
    children: T,
    slots: [ChildFn<T, E>; N],
    take: K,
    cancel: C,
    output: PhantomData<fn() -> O>,
}

// The futures are pinned in their boxes; the closures capture nothing.
impl<T, O, E, K, C, const N: usize> Unpin for ManyChildren<T, O, E, K, C, N> {}

impl<T, O, E, K, C, const N: usize> fmt::Debug for ManyChildren<T, O, E, K, C, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManyChildren")
            .field("count", &N)
            .finish_non_exhaustive()
    }
}

/// `gather!`'s and `try_gather!`'s futures past 12: `children` is a tuple of `N` slots.
/// Not public API.
#[doc(hidden)]
pub fn many_children<T, O, E, K, C, const N: usize>(
    children: T,
    slots: [ChildFn<T, E>; N],
    take: K,
    cancel: C,
) -> ManyChildren<T, O, E, K, C, N>
where
    K: Fn(&mut T) -> Option<O>,
    C: Fn(&mut T),
{
    ManyChildren {
        children,
        slots,
        take,
        cancel,
        output: PhantomData,
    }
}

impl<T, O, E, K, C, const N: usize> TupleChildren for ManyChildren<T, O, E, K, C, N>
where
    K: Fn(&mut T) -> Option<O>,
    C: Fn(&mut T),
{
    type Output = O;
    type Error = E;

    fn count(&self) -> usize {
        N
    }

    #[inline]
    fn poll_child(&mut self, slot: usize, cx: &mut Context<'_>) -> Poll<Result<bool, E>> {
        match self.slots.get(slot) {
            Some(child) => child(&mut self.children).poll_slot(cx),
            None => Poll::Ready(Ok(false)),
        }
    }

    fn take_outputs(&mut self) -> Option<O> {
        (self.take)(&mut self.children)
    }

    fn drop_child(&mut self, slot: usize) {
        if let Some(child) = self.slots.get(slot) {
            child(&mut self.children).drop_slot();
        }
    }

    fn cancel(&mut self) {
        // One assignment of a new tuple, as for 12 or fewer: all dropped, even after a panic.
        (self.cancel)(&mut self.children);
    }
}

/// The future of `gather!` over `children`. Not public API.
#[doc(hidden)]
pub fn gather_children<S: TupleChildren<Error = Infallible>>(children: S) -> GatherTuple<S> {
    GatherTuple::new(children)
}

/// The future of `try_gather!` over `children`. Not public API.
#[doc(hidden)]
pub fn try_gather_children<S: TupleChildren>(children: S) -> TryGatherTuple<S> {
    TryGatherTuple {
        inner: GatherTuple::new(children),
    }
}

/// The children of a `try_gather!`. Not public API.
#[doc(hidden)]
#[derive(Debug)]
pub struct TryTupleChildren<T>(T);

tuples!(A TA 0);
tuples!(A TA 0, B TB 1);
tuples!(A TA 0, B TB 1, C TC 2);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5, G TG 6);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5, G TG 6, H TH 7);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5, G TG 6, H TH 7, I TI 8);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5, G TG 6, H TH 7, I TI 8, J TJ 9);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5, G TG 6, H TH 7, I TI 8, J TJ 9, K TK 10);
tuples!(A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5, G TG 6, H TH 7, I TI 8, J TJ 9, K TK 10, L TL 11);

/// The future [`gather!`](crate::gather!) (and [`IntoGather::gather`]) returns.
///
/// It is a `FusedFuture`: polled again after it resolved, it returns `Pending`.
///
/// # Examples
///
/// ```
/// use asyncgen::{GatherTuple, gather};
/// use futures::future::FusedFuture;
///
/// let mut both = gather!(async { 1 }, async { "one" });
/// let _: &GatherTuple<_> = &both;
/// assert_eq!(futures::executor::block_on(&mut both), (1, "one"));
/// assert!(both.is_terminated());
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct GatherTuple<S: TupleChildren> {
    children: S,
    ready: ReadyQueue,
    /// Futures not completed yet.
    running: usize,
    /// The first `Err` (`try_gather!`), while the others are dropped: if one of their drops
    /// panics, the next poll resolves to it.
    error: Option<S::Error>,
    done: bool,
}

// The futures are pinned in their boxes; the kept error is never pinned.
impl<S: TupleChildren> Unpin for GatherTuple<S> {}

impl<S: TupleChildren> GatherTuple<S> {
    fn new(children: S) -> Self {
        let count = children.count();
        let ready = ReadyQueue::all_queued(count);
        GatherTuple {
            children,
            ready,
            running: count,
            error: None,
            done: false,
        }
    }

    fn poll_all(&mut self, cx: &mut Context<'_>) -> Poll<Result<S::Output, S::Error>> {
        if self.done {
            return Poll::Pending; // it resolved already: never twice
        }
        if let Some(error) = self.error.take() {
            // A drop panicked as the others were dropped for it: they are all gone now.
            self.done = true;
            return Poll::Ready(Err(error));
        }
        self.ready.start_poll();
        for _ in 0..POLL_BUDGET {
            if self.running == 0 {
                break;
            }
            let Some(slot) = self.ready.next(cx.waker()) else {
                return Poll::Pending;
            };
            let waker = self.ready.waker(slot);
            let children = &mut self.children;
            let poll =
                child_panic::catch(|| children.poll_child(slot, &mut Context::from_waker(&waker)));
            let poll = match poll {
                Ok(poll) => poll,
                Err(panic) => {
                    // Gone without an output (counted out before it is dropped, which may
                    // panic too): polled on, the gather runs the others, then panics.
                    self.running -= 1;
                    self.children.drop_child(slot);
                    panic.resume()
                }
            };
            match poll {
                // Completed: the slot stays held, so no stale wake queues it.
                Poll::Ready(Ok(true)) => self.running -= 1,
                Poll::Ready(Ok(false)) => {}
                Poll::Pending => self.ready.idle(slot),
                Poll::Ready(Err(error)) => {
                    // The others are dropped before the error returns; it is kept meanwhile.
                    self.error = Some(error);
                    self.children.cancel();
                    self.done = true;
                    let error = self.error.take().expect("kept just above");
                    return Poll::Ready(Err(error));
                }
            }
        }
        if self.running > 0 {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.done = true;
        match self.children.take_outputs() {
            Some(outputs) => Poll::Ready(Ok(outputs)),
            None => panic!(
                "an output is missing: its future panicked, and the gather was polled on after \
                 the panic"
            ),
        }
    }
}

impl<S: TupleChildren<Error = core::convert::Infallible>> Future for GatherTuple<S> {
    type Output = S::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<S::Output> {
        let this = self.get_mut();
        coop::cooperate(cx, |cx| this.poll_all(cx)).map(|outputs| match outputs {
            Ok(outputs) => outputs,
            Err(never) => match never {},
        })
    }
}

impl<S: TupleChildren<Error = core::convert::Infallible>> FusedFuture for GatherTuple<S> {
    fn is_terminated(&self) -> bool {
        self.done
    }
}

impl<S: TupleChildren> fmt::Debug for GatherTuple<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherTuple")
            .field("running", &self.running)
            .finish_non_exhaustive()
    }
}

/// The future [`try_gather!`](crate::try_gather!) (and [`TryIntoGather::try_gather`])
/// returns.
///
/// It is a `FusedFuture`: polled again after it resolved, it returns `Pending`.
///
/// # Examples
///
/// ```
/// use asyncgen::{TryGatherTuple, try_gather};
/// use futures::future::FusedFuture;
///
/// let mut both = try_gather!(async { Ok(1) }, async { Err::<&str, _>("lost") });
/// let _: &TryGatherTuple<_> = &both;
/// assert_eq!(futures::executor::block_on(&mut both), Err("lost"));
/// assert!(both.is_terminated());
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct TryGatherTuple<S: TupleChildren> {
    inner: GatherTuple<S>,
}

impl<S: TupleChildren> Future for TryGatherTuple<S> {
    type Output = Result<S::Output, S::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.get_mut().inner;
        coop::cooperate(cx, |cx| inner.poll_all(cx))
    }
}

impl<S: TupleChildren> FusedFuture for TryGatherTuple<S> {
    fn is_terminated(&self) -> bool {
        self.inner.done
    }
}

impl<S: TupleChildren> fmt::Debug for TryGatherTuple<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGatherTuple")
            .field("running", &self.inner.running)
            .finish_non_exhaustive()
    }
}
