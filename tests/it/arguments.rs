//! Every argument pattern an `async fn` or a plain `fn` takes works in `#[async_gen]` and
//! `#[generator]` fns and methods (issue #29, item 1): `ref`, `ref mut`, `mut`, tuple, slice
//! and struct patterns, `_`, and their mixes, next to the `self` forms. Each binding is what
//! the pattern makes of the argument, and no warning is left (`unused_mut` above all: the
//! argument is moved into a `mut` local only where the pattern borrows it mutably).
#![deny(warnings)]

use asyncgen::{async_gen, generator, yield_};
use support::{DropCounter, DropToken, collect};

// futures-async-stream's `tests/stream.rs` (`mod arguments`), as its author wrote them but for
// the attribute's name and the item type.
#[async_gen]
async fn arg_ref(ref x: u8) -> u8 {
    let _ = x;
}

#[async_gen]
async fn arg_mut(mut x: u8) -> u8 {
    let _ = &mut x;
}

#[async_gen]
async fn arg_ref_mut(ref mut x: u8) -> u8 {
    let _ = x;
}

#[test]
fn futures_async_stream_argument_tests() {
    assert!(collect(arg_ref(1)).is_empty());
    assert!(collect(arg_mut(1)).is_empty());
    assert!(collect(arg_ref_mut(1)).is_empty());
}

struct Point {
    x: u8,
    y: u8,
}

struct Pair(u8, u8);

/// One argument of each pattern, each binding used (so more arguments than clippy likes, as
/// in a plain fn).
#[allow(clippy::too_many_arguments)]
#[async_gen]
async fn every_pattern(
    ref r: u8,
    ref mut rm: u8,
    mut m: u8,
    (t0, ref mut t1): (u8, u8),
    Point { x, ref mut y }: Point,
    Pair(p0, ref p1): Pair,
    [s0, .., ref mut s2]: [u8; 3],
    _: u8,
    ((nested, _), [ref mut deep]): ((u8, u8), [u8; 1]),
) -> u8 {
    let r: &u8 = r;
    *rm += 1;
    m += 1;
    *t1 += 1;
    *y += 1;
    *s2 += 1;
    *deep += 1;
    for item in [*r, *rm, m, t0, *t1, x, *y, p0, *p1, s0, *s2, nested, *deep] {
        yield_!(item);
    }
}

#[allow(clippy::too_many_arguments)]
#[generator]
fn every_pattern_sync(
    ref r: u8,
    ref mut rm: u8,
    mut m: u8,
    (t0, ref mut t1): (u8, u8),
    Point { x, ref mut y }: Point,
    Pair(p0, ref p1): Pair,
    [s0, .., ref mut s2]: [u8; 3],
    _: u8,
    ((nested, _), [ref mut deep]): ((u8, u8), [u8; 1]),
) -> u8 {
    let r: &u8 = r;
    *rm += 1;
    m += 1;
    *t1 += 1;
    *y += 1;
    *s2 += 1;
    *deep += 1;
    for item in [*r, *rm, m, t0, *t1, x, *y, p0, *p1, s0, *s2, nested, *deep] {
        yield_!(item);
    }
}

const EVERY_PATTERN: [u8; 13] = [1, 3, 4, 5, 7, 8, 10, 11, 12, 13, 16, 17, 20];

#[test]
fn every_pattern_binds_as_in_a_plain_fn() {
    let stream = every_pattern(
        1,
        2,
        3,
        (5, 6),
        Point { x: 8, y: 9 },
        Pair(11, 12),
        [13, 14, 15],
        0,
        ((17, 18), [19]),
    );
    assert_eq!(collect(stream), EVERY_PATTERN);
    let iter = every_pattern_sync(
        1,
        2,
        3,
        (5, 6),
        Point { x: 8, y: 9 },
        Pair(11, 12),
        [13, 14, 15],
        0,
        ((17, 18), [19]),
    );
    assert_eq!(iter.collect::<Vec<_>>(), EVERY_PATTERN);
}

/// `ref mut` under a reference pattern borrows through the reference: the caller sees the
/// change, and the argument itself needs no `mut` (no `unused_mut`).
#[async_gen]
async fn through_reference(&mut (ref mut count, _): &mut (u32, u32), ref mut twice: u32) -> u32 {
    *count += 1;
    *twice *= 2;
    yield_!(*count);
    yield_!(*twice);
}

#[test]
fn ref_mut_through_a_reference_pattern_changes_the_callers_value() {
    let mut state = (1, 0);
    assert_eq!(collect(through_reference(&mut state, 5)), [2, 10]);
    assert_eq!(state, (2, 0));
}

/// A `ref` binding and a by-value binding of one argument's parts: the moved-in argument
/// lives as long as the generator, so the part bound by reference (and the `_` one) drops
/// with it, as in an `async fn`.
#[async_gen]
async fn parts((ref kept, _): (DropToken, DropToken), ref mut count: u32) -> u32 {
    let _ = kept;
    *count += 1;
    yield_!(*count);
}

#[test]
fn parts_bound_by_reference_live_as_long_as_the_stream() {
    let counter = DropCounter::default();
    let stream = parts((counter.token(), counter.token()), 0);
    assert_eq!(counter.drops(), 0);
    assert_eq!(collect(stream), [1]);
    assert_eq!(counter.drops(), 2);
}

struct Counter {
    step: u32,
}

impl Counter {
    #[async_gen]
    async fn by_ref(&self, ref mut from: u32, (count, _): (u32, ())) -> u32 {
        for _ in 0..count {
            yield_!(*from);
            *from += self.step;
        }
    }

    #[async_gen]
    async fn by_mut(&mut self, mut bump: u32, ref mut seen: Vec<u32>) -> u32 {
        bump += 1;
        self.step += bump;
        seen.push(self.step);
        yield_!(seen.iter().sum());
    }

    #[generator]
    fn by_value(self, ref mut from: u32, Point { x: count, .. }: Point) -> u32 {
        for _ in 0..count {
            yield_!(*from);
            *from += self.step;
        }
    }
}

#[test]
fn methods_take_patterns_next_to_every_self() {
    let mut counter = Counter { step: 2 };
    assert_eq!(collect(counter.by_ref(1, (3, ()))), [1, 3, 5]);
    assert_eq!(collect(counter.by_mut(0, vec![10])), [13]);
    assert_eq!(counter.step, 3);
    let items: Vec<u32> = counter.by_value(0, Point { x: 3, y: 0 }).collect();
    assert_eq!(items, [0, 3, 6]);
}

// A declaration without a body takes names, not patterns, as in any trait (E0642).
trait Numbers: Sync {
    #[async_gen(boxed)]
    async fn numbers(&self, from: u32, range: (u32, u32)) -> u32;

    #[async_gen(boxed)]
    async fn doubled(&self, ref mut from: u32, [count]: [u32; 1]) -> u32 {
        for _ in 0..count {
            yield_!(*from * 2);
            *from += 1;
        }
    }
}

impl Numbers for Counter {
    #[async_gen(boxed)]
    async fn numbers(&self, ref mut from: u32, (count, _): (u32, u32)) -> u32 {
        for _ in 0..count {
            yield_!(*from);
            *from += self.step;
        }
    }
}

#[test]
fn trait_methods_take_patterns() {
    let counter = Counter { step: 5 };
    assert_eq!(collect(counter.numbers(1, (2, 0))), [1, 6]);
    assert_eq!(collect(counter.doubled(1, [2])), [2, 4]);
}
