//! `stream!` and `iter!` blocks that yield nothing, with no `-> Item`: their item type is `()`,
//! as async-stream's `stream!` gives (issue #29, item 4), where nothing else would decide it.

use std::cell::Cell;
use std::pin::pin;

use asyncgen::{iter, stream};
use futures::StreamExt;
use futures::executor::block_on;

// async-stream's `tests/stream.rs`, `noop_stream` and `empty_stream`, but for `pin!`, and an
// `assert_eq!` for the `while` loop clippy's `never_loop` denies.
#[tokio::test]
async fn noop_stream() {
    let s = stream! {};
    let mut s = pin!(s);
    assert_eq!(s.next().await, None);
}

#[tokio::test]
async fn empty_stream() {
    let mut ran = false;
    {
        let r = &mut ran;
        let s = stream! {
            *r = true;
            println!("hello world!");
        };
        let mut s = pin!(s);
        assert_eq!(s.next().await, None);
    }
    assert!(ran);
}

#[test]
fn an_empty_block_is_of_unit_items() {
    // `count` does not name the item type: only the block's default does.
    assert_eq!(block_on(stream! {}.count()), 0);
    assert_eq!(iter! {}.count(), 0);
    let items: Vec<()> = iter! {}.collect();
    assert!(items.is_empty());
}

#[test]
fn a_block_that_only_awaits_or_loops_is_of_unit_items() {
    let polled = &Cell::new(0);
    let awaits = stream! {
        async {}.await;
        for await () in stream! {} {
            unreachable!();
        }
        polled.set(polled.get() + 1);
    };
    assert_eq!(block_on(awaits.count()), 0);
    let loops = iter! {
        for _ in 0..3 {
            polled.set(polled.get() + 1);
        }
    };
    assert_eq!(loops.count(), 0);
    assert_eq!(polled.get(), 4);
}

#[test]
fn a_block_that_yields_still_infers_its_items() {
    let texts = stream! {
        yield "a";
    };
    assert_eq!(block_on(texts.collect::<Vec<_>>()), ["a"]);
    let parsed = iter! {
        let number: u8 = "7".parse()?;
        yield Ok(number);
    };
    let parsed: Vec<Result<u8, std::num::ParseIntError>> = parsed.collect();
    assert_eq!(parsed, [Ok(7)]);
    // `-> Item` written first still decides.
    let typed = stream!(-> u16 {});
    assert!(block_on(typed.collect::<Vec<u16>>()).is_empty());
}
