//! One run: a helper (a [`Subject`]) built over hooked children, polled to its end as a server
//! would poll it (catching each panic and polling on), with the user's calls between polls, then
//! dropped; then the checks of the contract (crate docs, "When user code panics").

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use fastrand::Rng;
use support::live_allocations_on_this_thread;
use tokio::runtime::Runtime;

use crate::hooked::{Item, Parent};
use crate::plan::{Hook, Injected, OWN_PANICS, Plan, message, quiet_injected_panics};

/// What a helper handed out at one poll.
pub struct Handed {
    pub items: Vec<Item>,
    /// A gather's result: it claims one output per child, `whole` of them, in input order.
    pub whole: Option<usize>,
    /// An `Err` of a `try_` helper.
    pub err: bool,
    /// Something the subject found wrong with it (an index or key that is not its child's).
    pub problem: Option<String>,
}

impl Handed {
    pub fn one(item: Item) -> Self {
        Handed {
            items: vec![item],
            whole: None,
            err: false,
            problem: None,
        }
    }

    pub fn err(item: Item) -> Self {
        Handed {
            err: true,
            ..Handed::one(item)
        }
    }

    pub fn whole(items: Vec<Item>, children: usize) -> Self {
        Handed {
            items,
            whole: Some(children),
            err: false,
            problem: None,
        }
    }

    /// `item`, handed out with `label` (an index, a key) that must be its child's `expected`.
    pub fn labelled(item: Item, label: usize, expected: usize) -> Self {
        let problem = (label != expected).then(|| {
            format!(
                "item {} of child {} handed out as {label}, not {expected}",
                item.id(),
                item.child()
            )
        });
        Handed {
            problem,
            ..Handed::one(item)
        }
    }
}

/// A helper under test, as the driver sees it.
pub trait Subject {
    /// One poll: `Ready(Some(..))` handed something out (a future's output ends the run),
    /// `Ready(None)` ended (a stream).
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Handed>>;

    /// Calls the helper's `size_hint` (user code may run under it).
    fn size_hint(&self);

    /// Something the user does between polls (a set's insert or remove): `false` if it has
    /// nothing more to do.
    fn act(&mut self, _rng: &mut Rng) -> bool {
        false
    }

    /// What must hold once it ended (a set is empty).
    fn check_end(&self) -> Result<(), String> {
        Ok(())
    }
}

/// What kind of helper a case is: what its end looks like, and what it promises after a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Polled on after a panic, it goes on with the other children and ends (`None`).
    Stream,
    /// Resolves once; polled on after a panic, it resolves or panics with its own message.
    Future,
    /// A generator: after its body panics, it ends (`None` at the next poll).
    Generator,
}

/// A helper to test: how to build it over hooked children, and which hooks it calls.
pub struct Case {
    pub name: &'static str,
    pub kind: Kind,
    /// Every child the user left in it runs to its end (or panics): no `try_` early end.
    pub goes_on: bool,
    pub hooks: &'static [Hook],
    /// Its children run on tokio tasks (the `spawn_*` forms): a current-thread runtime with a
    /// paused clock runs them between polls, and is entered while the helper is made and
    /// polled. tokio catches what those tasks do: a panic in a task aborted when the helper is
    /// dropped goes nowhere (its `JoinHandle` is gone), and a panic of the waker a finished task
    /// wakes is ignored, so `Wake` is not a hook here.
    pub runtime: bool,
    pub build: Build,
}

impl Case {
    /// A stream helper: every child it holds runs to its end (or panics).
    pub const fn stream(name: &'static str, hooks: &'static [Hook], build: Build) -> Case {
        Case::new(name, Kind::Stream, hooks, build)
    }

    /// A future helper: every child it holds runs to its end (or panics).
    pub const fn future(name: &'static str, hooks: &'static [Hook], build: Build) -> Case {
        Case::new(name, Kind::Future, hooks, build)
    }

    /// A generator form.
    pub const fn generator(name: &'static str, hooks: &'static [Hook], build: Build) -> Case {
        Case {
            goes_on: false,
            ..Case::new(name, Kind::Generator, hooks, build)
        }
    }

    const fn new(name: &'static str, kind: Kind, hooks: &'static [Hook], build: Build) -> Case {
        Case {
            name,
            kind,
            goes_on: true,
            runtime: false,
            hooks,
            build,
        }
    }

