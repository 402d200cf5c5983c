#![deny(missing_docs, clippy::pedantic)]
#![deny(warnings)]
// And the generated code writes no `#[allow]` of its own, which would clash with a `forbid`.
#![forbid(dead_code, clippy::extra_unused_type_parameters)]
//! Lint hygiene of the generated code. This crate denies `missing_docs`, `clippy::pedantic` and
//! every rustc warning, and declares documented `pub` items with each generator form a user
//! would write: `#[async_gen]` and `#[generator]` fns and methods (arguments by value, by
//! reference with a lifetime, and as patterns; `&self` and `self`; generics with `where`
//! clauses), trait methods with `boxed` and `boxed_local` and unboxed ones declared without a
//! body (in a `pub` trait and a private one), `?` on `Result` and `Option` items,
//! `#[for_await]` loops in a generator and in a plain `async fn`, `yield_all!` of iterators and
//! streams, `stream!` and `iter!` with and without `-> T`, a `finally!` cleanup, a generator
//! that never yields and ones that end with `return;`. And the concurrency macros past 12
//! arguments and with none, which write closures and tuple patterns of their own into the
//! caller's code.
//!
//! A lint fired by what the macros emit makes `cargo clippy --all-targets -- -D warnings` fail
//! on this file, with no `#[allow]` anywhere in it. The tests check that each form yields
//! exactly the expected items.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::num::ParseIntError;
use std::rc::Rc;

use asyncgen::{Stream, async_gen, finally, for_await, generator, iter, stream, yield_, yield_all};
use futures::StreamExt;
use futures::executor::block_on;
use support::{collect, drain_ready};

/// The words of `text` whose length is within `bounds` (inclusive), all of them `times` times
/// over: arguments by reference with a named lifetime, as a pattern, and by value (`mut`).
#[async_gen]
pub async fn words_within<'a>(
    text: &'a str,
    &(shortest, longest): &(usize, usize),
    mut times: usize,
) -> &'a str {
    while times > 0 {
        times -= 1;
        for word in text.split_whitespace() {
            if (shortest..=longest).contains(&word.len()) {
                yield_!(word);
            }
        }
    }
}

/// The first `count` Fibonacci numbers.
#[generator]
pub fn fibonacci(count: usize) -> u64 {
    let (mut a, mut b) = (0, 1);
    for _ in 0..count {
        yield_!(a);
        (a, b) = (b, a + b);
    }
}

/// A list of numbers with generator methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbers {
    values: Vec<u32>,
}

impl Numbers {
    /// Numbers holding a copy of `values`.
    #[must_use]
    pub fn new(values: &[u32]) -> Self {
        Self {
            values: values.to_vec(),
        }
    }

    /// Each value, borrowed from `self`.
    #[async_gen]
    pub async fn each(&self) -> &u32 {
        for value in &self.values {
            yield_!(value);
        }
    }

    /// Each value plus `offset`, consuming `self`.
    #[generator]
    pub fn into_shifted(self, offset: u32) -> u32 {
        for value in self.values {
            yield_!(value + offset);
        }
    }

    /// The values from last to first, consuming `self`.
    #[async_gen]
    pub async fn into_reversed(mut self) -> u32 {
        while let Some(value) = self.values.pop() {
            yield_!(value);
        }
    }

    /// Each value after `label`: a generic method with a `where` clause.
    #[generator]
    pub fn labelled<L>(&self, label: &L) -> String
    where
        L: Display + ?Sized,
    {
        for value in &self.values {
            yield_!(format!("{label}{value}"));
        }
    }

    /// Each value in its own `Rc`, with an `Rc` held across the yields: `boxed_local`, so the
    /// stream need not be `Send`.
    #[async_gen(boxed_local)]
    pub async fn shared(&self) -> Rc<u32> {
        let yielded = Rc::new(Cell::new(0));
        for value in &self.values {
            yielded.set(yielded.get() + 1);
            yield_!(Rc::new(*value * 10 + yielded.get()));
        }
    }
}

/// A source of numbers, usable as `dyn Source`.
pub trait Source: Sync {
    /// Every number.
    #[async_gen(boxed)]
    async fn numbers(&self) -> u32;

    /// Every number doubled: a default method over [`Source::numbers`] with a `#[for_await]`
    /// loop.
    #[async_gen(boxed)]
    async fn doubled(&self) -> u32 {
        #[for_await]
        for number in self.numbers() {
            yield_!(number * 2);
        }
    }
}

