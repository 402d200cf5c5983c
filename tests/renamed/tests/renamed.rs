//! Every form of asyncgen's macros in a crate that depends on it as `ag`, written as a user
//! would, with no `crate = ag` (issue 29): the attributes find the name rustc links asyncgen
//! under, the function-like macros reach it through `$crate`. One fn keeps `crate = ..`, which
//! still works.

use ag::{async_gen, for_await, generator, iter, stream, yield_, yield_all};
use futures::executor::block_on;
use futures::StreamExt;

#[async_gen]
async fn counted(n: u32) -> u32 {
    for i in 0..n {
        yield_!(i);
    }
}

#[generator]
fn evens(n: u32) -> u32 {
    for i in 0..n {
        ag::yield_!(i * 2); // the qualified path through the renamed crate
    }
}

// Through the path, not imported.
#[ag::async_gen]
async fn doubled(n: u32) -> u32 {
    #[for_await]
    for i in counted(n) {
        yield_!(i * 2);
    }
    ag::yield_all!(counted(1));
}

#[async_gen]
async fn parsed(inputs: Vec<&'static str>) -> Result<u32, std::num::ParseIntError> {
    for input in inputs {
        yield_!(Ok(input.parse::<u32>()?));
    }
}

#[ag::generator]
fn firsts(inputs: Vec<Option<u32>>) -> Option<u32> {
    for input in inputs {
        yield_!(Some(input?));
    }
}

trait Store {
    #[async_gen(boxed)]
    async fn keys(&self) -> String;

    #[async_gen(send)]
    async fn sizes(&self) -> u64;

    #[generator(boxed)]
    fn names(&self) -> &'static str {
        yield_all!(["x", "y"]);
    }
}

struct Memory;

impl Store for Memory {
    #[async_gen(boxed)]
    async fn keys(&self) -> String {
        yield_!("a".to_owned());
    }

    #[async_gen(send)]
    async fn sizes(&self) -> u64 {
        yield_!(7);
    }
}

#[for_await]
async fn sum(n: u32) -> u32 {
    let mut total = 0;
    #[for_await]
    for i in counted(n) {
        total += i;
    }
    total
}

// A block inside a generator, and `#[for_await]` by its path.
#[ag::for_await]
async fn nested(n: u32) -> Vec<u32> {
    let mut items = Vec::new();
    #[ag::for_await]
    for i in ag::stream! {
        yield_all!(counted(n));
        yield 100;
    } {
        items.push(i);
    }
    items
}

// The option is still accepted, in both spellings, and overrides what is found.
#[async_gen(crate = ag)]
async fn with_the_option(n: u32) -> u32 {
    ag::yield_!(n);
}

#[generator(crate = "ag")]
fn with_the_string_option(n: u32) -> u32 {
    yield_!(n);
}

#[ag::for_await(crate = ag)]
async fn sum_with_the_option(n: u32) -> u32 {
    let mut total = 0;
    #[ag::for_await]
    for i in counted(n) {
        total += i;
    }
    total
}

#[test]
fn attribute_forms() {
    assert_eq!(block_on(counted(3).collect::<Vec<_>>()), [0, 1, 2]);
    assert_eq!(evens(3).collect::<Vec<_>>(), [0, 2, 4]);
    assert_eq!(block_on(doubled(3).collect::<Vec<_>>()), [0, 2, 4, 0]);
    let results = block_on(parsed(vec!["1", "x", "3"]).collect::<Vec<_>>());
    assert_eq!(results.len(), 2);
    assert_eq!(results[0], Ok(1));
    assert!(results[1].is_err());
    assert_eq!(block_on(Memory.keys().collect::<Vec<_>>()), ["a"]);
    assert_eq!(block_on(Memory.sizes().collect::<Vec<_>>()), [7]);
    assert_eq!(Memory.names().collect::<Vec<_>>(), ["x", "y"]);
    assert_eq!(block_on(sum(4)), 6);
    assert_eq!(
        firsts(vec![Some(1), None, Some(3)]).collect::<Vec<_>>(),
        [Some(1), None]
    );
    assert_eq!(block_on(nested(2)), [0, 1, 100]);
}

