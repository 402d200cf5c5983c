//! The benchmarks' one harness: every variant of a workload runs in the same process,
//! interleaved round by round (the order rotates each round, round 0 only warms up), so
//! machine noise hits every variant alike. It prints the median time per unit of work and the
//! median of the per-round ratios to the first variant (the baseline).
//!
//! Command-line options (after `--`): `--rounds R` (default 9), `--quick` (fewer items: a
//! smoke run), `--only NAME` (run the variants whose `group/name` contains NAME once, with no
//! timing: for `valgrind --tool=callgrind`), `--items N` (units per run, for the workloads
//! that read it with [`Options::items`]: run `--only` at two sizes and subtract to cancel the
//! setup), `--cap SECONDS` (a variant whose warm-up run takes longer is timed by that run
//! alone; default 1, 0.2 with `--quick`), and a filter word (a group name part).
//!
//! A variant may run its setup and teardown through [`untimed`] to keep them off its time.
#![allow(dead_code)] // each bench uses a part

pub mod gate;
pub mod heap;

use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, Instant};

thread_local! {
    /// Time spent in [`untimed`] since the last [`take_untimed`].
    static UNTIMED: Cell<Duration> = const { Cell::new(Duration::ZERO) };
}

/// Runs `f` off the clock: [`measure`] subtracts its time from the variant's run (for setup
/// and teardown that is not the work measured, such as building a set of N children before
/// its items are timed). Costs two `Instant::now` calls.
pub fn untimed<R>(f: impl FnOnce() -> R) -> R {
    let start = Instant::now();
    let result = f();
    let elapsed = start.elapsed();
    UNTIMED.with(|untimed| untimed.set(untimed.get() + elapsed));
    result
}

/// The time spent in [`untimed`] since the last call, and resets it.
fn take_untimed() -> Duration {
    UNTIMED.with(|untimed| untimed.replace(Duration::ZERO))
}

/// What the command line asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub rounds: usize,
    pub quick: bool,
    pub only: Option<String>,
    pub filter: Option<String>,
    /// `--items N`: overrides [`Options::items`].
    pub items: Option<usize>,
    /// `--cap SECONDS`: overrides [`Options::cap`]'s default.
    pub cap: Option<f64>,
}

impl Options {
    pub fn from_args() -> Self {
        let mut options = Options {
            rounds: 9,
            quick: false,
            only: None,
            filter: None,
            items: None,
            cap: None,
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
                "--quick" => options.quick = true,
                "--only" => options.only = args.next(),
                "--items" => {
                    options.items =
                        Some(args.next().and_then(|v| v.parse().ok()).expect("--items N"))
                }
                "--cap" => {
                    options.cap = Some(args.next().and_then(|v| v.parse().ok()).expect("--cap S"))
                }
                // `cargo bench` passes `--bench`.
                word if !word.starts_with('-') => options.filter = Some(word.to_owned()),
                _ => {}
            }
        }
        options
    }

    /// `full`, or `quick` under `--quick`.
    pub fn size(&self, full: usize, quick: usize) -> usize {
        if self.quick { quick } else { full }
    }

    /// Like [`Options::size`], but `--items N` overrides both.
    pub fn items(&self, full: usize, quick: usize) -> usize {
        self.items.unwrap_or_else(|| self.size(full, quick))
    }

    /// A variant whose warm-up run takes longer than this is not run again: its one run is
    /// its time. It keeps a peer that is O(n) per item (one that scans every child on each
    /// wake-up) from taking minutes, while its row still shows how slow it is.
    pub fn cap(&self) -> Duration {
        Duration::from_secs_f64(self.cap.unwrap_or(if self.quick { 0.2 } else { 1.0 }))
    }

    /// Whether a table titled `title` is printed: not under `--only`, and only if the filter
    /// word (if any) is part of it. For the tables [`measure`] does not make.
    pub fn wants(&self, title: &str) -> bool {
        self.only.is_none()
            && self
                .filter
                .as_ref()
                .is_none_or(|filter| title.contains(filter.as_str()))
    }
}

/// One way of doing a workload's work: `run(units)` does `units` units of work (items,
/// futures, ..) and returns a checksum that must equal the workload's expected one.
pub struct Variant<'a> {
    pub name: &'static str,
    pub run: Box<dyn Fn(usize) -> u64 + 'a>,
}

impl<'a> Variant<'a> {
    pub fn new(name: &'static str, run: impl Fn(usize) -> u64 + 'a) -> Self {
        Variant {
            name,
            run: Box::new(run),
        }
    }
}

/// One variant's result: the median ns per unit and the median of the per-round ratios to the
/// baseline (the first variant).
pub struct Row {
    pub name: &'static str,
    pub ns: f64,
    pub ratio: f64,
    /// Its warm-up run took longer than [`Options::cap`]: `ns` and `ratio` are that run's.
    pub once: bool,
    /// Its ns per unit in each timed round (the warm-up run's alone if `once`).
    pub rounds: Vec<f64>,
}

impl Row {
    /// The median of the per-round ratios of this row's time to `other`'s (below 1: this row
    /// is faster); the ratio of the two times if either ran once.
    pub fn ratio_to(&self, other: &Row) -> f64 {
        if self.once || other.once {
            return self.ns / other.ns;
        }
        let mut ratios: Vec<f64> = self
            .rounds
            .iter()
            .zip(&other.rounds)
            .map(|(ours, theirs)| ours / theirs)
            .collect();
        median(&mut ratios)
    }
}

/// One workload's result, a row per variant.
pub struct Measured {
    pub group: String,
    pub unit: &'static str,
    pub rows: Vec<Row>,
}

