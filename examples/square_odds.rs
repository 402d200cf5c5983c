//! The asynchronous-generators lesson, rewritten line by line. Each Rust item sits under the
//! Python it replaces.
//!
//! ```text
//! cargo run --example square_odds            # the lesson's timing: 2 s per square, ~17 s in all
//! cargo run --example square_odds -- --fast  # every sleep 100x shorter
//! ```
//! `ASYNCGEN_FAST=1` in the environment does the same as `--fast`.

use std::time::Instant;

use asyncgen::{async_gen, for_await, gather, generator, yield_};
use support::{seconds_since, sleep};

// def odds(start, stop):
//     for odd in range(start, stop + 1):
//         if odd % 2 == 1:
//             yield odd
#[generator]
fn odds(start: u32, stop: u32) -> u32 {
    for odd in start..=stop {
        if odd % 2 == 1 {
            yield_!(odd);
        }
    }
}

// async def randn():
//     await asyncio.sleep(random.random())
//     return random.randint(1, 10)
async fn randn() -> u32 {
    sleep(fastrand::f64()).await;
    fastrand::u32(1..=10)
}

// async def square_odds(start, stop):
//     for odd in odds(start, stop):
//         await asyncio.sleep(2)
//         yield odd ** 2
#[async_gen]
async fn square_odds(start: u32, stop: u32) -> u32 {
    for odd in odds(start, stop) {
        sleep(2.0).await;
        yield_!(odd.pow(2));
    }
}

// async def for_async(name):
//     async for so in square_odds(11, 17):
//         print(f"{name}: {so}")
#[for_await]
async fn for_async(name: &str) {
    #[for_await]
    for so in square_odds(11, 17) {
        println!("{name}: {so}");
    }
}

// async def main():
#[tokio::main]
#[for_await]
async fn main() {
    //     print(list(odds(3, 15)))
    println!("{:?}", odds(3, 15).collect::<Vec<_>>());

    //     print("randn:", await randn())
    println!("randn: {}", randn().await);

    //     async for so in square_odds(11, 17):
    //         print("so:", so)
    #[for_await]
    for so in square_odds(11, 17) {
        println!("so: {so}");
    }

    //     start = time.perf_counter()
    //     await asyncio.gather(for_async("a"), for_async("b"), for_async("c"))
    //     print(f"three loops together: {time.perf_counter() - start:.1f} s")
    let start = Instant::now();
    gather!(for_async("a"), for_async("b"), for_async("c")).await;
    let took = seconds_since(start);
    println!("three loops together: {took:.1} s (one after another: 3 x 8 s = 24 s)");
}

// asyncio.run(main())