    /// A `try_` form: an `Err` ends it, and drops the children left.
    pub const fn ends_early(self) -> Case {
        Case {
            goes_on: false,
            ..self
        }
    }

    /// Its children run on tokio tasks ([`Case::runtime`]).
    pub const fn on_tokio(self) -> Case {
        Case {
            runtime: true,
            ..self
        }
    }
}

/// How a case makes its helper.
pub type Build = fn(&Arc<Plan>, &mut Rng) -> Box<dyn Subject>;

/// At most this many polls per run: far more than any run needs.
const MAX_POLLS: usize = 5_000;

/// How one run went: for the sweep's totals.
#[derive(Debug)]
pub struct Ran {
    /// Calls of each hook, in `Hook::ALL`'s order.
    calls: [usize; Hook::ALL.len()],
    /// Injected panics (0 or 1).
    pub fired: usize,
}

impl Ran {
    /// Calls of `hook` in this run.
    pub fn calls(&self, hook: Hook) -> usize {
        self.calls[hook.index()]
    }
}

/// Runs `case` once with seed `seed` and no panic injected (whichever hook is armed, none
/// fires at call 0), and checks the contract.
pub fn run_clean(case: &Case, seed: u64) -> Result<Ran, String> {
    run(case, Hook::ALL[0], 0, seed)
}

/// Runs `case` once with seed `seed`, `hook` panicking at its `at`-th call (`at == 0`: never),
/// and checks the contract. `Err` says what broke.
pub fn run(case: &Case, hook: Hook, at: usize, seed: u64) -> Result<Ran, String> {
    quiet_injected_panics();
    if case.runtime {
        warm_up_tokio();
    }
    let live_before = live_allocations_on_this_thread();
    let ran = {
        let plan = Arc::new(Plan::new(hook, at));
        let runtime = case.runtime.then(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap()
        });
        let drove = {
            let _entered = runtime.as_ref().map(tokio::runtime::Runtime::enter);
            drive(case, &plan, runtime.as_ref(), &mut Rng::with_seed(seed))?
        };
        // Its shutdown drops the tasks left, and the children in them.
        drop(runtime);
        check_ledger(case, &plan, &drove)?;
        let others = Arc::strong_count(&plan) - 1;
        if others != 0 {
            return Err(format!(
                "{others} values holding the plan (children, items, keys, wakers) leaked"
            ));
        }
        Ran {
            calls: Hook::ALL.map(|hook| plan.calls(hook)),
            fired: plan.fired(),
        }
    };
    let leaked = live_allocations_on_this_thread() - live_before;
    if leaked != 0 {
        return Err(format!("{leaked} allocations not freed"));
    }
    Ok(ran)
}

/// What the driver saw.
struct Drove {
    /// Injected panics that reached it.
    injected: usize,
    /// The helper ended (`None`, its output, or its own panic), rather than being dropped
    /// early by the driver.
    ended: bool,
}

/// A panic the driver caught: injected, or one of the helper's own (its message).
enum Caught {
    Injected,
    Own(String),
}

fn classify(payload: Box<dyn Any + Send>) -> Caught {
    if payload.downcast_ref::<Injected>().is_some() {
        return Caught::Injected;
    }
    Caught::Own(
        message(&*payload)
            .unwrap_or("(a payload that is not a message)")
            .to_string(),
    )
}

/// Runs `f`, catching a panic.
fn catching<R>(f: impl FnOnce() -> R) -> Result<R, Caught> {
    catch_unwind(AssertUnwindSafe(f)).map_err(classify)
}

