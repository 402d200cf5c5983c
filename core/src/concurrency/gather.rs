//! `gather`, `try_gather`, `as_completed` and their `_limited` forms: many futures run
//! concurrently in one task, on one engine, [`Pool`].
#![forbid(unsafe_code)]

use alloc::vec::{self, Vec};
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::{FusedFuture, FusedStream, Stream};

use crate::concurrency::arena::{Outputs, PinnedSlots};
use crate::concurrency::ready_queue::ReadyQueue;
use crate::concurrency::source::{IntoSource, Source};
use crate::concurrency::{POLL_BUDGET, child_panic, coop};

/// Futures from a [`Source`] (an iterator, or a stream through `from_stream`), at most
/// `slots` running at once, each polled only when it woke. A future that completes leaves its
/// slot at once (its output goes to the caller), so the next one can start: no head-of-line
/// blocking.
///
/// The futures live in one [`PinnedSlots`] and their wakers come from one table: a pool
/// allocates a fixed number of times however many futures it runs.
pub(crate) struct Pool<I: Source> {
    /// `None` once exhausted or cancelled (or, for [`Pool::all`], from the start): nothing is
    /// started after that.
    input: Option<I>,
    /// The input index of the next future to start.
    next_index: usize,
    /// The running futures, by slot.
    futures: PinnedSlots<I::Future>,
    /// How many may run at once: the slots, less those whose place an `InOrder`'s waiting
    /// outputs hold ([`Pool::set_room`]).
    room: usize,
    /// The input index of the future in each slot, when slots are reused; empty when every
    /// future has a slot of its own, whose number is its input index ([`Pool::all`]).
    indices: Vec<usize>,
    /// Slots that ran a future and are free again, the last freed on top.
    free: Vec<usize>,
    /// Slots `fresh..` have never run a future (used after those in `free`).
    fresh: usize,
    /// Running futures.
    running: usize,
    ready: ReadyQueue,
}

/// The output of the future with input index `index` is lost (its poll or its drop
/// panicked): what [`Pool::poll_completed_noting`] calls, a no-op but for `InOrder`.
struct Lost<'a, F: FnMut(usize)> {
    index: usize,
    lost: &'a mut F,
}

impl<F: FnMut(usize)> Drop for Lost<'_, F> {
    /// Runs only as a drop unwinds (it is forgotten otherwise).
    #[inline(always)]
    fn drop(&mut self) {
        (self.lost)(self.index);
    }
}

impl<I: Source> Pool<I> {
    /// At most `slots` futures of `input` at once, pulled as slots free up.
    pub(crate) fn new(input: I, slots: usize) -> Self {
        // No more slots than the input can fill (`gather_limited(few, usize::MAX)` is fine),
        // and at least one, or an empty input would never be found empty.
        let slots = input
            .bounds()
            .1
            .map_or(slots, |most| most.min(slots))
            .max(1);
        Pool {
            input: Some(input),
            next_index: 0,
            futures: PinnedSlots::empty(slots),
            room: slots,
            indices: alloc::vec![0; slots],
            free: Vec::new(),
            fresh: 0,
            running: 0,
            ready: ReadyQueue::new(slots),
        }
    }

    /// Starts futures from the input while there is room (and the input has one ready).
    fn fill(&mut self, cx: &mut Context<'_>) {
        while self.running < self.room {
            let Some(input) = &mut self.input else {
                return;
            };
            let future = match input.poll_future(cx) {
                Poll::Ready(Some(future)) => future,
                Poll::Ready(None) => {
                    self.input = None;
                    return;
                }
                // Its wake-up polls the pool's owner again.
                Poll::Pending => return,
            };
            let slot = self.free.pop().unwrap_or_else(|| {
                self.fresh += 1;
                self.fresh - 1
            });
            self.futures.insert(slot, future);
            self.indices[slot] = self.next_index;
            self.next_index += 1;
            self.running += 1;
            self.ready.push(slot);
        }
    }

    pub(crate) fn running(&self) -> usize {
        self.running
    }

    /// How many slots: the most futures that run at once.
    pub(crate) fn slots(&self) -> usize {
        self.futures.len()
    }

