//! `cargo bench --bench concurrency`: issue 18's targets for asyncgen's `merge` and `gather`
//! family against their peers, every variant of a workload in one process, interleaved round
//! by round (see `harness`). In every table the first row is asyncgen's helper (or, for
//! time-to-error, the failing child alone), so the last column reads "x asyncgen": above 1.00
//! the peer is slower. A later asyncgen row (a macro form) is shown, not judged.
//!
//! - `merge/ready/N=..`: merge N always-ready streams (`stream::iter`), N = 2, 64, 10 000 and
//!   100 000, 100 000 items in all split evenly, but at least 10 per stream (1 with
//!   `--quick`, whose total is 10 000), so N=100 000 merges 1 000 000 items; drained with
//!   `while let Some(x) = merged.next().await` in `futures::executor::block_on`.
//! - `merge/woken/N=..`: the I/O-like case, same sizes. N streams each return `Pending` until a
//!   driver releases them; per step the driver (1) polls the merge once, which must return
//!   `Pending`, (2) releases one child, chosen by a seeded shuffle computed before timing (the
//!   same schedule for every variant), waking the waker that child registered, (3) awaits the
//!   merge's next item, which must come from that child. The driver's own work (a slice read,
//!   a flag, a waker `take`) is the same for every variant.
//! - The gather family, `gather`, `try_gather`, `as_completed` and `gather_limited`, at N = 10,
//!   1 000, 10 000 and 100 000: 200 000 futures per run (10 000 with `--quick`, but at least
//!   N), as gathers of N futures one after another. Children are `ready` (return at once),
//!   `pending-once` (return `Pending` once, waking themselves: the executor polls again at
//!   once) or `woken` (the I/O-like case: `Pending` until a driver, an executor loop of its
//!   own, releases them one at a time in a seeded order and wakes the waker each left, then
//!   polls the gather while it is woken). `gather_limited` runs 64 at once (5 at N=10, so the
//!   limit still binds); its woken driver releases only running children (see
//!   `Driver::windowed`). `as_completed`'s peers yield the output only (the values name their
//!   child), asyncgen's the index too; the unordered peers of `gather_limited` put each output
//!   in its slot (`+slots`), as an ordered result needs. Beside `buffered`, asyncgen's
//!   `in_order_limited` over the iterator and over the same stream (`from_stream`).
//! - `memory/..`: bytes per child at N=10 000 of `gather`, `as_completed` and `merge` and their
//!   peers: `size_of` the value plus the most heap bytes live at once while it is made, run to
//!   the end by the woken driver and dropped (`harness::heap` counts them); see
//!   `memory_tables` for exactly what is counted.
//! - Two promises of the README: `try_gather time-to-error/..` (one child fails after 1 ms,
//!   the child before it in the input takes 1 s, 100 ms with `--quick`, the others are ready
//!   at once; real tokio time) and `gather_limited(64)/..` makespan (10 000 futures sleeping
//!   0-1 ms each, seeded, the first one 50 ms). Both also print their virtual time on tokio's
//!   paused clock (deterministic: no timer jitter).
//!
//! Peers that look at every child on each wake-up (futures-concurrency's `Merge`, `Join`,
//! `TryJoin` and `FutureGroup`, tokio-stream's `StreamMap`) are O(N) per item in the woken
//! workloads: they are left out at woken N=100 000 (one run would take minutes), and where
//! their warm-up run takes over a second (`--cap`) that run is their time.
//!
//! Every variant's result is checked (a checksum that also checks the order where order
//! matters). Options (after `--`): `--rounds R`, `--quick`, `--cap SECONDS`, `--only NAME`
//! (for `valgrind --tool=callgrind`), a filter word. At the end, issue 18's targets are checked
//! against the measured medians.

mod harness;

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::StreamExt;
use futures::executor::block_on;
use futures_buffered::BufferedStreamExt;
use futures_core::Stream;
use harness::gate::{Flag, Gate, Gated};
use harness::heap::{self, PeakAllocator};
use harness::{Measured, Memory, Options, Row, Variant, measure, print_memory};
use support::pending_times;
use tokio::runtime::Runtime;

/// Counts the heap only while a memory table is measured (`harness::heap`).
#[global_allocator]
static GLOBAL: PeakAllocator = PeakAllocator;

fn main() {
    let options = Options::from_args();
    println!(
        "asyncgen concurrency benches (issue 18). The first row of each table is the baseline: \
         asyncgen's (\"x first\" = x asyncgen; > 1.00: the peer is slower), except in \
         time-to-error, where it is the failing child alone."
    );
    println!(
        "{}",
        if cfg!(feature = "tokio") {
            "asyncgen built with its `tokio` feature: each item (and each completed gather) \
             spends a unit of tokio's cooperative budget, which no peer here does; \
             `--no-default-features` measures without it."
        } else {
            "asyncgen built without its `tokio` feature: no cooperative budget, as the peers."
        }
    );
    let mut targets = Targets::default();
    merge_workloads(&options, &mut targets);
    gather_family(&options, &mut targets);
    memory_tables(&options, &mut targets);
    time_to_error(&options, &mut targets);
    limited(&options, &mut targets);
    targets.print();
}

// ---------------------------------------------------------------------------------------------
// Targets

/// Issue 18's verdicts, printed at the end by section.
#[derive(Default)]
struct Targets {
    /// Per table: asyncgen's helper <= the best peer's time per item.
    time: Vec<String>,
    /// merge: time per item at N=100 000 within 1.5x of N=64.
    scaling: Vec<String>,
    /// Bytes per child <= futures-buffered's.
    memory: Vec<String>,
    /// The README's promises that have a time (time-to-error, makespan).
    promises: Vec<String>,
}

impl Targets {
    fn print(&self) {
        let sections = [
            (
                "time per item: asyncgen <= the best peer (median per-round ratio)",
                &self.time,
            ),
            (
                "merge: time per item at N=100 000 within 1.5x of N=64",
                &self.scaling,
            ),
            (
                "memory: bytes per child <= futures-buffered's",
                &self.memory,
            ),
            ("README promises", &self.promises),
        ];
        if sections.iter().all(|(_, lines)| lines.is_empty()) {
            return;
        }
        println!("\nTargets (issue 18)");
        for (title, lines) in sections {
            if lines.is_empty() {
                continue;
            }
            let missed = lines.iter().filter(|line| line.ends_with("MISSED")).count();
            println!("\n{title}: {} PASS, {missed} MISSED", lines.len() - missed);
            for line in lines {
                println!("  {line}");
            }
        }
    }
}