/// Runs `variants` interleaved for `options.rounds` rounds of `units` units each, checks every
/// checksum against `expected`, prints the table and returns it. A variant other than the
/// first whose warm-up run takes longer than [`Options::cap`] is not run again (its row is
/// marked). With `--only`, runs the matching variants once, untimed, and returns `None`.
pub fn measure(
    options: &Options,
    group: &str,
    unit: &'static str,
    units: usize,
    expected: u64,
    variants: &[Variant<'_>],
) -> Option<Measured> {
    if let Some(filter) = &options.filter {
        if !group.contains(filter.as_str()) {
            return None;
        }
    }
    if let Some(only) = &options.only {
        for variant in variants {
            if format!("{group}/{}", variant.name).contains(only.as_str()) {
                let sum = (variant.run)(black_box(units));
                assert_eq!(sum, expected, "{group}/{} checksum", variant.name);
            }
        }
        return None;
    }
    let rounds = options.rounds.max(1);
    let mut times = vec![Vec::with_capacity(rounds); variants.len()];
    let mut warm_up = vec![0.0; variants.len()];
    let mut once = vec![false; variants.len()];
    for round in 0..=rounds {
        for offset in 0..variants.len() {
            let index = (round + offset) % variants.len();
            if once[index] {
                continue;
            }
            let variant = &variants[index];
            take_untimed();
            let start = Instant::now();
            let sum = (variant.run)(black_box(units));
            let elapsed = start.elapsed().saturating_sub(take_untimed());
            let ns_per_unit = elapsed.as_nanos() as f64 / units as f64;
            assert_eq!(sum, expected, "{group}/{} checksum", variant.name);
            if round > 0 {
                times[index].push(ns_per_unit);
            } else {
                warm_up[index] = ns_per_unit;
                once[index] = index > 0 && elapsed > options.cap();
            }
        }
    }
    let rows: Vec<Row> = variants
        .iter()
        .enumerate()
        .map(|(index, variant)| {
            if once[index] {
                return Row {
                    name: variant.name,
                    ns: warm_up[index],
                    ratio: warm_up[index] / warm_up[0],
                    once: true,
                    rounds: vec![warm_up[index]],
                };
            }
            let mut ratios: Vec<f64> = (0..rounds)
                .map(|round| times[index][round] / times[0][round])
                .collect();
            let rounds = times[index].clone();
            Row {
                name: variant.name,
                ns: median(&mut times[index]),
                ratio: median(&mut ratios),
                once: false,
                rounds,
            }
        })
        .collect();
    let measured = Measured {
        group: group.to_owned(),
        unit,
        rows,
    };
    measured.print(rounds, options.cap());
    Some(measured)
}

impl Measured {
    fn print(&self, rounds: usize, cap: Duration) {
        println!();
        println!(
            "{} (median of {rounds} interleaved rounds)\n  {:<40} {:>12} {:>10}",
            self.group,
            "variant",
            format!("ns/{}", self.unit),
            "x first"
        );
        for row in &self.rows {
            let Row {
                name, ns, ratio, ..
            } = row;
            let note = if row.once {
                format!(
                    "  (1 run: its warm-up took over {:.1} s)",
                    cap.as_secs_f64()
                )
            } else {
                String::new()
            };
            println!("  {name:<40} {ns:>12.2} {ratio:>10.2}{note}");
        }
    }
}

/// One row of a memory table: what a value holds while it runs `children` children.
pub struct Memory {
    pub name: &'static str,
    /// `size_of` the value.
    pub size_of: usize,
    /// The most heap bytes live at once, above the level before the value was made.
    pub peak_heap: usize,
    /// Allocations (`alloc`, `alloc_zeroed`, `realloc`) in all.
    pub allocations: usize,
    pub children: usize,
}

impl Memory {
    /// `(size_of + peak heap) / children`.
    pub fn per_child(&self) -> f64 {
        (self.size_of + self.peak_heap) as f64 / self.children as f64
    }
}

/// Prints a memory table (see [`Memory`]) under `title`, if [`Options::wants`] it.
pub fn print_memory(options: &Options, title: &str, rows: &[Memory]) {
    if !options.wants(title) {
        return;
    }
    println!();
    println!(
        "{title}\n  {:<40} {:>8} {:>12} {:>12} {:>12}",
        "variant", "size_of", "peak heap", "allocations", "bytes/child"
    );
    for row in rows {
        println!(
            "  {:<40} {:>8} {:>12} {:>12} {:>12.1}",
            row.name,
            row.size_of,
            row.peak_heap,
            row.allocations,
            row.per_child()
        );
    }
}

/// The median (the upper one for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `(size_of a variant's value, bytes it allocated when made)`; `None`: no such variant.
pub type Footprint = Option<(usize, usize)>;

/// Prints a table of sizes in bytes, one column per workload: each entry is `(size_of the
/// variant's value, bytes it allocated when made)`, printed `48` or `8 + 64`, and `-` where a
/// variant has no entry. Skipped under `--only`, and when a filter word is given that `title`
/// does not contain.
pub fn print_sizes(
    options: &Options,
    title: &str,
    columns: &[&str],
    rows: &[(&'static str, Vec<Footprint>)],
) {
    if options.only.is_some()
        || options
            .filter
            .as_ref()
            .is_some_and(|filter| !title.contains(filter.as_str()))
    {
        return;
    }
    println!();
    print!("{title}\n  {:<40}", "variant");
    for column in columns {
        print!(" {column:>14}");
    }
    println!();
    for (name, sizes) in rows {
        print!("  {name:<40}");
        for size in sizes {
            let text = match size {
                Some((inline, 0)) => inline.to_string(),
                Some((inline, heap)) => format!("{inline} + {heap}"),
                None => "-".to_owned(),
            };
            print!(" {text:>14}");
        }
        println!();
    }
}
