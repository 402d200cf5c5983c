//! The sets' poll-side calls beyond `next`: `next_many` / `poll_next_many` (tokio-stream's
//! `StreamMap` tests, ported), with the sets' fairness, poll budget and tokio's budget; and
//! `next_event` / `poll_next_event` / `report_removals`: who left, and how, also when user code
//! panics.

use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use asyncgen::{FutureSet, SetEvent, StreamSet};
use futures::executor::block_on;
use futures::stream::{self, Stream, StreamExt};
use support::{DropCounter, DropToken, counting_waker};

type UsizeStream = Pin<Box<dyn Stream<Item = usize>>>;

fn boxed(stream: impl Stream<Item = usize> + 'static) -> UsizeStream {
    Box::pin(stream)
}

/// A poll with a waker that does nothing.
fn noop_cx() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

/// A stream that counts its polls; each poll yields `0` if `ready`, else wakes itself and is
/// `Pending` (a yield to the others).
struct Counted {
    polls: Rc<Cell<usize>>,
    ready: bool,
}

impl Stream for Counted {
    type Item = usize;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<usize>> {
        self.polls.set(self.polls.get() + 1);
        if self.ready {
            Poll::Ready(Some(0))
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn counted(polls: &Rc<Cell<usize>>, ready: bool) -> UsizeStream {
    Box::pin(Counted {
        polls: polls.clone(),
        ready,
    })
}

/// A stream of `items` that panics at the poll after them (or, with `at_end` false, ends),
/// and whose drop panics if `drop_panics`.
struct Faulty {
    items: Vec<usize>,
    panic_after: bool,
    drop_panics: bool,
    _token: DropToken,
}

impl Stream for Faulty {
    type Item = usize;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<usize>> {
        if let Some(item) = self.items.pop() {
            return Poll::Ready(Some(item));
        }
        assert!(!self.panic_after, "the stream's poll panics");
        Poll::Ready(None)
    }
}

impl Drop for Faulty {
    fn drop(&mut self) {
        if self.drop_panics && !std::thread::panicking() {
            panic!("the stream's drop panics");
        }
    }
}

fn faulty(
    drops: &DropCounter,
    items: &[usize],
    panic_after: bool,
    drop_panics: bool,
) -> UsizeStream {
    let mut items = items.to_vec();
    items.reverse();
    Box::pin(Faulty {
        items,
        panic_after,
        drop_panics,
        _token: drops.token(),
    })
}

/// The message of a caught panic.
fn message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// next_many: tokio-stream's tests/stream_stream_map.rs, ported (`poll_next_many_*` through
// `poll_fn`, `next_many_*` through the `async fn`; `StreamMap::new()` is `StreamSet::new()`,
// tokio-stream's `pending()` and `iter` futures-rs's).
// ---------------------------------------------------------------------------------------------

/// A ported pair: the same body through `poll_next_many` and through `next_many`.
macro_rules! both_forms {
    ($(#[$doc:meta])* fn $name:ident($set:ident, $many:ident) $body:block) => {
        $(#[$doc])*
        #[test]
        fn $name() {
            {
                #[allow(unused_macros)]
                macro_rules! $many {
                    ($s:expr, $buffer:expr, $limit:expr) => {
                        block_on(poll_fn(|cx| $s.poll_next_many(cx, $buffer, $limit)))
                    };
                }
                let mut $set: StreamSet<usize, UsizeStream> = StreamSet::new();
                $body
            }
            {
                #[allow(unused_macros)]
                macro_rules! $many {
                    ($s:expr, $buffer:expr, $limit:expr) => {
                        block_on(poll_fn(|cx| pin!($s.next_many($buffer, $limit)).poll(cx)))
                    };
                }
                let mut $set: StreamSet<usize, UsizeStream> = StreamSet::new();
                $body
            }
        }
    };
}

both_forms! {
    /// Ports `poll_next_many_zero` and `next_many_zero`: a limit of 0 is `Ready(0)` at once.
    fn next_many_with_limit_zero_is_ready_with_zero(set, many) {
        set.insert(0, boxed(stream::pending()));
        assert_eq!(many!(set, &mut vec![], 0), 0);
    }
}

both_forms! {
    /// Ports `poll_next_many_empty` and `next_many_empty`.
    fn next_many_of_an_empty_set_is_ready_with_zero(set, many) {
        assert_eq!(many!(set, &mut vec![], 1), 0);
    }
}

both_forms! {
    /// Ports `poll_next_many_not_enough` and `next_many_not_enough`: fewer than the limit
    /// ready, all of them in one call.
    fn next_many_returns_what_is_ready_below_the_limit(set, many) {
        set.insert(0, boxed(stream::iter([0])));
        set.insert(1, boxed(stream::iter([1])));
        let mut buffer = vec![];
        assert_eq!(many!(set, &mut buffer, 3), 2);
        assert_eq!(buffer.len(), 2);
        assert!(buffer.contains(&(0, 0)));
        assert!(buffer.contains(&(1, 1)));
    }
}

both_forms! {
    /// Ports `poll_next_many_enough` and `next_many_enough`.
    fn next_many_returns_as_many_as_the_limit(set, many) {
        set.insert(0, boxed(stream::iter([0])));
        set.insert(1, boxed(stream::iter([1])));
        let mut buffer = vec![];
        assert_eq!(many!(set, &mut buffer, 2), 2);
        assert_eq!(buffer.len(), 2);
        assert!(buffer.contains(&(0, 0)));
        assert!(buffer.contains(&(1, 1)));
    }
}

both_forms! {
    /// Ports `poll_next_many_does_not_exceed_limit` and `next_many_does_not_exceed_limit`; the
    /// buffer is appended to, not cleared.
    fn next_many_does_not_exceed_the_limit(set, many) {
        set.insert(0, boxed(stream::iter([0])));
        set.insert(1, boxed(stream::iter([1])));
        let mut buffer = vec![];
        assert_eq!(many!(set, &mut buffer, 1), 1);
        assert_eq!(buffer.len(), 1);
        assert_eq!(many!(set, &mut buffer, 1), 1);
        assert_eq!(buffer.len(), 2);
        assert!(buffer.contains(&(0, 0)));
        assert!(buffer.contains(&(1, 1)));
    }
}

both_forms! {
    /// Ports `poll_next_many_correctly_loops_around` and `next_many_correctly_loops_around`:
    /// every stream once before any twice. (tokio-stream starts at a random stream, so it runs
    /// 10 times; ours start in the order the streams woke, here inserted: the exact order is
    /// checked, keys too.)
    fn next_many_takes_one_item_of_each_stream_before_a_second(set, many) {
        set.insert(0, boxed(stream::iter([0])));
        set.insert(1, boxed(stream::iter([0, 1])));
        set.insert(2, boxed(stream::iter([0, 1, 2])));
        let mut buffer = vec![];
        assert_eq!(many!(set, &mut buffer, 3), 3);
        assert_eq!(std::mem::take(&mut buffer), [(0, 0), (1, 0), (2, 0)]);
        assert_eq!(many!(set, &mut buffer, 2), 2);
        assert_eq!(std::mem::take(&mut buffer), [(1, 1), (2, 1)]);
        assert_eq!(many!(set, &mut buffer, 1), 1);
        assert_eq!(std::mem::take(&mut buffer), [(2, 2)]);
        assert_eq!(many!(set, &mut buffer, 1), 0);
    }
}

/// Ports `poll_next_many_pending` and `next_many_pending`.
#[test]
fn next_many_with_nothing_ready_is_pending() {
    let mut set: StreamSet<usize, UsizeStream> = StreamSet::new();
    set.insert(0, boxed(stream::pending()));
    let mut cx = noop_cx();
    assert!(set.poll_next_many(&mut cx, &mut vec![], 1).is_pending());
    assert!(
        pin!(set.next_many(&mut vec![], 1))
            .poll(&mut cx)
            .is_pending()
    );
}

#[test]
fn future_set_next_many_hands_out_each_output_once() {
    let mut set = FutureSet::new();
    for n in 0..10_usize {
        set.insert(n, std::future::ready(n * 2));
    }
    let mut buffer = Vec::new();
    let mut cx = noop_cx();
    assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 4), Poll::Ready(4));
    assert_eq!(set.len(), 6, "each output's future is gone");
    assert_eq!(
        set.poll_next_many(&mut cx, &mut buffer, 100),
        Poll::Ready(6)
    );
    assert_eq!(
        set.poll_next_many(&mut cx, &mut buffer, 100),
        Poll::Ready(0)
    );
    // In the order they were inserted: all were ready, and queued in that order.
    let expected: Vec<(usize, usize)> = (0..10).map(|n| (n, n * 2)).collect();
    assert_eq!(buffer, expected);
}

#[test]
fn next_many_takes_up_to_the_limit_from_one_stream_in_one_poll() {
    // One always-ready stream: each item is a child poll, `limit` of them, beyond the 32 a
    // `next` makes at most.
    let polls = Rc::new(Cell::new(0));
    let mut set = StreamSet::new();
    set.insert(0, counted(&polls, true));
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut buffer = Vec::new();
    assert_eq!(
        set.poll_next_many(&mut cx, &mut buffer, 100),
        Poll::Ready(100)
    );
    assert_eq!(polls.get(), 100, "one child poll per item");
    assert_eq!(counter.wakes(), 0, "no self-wake: it returned `Ready`");
}

#[test]
fn next_many_polls_each_self_waking_child_at_most_once() {
    // 40 children that wake themselves and are `Pending`: a child woken during its own poll
    // waits for the next poll of the set, in `next_many` as in `next`.
    let polls: Vec<Rc<Cell<usize>>> = (0..40).map(|_| Rc::new(Cell::new(0))).collect();
    let mut set = StreamSet::new();
    for (key, polls) in polls.iter().enumerate() {
        set.insert(key, counted(polls, false));
    }
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut buffer = Vec::new();
    // A limit above the 40: each polled once, then `Pending` with a wake for the next round.
    assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 100), Poll::Pending);
    assert!(
        polls.iter().all(|polls| polls.get() == 1),
        "each polled once"
    );
    assert!(counter.wakes() >= 1, "woken for the deferred children");
    // A limit below 32: the budget of 32 child polls holds.
    assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 5), Poll::Pending);
    let total: usize = polls.iter().map(|polls| polls.get()).sum();
    assert_eq!(
        total,
        40 + 32,
        "32 child polls at most when the limit is below 32"
    );
    assert!(
        polls.iter().all(|polls| polls.get() <= 2),
        "none twice in a poll"
    );
    assert!(buffer.is_empty());
}

