//! `cargo bench --bench yield`: drain a stream that yields `0..N` `u64`s, summing them, for
//! a hand-written `poll_next` stream, `#[async_gen]` and `async_stream::stream!`, all in one
//! process, interleaved round by round (rotating the order), so machine noise hits every
//! variant alike. Prints the median ns/item and the median of the per-round ratios to the
//! hand-written stream, for two consumers:
//!
//! - `poll loop`: `poll_next` called in a plain loop with a no-op waker. Nothing but the
//!   stream's own cost: the hand-written stream becomes a register-only loop here.
//! - `async for`: `while let Some(x) = stream.next().await` inside
//!   `futures::executor::block_on`, the way streams are consumed in practice.
//!
//! Options (after `--`): `--rounds R` (default 15), `--items N` (default 1 000 000),
//! `--only NAME` (run one variant once, for `valgrind --tool=callgrind`).

use std::hint::black_box;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::Instant;

use asyncgen::{async_gen, yield_};
use futures_core::Stream;
use support::poll_once;

/// The baseline: what a careful user writes by hand.
struct Counter {
    next: u64,
    end: u64,
}

impl Stream for Counter {
    type Item = u64;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u64>> {
        if self.next < self.end {
            let item = self.next;
            self.next += 1;
            Poll::Ready(Some(item))
        } else {
            Poll::Ready(None)
        }
    }
}

fn hand_written(n: u64) -> impl Stream<Item = u64> {
    Counter { next: 0, end: n }
}

#[async_gen]
async fn asyncgen_counter(n: u64) -> u64 {
    for i in 0..n {
        yield_!(i);
    }
}

fn async_stream_counter(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        for i in 0..n {
            yield i;
        }
    }
}

#[inline(never)]
fn drain(stream: impl Stream<Item = u64>) -> u64 {
    let mut stream = pin!(stream);
    let mut sum = 0u64;
    loop {
        match poll_once(stream.as_mut()) {
            Poll::Ready(Some(item)) => sum = sum.wrapping_add(black_box(item)),
            Poll::Ready(None) => return sum,
            Poll::Pending => unreachable!("these streams never wait"),
        }
    }
}

#[inline(never)]
fn async_for(stream: impl Stream<Item = u64>) -> u64 {
    futures::executor::block_on(async {
        let mut stream = pin!(stream);
        let mut sum = 0u64;
        while let Some(item) = futures::StreamExt::next(&mut stream).await {
            sum = sum.wrapping_add(black_box(item));
        }
        sum
    })
}

type Variant = (&'static str, fn(u64) -> u64);

const POLL_LOOP: [Variant; 3] = [
    ("hand-written poll_next", |n| drain(hand_written(n))),
    ("asyncgen #[async_gen]", |n| drain(asyncgen_counter(n))),
    ("async_stream::stream!", |n| drain(async_stream_counter(n))),
];

const ASYNC_FOR: [Variant; 3] = [
    ("hand-written poll_next", |n| async_for(hand_written(n))),
    ("asyncgen #[async_gen]", |n| async_for(asyncgen_counter(n))),
    ("async_stream::stream!", |n| {
        async_for(async_stream_counter(n))
    }),
];

struct Options {
    rounds: usize,
    items: u64,
    only: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        rounds: 15,
        items: 1_000_000,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => {
                options.rounds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--rounds N")
            }
            "--items" => {
                options.items = args.next().and_then(|v| v.parse().ok()).expect("--items N")
            }
            "--only" => options.only = args.next(),
            _ => {} // `cargo bench` passes `--bench`
        }
    }
    options
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let Options {
        rounds,
        items,
        only,
    } = options();
    let expected = (0..items).fold(0u64, u64::wrapping_add);
    if let Some(name) = only {
        // `--only asyncgen` or `--only async-for/asyncgen`.
        let (variants, name) = match name.strip_prefix("async-for/") {
            Some(name) => (&ASYNC_FOR, name.to_owned()),
            None => (&POLL_LOOP, name),
        };
        let (_, run) = variants
            .iter()
            .find(|(label, _)| label.starts_with(&name))
            .expect("--only: a prefix of a variant name");
        assert_eq!(run(black_box(items)), expected);
        return;
    }
    println!("yield 0..{items} u64, summed; median of {rounds} interleaved rounds");
    for (consumer, variants) in [("poll loop", &POLL_LOOP), ("async for", &ASYNC_FOR)] {
        report(consumer, variants, rounds, items, expected);
    }
}

fn report(consumer: &str, variants: &[Variant], rounds: usize, items: u64, expected: u64) {
    let mut times = vec![Vec::new(); variants.len()];
    for round in 0..=rounds {
        for offset in 0..variants.len() {
            let index = (round + offset) % variants.len();
            let (label, run) = variants[index];
            let start = Instant::now();
            let sum = run(black_box(items));
            let ns_per_item = start.elapsed().as_nanos() as f64 / items as f64;
            assert_eq!(sum, expected, "{label} summed wrong");
            if round > 0 {
                times[index].push(ns_per_item); // round 0 warms up
            }
        }
    }
    println!();
    println!(
        "{:<26} {:>10} {:>16}",
        consumer, "ns/item", "x hand-written"
    );
    for (index, (label, _)) in variants.iter().enumerate() {
        let mut ratios: Vec<f64> = (0..rounds).map(|r| times[index][r] / times[0][r]).collect();
        let ns = median(&mut times[index].clone());
        println!("  {label:<24} {ns:>10.3} {:>16.2}", median(&mut ratios));
    }
}
