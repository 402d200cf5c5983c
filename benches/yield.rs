//! `cargo bench --bench yield`: the cost of one yield, for asyncgen and its peers, on four
//! workloads. Every variant of a workload runs in one process, interleaved round by round
//! (`harness`), and is compared with the hand-written baseline (the first row):
//!
//! 1. `yield-u64`: yield `0..N` `u64`s, summed.
//! 2. `yield-string`: yield `N` `String`s, summing their lengths. The strings are made once
//!    and moved out of a slice (`mem::take`, no allocation) and back into another, 1000 per
//!    stream, so a run measures moves of a non-`Copy` item, not formatting, the allocator or
//!    memory bandwidth.
//! 3. `await-then-yield`: before each yield the body awaits a future that returns `Pending`
//!    once, waking its task: an executor round trip per item.
//! 4. `iterator`: `#[generator]` and `iter!` against a hand-written `Iterator` and
//!    `std::iter::from_fn`, summed by a fn that gets the iterator made elsewhere
//!    (`for-loop`), and by one that makes it itself (`made-in-place`).
//!
//! Streams are consumed two ways (workload 3 only the second):
//!
//! - `poll-loop`: `poll_next` in a plain loop with a no-op waker. Nothing but the stream's
//!   own cost: the hand-written stream becomes a register-only loop here.
//! - `async-for`: `while let Some(x) = stream.next().await` inside
//!   `futures::executor::block_on`, the way streams are consumed in practice.
//!
//! Then a table of `size_of` of each variant's value for the same body (plus the bytes it
//! allocates when made, if any).
//!
//! Options (after `--`): `--rounds R` (default 9), `--quick`, `--items N` (items per run in
//! every workload), a workload name part (`u64`, `string`, `await`, `iterator`) to run only
//! those, and `--only 'GROUP/VARIANT'` to run the variants whose `group/variant` contains it
//! once, untimed, for `valgrind --tool=callgrind`, e.g.
//! `cargo bench --bench yield -- --only 'yield-u64/poll-loop/#[async_gen]' --items 100000`.

mod harness;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::future::Future;
use std::hint::black_box;
use std::iter::FusedIterator;
use std::mem;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use asyncgen::{async_gen, generator, yield_};
use futures::StreamExt;
use futures_core::Stream;
use harness::{Footprint, Options, Variant, measure, print_sizes};
use support::poll_once;

// Variant names, shared by the timing tables and the size table.
const HAND_WRITTEN: &str = "hand-written";
const ASYNC_GEN: &str = "#[async_gen]";
const STREAM_MACRO: &str = "asyncgen::stream!";
const ASYNC_STREAM: &str = "async_stream::stream!";
const ASYNK_STRIM: &str = "asynk_strim::stream_fn";
const ASYNC_FN_STREAM: &str = "async_fn_stream::fn_stream";
const UNFOLD: &str = "stream::unfold";
const ITER: &str = "stream::iter";
const ITER_THEN: &str = "stream::iter(..).then";
const GENERATOR: &str = "#[generator]";
const ITER_MACRO: &str = "asyncgen::iter!";
const FROM_FN: &str = "std::iter::from_fn";

// ---------------------------------------------------------------------------------------------
// Consumers. `#[inline(never)]` and generic: one copy per stream type, with its `poll_next`
// inlined into the loop.

#[inline(never)]
fn poll_loop<S: Stream>(stream: S, mut each: impl FnMut(S::Item)) {
    let mut stream = pin!(stream);
    loop {
        match poll_once(stream.as_mut()) {
            Poll::Ready(Some(item)) => each(item),
            Poll::Ready(None) => return,
            Poll::Pending => unreachable!("this workload's streams never wait"),
        }
    }
}

#[inline(never)]
fn async_for<S: Stream>(stream: S, mut each: impl FnMut(S::Item)) {
    futures::executor::block_on(async {
        let mut stream = pin!(stream);
        while let Some(item) = stream.next().await {
            each(item);
        }
    })
}