/// The verdict's word.
fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISSED" }
}

/// "asyncgen <= best peer" for one table: its first row (asyncgen's helper) against the
/// fastest peer, by the median of the per-round ratios (the first row's is 1).
fn against_best_peer(measured: &Measured) -> String {
    let ours = &measured.rows[0];
    let best = measured
        .rows
        .iter()
        .filter(|row| !row.name.starts_with("asyncgen"))
        .min_by(|a, b| a.ratio.total_cmp(&b.ratio))
        .expect("peers");
    let ratio = ours.ratio / best.ratio;
    let workload = measured.group.split(" (").next().unwrap_or(&measured.group);
    format!(
        "{workload:<40} asyncgen {:>8.1} ns, best peer {:>8.1} ns ({}): {ratio:>5.2}x  {}",
        ours.ns,
        best.ns,
        best.name,
        pass(ratio <= 1.0)
    )
}

// Peers named in `SCANS_EVERY_CHILD`.
const FC_MERGE: &str = "futures-concurrency Merge (Vec)";
const STREAM_MAP: &str = "tokio-stream StreamMap";
const FC_JOIN: &str = "futures-concurrency Join (Vec)";
const FC_TRY_JOIN: &str = "futures-concurrency TryJoin (Vec)";
const FC_FUTURE_GROUP: &str = "futures-concurrency FutureGroup";

/// Peers that poll or check every child on each wake-up (read in their sources): O(N) per
/// item when one child at a time is woken, so one run of a woken workload at N=100 000 would
/// take minutes. Their woken N=10 000 rows show it.
const SCANS_EVERY_CHILD: [&str; 5] = [FC_MERGE, STREAM_MAP, FC_JOIN, FC_TRY_JOIN, FC_FUTURE_GROUP];

/// Measures `variants` (see `harness::measure`), first leaving out the `SCANS_EVERY_CHILD`
/// peers if `scanners_too_slow`; the caller adds [`against_best_peer`]'s verdict.
fn measure_against_peers(
    options: &Options,
    group: &str,
    unit: &'static str,
    units: usize,
    expected: u64,
    mut variants: Vec<Variant<'_>>,
    scanners_too_slow: bool,
) -> Option<Measured> {
    let mut left_out = Vec::new();
    if scanners_too_slow {
        variants.retain(|variant| {
            let scans = SCANS_EVERY_CHILD.contains(&variant.name);
            if scans {
                left_out.push(variant.name);
            }
            !scans
        });
    }
    let measured = measure(options, group, unit, units, expected, &variants)?;
    if !left_out.is_empty() {
        println!(
            "  left out (each wake-up scans all N children; see N=10 000): {}",
            left_out.join(", ")
        );
    }
    Some(measured)
}

// ---------------------------------------------------------------------------------------------
// merge

/// How the merged stream is consumed.
enum Drive<'a> {
    /// Always-ready children: drain.
    Ready,
    /// Gated children: release them one at a time, in this order.
    Woken {
        gates: &'a [Gate],
        schedule: &'a [u32],
    },
}

impl Drive<'_> {
    #[inline(never)]
    fn run(&self, merged: impl Stream<Item = u64>) -> u64 {
        match self {
            Drive::Ready => block_on(async {
                let mut merged = pin!(merged);
                let mut sum = 0u64;
                while let Some(item) = merged.next().await {
                    sum = sum.wrapping_add(item);
                }
                sum
            }),
            Drive::Woken { gates, schedule } => block_on(async {
                let mut merged = pin!(merged);
                let mut sum = 0u64;
                for &child in schedule.iter() {
                    // Nothing is released: the merge has to wait (and register its wakers).
                    poll_fn(|cx| {
                        assert!(
                            merged.as_mut().poll_next(cx).is_pending(),
                            "nothing released"
                        );
                        Poll::Ready(())
                    })
                    .await;
                    gates[child as usize].release();
                    let item = merged.next().await.expect("an item after a release");
                    assert_eq!(
                        item >> 32,
                        u64::from(child),
                        "the item of the released child"
                    );
                    sum = sum.wrapping_add(item);
                }
                assert!(merged.next().await.is_none(), "every child ended");
                sum
            }),
        }
    }

    /// Fresh gates before each run (they are reused: no allocation in the timed part that
    /// differs between variants).
    fn reset(&self) {
        if let Drive::Woken { gates, .. } = self {
            gates.iter().for_each(Gate::reset);
        }
    }
}

/// `n` gates and the woken merge's schedule: each child `per` times, in a seeded random order.
fn merge_schedule(n: usize, per: u64) -> (Vec<Gate>, Vec<u32>) {
    let gates = (0..n).map(|_| Gate::default()).collect();
    let mut schedule: Vec<u32> = (0..n as u32)
        .flat_map(|child| std::iter::repeat_n(child, per as usize))
        .collect();
    fastrand::Rng::with_seed(n as u64).shuffle(&mut schedule);
    (gates, schedule)
}

/// The woken merge's children: child `c` yields `c << 32 | 0..per`, so an item names its
/// child.
fn gated_streams(gates: &[Gate], per: u64) -> impl Iterator<Item = Gated<'_>> {
    gates.iter().enumerate().map(move |(child, gate)| Gated {
        gate,
        next: (child as u64) << 32,
        left: per,
    })
}

/// The sum of every item of `gated_streams(gates of n, per)`.
fn gated_sum(n: usize, per: u64) -> u64 {
    (0..n as u64)
        .flat_map(|child| (0..per).map(move |seq| child << 32 | seq))
        .fold(0u64, u64::wrapping_add)
}

