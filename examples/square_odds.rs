//! The asynchronous-generators lesson, rewritten line by line. Each Rust item sits under the
//! Python it replaces.
//!
//! ```text
//! cargo run --example square_odds            # the lesson's timing: 2 s per square, ~17 s in all
//! cargo run --example square_odds -- --fast  # every sleep 100x shorter
//! ```
//! `ASYNCGEN_FAST=1` in the environment does the same as `--fast`. The times it prints are
//! measured wall-clock seconds, so with `--fast` they are 100x shorter too.

use std::time::Instant;

use asyncgen::{async_gen, for_await, gather, generator, yield_};
use support::{seconds_since, sleep, time_scale};

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
    //     print(f"three loops together: {time.perf_counter() - start:.3f} s")
    let start = Instant::now();
    gather!(for_async("a"), for_async("b"), for_async("c")).await;
    let took = seconds_since(start);
    // What the loops would take one after another, at the speed they ran: 4 squares, 2 s each.
    let one_loop = 4.0 * 2.0 * time_scale();
    println!(
        "three loops together: {took:.3} s (one after another: 3 x {one_loop:.2} s = {:.2} s)",
        3.0 * one_loop
    );
}

// asyncio.run(main())
