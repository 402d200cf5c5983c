//! Allocation counts, measured by a counting global allocator: `#[async_gen]` allocates
//! nothing at all, `#[generator]` once per generator, neither per item.
//!
//! Only the measuring thread's allocations are counted: libtest's own thread may allocate
//! while a test runs (seen under Miri on a loaded machine).

use asyncgen::{async_gen, generator, yield_};
use support::{allocations_on_this_thread, drain_ready};

fn allocations_during<R>(run: impl FnOnce() -> R) -> (usize, R) {
    let before = allocations_on_this_thread();
    let result = run();
    (allocations_on_this_thread() - before, result)
}

#[async_gen]
async fn numbers(n: u64) -> u64 {
    for i in 0..n {
        yield_!(i);
    }
}

#[async_gen]
async fn nested(n: u64) -> u64 {
    let mut inner = std::pin::pin!(numbers(n));
    while let Some(i) = futures::StreamExt::next(&mut inner).await {
        yield_!(i * 2);
    }
}

#[generator]
fn numbers_iter(n: u64) -> u64 {
    for i in 0..n {
        yield_!(i);
    }
}

fn sum_stream(stream: impl futures::Stream<Item = u64>) -> u64 {
    let mut stream = std::pin::pin!(stream);
    let mut sum = 0;
    while let std::task::Poll::Ready(Some(i)) = support::poll_once(stream.as_mut()) {
        sum += i;
    }
    sum
}

#[test]
fn allocation_counts() {
    // Warm up anything lazily allocated by the test harness or std.
    let _ = drain_ready(numbers(1));

    for n in [0, 1, 1000] {
        let (count, sum) = allocations_during(|| sum_stream(numbers(n)));
        assert_eq!(sum, (0..n).sum::<u64>());
        assert_eq!(count, 0, "#[async_gen] with {n} items allocated");

        let (count, sum) = allocations_during(|| sum_stream(nested(n)));
        assert_eq!(sum, (0..n).map(|i| i * 2).sum::<u64>());
        assert_eq!(count, 0, "nested #[async_gen] with {n} items allocated");

        let (count, sum) = allocations_during(|| numbers_iter(n).sum::<u64>());
        assert_eq!(sum, (0..n).sum::<u64>());
        assert_eq!(
            count, 1,
            "#[generator] with {n} items: one box per generator"
        );
    }
}

