//! A child that wakes itself and returns `Pending` (a hand-written yield to the others) waits
//! for its helper's next poll, as in `FuturesUnordered` (issue 28): each child is polled at most
//! once per poll of the helper, and the helper, having woken itself, returns `Pending`. Before,
//! such a child was popped again from the ready queue until the poll budget ran out: 32 polls
//! in one poll of a `FutureSet`, `StreamSet`, `as_completed`, `gather`, `gather!` or a `merge`
//! of 4+ sources.

use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use asyncgen::{FutureSet, StreamSet, as_completed, gather, merge};
use futures::{Stream, StreamExt};
use support::counting_waker;

/// Counts the polls of each child.
#[derive(Clone, Default)]
struct Polls(Rc<Vec<Cell<usize>>>);

impl Polls {
    fn new(children: usize) -> Self {
        Polls(Rc::new((0..children).map(|_| Cell::new(0)).collect()))
    }

    fn counted(&self) -> Vec<usize> {
        self.0.iter().map(Cell::get).collect()
    }

    /// A future that wakes itself and returns `Pending` `times` times, then resolves to `child`.
    fn future(&self, child: usize, times: usize) -> impl Future<Output = usize> + Unpin + use<> {
        let polls = self.0.clone();
        let mut left = times;
        poll_fn(move |cx| {
            polls[child].set(polls[child].get() + 1);
            if left == 0 {
                return Poll::Ready(child);
            }
            left -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        })
    }

    /// The same as a stream of one item.
    fn stream(&self, child: usize, times: usize) -> impl Stream<Item = usize> + Unpin + use<> {
        futures::stream::once(self.future(child, times))
    }
}

/// Polls `poll` (one poll of a helper) until it is ready, checking that each poll polls every
/// child at most once, and returns `Pending` only having woken its waker.
fn run<T>(polls: &Polls, mut poll: impl FnMut(&mut Context<'_>) -> Poll<T>) -> (T, usize) {
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    for helper_polls in 1..1_000 {
        let (before, wakes) = (polls.counted(), counter.wakes());
        let result = poll(&mut cx);
        for (child, (after, before)) in polls.counted().iter().zip(&before).enumerate() {
            assert!(
                after - before <= 1,
                "poll {helper_polls} polled child {child} {} times",
                after - before
            );
        }
        match result {
            Poll::Ready(output) => return (output, helper_polls),
            Poll::Pending => assert!(counter.wakes() > wakes, "`Pending` without a wake-up"),
        }
    }
    panic!("no end after 1 000 polls");
}

/// Each helper, over 5 children that wake themselves 0, 1, 3, 10 and 40 times: every poll
/// polls each child at most once, and the helper resolves after as many polls as the
/// busiest child needs (41), not fewer (a child polled twice in one poll) nor more.
#[test]
fn each_child_is_polled_at_most_once_per_poll_of_its_helper() {
    const TIMES: [usize; 5] = [0, 1, 3, 10, 40];
    let busiest = 1 + TIMES.iter().max().unwrap();

    let polls = Polls::new(5);
    let mut all = gather(
        TIMES
            .iter()
            .enumerate()
            .map(|(child, &n)| polls.future(child, n)),
    );
    let (outputs, helper_polls) = run(&polls, |cx| Pin::new(&mut all).poll(cx));
    assert_eq!(
        (outputs, helper_polls),
        (vec![0, 1, 2, 3, 4], busiest),
        "gather"
    );

    let polls = Polls::new(3);
    let mut all = asyncgen::gather!(polls.future(0, 0), polls.future(1, 3), polls.future(2, 40));
    let (outputs, helper_polls) = run(&polls, |cx| Pin::new(&mut all).poll(cx));
    assert_eq!((outputs, helper_polls), ((0, 1, 2), busiest), "gather!");

    // The streams: drained, their items counted.
    fn drain<S: Stream + Unpin>(polls: &Polls, stream: &mut S) -> (usize, usize) {
        let mut items = 0;
        let ((), helper_polls) = run(polls, |cx| {
            loop {
                match Pin::new(&mut *stream).poll_next(cx) {
                    Poll::Ready(Some(_)) => items += 1,
                    Poll::Ready(None) => return Poll::Ready(()),
                    Poll::Pending => return Poll::Pending,
                }
            }
        });
        (items, helper_polls)
    }
    let futures = || TIMES.iter().enumerate().map(|(child, &n)| (child, n));

    let polls = Polls::new(5);
    let mut done = as_completed(futures().map(|(child, n)| polls.future(child, n)));
    assert_eq!(drain(&polls, &mut done), (5, busiest), "as_completed");

    let polls = Polls::new(5);
    let mut merged = merge(futures().map(|(child, n)| polls.stream(child, n)));
    assert_eq!(drain(&polls, &mut merged), (5, busiest), "merge of 5");

    let polls = Polls::new(5);
    let mut set: FutureSet<usize, _> = futures()
        .map(|(child, n)| (child, polls.future(child, n)))
        .collect();
    assert_eq!(drain(&polls, &mut set), (5, busiest), "FutureSet");

    let polls = Polls::new(5);
    let mut set: StreamSet<usize, _> = futures()
        .map(|(child, n)| (child, polls.stream(child, n)))
        .collect();
    assert_eq!(drain(&polls, &mut set), (5, busiest), "StreamSet");
}

/// futures-rs's own test (`futures_unordered::polled_only_once_at_most_per_iteration`, in
/// spirit): three futures that are `Pending` once, waking themselves: the first poll is
/// `Pending`, having polled each once; the second gets an output.
#[test]
fn three_pending_once_futures_first_poll_is_pending() {
    let polls = Polls::new(3);
    let (_, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut set: FutureSet<usize, _> = (0..3)
        .map(|child| (child, polls.future(child, 1)))
        .collect();
    assert!(set.poll_next_unpin(&mut cx).is_pending());
    assert_eq!(polls.counted(), [1, 1, 1]);
    assert!(matches!(set.poll_next_unpin(&mut cx), Poll::Ready(Some(_))));

    let polls = Polls::new(3);
    let mut done = as_completed((0..3).map(|child| polls.future(child, 1)));
    assert!(done.poll_next_unpin(&mut cx).is_pending());
    assert_eq!(polls.counted(), [1, 1, 1]);
    assert!(matches!(
        done.poll_next_unpin(&mut cx),
        Poll::Ready(Some(_))
    ));
}