/// The merge variants, each making its `n` children with `make` and consuming the merge with
/// `drive`.
fn merge_variants<'a, S>(
    n: usize,
    make: &'a (dyn Fn() -> Vec<S> + 'a),
    drive: &'a Drive<'a>,
) -> Vec<Variant<'a>>
where
    S: Stream<Item = u64> + Unpin + 'a,
{
    let mut variants = vec![Variant::new("asyncgen merge(Vec)", move |_| {
        drive.reset();
        drive.run(asyncgen::merge(make()))
    })];
    if n == 2 {
        variants.push(Variant::new("asyncgen merge!(a, b)", move |_| {
            drive.reset();
            let mut children = make();
            let b = children.pop().unwrap();
            let a = children.pop().unwrap();
            drive.run(asyncgen::merge!(a, b))
        }));
    }
    variants.extend([
        Variant::new("futures::stream::select_all", move |_| {
            drive.reset();
            drive.run(futures::stream::select_all(make()))
        }),
        Variant::new(FC_MERGE, move |_| {
            drive.reset();
            drive.run(futures_concurrency::stream::Merge::merge(make()))
        }),
        Variant::new(STREAM_MAP, move |_| {
            drive.reset();
            drive.run(stream_map(make()).map(|(_, item)| item))
        }),
        Variant::new("futures-buffered MergeBounded", move |_| {
            drive.reset();
            drive.run(futures_buffered::MergeBounded::from_iter(make()))
        }),
    ]);
    variants
}

/// tokio-stream's merge: a `StreamMap` keyed by position.
fn stream_map<S: Stream + Unpin>(
    children: impl IntoIterator<Item = S>,
) -> tokio_stream::StreamMap<usize, S> {
    let children = children.into_iter();
    let mut map = tokio_stream::StreamMap::with_capacity(children.size_hint().0);
    // `extend`, not `insert`: `insert` looks for the key first (O(n) each).
    map.extend(children.enumerate());
    map
}

fn merge_workloads(options: &Options, targets: &mut Targets) {
    let total = options.items(100_000, 10_000);
    // At least this many items per stream, so N=100 000 is not only the streams' setup.
    let min_per = options.size(10, 1);
    for kind in ["ready", "woken"] {
        let mut tables = Vec::new(); // (n, its rows)
        for n in [2usize, 64, 10_000, 100_000] {
            let per = (total / n).max(min_per) as u64;
            let items = per as usize * n;
            let group = format!("merge/{kind}/N={n} ({items} items, {per} per stream)");
            let measured = if kind == "ready" {
                let make = move || {
                    (0..n as u64)
                        .map(|child| futures::stream::iter(child * per..(child + 1) * per))
                        .collect::<Vec<_>>()
                };
                let expected = (0..items as u64).fold(0u64, u64::wrapping_add);
                let drive = Drive::Ready;
                let variants = merge_variants(n, &make, &drive);
                measure_against_peers(options, &group, "item", items, expected, variants, false)
            } else {
                let (gates, schedule) = merge_schedule(n, per);
                let gates = &gates;
                let make = move || gated_streams(gates, per).collect::<Vec<_>>();
                let drive = Drive::Woken {
                    gates,
                    schedule: &schedule,
                };
                let variants = merge_variants(n, &make, &drive);
                measure_against_peers(
                    options,
                    &group,
                    "item",
                    items,
                    gated_sum(n, per),
                    variants,
                    n >= 100_000,
                )
            };
            if let Some(measured) = measured {
                targets.time.push(against_best_peer(&measured));
                tables.push((n, measured.rows));
            }
        }
        let rows = |n| tables.iter().find(|(m, _)| *m == n).map(|(_, rows)| rows);
        if let (Some(at64), Some(at100k)) = (rows(64), rows(100_000)) {
            targets.scaling.push(merge_growth(kind, at64, at100k));
        }
    }
}

/// The scaling verdict of `merge/{kind}`: asyncgen's time per item at N=100 000 over its
/// time at N=64, with the smallest such growth among the peers for scale (the woken driver's
/// own random accesses over 100 000 gates miss the cache for every variant alike).
fn merge_growth(kind: &str, at64: &[Row], at100k: &[Row]) -> String {
    let growth = at100k[0].ns / at64[0].ns;
    let peer = at100k
        .iter()
        .filter(|row| !row.name.starts_with("asyncgen"))
        .filter_map(|row| {
            let small = at64.iter().find(|small| small.name == row.name)?;
            Some((row.name, row.ns / small.ns))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let peer = peer.map_or(String::new(), |(name, growth)| {
        format!(" (least-growing peer: {name}, {growth:.2}x)")
    });
    format!(
        "merge/{kind}: asyncgen ns/item at N=100 000 / at N=64 = {:.1} / {:.1} = {growth:.2}x \
         (target <= 1.5x){peer}  {}",
        at100k[0].ns,
        at64[0].ns,
        pass(growth <= 1.5)
    )
}

// ---------------------------------------------------------------------------------------------
// The gather family: gather, try_gather, as_completed, gather_limited

/// How a workload's children wait.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// They return at once.
    Ready,
    /// They return `Pending` once, waking themselves first.
    PendingOnce,
    /// They return `Pending` until the `Driver` releases them.
    Woken,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ready => "ready",
            Kind::PendingOnce => "pending-once",
            Kind::Woken => "woken",
        }
    }
}

async fn ready_value(value: u64) -> u64 {
    value
}

async fn pending_once(value: u64) -> u64 {
    pending_times(1).await;
    value
}

/// A woken-case child: `Pending` until the driver opens its gate, then `value`. 16 bytes.
struct GatedFuture<'a> {
    gate: &'a Gate,
    value: u64,
}

impl Future for GatedFuture<'_> {
    type Output = u64;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        if self.gate.open.get() {
            return Poll::Ready(self.value);
        }
        self.gate.wait(cx);
        Poll::Pending
    }
}

/// The gather family's I/O-like driver: an executor loop of its own. It polls a gather until
/// it waits, then per step releases one child (its gate opens, the waker it left is woken)
/// and, if that woke the gather, polls it until it waits again. The schedule is computed
/// before timing and is the same for every variant.
struct Driver {
    gates: Vec<Gate>,
    /// Children (their index in a gather) in the order they are released.
    schedule: Vec<u32>,
    woken: Arc<Flag>,
    waker: Waker,
}

impl Driver {
    fn new(n: usize, schedule: Vec<u32>) -> Self {
        let woken = Arc::new(Flag::default());
        Driver {
            gates: (0..n).map(|_| Gate::default()).collect(),
            schedule,
            waker: Waker::from(woken.clone()),
            woken,
        }
    }

    /// Releases the `n` children in a seeded random order.
    fn shuffled(n: usize) -> Self {
        let mut schedule: Vec<u32> = (0..n as u32).collect();
        fastrand::Rng::with_seed(n as u64).shuffle(&mut schedule);
        Driver::new(n, schedule)
    }