    /// At most `room` futures (no more than the slots) run from now on: an `InOrder`'s
    /// outputs that wait for an earlier one each hold the place of a future.
    #[inline]
    pub(crate) fn set_room(&mut self, room: usize) {
        self.room = room;
    }

    /// Starts a poll of the pool's owner: children that woke themselves in the last one come
    /// first ([`ReadyQueue::start_poll`]), and a source that was `Pending` in it may be polled.
    #[inline]
    pub(crate) fn start_poll(&mut self) {
        self.ready.start_poll();
        if let Some(input) = &mut self.input {
            input.start_poll();
        }
    }

    /// How many futures were started: the gather's outputs, when none panicked.
    fn started(&self) -> usize {
        self.next_index
    }

    /// The bounds on the futures left to complete: those running and those the input has.
    pub(crate) fn bounds(&self) -> (usize, Option<usize>) {
        let running = self.running;
        match &self.input {
            None => (running, Some(running)),
            Some(input) => {
                let (low, high) = input.bounds();
                (
                    running.saturating_add(low),
                    high.and_then(|h| h.checked_add(running)),
                )
            }
        }
    }

    /// The next future to complete, with its input index; `None` when all have. Polls at most
    /// `budget` children (counting down), then wakes the caller and returns `Pending`.
    // Always inlined, with `poll_completed_noting`, into each helper's poll, so the no-op
    // `lost` leaves nothing. Per future of a gather of 1 000 ready ones, 201 instructions on
    // d633a1b (which left the inlining to the compiler), 165 with this (196 -> 161 with LTO;
    // callgrind, benches/instructions-helpers.sh).
    #[inline(always)]
    fn poll_completed(
        &mut self,
        cx: &mut Context<'_>,
        budget: &mut usize,
    ) -> Poll<Option<(usize, <I::Future as Future>::Output)>> {
        self.poll_completed_noting(cx, budget, |_| {})
    }

    /// [`poll_completed`](Self::poll_completed), calling `lost` with the input index of a
    /// future whose output is lost to a panic (of its poll, or of its drop after it completed),
    /// before the panic goes on.
    #[inline(always)]
    pub(crate) fn poll_completed_noting(
        &mut self,
        cx: &mut Context<'_>,
        budget: &mut usize,
        mut lost: impl FnMut(usize),
    ) -> Poll<Option<(usize, <I::Future as Future>::Output)>> {
        loop {
            if self.input.is_some() {
                self.fill(cx);
            }
            if self.is_done() {
                return Poll::Ready(None);
            }
            if *budget == 0 {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let Some(slot) = self.ready.next(cx.waker()) else {
                return Poll::Pending;
            };
            *budget -= 1;
            let Some(future) = self.futures.pin_mut(slot) else {
                continue; // cancelled
            };
            let waker = self.ready.waker(slot);
            let poll = match child_panic::catch(|| future.poll(&mut Context::from_waker(&waker))) {
                Ok(poll) => poll,
                Err(panic) => {
                    lost(self.index_of(slot));
                    self.release(slot); // gone without an output
                    panic.resume()
                }
            };
            match poll {
                Poll::Ready(output) => {
                    let index = self.index_of(slot);
                    // If the future's drop panics, its output goes with the unwinding.
                    let lost_if_unwinding = Lost {
                        index,
                        lost: &mut lost,
                    };
                    self.release(slot);
                    core::mem::forget(lost_if_unwinding);
                    return Poll::Ready(Some((index, output)));
                }
                Poll::Pending => self.ready.idle(slot),
            }
        }
    }

    /// The input index of the future in `slot`.
    #[inline(always)]
    fn index_of(&self, slot: usize) -> usize {
        match self.indices.get(slot) {
            Some(&index) => index,
            None => slot, // a slot per future
        }
    }

    /// Drops the future in `slot`, done (or panicked), and frees the slot for the input's next
    /// future. The slot stays held (no stale wake queues it) until a new future in it is pushed.
    /// Counted out also if its drop panics: the pool goes on without it.
    fn release(&mut self, slot: usize) {
        /// Counts the slot's future out when dropped: after its drop, or as that unwinds.
        /// (A guard holding the pool, rather than `child_panic::then_even_after_a_panic`'s
        /// closure capturing three fields: that one cost 3 to 9 instructions per future,
        /// callgrind.)
        struct Release<'a, I: Source> {
            pool: &'a mut Pool<I>,
            slot: usize,
        }

        impl<I: Source> Drop for Release<'_, I> {
            #[inline(always)]
            fn drop(&mut self) {
                self.pool.running -= 1;
                if self.pool.input.is_some() {
                    self.pool.free.push(self.slot);
                }
            }
        }