impl Source for Numbers {
    #[async_gen(boxed)]
    async fn numbers(&self) -> u32 {
        yield_all!(self.values.iter().copied());
    }
}

/// A source of numbers that are not `Send`.
pub trait LocalSource {
    /// Every number, shared.
    #[async_gen(boxed_local)]
    async fn shared_numbers(&self) -> Rc<u32>;
}

impl LocalSource for Numbers {
    #[async_gen(boxed_local)]
    async fn shared_numbers(&self) -> Rc<u32> {
        yield_all!(self.shared());
    }
}

/// Numbers for generic code: unboxed trait methods (`impl Stream`, `impl Iterator`) declared
/// without a body, each with the hidden method that makes `dyn Counted`'s error name
/// `boxed`.
pub trait Counted {
    /// Every number.
    #[async_gen]
    async fn each(&self) -> u32;

    /// Every number, synchronously.
    #[generator]
    fn each_now(&self) -> u32;
}

impl Counted for Numbers {
    #[async_gen]
    async fn each(&self) -> u32 {
        yield_all!(self.values.iter().copied());
    }

    #[generator]
    fn each_now(&self) -> u32 {
        yield_all!(self.values.iter().copied());
    }
}

// A private trait: its hidden method is never called, and draws no `dead_code` warning
// (a proc macro's output is not linted for it).
trait Halved {
    #[async_gen]
    async fn halved(&self) -> u32;
}

impl Halved for Numbers {
    #[async_gen]
    async fn halved(&self) -> u32 {
        for value in &self.values {
            yield_!(value / 2);
        }
    }
}

/// A tree of numbers.
#[derive(Debug)]
pub enum Tree {
    /// A number.
    Leaf(u32),
    /// Subtrees, in order.
    Node(Vec<Tree>),
}

impl Tree {
    /// The leaves, depth first: recursive, so `boxed`.
    #[generator(boxed)]
    pub fn leaves(&self) -> u32 {
        match self {
            Tree::Leaf(number) => yield_!(*number),
            Tree::Node(children) => {
                for child in children {
                    yield_all!(child.leaves());
                }
            }
        }
    }

    /// The leaves, depth first, each in its own `Rc`: `boxed_local`.
    #[generator(boxed_local)]
    pub fn shared_leaves(&self) -> Rc<u32> {
        for leaf in self.leaves() {
            yield_!(Rc::new(leaf));
        }
    }
}

/// Why a line could not be read as a number.
#[derive(Debug, PartialEq, Eq)]
pub enum LineError {
    /// The line is not a number.
    Parse(ParseIntError),
    /// The number is above 100.
    TooBig(u32),
}

impl From<ParseIntError> for LineError {
    fn from(error: ParseIntError) -> Self {
        LineError::Parse(error)
    }
}

fn at_most_100(number: u32) -> Result<u32, LineError> {
    if number > 100 {
        Err(LineError::TooBig(number))
    } else {
        Ok(number)
    }
}

/// Each line as a number: `?` on a `ParseIntError` (converted with `From`) and on an awaited
/// `Result`. The first bad line is the last item.
#[async_gen]
pub async fn parse_lines(lines: Vec<&'static str>) -> Result<u32, LineError> {
    for line in lines {
        let number: u32 = line.trim().parse()?;
        yield_!(Ok(std::future::ready(at_most_100(number)).await?));
    }
}

/// The first character of each word: `?` on an `Option`. An empty word yields `None` last.
#[generator]
pub fn initials(words: &[&str]) -> Option<char> {
    for word in words {
        yield_!(Some(word.chars().next()?));
    }
}

/// Running totals of a stream: a generic generator with a `where` clause and a `#[for_await]`
/// loop.
#[async_gen]
pub async fn running_totals<S>(numbers: S) -> u64
where
    S: Stream<Item = u32>,
{
    let mut total = 0;
    #[for_await]
    for number in numbers {
        total += u64::from(number);
        yield_!(total);
    }
}

/// The sum of the numbers of `source` until the first one at or above `limit`: a plain
/// `async fn` with a `#[for_await]` loop.
#[for_await]
pub async fn sum_below(source: &dyn Source, limit: u32) -> u32 {
    let mut sum = 0;
    #[for_await]
    for number in source.numbers() {
        if number >= limit {
            break;
        }
        sum += number;
    }
    sum
}

