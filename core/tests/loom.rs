//! A loom model of the ready queue's protocol (`core/src/concurrency/ready_queue.rs`), on the real code with
//! loom's atomics: wakes from other threads race the parent's `pop` (which clears a slot's
//! `WOKEN` bit before its poll), its letting go of a slot after a `Pending` poll (`idle`), its
//! re-queueing after an item, its taking of the shared stack, and its late registration of its
//! own waker (`next`). Loom runs every interleaving of those atomic operations. The wakers are
//! the arena's (`core/src/concurrency/arena.rs`), one table for all slots. Two deliberately
//! broken variants of the queue (`broken_*`) show that the models catch a lost wake.
//!
//! ```text
//! RUSTFLAGS="--cfg asyncgen_loom" cargo test -p asyncgen --test loom --release
//! ```
#![cfg(asyncgen_loom)]

use std::sync::Arc;
use std::task::{Wake, Waker};

use asyncgen::__loom::ReadyQueue;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;

/// A queue of `slots` slots, each polled once and `Pending`: all idle, none queued.
fn idle_queue(slots: usize) -> ReadyQueue {
    let mut queue = ReadyQueue::new(slots);
    for slot in 0..slots {
        queue.push(slot);
    }
    while let Some(slot) = queue.pop() {
        queue.idle(slot);
    }
    queue
}

/// Polls the parent until a poll finds nothing queued: each pops every queued slot, as if each
/// child's poll were `Pending`, and records it. (A slot woken during its own poll waits for the
/// next poll: `start_poll` queues it.)
fn drain_pending(queue: &mut ReadyQueue, popped: &mut Vec<usize>) {
    loop {
        queue.start_poll();
        let before = popped.len();
        while let Some(slot) = queue.pop() {
            popped.push(slot);
            queue.idle(slot);
        }
        if popped.len() == before {
            return;
        }
    }
}

/// Wakes from another thread are never lost nor doubled: each woken slot is popped, a slot
/// woken once is popped once, and one woken twice is popped at most twice (twice only if its
/// second wake came after its first pop).
#[test]
fn wakes_from_another_thread_are_never_lost_or_doubled() {
    loom::model(|| {
        let mut queue = idle_queue(2);
        queue.next(Waker::noop());
        let (zero, one) = (queue.waker(0).clone(), queue.waker(1).clone());
        let producer = thread::spawn(move || {
            zero.wake_by_ref();
            one.wake();
            zero.wake();
        });
        let mut popped = Vec::new();
        if let Some(slot) = queue.pop() {
            // concurrently with the wakes
            popped.push(slot);
            queue.idle(slot);
        }
        producer.join().unwrap();
        drain_pending(&mut queue, &mut popped);
        let count = |slot: usize| popped.iter().filter(|&&s| s == slot).count();
        assert_eq!(count(1), 1, "{popped:?}");
        assert!((1..=2).contains(&count(0)), "{popped:?}");
    });
}

/// A wake that races the parent re-queueing the same slot (as `merge` does after an item)
/// queues it exactly once: popped once, then nothing.
#[test]
fn a_wake_racing_a_requeue_queues_the_slot_once() {
    loom::model(|| {
        let mut queue = ReadyQueue::new(1);
        let waker = queue.waker(0).clone();
        queue.push(0);
        assert_eq!(queue.pop(), Some(0)); // slot 0 is being polled
        let producer = thread::spawn(move || waker.wake());
        queue.push(0); // it yielded: back of the queue
        producer.join().unwrap();
        assert_eq!(queue.pop(), Some(0));
        queue.idle(0);
        assert_eq!(queue.pop(), None);
    });
}

/// A wake during a poll that returns `Pending` is not lost: after `idle`, the slot is queued
/// for the parent's next poll (by `idle`, which saw the wake and deferred it, or by the waker,
/// which found it idle), exactly once.
#[test]
fn a_wake_during_a_pending_poll_queues_the_slot_once() {
    loom::model(|| wake_during_a_pending_poll(ReadyQueue::idle));
}

/// The model above finds the lost wake when `idle` lets go with a plain store.
#[test]
#[should_panic(expected = "a wake during the poll was lost")]
fn a_wake_during_a_pending_poll_broken_idle_is_caught() {
    loom::model(|| wake_during_a_pending_poll(ReadyQueue::broken_idle_with_a_store));
}