        let release = Release { pool: self, slot };
        release.pool.futures.remove(slot);
        drop(release);
    }

    /// Drops every running future and the input: nothing runs or starts after this (also if a
    /// drop panics: the pool is done before anything is dropped, and every drop is made).
    fn cancel(&mut self) {
        self.running = 0;
        let _input = self.input.take(); // dropped last, also as a panic unwinds
        self.futures.clear();
    }

    pub(crate) fn is_done(&self) -> bool {
        self.input.is_none() && self.running() == 0
    }
}

impl<F: Future> Pool<vec::IntoIter<F>> {
    /// A slot for each of `futures`, all started (queued to be polled) at once. The input is
    /// moved into the slots as it is pulled: nothing holds it besides.
    pub(crate) fn all(futures: impl IntoIterator<Item = F>) -> Self {
        let futures = PinnedSlots::filled(futures);
        let count = futures.len();
        Pool {
            input: None,
            next_index: count,
            futures,
            room: count,
            indices: Vec::new(),
            free: Vec::new(),
            fresh: count,
            running: count,
            ready: ReadyQueue::all_queued(count),
        }
    }
}

// Nothing in a pool is pinned in place: the futures are pinned in the arena's heap block.
impl<I: Source> Unpin for Pool<I> {}

impl<I: Source> fmt::Debug for Pool<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("started", &self.next_index)
            .field("running", &self.running)
            .field("input_done", &self.input.is_none())
            .finish_non_exhaustive()
    }
}

/// Runs `futures` concurrently and resolves to their outputs in input order, whatever order
/// they complete in: Python's `asyncio.gather`. Dropping it drops the futures still running.
///
/// Each future is polled only when it woke (every future has its own waker, made once), so a
/// wake-up costs O(1) however many futures there are. A poll polls each at most once (one
/// woken during its own poll waits for the next, as in `FuturesUnordered`), and at most 32 of
/// them before yielding to the executor.
///
/// The `Vec` it resolves to has room for its outputs and no more (as the one [`try_gather`]
/// resolves to, which holds no room for the `Result`s; the `_limited` forms, when their input
/// says how long it is).
///
/// # Panics
///
/// Its poll panics when a future's poll or drop panics, or the waker it is polled with does,
/// with that panic's payload; the future whose poll or drop panicked is dropped, with its
/// output if it had one. Polled on after that, the gather runs the others to their end and
/// then panics ("an output is missing"): it never resolves without one output per future.
/// (Without the `std` feature nothing is caught: a future whose poll panicked stays, counted as
/// running, and the gather waits for it.) Dropping the gather drops every future and output,
/// the others too when one's drop panics. See [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// use asyncgen::gather;
///
/// async fn square(n: u32) -> u32 {
///     n * n
/// }
///
/// let squares = futures::executor::block_on(gather((1..=4).map(square)));
/// assert_eq!(squares, [1, 4, 9, 16]);
/// ```
pub fn gather<I>(futures: I) -> Gather<vec::IntoIter<I::Item>>
where
    I: IntoIterator,
    I::Item: Future,
{
    Gather::all(futures)
}

