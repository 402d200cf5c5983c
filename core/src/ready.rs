//! The wake-up machinery shared by `merge`, `gather` and their kin: a waker per child and a
//! FIFO of the children that woke, so each wake-up costs O(1) and allocates nothing.
//!
//! Each child (a slot, `0..n`) gets its own [`Waker`], made once. Waking it pushes the slot's
//! index on a lock-free stack shared with the parent (unless the index is already queued)
//! and wakes the parent through an [`AtomicWaker`], which wakes at most once per
//! registration. The parent, when polled, moves the whole stack into its own FIFO in one
//! swap and polls the slots in the order they woke.
//!
//! Invariants:
//! - A slot's `queued` flag is set while its index is in the shared stack or the parent's
//!   FIFO, so each index is in them at most once: the FIFO never holds more than `n` indices
//!   and never reallocates after construction.
//! - The parent clears the flag just before it polls the slot, so a wake during that poll
//!   queues the slot again.
//! - Producers only push (compare-and-swap on the head) and the consumer only takes the whole
//!   stack (swap with `NIL`): no element is ever popped concurrently, so there is no ABA
//!   problem. All of it is safe code on atomics.
#![forbid(unsafe_code)]

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::task::Wake;
use alloc::vec::Vec;
#[cfg(not(asyncgen_loom))]
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use core::task::{Context, Waker};
// `RUSTFLAGS="--cfg asyncgen_loom"`: loom explores the interleavings of these atomics
// (core/tests/loom.rs).
#[cfg(asyncgen_loom)]
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use atomic_waker::AtomicWaker;

/// No slot: the end of the stack.
const NIL: usize = usize::MAX;

/// What the children's wakers share with the parent.
struct Shared {
    /// The most recently woken slot, whose `next` is the one woken before it, and so on.
    head: AtomicUsize,
    next: Box<[AtomicUsize]>,
    queued: Box<[AtomicBool]>,
    parent: AtomicWaker,
}

impl Shared {
    fn wake(&self, slot: usize) {
        if self.queued[slot].swap(true, Ordering::AcqRel) {
            return; // already queued: the parent will poll it
        }
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            self.next[slot].store(head, Ordering::Relaxed);
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

/// The waker of one slot.
struct SlotWaker {
    shared: Arc<Shared>,
    slot: usize,
}

impl Wake for SlotWaker {
    fn wake(self: Arc<Self>) {
        self.shared.wake(self.slot);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.shared.wake(self.slot);
    }
}

/// The parent's side: the slots' wakers and the FIFO of slots to poll. (Public only to the
/// loom test, through `__loom`.)
pub struct ReadyQueue {
    shared: Arc<Shared>,
    wakers: Vec<Waker>,
    fifo: VecDeque<usize>,
}

impl ReadyQueue {
    /// `slots` slots, none queued. Allocates `slots + 5` times (a waker per slot, and the
    /// shared and local queues), and never again.
    pub fn new(slots: usize) -> Self {
        let shared = Arc::new(Shared {
            head: AtomicUsize::new(NIL),
            next: (0..slots).map(|_| AtomicUsize::new(NIL)).collect(),
            queued: (0..slots).map(|_| AtomicBool::new(false)).collect(),
            parent: AtomicWaker::new(),
        });
        let wakers = (0..slots)
            .map(|slot| {
                Waker::from(Arc::new(SlotWaker {
                    shared: shared.clone(),
                    slot,
                }))
            })
            .collect();
        ReadyQueue {
            shared,
            wakers,
            fifo: VecDeque::with_capacity(slots),
        }
    }

    /// Remembers the parent's waker: a slot waking from now on wakes it (once).
    pub fn register(&self, parent: &Waker) {
        self.shared.parent.register(parent);
    }

    /// Queues `slot` at the back, as if it had woken (a new child, or one that may have more
    /// ready: re-queued at the back so the others get their turn first).
    pub fn schedule(&mut self, slot: usize) {
        // Those that woke (maybe during this slot's poll) go first.
        self.take_woken();
        if !self.shared.queued[slot].swap(true, Ordering::AcqRel) {
            self.fifo.push_back(slot);
        }
    }

    /// The next slot to poll, in the order they woke, or `None` when none is queued. Its
    /// `queued` flag is cleared: a wake while it is being polled queues it again.
    pub fn pop(&mut self) -> Option<usize> {
        // Every time, so a slot that woke queues behind those already queued, never behind
        // one that keeps being re-queued.
        self.take_woken();
        let slot = self.fifo.pop_front()?;
        // AcqRel: the child's poll below must not be ordered before this.
        self.shared.queued[slot].swap(false, Ordering::AcqRel);
        Some(slot)
    }

    /// Appends the shared stack (newest first) to the FIFO, oldest first.
    fn take_woken(&mut self) {
        let mut slot = self.shared.head.swap(NIL, Ordering::Acquire);
        let start = self.fifo.len();
        while slot != NIL {
            self.fifo.push_back(slot);
            slot = self.shared.next[slot].load(Ordering::Relaxed);
        }
        // Reverse what was appended, in place.
        let (mut front, mut back) = (start, self.fifo.len());
        while front + 1 < back {
            back -= 1;
            self.fifo.swap(front, back);
            front += 1;
        }
    }

    /// The context to poll `slot` with: its own waker.
    pub fn context(&self, slot: usize) -> Context<'_> {
        Context::from_waker(self.waker(slot))
    }

    /// The waker of `slot`.
    pub fn waker(&self, slot: usize) -> &Waker {
        &self.wakers[slot]
    }
}

impl core::fmt::Debug for ReadyQueue {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReadyQueue")
            .field("slots", &self.wakers.len())
            .field("queued", &self.fifo)
            .finish_non_exhaustive()
    }
}