    /// For `limit` children at once: each step releases a random one of the running children
    /// (the first `limit` in input order, then the next one each time one ends, as
    /// `gather_limited` and `buffer_unordered` start them), so that a release wakes a child
    /// that waits instead of opening the gate of one not made yet. (`buffered`'s outputs wait
    /// in its window, so it runs fewer at once: some of its children find their gate open.)
    fn windowed(n: usize, limit: usize) -> Self {
        let mut rng = fastrand::Rng::with_seed(n as u64);
        let mut running: Vec<u32> = (0..limit.min(n) as u32).collect();
        let mut next = running.len() as u32;
        let mut schedule = Vec::with_capacity(n);
        while !running.is_empty() {
            schedule.push(running.swap_remove(rng.usize(..running.len())));
            if (next as usize) < n {
                running.push(next);
                next += 1;
            }
        }
        Driver::new(n, schedule)
    }

    /// Child `index` of a gather: it returns `value` once gate `index` opens.
    fn child(&self, index: usize, value: u64) -> GatedFuture<'_> {
        GatedFuture {
            gate: &self.gates[index],
            value,
        }
    }

    /// Runs one gather (made of `child`s) to its end.
    #[inline(never)]
    fn run(&self, gather: impl Future<Output = u64>) -> u64 {
        self.gates.iter().for_each(Gate::reset);
        let mut gather = pin!(gather);
        let mut cx = Context::from_waker(&self.waker);
        assert!(
            self.poll_while_woken(gather.as_mut(), &mut cx).is_pending(),
            "done with no child released"
        );
        for (step, &child) in self.schedule.iter().enumerate() {
            self.gates[child as usize].release();
            if !self.woken.0.load(Ordering::Relaxed) {
                continue;
            }
            if let Poll::Ready(sum) = self.poll_while_woken(gather.as_mut(), &mut cx) {
                assert_eq!(
                    step + 1,
                    self.schedule.len(),
                    "done before the last release"
                );
                return sum;
            }
        }
        panic!("still waiting after every child was released");
    }

    /// Polls until `gather` ends or waits with no wake-up pending, as an executor would.
    fn poll_while_woken<F: Future<Output = u64>>(
        &self,
        mut gather: Pin<&mut F>,
        cx: &mut Context<'_>,
    ) -> Poll<u64> {
        loop {
            self.woken.0.store(false, Ordering::Relaxed);
            if let Poll::Ready(sum) = gather.as_mut().poll(cx) {
                return Poll::Ready(sum);
            }
            if !self.woken.0.load(Ordering::Relaxed) {
                return Poll::Pending;
            }
        }
    }
}

/// How a workload's gathers are run.
#[derive(Clone, Copy)]
enum Run<'a> {
    /// One after another in one `block_on`.
    Executor,
    /// One after another, each by the driver.
    Driver(&'a Driver),
}

impl Run<'_> {
    /// Runs `units / n` gathers `gather_one(first value)` and adds up their checksums.
    fn gathers<G, F>(self, units: usize, n: usize, gather_one: G) -> u64
    where
        G: Fn(u64) -> F,
        F: Future<Output = u64>,
    {
        let firsts = (0..(units / n) as u64).map(|g| g * n as u64);
        match self {
            Run::Executor => block_on(async {
                let mut sum = 0u64;
                for first in firsts {
                    sum = sum.wrapping_add(gather_one(first).await);
                }
                sum
            }),
            Run::Driver(driver) => firsts.fold(0u64, |sum, first| {
                sum.wrapping_add(driver.run(gather_one(first)))
            }),
        }
    }
}

/// The `n` children of the gather whose first value is `first`, made lazily: `child(index,
/// first + index)`.
fn children<C, F>(n: usize, child: C, first: u64) -> impl Iterator<Item = F>
where
    C: Fn(usize, u64) -> F,
{
    (0..n).map(move |index| child(index, first + index as u64))
}

/// `try_gather`'s children: `Ok` of `children`'s.
fn ok_children<C, F>(
    n: usize,
    child: C,
    first: u64,
) -> impl Iterator<Item = impl Future<Output = Result<u64, u64>>>
where
    C: Fn(usize, u64) -> F,
    F: Future<Output = u64>,
{
    children(n, child, first).map(|future| futures::FutureExt::map(future, Ok::<u64, u64>))
}

/// Position-weighted: a wrong order changes it.
fn weighted(outputs: &[u64]) -> u64 {
    outputs
        .iter()
        .enumerate()
        .fold(0u64, |sum, (position, &value)| {
            sum.wrapping_add((position as u64 + 1).wrapping_mul(value))
        })
}

/// [`weighted`] of a `try_gather`'s outputs; an error gives a checksum mismatch.
fn weighted_ok(result: Result<Vec<u64>, u64>) -> u64 {
    result.map_or(u64::MAX, |outputs| weighted(&outputs))
}

/// Drains `stream`, adding up `each(item)`.
async fn drained<S: Stream>(stream: S, each: impl Fn(S::Item) -> u64) -> u64 {
    let mut stream = pin!(stream);
    let mut sum = 0u64;
    while let Some(item) = stream.next().await {
        sum = sum.wrapping_add(each(item));
    }
    sum
}

/// An unordered stream's outputs put in input order, as an ordered result needs: each value
/// names its slot (`value - first`). Returns their [`weighted`] sum.
async fn in_slots(stream: impl Stream<Item = u64>, first: u64, n: usize) -> u64 {
    let mut outputs = vec![0; n];
    let mut stream = pin!(stream);
    while let Some(value) = stream.next().await {
        outputs[(value - first) as usize] = value;
    }
    weighted(&outputs)
}

/// The helpers of the gather family.
#[derive(Clone, Copy)]
enum Helper {
    Gather,
    TryGather,
    AsCompleted,
    GatherLimited,
}

impl Helper {
    fn name(self, limit: usize) -> String {
        match self {
            Helper::Gather => "gather".to_owned(),
            Helper::TryGather => "try_gather".to_owned(),
            Helper::AsCompleted => "as_completed".to_owned(),
            Helper::GatherLimited => format!("gather_limited({limit})"),
        }
    }

    /// The checksum of `units / n` runs of the helper's variants.
    fn expected(self, units: usize, n: usize) -> u64 {
        if let Helper::AsCompleted = self {
            // Order-free: `2 * value` per child (see `as_completed_variants`).
            return (0..units as u64).fold(0u64, |sum, value| sum.wrapping_add(2 * value));
        }
        (0..(units / n) as u64)
            .map(|g| weighted(&(g * n as u64..(g + 1) * n as u64).collect::<Vec<_>>()))
            .fold(0u64, u64::wrapping_add)
    }

