//! The wake-up machinery shared by `merge`, `gather` and their kin: a waker per child and a
//! FIFO of the children that woke, so each wake-up costs O(1) and allocates nothing.
//!
//! Each child (a slot, `0..n`) gets its own [`Waker`], all of them from one allocation (the
//! arena's [`WakerTable`]). Waking one pushes the slot's
//! index on a lock-free stack shared with the parent (unless the parent already holds the
//! slot) and wakes the parent through an [`AtomicWaker`], which wakes at most once per
//! registration. The parent, when polled, moves the whole stack into its own FIFO in one
//! swap and polls the slots in the order they woke.
//!
//! Each slot has one atomic state byte: `HELD` while the parent holds the slot (in its FIFO,
//! being polled, or finished with for good), `WOKEN` once a waker fired since the parent last
//! looked. A wake pushes the slot on the stack only if the state was `0` (idle), so each
//! index is in the stack or the FIFO at most once: the FIFO never holds more than `n` indices
//! and never reallocates after construction.
//!
//! A child woken during its own poll (a yield to the others: `wake_by_ref` and `Pending`) is
//! not queued again in that poll: the parent puts it aside and queues it, at the back, when its
//! next poll starts, so each child is polled at most once per poll of the parent, as in
//! `FuturesUnordered` (`idle`, `start_poll`).
//!
//! The hot path of an always-ready child costs no atomic read-modify-write: the parent does
//! not let go of a slot that yielded (it stays `HELD` and goes to the back of the FIFO), a
//! wake while it is held only sets `WOKEN` (which the parent clears, with a swap, only when
//! it is set), the shared stack is swapped only when a load shows it non-empty, and the
//! parent registers its waker only when it is about to return `Pending` (then looks at the
//! stack again, so a wake racing the registration is never lost). Only a poll that returns
//! `Pending` lets go of the slot: a compare-and-swap from `HELD` to idle, which fails if the
//! child was woken during that poll, and then the slot is queued again at once.
//!
//! Producers only push (compare-and-swap on the head) and the consumer only takes the whole
//! stack (swap with `NIL`): no element is ever popped concurrently, so there is no ABA
//! problem. All of it is safe code on atomics; the wakers themselves are the arena's.
#![forbid(unsafe_code)]

use alloc::boxed::Box;
#[cfg(not(asyncgen_loom))]
use core::sync::atomic::{AtomicU8, AtomicU32, Ordering};
use core::task::Waker;
// `RUSTFLAGS="--cfg asyncgen_loom"`: loom explores the interleavings of these atomics
// (core/tests/loom.rs).
#[cfg(asyncgen_loom)]
use loom::sync::atomic::{AtomicU8, AtomicU32, Ordering};

#[cfg(not(asyncgen_loom))]
use atomic_waker::AtomicWaker;

/// loom's own `AtomicWaker`, so the parent's registration is a point loom interleaves the
/// wakers' operations with (the `atomic-waker` crate's atomics are invisible to loom).
#[cfg(asyncgen_loom)]
struct AtomicWaker(loom::future::AtomicWaker);

#[cfg(asyncgen_loom)]
impl AtomicWaker {
    fn new() -> Self {
        AtomicWaker(loom::future::AtomicWaker::new())
    }

    fn register(&self, waker: &Waker) {
        self.0.register_by_ref(waker);
    }

    fn wake(&self) {
        self.0.wake();
    }
}

use crate::concurrency::arena::{WakeSlot, WakerRef, WakerTable};

/// No slot: the end of the stack. Slots are numbered in `u32`s, so an entry (link, bits and
/// the way back to the table) fits in 16 bytes: at most `u32::MAX` slots.
const NIL: u32 = u32::MAX;

/// The parent holds the slot: queued in its FIFO, being polled, or done with for good. A wake
/// then needs no push: the parent polls it anyway, or looks at `WOKEN` when it lets go.
const HELD: u8 = 1;
/// A waker fired since the parent last cleared this bit.
const WOKEN: u8 = 2;

/// One slot's wake state, as the wakers see it: its link in the stack of woken slots and its
/// `HELD`/`WOKEN` bits. It lives in the slot's entry of the waker table.
struct WakeState {
    /// The slot woken before this one, while this one is in the stack; the slot deferred
    /// after this one, while the parent holds this one deferred (`ReadyQueue::defer`).
    next: AtomicU32,
    /// `HELD` and `WOKEN` bits; `0` is idle: the next wake pushes the slot.
    state: AtomicU8,
}