/// `yield_all!` of an iterator (a `#[generator]`'s, and a `Vec`) and of a stream (an
/// `#[async_gen]`'s).
#[async_gen]
pub async fn concatenated(count: usize) -> u64 {
    yield_all!(fibonacci(count));
    yield_all!(running_totals(futures::stream::iter([1, 2, 3])));
    yield_all!(vec![100, 200]);
}

/// `yield_all!` in a `#[generator]`: another generator, then an array.
#[generator]
pub fn fibonacci_then(count: usize, last: u64) -> u64 {
    yield_all!(fibonacci(count));
    yield_all!([last]);
}

/// The entries of `map` whose key `keep` accepts: a generic generator with a `where` clause
/// and a closure argument.
#[generator]
pub fn entries_where<'m, K, V, F>(map: &'m BTreeMap<K, V>, keep: F) -> (&'m K, &'m V)
where
    K: Ord + 'm,
    F: Fn(&K) -> bool,
{
    for (key, value) in map {
        if keep(key) {
            yield_!((key, value));
        }
    }
}

/// The even numbers below `limit`: `stream!` with the item type inferred.
pub fn evens(limit: u32) -> impl Stream<Item = u32> {
    stream! {
        for number in 0..limit {
            if number % 2 == 0 {
                yield number;
            }
        }
    }
}

/// Each line's number tripled: `stream!` with `-> T`, `for await` and `?`.
pub fn tripled(lines: Vec<&'static str>) -> impl Stream<Item = Result<u64, LineError>> {
    stream!(-> Result<u64, LineError> {
        for await number in parse_lines(lines) {
            yield Ok(u64::from(number?) * 3);
        }
    })
}

/// The characters of `words`, each word followed by `/`: `iter!` with the item type inferred.
pub fn letters(words: &[&str]) -> impl Iterator<Item = char> {
    iter! {
        for word in words {
            for letter in word.chars() {
                yield letter;
            }
            yield '/';
        }
    }
}

/// `count` Fibonacci numbers, then `u64::MAX`: `iter!` with `-> T`.
pub fn fibonacci_capped(count: usize) -> impl Iterator<Item = u64> {
    iter!(-> u64 {
        yield_all!(fibonacci(count));
        yield u64::MAX;
    })
}

/// Counts its runs in `runs` and yields nothing.
#[async_gen]
pub async fn silent(runs: &Cell<u32>) -> u32 {
    runs.set(runs.get() + 1);
}

/// Yields nothing: an empty body.
#[generator]
pub fn empty() -> String {}

/// The values before the first zero; `u32::MAX` after them only when there is no zero: ends
/// early with `return;`.
#[async_gen]
pub async fn until_zero(values: Vec<u32>) -> u32 {
    for value in values {
        if value == 0 {
            return;
        }
        yield_!(value);
    }
    yield_!(u32::MAX);
}

/// `1, 2` when `open`, nothing otherwise: the only way out before a yield is `return;`.
#[generator]
pub fn gated(open: bool) -> u32 {
    if !open {
        return;
    }
    yield_!(1);
    yield_!(2);
}

/// Arguments by reference with a lifetime, as a pattern and by value (`mut`).
#[test]
fn free_async_gen_with_every_kind_of_argument() {
    let text = String::from("a bb ccc dddd ee");
    let bounds = (2, 3);
    assert_eq!(
        collect(words_within(&text, &bounds, 2)),
        ["bb", "ccc", "ee", "bb", "ccc", "ee"]
    );
    assert_eq!(collect(words_within(&text, &(9, 9), 3)), Vec::<&str>::new());
    assert_eq!(collect(words_within(&text, &(1, 1), 0)), Vec::<&str>::new());
}

#[test]
fn free_generator() {
    assert_eq!(fibonacci(8).collect::<Vec<_>>(), [0, 1, 1, 2, 3, 5, 8, 13]);
    assert_eq!(fibonacci(0).count(), 0);
}