    /// The driver of its woken workloads.
    fn driver(self, n: usize, limit: usize) -> Driver {
        match self {
            Helper::GatherLimited => Driver::windowed(n, limit),
            _ => Driver::shuffled(n),
        }
    }

    fn variants<'a, C, F>(self, n: usize, limit: usize, run: Run<'a>, child: C) -> Vec<Variant<'a>>
    where
        C: Fn(usize, u64) -> F + Copy + 'a,
        F: Future<Output = u64> + 'a,
    {
        match self {
            Helper::Gather => gather_variants(n, run, child),
            Helper::TryGather => try_gather_variants(n, run, child),
            Helper::AsCompleted => as_completed_variants(n, run, child),
            Helper::GatherLimited => limited_variants(n, limit, run, child),
        }
    }
}

/// `gather_limited`'s limit at size `n`: 64, or half of a smaller `n`, so the limit binds.
fn limit_for(n: usize) -> usize {
    if n >= 128 { 64 } else { (n / 2).max(1) }
}

fn gather_variants<'a, C, F>(n: usize, run: Run<'a>, child: C) -> Vec<Variant<'a>>
where
    C: Fn(usize, u64) -> F + Copy + 'a,
    F: Future<Output = u64> + 'a,
{
    let mut variants = vec![Variant::new("asyncgen gather", move |units| {
        run.gathers(units, n, |first| async move {
            weighted(&asyncgen::gather(children(n, child, first)).await)
        })
    })];
    if n == 10 {
        variants.push(Variant::new("asyncgen gather!(10 futures)", move |units| {
            run.gathers(units, n, |b| async move {
                let f = child;
                let (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) = asyncgen::gather!(
                    f(0, b),
                    f(1, b + 1),
                    f(2, b + 2),
                    f(3, b + 3),
                    f(4, b + 4),
                    f(5, b + 5),
                    f(6, b + 6),
                    f(7, b + 7),
                    f(8, b + 8),
                    f(9, b + 9)
                )
                .await;
                weighted(&[a0, a1, a2, a3, a4, a5, a6, a7, a8, a9])
            })
        }));
    }
    variants.extend([
        Variant::new("futures::future::join_all", move |units| {
            run.gathers(units, n, |first| async move {
                weighted(&futures::future::join_all(children(n, child, first)).await)
            })
        }),
        Variant::new("futures-buffered join_all", move |units| {
            run.gathers(units, n, |first| async move {
                weighted(&futures_buffered::join_all(children(n, child, first)).await)
            })
        }),
        Variant::new(FC_JOIN, move |units| {
            run.gathers(units, n, |first| async move {
                let futures: Vec<F> = children(n, child, first).collect();
                weighted(&futures_concurrency::future::Join::join(futures).await)
            })
        }),
    ]);
    variants
}

fn try_gather_variants<'a, C, F>(n: usize, run: Run<'a>, child: C) -> Vec<Variant<'a>>
where
    C: Fn(usize, u64) -> F + Copy + 'a,
    F: Future<Output = u64> + 'a,
{
    vec![
        Variant::new("asyncgen try_gather", move |units| {
            run.gathers(units, n, |first| async move {
                weighted_ok(asyncgen::try_gather(ok_children(n, child, first)).await)
            })
        }),
        Variant::new("futures::future::try_join_all", move |units| {
            run.gathers(units, n, |first| async move {
                weighted_ok(futures::future::try_join_all(ok_children(n, child, first)).await)
            })
        }),
        Variant::new("futures-buffered try_join_all", move |units| {
            run.gathers(units, n, |first| async move {
                weighted_ok(futures_buffered::try_join_all(ok_children(n, child, first)).await)
            })
        }),
        Variant::new(FC_TRY_JOIN, move |units| {
            run.gathers(units, n, |first| async move {
                let futures: Vec<_> = ok_children(n, child, first).collect();
                weighted_ok(futures_concurrency::future::TryJoin::try_join(futures).await)
            })
        }),
    ]
}

/// The peers yield each output alone (`2 * value` each in the checksum); asyncgen yields
/// `(index, value)`, its `first + index` standing for the second `value`, so a wrong index
/// changes the sum.
fn as_completed_variants<'a, C, F>(n: usize, run: Run<'a>, child: C) -> Vec<Variant<'a>>
where
    C: Fn(usize, u64) -> F + Copy + 'a,
    F: Future<Output = u64> + 'a,
{
    vec![
        Variant::new("asyncgen as_completed", move |units| {
            run.gathers(units, n, |first| async move {
                let stream = asyncgen::as_completed(children(n, child, first));
                drained(stream, |(index, value)| value + first + index as u64).await
            })
        }),
        Variant::new("futures FuturesUnordered", move |units| {
            run.gathers(units, n, |first| async move {
                let stream: futures::stream::FuturesUnordered<F> =
                    children(n, child, first).collect();
                drained(stream, |value| 2 * value).await
            })
        }),
        Variant::new("futures-buffered FuturesUnorderedBounded", move |units| {
            run.gathers(units, n, |first| async move {
                let stream: futures_buffered::FuturesUnorderedBounded<F> =
                    children(n, child, first).collect();
                drained(stream, |value| 2 * value).await
            })
        }),
        Variant::new("futures-buffered FuturesUnordered", move |units| {
            run.gathers(units, n, |first| async move {
                let stream: futures_buffered::FuturesUnordered<F> =
                    children(n, child, first).collect();
                drained(stream, |value| 2 * value).await
            })
        }),
        Variant::new(FC_FUTURE_GROUP, move |units| {
            run.gathers(units, n, |first| async move {
                let stream: futures_concurrency::future::FutureGroup<F> =
                    children(n, child, first).collect();
                drained(stream, |value| 2 * value).await
            })
        }),
    ]
}

