//! `#[async_gen]` and `#[generator]` on methods and on fns with richer signatures: every kind
//! of receiver, elided and named lifetimes, generics, `impl Trait` and `const` parameters,
//! visibility, `unsafe`, and the attributes the generated fn keeps.

use std::fmt::Display;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicUsize, Ordering};

use asyncgen::{async_gen, generator, yield_, yield_all};
use futures::StreamExt;
use futures::executor::block_on;
use support::{DropCounter, DropToken, collect, poll_once};

struct Bag {
    values: Vec<u32>,
    drains: u32,
}

impl Bag {
    fn new(values: &[u32]) -> Self {
        Bag {
            values: values.to_vec(),
            drains: 0,
        }
    }

    #[async_gen]
    async fn each(&self) -> &u32 {
        for value in &self.values {
            yield_!(value);
        }
    }

    #[generator]
    fn each_sync(&self) -> &u32 {
        for value in &self.values {
            yield_!(value);
        }
    }

    #[async_gen]
    async fn drain(&mut self) -> u32 {
        self.drains += 1;
        while let Some(value) = self.values.pop() {
            yield_!(value);
        }
    }

    #[generator]
    fn drain_sync(&mut self) -> u32 {
        self.drains += 1;
        while let Some(value) = self.values.pop() {
            yield_!(value);
        }
    }

    #[async_gen]
    async fn into_values(self) -> u32 {
        yield_all!(self.values);
    }

    #[generator]
    fn into_values_sync(self) -> u32 {
        for value in self.values {
            yield_!(value * 10);
        }
    }

    #[async_gen]
    async fn countdown(mut self) -> u32 {
        while let Some(value) = self.values.pop() {
            self.drains += 1;
            yield_!(value + self.drains);
        }
    }
}

/// `&self` async method: the stream borrows `self`, which is usable (and mutable) again once
/// the stream is dropped, even half-consumed.
#[test]
fn async_method_on_shared_self() {
    let mut bag = Bag::new(&[1, 2, 3]);
    assert_eq!(collect(bag.each().map(|value| *value)), [1, 2, 3]);
    {
        let mut stream = pin!(bag.each());
        assert_eq!(block_on(stream.next()), Some(&1));
    }
    bag.values.push(4);
    assert_eq!(collect(bag.each().map(|value| *value)), [1, 2, 3, 4]);
}

/// `&self` sync method: two iterators over the same value at once.
#[test]
fn generator_method_on_shared_self() {
    let bag = Bag::new(&[5, 6]);
    let pairs: Vec<(u32, u32)> = bag
        .each_sync()
        .flat_map(|a| bag.each_sync().map(move |b| (*a, *b)))
        .collect();
    assert_eq!(pairs, [(5, 5), (5, 6), (6, 5), (6, 6)]);
}

/// `&mut self` async method: its mutations are visible once the stream is done or dropped.
#[test]
fn async_method_on_mut_self() {
    let mut bag = Bag::new(&[1, 2, 3]);
    assert_eq!(collect(bag.drain().take(2)), [3, 2]);
    assert_eq!((bag.values.as_slice(), bag.drains), (&[1][..], 1));
    assert_eq!(collect(bag.drain()), [1]);
    assert_eq!((bag.values.len(), bag.drains), (0, 2));
}

/// `&mut self` sync method: lazy, so an unfinished iterator leaves the rest in place.
#[test]
fn generator_method_on_mut_self() {
    let mut bag = Bag::new(&[1, 2, 3]);
    let mut iter = bag.drain_sync();
    assert_eq!(iter.next(), Some(3));
    drop(iter);
    assert_eq!((bag.values.as_slice(), bag.drains), (&[1, 2][..], 1));
    assert_eq!(bag.drain_sync().collect::<Vec<_>>(), [2, 1]);
    assert_eq!((bag.values.len(), bag.drains), (0, 2));
}

/// By-value `self` and `mut self`, async and sync: the generator owns the value.
#[test]
fn methods_on_self_by_value() {
    let stream = Bag::new(&[1, 2]).into_values();
    assert_eq!(collect(stream), [1, 2]);
    let iter = Bag::new(&[3, 4]).into_values_sync();
    assert_eq!(iter.collect::<Vec<_>>(), [30, 40]);
    assert_eq!(collect(Bag::new(&[10, 20]).countdown()), [21, 12]);
}