/// `&self` (async, generic sync, `boxed_local`) and `self` (sync, async `mut self`) methods.
#[test]
fn methods_on_a_pub_struct() {
    let numbers = Numbers::new(&[3, 1, 2]);
    assert_eq!(collect(numbers.each().map(|value| *value)), [3, 1, 2]);
    assert_eq!(
        numbers.labelled("n=").collect::<Vec<_>>(),
        ["n=3", "n=1", "n=2"]
    );
    assert_eq!(
        numbers.labelled(&7_u8).collect::<Vec<_>>(),
        ["73", "71", "72"]
    );
    let shared: Vec<u32> = collect(numbers.shared())
        .into_iter()
        .map(|rc| *rc)
        .collect();
    assert_eq!(shared, [31, 12, 23]);
    assert_eq!(
        numbers.clone().into_shifted(10).collect::<Vec<_>>(),
        [13, 11, 12]
    );
    assert_eq!(collect(numbers.into_reversed()), [2, 1, 3]);
}

/// A `boxed` trait method (declared without a body, implemented), a default method with a
/// `#[for_await]` loop, used through `dyn Source`, and a `boxed_local` trait method.
#[test]
fn trait_methods_boxed_and_boxed_local() {
    let numbers = Numbers::new(&[4, 5]);
    let source: &dyn Source = &numbers;
    assert_eq!(collect(source.numbers()), [4, 5]);
    assert_eq!(collect(source.doubled()), [8, 10]);
    let shared: Vec<u32> = collect(numbers.shared_numbers())
        .into_iter()
        .map(|rc| *rc)
        .collect();
    assert_eq!(shared, [41, 52]);
}

/// Unboxed trait methods declared without a body, used generically.
#[test]
fn unboxed_trait_methods_declared_without_a_body() {
    fn sum_of<C: Counted>(counted: &C) -> (Vec<u32>, u32) {
        (collect(counted.each()), counted.each_now().sum())
    }
    let numbers = Numbers::new(&[4, 6]);
    assert_eq!(sum_of(&numbers), (vec![4, 6], 10));
    assert_eq!(collect(numbers.halved()), [2, 3]);
}