/// [`gather`] with at most `limit` futures alive at once (at least 1).
///
/// It sets up `min(limit, the input's upper size bound)` slots at the start (a waker each), so
/// `usize::MAX` means "no limit" for an input of known length; for an endless input, give a
/// real limit.
///
/// The input is pulled lazily: a future is made only when one of the `limit` slots is free.
/// The limit counts running futures only: an output waits for its turn in the result, not in
/// a slot, so one slow future never stops the others from starting and completing.
///
/// The input is an iterator of futures, or a `Stream` of them wrapped in
/// [`from_stream`](crate::from_stream) (see [`IntoSource`]): the stream is polled only when a
/// slot is free, and the gather resolves once it has ended and every future is done. A stream
/// that panics ends there: the gather resolves to the outputs of the futures it pulled.
///
/// # Panics
///
/// When called, if its slots (`min(limit, the input's upper size bound)`, above) cannot be
/// allocated: an endless input with a `limit` of `usize::MAX` panics with a capacity overflow.
/// When called, if the input's `size_hint` panics. Polled, as [`gather`].
///
/// # Examples
///
/// ```
/// use asyncgen::gather_limited;
///
/// let pages = futures::executor::block_on(gather_limited(
///     (0..10).map(|page| async move { format!("page {page}") }),
///     3,
/// ));
/// assert_eq!(pages[9], "page 9");
/// ```
pub fn gather_limited<I: IntoSource>(futures: I, limit: usize) -> Gather<I::Source> {
    Gather::new(futures.into_source(), limit.max(1))
}

/// The future [`gather`] and [`gather_limited`] return.
///
/// It is a `FusedFuture`: polled again after it resolved, it returns `Pending`.
///
/// # Examples
///
/// ```
/// use asyncgen::{Gather, gather};
/// use futures::future::FusedFuture;
/// use std::future::{Ready, ready};
///
/// let mut lengths: Gather<std::vec::IntoIter<Ready<usize>>> =
///     gather(["a", "bb"].map(|s| ready(s.len())));
/// assert!(!lengths.is_terminated());
/// assert_eq!(futures::executor::block_on(&mut lengths), [1, 2]);
/// assert!(lengths.is_terminated());
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Gather<I>
where
    I: Source,
{
    pool: Pool<I>,
    /// Outputs by input index.
    outputs: Outputs<<I::Future as Future>::Output>,
    done: bool,
}

impl<I> Gather<I>
where
    I: Source,
{
    fn new(futures: I, slots: usize) -> Self {
        let (pool, outputs) = limited(futures, slots);
        Gather {
            pool,
            outputs,
            done: false,
        }
    }
}

/// A pool of at most `slots` futures of `futures`, and room for the outputs: all of them when
/// the input says how many (an exact size hint), so that the result has no spare room;
/// otherwise no more than the slots, since the input may be endless.
fn limited<I: Source, T>(futures: I, slots: usize) -> (Pool<I>, Outputs<T>) {
    let (low, high) = futures.bounds();
    let room = if high == Some(low) {
        low
    } else {
        low.min(slots)
    };
    (Pool::new(futures, slots), Outputs::with_capacity(room))
}

impl<F: Future> Gather<vec::IntoIter<F>> {
    /// Every future at once.
    fn all(futures: impl IntoIterator<Item = F>) -> Self {
        let pool = Pool::all(futures);
        Gather {
            outputs: Outputs::with_capacity(pool.running()),
            pool,
            done: false,
        }
    }
}

// The outputs are never pinned; the futures are pinned in the arena's heap block.
impl<I> Unpin for Gather<I> where I: Source {}

impl<I> Future for Gather<I>
where
    I: Source,
{
    type Output = Vec<<I::Future as Future>::Output>;

    // Inlined, with its loop, into the caller's: the two are small, and a call each poll cost
    // 35 instructions per future of a woken gather of 1 000 when the self-wake check tipped
    // the inliner (callgrind).
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.done {
            return Poll::Pending; // it resolved already: never twice
        }
        coop::cooperate(cx, |cx| this.poll_outputs(cx))
    }
}