#[test]
fn next_many_alternates_between_always_ready_streams() {
    let mut set = StreamSet::new();
    set.insert('a', stream::repeat(1));
    set.insert('b', stream::repeat(2));
    let mut buffer = Vec::new();
    assert_eq!(
        set.poll_next_many(&mut noop_cx(), &mut buffer, 6),
        Poll::Ready(6)
    );
    let keys: String = buffer.iter().map(|(key, _)| key).collect();
    assert_eq!(keys, "ababab");
}

#[test]
fn an_insert_wakes_a_task_waiting_on_next_many() {
    let mut set: StreamSet<usize, UsizeStream> = StreamSet::new();
    set.insert(0, boxed(stream::pending()));
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    assert!(set.poll_next_many(&mut cx, &mut vec![], 4).is_pending());
    let before = counter.wakes();
    set.insert(1, boxed(stream::iter([5])));
    assert_eq!(counter.wakes(), before + 1, "the insert woke the task");
    let mut buffer = Vec::new();
    assert_eq!(set.poll_next_many(&mut cx, &mut buffer, 4), Poll::Ready(1));
    assert_eq!(buffer, [(1, 5)]);
}

#[test]
fn a_panic_during_next_many_leaves_the_items_taken_in_the_buffer() {
    let drops = DropCounter::default();
    let mut set = StreamSet::new();
    set.insert(0, faulty(&drops, &[10], false, false));
    set.insert(1, faulty(&drops, &[], true, false)); // panics at its first poll
    set.insert(2, faulty(&drops, &[20, 21], false, false));
    let mut buffer = Vec::new();
    let caught = catch_unwind(AssertUnwindSafe(|| {
        set.poll_next_many(&mut noop_cx(), &mut buffer, 10)
    }));
    assert_eq!(message(&*caught.unwrap_err()), "the stream's poll panics");
    assert_eq!(buffer, [(0, 10)], "what was taken before the panic");
    assert_eq!(drops.drops(), 1, "the panicked stream is dropped");
    assert!(!set.contains_key(&1));
    // Polled on, it goes on with the others.
    assert_eq!(
        set.poll_next_many(&mut noop_cx(), &mut buffer, 10),
        Poll::Ready(2)
    );
    assert_eq!(buffer, [(0, 10), (2, 20), (2, 21)]);
    assert_eq!(
        set.poll_next_many(&mut noop_cx(), &mut buffer, 10),
        Poll::Ready(0)
    );
    assert_eq!(drops.drops(), 3);
}

