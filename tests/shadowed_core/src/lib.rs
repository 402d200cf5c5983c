//! Every form of asyncgen's macros where `::core` is asyncgen itself and `asyncgen` at the
//! root is an empty module: only `::asyncgen::..` reaches asyncgen, and nothing reaches `core`
//! by that name. (The issue: #29, item 2.) `tests/shadowed_core.rs` runs each form.

// See https://github.com/rust-lang/pin-utils/pull/26#discussion_r344491597: at the root, an
// `extern crate .. as core` takes `::core` for the whole crate.
#[allow(unused_extern_crates)]
extern crate asyncgen as core;

// Dummy module: the expansions must name the crate as `::asyncgen`.
#[allow(dead_code)]
mod asyncgen {}

use ::asyncgen::{
    FusedStream, Stream, async_gen, for_await, gather, generator, iter, merge, stream, try_gather,
    try_merge, yield_, yield_all,
};

#[async_gen]
pub async fn numbers(count: u32) -> u32 {
    for number in 0..count {
        yield_!(number);
    }
}

#[generator]
pub fn squares(count: u32) -> u32 {
    for number in 0..count {
        yield_!(number * number);
    }
}

/// `#[for_await]` loops, `yield_all!` of a stream and of an iterator, in an async generator.
#[async_gen]
pub async fn delegated(count: u32) -> u32 {
    #[for_await]
    for number in numbers(count) {
        yield_!(number * 10);
    }
    yield_all!(numbers(count));
    yield_all!(squares(count));
}

/// `yield_all!` in a sync generator.
#[generator]
pub fn squares_twice(count: u32) -> u32 {
    yield_all!(squares(count));
    yield_all!(squares(count));
}

/// `?` in both kinds.
#[async_gen]
pub async fn parsed(texts: Vec<&'static str>) -> Result<u32, ::std::num::ParseIntError> {
    for text in texts {
        yield_!(Ok(text.parse::<u32>()?));
    }
}

#[generator]
pub fn parsed_now(texts: Vec<&'static str>) -> Result<u32, ::std::num::ParseIntError> {
    for text in texts {
        yield_!(Ok(text.parse::<u32>()?));
    }
}

/// `send`, and argument patterns.
#[async_gen(send)]
pub async fn sent((first, second): (u32, u32), ref mut third: u32) -> u32 {
    *third += 1;
    yield_!(first);
    yield_!(second);
    yield_!(*third);
}

/// `#[for_await]` on an item of its own.
#[for_await]
pub async fn sum(count: u32) -> u32 {
    let mut total = 0;
    #[for_await]
    for number in numbers(count) {
        total += number;
    }
    total
}

/// The boxed forms, in a trait (default bodies too) and its impl.
pub trait Source: Sync {
    #[async_gen(boxed)]
    async fn items(&self) -> u32;

    #[async_gen(boxed_local)]
    async fn local_items(&self) -> u32 {
        yield_!(2);
    }

    #[generator(boxed)]
    fn sync_items(&self) -> u32 {
        yield_!(3);
    }
}

#[derive(Debug)]
pub struct Memory;

impl Source for Memory {
    #[async_gen(boxed)]
    async fn items(&self) -> u32 {
        #[for_await]
        for number in numbers(2) {
            yield_!(number);
        }
        yield_all!(numbers(1));
    }
}

/// The block forms, with the literal syntax, and `stream! {}` with no yield.
pub fn doubled(count: u32) -> impl FusedStream<Item = u32> {
    stream! {
        for await number in numbers(count) {
            yield number * 2;
        }
        yield_all!(squares(2));
    }
}

pub fn squares_block(count: u32) -> impl Iterator<Item = u32> {
    iter! {
        for number in 0..count {
            yield number * number;
        }
    }
}

pub fn nothing() -> impl Stream<Item = ()> {
    stream! {}
}

/// `merge!` and `try_merge!`, with few streams and past 12 (the macros' own tuple).
pub fn merged() -> impl Stream<Item = u32> {
    merge!(numbers(1), numbers(2))
}

pub fn merged_many() -> impl Stream<Item = u32> {
    merge!(
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
        numbers(1),
    )
}

pub fn try_merged() -> impl Stream<Item = Result<u32, ::std::num::ParseIntError>> {
    try_merge!(parsed(vec!["1"]), parsed(vec!["2"]))
}

/// `gather!` and `try_gather!`, with few futures and past 12.
pub async fn gathered() -> (u32, u32) {
    gather!(sum(2), sum(3)).await
}

pub async fn gathered_many() -> u32 {
    let (a, b, c, d, e, f, g, h, i, j, k, l, m) = gather!(
        sum(1),
        sum(2),
        sum(3),
        sum(4),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
    )
    .await;
    a + b + c + d + e + f + g + h + i + j + k + l + m
}

pub async fn try_gathered_many() -> Result<u32, ::std::num::ParseIntError> {
    let ok = |text: &'static str| async move { text.parse::<u32>() };
    let (a, b, c, d, e, f, g, h, i, j, k, l, m) = try_gather!(
        ok("1"),
        ok("2"),
        ok("3"),
        ok("4"),
        ok("0"),
        ok("0"),
        ok("0"),
        ok("0"),
        ok("0"),
        ok("0"),
        ok("0"),
        ok("0"),
        ok("0"),
    )
    .await?;
    Ok(a + b + c + d + e + f + g + h + i + j + k + l + m)
}