struct Guarded {
    token: DropToken,
    values: Vec<u32>,
}

impl Guarded {
    #[async_gen]
    async fn run(self) -> u32 {
        for value in &self.values {
            yield_!(*value);
        }
    }

    #[generator]
    fn never_names_self(self) -> u32 {
        yield_!(7);
    }
}

/// A by-value `self` lives as long as the generator, not just until the call returns, even
/// when the body never names it.
#[test]
fn self_by_value_lives_as_long_as_the_generator() {
    let counter = DropCounter::default();
    let guarded = Guarded {
        token: counter.token(),
        values: vec![1, 2],
    };
    let mut stream = Box::pin(guarded.run());
    assert_eq!(counter.drops(), 0);
    assert_eq!(poll_once(stream.as_mut()), std::task::Poll::Ready(Some(1)));
    assert_eq!(counter.drops(), 0);
    drop(stream);
    assert_eq!(counter.drops(), 1);

    let guarded = Guarded {
        token: counter.token(),
        values: Vec::new(),
    };
    let _ = &guarded.token;
    let mut iter = guarded.never_names_self();
    assert_eq!(iter.next(), Some(7));
    assert_eq!(counter.drops(), 1);
    drop(iter);
    assert_eq!(counter.drops(), 2);
}

struct Ticker {
    next: u32,
    end: u32,
}

impl Ticker {
    #[async_gen]
    async fn ticks(self: Pin<&mut Self>) -> u32 {
        let this = self.get_mut();
        while this.next < this.end {
            yield_!(this.next);
            this.next += 1;
        }
    }

    #[generator]
    fn ticks_sync(self: Pin<&mut Self>) -> u32 {
        let this = self.get_mut();
        while this.next < this.end {
            yield_!(this.next);
            this.next += 2;
        }
    }
}

/// `self: Pin<&mut Self>`, async and sync: yields through the pinned receiver and mutates it.
#[test]
fn methods_on_pinned_mut_self() {
    let mut ticker = Box::pin(Ticker { next: 1, end: 4 });
    assert_eq!(collect(ticker.as_mut().ticks()), [1, 2, 3]);
    assert_eq!(ticker.next, 4);
    ticker.end = 9;
    assert_eq!(ticker.as_mut().ticks_sync().collect::<Vec<_>>(), [4, 6, 8]);
    assert_eq!(ticker.next, 10);
}

#[async_gen]
async fn words(text: &str) -> &str {
    for word in text.split_whitespace() {
        yield_!(word);
    }
}

struct Window<'a> {
    values: &'a [u32],
}

#[generator]
fn window_sums(window: Window<'_>, offset: &u32) -> u32 {
    for value in window.values {
        yield_!(value + offset);
    }
}

impl Window<'_> {
    #[async_gen]
    async fn doubled(&self) -> u32 {
        for value in self.values {
            yield_!(value * 2);
        }
    }

    #[generator]
    fn firsts(&self, count: &usize) -> &u32 {
        yield_all!(self.values.iter().take(*count));
    }
}

/// Elided lifetimes in arguments (`&str`, `Window<'_>`), in the item type, and in the `Self`
/// type of the impl.
#[test]
fn elided_lifetimes_in_arguments_and_self_type() {
    let text = String::from("to be  or not");
    assert_eq!(collect(words(&text)), ["to", "be", "or", "not"]);
    let values = vec![1, 2, 3];
    let offset = 10;
    assert_eq!(
        window_sums(Window { values: &values }, &offset).collect::<Vec<_>>(),
        [11, 12, 13]
    );
    let window = Window { values: &values };
    assert_eq!(collect(window.doubled()), [2, 4, 6]);
    assert_eq!(window.firsts(&2).collect::<Vec<_>>(), [&1, &2]);
}

struct Holder<'a> {
    text: &'a str,
}

impl<'a> Holder<'a> {
    #[generator]
    fn words(&self) -> &'a str {
        for word in self.text.split(',') {
            yield_!(word);
        }
    }

    #[async_gen]
    async fn words_async(&self) -> &'a str {
        yield_all!(self.text.split(','));
    }
}

