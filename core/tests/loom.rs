//! A loom model of the ready queue's protocol (`core/src/ready.rs`), on the real code with
//! loom's atomics: wakes from other threads race the parent's `pop` (which clears a slot's
//! `queued` flag before its poll), its re-queueing after an item, and its taking of the shared
//! stack. Loom runs every interleaving of those atomic operations.
//!
//! ```text
//! RUSTFLAGS="--cfg asyncgen_loom" cargo test -p asyncgen --test loom --release
//! ```
#![cfg(asyncgen_loom)]

use asyncgen::__loom::ReadyQueue;
use loom::thread;

/// Wakes from another thread are never lost nor doubled: each woken slot is popped, a slot
/// woken once is popped once, and one woken twice is popped at most twice (twice only if its
/// second wake came after its first pop).
#[test]
fn wakes_from_another_thread_are_never_lost_or_doubled() {
    loom::model(|| {
        let mut queue = ReadyQueue::new(2);
        queue.register(std::task::Waker::noop());
        let (zero, one) = (queue.waker(0).clone(), queue.waker(1).clone());
        let producer = thread::spawn(move || {
            zero.wake_by_ref();
            one.wake();
            zero.wake();
        });
        let mut popped = Vec::new();
        popped.extend(queue.pop()); // concurrently with the wakes
        producer.join().unwrap();
        while let Some(slot) = queue.pop() {
            popped.push(slot);
        }
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
        queue.register(std::task::Waker::noop());
        let waker = queue.waker(0).clone();
        queue.schedule(0);
        assert_eq!(queue.pop(), Some(0)); // slot 0 is being polled
        let producer = thread::spawn(move || waker.wake());
        queue.schedule(0); // it yielded: back of the queue
        producer.join().unwrap();
        assert_eq!(queue.pop(), Some(0));
        assert_eq!(queue.pop(), None);
    });
}

/// Two threads waking two slots while the parent pops: both are popped, each once per wake
/// that found it unqueued, and the queue ends empty.
#[test]
fn two_wakers_on_two_threads_while_the_parent_pops() {
    loom::model(|| {
        let mut queue = ReadyQueue::new(2);
        queue.register(std::task::Waker::noop());
        let (zero, one) = (queue.waker(0).clone(), queue.waker(1).clone());
        let first = thread::spawn(move || zero.wake());
        let second = thread::spawn(move || one.wake());
        let mut popped = Vec::new();
        popped.extend(queue.pop());
        first.join().unwrap();
        second.join().unwrap();
        while let Some(slot) = queue.pop() {
            popped.push(slot);
        }
        popped.sort_unstable();
        assert_eq!(popped, [0, 1]);
    });
}
