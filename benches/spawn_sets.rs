//! `cargo bench --bench spawn_sets`: asyncgen's `SpawnSet` against tokio-util's `JoinMap` (and
//! tokio's unkeyed `JoinSet`, the floor a keyed set builds on), every variant of a workload in
//! one process, interleaved round by round (see `harness`). The first row of each table is
//! `SpawnSet`, so the last column reads "x SpawnSet": above 1.00 the peer is slower.
//!
//! Everything runs on a current-thread tokio runtime (built and dropped off the clock): the
//! cost measured is the set's and tokio's task machinery, per task, with `u64` keys.
//!
//! - `rolling/N=..`: N tasks in flight; each task returns its key at its first poll; per task
//!   joined, a new one is spawned under a fresh key, until M tasks have run. A unit is one
//!   task: spawned, run, joined. `JoinSet` has no keys: its task returns its key with its
//!   output, as a user of it would write.
//! - `abort/N=..`: N tasks that never end (spawned off the clock); per unit one of them, chosen
//!   at random (seeded, the same schedule for each variant), is aborted by its key, its
//!   cancellation joined, and a new never-ending task spawned under that key. `JoinSet` has no
//!   abort by key and is not in this table.
//!
//! Options (after `--`): as `harness` (`--rounds R`, `--quick`, `--only NAME`, `--items M`, a
//! filter word).

mod harness;

use asyncgen::SpawnSet;
use harness::{Measured, Options, Variant, measure, untimed};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;
use tokio_util::task::JoinMap;

const SPAWN_SET: &str = "asyncgen SpawnSet";
const JOIN_MAP: &str = "tokio-util JoinMap";
const JOIN_SET: &str = "tokio JoinSet (no keys)";

