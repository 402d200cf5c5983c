//! The yield mechanism: the slot an item travels through, the handle that writes it, and the
//! stream that drives a generator body. This is the only module of the crate with `unsafe`.
//!
//! # How a body yields
//!
//! The macros turn a generator body into an async closure
//! `async move |mut __yielder: Yielder<'_, T>| { .. }` that yields through the handle, and hand
//! it to [`async_gen`]. The returned [`AsyncGen`] stream keeps the body's future and polls it
//! directly (no wrapper future), with the caller's own context: the body's futures see the
//! caller's waker, as executors that find their task from it (embassy) need.
//!
//! An item travels through a [`ItemSlot`]: a flag and an uninitialized item. A `yield_!` awaits
//! [`Yielder::suspend`], whose future moves the item into the slot and returns `Pending`,
//! once. When the body returns `Pending`, the stream takes the item out and hands it to its
//! caller; the next poll resumes the body, whose yield future then completes. (The
//! low-level [`Yielder::yield_`] does the same for futures polled by hand, at some more cost:
//! its docs.)
//!
//! Where the slot is, and how the handle finds it, is the [`route`]: one of two, chosen at
//! compile time.
//!
//! - **On the stack** (the `std` feature, on by default): each `poll_next` puts a frame (its
//!   stream's id and a slot) on its own stack and points a thread-local at it while it polls
//!   the body; the frames of nested polls on one thread form a chain. The handle holds only
//!   its stream's id, a number, and a yield puts its item in the innermost frame if it has
//!   that id. The body holds no pointer into its own stream, so the compiler can keep the
//!   whole generator in registers once `poll_next` is inlined into a loop: it sees that the
//!   innermost frame is the one `poll_next` just pushed, with the stream's id, and the
//!   yield's check passes. (With a pointer from the body into the stream, the stream's memory
//!   is reachable from inside itself and must stay in memory: the 2026-12-01 design, 43
//!   instructions per item where this takes 10, BENCHMARKS.md.) The body starts when the
//!   stream is made: its handle needs no address.
//! - **In the stream** (without `std`, so without thread-locals, or with
//!   `--cfg asyncgen_slot_in_stream`): the slot is a field of the stream, and the handle points
//!   to it. The body starts at the first poll, once the stream is pinned and the address
//!   stable.
//!
//! The item is read back whole: the slot is a flag and a `MaybeUninit<T>`, not an `Option<T>`
//! whose niche would be read apart from the rest (BENCHMARKS.md, "Where the time goes").
//!
//! # Why it is sound
//!
//! - The handle is branded: the body receives `Yielder<'y, T>` for a lifetime `'y` it is
//!   generic over (`C: for<'y> AsyncFnOnce(Yielder<'y, T>)`), so safe code cannot move it
//!   anywhere that outlives the body's future: not into a `static`, a variable captured from
//!   outside, another thread or task, or the body of a generator made outside this one. (A
//!   generator made *inside* the body, through the low-level API, may borrow or take the
//!   handle: its items then go to the outer stream, and its own brand keeps it inside the
//!   outer body; `tests/it/soundness.rs` runs both under Miri.) This holds even for code that
//!   calls [`async_gen`] directly, without the macros. The handle cannot be constructed,
//!   cloned or defaulted outside this module, and `mem::swap` of two handles needs equal
//!   brands, which two bodies never have.
//! - The handle is invariant in `T`: a `Yielder<'_, &'static str>` cannot be used as a
//!   `Yielder<'_, &'short str>`, so the consumer never receives an item of the wrong type or
//!   lifetime.
//! - ItemSlot accesses never overlap, and all go through `UnsafeCell::get`. A yield runs inside a
//!   poll of the body (or the body's start, or its drop); the stream's `poll_next` holds
//!   `&mut self` and touches the slot only before and after the body's poll; yields take
//!   `&mut Yielder`, so at most one yield future exists per body.
//! - On the stack: a frame is on its thread's chain exactly while its `poll_next` polls the
//!   body: it is pushed just before and popped just after (by a guard, so also when the body
//!   unwinds), and polls on one thread nest, so the chain holds only live frames of this
//!   thread, above a static bottom header that no stream owns. Ids are never reused (a 63-bit
//!   count; `poll_close`'s frames carry the id with the top bit set, which no yield looks
//!   for), so a frame with a handle's id is its own stream's, whose slot holds the handle's
//!   `T`: a yield cannot write into another stream's frame, whatever its item type (the flaw
//!   of thread-local designs without an id, where a yield can land in another stream). A
//!   yield that finds no frame of its stream (its future polled outside any poll of the
//!   stream: by a destructor as the body is dropped, or on another thread) touches nothing
//!   and keeps its item.
//! - In the stream: the body's future is a field of the pinned stream, declared before the
//!   slot, so it is dropped first; `Pin` promises the stream's memory is not reused before it
//!   is dropped. So the handle never dangles while the body can use it, even when a
//!   destructor in the body yields as it is dropped. `AsyncGen` is then `!Unpin`, so the
//!   `&mut AsyncGen` made on each poll does not claim uniqueness over the slot the handle
//!   points to (the rule that makes `async fn` futures that borrow their own locals sound).
//!   The handle's pointer is made from a shared reference to the whole inbox (`repr(C)`,
//!   the slot first), and only its `UnsafeCell`s, the slot and `closing`, are accessed
//!   through it.
//! - Closing ([`Close`]): a body with `finally!` blocks (or a `yield_all!` that closes its
//!   source) is polled as by `poll_next`, its
//!   frame's owner marked (the id with `CLOSING`, the top bit, which no id has, so no
//!   yield finds it) or, in the stream, `closing` set around the poll. The body's cleanup
//!   guards read that mark through a [`Probe`]: a copy of the handle's route, branded as the
//!   handle, that only reads the innermost frame's owner, or `closing`, which is written only
//!   between polls. A body without them is dropped in place, once (`dropped` is set first),
//!   after the stream has ended, so it is never polled again; in the stream, still before
//!   the inbox, which lives until the stream is dropped.
//!
//! Miri checks both routes under Stacked and Tree Borrows.
//!
//! # Auto traits
//!
//! A stream is `Send` / `Sync` when its body's future is (and, for `Send`, its items are), as
//! the compiler would derive it. It is `UnwindSafe` / `RefUnwindSafe` when its body's future
//! is, whatever its items: like rustc's `gen` blocks, it follows what the body captures and
//! holds across its yields (issue 29). The compiler would not derive that, so it is written
//! out: the handle's brand is a `&mut ()`, the yield futures mark their borrow of the handle
//! with one, and the body and slot sit in `UnsafeCell`s. None of these is state a panic
//! could leave half-changed for a caller who catches it: after a poll unwinds, the stream has
//! ended and never polls its body again, and an item left in the slot or in a yield future is
//! dropped, never handed out; through `&AsyncGen` only the body's discriminant and whether
//! the stream has ended are read. (Unwind safety is a lint, not soundness: `AssertUnwindSafe`
//! is safe code. Nothing in the argument above depends on it.)
//!
//! # Wake-ups
//!
//! The macros' yield returns `Pending` without waking: its stream polls the body again as
//! soon as its caller takes the item, and the macros' bodies poll their yields directly,
//! under the stream's own context. A yield future polled by hand may be under a waker of its
//! own (a `FuturesUnordered` in the body) that would not re-poll it otherwise, so
//! [`Yielder::yield_`]'s future wakes whenever it waits. Waking on every macro yield would
//! cost each consumer task a spurious re-schedule per item on real executors.

