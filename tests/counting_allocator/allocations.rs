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

/// `gather` of `n` futures allocates a box and a waker per future and 6 times more (the input
/// collected, the slots, the ready queue's shared state, its slots, its wakers and FIFO, and
/// the outputs, which become the result in place). `merge` of 2 or 3 sources allocates no
/// wakers: a box per source and at most 2 `Vec`s (the input collected, and the slots, which
/// may reuse its allocation); of more, also a waker per source and the ready queue's 3.
/// Neither allocates per item.
#[test]
fn gather_and_merge_allocation_counts() {
    let _ = run_ready(asyncgen::gather([async { 1 }]));
    for n in [1u64, 10, 100] {
        let (count, outputs) =
            allocations_during(|| run_ready(asyncgen::gather((0..n).map(|i| async move { i }))));
        assert_eq!(outputs, (0..n).collect::<Vec<_>>());
        assert_eq!(count as u64, 2 * n + 6, "gather of {n}");
    }
    for (n, most) in [(2u64, 2 + 2), (3, 3 + 2), (4, 2 * 4 + 5), (10, 2 * 10 + 5)] {
        for items in [1, 100] {
            let (count, sum) = allocations_during(|| {
                sum_stream(asyncgen::merge(
                    (0..n).map(|i| futures::stream::iter(i * items..(i + 1) * items)),
                ))
            });
            assert_eq!(sum, (0..n * items).sum::<u64>());
            let count = count as u64;
            assert!(count <= most, "merge of {n}, {items} items each: {count}");
            assert!(count >= n, "merge of {n}: a box per source");
        }
    }
}