/// A key whose `clone` panics when its `Cell` says so (equal and hashed by its number).
#[derive(Debug)]
struct Key(usize, Rc<Cell<bool>>);

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Clone for Key {
    fn clone(&self) -> Self {
        assert!(!self.1.get(), "the key's clone panics");
        Key(self.0, self.1.clone())
    }
}

#[test]
fn a_key_clone_that_panics_in_next_many_loses_that_item_not_the_stream() {
    let panics = Rc::new(Cell::new(true));
    let mut set = StreamSet::new();
    set.insert(Key(0, panics.clone()), stream::iter(vec![1, 2]));
    let mut buffer = Vec::new();
    let caught = catch_unwind(AssertUnwindSafe(|| {
        set.poll_next_many(&mut noop_cx(), &mut buffer, 10)
    }));
    assert_eq!(message(&*caught.unwrap_err()), "the key's clone panics");
    assert!(buffer.is_empty());
    panics.set(false);
    assert_eq!(
        set.poll_next_many(&mut noop_cx(), &mut buffer, 10),
        Poll::Ready(1)
    );
    assert_eq!(buffer, [(Key(0, panics.clone()), 2)]);
}

/// tokio's budget (the `tokio` feature): a call of `next_many` spends one unit, as tokio's
/// `Receiver::recv_many`; with the budget spent, it is `Pending` without polling a child.
#[cfg(feature = "tokio")]
#[tokio::test(start_paused = true)]
async fn next_many_spends_one_unit_of_tokio_budget_per_call() {
    let polls = Rc::new(Cell::new(0));
    let mut set = StreamSet::new();
    set.insert(0, counted(&polls, true));
    let mut buffer = Vec::new();
    let (calls, pending_polls) = poll_fn(|cx| {
        let mut calls = 0;
        loop {
            match set.poll_next_many(cx, &mut buffer, 10) {
                Poll::Ready(n) => {
                    assert_eq!(n, 10);
                    calls += 1;
                }
                Poll::Pending => return Poll::Ready((calls, polls.get())),
            }
        }
    })
    .await;
    // tokio's budget is 128 units a task poll; allow for it to change, not for no budget.
    assert!(
        (1..=1_000).contains(&calls),
        "{calls} calls before `Pending`"
    );
    assert_eq!(
        pending_polls,
        calls * 10,
        "no child polled once the budget was spent"
    );
    // The task's next poll has a new budget.
    assert_eq!(set.next_many(&mut buffer, 10).await, 10);
}