use core::cell::UnsafeCell;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::panic::{RefUnwindSafe, UnwindSafe};
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use route::Inbox;

use crate::close::Close;

/// Whether the slot is on the stack of `poll_next` (the `std` feature's route) rather than
/// in the stream: for tests of what differs between the two (module docs).
pub const SLOT_ON_THE_STACK: bool = cfg!(all(
    feature = "std",
    target_has_atomic = "64",
    not(asyncgen_slot_in_stream)
));

/// Room for one item.
///
/// A flag and an uninitialized item rather than an `Option<T>`: an item is then written and
/// read back whole, the way it was moved in. (With `Option<String>`, reading the niche first
/// and the rest after split the read across the writes, which stalled store forwarding.)
struct ItemSlot<T> {
    full: UnsafeCell<bool>,
    item: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: the slot holds `T`s.
unsafe impl<T: Send> Send for ItemSlot<T> {}
// SAFETY: `&ItemSlot<T>` gives access to nothing outside this module, and inside it the slot is
// only accessed by the stream's `poll_next` or the body's handle, never both at once, and
// never through a shared `&AsyncGen`.
unsafe impl<T> Sync for ItemSlot<T> {}

impl<T> ItemSlot<T> {
    /// An empty slot.
    const fn new() -> Self {
        ItemSlot {
            full: UnsafeCell::new(false),
            item: UnsafeCell::new(MaybeUninit::uninit()),
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
    /// As for [`ItemSlot::is_full`].
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
    /// As for [`ItemSlot::is_full`].
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

impl<T> Drop for ItemSlot<T> {
    fn drop(&mut self) {
        // An item a body yielded as its poll unwound, or (in the stream) as it was dropped or
        // after the stream's last take.
        if *self.full.get_mut() {
            // SAFETY: `full` says it is initialized; it is dropped once, here.
            unsafe { self.item.get_mut().assume_init_drop() };
        }
    }
}

/// The slot on the stack: a frame per `poll_next`, found through a thread-local chain by the
/// stream's id (module docs, "How a body yields").
#[cfg(all(
    feature = "std",
    target_has_atomic = "64",
    not(asyncgen_slot_in_stream)
))]
mod route {
    use core::cell::Cell;
    use core::future::Future;
    use core::marker::PhantomData;
    use core::pin::Pin;
    use core::ptr::{self, NonNull};
    use core::sync::atomic::{AtomicU64, Ordering};
    use core::task::{Context, Poll};

    use super::{AsyncGen, Body, Close, FusedStream, ItemSlot, Route, Yielder};

    /// Ids are handed out to each thread in blocks of this many, so that making a stream costs
    /// one atomic read-modify-write per block, not per stream.
    const BLOCK: u64 = 1 << 10;

    /// The next block of ids to hand to a thread. Block 0 is never handed out, so no stream
    /// has an id below [`BLOCK`].
    ///
    /// Ids stay below [`CLOSING`], so there are `2^63 / BLOCK = 2^53` blocks, and an id must
    /// never be handed out twice (a yield could then land in another stream's frame), so the
    /// process aborts when they are used up ([`next_id`]). A thread takes a block when it
    /// makes its first stream and after every 1 024: at a new stream every nanosecond, without
    /// a pause, the ids last 292 years (2^63 ns); with a thread started for every stream, each
    /// taking a block for one id, 2^53 thread starts, 285 years at one a microsecond.
    static NEXT_BLOCK: AtomicU64 = AtomicU64::new(1);

    /// Set in the owner of a frame pushed by `poll_close` (never in an id): a yield, which
    /// looks for its stream's exact id, finds no frame, and a cleanup guard
    /// ([`super::Probe::is_closing`]) finds its stream closing.
    const CLOSING: u64 = 1 << 63;

    /// The bottom of every thread's chain: a header no stream owns, so that a yield outside
    /// any poll finds no frame without a null check first.
    static BOTTOM: Bottom = Bottom(Header {
        owner: 0,
        below: ptr::null(),
    });

    struct Bottom(Header);

    // SAFETY: never written; its pointer is only compared and read.
    unsafe impl Sync for Bottom {}

    std::thread_local! {
        /// This thread's next id; a multiple of [`BLOCK`] (0 at first) when its block is used up.
        static NEXT_ID: Cell<u64> = const { Cell::new(0) };
        /// The innermost frame of this thread's running polls, or [`BOTTOM`].
        static TOP: Cell<*const Header> = const { Cell::new(&BOTTOM.0) };
    }

    /// A new id, never handed out before in this process: one per stream, when it is made.
    /// `extern "C"`, so that it cannot unwind: the function that makes a stream then needs no
    /// code to drop the body if it did (compile time: `benches/compile_time.rs`). Not inlined:
    /// it is on no poll's path.
    ///
    /// Aborts the process when the ids are used up ([`NEXT_BLOCK`]), rather than hand one out
    /// twice.
    #[inline(never)]
    extern "C" fn next_id() -> u64 {
        let mut id = NEXT_ID.get();
        if id % BLOCK == 0 {
            let block = NEXT_BLOCK.fetch_add(1, Ordering::Relaxed);
            // A block past the last (the counter itself would take 2^64 takes to wrap).
            let Some(first) = block.checked_mul(BLOCK).filter(|first| *first < CLOSING) else {
                std::process::abort()
            };
            id = first;
        }
        // The last id of the last block is `CLOSING - 1`: the next one is `CLOSING`, a
        // multiple of `BLOCK`, so the next call takes a new block, which does not exist, and
        // aborts.
        NEXT_ID.set(id + 1);
        id
    }

    /// The ids run out by aborting the process, never by handing one out again (issue 27).
    /// The abort is watched from outside: the test runs itself in a child process.
    #[cfg(all(test, not(miri)))]
    mod ids_run_out {
        use super::{BLOCK, CLOSING, NEXT_BLOCK, next_id};
        use core::sync::atomic::Ordering;

        /// Set in the child process, which runs [`the_last_block_then_an_abort`] for real.
        const CHILD: &str = "ASYNCGEN_TEST_IDS_RUN_OUT";

