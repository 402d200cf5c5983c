//! The sweep: for each helper, each of its hooks, each seed, every call of that hook made to
//! panic in turn.

use std::collections::BTreeMap;

use crate::drive::{Case, run};
use crate::plan::Hook;
use crate::subjects::CASES;

/// Seeds per (helper, hook); under Miri, one.
fn seeds() -> std::ops::Range<u64> {
    0..support::iterations(32, 1) as u64
}

/// At most this many calls of a hook are made to panic per seed (spread over all of them);
/// under Miri, 2: the first and the last (Miri checks the unwinding paths for undefined
/// behaviour; the many calls in between are the full run's, which 38 helper forms made too
/// long for CI under Miri at 3).
fn most_calls() -> usize {
    support::iterations(40, 2)
}

/// `count` calls, or `most` of them spread evenly, the first and the last included.
fn calls_to_panic(count: usize, most: usize) -> Vec<usize> {
    if count <= most {
        return (1..=count).collect();
    }
    let mut calls: Vec<usize> = (0..most)
        .map(|i| 1 + i * (count - 1) / (most - 1))
        .collect();
    calls.dedup();
    calls
}

/// Sweeps `case`: returns, per hook, how many runs panicked at one of its calls.
fn sweep(case: &Case) -> BTreeMap<Hook, usize> {
    let mut runs = BTreeMap::new();
    for &hook in case.hooks {
        let mut calls_seen = 0;
        for seed in seeds() {
            let counted = run(case, hook, 0, seed).unwrap_or_else(|problem| {
                panic!("{}, seed {seed}, no panic injected: {problem}", case.name)
            });
            calls_seen += counted.calls;
            for at in calls_to_panic(counted.calls, most_calls()) {
                let ran = run(case, hook, at, seed).unwrap_or_else(|problem| {
                    panic!(
                        "{}, seed {seed}, {hook:?} panicking at its call {at} of {}: {problem}",
                        case.name, counted.calls
                    )
                });
                assert_eq!(
                    ran.fired, 1,
                    "{}, seed {seed}: {hook:?} call {at} of {} never came (the run took another \
                     path)",
                    case.name, counted.calls
                );
                *runs.entry(hook).or_insert(0) += 1;
            }
        }
        // (Under Miri one seed may not reach every hook; the full run checks them all.)
        assert!(
            calls_seen > 0 || cfg!(miri),
            "{}: no call of {hook:?} in {} seeds: the sweep would check nothing",
            case.name,
            seeds().end
        );
    }
    runs
}

/// Every hook of every helper and generator form, at every call (or 40 spread over them), for
/// each seed. Prints the runs per helper and hook (`--nocapture`).
#[test]
fn every_hook_of_every_helper_panicking_at_each_of_its_calls() {
    let mut total = 0;
    // Under Miri, not the `spawn_*` forms: tokio's runtime under Miri takes minutes, and they
    // hold no code of ours that Miri checks beyond the others' (as `tests/it`'s `spawn`).
    for case in CASES.iter().filter(|case| !(cfg!(miri) && case.runtime)) {
        let runs = sweep(case);
        let line: Vec<String> = runs
            .iter()
            .map(|(hook, n)| format!("{hook:?} {n}"))
            .collect();
        println!("{:48} {}", case.name, line.join(", "));
        total += runs.values().sum::<usize>();
    }
    println!("{total} runs with a panic injected");
}
