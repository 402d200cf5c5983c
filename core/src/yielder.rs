//! The yield mechanism: the slot an item travels through, the handle that writes it, and the
//! stream that drives a generator body. This is the only module of the crate with `unsafe`.
//!
//! # How a body yields
//!
//! The macros turn a generator body into an async closure
//! `async move |mut __yielder: Yielder<'_, T>| { .. }` that yields through the handle, and hand
//! it to [`async_gen`]. The returned [`AsyncGen`] stream owns a [`Slot`] and, until its first
//! poll, the closure. On the first poll the stream is pinned, so the slot's address is stable:
//! only then does it call the closure with a handle pointing to the slot, and store the body's
//! future, which it then polls directly (no wrapper future).
//!
//! A `yield_!` calls [`Yielder::yield_`], which moves its item into the slot, and awaits the
//! returned [`YieldFuture`], which is `Pending` while the slot is full. When the body returns
//! `Pending`, the stream takes the item out and hands it to its caller; the next poll resumes
//! the body, whose yield future then completes. Only if the slot still holds an earlier item
//! of the same poll (a yield future polled by hand, then dropped) does the item wait in its
//! future until the slot is free.
//!
//! The item moves once, from the body into the slot, and is read back whole: the slot is a
//! flag and a `MaybeUninit<T>`, not an `Option<T>` whose niche would be read apart from the
//! rest. Both choices come from measurements (BENCHMARKS.md, "Where the time goes").
//!
//! # Why it is sound
//!
//! - The handle is branded: the body receives `Yielder<'y, T>` for a lifetime `'y` it is
//!   generic over (`C: for<'y> AsyncFnOnce(Yielder<'y, T>)`), so safe code cannot move it
//!   anywhere that outlives the body's future: not into a `static`, a variable captured from
//!   outside, another thread or task, or the body of a generator made outside this one. (A
//!   generator made *inside* the body, through the low-level API, may borrow or take the
//!   handle: its items then go to the outer stream, and its own brand keeps it inside the
//!   outer body; `tests/soundness.rs` runs both under Miri.) This holds even for code that
//!   calls [`async_gen`] directly, without the macros. The handle cannot be constructed,
//!   cloned or defaulted outside this module, and `mem::swap` of two handles needs equal
//!   brands, which two bodies never have.
//! - The body's future is a field of the pinned stream, declared before the slot, so it is
//!   dropped first; `Pin` promises the stream's memory is not reused before it is dropped. So
//!   the handle never dangles while the body can use it.
//! - The slot is a field of the stream, so it is valid for as long as anything can hold the
//!   handle. Everything that can run a yield (the body's poll, the body's synchronous start,
//!   the body's future being dropped) runs inside a method of the stream that holds `&mut
//!   self` and does not itself touch the slot meanwhile. Yields take `&mut Yielder`, so at most
//!   one yield future exists per body. Slot accesses therefore never overlap, and all go
//!   through `UnsafeCell::get`.
//! - The handle is invariant in `T`: a `Yielder<'_, &'static str>` cannot be used as a
//!   `Yielder<'_, &'short str>`, so the consumer never receives an item of the wrong type or
//!   lifetime (the flaw of thread-local designs, where a yield can land in another stream).
//! - `AsyncGen` is `!Unpin`, so the `&mut AsyncGen` made on each poll does not claim
//!   uniqueness over the slot the handle points to (the rule that makes `async fn` futures
//!   that borrow their own locals sound). Miri checks all of this under Stacked and Tree
//!   Borrows.
//!
//! # Wake-ups
//!
//! A yield future returns `Pending` without waking when it is polled with the stream's own
//! waker: the stream polls the body again as soon as its caller takes the item, and a body that
//! passes its context down unchanged (`.await`, `join!`, `select!`) re-polls the yield then. A
//! combinator with wakers of its own (`FuturesUnordered`) only re-polls what was woken, so under
//! a different waker the yield wakes it. Waking on every yield would cost each consumer task a
//! spurious re-schedule per item on real executors.

use core::cell::UnsafeCell;
use core::fmt;
use core::future::Future;
use core::marker::{PhantomData, PhantomPinned};
use core::mem::MaybeUninit;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll, Waker};

use futures_core::{FusedStream, Stream};

