//! `#[for_await] for pat in stream { .. }`: in `#[async_gen]` bodies and in async code whose
//! item carries `#[for_await]` (fns, `impl` blocks, async blocks inside them, with
//! `#[tokio::main]`/`#[tokio::test]` in either order); `break`, `continue`, labels, patterns,
//! `!Unpin` and borrowed streams, and when the stream is dropped.

use std::cell::Cell;
use std::rc::Rc;

use asyncgen::{async_gen, for_await, yield_};
use futures::StreamExt;
use futures::executor::block_on;
use support::{DropCounter, DropToken, collect, drain_ready};

/// A `!Unpin` stream: `first`, `first + 1`, .., `count` items.
#[async_gen]
async fn numbers(first: u32, count: u32) -> u32 {
    for n in first..first + count {
        yield_!(n);
    }
}

/// Like [`numbers`], holding `_guard` for as long as the stream lives.
#[async_gen]
async fn guarded(_guard: DropToken, count: u32) -> u32 {
    for n in 0..count {
        yield_!(n);
    }
}

/// Like [`numbers`], but `Pending` before each item (needs a tokio runtime).
#[async_gen]
async fn slow_numbers(count: u32) -> u32 {
    for n in 0..count {
        tokio::task::yield_now().await;
        yield_!(n);
    }
}

#[async_gen]
async fn doubled_in_generator() -> u32 {
    #[for_await]
    for n in numbers(1, 3) {
        yield_!(n * 2);
    }
    yield_!(100);
}

/// In an `#[async_gen]` body, over another generator's `!Unpin` stream; the body goes on after.
#[test]
fn loops_over_a_generator_stream_inside_a_generator() {
    assert_eq!(collect(doubled_in_generator()), [2, 4, 6, 100]);
}

#[async_gen]
async fn break_and_continue() -> u32 {
    #[for_await]
    for n in numbers(0, 10) {
        if n % 2 == 1 {
            continue;
        }
        if n == 6 {
            break;
        }
        yield_!(n);
    }
    yield_!(99);
}

/// `continue` goes to the next item, `break` leaves the loop and the body continues.
#[test]
fn break_and_continue_inside_a_generator() {
    assert_eq!(collect(break_and_continue()), [0, 2, 4, 99]);
}

#[async_gen]
async fn labelled_with_inner_sync_loop() -> (u32, u32) {
    #[for_await]
    'outer: for a in numbers(0, 4) {
        for b in 0..4 {
            if b > a {
                continue 'outer;
            }
            if a == 3 {
                break 'outer;
            }
            yield_!((a, b));
        }
    }
    yield_!((9, 9));
}

/// `continue 'outer` / `break 'outer` from a plain inner `for` reach the `#[for_await]` loop.
#[test]
fn labels_from_an_inner_sync_loop() {
    assert_eq!(
        collect(labelled_with_inner_sync_loop()),
        [(0, 0), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2), (9, 9)]
    );
}

#[async_gen]
async fn labelled_nested_for_await() -> (u32, u32) {
    #[for_await]
    'outer: for a in numbers(0, 5) {
        #[for_await]
        'inner: for b in numbers(10, 5) {
            if b == 11 {
                continue 'inner;
            }
            if b == 13 {
                continue 'outer;
            }
            if a == 2 {
                break 'outer;
            }
            yield_!((a, b));
        }
    }
}

/// Nested `#[for_await]` loops with labels on both: `continue 'inner`, `continue 'outer`,
/// `break 'outer`.
#[test]
fn labels_on_nested_for_await_loops() {
    assert_eq!(
        collect(labelled_nested_for_await()),
        [(0, 10), (0, 12), (1, 10), (1, 12)]
    );
}

#[async_gen]
async fn pairs() -> (char, u32) {
    yield_!(('a', 1));
    yield_!(('b', 2));
    yield_!(('c', 3));
}

#[derive(Debug, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