fn sum_poll_loop(stream: impl Stream<Item = u64>) -> u64 {
    let mut sum = 0u64;
    poll_loop(stream, |item| sum = sum.wrapping_add(black_box(item)));
    sum
}

fn sum_async_for(stream: impl Stream<Item = u64>) -> u64 {
    let mut sum = 0u64;
    async_for(stream, |item| sum = sum.wrapping_add(black_box(item)));
    sum
}

#[inline(never)]
fn sum_iter(iter: impl Iterator<Item = u64>) -> u64 {
    let mut sum = 0u64;
    for item in iter {
        sum = sum.wrapping_add(black_box(item));
    }
    sum
}

/// `0 + 1 + .. + (n - 1)`.
fn triangle(n: usize) -> u64 {
    let n = n as u64;
    n * n.saturating_sub(1) / 2
}

// ---------------------------------------------------------------------------------------------
// Workload 1: yield `0..n` `u64`s.

/// The baseline: what a careful user writes by hand.
struct Counter {
    next: u64,
    end: u64,
}

impl Stream for Counter {
    type Item = u64;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.next < self.end {
            let item = self.next;
            self.next += 1;
            Poll::Ready(Some(item))
        } else {
            Poll::Ready(None)
        }
    }
}

fn hand_u64(n: u64) -> Counter {
    Counter { next: 0, end: n }
}

#[async_gen]
async fn async_gen_u64(n: u64) -> u64 {
    for i in 0..n {
        yield_!(i);
    }
}

fn stream_macro_u64(n: u64) -> impl Stream<Item = u64> {
    asyncgen::stream!(-> u64 {
        for i in 0..n {
            yield i;
        }
    })
}

fn async_stream_u64(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        for i in 0..n {
            yield i;
        }
    }
}

fn asynk_strim_u64(n: u64) -> impl Stream<Item = u64> {
    asynk_strim::stream_fn(move |mut yielder| async move {
        for i in 0..n {
            yielder.yield_item(i).await;
        }
    })
}

fn async_fn_stream_u64(n: u64) -> impl Stream<Item = u64> {
    async_fn_stream::fn_stream(move |emitter| async move {
        for i in 0..n {
            emitter.emit(i).await;
        }
    })
}

fn unfold_u64(n: u64) -> impl Stream<Item = u64> {
    futures::stream::unfold(0, move |i| async move { (i < n).then_some((i, i + 1)) })
}

fn iter_u64(n: u64) -> impl Stream<Item = u64> {
    futures::stream::iter(0..n)
}

/// One variant per stream constructor, each consumed by `$consume`.
macro_rules! u64_variants {
    ($consume:ident) => {
        vec![
            Variant::new(HAND_WRITTEN, |n| $consume(hand_u64(n as u64))),
            Variant::new(ASYNC_GEN, |n| $consume(async_gen_u64(n as u64))),
            Variant::new(STREAM_MACRO, |n| $consume(stream_macro_u64(n as u64))),
            Variant::new(ASYNC_STREAM, |n| $consume(async_stream_u64(n as u64))),
            Variant::new(ASYNK_STRIM, |n| $consume(asynk_strim_u64(n as u64))),
            Variant::new(ASYNC_FN_STREAM, |n| $consume(async_fn_stream_u64(n as u64))),
            Variant::new(UNFOLD, |n| $consume(unfold_u64(n as u64))),
            Variant::new(ITER, |n| $consume(iter_u64(n as u64))),
        ]
    };
}

fn yield_u64(options: &Options) {
    let n = options.items(1_000_000, 10_000);
    let expected = triangle(n);
    let variants = u64_variants!(sum_poll_loop);
    measure(
        options,
        "yield-u64/poll-loop",
        "item",
        n,
        expected,
        &variants,
    );
    let variants = u64_variants!(sum_async_for);
    measure(
        options,
        "yield-u64/async-for",
        "item",
        n,
        expected,
        &variants,
    );
}

// ---------------------------------------------------------------------------------------------
// Workload 2: yield `String`s, moved out of a slice.