/// What the children's wakers share with the parent.
struct Shared {
    /// The most recently woken slot, whose `next` is the one woken before it, and so on.
    head: AtomicU32,
    parent: AtomicWaker,
}

impl WakeSlot for Shared {
    type Slot = WakeState;

    fn wake_slot(&self, slot: usize, state: &WakeState) {
        // Release: what the child published before waking is seen by the parent's poll (its
        // acquire on the stack's head, on this state, or in its compare-and-swap).
        if state.state.fetch_or(WOKEN, Ordering::AcqRel) != 0 {
            return; // held or already pushed: the parent will poll it
        }
        let slot = slot as u32; // below `NIL`: `ReadyQueue::all_queued` checks
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            state.next.store(head, Ordering::Relaxed);
            // Release: the `next` link above is visible to whoever takes the stack.
            match self
                .head
                .compare_exchange_weak(head, slot, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => break,
                Err(current) => head = current,
            }
        }
        self.parent.wake();
    }
}

/// The parent's side: the slots' wakers and the FIFO of slots to poll. (Public only to the
/// loom test, through `__loom`.)
pub struct ReadyQueue {
    wakers: WakerTable<Shared>,
    fifo: Fifo,
    /// The first of the slots woken during their own poll, which wait for the parent's next
    /// poll (`idle`), or `NIL`; they are linked through their states' `next`, in the order
    /// they were put aside. (A slot's `next` is the wakers' only while it is idle: these are
    /// held.)
    deferred: u32,
    /// The last of them, while `deferred` is not `NIL`.
    last_deferred: u32,
}

/// A ring of slot indices with room for every slot: each is queued at most once, so it never
/// grows (and needs no capacity checks a `VecDeque` would make). Its length is a power of two
/// and its positions run free, masked on each access: a wrap is one `and`, where a compare and
/// a subtraction cost 2 instructions more per push or pop (callgrind).
struct Fifo {
    ring: Box<[u32]>,
    /// `ring.len() - 1`.
    mask: usize,
    /// Where the oldest entry is, unmasked (wrapping).
    head: usize,
    len: usize,
}

impl Fifo {
    /// Room for `slots` entries, holding `0..slots` if `all_queued`, else none.
    fn new(slots: usize, all_queued: bool) -> Self {
        let size = slots
            .max(1)
            .checked_next_power_of_two()
            .expect("capacity overflow");
        // Filled in one pass whatever is queued (the entries past `len` are never read).
        let ring = (0..size).map(|slot| slot as u32).collect();
        Fifo {
            ring,
            mask: size - 1,
            head: 0,
            len: if all_queued { slots } else { 0 },
        }
    }

    #[inline]
    fn at(&mut self, offset: usize) -> &mut u32 {
        &mut self.ring[self.head.wrapping_add(offset) & self.mask]
    }

    #[inline]
    fn push_back(&mut self, slot: u32) {
        *self.at(self.len) = slot;
        self.len += 1;
    }

    #[inline]
    fn pop_front(&mut self) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let slot = *self.at(0);
        self.head = self.head.wrapping_add(1);
        self.len -= 1;
        Some(slot as usize)
    }

    /// Reverses the last `count` entries.
    fn reverse_last(&mut self, count: usize) {
        let (mut front, mut back) = (self.len - count, self.len);
        while front + 1 < back {
            back -= 1;
            let (a, b) = (
                self.head.wrapping_add(front) & self.mask,
                self.head.wrapping_add(back) & self.mask,
            );
            self.ring.swap(a, b);
            front += 1;
        }
    }
}

impl ReadyQueue {
    /// `slots` slots, all held by the parent and none queued: [`push`](Self::push) those to
    /// poll. Allocates 3 times however many slots (the waker table, its entries with the wake
    /// states, the FIFO's ring, rounded up
    /// to a power of two), and never again.
    ///
    /// # Panics
    ///
    /// With `u32::MAX` slots or more.
    pub fn new(slots: usize) -> Self {
        Self::with_slots(slots, false)
    }