#[async_gen]
async fn points() -> Point {
    yield_!(Point { x: 1, y: 2 });
    yield_!(Point { x: -3, y: 4 });
}

#[async_gen]
async fn destructured() -> String {
    #[for_await]
    for (name, n) in pairs() {
        yield_!(format!("{name}{n}"));
    }
    #[for_await]
    for Point { x, y: height } in points() {
        yield_!(format!("{x}/{height}"));
    }
    #[for_await]
    for (_, _) in pairs() {
        yield_!(String::from("_"));
    }
}

/// Tuple, struct and wildcard patterns bind as in a `for` loop.
#[test]
fn tuple_struct_and_wildcard_patterns() {
    assert_eq!(
        collect(destructured()),
        ["a1", "b2", "c3", "1/2", "-3/4", "_", "_", "_"]
    );
}

#[async_gen]
async fn borrowed_unpin_stream() -> u32 {
    let mut source = futures::stream::iter(1..=6);
    #[for_await]
    for n in &mut source {
        if n == 3 {
            break;
        }
        yield_!(n);
    }
    yield_!(0);
    // The loop borrowed the stream: what it did not take is still there.
    #[for_await]
    for n in source {
        yield_!(n * 10);
    }
}

/// `&mut stream` of an `Unpin` stream: the loop borrows it, and it can be resumed afterwards.
#[test]
fn borrowed_unpin_stream_survives_the_loop() {
    assert_eq!(collect(borrowed_unpin_stream()), [1, 2, 0, 40, 50, 60]);
}

#[async_gen]
async fn drops_on_break(counter: DropCounter) -> usize {
    #[for_await]
    for n in guarded(counter.token(), 5) {
        if n == 1 {
            break;
        }
    }
    yield_!(counter.drops());
    #[for_await]
    for _ in guarded(counter.token(), 2) {}
    yield_!(counter.drops());
}

/// The stream is dropped right when the loop ends, by `break` or by running out.
#[test]
fn the_stream_is_dropped_when_the_loop_ends_in_a_generator() {
    let counter = DropCounter::default();
    assert_eq!(collect(drops_on_break(counter.clone())), [1, 2]);
    assert_eq!(counter.drops(), 2);
}

#[async_gen]
async fn suspended_in_loop(counter: DropCounter) -> u32 {
    #[for_await]
    for n in guarded(counter.token(), 5) {
        yield_!(n);
    }
}

/// Dropping the generator while it is suspended inside the loop drops the looped-over stream once.
#[test]
fn dropping_the_generator_mid_loop_drops_the_stream_once() {
    let counter = DropCounter::default();
    let mut stream = Box::pin(suspended_in_loop(counter.clone()));
    assert_eq!(block_on(stream.next()), Some(0));
    assert_eq!(block_on(stream.next()), Some(1));
    assert_eq!(counter.drops(), 0);
    drop(stream);
    assert_eq!(counter.drops(), 1);
}

#[async_gen]
async fn awaits_pending_items() -> u32 {
    #[for_await]
    for n in slow_numbers(3) {
        yield_!(n + 1);
    }
}

/// A stream that returns `Pending` between items is awaited, not skipped.
#[tokio::test]
async fn awaits_a_pending_stream_inside_a_generator() {
    assert_eq!(awaits_pending_items().collect::<Vec<_>>().await, [1, 2, 3]);
}

#[async_gen]
async fn in_nested_async_block() -> u32 {
    let total = async {
        let mut total = 0;
        #[for_await]
        for n in numbers(1, 3) {
            total += n;
        }
        total
    }
    .await;
    yield_!(total);
}

/// Inside an `async` block nested in an `#[async_gen]` body the loop runs in that block.
#[test]
fn inside_an_async_block_in_a_generator() {
    assert_eq!(collect(in_nested_async_block()), [6]);
}

#[async_gen]
async fn qualified_attribute() -> u32 {
    #[asyncgen::for_await]
    for n in numbers(5, 2) {
        yield_!(n);
    }
}