/// The baseline: takes each string out of the slice.
struct TakeStrings<'a> {
    strings: std::slice::IterMut<'a, String>,
}

impl Stream for TakeStrings<'_> {
    type Item = String;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<String>> {
        Poll::Ready(self.strings.next().map(mem::take))
    }
}

fn hand_strings(strings: &mut [String]) -> TakeStrings<'_> {
    TakeStrings {
        strings: strings.iter_mut(),
    }
}

#[async_gen]
async fn async_gen_strings(strings: &mut [String]) -> String {
    for string in strings {
        yield_!(mem::take(string));
    }
}

fn stream_macro_strings(strings: &mut [String]) -> impl Stream<Item = String> {
    asyncgen::stream!(-> String {
        for string in strings {
            yield mem::take(string);
        }
    })
}

fn async_stream_strings(strings: &mut [String]) -> impl Stream<Item = String> {
    async_stream::stream! {
        for string in strings {
            yield mem::take(string);
        }
    }
}

fn asynk_strim_strings(strings: &mut [String]) -> impl Stream<Item = String> {
    asynk_strim::stream_fn(move |mut yielder| async move {
        for string in strings {
            yielder.yield_item(mem::take(string)).await;
        }
    })
}

fn async_fn_stream_strings(strings: &mut [String]) -> impl Stream<Item = String> {
    async_fn_stream::fn_stream(move |emitter| async move {
        for string in strings {
            emitter.emit(mem::take(string)).await;
        }
    })
}

fn unfold_strings(strings: &mut [String]) -> impl Stream<Item = String> {
    futures::stream::unfold(strings.iter_mut(), |mut strings| async move {
        strings.next().map(|string| (mem::take(string), strings))
    })
}

fn iter_strings(strings: &mut [String]) -> impl Stream<Item = String> {
    futures::stream::iter(strings.iter_mut().map(mem::take))
}

/// Two slices of the same `POOL` strings: a run moves them from one into the other, and the
/// next chunk the other way, `POOL` at a time (so they stay in cache, and what is measured is
/// the yield, not memory bandwidth): one stream per chunk. Made on first use, so unselected
/// workloads cost nothing (`--only`).
#[derive(Default)]
struct StringPool(RefCell<Option<(Vec<String>, Vec<String>)>>);

const POOL: usize = 1000;

impl StringPool {
    fn run(&self, n: usize, mut drain: impl FnMut(&mut [String], &mut [String]) -> u64) -> u64 {
        let mut halves = self.0.borrow_mut();
        let (from, to) = halves.get_or_insert_with(|| {
            let strings = (0..POOL).map(|i| i.to_string()).collect();
            (strings, vec![String::new(); POOL])
        });
        let mut sum = 0u64;
        let mut left = n;
        while left >= POOL {
            sum += drain(from, to);
            mem::swap(from, to);
            left -= POOL;
        }
        if left > 0 {
            sum += drain(&mut from[..left], &mut to[..left]);
            from[..left].swap_with_slice(&mut to[..left]);
        }
        sum
    }

    /// What `run(n, ..)` returns: the total length of the strings yielded.
    fn expected(n: usize) -> u64 {
        (n / POOL) as u64 * decimal_lengths(POOL) + decimal_lengths(n % POOL)
    }
}

/// Moves each string into the next slot of `to`, summing their lengths.
fn put_back<'a>(to: &'a mut [String], sum: &'a mut u64) -> impl FnMut(String) + 'a {
    let mut slots = to.iter_mut();
    move |string| {
        *sum += string.len() as u64;
        *slots.next().expect("more strings than slots") = string;
    }
}

fn strings_poll_loop(stream: impl Stream<Item = String>, to: &mut [String]) -> u64 {
    let mut sum = 0;
    poll_loop(stream, put_back(to, &mut sum));
    sum
}

fn strings_async_for(stream: impl Stream<Item = String>, to: &mut [String]) -> u64 {
    let mut sum = 0;
    async_for(stream, put_back(to, &mut sum));
    sum
}

