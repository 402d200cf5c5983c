//! The lesson's generators, rewritten: a sync generator, an async one, and two async ones
//! merged, item by item as each is ready.
//!
//! ```text
//! cargo run --example merge            # the lesson's timing: up to 1 s between items
//! cargo run --example merge -- --fast  # every sleep 100x shorter
//! ```
//! The times it prints are measured wall-clock seconds, so with `--fast` they are 100x
//! shorter too.

use std::time::Instant;

use asyncgen::{async_gen, for_await, generator, merge, yield_};
use support::{seconds_since, sleep};

// def synchronous_generator(start, stop):
//     for i in range(start, stop + 1):
//         yield i
#[generator]
fn synchronous_generator(start: u32, stop: u32) -> u32 {
    for i in start..=stop {
        yield_!(i);
    }
}

// async def asynchronous_generator(start, stop):
//     for i in range(start, stop + 1):
//         await asyncio.sleep(random.random())
//         yield i
#[async_gen]
async fn asynchronous_generator(start: u32, stop: u32) -> u32 {
    for i in start..=stop {
        sleep(fastrand::f64()).await;
        yield_!(i);
    }
}

// The lesson merges with a hand-rolled helper:
//
// async def merge_async_iters(*aiters):
//     queue = asyncio.Queue(1)
//     async def drain(aiter):
//         async for item in aiter:
//             await queue.put(item)
//     tasks = [asyncio.create_task(drain(aiter)) for aiter in aiters]
//     while not all(task.done() for task in tasks):
//         yield await queue.get()
//
// It has three bugs that `asyncgen::merge!` does not:
// 1. A race at the end. The `while` condition is checked before `queue.get()`. If the last
//    drain task puts its last item and finishes before the check, the loop exits with that
//    item still in the queue: it is lost. If the check passes just before the last task
//    finishes with nothing more to put, `queue.get()` waits forever: a hang. `merge!`
//    counts the sources that ended and returns `None` exactly when the last one does.
// 2. Lost exceptions. An exception in a generator ends its drain task, and nobody awaits that
//    task: Python only logs "Task exception was never retrieved", and the merge carries on
//    without those items. `merge!` polls the sources itself, so a panic reaches the loop
//    (and `try_merge` ends the merge with the first `Err`).
// 3. No cancellation. When the consumer stops early (a `break`), the drain tasks keep running,
//    blocked forever on `queue.put()`, holding their generators. Dropping a `merge!` stream
//    drops every source at once, and it never pulls an item it does not hand out.

// async def main():
#[tokio::main]
#[for_await]
async fn main() {
    //     print(list(synchronous_generator(1, 5)))
    println!("{:?}", synchronous_generator(1, 5).collect::<Vec<_>>());

    //     print([i async for i in asynchronous_generator(1, 5)])
    let mut items = Vec::new();
    #[for_await]
    for i in asynchronous_generator(1, 5) {
        items.push(i);
    }
    println!("{items:?}");

    //     gen1 = asynchronous_generator(1, 5)
    //     gen2 = asynchronous_generator(10, 15)
    //     async for item in merge_async_iters(gen1, gen2):
    //         print(item)
    let start = Instant::now();
    let gen1 = asynchronous_generator(1, 5);
    let gen2 = asynchronous_generator(10, 15);
    let mut count = 0;
    #[for_await]
    for item in merge!(gen1, gen2) {
        println!("{:>6.3} s  {item}", seconds_since(start));
        count += 1;
    }
    println!(
        "{count} items (5 + 6), none lost, in {:.3} s",
        seconds_since(start)
    );

    // Stopping early: the merge and both generators are dropped at the `break`.
    #[for_await]
    for item in merge!(asynchronous_generator(1, 5), asynchronous_generator(10, 15)) {
        if item >= 10 {
            println!("first item of gen2: {item}; stopping, both generators dropped");
            break;
        }
    }
}

// asyncio.run(main())