fn drive(
    case: &Case,
    plan: &Arc<Plan>,
    runtime: Option<&Runtime>,
    rng: &mut Rng,
) -> Result<Drove, String> {
    let parent = Parent::new(plan);
    let waker = Waker::from(parent.clone());
    let mut cx = Context::from_waker(&waker);
    let mut injected = 0;
    // Every panic but an injected one is a failure, except the few the contract allows.
    let mut own = |message: String, injected: usize| {
        if injected > 0 && OWN_PANICS.iter().any(|allowed| message.contains(allowed)) {
            Ok(())
        } else {
            Err(format!("a panic of the helper's own: {message}"))
        }
    };
    let mut subject = match catching(|| (case.build)(plan, rng)) {
        Ok(subject) => subject,
        // Making it panicked (a `size_hint` it asks its input): there is no helper to go on.
        Err(Caught::Injected) => {
            return Ok(Drove {
                injected: 1,
                ended: false,
            });
        }
        Err(Caught::Own(message)) => return Err(format!("building it panicked: {message}")),
    };
    // One run in three drops the helper mid-way, at its first, second or third `Pending`:
    // cancellation.
    let cancel_at = (rng.u8(..3) == 0).then(|| rng.usize(1..=3));
    let mut pendings = 0;
    let mut ended = false;
    let mut body_panicked = false;
    for polls in 0..MAX_POLLS {
        // What a program does between polls: the user's calls, an I/O event.
        if rng.u8(..3) == 0 {
            note(
                catching(|| subject.act(rng)).map(drop),
                &mut injected,
                &mut own,
            )?;
        }
        if rng.u8(..4) == 0 {
            note(catching(|| subject.size_hint()), &mut injected, &mut own)?;
        }
        if rng.u8(..3) == 0 {
            if let Some(woke) = wake_a_parked_child(plan, rng) {
                note(woke, &mut injected, &mut own)?;
            }
        }
        if let Some(runtime) = runtime.filter(|_| rng.u8(..3) == 0) {
            run_every_task(runtime);
        }
        let wakes = parent.wakes();
        match catching(|| subject.poll(&mut cx)) {
            Err(Caught::Injected) => {
                injected += 1;
                body_panicked = case.kind == Kind::Generator;
            }
            Err(Caught::Own(message)) => {
                own(message, injected)?;
                if case.kind == Kind::Future {
                    ended = true; // a future helper ends with its own panic
                    break;
                }
            }
            Ok(Poll::Ready(Some(handed))) => {
                if body_panicked {
                    return Err("a generator whose body panicked handed out an item".into());
                }
                hand_out(plan, handed)?;
                if case.kind == Kind::Future {
                    ended = true;
                    break;
                }
            }
            Ok(Poll::Ready(None)) => {
                if case.kind == Kind::Future {
                    return Err("a future helper returned what a stream ends with".into());
                }
                body_panicked = false;
                // A set ends when it is empty and the user adds nothing more.
                if !note(catching(|| subject.act(rng)), &mut injected, &mut own)?.unwrap_or(true) {
                    subject.check_end()?;
                    ended = true;
                    break;
                }
            }
            Ok(Poll::Pending) => {
                if body_panicked {
                    return Err(
                        "a generator whose body panicked returned `Pending`, not `None`".into(),
                    );
                }
                pendings += 1;
                if cancel_at == Some(pendings) {
                    break;
                }
                // Only a child's waker can wake it now (or a task of the runtime): the I/O
                // events come, one at a time, until the helper is woken.
                loop {
                    if parent.wakes() != wakes {
                        break; // polled again at once
                    }
                    if let Some(runtime) = runtime {
                        run_every_task(runtime);
                        if parent.wakes() != wakes {
                            break;
                        }
                    }
                    match wake_a_parked_child(plan, rng) {
                        None => {
                            if note(catching(|| subject.act(rng)), &mut injected, &mut own)?
                                .unwrap_or(true)
                            {
                                break; // the user did something: poll again
                            }
                            return Err(format!(
                                "poll {} returned `Pending` with no wake-up to come (an \
                                 executor would wait forever)",
                                polls + 1
                            ));
                        }
                        Some(Err(Caught::Injected)) => {
                            injected += 1; // the parent's wake panicked: poll on
                            break;
                        }
                        Some(Err(Caught::Own(message))) => own(message, injected)?,
                        // Woken (the loop's start sees it), or a stale waker: its child is gone.
                        Some(Ok(())) => {}
                    }
                }
            }
        }
        if polls + 1 == MAX_POLLS {
            return Err(format!("no end after {MAX_POLLS} polls"));
        }
    }
    note(catching(move || drop(subject)), &mut injected, &mut own)?;
    // Wakers still parked, woken now that the helper is gone: they must find nothing to do.
    while let Some(woke) = wake_a_parked_child(plan, rng) {
        note(woke, &mut injected, &mut own)?;
    }
    Ok(Drove { injected, ended })
}

