//! `yield_all!(source)`: Python's `yield from`. In `#[async_gen]` the source is a `Stream`
//! (also `!Unpin`, also another generator) or any `IntoIterator`; in `#[generator]` an
//! `IntoIterator` (also another generator). Every item, in order, then the body goes on.

use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use asyncgen::{async_gen, generator, yield_, yield_all};
use futures::StreamExt;
use futures::executor::block_on;
use support::{DropCounter, DropToken, assert_send, drain_ready, poll_once};

#[async_gen]
async fn numbers(first: u32, count: u32) -> u32 {
    for n in first..first + count {
        yield_!(n);
    }
}

#[async_gen]
async fn from_iterables() -> u32 {
    yield_all!(vec![1, 2]);
    yield_!(0);
    yield_all!(3..5);
    yield_all!([5, 6]);
    yield_all!((0..10).filter(|n| n % 4 == 0).map(|n| n + 100));
    let owned = [7, 8];
    yield_all!(owned.iter().copied());
    yield_all!(Vec::<u32>::new());
    yield_all!(std::iter::once(9));
}

/// In `#[async_gen]`: a `Vec`, a range, an array, iterator adapters and empty sources, in
/// order, with the body going on in between and after.
#[test]
fn async_gen_from_into_iterators() {
    assert_eq!(
        drain_ready(from_iterables()),
        [1, 2, 0, 3, 4, 5, 6, 100, 104, 108, 7, 8, 9]
    );
}

#[async_gen]
async fn from_streams() -> u32 {
    yield_all!(numbers(10, 2));
    yield_!(0);
    yield_all!(futures::stream::iter([20, 21]));
    let mut unpin = futures::stream::iter(30..35);
    yield_all!((&mut unpin).take(2));
    yield_!(1);
    yield_all!(&mut unpin);
    yield_all!(futures::stream::empty::<u32>());
    yield_all!(Box::pin(numbers(40, 1)));
}

/// In `#[async_gen]`: another generator's `!Unpin` stream, `futures` streams, `&mut` of an
/// `Unpin` stream (which keeps what was not taken), a boxed stream.
#[test]
fn async_gen_from_streams() {
    assert_eq!(
        drain_ready(from_streams()),
        [10, 11, 0, 20, 21, 30, 31, 1, 32, 33, 34, 40]
    );
}

#[async_gen]
async fn slow(count: u32) -> u32 {
    for n in 0..count {
        tokio::task::yield_now().await;
        yield_!(n);
    }
}

#[async_gen]
async fn delegates_to_slow() -> u32 {
    yield_!(100);
    yield_all!(slow(3));
    yield_!(200);
}

/// A source that is `Pending` between items is awaited, and items come out in order.
#[tokio::test]
async fn pending_stream_source_is_awaited() {
    assert_eq!(
        delegates_to_slow().collect::<Vec<_>>().await,
        [100, 0, 1, 2, 200]
    );
}

/// A source that returns `Pending` once before each item.
#[test]
fn pending_source_makes_the_generator_pending() {
    let mut stream = pin!(delegates_to_slow());
    let mut items = Vec::new();
    let mut pendings = 0;
    loop {
        match poll_once(stream.as_mut()) {
            Poll::Ready(Some(item)) => items.push(item),
            Poll::Ready(None) => break,
            Poll::Pending => pendings += 1,
        }
    }
    assert_eq!(items, [100, 0, 1, 2, 200]);
    assert_eq!(pendings, 3);
}

#[async_gen(boxed)]
async fn tree(depth: u32, label: String) -> String {
    yield_!(label.clone());
    if depth > 0 {
        for child in ["a", "b"] {
            yield_all!(tree(depth - 1, format!("{label}/{child}")));
        }
    }
}

/// Recursion through `yield_all!` of a boxed generator.
#[test]
fn recursive_delegation() {
    assert_eq!(
        drain_ready(tree(2, "r".into())),
        ["r", "r/a", "r/a/a", "r/a/b", "r/b", "r/b/a", "r/b/b"]
    );
}

#[async_gen]
async fn source_dropped(counter: DropCounter) -> usize {
    #[async_gen]
    async fn holds(_guard: DropToken) -> usize {
        yield_!(100);
        yield_!(101);
    }
    yield_all!(holds(counter.token()));
    yield_!(counter.drops());
    let guard = counter.token();
    yield_all!(std::iter::once(0).inspect(move |_| {
        let _held = &guard;
    }));
    yield_!(counter.drops());
}

/// The source is dropped as soon as it ends, before the next statement runs.
#[test]
fn the_source_is_dropped_once_it_ends() {
    let counter = DropCounter::default();
    assert_eq!(
        drain_ready(source_dropped(counter.clone())),
        [100, 101, 1, 0, 2]
    );
    assert_eq!(counter.drops(), 2);
}

#[async_gen]
async fn endless(_guard: DropToken) -> u32 {
    for n in 0.. {
        yield_!(n);
    }
}

#[async_gen]
async fn delegates_forever(counter: DropCounter) -> u32 {
    yield_all!(endless(counter.token()));
}

/// Dropping the outer generator mid-delegation drops the source exactly once.
#[test]
fn dropping_mid_delegation_drops_the_source_once() {
    let counter = DropCounter::default();
    let mut stream = Box::pin(delegates_forever(counter.clone()));
    let first: Vec<u32> = block_on(stream.as_mut().take(3).collect());
    assert_eq!(first, [0, 1, 2]);
    assert_eq!(counter.drops(), 0);
    drop(stream);
    assert_eq!(counter.drops(), 1);
}