/// `#[asyncgen::for_await]` written with its path works like the imported name.
#[test]
fn qualified_attribute_path() {
    assert_eq!(collect(qualified_attribute()), [5, 6]);
}

#[for_await]
async fn sum_until(limit: u32, counter: DropCounter) -> (u32, usize) {
    let mut sum = 0;
    #[for_await]
    for n in guarded(counter.token(), 10) {
        if n > limit {
            break;
        }
        if n == 1 {
            continue;
        }
        sum += n;
    }
    (sum, counter.drops())
}

/// In a plain `async fn` carrying `#[for_await]`: `break`, `continue`, and the stream is
/// already dropped after the `break`.
#[test]
fn in_an_async_fn_with_the_attribute() {
    let counter = DropCounter::default();
    assert_eq!(block_on(sum_until(3, counter.clone())), (5, 1));
    assert_eq!(block_on(sum_until(100, counter.clone())), (44, 2));
}

#[for_await]
async fn first_even(counter: DropCounter) -> Option<u32> {
    #[for_await]
    for n in guarded(counter.token(), 10) {
        if n > 0 && n % 2 == 0 {
            return Some(n);
        }
    }
    None
}

/// `return` from inside the loop returns from the fn and drops the stream.
#[test]
fn return_from_inside_the_loop() {
    let counter = DropCounter::default();
    assert_eq!(block_on(first_even(counter.clone())), Some(2));
    assert_eq!(counter.drops(), 1);
}

#[for_await]
async fn labelled_in_async_fn() -> Vec<(u32, u32)> {
    let mut seen = Vec::new();
    #[for_await]
    'outer: for a in numbers(0, 4) {
        #[for_await]
        for b in numbers(0, 4) {
            if b > a {
                continue 'outer;
            }
            if a == 2 && b == 1 {
                break 'outer;
            }
            seen.push((a, b));
        }
    }
    seen
}

/// Labels across nested `#[for_await]` loops in a non-generator `async fn`.
#[test]
fn labels_in_an_async_fn() {
    assert_eq!(
        block_on(labelled_in_async_fn()),
        [(0, 0), (1, 0), (1, 1), (2, 0)]
    );
}

#[for_await]
async fn in_async_blocks(log: Rc<Cell<u32>>) -> u32 {
    let task = async {
        let mut total = 0;
        #[for_await]
        for n in numbers(1, 4) {
            total += n;
        }
        total
    };
    let moved = async move {
        #[for_await]
        for n in numbers(10, 2) {
            log.set(log.get() + n);
        }
    };
    moved.await;
    task.await
}

/// Inside `async` blocks (borrowing and `move`) of a fn carrying `#[for_await]`.
#[test]
fn in_async_blocks_of_an_attributed_fn() {
    let log = Rc::new(Cell::new(0));
    assert_eq!(block_on(in_async_blocks(log.clone())), 10);
    assert_eq!(log.get(), 21);
}

#[for_await]
async fn loop_as_tail(log: Rc<Cell<u32>>) {
    #[for_await]
    for n in numbers(1, 3) {
        log.set(log.get() * 10 + n);
    }
}

#[for_await]
async fn in_async_closure() -> u32 {
    let sum_of = async |count: u32| {
        let mut sum = 0;
        #[for_await]
        for n in numbers(0, count) {
            sum += n;
        }
        sum
    };
    sum_of(3).await + sum_of(5).await
}

/// The loop as a fn's tail expression, and inside an async closure of an attributed fn.
#[test]
fn tail_position_and_async_closure() {
    let log = Rc::new(Cell::new(0));
    block_on(loop_as_tail(log.clone()));
    assert_eq!(log.get(), 123);
    assert_eq!(block_on(in_async_closure()), 13);
}

/// Owns the streams its async methods loop over.
struct Totals {
    scale: u32,
}