fn main() {
    let options = Options::from_args();
    println!(
        "asyncgen SpawnSet benches: the first row of each table is asyncgen's SpawnSet (\"x \
         first\" = x SpawnSet; > 1.00: the peer is slower). Runtime set-up and drop are off the \
         clock."
    );
    let mut verdicts = Vec::new();
    for n in [64, 10_000] {
        rolling(&options, n, &mut verdicts);
    }
    for n in [64, 10_000] {
        abort(&options, n, &mut verdicts);
    }
    if !verdicts.is_empty() {
        println!("\nSpawnSet's time over JoinMap's (median of the per-round ratios):");
        for line in &verdicts {
            println!("  {line}");
        }
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// What a set must do for the workloads, so one driver runs each.
trait Keyed: Default {
    fn spawn_key(&mut self, key: u64);
    fn spawn_pending(&mut self, key: u64);
    fn abort_key(&mut self, key: u64);
    /// The next result: its key, and whether the task ended with its output (`false`: it was
    /// cancelled).
    async fn join(&mut self) -> Option<(u64, bool)>;
}

impl Keyed for SpawnSet<u64, u64> {
    fn spawn_key(&mut self, key: u64) {
        self.spawn(key, async move { key });
    }
    fn spawn_pending(&mut self, key: u64) {
        self.spawn(key, std::future::pending());
    }
    fn abort_key(&mut self, key: u64) {
        assert!(self.abort(&key));
    }
    async fn join(&mut self) -> Option<(u64, bool)> {
        let (key, result) = self.join_next().await?;
        Some(match result {
            Ok(value) => (value, true),
            Err(error) => {
                assert!(error.is_cancelled());
                (key, false)
            }
        })
    }
}

impl Keyed for JoinMap<u64, u64> {
    fn spawn_key(&mut self, key: u64) {
        self.spawn(key, async move { key });
    }
    fn spawn_pending(&mut self, key: u64) {
        self.spawn(key, std::future::pending());
    }
    fn abort_key(&mut self, key: u64) {
        assert!(self.abort(&key));
    }
    async fn join(&mut self) -> Option<(u64, bool)> {
        let (key, result) = self.join_next().await?;
        Some(match result {
            Ok(value) => (value, true),
            Err(error) => {
                assert!(error.is_cancelled());
                (key, false)
            }
        })
    }
}

/// Unkeyed: the key travels in the output (`rolling` only).
impl Keyed for JoinSet<u64> {
    fn spawn_key(&mut self, key: u64) {
        self.spawn(async move { key });
    }
    fn spawn_pending(&mut self, _: u64) {
        unreachable!("no abort by key")
    }
    fn abort_key(&mut self, _: u64) {
        unreachable!("no abort by key")
    }
    async fn join(&mut self) -> Option<(u64, bool)> {
        let value = self.join_next().await?.expect("the task ends with its key");
        Some((value, true))
    }
}

/// `rolling`: M tasks through a set of N in flight; returns the sum of the keys joined.
fn run_rolling<S: Keyed>(n: usize, m: usize) -> u64 {
    let runtime = untimed(runtime);
    let sum = runtime.block_on(async {
        let mut set = S::default();
        let mut spawned = 0;
        while spawned < n.min(m) {
            set.spawn_key(spawned as u64);
            spawned += 1;
        }
        let mut sum = 0;
        while let Some((key, ended)) = set.join().await {
            assert!(ended);
            sum += key;
            if spawned < m {
                set.spawn_key(spawned as u64);
                spawned += 1;
            }
        }
        sum
    });
    untimed(move || drop(runtime));
    sum
}

fn rolling(options: &Options, n: usize, verdicts: &mut Vec<String>) {
    let m = options.items(100_000, 10_000);
    let group = format!("rolling/N={n} ({m} tasks, each spawned, run and joined; N in flight)");
    let expected = (m as u64) * (m as u64 - 1) / 2;
    let variants = [
        Variant::new(SPAWN_SET, move |m| run_rolling::<SpawnSet<u64, u64>>(n, m)),
        Variant::new(JOIN_MAP, move |m| run_rolling::<JoinMap<u64, u64>>(n, m)),
        Variant::new(JOIN_SET, move |m| run_rolling::<JoinSet<u64>>(n, m)),
    ];
    if let Some(measured) = measure(options, &group, "task", m, expected, &variants) {
        verdicts.push(verdict(&measured, &format!("rolling/N={n}")));
    }
}

/// `abort`: per unit, aborts the task under `schedule[i]`, joins its cancellation and spawns
/// a new one there; returns the number of cancellations joined.
fn run_abort<S: Keyed>(n: usize, schedule: &[u64]) -> u64 {
    let runtime = untimed(runtime);
    let mut set = untimed(|| {
        let _entered = runtime.enter();
        let mut set = S::default();
        for key in 0..n as u64 {
            set.spawn_pending(key);
        }
        set
    });
    let cancelled = runtime.block_on(async {
        let mut cancelled = 0;
        for &key in schedule {
            set.abort_key(key);
            let (joined, ended) = set.join().await.expect("N tasks in the set");
            assert!(joined == key && !ended);
            cancelled += 1;
            set.spawn_pending(key);
        }
        cancelled
    });
    untimed(move || {
        drop(set);
        drop(runtime);
    });
    cancelled
}

fn abort(options: &Options, n: usize, verdicts: &mut Vec<String>) {
    let m = options.items(100_000, 10_000);
    let group = format!(
        "abort/N={n} ({m} aborts by key, each cancellation joined and the task replaced; N in \
         flight)"
    );
    if options
        .filter
        .as_ref()
        .is_some_and(|f| !group.contains(f.as_str()))
    {
        return;
    }
    let mut rng = fastrand::Rng::with_seed(28);
    let schedule: Vec<u64> = (0..m).map(|_| rng.u64(..n as u64)).collect();
    let schedule = &schedule;
    let variants = [
        Variant::new(SPAWN_SET, move |m| {
            run_abort::<SpawnSet<u64, u64>>(n, &schedule[..m])
        }),
        Variant::new(JOIN_MAP, move |m| {
            run_abort::<JoinMap<u64, u64>>(n, &schedule[..m])
        }),
    ];
    if let Some(measured) = measure(options, &group, "abort", m, m as u64, &variants) {
        verdicts.push(verdict(&measured, &format!("abort/N={n}")));
    }
}

fn verdict(measured: &Measured, workload: &str) -> String {
    let ours = &measured.rows[0];
    let join_map = measured
        .rows
        .iter()
        .find(|row| row.name == JOIN_MAP)
        .expect("a JoinMap row");
    format!(
        "{workload:<16} {:.2} ({:.0} against {:.0} ns per {})",
        ours.ratio_to(join_map),
        ours.ns,
        join_map.ns,
        measured.unit
    )
}