fn limited_variants<'a, C, F>(n: usize, limit: usize, run: Run<'a>, child: C) -> Vec<Variant<'a>>
where
    C: Fn(usize, u64) -> F + Copy + 'a,
    F: Future<Output = u64> + 'a,
{
    let input = move |first| futures::stream::iter(children(n, child, first));
    vec![
        Variant::new("asyncgen gather_limited", move |units| {
            run.gathers(units, n, |first| async move {
                weighted(&asyncgen::gather_limited(children(n, child, first), limit).await)
            })
        }),
        Variant::new("asyncgen in_order_limited", move |units| {
            run.gathers(units, n, |first| async move {
                let ordered = asyncgen::in_order_limited(children(n, child, first), limit);
                let outputs: Vec<u64> = ordered.collect().await;
                weighted(&outputs)
            })
        }),
        Variant::new("asyncgen in_order_limited(from_stream)", move |units| {
            run.gathers(units, n, |first| async move {
                let source = asyncgen::from_stream(input(first));
                let outputs: Vec<u64> = asyncgen::in_order_limited(source, limit).collect().await;
                weighted(&outputs)
            })
        }),
        Variant::new("futures buffered", move |units| {
            run.gathers(units, n, |first| async move {
                let outputs: Vec<u64> = input(first).buffered(limit).collect().await;
                weighted(&outputs)
            })
        }),
        Variant::new("futures buffer_unordered+slots", move |units| {
            run.gathers(units, n, |first| async move {
                in_slots(input(first).buffer_unordered(limit), first, n).await
            })
        }),
        Variant::new("futures-buffered buffered_ordered", move |units| {
            run.gathers(units, n, |first| async move {
                let outputs: Vec<u64> = input(first).buffered_ordered(limit).collect().await;
                weighted(&outputs)
            })
        }),
        Variant::new("futures-buffered buffered_unordered+slots", move |units| {
            run.gathers(units, n, |first| async move {
                in_slots(input(first).buffered_unordered(limit), first, n).await
            })
        }),
    ]
}