/// Room for one item, owned by the stream, and the waker of the poll that is running.
///
/// A flag and an uninitialized item rather than an `Option<T>`: an item is then written and
/// read back whole, the way it was moved in. (With `Option<String>`, reading the niche first
/// and the rest after split the read across the writes, which stalled store forwarding.)
struct Slot<T> {
    full: UnsafeCell<bool>,
    item: UnsafeCell<MaybeUninit<T>>,
    /// The waker of the body's poll that is running. Null after a poll that returned
    /// `Pending`: between polls, a waker still set means the stream has ended (it is kept
    /// then) or the last poll unwound. Yield futures compare it with theirs and never call
    /// through it.
    waker: UnsafeCell<*const Waker>,
}

// SAFETY: the slot holds `T`s; its waker pointer is only compared, never dereferenced.
unsafe impl<T: Send> Send for Slot<T> {}
// SAFETY: `&Slot<T>` gives access to nothing outside this module, and inside it the slot is
// only accessed through the stream's `&mut` or the body's handle; through a shared
// `&AsyncGen` (`Debug`, `size_hint`, `is_terminated`) only its waker pointer is read, and
// compared, which only `poll_next`, holding `&mut`, writes.
unsafe impl<T> Sync for Slot<T> {}

impl<T> Slot<T> {
    /// An empty slot. `async_gen` builds it in a `const` block, so nothing is called after
    /// the body is moved in, and a debug build needs no cleanup code for the body there
    /// (compile time: `benches/compile_time.rs`).
    const fn empty() -> Self {
        Slot {
            full: UnsafeCell::new(false),
            item: UnsafeCell::new(MaybeUninit::uninit()),
            waker: UnsafeCell::new(core::ptr::null()),
        }
    }

    /// Whether an item is in the slot.
    ///
    /// # Safety
    /// No other access to the slot overlaps this call (module docs: accesses never overlap).
    #[inline]
    unsafe fn is_full(this: NonNull<Self>) -> bool {
        // SAFETY: the caller's.
        unsafe { *(*this.as_ptr()).full.get() }
    }

    /// Puts `value` in the slot if it is empty; else gives it back.
    ///
    /// # Safety
    /// As for [`Slot::is_full`].
    #[inline]
    unsafe fn put(this: NonNull<Self>, value: T) -> Result<(), T> {
        // SAFETY: the caller's.
        let slot = unsafe { &*this.as_ptr() };
        // SAFETY: the caller's: nothing else accesses the slot now.
        unsafe {
            if *slot.full.get() {
                return Err(value);
            }
            (*slot.item.get()).write(value);
            *slot.full.get() = true;
        }
        Ok(())
    }

    /// Takes the item out, if any.
    ///
    /// # Safety
    /// As for [`Slot::is_full`].
    #[inline]
    unsafe fn take(this: NonNull<Self>) -> Option<T> {
        // SAFETY: the caller's.
        let slot = unsafe { &*this.as_ptr() };
        // SAFETY: the caller's; `full` says the item is initialized, and it is cleared before
        // anything else can read the item.
        unsafe {
            if !*slot.full.get() {
                return None;
            }
            *slot.full.get() = false;
            Some(read_by_words(slot.item.get()))
        }
    }