        #[test]
        fn the_last_block_then_an_abort() {
            if std::env::var_os(CHILD).is_some() {
                // Only this test runs in the child, on a thread that has no block yet.
                NEXT_BLOCK.store(CLOSING / BLOCK - 1, Ordering::Relaxed);
                let ids: std::vec::Vec<u64> = (0..BLOCK).map(|_| next_id()).collect();
                assert_eq!(ids.first(), Some(&(CLOSING - BLOCK)));
                assert_eq!(ids.last(), Some(&(CLOSING - 1)));
                std::println!("the last block was handed out");
                let reused = next_id();
                std::println!("an id after the last: {reused}");
                return;
            }
            let child = std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "yielder::route::ids_run_out::the_last_block_then_an_abort",
                ])
                .args(["--nocapture", "--test-threads=1"])
                .env(CHILD, "1")
                .output()
                .unwrap();
            let stdout = std::string::String::from_utf8_lossy(&child.stdout);
            let stderr = std::string::String::from_utf8_lossy(&child.stderr);
            assert!(
                stdout.contains("the last block was handed out")
                    && !stdout.contains("after the last"),
                "the child should get every id of the last block, then none:\n{stdout}\n{stderr}"
            );
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                assert_eq!(
                    child.status.signal(),
                    Some(6), // SIGABRT
                    "the child should abort when the ids run out: {:?}\n{stderr}",
                    child.status
                );
            }
            assert!(!child.status.success());
        }
    }

    /// What a yield reads of a frame before it knows the frame's item type.
    struct Header {
        /// The id of the stream whose poll made the frame.
        owner: u64,
        /// The frame of the poll this one runs inside, on this thread, or [`BOTTOM`]; null
        /// for [`BOTTOM`].
        below: *const Header,
    }

    /// A poll's frame, on `poll_next`'s stack. `repr(C)`: the header is at its start, so the
    /// chain's pointers to headers are pointers to frames.
    #[repr(C)]
    struct Frame<T> {
        header: Header,
        slot: ItemSlot<T>,
    }

    /// A route leads to its stream's id.
    pub(super) type Address = u64;

    impl<T> Route<T> {
        /// The slot of this route's stream if its poll is the innermost one running on this
        /// thread: the usual case, kept small so that it is inlined into the stream's
        /// `poll_next`, where the compiler knows the innermost frame is the one it just pushed.
        ///
        /// # Safety
        /// Called from this module's yields only; the slot may be accessed until the yield
        /// returns (module docs: accesses never overlap).
        #[inline(always)]
        pub(super) unsafe fn innermost(self) -> Option<NonNull<ItemSlot<T>>> {
            let top = TOP.get();
            // SAFETY: the chain holds only live frames of this thread, and `BOTTOM` (module
            // docs); their headers are never written while on it.
            if unsafe { (*top).owner } == self.to {
                // SAFETY: as above.
                Some(unsafe { Self::slot_of(top) })
            } else {
                None
            }
        }

        /// The slot of this route's stream if one of its polls is running on this thread,
        /// wherever it is on the chain: also below the innermost one (a generator made inside
        /// a body, yielding through the outer handle).
        ///
        /// # Safety
        /// As for [`Route::innermost`].
        #[cold]
        #[inline(never)]
        pub(super) unsafe fn below(self) -> Option<NonNull<ItemSlot<T>>> {
            let mut header = TOP.get();
            while !header.is_null() {
                // SAFETY: as for `innermost`.
                let Header { owner, below } = unsafe { &*header };
                if *owner == self.to {
                    // SAFETY: as above.
                    return Some(unsafe { Self::slot_of(header) });
                }
                header = *below;
            }
            None
        }

        /// Whether the innermost poll on this thread is its stream's `poll_close`.
        ///
        /// # Safety
        /// As for [`Route::innermost`].
        #[inline]
        pub(super) unsafe fn is_closing(self) -> bool {
            // SAFETY: as for `innermost`.
            unsafe { (*TOP.get()).owner == self.to | CLOSING }
        }

        /// The slot of the frame `header` starts.
        ///
        /// # Safety
        /// `header` is on the chain, and its owner is this route's.
        #[inline(always)]
        unsafe fn slot_of(header: *const Header) -> NonNull<ItemSlot<T>> {
            // The frame with this route's id is its stream's (`BOTTOM` has no owner), a
            // `Frame<T>` for this `T`, and the pointer on the chain was made from the whole
            // frame.
            let frame = header.cast::<Frame<T>>().cast_mut();
            // SAFETY: the caller's.
            unsafe { NonNull::new_unchecked(&raw mut (*frame).slot) }
        }
    }

    /// Turns a generator body into a `Stream` of what it yields.
    ///
    /// Not public API: called by the code `#[async_gen]` and `stream!` generate for bodies
    /// without a `finally!` block: closing the stream drops the body. Sound for any `body`:
    /// the handle it receives cannot outlive it.
    ///
    /// The body is started at once: its handle needs only the stream's id, not its address.
    /// (The call runs no code of an `async` closure's; a hand-written body's synchronous start
    /// runs here, outside any poll, so a yield in it finds no frame and is not delivered.)
    #[inline]
    pub fn async_gen<T, C>(body: C) -> impl FusedStream<Item = T> + Close
    where
        C: for<'y> AsyncFnOnce(Yielder<'y, T>),
    {
        let inbox = Inbox::new();
        // The body's future type, which stable Rust cannot name, is inferred into `AsyncGen`:
        // the stream polls the body's own state machine directly.
        AsyncGen::<T, _, false>::new(body(inbox.handle()), inbox)
    }

    /// [`async_gen`] for a body with `finally!` blocks: closing the stream polls the body in
    /// closing mode (`generator::cleanup`). (The two are written out, not made by a shared fn:
    /// its opaque type would stand between the body's future and the user in every error
    /// about the body.)
    #[inline]
    pub fn async_gen_with_cleanup<T, C>(body: C) -> impl FusedStream<Item = T> + Close
    where
        C: for<'y> AsyncFnOnce(Yielder<'y, T>),
    {
        let inbox = Inbox::new();
        AsyncGen::<T, _, true>::new(body(inbox.handle()), inbox)
    }

    /// Started when the stream is made.
    impl<T, F: Future<Output = ()>> Body<T> for F {
        #[inline(always)]
        fn poll_body(self: Pin<&mut Self>, _: Route<T>, cx: &mut Context<'_>) -> Poll<()> {
            self.poll(cx)
        }

        unsafe fn started(_: *const Self) -> bool {
            true
        }
    }

    /// The stream's part: its id, which also says whether it has ended.
    pub(super) struct Inbox<T> {
        /// The stream's id; 0 while the body is polled, put back when the poll returns
        /// `Pending`: still 0 between polls, the body finished or unwound.
        owner: u64,
        _item: PhantomData<fn() -> T>,
    }

    impl<T> Inbox<T> {
        /// A stream's inbox, with a new id. Made with the stream, not at its first poll: the
        /// id is then the same on every poll, which lets the compiler see, once `poll_next`
        /// is inlined into a loop, that a yield's check of it always passes.
        #[inline]
        pub(super) fn new() -> Self {
            Inbox {
                owner: next_id(),
                _item: PhantomData,
            }
        }

        pub(super) fn has_ended(&self) -> bool {
            self.owner == 0
        }

        /// The handle for this stream's body.
        #[inline(always)]
        pub(super) fn handle<'y>(&self) -> Yielder<'y, T> {
            Yielder::new(Route {
                to: self.owner,
                _item: PhantomData,
            })
        }

        /// Ends the stream without polling its body again.
        pub(super) fn end(&mut self) {
            self.owner = 0;
        }

        /// Runs `poll` (the body's poll) with a frame for this stream on top of this
        /// thread's chain; then takes what it yielded. `CLOSING`: the frame is marked as
        /// `poll_close`'s ([`CLOSING`]), so no yield finds it and the body's cleanup guards see
        /// it.
        ///
        /// # Safety
        /// As for the other route's: nothing more is needed here.
        #[inline(always)]
        pub(super) unsafe fn run<const CLOSING_POLL: bool>(
            &mut self,
            cx: &mut Context<'_>,
            poll: impl FnOnce(Route<T>, &mut Context<'_>) -> Poll<()>,
        ) -> Poll<Option<T>> {
            /// Pops the frame if the body's poll unwinds.
            struct PopOnUnwind(*const Header);
            impl Drop for PopOnUnwind {
                #[inline]
                fn drop(&mut self) {
                    TOP.set(self.0);
                }
            }

            // Taken while the body is polled, so that the stream has ended if the poll unwinds.
            let owner = core::mem::replace(&mut self.owner, 0);
            let below = TOP.get();
            let mut frame = Frame {
                header: Header {
                    owner: if CLOSING_POLL { owner | CLOSING } else { owner },
                    below,
                },
                slot: ItemSlot::new(),
            };
            // Made from the whole frame, so that a yield may reach the slot through it.
            let frame_ptr = NonNull::from(&mut frame);
            // SAFETY: `frame` is a live local.
            let slot = unsafe { NonNull::new_unchecked(&raw mut (*frame_ptr.as_ptr()).slot) };
            TOP.set(frame_ptr.cast::<Header>().as_ptr());
            let pop = PopOnUnwind(below);
            let route = Route {
                to: owner,
                _item: PhantomData,
            };
            let polled = poll(route, cx);
            // Taken before the pop, so that the compiler reads the item from where the yield
            // put it rather than from memory: the thread-local's store could alias.
            // SAFETY: the body's poll has returned: nothing else accesses the slot now.
            let item = unsafe { ItemSlot::take(slot) };
            core::mem::forget(pop);
            TOP.set(below);
            match polled {
                Poll::Pending => {
                    self.owner = owner;
                    match item {
                        Some(item) => Poll::Ready(Some(item)),
                        None => Poll::Pending,
                    }
                }
                // A last item can be in the slot if its yield future was not awaited.
                Poll::Ready(()) => Poll::Ready(item),
            }
        }
    }
}