/// `impl<'a> Holder<'a>` yielding `&'a str`: the items outlive the `&self` borrow and the
/// holder itself.
#[test]
fn named_impl_lifetime_in_item_type() {
    let text = String::from("a,bc,d");
    let (sync, async_) = {
        let holder = Holder { text: &text };
        let sync: Vec<&str> = holder.words().collect();
        let async_: Vec<&str> = collect(holder.words_async());
        (sync, async_)
    };
    assert_eq!(sync, ["a", "bc", "d"]);
    assert_eq!(async_, ["a", "bc", "d"]);
}

#[async_gen]
async fn labeled<T, L>(items: Vec<T>, label: L) -> String
where
    T: Display,
    L: AsRef<str>,
{
    for item in items {
        yield_!(format!("{}={item}", label.as_ref()));
    }
}

struct Repeater<T> {
    item: T,
}

impl<T: Clone> Repeater<T> {
    #[generator]
    fn repeat(&self, times: usize) -> T {
        for _ in 0..times {
            yield_!(self.item.clone());
        }
    }

    #[async_gen]
    async fn zip_with<U>(&self, others: Vec<U>) -> (T, U)
    where
        U: Copy + PartialOrd<u32>,
    {
        for other in others {
            if other < 10 {
                yield_!((self.item.clone(), other));
            }
        }
    }
}

/// Generics with bounds and `where` clauses, on a free fn and on the methods of a generic
/// impl (including a method with its own type parameter).
#[test]
fn generics_with_bounds_and_where_clauses() {
    assert_eq!(collect(labeled(vec![1.5, 2.0], "x")), ["x=1.5", "x=2"]);
    assert_eq!(collect(labeled(vec!['a'], String::from("c"))), ["c=a"]);
    let repeater = Repeater { item: "hi" };
    assert_eq!(repeater.repeat(3).collect::<Vec<_>>(), ["hi", "hi", "hi"]);
    assert_eq!(
        collect(repeater.zip_with(vec![1_u32, 20, 3])),
        [("hi", 1), ("hi", 3)]
    );
}

#[async_gen]
async fn running_sums(values: impl IntoIterator<Item = u32>) -> u32 {
    let mut sum = 0;
    for value in values {
        sum += value;
        yield_!(sum);
    }
}

#[generator]
fn keep(values: &[u32], predicate: impl Fn(u32) -> bool) -> u32 {
    for &value in values {
        if predicate(value) {
            yield_!(value);
        }
    }
}

impl Bag {
    #[generator]
    fn merged(&self, others: impl IntoIterator<Item = u32>) -> u32 {
        yield_all!(self.values.iter().copied());
        yield_all!(others);
    }
}