    /// `Pending`, for a yield waiting on the consumer: wakes the task only when polled under a
    /// waker other than the stream's (module docs, "Wake-ups").
    ///
    /// # Safety
    /// As for [`Slot::is_full`].
    #[inline]
    unsafe fn pending(this: NonNull<Self>, cx: &Context<'_>) -> Poll<()> {
        // SAFETY: the caller's; the pointer is only compared.
        let stream_waker = unsafe { *(*this.as_ptr()).waker.get() };
        if !core::ptr::eq(cx.waker(), stream_waker) {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }

    /// Notes that the stream is about to poll the body with `waker`.
    ///
    /// # Safety
    /// As for [`Slot::is_full`].
    #[inline]
    unsafe fn enter(this: NonNull<Self>, waker: &Waker) {
        // SAFETY: the caller's.
        unsafe { *(*this.as_ptr()).waker.get() = waker };
    }

    /// Notes that the body's poll has returned `Pending`. Not reached when it unwinds, so the
    /// waker stays set: [`Slot::ended`] then says so.
    ///
    /// # Safety
    /// As for [`Slot::is_full`].
    #[inline]
    unsafe fn leave(this: NonNull<Self>) {
        // SAFETY: the caller's.
        unsafe { *(*this.as_ptr()).waker.get() = core::ptr::null() };
    }

    /// Whether the body's last poll returned `Ready` or unwound (entered, never left): either
    /// way the stream has ended, and the body must not be polled again.
    ///
    /// # Safety
    /// As for [`Slot::is_full`].
    #[inline]
    unsafe fn ended(this: NonNull<Self>) -> bool {
        // SAFETY: the caller's.
        unsafe { !(*(*this.as_ptr()).waker.get()).is_null() }
    }
}

/// Reads the item just written by a yield. An item of whole machine words is read one word at
/// a time: the yield may have stored it in pieces of any size (8 then 16 bytes, or 16 then 8,
/// as the compiler chose), and a load spanning two of those stores cannot be forwarded from
/// them, which stalls the CPU (`String`s: 60% of the time of a consuming loop). A word load
/// always lies within one store.
///
/// # Safety
/// `item` is initialized, and not read again.
#[inline(always)]
unsafe fn read_by_words<T>(item: *const MaybeUninit<T>) -> T {
    const WORD: usize = size_of::<usize>();
    let (size, align) = (size_of::<T>(), align_of::<T>());
    if size <= WORD || size % WORD != 0 || align < WORD {
        // SAFETY: the caller's.
        return unsafe { (*item).assume_init_read() };
    }
    let mut out = MaybeUninit::<T>::uninit();
    let (from, to) = (
        item.cast::<MaybeUninit<usize>>(),
        out.as_mut_ptr().cast::<MaybeUninit<usize>>(),
    );
    for word in 0..size / WORD {
        // SAFETY: `T` is word-aligned and a whole number of words; `MaybeUninit` words may
        // hold padding. Volatile, so the loads are not merged back into wider ones.
        unsafe { to.add(word).write(from.add(word).read_volatile()) };
    }
    // SAFETY: every byte of the item was copied; the caller's.
    unsafe { out.assume_init() }
}

impl<T> Slot<T> {
    /// [`Slot::ended`], through a shared reference.
    fn has_ended(&self) -> bool {
        // SAFETY: only `poll_next`, holding `&mut`, writes the waker, so no poll is running
        // while a shared reference exists.
        unsafe { Slot::ended(NonNull::from(self)) }
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        // An item a body yielded as it was dropped, or after the stream's last take.
        if *self.full.get_mut() {
            // SAFETY: `full` says it is initialized; it is dropped once, here.
            unsafe { self.item.get_mut().assume_init_drop() };
        }
    }
}

/// The handle a generator body yields through, lent to the body for a lifetime `'y` it is
/// generic over. The macros hide it behind a hygienic name.
pub struct Yielder<'y, T> {
    slot: NonNull<Slot<T>>,
    // Brands the handle (covariant: the brand can only be shortened).
    _brand: PhantomData<&'y mut ()>,
    // A `Yielder<'_, &'static str>` must not pass for a `Yielder<'_, &'short str>`.
    _invariant: PhantomData<fn(T) -> T>,
}

// SAFETY: the handle stands for exclusive access to a slot of `T`s: sending it sends `T`s.
unsafe impl<T: Send> Send for Yielder<'_, T> {}
// SAFETY: `&Yielder` gives access to nothing: `yield_` takes `&mut self`.
unsafe impl<T> Sync for Yielder<'_, T> {}

impl<T> Yielder<'_, T> {
    /// Hands `value` to the stream's consumer; the returned future resolves once the consumer
    /// has taken it and polled the stream again.
    ///
    /// The value goes into the stream's slot at once, when the slot is empty (as it always is
    /// for the macros' yields, each awaited before the next): it moves once, and the future
    /// carries no item. Only when the slot still holds an earlier item of this poll (a yield
    /// future polled by hand, then dropped) does the future keep the value until the slot is
    /// free. An item that went into the slot is delivered even if the future is then dropped
    /// unpolled; one still waiting in the future is dropped with it.
    #[inline]
    pub fn yield_(&mut self, value: T) -> YieldFuture<'_, T> {
        // SAFETY: the slot outlives the handle (module docs), and yields only run inside the
        // body's poll, start or drop, while the stream does not touch the slot.
        let value = unsafe { Slot::put(self.slot, value) }.err();
        YieldFuture {
            slot: self.slot,
            value,
            _borrow: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Yielder<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Yielder").finish_non_exhaustive()
    }
}

