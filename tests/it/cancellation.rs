//! Cancellation: dropping a generator, a `merge`, a `gather` or a `try_gather` at every possible
//! suspension point runs every destructor exactly once.
//!
//! Each test builds a fresh instance for k = 0, 1, 2, .. polls, polls it exactly k times (or
//! until it ends), drops it, and checks that every token created so far (held by captured
//! arguments, by locals made at different points, by items and by outputs) was dropped exactly
//! once. The loop stops at the first k where the instance ended within its k polls. Every
//! `Pending` the tests see must come with a wake-up (all the waits here wake their task), or an
//! executor would hang.
//!
//! No timers: these tests run under Miri.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use asyncgen::{as_completed, async_gen, gather, gather_limited, merge, try_gather, yield_};
use futures::Stream;
use support::{DropCounter, DropToken, collect, counting_waker, iterations, pending_times};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Hands out [`Token`]s and records how many times each one was dropped.
#[derive(Clone, Debug, Default)]
struct Ledger {
    drops_per_token: Arc<Mutex<Vec<usize>>>,
    drops: DropCounter,
}

/// Counted by its [`Ledger`] when dropped.
#[derive(Debug)]
struct Token {
    drops_per_token: Arc<Mutex<Vec<usize>>>,
    id: usize,
    _counted: DropToken,
}

impl Ledger {
    fn token(&self) -> Token {
        let mut drops = self.drops_per_token.lock().unwrap();
        drops.push(0);
        Token {
            drops_per_token: self.drops_per_token.clone(),
            id: drops.len() - 1,
            _counted: self.drops.token(),
        }
    }

    fn created(&self) -> usize {
        self.drops_per_token.lock().unwrap().len()
    }

    /// Panics unless every token made so far was dropped exactly once.
    fn assert_each_dropped_once(&self, when: &str) {
        let drops = self.drops_per_token.lock().unwrap();
        for (id, &count) in drops.iter().enumerate() {
            assert_eq!(count, 1, "{when}: token {id} was dropped {count} times");
        }
        assert_eq!(self.drops.drops(), drops.len(), "{when}");
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.drops_per_token.lock().unwrap()[self.id] += 1;
    }
}

/// What one poll did.
enum Step {
    Pending,
    Progress,
    Done,
}

/// A poll of a stream: an item is dropped at once.
fn stream_step<S: Stream + ?Sized>(stream: Pin<&mut S>, cx: &mut Context<'_>) -> Step {
    match stream.poll_next(cx) {
        Poll::Pending => Step::Pending,
        Poll::Ready(Some(_item)) => Step::Progress,
        Poll::Ready(None) => Step::Done,
    }
}

/// A poll of a future whose output is checked by `check`, then dropped.
fn future_step<F: Future + ?Sized>(
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
    check: impl FnOnce(F::Output),
) -> Step {
    match future.poll(cx) {
        Poll::Pending => Step::Pending,
        Poll::Ready(output) => {
            check(output);
            Step::Done
        }
    }
}