/// The slot in the stream, which the handle points to (module docs, "How a body yields").
#[cfg(not(all(
    feature = "std",
    target_has_atomic = "64",
    not(asyncgen_slot_in_stream)
)))]
mod route {
    use core::cell::UnsafeCell;
    use core::future::Future;
    use core::marker::{PhantomData, PhantomPinned};
    use core::pin::Pin;
    use core::ptr::NonNull;
    use core::task::{Context, Poll};

    use super::{AsyncGen, Body, Close, FusedStream, ItemSlot, Route, Yielder};

    /// A route leads to its stream's inbox, an `Inbox<T>` for the route's `T`, whose slot is
    /// at its start.
    pub(super) type Address = NonNull<()>;

    impl<T> Route<T> {
        /// The slot of this route's stream: always reachable (module docs).
        ///
        /// # Safety
        /// Called from this module's yields only.
        #[inline(always)]
        pub(super) unsafe fn innermost(self) -> Option<NonNull<ItemSlot<T>>> {
            // `Inbox` is `repr(C)`, its slot first.
            Some(self.to.cast())
        }

        /// The same: the slot is reachable from anywhere.
        ///
        /// # Safety
        /// As for [`Route::innermost`].
        #[inline(always)]
        pub(super) unsafe fn below(self) -> Option<NonNull<ItemSlot<T>>> {
            Some(self.to.cast())
        }

        /// Whether the stream's `poll_close` is running.
        ///
        /// # Safety
        /// Called inside a poll of the stream's body, which the route was lent to.
        #[inline]
        pub(super) unsafe fn is_closing(self) -> bool {
            let inbox = self.to.cast::<Inbox<T>>();
            // SAFETY: the caller's: the inbox outlives the body, and `closing` is only written
            // between polls of the body.
            unsafe { *(*inbox.as_ptr()).closing.get() }
        }
    }

