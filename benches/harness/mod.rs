//! The benchmarks' one harness: every variant of a workload runs in the same process,
//! interleaved round by round (the order rotates each round, round 0 only warms up), so
//! machine noise hits every variant alike. It prints the median time per unit of work and the
//! median of the per-round ratios to the first variant (the baseline).
//!
//! Command-line options (after `--`): `--rounds R` (default 9), `--quick` (fewer items: a
//! smoke run), `--only NAME` (run the variants whose `group/name` contains NAME once, with no
//! timing: for `valgrind --tool=callgrind`), `--items N` (units per run, for the workloads
//! that read it with [`Options::items`]: run `--only` at two sizes and subtract to cancel the
//! setup), and a filter word (a group name part).
#![allow(dead_code)] // each bench uses a part

use std::hint::black_box;
use std::time::Instant;

/// What the command line asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub rounds: usize,
    pub quick: bool,
    pub only: Option<String>,
    pub filter: Option<String>,
    /// `--items N`: overrides [`Options::items`].
    pub items: Option<usize>,
}

impl Options {
    pub fn from_args() -> Self {
        let mut options = Options {
            rounds: 9,
            quick: false,
            only: None,
            filter: None,
            items: None,
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

/// One workload's result: per variant, the median ns per unit and the median ratio to the
/// baseline (the first variant).
pub struct Measured {
    pub group: String,
    pub unit: &'static str,
    pub rows: Vec<(&'static str, f64, f64)>,
}

/// Runs `variants` interleaved for `options.rounds` rounds of `units` units each, checks every
/// checksum against `expected`, prints the table and returns it. With `--only`, runs the
/// matching variants once, untimed, and returns `None`.
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
    for round in 0..=rounds {
        for offset in 0..variants.len() {
            let index = (round + offset) % variants.len();
            let variant = &variants[index];
            let start = Instant::now();
            let sum = (variant.run)(black_box(units));
            let ns_per_unit = start.elapsed().as_nanos() as f64 / units as f64;
            assert_eq!(sum, expected, "{group}/{} checksum", variant.name);
            if round > 0 {
                times[index].push(ns_per_unit);
            }
        }
    }
    let rows: Vec<(&'static str, f64, f64)> = variants
        .iter()
        .enumerate()
        .map(|(index, variant)| {
            let mut ratios: Vec<f64> = (0..rounds)
                .map(|round| times[index][round] / times[0][round])
                .collect();
            (variant.name, median(&mut times[index]), median(&mut ratios))
        })
        .collect();
    let measured = Measured {
        group: group.to_owned(),
        unit,
        rows,
    };
    measured.print(rounds);
    Some(measured)
}

impl Measured {
    fn print(&self, rounds: usize) {
        println!();
        println!(
            "{} (median of {rounds} interleaved rounds)\n  {:<40} {:>12} {:>10}",
            self.group,
            "variant",
            format!("ns/{}", self.unit),
            "x first"
        );
        for (name, ns, ratio) in &self.rows {
            println!("  {name:<40} {ns:>12.2} {ratio:>10.2}");
        }
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
