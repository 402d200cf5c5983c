//! The I/O-like children of the "woken" workloads (`concurrency`, `sets`): each waits behind a
//! [`Gate`] that the bench's driver opens, waking the waker the child left there, as an I/O
//! source does; and [`Flag`], a driver's own waker.

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use futures_core::Stream;

/// One child's gate in the woken case: the driver opens it and wakes the waker the child left.
#[derive(Default)]
pub struct Gate {
    pub open: Cell<bool>,
    pub waker: RefCell<Option<Waker>>,
}

impl Gate {
    /// Lets one item through, waking the child the way an I/O source does: the registered
    /// waker is taken and woken.
    pub fn release(&self) {
        self.open.set(true);
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }

    /// Leaves `cx`'s waker for `release` (keeping the one there if it wakes the same task, as
    /// an I/O source does).
    pub fn wait(&self, cx: &Context<'_>) {
        let mut slot = self.waker.borrow_mut();
        match &*slot {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
    }

    pub fn reset(&self) {
        self.open.set(false);
        *self.waker.borrow_mut() = None;
    }
}

/// A child that yields `left` items, each only after the driver opened its gate.
pub struct Gated<'a> {
    pub gate: &'a Gate,
    pub next: u64,
    pub left: u64,
}

impl Stream for Gated<'_> {
    type Item = u64;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.gate.open.replace(false) {
            let item = self.next;
            self.next += 1;
            self.left -= 1;
            return Poll::Ready(Some(item));
        }
        if self.left == 0 {
            return Poll::Ready(None);
        }
        self.gate.wait(cx);
        Poll::Pending
    }
}

/// A driver's own waker: a flag that says "poll again".
#[derive(Default)]
pub struct Flag(pub AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}