#[for_await]
impl Totals {
    async fn total(&self, count: u32) -> u32 {
        let mut total = 0;
        #[for_await]
        for n in numbers(1, count) {
            total += n * self.scale;
        }
        total
    }

    async fn firsts(&self) -> Vec<char> {
        let mut out = Vec::new();
        #[for_await]
        for (name, _) in pairs() {
            out.push(name);
        }
        out
    }

    fn sync_helper(&self) -> u32 {
        self.scale + 1
    }
}

/// `#[for_await]` on an `impl` block lowers the loops of each async method; sync methods are
/// left alone.
#[test]
fn on_an_impl_block() {
    let totals = Totals { scale: 10 };
    assert_eq!(block_on(totals.total(3)), 60);
    assert_eq!(block_on(totals.firsts()), ['a', 'b', 'c']);
    assert_eq!(totals.sync_helper(), 11);
}

#[for_await]
async fn fallible_sum(inputs: Vec<&'static str>) -> Result<u32, std::num::ParseIntError> {
    let mut sum = 0;
    #[for_await]
    for text in futures::stream::iter(inputs) {
        sum += text.parse::<u32>()?;
    }
    Ok(sum)
}

/// Outside generators `?` in the loop body keeps its usual meaning (returns from the fn).
#[test]
fn question_mark_in_an_attributed_async_fn_returns() {
    assert_eq!(block_on(fallible_sum(vec!["1", "2"])), Ok(3));
    assert!(block_on(fallible_sum(vec!["1", "x", "2"])).is_err());
}

/// `#[tokio::test]` first, then `#[for_await]`: the loop still runs, over a pending stream.
#[tokio::test]
#[for_await]
async fn tokio_test_then_for_await() {
    let mut seen = Vec::new();
    #[for_await]
    for n in slow_numbers(3) {
        seen.push(n);
    }
    assert_eq!(seen, [0, 1, 2]);
}

/// `#[for_await]` first, then `#[tokio::test]`, with a `break` that drops the stream.
#[for_await]
#[tokio::test]
async fn for_await_then_tokio_test() {
    let counter = DropCounter::default();
    let mut seen = Vec::new();
    #[for_await]
    for n in guarded(counter.token(), 5) {
        if n == 2 {
            break;
        }
        seen.push(n);
    }
    assert_eq!(counter.drops(), 1, "dropped right after the break");
    assert_eq!(seen, [0, 1]);
}

/// `#[tokio::test]` with options (multi-thread flavor) and `#[for_await]` after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[for_await]
async fn tokio_test_with_options_then_for_await() {
    let mut seen = Vec::new();
    #[for_await]
    for n in slow_numbers(2) {
        seen.push(n);
    }
    assert_eq!(seen, [0, 1]);
}

#[tokio::main(flavor = "current_thread")]
#[for_await]
async fn main_style_first() -> u32 {
    let mut sum = 0;
    #[for_await]
    for n in slow_numbers(4) {
        sum += n;
    }
    sum
}

#[for_await]
#[tokio::main(flavor = "current_thread")]
async fn main_style_second() -> u32 {
    let mut sum = 0;
    #[for_await]
    for n in slow_numbers(5) {
        sum += n;
    }
    sum
}

/// Composes with `#[tokio::main]` in either order.
#[test]
fn composes_with_tokio_main_in_either_order() {
    assert_eq!(main_style_first(), 6);
    assert_eq!(main_style_second(), 10);
}

/// A generator that loops over a generator that loops over a generator, driven without an
/// executor.
#[test]
fn generators_looping_over_generators() {
    #[async_gen]
    async fn tens() -> u32 {
        #[for_await]
        for n in doubled_in_generator() {
            yield_!(n * 10);
        }
    }
    assert_eq!(drain_ready(tens()), [20, 40, 60, 1000]);
}

#[async_gen]
async fn for_await_in_select(mut sizes: tokio::sync::mpsc::Receiver<u32>) -> u32 {
    loop {
        tokio::select! {
            Some(n) = sizes.recv() => {
                #[for_await]
                for x in futures::stream::iter(0..n) {
                    yield_!(x);
                }
            }
            else => return,
        }
    }
}