/// The future of [`Yielder::yield_`]: `Pending` while its item is in the slot (or waits for
/// it), `Ready` once the consumer has taken it.
#[must_use = "the generator only pauses for its consumer when the future is awaited"]
pub struct YieldFuture<'a, T> {
    slot: NonNull<Slot<T>>,
    value: Option<T>,
    // Borrows the `Yielder` mutably: one yield future at a time per body.
    _borrow: PhantomData<&'a mut ()>,
}

// SAFETY: as for `Yielder`, plus the `T` it carries.
unsafe impl<T: Send> Send for YieldFuture<'_, T> {}
// SAFETY: `&YieldFuture` only reads whether the value was delivered.
unsafe impl<T: Sync> Sync for YieldFuture<'_, T> {}

// The value is never pinned: it is moved into the slot.
impl<T> Unpin for YieldFuture<'_, T> {}

impl<T> Future for YieldFuture<'_, T> {
    type Output = ();

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Tested before taken: on every resume the value is `None`, and this stays a compare.
        if self.value.is_some() {
            // The slot was taken when `yield_` ran: move in once it is free.
            let value = self.value.take().expect("checked just above");
            // SAFETY: the slot outlives the handle this future borrows (module docs), and
            // nothing else accesses it while a yield runs.
            self.value = unsafe { Slot::put(self.slot, value) }.err();
        }
        // SAFETY: as above.
        if unsafe { Slot::is_full(self.slot) } {
            // Our item, or the one ours waits behind, is still there.
            // SAFETY: as above.
            unsafe { Slot::pending(self.slot, cx) }
        } else {
            // Taken by the consumer, who then polled the stream again.
            Poll::Ready(())
        }
    }
}

impl<T> fmt::Debug for YieldFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("YieldFuture")
            .field("waiting_for_the_slot", &self.value.is_some())
            .finish_non_exhaustive()
    }
}

enum State<C, M, F> {
    /// Not polled yet: the body closure and the function that starts it (taken out while the
    /// body starts, and for good if starting it panicked).
    Init(Option<(C, M)>),
    /// The body's future, until the stream is dropped (also once it has finished: the slot
    /// says when the stream has ended).
    Running(F),
}

/// The stream behind every `#[async_gen]` fn and `stream!` block.
pub(crate) struct AsyncGen<T, C, M, F> {
    // Declared before `slot`, so the body's future is dropped before the slot it points to.
    //
    // In an `UnsafeCell` so that a shared `&AsyncGen` (`is_terminated`, which
    // `futures::select!` calls between polls, `size_hint`, `Debug`) claims nothing about the
    // body's future: the body may hold a `&mut` to its own locals across a yield, and a
    // shared reference covering them would invalidate it (Miri reports it, under Stacked and
    // Tree Borrows). Through `&self` only the state's discriminant is read.
    state: UnsafeCell<State<C, M, F>>,
    slot: Slot<T>,
    // The body holds a pointer to `slot`: `&mut AsyncGen` must not claim it is unique.
    _pinned: PhantomPinned,
}

// SAFETY: what the compiler would derive: the stream owns its body (`C` and `M` before it
// starts, then `F`) and the items in its slot (`T`). Written out so that an error about a
// body that is not `Send` stops here, with the body's own reason, instead of walking the
// user through `UnsafeCell`, `Option` and this module's private types.
unsafe impl<T, C, M, F> Send for AsyncGen<T, C, M, F>
where
    F: Send,
    C: Send,
    M: Send,
    T: Send,
{
}
// SAFETY: what the compiler would derive without the `UnsafeCell`: through `&AsyncGen` only
// the state's discriminant is read, and the slot is `Sync`.
unsafe impl<T, C: Sync, M: Sync, F: Sync> Sync for AsyncGen<T, C, M, F> {}

/// Where a stream is in its life, as `&self` methods see it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    NotStarted,
    Running,
    Done,
}

impl<T, C, M, F> AsyncGen<T, C, M, F> {
    fn phase(&self) -> Phase {
        if self.slot.has_ended() {
            return Phase::Done;
        }
        // SAFETY: a shared `&self` means no poll or drop is running (they hold `&mut`), so
        // nothing writes the state now; the match reads discriminants only, and makes no
        // reference to the body's future.
        unsafe {
            match *self.state.get() {
                State::Init(Some(_)) => Phase::NotStarted,
                // Starting the body panicked.
                State::Init(None) => Phase::Done,
                State::Running(_) => Phase::Running,
            }
        }
    }
}

