//! The forms of `src/lib.rs`, compiled where `::core` is asyncgen, yield what they would
//! anywhere else.

use asyncgen_shadowed_core::*;
use futures::StreamExt;
use futures::executor::block_on;

fn collect<S: futures::Stream>(stream: S) -> Vec<S::Item> {
    block_on(stream.collect())
}

#[test]
fn attribute_forms() {
    assert_eq!(collect(numbers(3)), [0, 1, 2]);
    assert_eq!(squares(3).collect::<Vec<_>>(), [0, 1, 4]);
    assert_eq!(collect(delegated(2)), [0, 10, 0, 1, 0, 1]);
    assert_eq!(squares_twice(2).collect::<Vec<_>>(), [0, 1, 0, 1]);
    let parsed = collect(parsed(vec!["1", "x", "3"]));
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[0], Ok(1));
    assert!(parsed[1].is_err());
    let parsed: Vec<_> = parsed_now(vec!["1", "x", "3"]).collect();
    assert_eq!(parsed.len(), 2);
    assert!(parsed[1].is_err());
    assert_eq!(collect(sent((1, 2), 3)), [1, 2, 4]);
    assert_eq!(block_on(sum(4)), 6);
}

#[test]
fn boxed_forms() {
    assert_eq!(collect(Memory.items()), [0, 1, 0]);
    assert_eq!(collect(Memory.local_items()), [2]);
    assert_eq!(Memory.sync_items().collect::<Vec<_>>(), [3]);
}

#[test]
fn block_forms() {
    assert_eq!(collect(doubled(3)), [0, 2, 4, 0, 1]);
    assert_eq!(squares_block(3).collect::<Vec<_>>(), [0, 1, 4]);
    assert_eq!(collect(nothing()), Vec::<()>::new());
}

#[test]
fn helpers() {
    let mut merged = collect(merged());
    merged.sort_unstable();
    assert_eq!(merged, [0, 0, 1]);
    assert_eq!(collect(merged_many()), [0; 13]);
    let mut tried: Vec<u32> = collect(try_merged())
        .into_iter()
        .map(Result::unwrap)
        .collect();
    tried.sort_unstable();
    assert_eq!(tried, [1, 2]);
    assert_eq!(block_on(gathered()), (1, 3));
    assert_eq!(block_on(gathered_many()), 10);
    assert_eq!(block_on(try_gathered_many()), Ok(10));
}