// ---------------------------------------------------------------------------------------------
// next_event: who left, and how.
// ---------------------------------------------------------------------------------------------

#[test]
fn next_event_reports_a_stream_end_after_its_last_item() {
    let mut set = StreamSet::new();
    set.insert("alice", stream::iter(vec!["hi", "bye"]));
    set.insert("bob", stream::iter(vec![]));
    let events: Vec<SetEvent<&str, &str>> = block_on(async {
        let mut events = Vec::new();
        while let Some(event) = set.next_event().await {
            events.push(event);
        }
        events
    });
    assert_eq!(
        events,
        [
            SetEvent::Item("alice", "hi"),
            SetEvent::Ended("bob"),
            SetEvent::Item("alice", "bye"),
            SetEvent::Ended("alice"),
        ]
    );
    assert!(set.is_empty());
}

#[test]
fn future_set_events_are_outputs_only_when_nothing_panics() {
    let mut set = FutureSet::new();
    set.insert(1, std::future::ready('a'));
    set.insert(2, std::future::ready('b'));
    let events: Vec<_> = block_on(async {
        let mut events = Vec::new();
        while let Some(event) = set.next_event().await {
            events.push(event);
        }
        events
    });
    assert_eq!(events, [SetEvent::Item(1, 'a'), SetEvent::Item(2, 'b')]);
}

