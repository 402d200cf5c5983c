//! A count of the tokens the token-level walks read, so tests can assert that the work grows
//! linearly with the input (a count, unlike a time, does not depend on the machine). Outside
//! tests, counting is nothing.

#[cfg(test)]
use std::cell::Cell;

#[cfg(test)]
thread_local! {
    static READ: Cell<u64> = const { Cell::new(0) };
}

/// Records that a walk read `tokens` tokens (looked at, scanned past, or handed to `syn`).
#[inline]
pub(crate) fn read(tokens: usize) {
    #[cfg(test)]
    READ.with(|read| read.set(read.get() + tokens as u64));
    #[cfg(not(test))]
    let _ = tokens;
}

/// What `f` returns, and how many tokens the walks read while it ran (on this thread).
#[cfg(test)]
pub(crate) fn counted<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = READ.with(Cell::get);
    let result = f();
    (result, READ.with(Cell::get) - before)
}