/// The total length of the decimal forms of `0..n`.
fn decimal_lengths(n: usize) -> u64 {
    let (mut total, mut low, mut high, mut digits) = (0, 0, 10, 1);
    while low < n {
        total += (n.min(high) - low) as u64 * digits;
        (low, high, digits) = (high, high.saturating_mul(10), digits + 1);
    }
    total
}

macro_rules! string_variants {
    ($pool:expr, $consume:ident) => {{
        let pool: &StringPool = $pool;
        vec![
            Variant::new(HAND_WRITTEN, move |n| {
                pool.run(n, |from, to| $consume(hand_strings(from), to))
            }),
            Variant::new(ASYNC_GEN, move |n| {
                pool.run(n, |from, to| $consume(async_gen_strings(from), to))
            }),
            Variant::new(STREAM_MACRO, move |n| {
                pool.run(n, |from, to| $consume(stream_macro_strings(from), to))
            }),
            Variant::new(ASYNC_STREAM, move |n| {
                pool.run(n, |from, to| $consume(async_stream_strings(from), to))
            }),
            Variant::new(ASYNK_STRIM, move |n| {
                pool.run(n, |from, to| $consume(asynk_strim_strings(from), to))
            }),
            Variant::new(ASYNC_FN_STREAM, move |n| {
                pool.run(n, |from, to| $consume(async_fn_stream_strings(from), to))
            }),
            Variant::new(UNFOLD, move |n| {
                pool.run(n, |from, to| $consume(unfold_strings(from), to))
            }),
            Variant::new(ITER, move |n| {
                pool.run(n, |from, to| $consume(iter_strings(from), to))
            }),
        ]
    }};
}

fn yield_string(options: &Options) {
    let n = options.items(1_000_000, 10_000);
    let expected = StringPool::expected(n);
    let pool = StringPool::default();
    let variants = string_variants!(&pool, strings_poll_loop);
    measure(
        options,
        "yield-string/poll-loop",
        "item",
        n,
        expected,
        &variants,
    );
    let variants = string_variants!(&pool, strings_async_for);
    measure(
        options,
        "yield-string/async-for",
        "item",
        n,
        expected,
        &variants,
    );
}

// ---------------------------------------------------------------------------------------------
// Workload 3: await a future that is `Pending` once (waking its task) before each yield.

/// `Pending` once, after waking its task; then `Ready`.
struct PendingOnce(bool);

impl Future for PendingOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn pending_once() -> PendingOnce {
    PendingOnce(false)
}

/// The baseline: `Pending` once (after waking its task) before each item.
struct WaitingCounter {
    next: u64,
    end: u64,
    waited: bool,
}

impl Stream for WaitingCounter {
    type Item = u64;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.next >= self.end {
            return Poll::Ready(None);
        }
        if !self.waited {
            self.waited = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.waited = false;
        let item = self.next;
        self.next += 1;
        Poll::Ready(Some(item))
    }
}

fn hand_waiting(n: u64) -> WaitingCounter {
    WaitingCounter {
        next: 0,
        end: n,
        waited: false,
    }
}

#[async_gen]
async fn async_gen_waiting(n: u64) -> u64 {
    for i in 0..n {
        pending_once().await;
        yield_!(i);
    }
}

fn stream_macro_waiting(n: u64) -> impl Stream<Item = u64> {
    asyncgen::stream!(-> u64 {
        for i in 0..n {
            pending_once().await;
            yield i;
        }
    })
}

fn async_stream_waiting(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        for i in 0..n {
            pending_once().await;
            yield i;
        }
    }
}

fn asynk_strim_waiting(n: u64) -> impl Stream<Item = u64> {
    asynk_strim::stream_fn(move |mut yielder| async move {
        for i in 0..n {
            pending_once().await;
            yielder.yield_item(i).await;
        }
    })
}