#[test]
fn removals_are_reported_only_when_asked_for() {
    let mut set: StreamSet<u32, UsizeStream> = StreamSet::new();
    let mut cx = noop_cx();
    set.insert(1, boxed(stream::pending()));
    set.insert(1, boxed(stream::pending())); // replaced, not reported
    assert!(set.remove(&1).is_some()); // not reported
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));

    set.report_removals(true);
    set.insert(2, boxed(stream::pending()));
    set.insert_pinned(2, boxed(stream::pending()));
    set.insert(2, boxed(stream::pending()));
    set.insert(3, boxed(stream::pending()));
    assert!(set.remove_pinned(&2));
    assert!(set.remove(&9).is_none()); // no child there: nothing to report
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Replaced(2)))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Replaced(2)))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Removed(2)))
    );
    assert_eq!(set.poll_next_event(&mut cx), Poll::Pending, "3 is pending");
    // `next` does not hand reports out: they wait for `next_event`.
    assert!(set.remove(&3).is_some());
    assert_eq!(set.poll_next_unpin(&mut cx), Poll::Ready(None));
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Removed(3)))
    );
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));

    // Turned off, the reports not yet handed out are dropped.
    set.insert(4, boxed(stream::pending()));
    set.remove(&4);
    set.report_removals(false);
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
}

#[test]
fn a_removal_wakes_a_task_waiting_on_next_event_when_reported() {
    let mut set: StreamSet<u32, UsizeStream> = StreamSet::new();
    set.report_removals(true);
    set.insert(1, boxed(stream::pending()));
    set.insert(2, boxed(stream::pending()));
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    assert!(set.poll_next_event(&mut cx).is_pending());
    let before = counter.wakes();
    set.remove(&1); // 2 is still in: only the report is news
    assert_eq!(counter.wakes(), before + 1);
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Removed(1)))
    );
}

#[test]
fn ends_met_by_next_are_not_reported() {
    let mut set = StreamSet::new();
    set.insert(1, stream::iter(vec![10]));
    set.insert(2, stream::iter(vec![20, 21]));
    let mut cx = noop_cx();
    assert_eq!(set.poll_next_unpin(&mut cx), Poll::Ready(Some((1, 10))));
    assert_eq!(set.poll_next_unpin(&mut cx), Poll::Ready(Some((2, 20))));
    // 1 ends in this poll, silently; 2's end is met by `next_event`.
    assert_eq!(set.poll_next_unpin(&mut cx), Poll::Ready(Some((2, 21))));
    assert_eq!(set.len(), 1);
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Ended(2)))
    );
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
}

#[test]
fn a_stream_whose_poll_panics_is_reported_ended_by_the_next_event_poll() {
    let drops = DropCounter::default();
    let mut set = StreamSet::new();
    set.insert("carol", faulty(&drops, &[1], true, false));
    set.insert("dave", faulty(&drops, &[2], false, false));
    let mut cx = noop_cx();
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Item("carol", 1)))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Item("dave", 2)))
    );
    let caught = catch_unwind(AssertUnwindSafe(|| set.poll_next_event(&mut cx)));
    assert_eq!(message(&*caught.unwrap_err()), "the stream's poll panics");
    assert_eq!(drops.drops(), 1);
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Ended("carol")))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Ended("dave")))
    );
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
}

#[test]
fn a_stream_whose_drop_panics_at_its_end_is_reported_ended_all_the_same() {
    let drops = DropCounter::default();
    let mut set = StreamSet::new();
    set.insert("erin", faulty(&drops, &[], false, true));
    let mut cx = noop_cx();
    let caught = catch_unwind(AssertUnwindSafe(|| set.poll_next_event(&mut cx)));
    assert_eq!(message(&*caught.unwrap_err()), "the stream's drop panics");
    assert!(set.is_empty());
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Ended("erin")))
    );
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
}