    /// Turns a generator body into a `Stream` of what it yields.
    ///
    /// Not public API: called by the code `#[async_gen]` and `stream!` generate for bodies
    /// without a `finally!` block: closing the stream drops the body. Sound for any `body`:
    /// the handle it receives cannot outlive it.
    ///
    /// The body is started at the stream's first poll: only then is the stream pinned, so that
    /// its inbox's address can be lent to the handle.
    #[inline]
    pub fn async_gen<T, C>(body: C) -> impl FusedStream<Item = T> + Close
    where
        C: for<'y> AsyncFnOnce(Yielder<'y, T>),
    {
        // A closure, not a fn, so that the body's future type (which stable Rust cannot name)
        // is inferred into `Lazy`'s `F`: the stream polls the body's own state machine
        // directly.
        let start = |body: C, route| body(Yielder::new(route));
        AsyncGen::<T, _, false>::new(Lazy::Init(Some((body, start))), const { Inbox::new() })
    }

    /// [`async_gen`] for a body with `finally!` blocks: closing the stream polls the body in
    /// closing mode (`generator::cleanup`). (Written out: see the other route's.)
    #[inline]
    pub fn async_gen_with_cleanup<T, C>(body: C) -> impl FusedStream<Item = T> + Close
    where
        C: for<'y> AsyncFnOnce(Yielder<'y, T>),
    {
        let start = |body: C, route| body(Yielder::new(route));
        AsyncGen::<T, _, true>::new(Lazy::Init(Some((body, start))), const { Inbox::new() })
    }

    /// A body started at the first poll.
    pub(super) enum Lazy<C, M, F> {
        /// Not polled yet: the body closure and the function that starts it (taken out while
        /// the body starts, and for good if starting it panicked).
        Init(Option<(C, M)>),
        /// The body's future, until the stream is dropped (also once it has finished: the
        /// inbox says when the stream has ended).
        Running(F),
    }

    impl<T, C, M, F> Body<T> for Lazy<C, M, F>
    where
        M: FnOnce(C, Route<T>) -> F,
        F: Future<Output = ()>,
    {
        #[inline(always)]
        fn poll_body(self: Pin<&mut Self>, route: Route<T>, cx: &mut Context<'_>) -> Poll<()> {
            // SAFETY: the future is structurally pinned; `C` and `M` are not, and are only
            // moved before the future exists.
            let this = unsafe { self.get_unchecked_mut() };
            if let Lazy::Init(init) = this {
                if let Some((body, start)) = init.take() {
                    // Inside the run, so that a hand-written body's synchronous start may
                    // yield too.
                    let running = Lazy::Running(start(body, route));
                    // It replaces `Init(None)`, which holds nothing: forgotten rather than
                    // dropped, so no drop code is compiled here for every generator.
                    core::mem::forget(core::mem::replace(this, running));
                }
            }
            let Lazy::Running(future) = this else {
                // Starting the body panicked.
                return Poll::Ready(());
            };
            // SAFETY: `future` lives in the pinned `self` and is never moved.
            unsafe { Pin::new_unchecked(future) }.poll(cx)
        }

        unsafe fn started(this: *const Self) -> bool {
            // SAFETY: the caller's; the match reads the discriminants only.
            unsafe { !matches!(*this, Lazy::Init(Some(_))) }
        }
    }

    /// The stream's part: the slot, and whether it has ended or is closing. `repr(C)`, with
    /// the slot first: a route to the inbox is a route to its slot.
    #[repr(C)]
    pub(super) struct Inbox<T> {
        slot: ItemSlot<T>,
        /// Set while `poll_close` polls the body (`Route::is_closing`).
        closing: UnsafeCell<bool>,
        /// Set while the body is polled and cleared when the poll returns `Pending`: still set
        /// between polls, the body finished or unwound.
        ended: bool,
        // The body holds a pointer to the inbox: `&mut AsyncGen` must not claim it is unique.
        _pinned: PhantomPinned,
    }

    impl<T> Inbox<T> {
        /// An empty inbox.
        #[inline]
        pub(super) const fn new() -> Self {
            Inbox {
                slot: ItemSlot::new(),
                closing: UnsafeCell::new(false),
                ended: false,
                _pinned: PhantomPinned,
            }
        }

        pub(super) fn has_ended(&self) -> bool {
            self.ended
        }

        /// Ends the stream without polling its body again.
        pub(super) fn end(&mut self) {
            self.ended = true;
        }

        /// Runs `poll` (the body's start, if it has not started, and its poll) with the route
        /// to this inbox; then takes what it yielded. `CLOSING_POLL`: `closing` is set during
        /// the poll.
        ///
        /// # Safety
        /// `self` is pinned, and the body's future is dropped before it.
        #[inline(always)]
        pub(super) unsafe fn run<const CLOSING_POLL: bool>(
            &mut self,
            cx: &mut Context<'_>,
            poll: impl FnOnce(Route<T>, &mut Context<'_>) -> Poll<()>,
        ) -> Poll<Option<T>> {
            // From a shared reference: a `&mut` would claim the inbox is unique, and so
            // invalidate the pointer the body's handle kept from the first poll. Only the
            // slot and `closing`, both in `UnsafeCell`s, are accessed through it.
            let inbox = NonNull::from(&*self);
            let route = Route {
                to: inbox.cast(),
                _item: PhantomData,
            };
            // Set during the poll, so that it stays set if the poll unwinds.
            self.ended = true;
            if CLOSING_POLL {
                // SAFETY: no poll of the body runs now.
                unsafe { *self.closing.get() = true };
            }
            let polled = poll(route, cx);
            if CLOSING_POLL {
                // SAFETY: the body's poll has returned.
                unsafe { *self.closing.get() = false };
            }
            // SAFETY: the body's poll has returned: no yield runs now.
            let item = unsafe { ItemSlot::take(inbox.cast()) };
            match polled {
                Poll::Pending => {
                    self.ended = false;
                    match item {
                        Some(item) => Poll::Ready(Some(item)),
                        None => Poll::Pending,
                    }
                }
                // A last item can be in the slot if its yield future was not awaited.
                Poll::Ready(()) => Poll::Ready(item),
            }
        }
    }
}

/// How a handle finds its stream's slot: by the stream's id (the stack route) or the slot's
/// address (the stream route), its `Address`.
pub(crate) struct Route<T> {
    to: route::Address,
    // A `Yielder<'_, &'static str>` must not pass for a `Yielder<'_, &'short str>`.
    _item: PhantomData<fn(T) -> T>,
}

impl<T> Clone for Route<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Route<T> {}

impl<T> Route<T> {
    /// The slot of this route's stream, if one of its polls is running on this thread.
    ///
    /// # Safety
    /// Called from this module's yields only; the slot may be accessed until the yield
    /// returns (module docs: accesses never overlap).
    #[inline(always)]
    unsafe fn slot(self) -> Option<NonNull<ItemSlot<T>>> {
        // SAFETY: the caller's.
        unsafe { self.innermost().or_else(|| self.below()) }
    }
}

/// The handle a generator body yields through, lent to the body for a lifetime `'y` it is
/// generic over. The macros hide it behind a hygienic name.
pub struct Yielder<'y, T> {
    route: Route<T>,
    // Brands the handle (covariant: the brand can only be shortened). The route makes it
    // invariant in `T`.
    _brand: PhantomData<&'y mut ()>,
}

// SAFETY: the handle stands for exclusive access to a slot of `T`s: sending it sends `T`s.
unsafe impl<T: Send> Send for Yielder<'_, T> {}
// SAFETY: `&Yielder` gives access to nothing but a `Probe`, which only reads whether the
// stream is closing (its own `Sync` argument); `yield_` takes `&mut self`.
unsafe impl<T> Sync for Yielder<'_, T> {}
// The brand's `&mut ()` only marks a lifetime: the handle has no state a panic could leave
// half-changed (module docs, "Auto traits").
impl<T> UnwindSafe for Yielder<'_, T> {}

impl<T> Yielder<'_, T> {
    /// The handle a body's stream lends it. The caller picks `'y`, which nothing can rely on:
    /// bodies are generic over it.
    #[inline(always)]
    fn new(route: Route<T>) -> Self {
        Yielder {
            route,
            _brand: PhantomData,
        }
    }

    /// Hands `value` to the stream's consumer; the returned future resolves once the consumer
    /// has taken it and polled the stream again. For futures polled by hand: the macros use
    /// the cheaper [`Yielder::suspend`].
    ///
    /// The value goes into the stream's slot at once, when the slot is empty and reachable:
    /// it moves once, and the future carries no item. Only when the slot still holds an
    /// earlier item of this poll (a yield future polled by hand, then dropped) does the future
    /// keep the value until the slot is free. An item that went into the slot is delivered
    /// even if the future is then dropped unpolled; one still waiting in the future is dropped
    /// with it. The future wakes its task whenever it returns `Pending`, so it also works
    /// under wakers of its own (module docs, "Wake-ups"). It finds its stream's slot from
    /// inside other streams' polls too (a generator made in the body, yielding through this
    /// handle). A yield outside any poll of its stream (from a destructor as the body is
    /// dropped; with the `std` feature, also one from another thread, or in a hand-written
    /// body's synchronous start, which runs when the stream is made) keeps its value in the
    /// future, which stays `Pending`.
    #[inline]
    pub fn yield_(&mut self, value: T) -> YieldFuture<'_, T> {
        // SAFETY: a yield; the slot is only used in this call.
        let value = match unsafe { self.route.slot() } {
            // SAFETY: as above.
            Some(slot) => unsafe { ItemSlot::put(slot, value) }.err(),
            None => Some(value),
        };
        YieldFuture {
            route: self.route,
            value,
            _borrow: PhantomData,
        }
    }
}