/// Turns a generator body into a `Stream` of what it yields.
///
/// Not public API: called by the code `#[async_gen]` and `stream!` generate.
/// Sound for any `body`: the handle it receives cannot outlive it.
#[inline]
pub fn async_gen<T, C>(body: C) -> impl FusedStream<Item = T>
where
    C: for<'y> AsyncFnOnce(Yielder<'y, T>),
{
    // A closure, not a fn, so that the body's future type (which stable Rust cannot name) is
    // inferred into `AsyncGen`'s `F`: the stream polls the body's own state machine directly.
    // It picks `'y = 'static`, which nothing can rely on: the body is generic over `'y`.
    let start = |body: C, slot: NonNull<Slot<T>>| {
        body(Yielder {
            slot,
            _brand: PhantomData,
            _invariant: PhantomData,
        })
    };
    AsyncGen {
        state: UnsafeCell::new(State::Init(Some((body, start)))),
        slot: const { Slot::empty() },
        _pinned: PhantomPinned,
    }
}

impl<T, C, M, F> Stream for AsyncGen<T, C, M, F>
where
    M: FnOnce(C, NonNull<Slot<T>>) -> F,
    F: Future<Output = ()>,
{
    type Item = T;

    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // SAFETY: `state`'s future is structurally pinned (only polled through `Pin`, and
        // dropped in place with `self`); `C`, `M` and the slot are not pinned, and `C` and `M`
        // are only moved before the future exists. `self` is never moved out of.
        let this = unsafe { self.get_unchecked_mut() };
        let slot = NonNull::from(&this.slot);
        // SAFETY: no yield runs now (nor below, outside the body's poll).
        if unsafe { Slot::ended(slot) } {
            // Ended, or the last poll of the body unwound (a panic the caller caught): the
            // body must not be polled again. It stays in place until the stream is dropped,
            // which spares every generator's `poll_next` the code to drop it. (The macros'
            // bodies hold nothing by then: a finished or unwound coroutine has dropped its
            // locals. A hand-written body of the low-level API keeps its own until then.)
            return Poll::Ready(None);
        }
        let state = this.state.get_mut();
        if let State::Init(init) = state {
            if let Some((body, start)) = init.take() {
                // Now that `self` is pinned, the slot's address is stable.
                let running = State::Running(start(body, slot));
                // It replaces `Init(None)`, which holds nothing: forgotten rather than dropped,
                // so no drop code is compiled here for every generator.
                core::mem::forget(core::mem::replace(state, running));
            }
        }
        let State::Running(future) = state else {
            return Poll::Ready(None);
        };
        // SAFETY: as above.
        unsafe { Slot::enter(slot, cx.waker()) };
        // SAFETY: `future` lives in the pinned `self` and is never moved (see above).
        let polled = unsafe { Pin::new_unchecked(future) }.poll(cx);
        // SAFETY: the body's poll has returned (below as well).
        match polled {
            Poll::Pending => {
                // SAFETY: as above.
                unsafe { Slot::leave(slot) };
                // SAFETY: as above.
                match unsafe { Slot::take(slot) } {
                    Some(item) => Poll::Ready(Some(item)),
                    None => Poll::Pending,
                }
            }
            Poll::Ready(()) => {
                // The waker stays set: the stream has ended (`Slot::ended`).
                // A last item can be in the slot if its yield future was not awaited.
                // SAFETY: as above.
                Poll::Ready(unsafe { Slot::take(slot) })
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.is_terminated() {
            (0, Some(0))
        } else {
            (0, None)
        }
    }
}

impl<T, C, M, F> FusedStream for AsyncGen<T, C, M, F>
where
    M: FnOnce(C, NonNull<Slot<T>>) -> F,
    F: Future<Output = ()>,
{
    fn is_terminated(&self) -> bool {
        self.phase() == Phase::Done
    }
}

impl<T, C, M, F> fmt::Debug for AsyncGen<T, C, M, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.phase() {
            Phase::NotStarted => "not started",
            Phase::Running => "running",
            Phase::Done => "done",
        };
        f.debug_struct("AsyncGen")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}