#[test]
fn a_removal_whose_drop_panics_is_reported_all_the_same() {
    let drops = DropCounter::default();
    let mut set = StreamSet::new();
    set.report_removals(true);
    set.insert("frank", faulty(&drops, &[], false, true));
    set.insert("grace", faulty(&drops, &[], false, true));
    let caught = catch_unwind(AssertUnwindSafe(|| set.remove_pinned(&"frank")));
    assert_eq!(message(&*caught.unwrap_err()), "the stream's drop panics");
    let caught = catch_unwind(AssertUnwindSafe(|| {
        set.insert_pinned("grace", faulty(&drops, &[7], false, false))
    }));
    assert_eq!(message(&*caught.unwrap_err()), "the stream's drop panics");
    let mut cx = noop_cx();
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Removed("frank")))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Replaced("grace")))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Item("grace", 7)))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Ended("grace")))
    );
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
    assert_eq!(drops.drops(), 3);
}

#[test]
fn a_future_whose_poll_panics_is_reported_ended() {
    let mut set: FutureSet<u8, Pin<Box<dyn Future<Output = u8>>>> = FutureSet::new();
    set.insert(1, Box::pin(async { panic!("the future's poll panics") }));
    set.insert(2, Box::pin(async { 2 }));
    let mut cx = noop_cx();
    let caught = catch_unwind(AssertUnwindSafe(|| set.poll_next_event(&mut cx)));
    assert_eq!(message(&*caught.unwrap_err()), "the future's poll panics");
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Ended(1)))
    );
    assert_eq!(
        set.poll_next_event(&mut cx),
        Poll::Ready(Some(SetEvent::Item(2, 2)))
    );
    assert_eq!(set.poll_next_event(&mut cx), Poll::Ready(None));
}

#[test]
fn next_event_keeps_the_fairness_and_budget_of_next() {
    let polls: Vec<Rc<Cell<usize>>> = (0..40).map(|_| Rc::new(Cell::new(0))).collect();
    let mut set = StreamSet::new();
    for (key, polls) in polls.iter().enumerate() {
        set.insert(key, counted(polls, false));
    }
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    assert!(set.poll_next_event(&mut cx).is_pending());
    let total: usize = polls.iter().map(|polls| polls.get()).sum();
    assert_eq!(total, 32, "32 child polls per poll");
    assert!(counter.wakes() >= 1, "it woke itself to go on");
}

/// `retain` and `clear` remove children as `remove` does: reported when asked for (each key
/// once, in no particular order), and a task waiting on `next_event` is woken by the report.
#[test]
fn retain_and_clear_report_their_removals_when_asked_for() {
    let mut set: StreamSet<u32, UsizeStream> = StreamSet::new();
    for key in 0..6 {
        set.insert(key, boxed(stream::pending()));
    }
    set.retain(|&key, _| key != 0); // not reported
    set.report_removals(true);
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    assert!(set.poll_next_event(&mut cx).is_pending());
    let before = counter.wakes();
    set.retain(|&key, _| key % 2 == 1); // 2 and 4 go; 1, 3 and 5 stay
    assert_eq!(
        counter.wakes(),
        before + 1,
        "the reports wake the waiting task"
    );
    let mut removed = Vec::new();
    while let Poll::Ready(Some(event)) = set.poll_next_event(&mut cx) {
        removed.push(event);
    }
    removed.sort_by_key(|event| match event {
        SetEvent::Removed(key) => *key,
        other => panic!("{other:?} where only removals were due"),
    });
    assert_eq!(removed, [SetEvent::Removed(2), SetEvent::Removed(4)]);

    set.clear();
    let mut removed = Vec::new();
    while let Poll::Ready(Some(event)) = set.poll_next_event(&mut cx) {
        removed.push(event);
    }
    removed.sort_by_key(|event| match event {
        SetEvent::Removed(key) => *key,
        other => panic!("{other:?} where only removals were due"),
    });
    assert_eq!(
        removed,
        [
            SetEvent::Removed(1),
            SetEvent::Removed(3),
            SetEvent::Removed(5)
        ]
    );
    assert!(set.is_empty());
}
