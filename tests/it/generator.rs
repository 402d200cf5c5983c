//! `#[generator]`: sync generators that become iterators.

use std::iter::FusedIterator;

use asyncgen::{async_gen, generator, yield_};
use support::{DropCounter, DropToken};

#[generator]
fn odds(start: u32, stop: u32) -> u32 {
    for odd in (start..=stop).filter(|n| n % 2 == 1) {
        yield_!(odd);
    }
}

#[test]
fn yields_odd_numbers_inclusive() {
    assert_eq!(odds(3, 15).collect::<Vec<_>>(), [3, 5, 7, 9, 11, 13, 15]);
    assert_eq!(odds(4, 4).count(), 0);
}

#[generator]
fn tree_walk(depth: u32, label: String) -> String {
    yield_!(label.clone());
    if depth > 0 {
        for child in ["a", "b"] {
            for nested in tree_walk(depth - 1, format!("{label}/{child}")) {
                yield_!(nested);
            }
        }
    }
}

#[test]
fn recursion_through_nested_generators() {
    let paths: Vec<String> = tree_walk(2, "r".into()).collect();
    assert_eq!(
        paths,
        ["r", "r/a", "r/a/a", "r/a/b", "r/b", "r/b/a", "r/b/b"]
    );
}

fn assert_fused<I: FusedIterator>(iter: I) -> I {
    iter
}

#[test]
fn iterators_are_fused() {
    let mut iter = assert_fused(odds(1, 1));
    assert_eq!(iter.next(), Some(1));
    assert_eq!(iter.next(), None);
    assert_eq!(iter.next(), None);
}

#[generator]
fn with_locals(counter: DropCounter) -> DropToken {
    let _local = counter.token();
    for _ in 0..3 {
        yield_!(counter.token());
    }
}

#[test]
fn dropping_mid_way_runs_each_destructor_once() {
    let counter = DropCounter::default();
    let mut iter = with_locals(counter.clone());
    let first = iter.next();
    assert!(first.is_some());
    drop(first);
    assert_eq!(counter.drops(), 1);
    drop(iter);
    assert_eq!(counter.drops(), 2, "the body's local, once");
}

#[test]
fn a_panic_reaches_the_caller_then_the_iterator_ends() {
    #[generator]
    fn panics_second() -> u8 {
        yield_!(1);
        panic!("second item failed");
    }
    let mut iter = panics_second();
    assert_eq!(iter.next(), Some(1));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| iter.next()));
    assert!(caught.is_err());
    assert_eq!(iter.next(), None);
}

#[generator]
fn early_return(items: &[i32]) -> i32 {
    for &item in items {
        if item < 0 {
            return;
        }
        yield_!(item * 10);
    }
}

#[test]
fn return_ends_and_borrowed_arguments_are_captured() {
    let items = vec![1, 2, -1, 3];
    assert_eq!(early_return(&items).collect::<Vec<_>>(), [10, 20]);
}

#[async_gen]
async fn square_odds(start: u32, stop: u32) -> u32 {
    for odd in odds(start, stop) {
        yield_!(odd * odd);
    }
}

#[test]
fn async_generators_consume_sync_generators() {
    let squares: Vec<u32> =
        futures::executor::block_on(futures::StreamExt::collect(square_odds(11, 17)));
    assert_eq!(squares, [121, 169, 225, 289]);
}

#[test]
fn iterator_is_lazy_and_can_move_between_next_calls() {
    let mut iter = odds(1, 7);
    assert_eq!(iter.next(), Some(1));
    let mut moved = Box::new(iter);
    assert_eq!(moved.next(), Some(3));
    let mut back = *moved;
    assert_eq!(back.by_ref().collect::<Vec<_>>(), [5, 7]);
}