    /// `slots` slots, all held by the parent and queued in order: children to poll once each
    /// from the start. Allocates as [`new`](Self::new).
    pub fn all_queued(slots: usize) -> Self {
        Self::with_slots(slots, true)
    }

    fn with_slots(slots: usize, all_queued: bool) -> Self {
        // Slots are numbered in `u32`s below `NIL`.
        assert!(
            u32::try_from(slots).is_ok_and(|count| count < NIL),
            "at most 4 294 967 294 children at once"
        );
        let shared = Shared {
            head: AtomicU32::new(NIL),
            parent: AtomicWaker::new(),
        };
        let state = || WakeState {
            next: AtomicU32::new(NIL),
            state: AtomicU8::new(HELD),
        };
        ReadyQueue {
            wakers: WakerTable::new(shared, slots, state),
            fifo: Fifo::new(slots, all_queued),
            deferred: NIL,
            last_deferred: NIL,
        }
    }

    /// Queues a held `slot` that is not queued at the back, behind those that woke (maybe
    /// during its own poll): a new child, or one that yielded and may have more ready.
    #[inline]
    pub fn push(&mut self, slot: usize) {
        self.take_woken();
        self.fifo.push_back(slot as u32); // a slot's number: below `NIL`
    }

    /// The next slot to poll, in the order they woke, or `None` when none is queued. The slot
    /// stays held; a wake during its poll is remembered for [`idle`](Self::idle).
    #[inline]
    pub fn pop(&mut self) -> Option<usize> {
        // Every time, so a slot that woke queues behind those already queued, never behind
        // one that keeps being re-queued.
        self.take_woken();
        let slot = self.fifo.pop_front()?;
        let state = &self.wakers.slot(slot).state;
        // A wake since the last look must be seen afresh after this poll: clear the bit (only
        // if set, sparing the read-modify-write on the always-ready path). Acquire: the
        // child's poll sees what its waker published.
        if state.load(Ordering::Relaxed) & WOKEN != 0 {
            state.swap(HELD, Ordering::Acquire);
        }
        Some(slot)
    }

    /// [`pop`](Self::pop), or, with nothing queued, registers `parent` to be woken and looks
    /// again: a child that woke between the last look and the registration is popped then,
    /// and one that wakes later wakes `parent`. `None`: return `Pending`.
    ///
    /// If only children woken during their own poll are left (deferred by
    /// [`idle`](Self::idle)), it wakes `parent` instead, and `None` ends this poll of the
    /// parent: they are queued for the next one.
    // Always inlined, as it was before that check (which tipped the inliner: 18 instructions
    // per item of a merge of 64 ready sources, callgrind).
    #[inline(always)]
    pub fn next(&mut self, parent: &Waker) -> Option<usize> {
        if let Some(slot) = self.pop() {
            return Some(slot);
        }
        if self.deferred != NIL {
            return self.end_poll_for_deferred(parent);
        }
        self.wakers.shared().parent.register(parent);
        self.pop()
    }

    #[cold]
    #[inline(never)]
    fn end_poll_for_deferred(&mut self, parent: &Waker) -> Option<usize> {
        self.undefer();
        // Registered too, as for any `Pending`: the wakes until the next poll (a set's
        // insert, `wake_parent`) still reach the parent's current waker.
        self.wakers.shared().parent.register(parent);
        parent.wake_by_ref();
        None
    }

    /// Puts held `slot` aside until the parent's next poll, last of those put aside.
    #[cold]
    #[inline(never)]
    fn defer(&mut self, slot: usize) {
        let slot = slot as u32; // a slot's number: below `NIL`
        self.wakers
            .slot(slot as usize)
            .next
            .store(NIL, Ordering::Relaxed);
        if self.deferred == NIL {
            self.deferred = slot;
        } else {
            let last = self.last_deferred as usize;
            self.wakers.slot(last).next.store(slot, Ordering::Relaxed);
        }
        self.last_deferred = slot;
    }

    /// Queues the deferred slots at the back, in the order they were put aside.
    #[cold]
    #[inline(never)]
    fn undefer(&mut self) {
        let mut slot = core::mem::replace(&mut self.deferred, NIL);
        while slot != NIL {
            self.fifo.push_back(slot);
            slot = self.wakers.slot(slot as usize).next.load(Ordering::Relaxed);
        }
    }

