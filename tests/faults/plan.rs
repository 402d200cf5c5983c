//! Which call into user code panics, and the ledger of what the user code saw: the children and
//! items made, dropped and delivered, and the wakers lent to children, to be woken later.
//!
//! One [`Plan`] per run, shared (`Arc`) by every hooked value, so that a value that leaks keeps
//! the plan alive: the run checks that it holds the only count at the end.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Waker;

/// A kind of call a helper makes into user code: where a panic is injected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hook {
    /// A child's `poll` / `poll_next` (for a generator: what its body awaits).
    Poll,
    /// A child's `Drop`.
    Drop,
    /// An item's or output's `Drop`, inside the helper (never one the consumer was given).
    ItemDrop,
    /// A key's `Clone`.
    KeyClone,
    /// A key's `Hash`.
    KeyHash,
    /// A key's `Eq`.
    KeyEq,
    /// `Wake::wake` / `wake_by_ref` of the parent's waker (the one the helper is polled with).
    Wake,
    /// A child's or an input's `size_hint`.
    SizeHint,
}

impl Hook {
    pub const ALL: [Hook; 8] = [
        Hook::Poll,
        Hook::Drop,
        Hook::ItemDrop,
        Hook::KeyClone,
        Hook::KeyHash,
        Hook::KeyEq,
        Hook::Wake,
        Hook::SizeHint,
    ];

    /// Where the hook is in [`Hook::ALL`].
    pub fn index(self) -> usize {
        Hook::ALL.iter().position(|&hook| hook == self).unwrap()
    }
}

/// The payload of an injected panic: the harness tells it from a panic of the helper's own.
#[derive(Debug)]
pub struct Injected;

/// Panics as user code does in these tests: with [`Injected`], which the panic hook keeps
/// quiet ([`quiet_injected_panics`]).
pub fn inject() -> ! {
    std::panic::panic_any(Injected)
}

/// What the run knows of one child.
#[derive(Debug, Default)]
pub struct ChildRecord {
    /// Its key in a set; its input index elsewhere.
    pub key: usize,
    pub drops: usize,
    /// Its script ran to the end: the stream ended, or the future completed.
    pub finished: bool,
    /// The user took it out of the helper (a set's `remove`, a replaced key), or it never got
    /// in (an `insert` that panicked first).
    pub dismissed: bool,
}

/// What the run knows of one item (a stream's item or a future's output).
#[derive(Debug)]
pub struct ItemRecord {
    pub child: usize,
    /// An `Err` of a `try_` helper.
    pub err: bool,
    pub drops: usize,
    pub delivered: usize,
}

const NO_CHILD: usize = usize::MAX;

/// Which call panics, and the ledger.
#[derive(Debug)]
pub struct Plan {
    /// The hook that panics, at its `at`-th call (1-based); `at == 0`: none.
    armed: Hook,
    at: usize,
    calls: [AtomicUsize; Hook::ALL.len()],
    fired: AtomicUsize,
    /// The child being polled while the injected panic fired, if one was.
    fired_in_poll_of: AtomicUsize,
    /// The child being polled now, if one is (children do not poll each other).
    polling: AtomicUsize,
    pub ledger: Mutex<Ledger>,
}

#[derive(Debug, Default)]
pub struct Ledger {
    pub children: Vec<ChildRecord>,
    pub items: Vec<ItemRecord>,
    /// Wakers the children kept when they returned `Pending` without waking: the driver wakes
    /// them later, as I/O would.
    pub parked: Vec<Waker>,
}

impl Plan {
    /// A plan whose `hook` panics at its `at`-th call (`at == 0`: no panic, to count calls).
    pub fn new(hook: Hook, at: usize) -> Self {
        Plan {
            armed: hook,
            at,
            calls: Default::default(),
            fired: AtomicUsize::new(0),
            fired_in_poll_of: AtomicUsize::new(NO_CHILD),
            polling: AtomicUsize::new(NO_CHILD),
            ledger: Mutex::new(Ledger::default()),
        }
    }

    /// A call of `hook` into user code: panics if it is the armed one. Calls made while this
    /// thread unwinds are not counted (a panic then would abort the process, and the harness
    /// injects one panic per run).
    pub fn call(&self, hook: Hook) {
        if std::thread::panicking() {
            return;
        }
        let call = self.calls[hook.index()].fetch_add(1, Ordering::SeqCst) + 1;
        if hook == self.armed && call == self.at {
            self.fired.fetch_add(1, Ordering::SeqCst);
            let polling = self.polling.load(Ordering::SeqCst);
            self.fired_in_poll_of.store(polling, Ordering::SeqCst);
            inject();
        }
    }

    /// Runs `poll`, child `child`'s poll: a panic during it (its own, or a waker's it calls)
    /// is that child's poll panicking.
    pub fn polling<R>(&self, child: usize, poll: impl FnOnce() -> R) -> R {
        struct Done<'a>(&'a AtomicUsize);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.store(NO_CHILD, Ordering::SeqCst);
            }
        }
        self.polling.store(child, Ordering::SeqCst);
        let _done = Done(&self.polling);
        poll()
    }

    /// The child whose poll the injected panic came out of, if it did.
    pub fn poll_panicked(&self) -> Option<usize> {
        let child = self.fired_in_poll_of.load(Ordering::SeqCst);
        (child != NO_CHILD).then_some(child)
    }

    /// How many calls of `hook` were made.
    pub fn calls(&self, hook: Hook) -> usize {
        self.calls[hook.index()].load(Ordering::SeqCst)
    }

    /// How many panics were injected (0 or 1).
    pub fn fired(&self) -> usize {
        self.fired.load(Ordering::SeqCst)
    }

    pub fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        // A panic never happens while the ledger is locked.
        self.ledger.lock().unwrap()
    }
}

/// The panics of a helper's own that the contract allows after an injected one: a future
/// helper polled on that cannot resolve (a gather that lost an output; a `spawn_*` `async
/// fn`, which every `async fn` future does after a panic).
pub const OWN_PANICS: &[&str] = &["an output is missing", "`async fn` resumed after panicking"];

/// Whether `payload` is a panic the contract allows: injected, or one of [`OWN_PANICS`].
pub fn expected(payload: &(dyn std::any::Any + Send)) -> bool {
    payload.downcast_ref::<Injected>().is_some()
        || message(payload)
            .is_some_and(|message| OWN_PANICS.iter().any(|allowed| message.contains(allowed)))
}

/// A panic's message, if its payload is one.
pub fn message(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Installs (once) a panic hook that prints nothing for the panics the harness expects (so
/// that they allocate nothing: printing and backtraces keep buffers), and what the default
/// hook prints for any other.
pub fn quiet_injected_panics() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !expected(info.payload()) {
                default(info);
            }
        }));
    });
}