impl<I> Gather<I>
where
    I: Source,
{
    /// Polls the futures that woke until all are done (or the poll budget is spent).
    #[inline(always)]
    fn poll_outputs(&mut self, cx: &mut Context<'_>) -> Poll<Vec<<I::Future as Future>::Output>> {
        let this = self;
        this.pool.start_poll();
        let mut budget = POLL_BUDGET;
        loop {
            match this.pool.poll_completed(cx, &mut budget) {
                Poll::Ready(Some((index, output))) => this.outputs.write(index, output),
                Poll::Ready(None) => {
                    this.done = true;
                    // Every started future completed, unless one panicked: then `into_vec`
                    // panics (one output per future started, or none).
                    let outputs = core::mem::replace(&mut this.outputs, Outputs::with_capacity(0));
                    return Poll::Ready(outputs.into_vec(this.pool.started()));
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<I> FusedFuture for Gather<I>
where
    I: Source,
{
    fn is_terminated(&self) -> bool {
        self.done
    }
}

impl<I> fmt::Debug for Gather<I>
where
    I: Source,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gather")
            .field("pool", &self.pool)
            .finish_non_exhaustive()
    }
}

/// [`gather`] for futures that can fail: all the `Ok` values in input order, or the first
/// `Err` in completion order. Before it returns an `Err`, every other future still running is
/// dropped, and none is started after: `asyncio.TaskGroup`'s behaviour. (Beyond 30 futures,
/// `futures::future::try_join_all` reports errors in input order: it first waits for every
/// future before the failing one.)
///
/// # Errors
///
/// Resolves to the first `Err` a future returns, in completion order, once every other future
/// has been dropped.
///
/// # Panics
///
/// As [`gather`]. And when a drop panics as the others (or the `Ok` values already in) are
/// dropped for an `Err`, the `Err` is kept: polled again, it resolves to it.
///
/// # Examples
///
/// ```
/// use asyncgen::try_gather;
///
/// async fn parse(text: &str) -> Result<u32, std::num::ParseIntError> {
///     text.parse()
/// }
///
/// let all = futures::executor::block_on(try_gather(["1", "2"].map(parse)));
/// assert_eq!(all, Ok(vec![1, 2]));
/// let failed = futures::executor::block_on(try_gather(["1", "x"].map(parse)));
/// assert!(failed.is_err());
/// ```
pub fn try_gather<I, T, E>(futures: I) -> TryGather<vec::IntoIter<I::Item>>
where
    I: IntoIterator,
    I::Item: Future<Output = Result<T, E>>,
{
    let pool = Pool::all(futures);
    TryGather {
        outputs: Outputs::with_capacity(pool.running()),
        pool,
        error: None,
        done: false,
    }
}

/// [`try_gather`] with at most `limit` futures alive at once, from an iterator or a stream,
/// as in [`gather_limited`].
///
/// # Errors
///
/// Resolves to the first `Err` a future returns, in completion order, once every other future
/// has been dropped; no future is made from the input after that.
///
/// # Panics
///
/// As [`gather_limited`] when called, as [`try_gather`] when polled.
///
/// # Examples
///
/// ```
/// use asyncgen::try_gather_limited;
///
/// async fn fetch(page: u32) -> Result<String, String> {
///     if page < 10 { Ok(format!("page {page}")) } else { Err(format!("no page {page}")) }
/// }
///
/// let first = futures::executor::block_on(try_gather_limited((1..=3).map(fetch), 2));
/// assert_eq!(first, Ok(vec!["page 1".to_string(), "page 2".into(), "page 3".into()]));
/// // An endless input, 4 pages at a time: the first error ends it.
/// let all = futures::executor::block_on(try_gather_limited((1..).map(fetch), 4));
/// assert_eq!(all, Err("no page 10".to_string()));
/// ```
pub fn try_gather_limited<I, T, E>(futures: I, limit: usize) -> TryGather<I::Source>
where
    I: IntoSource,
    <I::Source as Source>::Future: Future<Output = Result<T, E>>,
{
    let (pool, outputs) = limited(futures.into_source(), limit.max(1));
    TryGather {
        pool,
        outputs,
        error: None,
        done: false,
    }
}

/// The future [`try_gather`] and [`try_gather_limited`] return.
///
/// It is a `FusedFuture`: polled again after it resolved, it returns `Pending`.
///
/// # Examples
///
/// ```
/// use asyncgen::{TryGather, try_gather};
/// use futures::future::FusedFuture;
/// use std::future::{Ready, ready};
///
/// let mut checked: TryGather<std::vec::IntoIter<Ready<Result<u8, String>>>> =
///     try_gather([ready(Ok(1)), ready(Err("bad".to_string()))]);
/// assert_eq!(futures::executor::block_on(&mut checked), Err("bad".to_string()));
/// assert!(checked.is_terminated());
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct TryGather<I>
where
    I: Source,
    <I::Future as Future>::Output: TryOutput,
{
    pool: Pool<I>,
    /// The `Ok` values by input index, in what becomes the result's buffer: one place per
    /// future (the `Result`s are not kept, so the `Vec` has no room for an `Err` each).
    outputs: Outputs<OkOf<I>>,
    /// The first `Err`, while the others are dropped: if one of their drops panics, the next
    /// poll resolves to it.
    error: Option<ErrOf<I>>,
    done: bool,
}

/// A `Result`: what the futures of [`try_gather`] resolve to, its two types named. Not public
/// API.
#[doc(hidden)]
pub trait TryOutput {
    type Ok;
    type Error;
}

impl<T, E> TryOutput for Result<T, E> {
    type Ok = T;
    type Error = E;
}

/// The `Ok` type of the futures of `I`.
type OkOf<I> = <<<I as Source>::Future as Future>::Output as TryOutput>::Ok;
/// The `Err` type of the futures of `I`.
type ErrOf<I> = <<<I as Source>::Future as Future>::Output as TryOutput>::Error;

// Nothing in it is pinned in place: the futures are pinned in the arena's heap block, and
// the values and the kept error are never pinned.
impl<I> Unpin for TryGather<I>
where
    I: Source,
    <I::Future as Future>::Output: TryOutput,
{
}

impl<I, T, E> Future for TryGather<I>
where
    I: Source,
    I::Future: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, E>;

    // As `Gather`'s.
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.done {
            return Poll::Pending; // it resolved already: never twice
        }
        if let Some(error) = this.error.take() {
            // A drop panicked as the others were dropped for it: they are all gone now.
            this.done = true;
            return Poll::Ready(Err(error));
        }
        coop::cooperate(cx, |cx| this.poll_outputs(cx))
    }
}

impl<I, T, E> TryGather<I>
where
    I: Source,
    I::Future: Future<Output = Result<T, E>>,
{
    /// The `Ok` values once all are in, or the first `Err`.
    #[inline(always)]
    fn poll_outputs(&mut self, cx: &mut Context<'_>) -> Poll<Result<Vec<T>, E>> {
        self.pool.start_poll();
        let mut budget = POLL_BUDGET;
        loop {
            match self.pool.poll_completed(cx, &mut budget) {
                Poll::Ready(Some((_, Err(error)))) => {
                    // The others, and the values already in, are dropped before it returns;
                    // the error is kept meanwhile, in case one of those drops panics.
                    self.error = Some(error);
                    self.pool.cancel();
                    self.outputs = Outputs::with_capacity(0);
                    self.done = true;
                    let error = self.error.take().expect("kept just above");
                    return Poll::Ready(Err(error));
                }
                Poll::Ready(Some((index, Ok(value)))) => self.outputs.write(index, value),
                Poll::Ready(None) => {
                    self.done = true;
                    // Every one is `Ok` (an `Err` ends it first), unless one panicked: then
                    // `into_vec` panics (as `Gather`'s).
                    let outputs = core::mem::replace(&mut self.outputs, Outputs::with_capacity(0));
                    return Poll::Ready(Ok(outputs.into_vec(self.pool.started())));
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<I, T, E> FusedFuture for TryGather<I>
where
    I: Source,
    I::Future: Future<Output = Result<T, E>>,
{
    fn is_terminated(&self) -> bool {
        self.done
    }
}

impl<I> fmt::Debug for TryGather<I>
where
    I: Source,
    <I::Future as Future>::Output: TryOutput,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryGather")
            .field("pool", &self.pool)
            .finish_non_exhaustive()
    }
}

/// Runs `futures` concurrently and yields `(input index, output)` as each completes:
/// Python's `asyncio.as_completed`, with the index so you know which one it was. Dropping the
/// stream drops the futures still running.
///
/// # Panics
///
/// Its poll panics when a future's poll or drop panics, or the waker it is polled with does,
/// with that panic's payload. The future whose poll or drop panicked is dropped (with its
/// output, if it had completed): polled on, the stream yields the other outputs and ends.
/// (Without the `std` feature nothing is caught: a future whose poll panicked stays, counted as
/// running, and the stream waits for it.) See [the crate docs](crate#when-user-code-panics).
///
/// # Examples
///
/// ```
/// use asyncgen::as_completed;
/// use futures::StreamExt;
///
/// let letters = ['a', 'b', 'c'].map(|c| async move { c.to_ascii_uppercase() });
/// let mut done: Vec<(usize, char)> = futures::executor::block_on(as_completed(letters).collect());
/// done.sort();
/// assert_eq!(done, [(0, 'A'), (1, 'B'), (2, 'C')]);
/// ```
pub fn as_completed<I>(futures: I) -> AsCompleted<vec::IntoIter<I::Item>>
where
    I: IntoIterator,
    I::Item: Future,
{
    AsCompleted {
        pool: Pool::all(futures),
    }
}

/// [`as_completed`] with at most `limit` futures alive at once (at least 1), the input pulled
/// lazily, as in [`gather_limited`]: an iterator or, through
/// [`from_stream`](crate::from_stream), a stream (futures' `buffer_unordered(limit)`, with
/// each output's input index).
///
/// # Panics
///
/// As [`gather_limited`] when called, as [`as_completed`] when polled; its `size_hint`
/// panics when the input's does.
///
/// # Examples
///
/// ```
/// use asyncgen::as_completed_limited;
/// use futures::StreamExt;
///
/// // An endless input, 2 futures at a time: a future is made only when a slot is free.
/// let squares = as_completed_limited((0..).map(|n: usize| async move { n * n }), 2);
/// let first: Vec<(usize, usize)> = futures::executor::block_on(squares.take(3).collect());
/// assert_eq!(first.len(), 3);
/// for (index, square) in first {
///     assert_eq!(square, index * index);
/// }
/// ```
pub fn as_completed_limited<I: IntoSource>(futures: I, limit: usize) -> AsCompleted<I::Source> {
    AsCompleted {
        pool: Pool::new(futures.into_source(), limit.max(1)),
    }
}

/// The stream [`as_completed`] and [`as_completed_limited`] return.
///
/// It is a `FusedStream`, and its size hint counts the futures still running and those the
/// input has left.
///
/// # Examples
///
/// ```
/// use asyncgen::{AsCompleted, Stream, as_completed};
/// use futures::StreamExt;
/// use futures::stream::FusedStream;
/// use std::future::{Ready, ready};
///
/// let mut done: AsCompleted<std::vec::IntoIter<Ready<char>>> =
///     as_completed([ready('a'), ready('b')]);
/// assert_eq!(done.size_hint(), (2, Some(2)));
/// let mut seen = Vec::new();
/// futures::executor::block_on(async {
///     while let Some((index, letter)) = done.next().await {
///         seen.push((index, letter));
///     }
/// });
/// seen.sort();
/// assert_eq!(seen, [(0, 'a'), (1, 'b')]);
/// assert!(done.is_terminated());
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct AsCompleted<I>
where
    I: Source,
{
    pool: Pool<I>,
}

impl<I> Stream for AsCompleted<I>
where
    I: Source,
{
    type Item = (usize, <I::Future as Future>::Output);

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let pool = &mut self.get_mut().pool;
        coop::cooperate(cx, |cx| {
            pool.start_poll();
            let mut budget = POLL_BUDGET;
            pool.poll_completed(cx, &mut budget)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.pool.bounds()
    }
}

impl<I> FusedStream for AsCompleted<I>
where
    I: Source,
{
    fn is_terminated(&self) -> bool {
        self.pool.is_done()
    }
}

impl<I> fmt::Debug for AsCompleted<I>
where
    I: Source,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("pool", &self.pool)
            .finish()
    }
}