    /// Starts a poll of the parent: the children deferred in the last one (by
    /// [`idle`](Self::idle)) are queued, at the back. Call it before the poll's first
    /// [`next`](Self::next) or [`pop`](Self::pop).
    #[inline]
    pub fn start_poll(&mut self) {
        if self.deferred != NIL {
            self.undefer();
        }
    }

    /// Lets go of `slot` after a poll that returned `Pending`: its next wake queues it. If it
    /// was woken during that poll (a child that yields to the others by waking itself), it
    /// waits for the parent's next poll, as in `FuturesUnordered`: deferred, then queued at the
    /// back when that poll starts (see [`next`](Self::next) and
    /// [`start_poll`](Self::start_poll)).
    #[inline]
    pub fn idle(&mut self, slot: usize) {
        let state = &self.wakers.slot(slot).state;
        if state
            .compare_exchange(HELD, 0, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            self.defer(slot); // `WOKEN`: `pop` clears it before its next poll
        }
    }

    /// Takes back an idle `slot` (one let go by [`idle`](Self::idle) and not woken since): `true`
    /// if the parent holds it now, unqueued, as after [`new`](Self::new) (its wakes only set
    /// `WOKEN` again, which [`pop`](Self::pop) clears); `false` if a wake queued it first, in
    /// which case it comes out of [`pop`](Self::pop) once, as any woken slot. A growing set
    /// (`StreamSet`, `FutureSet`) does this when it removes or replaces a child outside a poll:
    /// such a slot is either idle or queued, never held unqueued.
    // Only the sets (`std`) use it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    #[inline]
    pub fn reclaim(&mut self, slot: usize) -> bool {
        // Acquire: as `idle`'s, a wake that won the race published its push first.
        self.wakers
            .slot(slot)
            .state
            .compare_exchange(0, HELD, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    /// Wakes the waker the last [`next`](Self::next) registered, if it has not been woken
    /// since: a growing set's `insert` while its task waits on it.
    // Only the sets (`std`) use it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    #[inline]
    pub fn wake_parent(&self) {
        self.wakers.shared().parent.wake();
    }

    /// Appends the shared stack (newest first) to the FIFO, oldest first.
    #[inline]
    fn take_woken(&mut self) {
        // A load first: the swap, a read-modify-write, only when there is something to take.
        if self.wakers.shared().head.load(Ordering::Relaxed) != NIL {
            self.take_stack();
        }
    }

    #[cold]
    fn take_stack(&mut self) {
        let mut slot = self.wakers.shared().head.swap(NIL, Ordering::Acquire);
        let start = self.fifo.len;
        while slot != NIL {
            self.fifo.push_back(slot);
            slot = self.wakers.slot(slot as usize).next.load(Ordering::Relaxed);
        }
        self.fifo.reverse_last(self.fifo.len - start);
    }

    /// The waker of `slot`, lent (`.clone()` keeps one): poll the slot's child with
    /// `Context::from_waker(&queue.waker(slot))`.
    #[inline]
    pub fn waker(&self, slot: usize) -> WakerRef<'_> {
        self.wakers.waker(slot)
    }
}

/// Deliberately broken variants, for the loom test to show that it catches each (a loom model
/// that passed with them would model nothing).
#[cfg(asyncgen_loom)]
impl ReadyQueue {
    /// [`idle`](Self::idle) with a plain store instead of the compare-and-swap: a wake during
    /// the poll is lost.
    pub fn broken_idle_with_a_store(&mut self, slot: usize) {
        self.wakers.slot(slot).state.store(0, Ordering::Release);
    }

    /// [`next`](Self::next) without the second look after registering: a wake between the
    /// first look and the registration is lost.
    pub fn broken_next_without_a_second_look(&mut self, parent: &Waker) -> Option<usize> {
        if let Some(slot) = self.pop() {
            return Some(slot);
        }
        self.wakers.shared().parent.register(parent);
        None
    }
}

impl core::fmt::Debug for ReadyQueue {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReadyQueue")
            .field("slots", &self.fifo.ring.len())
            .field("queued", &self.fifo.len)
            .field("deferring", &(self.deferred != NIL))
            .finish_non_exhaustive()
    }
}
