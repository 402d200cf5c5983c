//! Every form of asyncgen's macros in a crate that depends on it as `ag`.

use ag::{async_gen, for_await, generator, iter, stream, yield_, yield_all};
use futures::executor::block_on;
use futures::StreamExt;

#[async_gen(crate = ag)]
async fn counted(n: u32) -> u32 {
    for i in 0..n {
        yield_!(i);
    }
}

// The string form, as in serde's and tokio's `crate = ".."`.
#[generator(crate = "ag")]
fn evens(n: u32) -> u32 {
    for i in 0..n {
        ag::yield_!(i * 2); // the qualified path through the renamed crate
    }
}

#[async_gen(crate = ag)]
async fn doubled(n: u32) -> u32 {
    #[for_await]
    for i in counted(n) {
        yield_!(i * 2);
    }
    yield_all!(counted(1));
}

#[async_gen(crate = ag)]
async fn parsed(inputs: Vec<&'static str>) -> Result<u32, std::num::ParseIntError> {
    for input in inputs {
        yield_!(Ok(input.parse::<u32>()?));
    }
}

trait Store {
    #[async_gen(crate = ag, boxed)]
    async fn keys(&self) -> String;

    #[async_gen(crate = ag, send)]
    async fn sizes(&self) -> u64;
}

struct Memory;

impl Store for Memory {
    #[async_gen(crate = ag, boxed)]
    async fn keys(&self) -> String {
        yield_!("a".to_owned());
    }

    #[async_gen(crate = ag, send)]
    async fn sizes(&self) -> u64 {
        yield_!(7);
    }
}

#[for_await(crate = ag)]
async fn sum(n: u32) -> u32 {
    let mut total = 0;
    #[for_await]
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
    assert_eq!(block_on(sum(4)), 6);
}

#[test]
fn block_forms() {
    let doubled = stream! {
        crate = ag;
        for await i in counted(3) {
            yield i * 2;
        }
    };
    assert_eq!(block_on(doubled.collect::<Vec<_>>()), [0, 2, 4]);
    let typed = stream!(crate = ag; -> u8 { yield 1; });
    assert_eq!(block_on(typed.collect::<Vec<_>>()), [1]);
    let squares = iter! {
        crate = "ag";
        for i in 1..4u32 {
            yield i * i;
        }
    };
    assert_eq!(squares.collect::<Vec<_>>(), [1, 4, 9]);
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