/// `impl Trait` in argument position: `impl IntoIterator`, `impl Fn`, and on a method.
#[test]
fn impl_trait_arguments() {
    assert_eq!(collect(running_sums(vec![1, 2, 3])), [1, 3, 6]);
    assert_eq!(collect(running_sums(1..=4)), [1, 3, 6, 10]);
    let limit = 2;
    assert_eq!(
        keep(&[1, 2, 3, 4], |v| v > limit).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(Bag::new(&[1]).merged([2, 3]).collect::<Vec<_>>(), [1, 2, 3]);
}

#[generator]
fn chunks<const N: usize>(values: &[u32]) -> [u32; N] {
    for chunk in values.chunks_exact(N) {
        yield_!(chunk.try_into().unwrap());
    }
}

struct Grid<const W: usize> {
    cells: Vec<u8>,
}

impl<const W: usize> Grid<W> {
    #[async_gen]
    async fn rows(&self) -> [u8; W] {
        for row in self.cells.chunks_exact(W) {
            yield_!(row.try_into().unwrap());
        }
    }
}

/// `const` generics: on a free fn (called with a turbofish) and on the impl of a method.
#[test]
fn const_generics() {
    assert_eq!(
        chunks::<2>(&[1, 2, 3, 4, 5]).collect::<Vec<_>>(),
        [[1, 2], [3, 4]]
    );
    let triples: Vec<[u32; 3]> = chunks(&[1, 2, 3]).collect();
    assert_eq!(triples, [[1, 2, 3]]);
    let grid = Grid::<2> {
        cells: vec![1, 2, 3, 4],
    };
    assert_eq!(collect(grid.rows()), [[1, 2], [3, 4]]);
}

mod private {
    use asyncgen::{async_gen, generator, yield_};

    pub(crate) struct Store {
        pub(crate) values: Vec<u32>,
    }

    impl Store {
        #[async_gen]
        pub(crate) async fn evens(&self) -> u32 {
            for value in &self.values {
                if value % 2 == 0 {
                    yield_!(*value);
                }
            }
        }
    }

    #[generator]
    pub(crate) fn countdown(from: u32) -> u32 {
        for value in (0..=from).rev() {
            yield_!(value);
        }
    }
}

/// `pub(crate)` is kept: the method and the fn are callable from outside their module.
#[test]
fn pub_crate_visibility_is_kept() {
    let store = private::Store {
        values: vec![1, 2, 3, 4],
    };
    assert_eq!(collect(store.evens()), [2, 4]);
    assert_eq!(private::countdown(2).collect::<Vec<_>>(), [2, 1, 0]);
}

/// # Safety
/// `values` must point to `len` readable `u32`s that outlive the iterator.
#[generator]
unsafe fn read_raw(values: *const u32, len: usize) -> u32 {
    for index in 0..len {
        // SAFETY: the caller promised `len` readable values that outlive the iterator.
        yield_!(unsafe { *values.add(index) });
    }
}

impl Bag {
    /// # Safety
    /// `index` must be in bounds.
    #[async_gen]
    async unsafe fn unchecked_at(&self, index: usize) -> u32 {
        // SAFETY: the caller promised `index` is in bounds.
        yield_!(unsafe { *self.values.get_unchecked(index) });
    }
}

/// `unsafe fn` generators (free fn and method) are still `unsafe` to call.
#[test]
fn unsafe_fn_generators() {
    let values = [4_u32, 5, 6];
    // SAFETY: `values` holds 3 `u32`s and outlives the iterator.
    let iter = unsafe { read_raw(values.as_ptr(), 3) };
    assert_eq!(iter.collect::<Vec<_>>(), [4, 5, 6]);
    let bag = Bag::new(&[7, 8]);
    // SAFETY: index 1 is in bounds.
    let stream = unsafe { bag.unchecked_at(1) };
    assert_eq!(collect(stream), [8]);
}

/// Yields one, two, three.
#[async_gen]
#[must_use = "a stream does nothing unless polled"]
#[inline]
async fn decorated() -> u32 {
    yield_!(1);
    yield_!(2);
    yield_!(3);
}

/// The compiled-in definition.
#[generator]
fn configured() -> &'static str {
    yield_!("kept");
}

#[generator]
#[cfg(any())]
fn configured() -> &'static str {
    yield_!("compiled out");
}

#[generator]
#[deprecated = "use `configured`"]
fn old_numbers() -> u32 {
    yield_!(1);
}

// Without its `allow` kept on the generated fn, `cargo clippy -- -D warnings` fails here.
#[generator]
#[allow(clippy::needless_range_loop)]
fn indexed(values: &[u32]) -> u32 {
    for index in 0..values.len() {
        yield_!(values[index]);
    }
}

impl Bag {
    /// Documented method.
    #[async_gen]
    #[must_use]
    #[inline(always)]
    #[allow(unused_variables)]
    async fn first(&self) -> u32 {
        let unused = 0;
        if let Some(value) = self.values.first() {
            yield_!(*value);
        }
    }

    #[generator]
    #[deprecated]
    fn legacy(&self) -> u32 {
        yield_all!(self.values.iter().copied());
    }
}

/// Doc comments, `#[must_use]`, `#[inline]`, `#[cfg]`, `#[deprecated]` and `#[allow]` are kept
/// on the generated fn (a dropped `#[cfg(any())]` would be a duplicate definition, a dropped
/// `#[deprecated]` an unfulfilled `#[expect(deprecated)]`).
#[test]
#[expect(deprecated)]
fn attributes_are_kept() {
    assert_eq!(collect(decorated()), [1, 2, 3]);
    assert_eq!(configured().collect::<Vec<_>>(), ["kept"]);
    assert_eq!(indexed(&[3, 1]).collect::<Vec<_>>(), [3, 1]);
    let bag = Bag::new(&[9, 8]);
    assert_eq!(collect(bag.first()), [9]);
    assert_eq!(old_numbers().collect::<Vec<_>>(), [1]);
    assert_eq!(bag.legacy().collect::<Vec<_>>(), [9, 8]);
}