fn gather_family(options: &Options, targets: &mut Targets) {
    let total = options.size(200_000, 10_000);
    let helpers = [
        Helper::Gather,
        Helper::TryGather,
        Helper::AsCompleted,
        Helper::GatherLimited,
    ];
    for helper in helpers {
        for kind in [Kind::Ready, Kind::PendingOnce, Kind::Woken] {
            for n in [10usize, 1_000, 10_000, 100_000] {
                let limit = limit_for(n);
                let units = total.max(n) / n * n;
                let group = format!(
                    "{}/{}/N={n} ({units} futures, {} x N)",
                    helper.name(limit),
                    kind.name(),
                    units / n
                );
                // Made only where used: at N=100 000 a driver is 3 MB of gates.
                let driver = (kind == Kind::Woken).then(|| helper.driver(n, limit));
                let variants = match &driver {
                    None if kind == Kind::Ready => {
                        helper.variants(n, limit, Run::Executor, |_, value| ready_value(value))
                    }
                    None => {
                        helper.variants(n, limit, Run::Executor, |_, value| pending_once(value))
                    }
                    Some(driver) => {
                        helper.variants(n, limit, Run::Driver(driver), |index, value| {
                            driver.child(index, value)
                        })
                    }
                };
                let measured = measure_against_peers(
                    options,
                    &group,
                    "future",
                    units,
                    helper.expected(units, n),
                    variants,
                    kind == Kind::Woken && n >= 100_000,
                );
                if let Some(measured) = measured {
                    targets.time.push(against_best_peer(&measured));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Memory

/// One memory row: `size_of` the value `make` returns, and the most heap bytes live at once
/// from just before `make` runs until `drive` has run the value to its end and dropped it.
/// Both run once before, uncounted, so that what a first run allocates for good (an
/// executor's thread-local) is not counted.
fn held<V>(
    name: &'static str,
    n: usize,
    expected: u64,
    make: impl Fn() -> V,
    drive: impl Fn(V) -> u64,
) -> Memory {
    assert_eq!(drive(make()), expected, "memory/{name} checksum");
    let ((size_of, sum), counted) = heap::counted(|| {
        let value = make();
        let size_of = std::mem::size_of_val(&value);
        (size_of, drive(value))
    });
    assert_eq!(sum, expected, "memory/{name} checksum");
    Memory {
        name,
        size_of,
        peak_heap: counted.peak,
        allocations: counted.allocations,
        children: n,
    }
}

/// Awaits a gather of `Driver` children and adds up its outputs, by the driver.
fn gathered(driver: &Driver, gather: impl Future<Output = Vec<u64>>) -> u64 {
    driver.run(async { weighted(&gather.await) })
}

/// Runs a merge of `gated_streams` to its end with `drive`.
fn merged(drive: &Drive<'_>, merge: impl Stream<Item = u64>) -> u64 {
    drive.reset();
    drive.run(merge)
}

/// The memory verdict of one table: asyncgen's row (the first) against the smallest
/// futures-buffered row.
fn memory_verdict(helper: &str, rows: &[Memory]) -> String {
    let ours = &rows[0];
    let theirs = rows
        .iter()
        .filter(|row| row.name.starts_with("futures-buffered"))
        .min_by(|a, b| a.per_child().total_cmp(&b.per_child()))
        .expect("a futures-buffered row");
    let ratio = ours.per_child() / theirs.per_child();
    format!(
        "{helper:<13} asyncgen {:>7.1} B/child, {} {:.1}: {ratio:.2}x  {}",
        ours.per_child(),
        theirs.name,
        theirs.per_child(),
        pass(ratio <= 1.0)
    )
}

/// Bytes per child at N=10 000 of `gather`, `as_completed` and `merge` and their peers.
///
/// Counted: `size_of` the helper's value (on the stack) plus the highest number of heap bytes
/// live at once, above the level just before it, from making the value until it was run to
/// its end by the woken driver (every child waiting at once, then released one at a time,
/// one item each for merge) and dropped. The children are made lazily from a range inside
/// that span, so there is no input `Vec`, except for a helper that takes a `Vec` and keeps it
/// as its storage (futures-concurrency's); a helper that collects its input into a `Vec`
/// counts it. A gather's peak includes the outputs it collects and returns (8 bytes a
/// child), dropped inside the span. Not counted: the gates and the driver's schedule (made
/// before, shared by every variant).
fn memory_tables(options: &Options, targets: &mut Targets) {
    let n = 10_000;
    let child_note = format!(
        "children: {}-byte gated futures (a `&Gate` and a `u64`, output `u64`)",
        std::mem::size_of::<GatedFuture<'_>>()
    );
    let title = format!(
        "memory/gather at N={n}: bytes per child = (size_of + peak heap) / N; {child_note}"
    );
    if options.wants(&title) {
        let driver = &Driver::shuffled(n);
        let child = |index, value| driver.child(index, value);
        let expected = weighted(&(0..n as u64).collect::<Vec<_>>());
        let rows = [
            held(
                "asyncgen gather",
                n,
                expected,
                || asyncgen::gather(children(n, child, 0)),
                |gather| gathered(driver, gather),
            ),
            held(
                "futures::future::join_all",
                n,
                expected,
                || futures::future::join_all(children(n, child, 0)),
                |gather| gathered(driver, gather),
            ),
            held(
                "futures-buffered join_all",
                n,
                expected,
                || futures_buffered::join_all(children(n, child, 0)),
                |gather| gathered(driver, gather),
            ),
            held(
                FC_JOIN,
                n,
                expected,
                || {
                    futures_concurrency::future::Join::join(
                        children(n, child, 0).collect::<Vec<_>>(),
                    )
                },
                |gather| gathered(driver, gather),
            ),
        ];
        print_memory(options, &title, &rows);
        targets.memory.push(memory_verdict("gather", &rows));
    }
    let title = format!("memory/as_completed at N={n}: as above; {child_note}");
    if options.wants(&title) {
        let driver = &Driver::shuffled(n);
        let child = |index, value| driver.child(index, value);
        let expected = Helper::AsCompleted.expected(n, n);
        let peer = |value| 2 * value;
        let rows = [
            held(
                "asyncgen as_completed",
                n,
                expected,
                || asyncgen::as_completed(children(n, child, 0)),
                |stream| driver.run(drained(stream, |(index, value)| value + index as u64)),
            ),
            held(
                "futures FuturesUnordered",
                n,
                expected,
                || children(n, child, 0).collect::<futures::stream::FuturesUnordered<_>>(),
                |stream| driver.run(drained(stream, peer)),
            ),
            held(
                "futures-buffered FuturesUnorderedBounded",
                n,
                expected,
                || children(n, child, 0).collect::<futures_buffered::FuturesUnorderedBounded<_>>(),
                |stream| driver.run(drained(stream, peer)),
            ),
            held(
                "futures-buffered FuturesUnordered",
                n,
                expected,
                || children(n, child, 0).collect::<futures_buffered::FuturesUnordered<_>>(),
                |stream| driver.run(drained(stream, peer)),
            ),
            held(
                FC_FUTURE_GROUP,
                n,
                expected,
                || children(n, child, 0).collect::<futures_concurrency::future::FutureGroup<_>>(),
                |stream| driver.run(drained(stream, peer)),
            ),
        ];
        print_memory(options, &title, &rows);
        targets.memory.push(memory_verdict("as_completed", &rows));
    }
    let title = format!(
        "memory/merge at N={n}: as above; children: {}-byte gated streams (a `&Gate` and two \
         `u64`s, one `u64` item each)",
        std::mem::size_of::<Gated<'_>>()
    );
    if options.wants(&title) {
        let (gates, schedule) = merge_schedule(n, 1);
        let gates = &gates;
        let drive = &Drive::Woken {
            gates,
            schedule: &schedule,
        };
        let expected = gated_sum(n, 1);
        let rows = [
            held(
                "asyncgen merge",
                n,
                expected,
                || asyncgen::merge(gated_streams(gates, 1)),
                |merge| merged(drive, merge),
            ),
            held(
                "futures::stream::select_all",
                n,
                expected,
                || futures::stream::select_all(gated_streams(gates, 1)),
                |merge| merged(drive, merge),
            ),
            held(
                FC_MERGE,
                n,
                expected,
                || {
                    futures_concurrency::stream::Merge::merge(
                        gated_streams(gates, 1).collect::<Vec<_>>(),
                    )
                },
                |merge| merged(drive, merge),
            ),
            held(
                STREAM_MAP,
                n,
                expected,
                || stream_map(gated_streams(gates, 1)),
                |map| merged(drive, map.map(|(_, item)| item)),
            ),
            held(
                "futures-buffered MergeBounded",
                n,
                expected,
                || gated_streams(gates, 1).collect::<futures_buffered::MergeBounded<_>>(),
                |merge| merged(drive, merge),
            ),
        ];
        print_memory(options, &title, &rows);
        targets.memory.push(memory_verdict("merge", &rows));
    }
}

// ---------------------------------------------------------------------------------------------
// README promises: try_gather time-to-error, gather_limited makespan (tokio time)

fn real_time() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
}

fn paused_time() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime")
}

type Job<S> = for<'s> fn(&'s S) -> Pin<Box<dyn Future<Output = u64> + 's>>;

/// Runs `jobs` on real tokio time through the harness, then once each on the paused clock,
/// printing their virtual times.
fn measure_jobs<S>(
    options: &Options,
    group: &str,
    unit: &'static str,
    expected: u64,
    spec: &S,
    jobs: &[(&'static str, Job<S>)],
) -> Option<(Measured, Vec<Duration>)> {
    let runtime = &real_time();
    let variants: Vec<Variant<'_>> = jobs
        .iter()
        .map(|&(name, job)| Variant::new(name, move |_| runtime.block_on(job(spec))))
        .collect();
    let measured = measure(options, group, unit, 1, expected, &variants)?;
    println!("  virtual time on tokio's paused clock:");
    let virtual_times: Vec<Duration> = jobs
        .iter()
        .map(|&(name, job)| {
            let (elapsed, sum) = paused_time().block_on(async {
                let start = tokio::time::Instant::now();
                let sum = job(spec).await;
                (start.elapsed(), sum)
            });
            assert_eq!(sum, expected, "{group}/{name} checksum (paused clock)");
            println!("  {name:<40} {:>12.3} ms", elapsed.as_secs_f64() * 1e3);
            elapsed
        })
        .collect();
    Some((measured, virtual_times))
}

/// Time-to-error: child `slow` takes `slow_time`, child `fail` fails after `fail_time`, the
/// others succeed at once.
struct ErrorSpec {
    count: u64,
    slow: u64,
    fail: u64,
    slow_time: Duration,
    fail_time: Duration,
}

impl ErrorSpec {
    async fn child(&self, index: u64) -> Result<u64, u64> {
        if index == self.slow {
            tokio::time::sleep(self.slow_time).await;
        } else if index == self.fail {
            tokio::time::sleep(self.fail_time).await;
            return Err(index);
        }
        Ok(index)
    }

    fn children(&self) -> impl Iterator<Item = impl Future<Output = Result<u64, u64>> + '_> {
        (0..self.count).map(|index| self.child(index))
    }
}

/// The error's index, or `u64::MAX` (a checksum mismatch) if it succeeded.
fn error_of(result: Result<Vec<u64>, u64>) -> u64 {
    result.err().unwrap_or(u64::MAX)
}

fn time_to_error(options: &Options, targets: &mut Targets) {
    let slow_time = Duration::from_millis(options.size(1000, 100) as u64);
    let fail_time = Duration::from_millis(1);
    let jobs: [(&'static str, Job<ErrorSpec>); 5] = [
        ("the failing child alone", |spec| {
            Box::pin(async move { spec.child(spec.fail).await.err().unwrap_or(u64::MAX) })
        }),
        ("asyncgen try_gather", |spec| {
            Box::pin(async move { error_of(asyncgen::try_gather(spec.children()).await) })
        }),
        ("futures::future::try_join_all", |spec| {
            Box::pin(async move { error_of(futures::future::try_join_all(spec.children()).await) })
        }),
        (FC_TRY_JOIN, |spec| {
            Box::pin(async move {
                let children: Vec<_> = spec.children().collect();
                error_of(futures_concurrency::future::TryJoin::try_join(children).await)
            })
        }),
        ("futures-buffered try_join_all", |spec| {
            Box::pin(async move { error_of(futures_buffered::try_join_all(spec.children()).await) })
        }),
    ];
    // 2 children: `try_join_all` polls them all and returns the first `Err` it sees; 100
    // (> 30): it reports errors in input order, so it waits for the slow child first.
    for count in [2u64, 100] {
        let spec = ErrorSpec {
            count,
            slow: 0,
            fail: 1,
            slow_time,
            fail_time,
        };
        let group = format!(
            "try_gather time-to-error/{count} futures (child 1 fails at {} ms, child 0 takes {} ms; \
             first row: the failing child alone)",
            fail_time.as_millis(),
            slow_time.as_millis()
        );
        let Some((measured, virtual_times)) =
            measure_jobs(options, &group, "error", 1, &spec, &jobs)
        else {
            continue;
        };
        let alone = measured.rows[0].ns;
        let ours = measured.rows[1].ns;
        targets.promises.push(format!(
            "try_gather returns at the failing child's time, {count} futures: {:.2} ms vs the \
             failing child's {:.2} ms = {:.2}x (median ratio {:.2}x; paused clock {:.1} ms vs \
             {:.1} ms) (target <= 2x)  {}",
            ours / 1e6,
            alone / 1e6,
            ours / alone,
            measured.rows[1].ratio,
            virtual_times[1].as_secs_f64() * 1e3,
            virtual_times[0].as_secs_f64() * 1e3,
            pass(measured.rows[1].ratio <= 2.0)
        ));
    }
}

/// `gather_limited`: future `i` sleeps `delays[i]` and returns `i`.
struct LimitedSpec {
    delays: Vec<Duration>,
    limit: usize,
}

impl LimitedSpec {
    async fn child(&self, index: usize) -> u64 {
        tokio::time::sleep(self.delays[index]).await;
        index as u64
    }

    fn children(&self) -> impl Iterator<Item = impl Future<Output = u64> + '_> {
        (0..self.delays.len()).map(|index| self.child(index))
    }
}

fn limited(options: &Options, targets: &mut Targets) {
    let count = options.size(10_000, 1_000);
    let limit = 64;
    let mut rng = fastrand::Rng::with_seed(8);
    let delays: Vec<Duration> = (0..count)
        .map(|index| {
            if index == 0 {
                Duration::from_millis(50)
            } else {
                Duration::from_micros(rng.u64(0..=1000))
            }
        })
        .collect();
    let spec = LimitedSpec { delays, limit };
    let expected = weighted(&(0..count as u64).collect::<Vec<_>>());
    let jobs: [(&'static str, Job<LimitedSpec>); 5] = [
        ("asyncgen gather_limited(64)", |spec| {
            Box::pin(async move {
                weighted(&asyncgen::gather_limited(spec.children(), spec.limit).await)
            })
        }),
        ("futures buffered(64)", |spec| {
            Box::pin(async move {
                let outputs: Vec<u64> = futures::stream::iter(spec.children())
                    .buffered(spec.limit)
                    .collect()
                    .await;
                weighted(&outputs)
            })
        }),
        ("futures buffer_unordered(64) + sort", |spec| {
            Box::pin(async move {
                let mut outputs: Vec<u64> = futures::stream::iter(spec.children())
                    .buffer_unordered(spec.limit)
                    .collect()
                    .await;
                outputs.sort_unstable();
                weighted(&outputs)
            })
        }),
        ("futures-buffered buffered_ordered(64)", |spec| {
            Box::pin(async move {
                let outputs: Vec<u64> = futures::stream::iter(spec.children())
                    .buffered_ordered(spec.limit)
                    .collect()
                    .await;
                weighted(&outputs)
            })
        }),
        ("futures-buffered buffered_unordered+sort", |spec| {
            Box::pin(async move {
                let mut outputs: Vec<u64> = futures::stream::iter(spec.children())
                    .buffered_unordered(spec.limit)
                    .collect()
                    .await;
                outputs.sort_unstable();
                weighted(&outputs)
            })
        }),
    ];
    let group = format!(
        "gather_limited(64)/{count} futures of 0-1 ms, the first 50 ms (makespan; ns per run)"
    );
    let Some((measured, virtual_times)) =
        measure_jobs(options, &group, "run", expected, &spec, &jobs)
    else {
        return;
    };
    // Real time is noisy (timer jitter): "no worse" allows 2 % there; the paused clock has
    // no jitter and must not be worse at all.
    let unordered = measured.rows[2].ratio;
    targets.promises.push(format!(
        "gather_limited(64) without head-of-line blocking, makespan: {:.1} ms, \
         buffer_unordered(64) + sort {:.1} ms, median ratio {unordered:.3}x asyncgen's; paused \
         clock {:.1} ms vs {:.1} ms (target: no worse; real-time ratio >= 0.98 and paused clock \
         <=)  {}",
        measured.rows[0].ns / 1e6,
        measured.rows[2].ns / 1e6,
        virtual_times[0].as_secs_f64() * 1e3,
        virtual_times[2].as_secs_f64() * 1e3,
        pass(unordered >= 0.98 && virtual_times[0] <= virtual_times[2])
    ));
}