/// Polls a fresh instance from `make` k times, for k = 0, 1, 2, .., dropping it after each
/// run and checking every token was dropped exactly once. Returns how many polls a full run
/// took, and how many tokens it created.
fn drop_after_every_number_of_polls<T: ?Sized>(
    make: impl Fn(&Ledger) -> Pin<Box<T>>,
    mut step: impl FnMut(Pin<&mut T>, &mut Context<'_>) -> Step,
) -> (usize, usize) {
    for polls in 0..1000 {
        let ledger = Ledger::default();
        let mut instance = make(&ledger);
        let (wakes, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        let mut done = false;
        for poll in 0..polls {
            let woken_before = wakes.wakes();
            match step(instance.as_mut(), &mut cx) {
                Step::Pending => assert!(
                    wakes.wakes() > woken_before,
                    "poll {poll} returned Pending without a wake-up: an executor would hang"
                ),
                Step::Progress => {}
                Step::Done => {
                    done = true;
                    break;
                }
            }
        }
        drop(instance);
        ledger.assert_each_dropped_once(&format!("after {polls} polls and a drop"));
        if done {
            return (polls, ledger.created());
        }
    }
    panic!("did not finish in 1000 polls")
}

// ---------------------------------------------------------------------------------------------
// An `#[async_gen]` generator
// ---------------------------------------------------------------------------------------------

/// Tokens in its captured arguments (one moved out part-way), in locals made before and after
/// waits and yields, in a scope that ends mid-body, in the items, and in the evaluation of an
/// item that itself waits.
#[async_gen]
async fn tracked(
    ledger: Ledger,
    id: usize,
    held: Token,
    pair: (Token, Token),
    waits: usize,
) -> (usize, Token) {
    let first = ledger.token();
    pending_times(waits).await;
    yield_!((id * 10, ledger.token()));
    let second = ledger.token();
    drop(pair.0);
    yield_!((id * 10 + 1, ledger.token()));
    drop(first);
    pending_times(1).await;
    {
        let scoped = ledger.token();
        pending_times(waits).await;
        yield_!((id * 10 + 2, ledger.token()));
        drop(scoped);
    }
    drop(second);
    // The item is built across a wait, holding a token of its own meanwhile.
    yield_!({
        let building = ledger.token();
        pending_times(1).await;
        (id * 10 + 3, building)
    });
    let _last = ledger.token();
    pending_times(waits).await;
    drop(held);
}

fn tracked_generator(
    ledger: &Ledger,
    id: usize,
    waits: usize,
) -> impl Stream<Item = (usize, Token)> + use<> {
    tracked(
        ledger.clone(),
        id,
        ledger.token(),
        (ledger.token(), ledger.token()),
        waits,
    )
}

#[test]
fn dropping_an_async_gen_after_any_number_of_polls_drops_every_token_once() {
    let (polls, tokens) = drop_after_every_number_of_polls(
        |ledger| Box::pin(tracked_generator(ledger, 1, 2)),
        stream_step,
    );
    // 2 + 1 + 2 + 1 + 2 waits, 4 items, the end.
    assert_eq!(polls, 13);
    // 3 in the arguments, 5 locals, 3 made for items.
    assert_eq!(tokens, 3 + 5 + 3);
}

#[test]
fn dropping_an_async_gen_that_never_waits_after_any_number_of_polls_drops_every_token_once() {
    drop_after_every_number_of_polls(
        |ledger| Box::pin(tracked_generator(ledger, 1, 0)),
        stream_step,
    );
}

#[test]
fn a_full_run_yields_every_item_in_order() {
    let ledger = Ledger::default();
    let items: Vec<usize> = collect(tracked_generator(&ledger, 4, 1))
        .into_iter()
        .map(|(id, _token)| id)
        .collect();
    ledger.assert_each_dropped_once("after a full run");
    assert_eq!(items, [40, 41, 42, 43]);
}

// ---------------------------------------------------------------------------------------------
// merge
// ---------------------------------------------------------------------------------------------

#[test]
fn dropping_a_merge_of_generators_after_any_number_of_polls_drops_every_token_once() {
    let (_, tokens) = drop_after_every_number_of_polls(
        |ledger| Box::pin(merge((0..3).map(|id| tracked_generator(ledger, id, id)))),
        stream_step,
    );
    assert_eq!(tokens, 3 * 11);
}

// ---------------------------------------------------------------------------------------------
// gather, gather_limited, as_completed
// ---------------------------------------------------------------------------------------------

/// A future holding a token from its creation, making more before and after waits; its output
/// holds two.
fn child(ledger: &Ledger, id: usize) -> impl Future<Output = (usize, Token, Token)> + use<> {
    let held = ledger.token();
    let ledger = ledger.clone();
    async move {
        let before = ledger.token();
        pending_times(id).await;
        let after = ledger.token();
        pending_times(1).await;
        drop(before);
        (id, after, held)
    }
}

fn check_outputs(outputs: Vec<(usize, Token, Token)>) {
    let ids: Vec<usize> = outputs.iter().map(|(id, ..)| *id).collect();
    assert_eq!(ids, [0, 1, 2, 3]);
}

#[test]
fn dropping_a_gather_after_any_number_of_polls_drops_every_token_once() {
    let (_, tokens) = drop_after_every_number_of_polls(
        |ledger| Box::pin(gather((0..4).map(|id| child(ledger, id)))),
        |gather, cx| future_step(gather, cx, check_outputs),
    );
    assert_eq!(tokens, 4 * 3);
}

#[test]
fn dropping_a_gather_limited_after_any_number_of_polls_drops_every_token_once() {
    // The input is pulled lazily: a drop part-way also drops the futures never started (and
    // never made: their tokens do not exist yet).
    drop_after_every_number_of_polls(
        |ledger| {
            let ledger = ledger.clone();
            Box::pin(gather_limited((0..4).map(move |id| child(&ledger, id)), 2))
        },
        |gather, cx| future_step(gather, cx, check_outputs),
    );
}

#[test]
fn dropping_as_completed_after_any_number_of_polls_drops_every_token_once() {
    drop_after_every_number_of_polls(
        |ledger| Box::pin(as_completed((0..4).rev().map(|id| child(ledger, id)))),
        stream_step,
    );
}

// ---------------------------------------------------------------------------------------------
// try_gather
// ---------------------------------------------------------------------------------------------

/// Like [`child`], but `Err` if `id == failing`, after its waits.
fn fallible_child(
    ledger: &Ledger,
    id: usize,
    waits: usize,
    failing: Option<usize>,
) -> impl Future<Output = Result<(usize, Token), (usize, Token)>> + use<> {
    let held = ledger.token();
    let ledger = ledger.clone();
    async move {
        let before = ledger.token();
        pending_times(waits).await;
        let after = ledger.token();
        drop(before);
        if Some(id) == failing {
            return Err((id, after));
        }
        pending_times(1).await;
        drop(held);
        Ok((id, after))
    }
}

#[test]
fn dropping_a_try_gather_after_any_number_of_polls_drops_every_token_once() {
    // (which child fails, or none; how many times each child waits before it decides)
    let mut cases = vec![
        (None, [1, 3, 0, 2]),
        (Some(0), [0, 0, 0, 0]),
        (Some(2), [2, 3, 0, 1]),
        (Some(1), [3, 2, 4, 1]),
        (Some(3), [1, 1, 1, 1]),
    ];
    cases.truncate(iterations(cases.len(), 3));
    for (failing, waits) in cases {
        let (polls, _) = drop_after_every_number_of_polls(
            |ledger| {
                Box::pin(try_gather(
                    (0..4).map(|id| fallible_child(ledger, id, waits[id], failing)),
                ))
            },
            |try_gather, cx| {
                future_step(try_gather, cx, |output| match (failing, output) {
                    (None, Ok(outputs)) => {
                        let ids: Vec<usize> = outputs.iter().map(|(id, _)| *id).collect();
                        assert_eq!(ids, [0, 1, 2, 3]);
                    }
                    (Some(failing), Err((id, _))) => assert_eq!(id, failing),
                    (failing, output) => {
                        panic!(
                            "expected a failure of {failing:?}, got {:?}",
                            output.is_ok()
                        )
                    }
                })
            },
        );
        // Ending with the error means not waiting for the others.
        if let Some(failing) = failing {
            assert!(
                polls <= waits[failing] + 1,
                "{failing:?} {waits:?}: {polls} polls"
            );
        }
    }
}