impl<T> Yielder<'_, T> {
    /// The macros' yield: hands `value` to the stream's consumer, and returns a future that
    /// is `Pending` once, then completes.
    ///
    /// Made for what `yield_!` does: a future awaited where it is made, directly in the body.
    /// It is then polled with the stream's own context, once per poll of the stream, inside
    /// that poll (the macros' bodies cannot yield from anywhere else), so its second poll
    /// means the consumer has taken the item and asked for the next. That spares it what
    /// [`Yielder::yield_`] does to also serve futures polled by hand, under other wakers or
    /// inside other generators' polls: three looks for the slot per item, a look at the
    /// waker, and a walk down the chain of polls, which is a call the compiler cannot see
    /// through. Here the item goes into the slot of the innermost poll on this thread, which
    /// the compiler knows is the one its stream's `poll_next` just made, or waits.
    ///
    /// Used any other way, it stays sound but may not deliver: polled again within one poll
    /// of the stream, it completes while its item still waits for the consumer (the item is
    /// delivered all the same, and a later yield waits its turn); polled under another waker,
    /// it does not wake it; polled outside its stream's poll, or inside a poll of another
    /// stream, its item waits in the future, which tries again when polled, and is dropped
    /// with it if it never gets in. An item that finds the slot full (one of
    /// [`Yielder::yield_`] not yet taken) waits the same way.
    #[inline]
    pub fn suspend(&mut self, value: T) -> Suspend<'_, T> {
        Suspend::new(self.route, value)
    }

    /// [`Yielder::suspend`] for a yield the macros found inside another macro's arguments
    /// (`tokio::select!` arms, the user's own macros). Such a macro may wrap the yield in an
    /// `async` block the macros cannot see, which a generator nested in the body may then
    /// await (async-stream's issue 106): the yield is then polled inside that generator's
    /// poll, and finds its own stream's frame further down the chain, as [`Yielder::yield_`]
    /// does. ([`Yielder::suspend`] would keep its item, and its stream would wait with
    /// nothing to wake it.) That walk is a call the compiler cannot see through, on a path
    /// the yields directly in a body are spared: a generator kept in registers with one of
    /// them is kept in memory (BENCHMARKS.md).
    #[inline]
    pub fn suspend_in_macro(&mut self, value: T) -> Suspend<'_, T, true> {
        Suspend::new(self.route, value)
    }
}

/// The handle as the macros lend it to a yield inside another macro's arguments: its
/// `suspend` is [`Yielder::suspend_in_macro`]. The lowering shadows the handle with it around
/// such a yield (`{ let mut handle = InMacro(&mut handle); yield_!(@lowered handle, x) }`), so
/// `yield_!`'s and `yield_all!`'s arms stay the same for both. It derefs to the handle (for
/// `ItemOf::of`).
pub struct InMacro<'a, 'y, T>(pub &'a mut Yielder<'y, T>);

// A `&mut` to the handle, which a panic cannot leave half-changed (module docs, "Auto traits").
impl<T> UnwindSafe for InMacro<'_, '_, T> {}

impl<T> InMacro<'_, '_, T> {
    /// [`Yielder::suspend_in_macro`].
    #[inline]
    pub fn suspend(&mut self, value: T) -> Suspend<'_, T, true> {
        self.0.suspend_in_macro(value)
    }
}

impl<'y, T> core::ops::Deref for InMacro<'_, 'y, T> {
    type Target = Yielder<'y, T>;

    fn deref(&self) -> &Yielder<'y, T> {
        self.0
    }
}

impl<T> fmt::Debug for InMacro<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("InMacro").field(&self.0).finish()
    }
}

/// The future of [`Yielder::suspend`] (and, `ANYWHERE`, of [`Yielder::suspend_in_macro`]).
#[must_use = "the generator only pauses for its consumer when the future is awaited"]
pub struct Suspend<'a, T, const ANYWHERE: bool = false> {
    route: Route<T>,
    /// The item, until it goes into the slot.
    value: Option<T>,
    /// Whether `Pending` was returned since the item went in (`IN_PLACE` items only).
    waited: bool,
    // Borrows the `Yielder` mutably: one yield future at a time per body.
    _borrow: PhantomData<&'a mut ()>,
}

// SAFETY: as for `YieldFuture`.
unsafe impl<T: Send, const ANYWHERE: bool> Send for Suspend<'_, T, ANYWHERE> {}
// SAFETY: as for `YieldFuture`.
unsafe impl<T: Sync, const ANYWHERE: bool> Sync for Suspend<'_, T, ANYWHERE> {}
// As for `YieldFuture`.
impl<T, const ANYWHERE: bool> UnwindSafe for Suspend<'_, T, ANYWHERE> {}
impl<T, const ANYWHERE: bool> RefUnwindSafe for Suspend<'_, T, ANYWHERE> {}

// The value is never pinned: it is moved into the slot.
impl<T, const ANYWHERE: bool> Unpin for Suspend<'_, T, ANYWHERE> {}

impl<T, const ANYWHERE: bool> Suspend<'_, T, ANYWHERE> {
    /// Whether an item goes into the slot when the yield is made, rather than at its first
    /// poll. Measured (BENCHMARKS.md): items of up to two words cost fewer instructions put
    /// in at the first poll, where the compiler keeps them in registers; larger ones
    /// (`String`) are faster put in at once, moved once, rather than first into the future
    /// and from there into the slot.
    const IN_PLACE: bool = size_of::<T>() > 2 * size_of::<usize>();

    #[inline(always)]
    fn new(route: Route<T>, value: T) -> Self {
        let mut suspend = Suspend {
            route,
            value: Some(value),
            waited: false,
            _borrow: PhantomData,
        };
        if Self::IN_PLACE {
            // The item goes in at once, and the future only waits for the consumer.
            suspend.offer();
        }
        suspend
    }

    /// Moves the item into the slot of the innermost poll, if that poll is its stream's and
    /// the slot is empty; `ANYWHERE`, into its stream's slot wherever that stream's poll is
    /// on the chain.
    #[inline(always)]
    fn offer(&mut self) {
        // SAFETY: a yield; the slot is only used in this call.
        let slot = match unsafe { self.route.innermost() } {
            Some(slot) => slot,
            // SAFETY: as above.
            None if ANYWHERE => match unsafe { self.route.below() } {
                Some(slot) => slot,
                None => return,
            },
            None => return,
        };
        // SAFETY: as above.
        if !unsafe { ItemSlot::is_full(slot) } {
            if let Some(value) = self.value.take() {
                // SAFETY: as above; it is empty.
                let _ = unsafe { ItemSlot::put(slot, value) };
            }
        }
    }
}

