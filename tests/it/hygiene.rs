//! Hygiene of the generated code: every macro form, in a module where the user's own items
//! take the names the expansions could reach for unqualified (`Stream`, `Pin`, `Poll`,
//! `Option`, `Some`, `Result`, `Ok`, `Box`, `Future`, ..) and where `core`, `std` and
//! `asyncgen` are the user's own (empty) modules, so only `::core`, `::std` and `::asyncgen`
//! reach the crates. With `unused_qualifications` denied: the expansions must not qualify a
//! name the user's scope already gives (the user's paths here are all needed).
//!
//! Each form also runs and yields the expected items.

#![deny(unused_qualifications)]
// The dummies below exist only to be in scope.
#![allow(
    dead_code,
    non_snake_case,
    non_camel_case_types,
    clippy::upper_case_acronyms
)]

use ::asyncgen::{
    async_gen, for_await, gather, generator, iter, merge, stream, try_gather, try_merge, yield_,
    yield_all,
};
use ::support::{collect, drain_ready};

// The crates' names, taken by empty modules (`::core` and `::asyncgen` still reach the crates).
mod asyncgen {}
mod core {}
mod std {}

// The names of the prelude and of the types a stream is made of, as user items.
struct Stream;
struct FusedStream;
struct Pin;
struct Poll;
struct Context;
struct Future;
struct IntoFuture;
struct Iterator;
struct IntoIterator;
struct Option;
struct Result;
struct Box;
struct Send;
struct Sync;
struct Unpin;
struct Sized;
struct Drop;
struct From;
struct Into;
struct Default;
struct Clone;
struct Fn;
struct FnMut;
struct FnOnce;
fn Some() {}
fn None() {}
fn Ok() {}
fn Err() {}
fn drop() {}
fn panic() {}
fn unreachable() {}

type MyResult<T> = ::core::result::Result<T, ::std::num::ParseIntError>;

#[async_gen]
async fn numbers(count: u32) -> u32 {
    for number in 0..count {
        yield_!(number);
    }
}

#[async_gen]
async fn parsed(texts: Vec<&'static str>) -> MyResult<u32> {
    for text in texts {
        yield_!(::core::result::Result::Ok(text.parse::<u32>()?));
    }
}

#[async_gen]
async fn doubled(count: u32) -> u32 {
    #[for_await]
    for number in numbers(count) {
        yield_!(number * 2);
    }
    yield_all!(numbers(2));
    yield_all!([100, 200]);
}

#[generator]
fn countdown(from: u32) -> u32 {
    for number in (1..=from).rev() {
        yield_!(number);
    }
    yield_all!(::core::iter::once(0));
}

#[generator]
fn first_numbers(texts: Vec<&'static str>) -> ::core::option::Option<u32> {
    for text in texts {
        let number = text.parse::<u32>().ok()?;
        yield_!(::core::option::Option::Some(number));
    }
}

trait Source: ::core::marker::Sync {
    #[async_gen(boxed)]
    async fn items(&self) -> u32;

    #[async_gen(boxed)]
    async fn items_plus_one(&self) -> u32 {
        #[for_await]
        for item in self.items() {
            yield_!(item + 1);
        }
    }

    #[generator(boxed)]
    fn synced(&self) -> u32;
}

struct Three;

impl Source for Three {
    #[async_gen(boxed)]
    async fn items(&self) -> u32 {
        yield_all!(numbers(3));
    }

    #[generator(boxed)]
    fn synced(&self) -> u32 {
        yield_all!(countdown(2));
    }
}

#[for_await]
async fn sum(count: u32) -> u32 {
    let mut total = 0;
    #[for_await]
    for number in numbers(count) {
        total += number;
    }
    total
}

#[test]
fn every_form_expands_and_runs_with_the_users_names_in_scope() {
    assert_eq!(drain_ready(numbers(3)), [0, 1, 2]);
    let parsed = drain_ready(parsed(vec!["1", "x", "3"]));
    assert_eq!(parsed.len(), 2);
    assert!(matches!(parsed[0], ::core::result::Result::Ok(1)));
    assert!(parsed[1].is_err());
    assert_eq!(drain_ready(doubled(2)), [0, 2, 0, 1, 100, 200]);
    assert_eq!(countdown(2).collect::<Vec<_>>(), [2, 1, 0]);
    assert_eq!(
        first_numbers(vec!["4", "y", "5"]).collect::<Vec<_>>(),
        [
            ::core::option::Option::Some(4),
            ::core::option::Option::None
        ]
    );
    assert_eq!(drain_ready(Three.items_plus_one()), [1, 2, 3]);
    assert_eq!(Three.synced().collect::<Vec<_>>(), [2, 1, 0]);
    assert_eq!(::futures::executor::block_on(sum(4)), 6);

    let inner = stream! {
        yield 1u32;
        yield 2;
    };
    let outer = stream!(-> u32 {
        for await number in inner {
            yield number * 10;
        }
    });
    assert_eq!(collect(outer), [10, 20]);
    let squares = iter! {
        for number in 1..4u32 {
            yield number * number;
        }
    };
    assert_eq!(squares.collect::<Vec<_>>(), [1, 4, 9]);

    let mut merged = collect(merge!(numbers(2), stream! { yield 7u32; }));
    merged.sort_unstable();
    assert_eq!(merged, [0, 1, 7]);
    let (first, second) = ::futures::executor::block_on(gather!(async { 1u8 }, sum(3)));
    assert_eq!((first, second), (1, 3));

    // Past 12 the macros write their own closures and tuple patterns; and with nothing.
    let mut merged = collect(merge!(
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
        stream! { yield 7u32; },
    ));
    merged.sort_unstable();
    assert_eq!(merged, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]);
    let tried = collect(try_merge!(
        stream! { yield ::core::result::Result::Ok::<u8, u8>(1); },
        stream! { yield ::core::result::Result::Err(2); },
    ));
    assert_eq!(tried.len(), 2);
    let gathered = ::futures::executor::block_on(gather!(
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        sum(1),
        async { 13u8 },
    ));
    assert_eq!((gathered.0, gathered.12), (0, 13));
    let all_ok = ::futures::executor::block_on(try_gather!(
        async { ::core::result::Result::Ok::<u8, u8>(0) },
        async { ::core::result::Result::Ok(1) },
        async { ::core::result::Result::Ok(2) },
        async { ::core::result::Result::Ok(3) },
        async { ::core::result::Result::Ok(4) },
        async { ::core::result::Result::Ok(5) },
        async { ::core::result::Result::Ok(6) },
        async { ::core::result::Result::Ok(7) },
        async { ::core::result::Result::Ok(8) },
        async { ::core::result::Result::Ok(9) },
        async { ::core::result::Result::Ok(10) },
        async { ::core::result::Result::Ok(11) },
        async { ::core::result::Result::Ok(12) },
    ));
    assert!(all_ok.is_ok());
    let none: ::std::vec::Vec<u32> = collect(merge!());
    assert!(none.is_empty());
    ::futures::executor::block_on(gather!());
    let nothing: ::core::result::Result<(), u8> = ::futures::executor::block_on(try_gather!());
    assert!(nothing.is_ok());
    let none: ::std::vec::Vec<::core::result::Result<u8, u8>> = collect(try_merge!());
    assert!(none.is_empty());
}