/// Both a `Stream` and an `IntoIterator`: `yield_all!` must pick the stream side.
struct Both;

impl futures::Stream for Both {
    type Item = &'static str;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(None)
    }
}

impl IntoIterator for Both {
    type Item = &'static str;
    type IntoIter = std::array::IntoIter<&'static str, 1>;
    fn into_iter(self) -> Self::IntoIter {
        ["from the iterator"].into_iter()
    }
}

/// A type that is both a `Stream` and an `IntoIterator` is delegated to as a `Stream`
/// (empty here), as documented.
#[test]
fn stream_wins_over_into_iterator() {
    #[async_gen]
    async fn both() -> &'static str {
        yield_all!(Both);
        yield_!("after");
    }
    assert_eq!(drain_ready(both()), ["after"]);
    // In a sync generator the same value is an iterator.
    #[generator]
    fn both_sync() -> &'static str {
        yield_all!(Both);
    }
    assert_eq!(both_sync().collect::<Vec<_>>(), ["from the iterator"]);
}

#[generator]
fn sync_numbers(first: u32, count: u32) -> u32 {
    for n in first..first + count {
        yield_!(n);
    }
}

#[generator]
fn sync_delegation() -> u32 {
    yield_all!(Vec::from([1, 2]));
    yield_!(0);
    yield_all!(3..5);
    yield_all!([5]);
    yield_all!(sync_numbers(10, 3));
    yield_all!(sync_numbers(20, 2).map(|n| n * 2));
    yield_all!(Vec::new());
    yield_!(99);
}

/// In `#[generator]`: `Vec`, range, array, another `#[generator]`, adapters, empty.
#[test]
fn generator_from_into_iterators_and_generators() {
    assert_eq!(
        sync_delegation().collect::<Vec<_>>(),
        [1, 2, 0, 3, 4, 5, 10, 11, 12, 40, 42, 99]
    );
}

#[generator]
fn sync_tree(depth: u32) -> u32 {
    yield_!(depth);
    if depth > 0 {
        yield_all!(sync_tree(depth - 1));
        yield_all!(sync_tree(depth - 1));
    }
}

/// Recursion through `yield_all!` in `#[generator]` (its state is boxed already).
#[test]
fn generator_recursive_delegation() {
    assert_eq!(sync_tree(2).collect::<Vec<_>>(), [2, 1, 0, 0, 1, 0, 0]);
}

#[generator]
fn sync_source_dropped(counter: DropCounter) -> usize {
    #[generator]
    fn holds(_guard: DropToken) -> usize {
        yield_!(7);
    }
    yield_all!(holds(counter.token()));
    yield_!(counter.drops());
}

/// In `#[generator]` too, the source is dropped once it ends.
#[test]
fn generator_source_is_dropped_once_it_ends() {
    let counter = DropCounter::default();
    assert_eq!(
        sync_source_dropped(counter.clone()).collect::<Vec<_>>(),
        [7, 1]
    );
}

#[async_gen]
async fn delegates_send(labels: Vec<String>) -> String {
    yield_all!(slow(2).map(|n| n.to_string()));
    yield_all!(labels);
    yield_all!(futures::stream::iter(vec![String::from("end")]));
}

/// With `Send` sources the generator is `Send` and runs on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_when_the_source_is_send() {
    let stream = assert_send(delegates_send(vec!["a".into(), "b".into()]));
    let items = tokio::spawn(stream.collect::<Vec<_>>()).await.unwrap();
    assert_eq!(items, ["0", "1", "a", "b", "end"]);
}

macro_rules! passthrough {
    ($($tokens:tt)*) => {
        $($tokens)*
    };
}

#[async_gen]
async fn inside_other_macros(mut receiver: tokio::sync::mpsc::Receiver<u32>) -> u32 {
    passthrough! {
        let start = 1;
        yield_all!(start..3);
    }
    tokio::select! {
        Some(n) = receiver.recv() => {
            yield_all!(numbers(n, 2));
        }
    }
    yield_!(0);
}

/// `yield_all!` inside a user macro's statements and a `tokio::select!` arm.
#[tokio::test]
async fn inside_a_user_macro_and_tokio_select() {
    let (sender, receiver) = tokio::sync::mpsc::channel(1);
    sender.send(50).await.unwrap();
    assert_eq!(
        inside_other_macros(receiver).collect::<Vec<_>>().await,
        [1, 2, 50, 51, 0]
    );
}

#[async_gen]
async fn borrowed_slice<'a>(items: &'a [String]) -> &'a String {
    yield_all!(items);
    yield_all!(items.iter().rev());
}

/// Sources borrowing the generator's arguments (`&[T]` and a reversed iterator over it).
#[test]
fn borrowed_sources() {
    let items = vec![String::from("x"), String::from("y")];
    assert_eq!(drain_ready(borrowed_slice(&items)), ["x", "y", "y", "x"]);
}

#[async_gen]
async fn from_a_temporary_string() -> char {
    // The `String` is a temporary of the source expression: it lives as long as the delegation.
    yield_all!(String::from("ab").chars());
}

/// As with `for`, temporaries in the source expression live until the delegation ends.
#[test]
fn temporaries_of_the_source_live_through_the_delegation() {
    assert_eq!(
        block_on(from_a_temporary_string().collect::<Vec<_>>()),
        ['a', 'b']
    );
}