#[test]
fn the_crate_option_still_works() {
    assert_eq!(block_on(with_the_option(5).collect::<Vec<_>>()), [5]);
    assert_eq!(with_the_string_option(6).collect::<Vec<_>>(), [6]);
    assert_eq!(block_on(sum_with_the_option(3)), 3);
    let typed = stream!(crate = ag; -> u8 { yield 1; });
    assert_eq!(block_on(typed.collect::<Vec<_>>()), [1]);
    let squares = iter! {
        crate = "ag";
        yield 4u32;
    };
    assert_eq!(squares.collect::<Vec<_>>(), [4]);
}

#[test]
fn block_forms() {
    let doubled = stream! {
        for await i in counted(3) {
            yield i * 2;
        }
    };
    assert_eq!(block_on(doubled.collect::<Vec<_>>()), [0, 2, 4]);
    let typed = ag::stream!(-> u8 {
        yield 1;
        yield_!(2);
        ag::yield_all!([3]);
    });
    assert_eq!(block_on(typed.collect::<Vec<_>>()), [1, 2, 3]);
    let squares = ag::iter! {
        for i in 1..4u32 {
            yield i * i;
        }
    };
    assert_eq!(squares.collect::<Vec<_>>(), [1, 4, 9]);
    let letters = iter!(-> char {
        for c in "ab".chars() {
            yield c;
        }
        yield_all!(['c']);
    });
    assert_eq!(letters.collect::<String>(), "abc");
    // `?` and nested blocks, each yielding to its own generator.
    let tried = ag::stream! {
        let inner = ag::iter! { yield "7"; yield "x"; };
        for text in inner {
            yield text.parse::<u32>();
            let _: u32 = text.parse()?;
        }
    };
    let tried = block_on(tried.collect::<Vec<_>>());
    assert_eq!(tried.len(), 3);
    assert_eq!(tried[0], Ok(7));
    assert!(tried[2].is_err());
}

#[test]
fn helpers_through_the_renamed_crate() {
    let merged = block_on(ag::merge!(counted(2), counted(1)).collect::<Vec<_>>());
    assert_eq!(merged.len(), 3);
    assert_eq!(block_on(ag::gather!(sum(3), sum(4))), (3, 6));
    let tried = block_on(ag::try_merge!(ok(1), ok(2)).collect::<Vec<_>>());
    assert_eq!(tried, [Ok(1), Ok(2)]);

    // Past 12 and with nothing, the macros' own paths.
    let many = block_on(
        ag::merge!(
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
            counted(1),
        )
        .collect::<Vec<_>>(),
    );
    assert_eq!(many.len(), 13);
    let tried = block_on(
        ag::try_merge!(
            ok(0),
            ok(1),
            ok(2),
            ok(3),
            ok(4),
            ok(5),
            ok(6),
            ok(7),
            ok(8),
            ok(9),
            ok(10),
            ok(11),
            ok(12),
        )
        .collect::<Vec<_>>(),
    );
    assert_eq!(tried.len(), 13);
    let outputs = block_on(ag::gather!(
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
        sum(4),
    ));
    assert_eq!((outputs.0, outputs.12), (0, 6));
    let all_ok = block_on(ag::try_gather!(
        async { Ok::<u32, ()>(0) },
        async { Ok(1) },
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
    ));
    assert_eq!(all_ok.map(|outputs| outputs.12), Ok(12));
    assert_eq!(block_on(ag::merge!().next()), None::<u32>);
    assert_eq!(block_on(ag::try_merge!().next()), None::<Result<u32, ()>>);
    block_on(ag::gather!());
    assert_eq!(block_on(ag::try_gather!()), Ok::<(), ()>(()));
}

fn ok(n: u32) -> impl ag::Stream<Item = Result<u32, ()>> {
    futures::stream::iter([Ok(n)])
}