impl<T, const ANYWHERE: bool> Future for Suspend<'_, T, ANYWHERE> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if this.value.is_none() {
            // In the slot since `suspend` or an earlier poll: the first poll after that
            // waits for the consumer (`IN_PLACE`); a poll after a wait completes.
            if Self::IN_PLACE && !this.waited {
                this.waited = true;
                return Poll::Pending;
            }
            return Poll::Ready(());
        }
        this.offer();
        if Self::IN_PLACE {
            this.waited = this.value.is_none();
        }
        Poll::Pending
    }
}

impl<T, const ANYWHERE: bool> fmt::Debug for Suspend<'_, T, ANYWHERE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Suspend")
            .field("waiting_for_the_slot", &self.value.is_some())
            .finish_non_exhaustive()
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
    route: Route<T>,
    value: Option<T>,
    // Borrows the `Yielder` mutably: one yield future at a time per body.
    _borrow: PhantomData<&'a mut ()>,
}

// SAFETY: as for `Yielder`, plus the `T` it carries.
unsafe impl<T: Send> Send for YieldFuture<'_, T> {}
// SAFETY: `&YieldFuture` only reads whether the value was delivered.
unsafe impl<T: Sync> Sync for YieldFuture<'_, T> {}
// Whatever `T` is: the item is moved into the slot or dropped, never used in place, and a body
// that saw a panic is never polled again (module docs, "Auto traits").
impl<T> UnwindSafe for YieldFuture<'_, T> {}
impl<T> RefUnwindSafe for YieldFuture<'_, T> {}

// The value is never pinned: it is moved into the slot.
impl<T> Unpin for YieldFuture<'_, T> {}

impl<T> Future for YieldFuture<'_, T> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // SAFETY: a yield; the slot is only used in this call.
        let slot = unsafe { this.route.slot() };
        // SAFETY: as above.
        unsafe { YieldFuture::poll_with(&mut this.value, slot, cx) }
    }
}

impl<T> YieldFuture<'_, T> {
    /// [`Future::poll`], given the slot of the stream (`None` outside any poll of it).
    ///
    /// # Safety
    /// As for [`ItemSlot::is_full`].
    #[inline(always)]
    unsafe fn poll_with(
        value: &mut Option<T>,
        slot: Option<NonNull<ItemSlot<T>>>,
        cx: &Context<'_>,
    ) -> Poll<()> {
        let Some(slot) = slot else {
            // Outside any poll of the stream: nowhere to deliver to, nothing to wait for.
            return match value {
                Some(_) => Poll::Pending,
                None => Poll::Ready(()),
            };
        };
        // Tested before taken: on every resume the value is `None`, and this stays a compare.
        if value.is_some() {
            // The slot was taken when `yield_` ran: move in once it is free.
            let waiting = value.take().expect("checked just above");
            // SAFETY: the caller's.
            *value = unsafe { ItemSlot::put(slot, waiting) }.err();
        }
        // SAFETY: the caller's.
        if unsafe { ItemSlot::is_full(slot) } {
            // Our item, or the one ours waits behind, is still there. Woken in case this
            // future is polled under a waker of its own (a `FuturesUnordered` in the body),
            // which would not poll it again otherwise (module docs, "Wake-ups").
            cx.waker().wake_by_ref();
            Poll::Pending
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

/// What a stream polls: the body, started when the route to its slot can be lent.
pub(crate) trait Body<T> {
    /// Polls the body with `route` to the slot, starting it first if it has not started;
    /// `Ready` also when starting it panicked before (it is then gone).
    fn poll_body(self: Pin<&mut Self>, route: Route<T>, cx: &mut Context<'_>) -> Poll<()>;

    /// Whether the body has started (or tried to).
    ///
    /// # Safety
    /// No poll or drop of the body runs; only a discriminant may be read, no reference to
    /// the body's future made.
    unsafe fn started(this: *const Self) -> bool;
}

/// The stream behind every `#[async_gen]` fn and `stream!` block. `CLEANUP`: its body is
/// guarded (`finally!` blocks, or a `yield_all!` that closes its source), and `poll_close`
/// polls it in closing mode; without, `poll_close` drops the body.
pub(crate) struct AsyncGen<T, B, const CLEANUP: bool> {
    // Declared before `inbox`, so the body's future is dropped before a slot it points to.
    //
    // In an `UnsafeCell` so that a shared `&AsyncGen` (`is_terminated`, which
    // `futures::select!` calls between polls, `size_hint`, `Debug`) claims nothing about the
    // body's future: the body may hold a `&mut` to its own locals across a yield, and a
    // shared reference covering them would invalidate it (Miri reports it, under Stacked and
    // Tree Borrows). Through `&self` only the state's discriminant is read.
    //
    //
    // `ManuallyDrop`: `poll_close` may drop it before the stream (`dropped`).
    body: UnsafeCell<ManuallyDrop<B>>,
    inbox: Inbox<T>,
    /// Whether `poll_close` dropped the body.
    dropped: bool,
}

// What the compiler would derive (`B: Unpin`), through `UnpinBody`: the first error a user
// gets for `.next()` on an unpinned stream is then `UnpinBody`'s, which says to pin it, where
// rustc's own for `Unpin` suggests `(&stream).next()` and only the second error, at `.await`,
// mentions `pin!`.
impl<T, B: UnpinBody, const CLEANUP: bool> Unpin for AsyncGen<T, B, CLEANUP> where Inbox<T>: Unpin {}

/// `Unpin`, for a generator's body, under a name whose error says to pin the stream.
///
/// Not public API. A crate may implement it only for a type of its own (the orphan rule), as
/// it may `Unpin`, which is no more: the stream is then as movable as that type says it is.
/// The slot route's `AsyncGen` stays `!Unpin` whatever the body, through its `Inbox`.
#[diagnostic::on_unimplemented(
    message = "a generator's stream is not `Unpin`: pin it first",
    label = "pin this stream first",
    note = "pin it in place with `let mut stream = core::pin::pin!(stream);`, or on the heap \
            with `Box::pin(stream)` to return or store it"
)]
pub trait UnpinBody {}

// Not recommended: the error then stops at `UnpinBody` (the message above), not at `Unpin`.
#[diagnostic::do_not_recommend]
impl<B: Unpin> UnpinBody for B {}

// SAFETY: what the compiler would derive: the stream owns its body and the items in its slot.
// Written out so that an error about a body that is not `Send` stops here, with the body's
// own reason, instead of walking the user through `UnsafeCell` and this module's private
// types.
unsafe impl<T: Send, B: Send, const CLEANUP: bool> Send for AsyncGen<T, B, CLEANUP> {}
// SAFETY: what the compiler would derive without the `UnsafeCell`: through `&AsyncGen` only
// the body's discriminant is read, and the inbox is `Sync`.
unsafe impl<T, B: Sync, const CLEANUP: bool> Sync for AsyncGen<T, B, CLEANUP> {}
// What the body is, whatever the items are: the slot is empty between polls, and an item left
// in it by a poll that unwound is dropped, never handed out (module docs, "Auto traits").
impl<T, B: UnwindSafe, const CLEANUP: bool> UnwindSafe for AsyncGen<T, B, CLEANUP> {}
// Through `&AsyncGen` only the body's discriminant and the inbox's end are read: the
// `UnsafeCell`s (the body's, the slot's) are not shared state a panic could leave broken.
impl<T, B: RefUnwindSafe, const CLEANUP: bool> RefUnwindSafe for AsyncGen<T, B, CLEANUP> {}

/// Where a stream is in its life, as `&self` methods see it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    NotStarted,
    Running,
    Done,
}