/// Polls `future` with a waker that does nothing until it is ready (it must wake itself).
fn run_ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// The `gather` family and `merge` allocate a fixed number of times however many children
/// they run (the children pinned in one block, their wakers from one table, the ready queue's
/// states and FIFO, the outputs), and nothing per item or per wake-up.
#[test]
fn gather_and_merge_allocation_counts_do_not_grow_with_the_children() {
    let _ = run_ready(asyncgen::gather([async { 1 }]));
    // Under Miri (CI's slowest step), 1 000 children with 100 items each took minutes: the
    // counts are checked up to 100 there, up to 1 000 natively.
    let sizes: &[u64] = if cfg!(miri) {
        &[1, 10, 100]
    } else {
        &[1, 10, 100, 1_000]
    };
    let gather = |n: u64| {
        let (count, outputs) =
            allocations_during(|| run_ready(asyncgen::gather((0..n).map(|i| async move { i }))));
        assert_eq!(outputs, (0..n).collect::<Vec<_>>());
        count
    };
    let try_gather = |n: u64| {
        let (count, outputs) = allocations_during(|| {
            run_ready(asyncgen::try_gather(
                (0..n).map(|i| async move { Ok::<_, ()>(i) }),
            ))
        });
        assert_eq!(outputs, Ok((0..n).collect::<Vec<_>>()));
        count
    };
    let as_completed = |n: u64| {
        let (count, sum) = allocations_during(|| {
            sum_stream(futures::StreamExt::map(
                asyncgen::as_completed((0..n).map(|i| async move { i })),
                |(_, i)| i,
            ))
        });
        assert_eq!(sum, (0..n).sum::<u64>());
        count
    };
    // An input that does not say its length (`filter`: at least none, at most `n`).
    let limited = |n: u64| {
        let (count, outputs) = allocations_during(|| {
            run_ready(asyncgen::gather_limited(
                (0..n).filter(|_| true).map(|i| async move { i }),
                8,
            ))
        });
        assert_eq!(outputs, (0..n).collect::<Vec<_>>());
        count
    };
    // One that does: room for every output from the start.
    let limited_exact = |n: u64| {
        let (count, outputs) = allocations_during(|| {
            run_ready(asyncgen::gather_limited(
                (0..n).map(|i| async move { i }),
                8,
            ))
        });
        assert_eq!(outputs, (0..n).collect::<Vec<_>>());
        count
    };
    // The futures, the waker table and its entries (with the wake states), the FIFO, the
    // outputs and the bitset of those written.
    for &n in sizes {
        assert_eq!(gather(n), 6, "gather of {n}");
        assert_eq!(try_gather(n), 6, "try_gather of {n}");
        // No outputs kept: each is handed out.
        assert_eq!(as_completed(n), 4, "as_completed of {n}");
    }
    // Only the outputs and their bitset grow, by doubling (the input's length is not known),
    // and the slots' input indices come in: O(log n), never per future.
    let most = |n: u64| 7 + 2 * (u64::BITS - n.leading_zeros());
    for &n in sizes {
        let count = limited(n) as u64;
        assert!(count <= most(n) as u64, "gather_limited of {n}: {count}");
        // The slots, the waker table and its entries, the FIFO, the slots' input indices and
        // their free list, the outputs and their bitset.
        assert_eq!(limited_exact(n), 8, "gather_limited of {n}, an exact size");
    }
    let in_order = |n: u64| {
        let (count, sum) =
            allocations_during(|| sum_stream(asyncgen::in_order((0..n).map(|i| async move { i }))));
        assert_eq!(sum, (0..n).sum::<u64>());
        count
    };
    let in_order_limited = |n: u64| {
        let (count, sum) = allocations_during(|| {
            sum_stream(asyncgen::in_order_limited(
                (0..n).map(|i| async move { i }),
                8,
            ))
        });
        assert_eq!(sum, (0..n).sum::<u64>());
        count
    };
    let in_order_of_a_stream = |n: u64| {
        let (count, sum) = allocations_during(|| {
            let requests =
                futures::StreamExt::map(futures::stream::iter(0..n), |i| async move { i });
            sum_stream(asyncgen::in_order_limited(
                asyncgen::from_stream(requests),
                8,
            ))
        });
        assert_eq!(sum, (0..n).sum::<u64>());
        count
    };
    for &n in sizes {
        // as_completed's 4 and the ring of places for the outputs that wait.
        assert_eq!(in_order(n), 5, "in_order of {n}");
        // The slots, the waker table and its entries, the FIFO, the slots' input indices and
        // their free list, the ring.
        assert_eq!(in_order_limited(n), 7, "in_order_limited of {n}");
        // And the stream's box.
        assert_eq!(
            in_order_of_a_stream(n),
            8,
            "in_order_limited(from_stream) of {n}"
        );
    }
    for items in [1, if cfg!(miri) { 10 } else { 100 }] {
        let merge = |n: u64| {
            let (count, sum) = allocations_during(|| {
                sum_stream(asyncgen::merge(
                    (0..n).map(|i| futures::stream::iter(i * items..(i + 1) * items)),
                ))
            });
            assert_eq!(sum, (0..n * items).sum::<u64>());
            count
        };
        // 2 or 3 sources: no wakers, only the sources (collected, then pinned in one block).
        for n in [2, 3] {
            assert_eq!(merge(n), 2, "merge of {n}, {items} items each");
        }
        // From 4 on, the ready queue's 3 more.
        for &n in [4].iter().chain(sizes.iter().filter(|&&n| n >= 10)) {
            assert_eq!(merge(n), 5, "merge of {n}, {items} items each");
        }
    }
}

/// `with_capacity(n)` means no allocation while the set fills up to `n` children, as
/// `HashMap::with_capacity` (issue 28: the key index was not reserved, and grew 8 times
/// while a set of 256 filled).
#[test]
fn sets_made_with_capacity_allocate_nothing_until_full() {
    use asyncgen::{FutureSet, StreamSet};
    use std::future::{Ready, ready};

    for n in [1, 100, if cfg!(miri) { 64 } else { 256 }] {
        let mut futures: FutureSet<usize, Ready<usize>> = FutureSet::with_capacity(n);
        let (count, ()) = allocations_during(|| {
            for key in 0..n {
                futures.insert(key, ready(key));
            }
        });
        assert_eq!(count, 0, "FutureSet::with_capacity({n}), {n} inserted");
        let mut streams: StreamSet<usize, futures::stream::Once<Ready<usize>>> =
            StreamSet::with_capacity(n);
        let (count, ()) = allocations_during(|| {
            for key in 0..n {
                streams.insert(key, futures::stream::once(ready(key)));
            }
        });
        assert_eq!(count, 0, "StreamSet::with_capacity({n}), {n} inserted");
    }
}