/// A `#[for_await]` loop inside a `tokio::select!` arm (found by the token walker).
#[tokio::test]
async fn inside_a_tokio_select_arm() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    for n in [2, 0, 3] {
        sender.send(n).await.unwrap();
    }
    drop(sender);
    let items: Vec<u32> = for_await_in_select(receiver).collect().await;
    assert_eq!(items, [0, 1, 0, 1, 2]);
}

struct Pair {
    a: u32,
    b: u32,
}

#[async_gen]
async fn products_in_select(mut batches: tokio::sync::mpsc::Receiver<Vec<Pair>>) -> u32 {
    loop {
        tokio::select! {
            Some(batch) = batches.recv() => {
                #[for_await]
                for Pair { a, b } in futures::stream::iter(batch) {
                    yield_!(a * b);
                }
            }
            else => return,
        }
    }
}

/// A struct pattern with braces in a loop the token walker finds: the body is the first
/// `{ .. }` after the `in` (before, the pattern's braces were taken for the body, and the loop
/// was left unlowered).
#[tokio::test]
async fn a_struct_pattern_inside_a_tokio_select_arm() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    sender
        .send(vec![Pair { a: 1, b: 2 }, Pair { a: 3, b: 4 }])
        .await
        .unwrap();
    drop(sender);
    let items: Vec<u32> = products_in_select(receiver).collect().await;
    assert_eq!(items, [2, 12]);
}

#[async_gen]
async fn chars_of(text: &str) -> char {
    for c in text.chars() {
        yield_!(c);
    }
}

#[for_await]
async fn over_a_temporary() -> String {
    let mut out = String::new();
    // The `String` is a temporary of the loop's expression: it lives as long as the loop.
    #[for_await]
    for c in chars_of(&String::from("xy")) {
        out.push(c);
    }
    out
}

#[async_gen]
async fn over_a_temporary_in_a_generator() -> char {
    #[for_await]
    for c in chars_of(&String::from("ab")) {
        yield_!(c);
    }
}

/// As with `for`, temporaries in the stream expression live until the loop ends.
#[test]
fn temporaries_of_the_stream_expression_live_through_the_loop() {
    assert_eq!(block_on(over_a_temporary()), "xy");
    assert_eq!(collect(over_a_temporary_in_a_generator()), ['a', 'b']);
}

#[async_gen]
async fn numbers_to(n: u32) -> u32 {
    for i in 1..=n {
        yield_!(i);
    }
}

#[for_await]
async fn inside_join() -> u32 {
    let (a, b) = futures::join!(
        async {
            let mut sum = 0;
            #[for_await]
            for x in numbers_to(3) {
                sum += x;
            }
            sum
        },
        async { 10 }
    );
    a + b
}

/// A `#[for_await]` fn also rewrites loops inside other macros' arguments (`join!`).
#[test]
fn attributed_fn_rewrites_loops_inside_macros() {
    assert_eq!(block_on(inside_join()), 16);
}

// Found by the macro fuzz test: a `let` needs an or-pattern in parentheses, a `for` does not.
#[test]
fn an_or_pattern_binds_like_in_for() {
    #[async_gen]
    async fn either(items: Vec<Result<u32, u32>>) -> u32 {
        #[for_await]
        for Ok(n) | Err(n) in futures::stream::iter(items) {
            yield_!(n);
        }
    }
    assert_eq!(collect(either(vec![Ok(1), Err(2), Ok(3)])), [1, 2, 3]);

    let items = futures::stream::iter([Err(4), Ok(5)]);
    let with_leading_vert = asyncgen::stream! {
        for await | Ok(n) | Err(n) in items {
            yield n;
        }
    };
    assert_eq!(collect::<_>(with_leading_vert), [4u32, 5]);
}