fn async_fn_stream_waiting(n: u64) -> impl Stream<Item = u64> {
    async_fn_stream::fn_stream(move |emitter| async move {
        for i in 0..n {
            pending_once().await;
            emitter.emit(i).await;
        }
    })
}

fn unfold_waiting(n: u64) -> impl Stream<Item = u64> {
    futures::stream::unfold(0, move |i| async move {
        if i < n {
            pending_once().await;
            Some((i, i + 1))
        } else {
            None
        }
    })
}

fn iter_then_waiting(n: u64) -> impl Stream<Item = u64> {
    futures::stream::iter(0..n).then(|i| async move {
        pending_once().await;
        i
    })
}

fn await_then_yield(options: &Options) {
    let n = options.items(250_000, 2_000);
    let variants = [
        Variant::new(HAND_WRITTEN, |n| sum_async_for(hand_waiting(n as u64))),
        Variant::new(ASYNC_GEN, |n| sum_async_for(async_gen_waiting(n as u64))),
        Variant::new(STREAM_MACRO, |n| {
            sum_async_for(stream_macro_waiting(n as u64))
        }),
        Variant::new(ASYNC_STREAM, |n| {
            sum_async_for(async_stream_waiting(n as u64))
        }),
        Variant::new(ASYNK_STRIM, |n| {
            sum_async_for(asynk_strim_waiting(n as u64))
        }),
        Variant::new(ASYNC_FN_STREAM, |n| {
            sum_async_for(async_fn_stream_waiting(n as u64))
        }),
        Variant::new(UNFOLD, |n| sum_async_for(unfold_waiting(n as u64))),
        Variant::new(ITER_THEN, |n| sum_async_for(iter_then_waiting(n as u64))),
    ];
    let group = "await-then-yield/async-for";
    measure(options, group, "item", n, triangle(n), &variants);
}

// ---------------------------------------------------------------------------------------------
// Workload 4: iterators.

/// The baseline: a hand-written `Iterator`.
struct CounterIter {
    next: u64,
    end: u64,
}

impl Iterator for CounterIter {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        if self.next < self.end {
            let item = self.next;
            self.next += 1;
            Some(item)
        } else {
            None
        }
    }
}

fn hand_iter(n: u64) -> CounterIter {
    CounterIter { next: 0, end: n }
}

fn from_fn_iter(n: u64) -> impl Iterator<Item = u64> {
    let mut next = 0;
    std::iter::from_fn(move || {
        (next < n).then(|| {
            next += 1;
            next - 1
        })
    })
}

#[generator]
fn generator_iter(n: u64) -> u64 {
    for i in 0..n {
        yield_!(i);
    }
}

fn iter_macro_iter(n: u64) -> impl FusedIterator<Item = u64> {
    asyncgen::iter!(-> u64 {
        for i in 0..n {
            yield i;
        }
    })
}

/// A variant that sums the iterator `$make(n)` in the fn that makes it (`for x in make(n)`):
/// there the compiler sees where a generator's boxed state comes from, and that nothing else
/// can reach it. (`sum_iter` gets it made elsewhere: the box could be reachable from anywhere.)
macro_rules! sum_made_here {
    ($name:expr, $make:ident) => {{
        #[inline(never)]
        fn sum(n: u64) -> u64 {
            let mut sum = 0u64;
            for item in $make(n) {
                sum = sum.wrapping_add(black_box(item));
            }
            sum
        }
        Variant::new($name, |n| sum(n as u64))
    }};
}

fn iterator(options: &Options) {
    let n = options.items(1_000_000, 10_000);
    let variants = [
        Variant::new(HAND_WRITTEN, |n| sum_iter(hand_iter(n as u64))),
        Variant::new(FROM_FN, |n| sum_iter(from_fn_iter(n as u64))),
        Variant::new(GENERATOR, |n| sum_iter(generator_iter(n as u64))),
        Variant::new(ITER_MACRO, |n| sum_iter(iter_macro_iter(n as u64))),
    ];
    measure(
        options,
        "iterator/for-loop",
        "item",
        n,
        triangle(n),
        &variants,
    );
    let variants = [
        sum_made_here!(HAND_WRITTEN, hand_iter),
        sum_made_here!(FROM_FN, from_fn_iter),
        sum_made_here!(GENERATOR, generator_iter),
        sum_made_here!(ITER_MACRO, iter_macro_iter),
    ];
    measure(
        options,
        "iterator/made-in-place",
        "item",
        n,
        triangle(n),
        &variants,
    );
}