impl<T, B, const CLEANUP: bool> AsyncGen<T, B, CLEANUP> {
    #[inline(always)]
    fn new(body: B, inbox: Inbox<T>) -> Self {
        AsyncGen {
            body: UnsafeCell::new(ManuallyDrop::new(body)),
            inbox,
            dropped: false,
        }
    }

    /// Drops the body in place, once.
    fn drop_body(&mut self) {
        if !self.dropped {
            // Set first: if the body's drop panics, it is not dropped again.
            self.dropped = true;
            // SAFETY: the body is structurally pinned and dropped in place, once (`dropped`);
            // nothing runs it afterwards: the stream has ended (every caller ends it first).
            unsafe { ManuallyDrop::drop(self.body.get_mut()) };
        }
    }
}

impl<T, B, const CLEANUP: bool> Drop for AsyncGen<T, B, CLEANUP> {
    fn drop(&mut self) {
        self.drop_body();
    }
}

impl<T, B: Body<T>, const CLEANUP: bool> AsyncGen<T, B, CLEANUP> {
    fn phase(&self) -> Phase {
        if self.inbox.has_ended() {
            Phase::Done
        // SAFETY: a shared `&self` means no poll or drop is running (they hold `&mut`).
        } else if unsafe { B::started(self.body.get().cast::<B>()) } {
            Phase::Running
        } else {
            Phase::NotStarted
        }
    }
}

// One opaque type between the body's future and the user (the route's fns are the ones the
// macros call): rustc's errors about the stream (`.next()` on an unpinned one) then list one
// layer fewer of ours.
pub use route::{async_gen, async_gen_with_cleanup};

impl<T, B: Body<T>, const CLEANUP: bool> Stream for AsyncGen<T, B, CLEANUP> {
    type Item = T;

    #[inline(always)]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // SAFETY: the body is structurally pinned (only polled through `Pin`, and dropped in
        // place); the inbox is not. `self` is never moved out of.
        let this = unsafe { self.get_unchecked_mut() };
        if this.inbox.has_ended() {
            // Ended, or the last poll of the body unwound (a panic the caller caught), or
            // closed: the body must not be polled again. It stays in place until the stream is
            // dropped or closed, which spares every generator's `poll_next` the code to drop
            // it. (The macros' bodies hold nothing by then: a finished or unwound coroutine
            // has dropped its locals. A hand-written body of the low-level API keeps its own
            // until then.)
            return Poll::Ready(None);
        }
        // SAFETY: as above; the body was not dropped: the stream would have ended.
        let body = unsafe { Pin::new_unchecked(&mut **this.body.get_mut()) };
        // SAFETY: `self` is pinned, and `body` is declared before `inbox`.
        unsafe {
            this.inbox
                .run::<false>(cx, |route, cx| body.poll_body(route, cx))
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

impl<T, B: Body<T>, const CLEANUP: bool> FusedStream for AsyncGen<T, B, CLEANUP> {
    fn is_terminated(&self) -> bool {
        self.phase() == Phase::Done
    }
}

impl<T, B: Body<T>, const CLEANUP: bool> Close for AsyncGen<T, B, CLEANUP> {
    /// Without `finally!` blocks, or before the body started: drops the body (which cancels
    /// the `.await` it waits on). With them: polls the body in closing mode until it ends
    /// (`generator::cleanup`). Then the stream has ended; once it has, `Ready` at once.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: as for `poll_next`.
        let this = unsafe { self.get_unchecked_mut() };
        if !this.inbox.has_ended() {
            // SAFETY: as for `phase`: `&mut self`, and the body is in place.
            if CLEANUP && unsafe { B::started(this.body.get().cast::<B>()) } {
                // SAFETY: as for `poll_next`.
                let body = unsafe { Pin::new_unchecked(&mut **this.body.get_mut()) };
                // SAFETY: as for `poll_next`.
                match unsafe {
                    this.inbox
                        .run::<true>(cx, |route, cx| body.poll_body(route, cx))
                } {
                    Poll::Pending => return Poll::Pending,
                    // An item can only come from a yield polled by hand, in the slot route
                    // (the macros' yields are not polled in closing mode, and on the stack
                    // route find no frame): dropped, never handed out. Such a yield wakes its
                    // task as it waits.
                    Poll::Ready(Some(_)) if !this.inbox.has_ended() => return Poll::Pending,
                    Poll::Ready(_) => {}
                }
            }
            this.inbox.end();
        }
        this.drop_body();
        Poll::Ready(())
    }
}

impl<T, B: Body<T>, const CLEANUP: bool> fmt::Debug for AsyncGen<T, B, CLEANUP> {
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

/// What a cleanup guard of a generator body keeps of its handle: whether the stream is
/// closing. Branded as the handle is, so it stays in the body.
pub struct Probe<'y, T> {
    route: Route<T>,
    _brand: PhantomData<&'y ()>,
}

// SAFETY: it carries no `T`, and only reads a flag that is written between polls of the body
// (module docs: a handle in a thread of the body's poll is joined before the poll returns).
unsafe impl<T> Send for Probe<'_, T> {}
// SAFETY: as above.
unsafe impl<T> Sync for Probe<'_, T> {}
impl<T> UnwindSafe for Probe<'_, T> {}
impl<T> RefUnwindSafe for Probe<'_, T> {}

impl<T> Clone for Probe<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Probe<'_, T> {}

impl<'y, T> Yielder<'y, T> {
    /// The probe a cleanup guard asks whether the stream is closing.
    #[inline]
    pub fn probe(&self) -> Probe<'y, T> {
        Probe {
            route: self.route,
            _brand: PhantomData,
        }
    }
}

impl<T> Probe<'_, T> {
    /// Whether the body is being polled by its stream's `poll_close`. (Outside any poll of the
    /// stream, on the stack route: `false`.)
    #[inline]
    pub fn is_closing(&self) -> bool {
        // SAFETY: the probe is branded: it is used inside the body, while the stream lives.
        unsafe { self.route.is_closing() }
    }
}

impl<T> fmt::Debug for Probe<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Probe").finish_non_exhaustive()
    }
}