fn wake_during_a_pending_poll(idle: fn(&mut ReadyQueue, usize)) {
    let mut queue = ReadyQueue::new(1);
    let waker = queue.waker(0).clone();
    queue.push(0);
    assert_eq!(queue.pop(), Some(0)); // being polled
    let producer = thread::spawn(move || waker.wake());
    idle(&mut queue, 0); // the poll was `Pending`
    producer.join().unwrap();
    queue.start_poll(); // the parent's next poll
    assert_eq!(queue.pop(), Some(0), "a wake during the poll was lost");
    queue.idle(0);
    queue.start_poll();
    assert_eq!(queue.pop(), None);
}

/// Two threads waking two slots while the parent pops: both are popped, each once per wake
/// that found it idle, and the queue ends empty.
#[test]
fn two_wakers_on_two_threads_while_the_parent_pops() {
    loom::model(|| {
        let mut queue = idle_queue(2);
        let (zero, one) = (queue.waker(0).clone(), queue.waker(1).clone());
        let first = thread::spawn(move || zero.wake());
        let second = thread::spawn(move || one.wake());
        let mut popped = Vec::new();
        if let Some(slot) = queue.pop() {
            popped.push(slot);
            queue.idle(slot);
        }
        first.join().unwrap();
        second.join().unwrap();
        drain_pending(&mut queue, &mut popped);
        popped.sort_unstable();
        assert_eq!(popped, [0, 1]);
    });
}

/// Counts the parent's wakes.
struct Parent(AtomicUsize);

impl Wake for Parent {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// The parent registers its waker only when it finds nothing queued (`next`). A wake racing
/// that is never lost: either `next` returns the slot, or the parent's waker is woken (and
/// the slot is then queued).
#[test]
fn a_wake_racing_the_late_registration_is_never_lost() {
    loom::model(|| wake_racing_the_late_registration(ReadyQueue::next));
}

/// The model above finds the lost wake-up when `next` does not look again after registering.
#[test]
#[should_panic(expected = "a lost wake-up")]
fn a_wake_racing_the_late_registration_broken_next_is_caught() {
    loom::model(|| {
        wake_racing_the_late_registration(ReadyQueue::broken_next_without_a_second_look)
    });
}

fn wake_racing_the_late_registration(next: fn(&mut ReadyQueue, &Waker) -> Option<usize>) {
    let mut queue = idle_queue(1);
    let waker = queue.waker(0).clone();
    let parent = Arc::new(Parent(AtomicUsize::new(0)));
    let parent_waker = Waker::from(parent.clone());
    let producer = thread::spawn(move || waker.wake());
    let found = next(&mut queue, &parent_waker);
    producer.join().unwrap();
    match found {
        Some(slot) => assert_eq!(slot, 0),
        None => {
            assert_eq!(parent.0.load(Ordering::SeqCst), 1, "a lost wake-up");
            assert_eq!(queue.pop(), Some(0));
        }
    }
}

/// Wakers cloned from the table and dropped on other threads, the last one after the queue
/// itself: the table lives until the last waker is gone, each wake lands, none is freed twice
/// (the count is `Arc`'s; Miri checks the frees, loom the wakes' interleavings).
#[test]
fn wakers_outliving_their_queue_on_other_threads() {
    loom::model(|| {
        let mut queue = idle_queue(2);
        let (zero, one) = (queue.waker(0).clone(), queue.waker(1).clone());
        let first = thread::spawn(move || {
            let again = zero.clone();
            zero.wake();
            again
        });
        let second = thread::spawn(move || one.wake_by_ref());
        let mut popped = Vec::new();
        drain_pending(&mut queue, &mut popped);
        drop(queue);
        let again = first.join().unwrap();
        second.join().unwrap();
        again.wake(); // its table outlives the queue
    });
}

/// A wake racing the parent taking an idle slot back (`reclaim`, when a growing set removes a
/// child outside a poll) queues the slot at most once, and exactly when `reclaim` lost: if it
/// won, the slot is held unqueued (the wake only marks it) and is popped only after the parent
/// pushes it again, once; if it lost, the slot comes out of the queue once.
#[test]
fn a_wake_racing_a_reclaim_queues_the_slot_at_most_once() {
    loom::model(|| {
        let mut queue = idle_queue(2);
        let waker = queue.waker(1).clone();
        let producer = thread::spawn(move || waker.wake());
        let reclaimed = queue.reclaim(1);
        producer.join().unwrap();
        let mut popped = Vec::new();
        drain_pending(&mut queue, &mut popped);
        if reclaimed {
            assert_eq!(popped, [], "a reclaimed slot was queued by a wake");
            // Reused: pushed once by the parent, popped once.
            queue.push(1);
            assert_eq!(queue.pop(), Some(1));
            queue.idle(1);
            assert_eq!(queue.pop(), None);
        } else {
            assert_eq!(popped, [1], "the wake that won was lost or doubled");
        }
    });
}