/// `#[generator(boxed)]` (recursive) and `#[generator(boxed_local)]` methods.
#[test]
fn boxed_generator_methods() {
    let tree = Tree::Node(vec![
        Tree::Leaf(1),
        Tree::Node(vec![Tree::Leaf(2), Tree::Node(vec![]), Tree::Leaf(3)]),
        Tree::Leaf(4),
    ]);
    assert_eq!(tree.leaves().collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(
        tree.shared_leaves().map(|rc| *rc).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(Tree::Node(vec![]).leaves().count(), 0);
}

/// `?` in a generator of `Result`s: the converted error is the last item.
#[test]
fn question_mark_on_results() {
    assert_eq!(
        collect(parse_lines(vec!["1", " 2 ", "3"])),
        [Ok(1), Ok(2), Ok(3)]
    );
    let parse_error = "x".parse::<u32>().unwrap_err();
    assert_eq!(
        collect(parse_lines(vec!["7", "x", "8"])),
        [Ok(7), Err(LineError::Parse(parse_error))]
    );
    assert_eq!(
        collect(parse_lines(vec!["100", "101", "9"])),
        [Ok(100), Err(LineError::TooBig(101))]
    );
}

/// `?` in a generator of `Option`s: `None` is the last item.
#[test]
fn question_mark_on_options() {
    assert_eq!(
        initials(&["ab", "cd"]).collect::<Vec<_>>(),
        [Some('a'), Some('c')]
    );
    assert_eq!(
        initials(&["ab", "", "cd"]).collect::<Vec<_>>(),
        [Some('a'), None]
    );
}

/// `#[for_await]` in a generator, in a default trait method (above) and in a plain `async fn`.
#[test]
fn for_await_loops() {
    assert_eq!(
        collect(running_totals(futures::stream::iter([1, 2, 3, 4]))),
        [1, 3, 6, 10]
    );
    assert_eq!(collect(running_totals(evens(7))), [0, 2, 6, 12]);
    let numbers = Numbers::new(&[1, 2, 3, 10, 4]);
    assert_eq!(block_on(sum_below(&numbers, 5)), 6);
    assert_eq!(block_on(sum_below(&numbers, 100)), 20);
}

/// `yield_all!` of iterators and of a stream, in `#[async_gen]` and in `#[generator]`.
#[test]
fn yield_all_of_iterators_and_streams() {
    assert_eq!(
        drain_ready(concatenated(5)),
        [0, 1, 1, 2, 3, 1, 3, 6, 100, 200]
    );
    assert_eq!(fibonacci_then(3, 99).collect::<Vec<_>>(), [0, 1, 1, 99]);
}

#[test]
fn generic_generator_with_where_clause() {
    let map = BTreeMap::from([(1, "one"), (2, "two"), (3, "three"), (4, "four")]);
    assert_eq!(
        entries_where(&map, |key| key % 2 == 0).collect::<Vec<_>>(),
        [(&2, &"two"), (&4, &"four")]
    );
}

/// `stream!` and `iter!`, with the item type inferred and written.
#[test]
fn function_like_forms() {
    assert_eq!(collect(evens(9)), [0, 2, 4, 6, 8]);
    assert_eq!(collect(tripled(vec!["1", "5"])), [Ok(3), Ok(15)]);
    assert_eq!(
        collect(tripled(vec!["2", "200", "3"])),
        [Ok(6), Err(LineError::TooBig(200))]
    );
    assert_eq!(letters(&["ab", "", "c"]).collect::<String>(), "ab//c/");
    assert_eq!(
        fibonacci_capped(4).collect::<Vec<_>>(),
        [0, 1, 1, 2, u64::MAX]
    );
    // Inline, as a user writes them in a test or a fn body.
    let inline = stream!(-> u8 {
        yield 1;
        yield_!(2);
    });
    assert_eq!(collect(inline), [1, 2]);
    let inline = iter! {
        yield "x";
        yield "y";
    };
    assert_eq!(inline.collect::<Vec<_>>(), ["x", "y"]);
}

/// A generator that never yields runs its body (once, lazily) and ends.
#[test]
fn generators_that_never_yield() {
    let runs = Cell::new(0);
    let stream = silent(&runs);
    assert_eq!(runs.get(), 0, "lazy: nothing runs before the first poll");
    assert_eq!(drain_ready(stream), Vec::<u32>::new());
    assert_eq!(runs.get(), 1);
    assert_eq!(empty().collect::<Vec<_>>(), Vec::<String>::new());
}

/// `return;` ends the generator: nothing after it is yielded.
#[test]
fn generators_that_return_early() {
    assert_eq!(collect(until_zero(vec![5, 6, 0, 7])), [5, 6]);
    assert_eq!(collect(until_zero(vec![0, 1])), Vec::<u32>::new());
    assert_eq!(collect(until_zero(vec![8])), [8, u32::MAX]);
    assert_eq!(gated(true).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(gated(false).collect::<Vec<_>>(), Vec::<u32>::new());
}

/// Thirteen sources merged, thirteen futures gathered (fallibly too), and each macro with
/// nothing: the items, the sum of the outputs, and whether the empty forms ended at once.
#[must_use]
pub fn many_and_none() -> (Vec<u32>, u32, bool) {
    let mut items: Vec<u32> = block_on(
        asyncgen::merge!(
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            evens(2),
            futures::stream::iter([7]),
        )
        .collect(),
    );
    items.sort_unstable();
    let outputs = block_on(asyncgen::gather!(
        async { 1 },
        async { 2 },
        async { 3 },
        async { 4 },
        async { 5 },
        async { 6 },
        async { 7 },
        async { 8 },
        async { 9 },
        async { 10 },
        async { 11 },
        async { 12 },
        async { 13 },
    ));
    let tried = block_on(asyncgen::try_gather!(
        async { Ok::<u32, String>(1) },
        async { Ok(2) },
        async { Ok(3) },
        async { Ok(4) },
        async { Ok(5) },
        async { Ok(6) },
        async { Ok(7) },
        async { Ok(8) },
        async { Ok(9) },
        async { Ok(10) },
        async { Ok(11) },
        async { Ok(12) },
        async { Ok(13) },
    ));
    let tried_items: Vec<Result<u32, String>> = block_on(
        asyncgen::try_merge!(
            futures::stream::iter([Ok(1)]),
            futures::stream::iter([Ok(2)]),
            futures::stream::iter([Ok(3)]),
            futures::stream::iter([Ok(4)]),
            futures::stream::iter([Ok(5)]),
            futures::stream::iter([Ok(6)]),
            futures::stream::iter([Ok(7)]),
            futures::stream::iter([Ok(8)]),
            futures::stream::iter([Ok(9)]),
            futures::stream::iter([Ok(10)]),
            futures::stream::iter([Ok(11)]),
            futures::stream::iter([Ok(12)]),
            futures::stream::iter([Err(String::from("13"))]),
        )
        .collect(),
    );
    let sum = outputs.0 + outputs.12 + tried.map_or(0, |outputs| outputs.12);
    let none: Option<u32> = block_on(asyncgen::merge!().next());
    let no_results: Vec<Result<u32, String>> = block_on(asyncgen::try_merge!().collect());
    block_on(asyncgen::gather!());
    let nothing: Result<(), String> = block_on(asyncgen::try_gather!());
    let ended = none.is_none() && no_results.is_empty() && nothing.is_ok();
    (
        items,
        sum + u32::try_from(tried_items.len()).unwrap_or(0),
        ended,
    )
}

/// The concurrency macros past 12 and with nothing compile lint-clean and run.
#[test]
fn concurrency_macros_past_twelve_and_empty() {
    let (items, sum, ended) = many_and_none();
    assert_eq!(items, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]);
    assert_eq!(sum, 1 + 13 + 13 + 13);
    assert!(ended);
}

/// The most Python-like line, `stream! { for await x in s { if x % 2 == 1 { yield x * x; } } }`,
/// and the other shapes of a lone statement in a one-line loop body (`match`, a nested `for`,
/// a nested `for await`, `while`, `loop`), and of the other braced bodies of a generator (`if`,
/// a block, `while` ending in a yield, a plain `for`, `match`): rustc's `unused_braces` fires on
/// a one-line block in tail position, so the lowering must not put the user's braces there
/// (issue 35).
#[test]
#[rustfmt::skip]
fn one_line_loop_bodies_with_a_lone_statement() {
    let odds = || futures::stream::iter(1..6u32);
    let squares = stream! { for await x in odds() { if x % 2 == 1 { yield x * x; } } };
    let matched = stream! { for await x in odds() { match x { 2 | 4 => {} _ => { yield x; } } } };
    let nested = stream! { for await x in odds() { for y in 0..x.min(2) { yield x * 10 + y; } } };
    let nested_await = stream! { for await x in odds() { for await y in futures::stream::iter(0..x.min(2)) { yield x * 10 + y; } } };
    let whiled = stream! { for await mut x in odds() { while x > 4 { yield x; x -= 1; } } };
    let looped = stream! { let mut left = 3; for await x in odds() { loop { if left == 0 { break; } left -= 1; yield x; } } };
    assert_eq!(collect(squares), [1, 9, 25]);
    assert_eq!(collect(matched), [1, 3, 5]);
    assert_eq!(collect(nested), [10, 20, 21, 30, 31, 40, 41, 50, 51]);
    assert_eq!(collect(nested_await), [10, 20, 21, 30, 31, 40, 41, 50, 51]);
    // And the lone statements of other braced bodies, on one line.
    let iffed = stream! { if odds().size_hint().0 == 5 { yield 1u32; } };
    let block = stream! { { yield 2u32; } };
    let tail = stream! { let mut n = 0u32; while n < 2 { n += 1; yield n } };
    let plain_for = iter! { for x in 0..4u32 { if x % 2 == 1 { yield x; } } };
    let matched_sync = iter! { match 3u32 { 0 => {} n => { yield n } } };
    assert_eq!(collect(iffed), [1]);
    assert_eq!(collect(block), [2]);
    assert_eq!(collect(tail), [1, 2]);
    assert_eq!(plain_for.collect::<Vec<_>>(), [1, 3]);
    assert_eq!(matched_sync.collect::<Vec<_>>(), [3]);
    assert_eq!(collect(whiled), [5]);
    assert_eq!(collect(looped), [1, 1, 1]);
}

/// Counts what it yields into `seen`, and says how many in its cleanup, which awaits:
/// `finally!` and the guard it nests the rest of the body in (issue 30), with a `return;`
/// and a local the cleanup uses.
#[async_gen]
pub async fn counted(items: u32, seen: Rc<Cell<u32>>, said: Rc<Cell<u32>>) -> u32 {
    let mut total = 0;
    finally! {
        std::future::ready(()).await;
        said.set(seen.get());
    }
    for item in 0..items {
        if item == 3 {
            return;
        }
        seen.set(seen.get() + 1);
        total += item;
        yield_!(total);
    }
}

#[test]
fn a_generator_with_a_cleanup() {
    let (seen, said) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    assert_eq!(collect(counted(5, seen.clone(), said.clone())), [0, 1, 3]);
    assert_eq!(said.get(), 3);
}