/// Public items whose docs `missing_docs` checks: a doc comment dropped by the macro would
/// fail the build.
#[deny(missing_docs)]
pub mod documented {
    use asyncgen::{async_gen, generator, yield_};

    /// A documented type.
    #[derive(Debug)]
    pub struct Doc(pub u32);

    impl Doc {
        /// Yields the value, then its double.
        #[async_gen]
        pub async fn twice(&self) -> u32 {
            yield_!(self.0);
            yield_!(self.0 * 2);
        }
    }

    /// Yields `0..n`.
    #[generator]
    pub fn upto(n: u32) -> u32 {
        for value in 0..n {
            yield_!(value);
        }
    }
}

/// Doc comments are kept on public generated fns and methods (`missing_docs` is denied).
#[test]
fn doc_comments_are_kept() {
    assert_eq!(collect(documented::Doc(4).twice()), [4, 8]);
    assert_eq!(documented::upto(3).collect::<Vec<_>>(), [0, 1, 2]);
}

/// `#[deprecated]` with `#[allow(deprecated)]` at the use site.
#[test]
fn deprecated_allowed_at_use_site() {
    #[allow(deprecated)]
    let numbers: Vec<u32> = old_numbers().collect();
    assert_eq!(numbers, [1]);
}

struct Client {
    pages: Vec<Vec<u32>>,
    fetches: AtomicUsize,
}

impl Client {
    async fn fetch_page(&self, page: usize) -> Vec<u32> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        self.pages.get(page).cloned().unwrap_or_default()
    }

    #[async_gen]
    async fn all_items(&self) -> u32 {
        let mut page = 0;
        loop {
            let items = self.fetch_page(page).await;
            if items.is_empty() {
                break;
            }
            for item in items {
                yield_!(item);
            }
            page += 1;
        }
    }
}

/// A paginated API: `all_items` fetches pages on demand until an empty page.
#[tokio::test]
async fn paginated_client() {
    let client = Client {
        pages: vec![vec![1, 2], vec![3], vec![], vec![99]],
        fetches: AtomicUsize::new(0),
    };
    let first: Vec<u32> = client.all_items().take(3).collect().await;
    assert_eq!(first, [1, 2, 3]);
    assert_eq!(client.fetches.load(Ordering::SeqCst), 2);
    let all: Vec<u32> = client.all_items().collect().await;
    assert_eq!(all, [1, 2, 3]);
    assert_eq!(client.fetches.load(Ordering::SeqCst), 2 + 3);
}

/// Boxed methods with several input lifetimes get named lifetimes; the item type's elided
/// lifetime must get the same name as `&self`'s (or the only input's), or rustc warns
/// (`mismatched_lifetime_syntaxes`, denied here) about a name the user never wrote.
#[deny(mismatched_lifetime_syntaxes)]
mod elided_item_lifetimes {
    use asyncgen::{async_gen, yield_};

    pub struct Keyed(pub u32);

    impl Keyed {
        #[async_gen(boxed)]
        pub async fn first(&self, _key: &str) -> &u32 {
            yield_!(&self.0);
        }

        #[async_gen(boxed)]
        pub async fn with_generic<'a, T: Sync>(&self, _other: &'a T) -> &u32 {
            yield_!(&self.0);
        }
    }

    #[async_gen(boxed)]
    pub async fn only_input<T: Sync>(value: &T) -> &T {
        yield_!(value);
    }
}

#[test]
fn elided_item_lifetimes_in_boxed_methods() {
    use elided_item_lifetimes::{Keyed, only_input};
    let keyed = Keyed(4);
    assert_eq!(collect(keyed.first("key")), [&4]);
    assert_eq!(collect(keyed.with_generic(&1.5)), [&4]);
    assert_eq!(collect(only_input(&5)), [&5]);
}