/// Counts an injected panic, fails on a panic of the helper's own that is not allowed; the
/// value otherwise.
fn note<R>(
    caught: Result<R, Caught>,
    injected: &mut usize,
    own: &mut impl FnMut(String, usize) -> Result<(), String>,
) -> Result<Option<R>, String> {
    match caught {
        Ok(value) => Ok(Some(value)),
        Err(Caught::Injected) => {
            *injected += 1;
            Ok(None)
        }
        Err(Caught::Own(message)) => own(message, *injected).map(|()| None),
    }
}

/// Makes tokio allocate what it keeps for the life of a thread (its thread-locals), once per
/// thread, before a run counts allocations.
fn warm_up_tokio() {
    std::thread_local!(static WARM: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if WARM.replace(true) {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let _entered = runtime.enter();
    runtime.block_on(async {
        tokio::spawn(async {}).await.unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    });
}

/// Runs the runtime's tasks until none can run (the paused clock then moves on to the far
/// sleep): what the tasks of a spawning helper do between its polls.
fn run_every_task(runtime: &Runtime) {
    runtime.block_on(tokio::time::sleep(Duration::from_secs(3_600)));
}

/// Wakes one waker a child parked, at random, by value (the `wake` that gives its waker
/// up); `None` if none is parked.
fn wake_a_parked_child(plan: &Plan, rng: &mut Rng) -> Option<Result<(), Caught>> {
    let waker = {
        let mut ledger = plan.ledger();
        if ledger.parked.is_empty() {
            return None;
        }
        let index = rng.usize(..ledger.parked.len());
        ledger.parked.swap_remove(index)
    };
    Some(catching(move || waker.wake()))
}

/// Checks what the helper handed out and gives it to the consumer.
fn hand_out(plan: &Plan, handed: Handed) -> Result<(), String> {
    if let Some(problem) = handed.problem {
        return Err(problem);
    }
    {
        let ledger = plan.ledger();
        if let Some(children) = handed.whole {
            let in_order = handed.items.len() == children
                && handed
                    .items
                    .iter()
                    .enumerate()
                    .all(|(index, item)| ledger.items[item.id()].child == index);
            if !in_order {
                let from: Vec<usize> = handed
                    .items
                    .iter()
                    .map(|item| ledger.items[item.id()].child)
                    .collect();
                return Err(format!(
                    "a result claims the outputs of {children} children, in order; it holds \
                     those of {from:?}"
                ));
            }
        }
        for item in &handed.items {
            let record = &ledger.items[item.id()];
            if record.err != handed.err {
                return Err(format!(
                    "item {} handed out as {}, made as {}",
                    item.id(),
                    if handed.err { "an `Err`" } else { "an `Ok`" },
                    if record.err { "an `Err`" } else { "an `Ok`" },
                ));
            }
        }
    }
    for item in handed.items {
        item.hand_out();
    }
    Ok(())
}

/// After the run, everything dropped: each child and item dropped once, handed out at most
/// once, no item of a child that ran lost but the one a panic interrupted, and the injected
/// panic seen once.
fn check_ledger(case: &Case, plan: &Plan, drove: &Drove) -> Result<(), String> {
    let ledger = plan.ledger();
    // A spawning helper's panics in tasks it aborts go nowhere (`Case::runtime`).
    let reached = if case.runtime {
        drove.injected <= plan.fired()
    } else {
        drove.injected == plan.fired()
    };
    if !reached {
        return Err(format!(
            "{} injected panics, {} reached the caller",
            plan.fired(),
            drove.injected
        ));
    }
    for (id, child) in ledger.children.iter().enumerate() {
        if child.drops != 1 {
            return Err(format!("child {id} dropped {} times", child.drops));
        }
    }
    let mut lost = 0;
    for (id, item) in ledger.items.iter().enumerate() {
        if item.drops != 1 {
            return Err(format!("item {id} dropped {} times", item.drops));
        }
        if item.delivered > 1 {
            return Err(format!("item {id} handed out {} times", item.delivered));
        }
        lost += usize::from(item.delivered == 0);
    }
    if case.kind != Kind::Future && drove.ended && lost > plan.fired() {
        return Err(format!(
            "{lost} items made and never handed out, with {} panics",
            plan.fired()
        ));
    }
    if case.goes_on && drove.ended {
        for (id, child) in ledger.children.iter().enumerate() {
            if !(child.finished || child.dismissed || plan.poll_panicked() == Some(id)) {
                return Err(format!(
                    "child {id} did not run to its end, and it neither panicked nor was removed"
                ));
            }
        }
    }
    Ok(())
}
