//! The sweep: for each helper, each of its hooks, each seed, every call of that hook made to
//! panic in turn.

use std::collections::BTreeMap;

use crate::drive::{Case, run, run_clean};
use crate::plan::Hook;
use crate::subjects::CASES;

/// Seeds per (helper, hook); under Miri, one.
fn seeds() -> std::ops::Range<u64> {
    0..support::iterations(32, 1) as u64
}

/// At most this many calls of a hook are made to panic per seed (spread over all of them): 40,
/// or `ASYNCGEN_FAULT_CALLS` from the environment. Under Miri, 1 unless set: the first call
/// (Miri checks the unwinding paths for undefined behaviour; the many calls in between are the
/// full run's, and 38 helper forms made a Miri run of 3 too long for CI). `.ci/run` sets 2 for
/// one of the two Miri models, which adds the last call (forwarded with `-Zmiri-env-forward`:
/// Miri hides the host's environment).
fn most_calls() -> usize {
    std::env::var("ASYNCGEN_FAULT_CALLS")
        .ok()
        .map(|value| match value.parse() {
            Ok(most) if most > 0 => most,
            _ => panic!("ASYNCGEN_FAULT_CALLS={value}: not a number of calls above 0"),
        })
        .unwrap_or_else(|| support::iterations(40, 1))
}

/// `count` calls, or `most` of them spread evenly, the first and the last included (with
/// `most` above 1).
fn calls_to_panic(count: usize, most: usize) -> Vec<usize> {
    if count <= most {
        return (1..=count).collect();
    }
    if most == 1 {
        return vec![1];
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
    let mut calls_seen: BTreeMap<Hook, usize> = case.hooks.iter().map(|&hook| (hook, 0)).collect();
    let most = most_calls();
    for seed in seeds() {
        // The run with no panic: checked, and the calls of every hook counted at once (the
        // runs that inject one then depart from it).
        let counted = run_clean(case, seed).unwrap_or_else(|problem| {
            panic!("{}, seed {seed}, no panic injected: {problem}", case.name)
        });
        for &hook in case.hooks {
            let count = counted.calls(hook);
            *calls_seen.get_mut(&hook).unwrap() += count;
            for at in calls_to_panic(count, most) {
                let ran = run(case, hook, at, seed).unwrap_or_else(|problem| {
                    panic!(
                        "{}, seed {seed}, {hook:?} panicking at its call {at} of {count}: \
                         {problem}",
                        case.name
                    )
                });
                assert_eq!(
                    ran.fired, 1,
                    "{}, seed {seed}: {hook:?} call {at} of {count} never came (the run took \
                     another path)",
                    case.name
                );
                *runs.entry(hook).or_insert(0) += 1;
            }
        }
    }
    // (Under Miri one seed may not reach every hook; the full run checks them all.)
    for (hook, calls) in calls_seen {
        assert!(
            calls > 0 || cfg!(miri),
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
    // The limit too: `ASYNCGEN_FAULT_CALLS` changes it outside Miri as well.
    println!(
        "{total} runs with a panic injected (at most {} calls per hook and seed)",
        most_calls()
    );
}
