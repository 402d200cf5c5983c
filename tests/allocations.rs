//! Allocation counts, measured by a counting global allocator: `#[async_gen]` allocates
//! nothing at all, `#[generator]` once per generator, neither per item.
//!
//! Only the measuring thread's allocations are counted: libtest's own thread may allocate
//! while a test runs (seen under Miri on a loaded machine).

use asyncgen::{async_gen, generator, yield_};
use support::{CountingAllocator, allocations_on_this_thread, drain_ready};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

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