// ---------------------------------------------------------------------------------------------
// Sizes.

/// Counts the bytes allocated, to tell what making a stream allocates.
struct CountingAllocator;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments; the counter has no
// effect on the memory handed out.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` shares.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above, for `dealloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: as above, for `alloc_zeroed`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size.saturating_sub(layout.size()), Ordering::Relaxed);
        // SAFETY: as above, for `realloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// `size_of` the value `make` returns, and the bytes `make` allocated.
fn footprint<T>(make: impl FnOnce() -> T) -> Footprint {
    let before = ALLOCATED.load(Ordering::Relaxed);
    let value = black_box(make());
    let heap = ALLOCATED.load(Ordering::Relaxed) - before;
    Some((mem::size_of_val(&value), heap))
}

fn sizes(options: &Options) {
    let rows = vec![
        (
            HAND_WRITTEN,
            vec![
                footprint(|| hand_u64(0)),
                footprint(|| hand_strings(&mut [])),
                footprint(|| hand_waiting(0)),
                footprint(|| hand_iter(0)),
            ],
        ),
        (
            ASYNC_GEN,
            vec![
                footprint(|| async_gen_u64(0)),
                footprint(|| async_gen_strings(&mut [])),
                footprint(|| async_gen_waiting(0)),
                None,
            ],
        ),
        (
            STREAM_MACRO,
            vec![
                footprint(|| stream_macro_u64(0)),
                footprint(|| stream_macro_strings(&mut [])),
                footprint(|| stream_macro_waiting(0)),
                None,
            ],
        ),
        (
            ASYNC_STREAM,
            vec![
                footprint(|| async_stream_u64(0)),
                footprint(|| async_stream_strings(&mut [])),
                footprint(|| async_stream_waiting(0)),
                None,
            ],
        ),
        (
            ASYNK_STRIM,
            vec![
                footprint(|| asynk_strim_u64(0)),
                footprint(|| asynk_strim_strings(&mut [])),
                footprint(|| asynk_strim_waiting(0)),
                None,
            ],
        ),
        (
            ASYNC_FN_STREAM,
            vec![
                footprint(|| async_fn_stream_u64(0)),
                footprint(|| async_fn_stream_strings(&mut [])),
                footprint(|| async_fn_stream_waiting(0)),
                None,
            ],
        ),
        (
            UNFOLD,
            vec![
                footprint(|| unfold_u64(0)),
                footprint(|| unfold_strings(&mut [])),
                footprint(|| unfold_waiting(0)),
                None,
            ],
        ),
        (
            ITER,
            vec![
                footprint(|| iter_u64(0)),
                footprint(|| iter_strings(&mut [])),
                None,
                None,
            ],
        ),
        (
            ITER_THEN,
            vec![None, None, footprint(|| iter_then_waiting(0)), None],
        ),
        (
            FROM_FN,
            vec![None, None, None, footprint(|| from_fn_iter(0))],
        ),
        (
            GENERATOR,
            vec![None, None, None, footprint(|| generator_iter(0))],
        ),
        (
            ITER_MACRO,
            vec![None, None, None, footprint(|| iter_macro_iter(0))],
        ),
    ];
    print_sizes(
        options,
        "size: size_of the stream or iterator (+ bytes allocated making it), same body",
        &["yield-u64", "yield-string", "await-then", "iterator"],
        &rows,
    );
}

fn main() {
    let options = Options::from_args();
    yield_u64(&options);
    yield_string(&options);
    await_then_yield(&options);
    iterator(&options);
    sizes(&options);
}
