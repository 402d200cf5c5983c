//! `in_order` / `in_order_limited` (futures' `FuturesOrdered` / `buffered(n)`) and the
//! `_limited` forms over a `Stream` of futures (`from_stream`, futures' `buffer_unordered` /
//! `buffered`): input order, the limit (which counts the outputs waiting), the source polled
//! only with room and at most once per poll, its `Pending` and its end, panics, drops. The
//! tests ported from the peers say which test they port.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::{Future, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use asyncgen::{
    FromStream, InOrder, as_completed_limited, from_stream, gather_limited, in_order,
    in_order_limited, try_gather_limited,
};
use futures::channel::{mpsc, oneshot};
use futures::executor::{block_on, block_on_stream};
use futures::stream::{self, FusedStream};
use futures::{FutureExt, Stream, StreamExt, TryFutureExt, future};
use support::{DropCounter, DropToken, WakeCounter, counting_waker, iterations};

/// Polls `stream` once with `waker`.
fn poll_next<S: Stream + Unpin>(stream: &mut S, waker: &Waker) -> Poll<Option<S::Item>> {
    Pin::new(stream).poll_next(&mut Context::from_waker(waker))
}

/// Polls with a waker that does nothing (the peers' `noop_context`).
fn poll_noop<S: Stream + Unpin>(stream: &mut S) -> Poll<Option<S::Item>> {
    poll_next(stream, Waker::noop())
}

// ---------------------------------------------------------------------------------------------
// Ported from futures-rs, futures/tests/stream_futures_ordered.rs (FuturesOrdered). Not
// ported: `test_push_front`, `test_push_back`, `test_push_front_negative` (`in_order` takes
// its futures up front, or from a source it pulls: there is no push).
// ---------------------------------------------------------------------------------------------

/// Ports `works_1`.
#[test]
fn ported_futures_ordered_works_1() {
    let (a_tx, a_rx) = oneshot::channel::<i32>();
    let (b_tx, b_rx) = oneshot::channel::<i32>();
    let (c_tx, c_rx) = oneshot::channel::<i32>();

    let mut stream = in_order(vec![a_rx, b_rx, c_rx]);

    b_tx.send(99).unwrap();
    assert!(poll_noop(&mut stream).is_pending());

    a_tx.send(33).unwrap();
    c_tx.send(33).unwrap();

    let mut iter = block_on_stream(stream);
    assert_eq!(Some(Ok(33)), iter.next());
    assert_eq!(Some(Ok(99)), iter.next());
    assert_eq!(Some(Ok(33)), iter.next());
    assert_eq!(None, iter.next());
}

/// Ports `works_2`.
#[test]
fn ported_futures_ordered_works_2() {
    let (a_tx, a_rx) = oneshot::channel::<i32>();
    let (b_tx, b_rx) = oneshot::channel::<i32>();
    let (c_tx, c_rx) = oneshot::channel::<i32>();

    let mut stream = in_order(vec![
        a_rx.boxed(),
        future::join(b_rx, c_rx).map(|(a, b)| Ok(a? + b?)).boxed(),
    ]);

    a_tx.send(33).unwrap();
    b_tx.send(33).unwrap();
    assert!(poll_noop(&mut stream).is_ready());
    assert!(poll_noop(&mut stream).is_pending());
    c_tx.send(33).unwrap();
    assert!(poll_noop(&mut stream).is_ready());
}

/// Ports `from_iterator` (`len()` is our `size_hint`).
#[test]
fn ported_futures_ordered_from_iterator() {
    let stream = in_order(vec![ready(1), ready(2), ready(3)]);
    assert_eq!(stream.size_hint(), (3, Some(3)));
    assert_eq!(block_on(stream.collect::<Vec<_>>()), vec![1, 2, 3]);
}

/// Ports `queue_never_unblocked`: a head that never completes holds back the one behind it,
/// done or not.
#[test]
fn ported_futures_ordered_queue_never_unblocked() {
    let (_a_tx, a_rx) = oneshot::channel::<Box<dyn Any + Send>>();
    let (b_tx, b_rx) = oneshot::channel::<Box<dyn Any + Send>>();
    let (c_tx, c_rx) = oneshot::channel::<Box<dyn Any + Send>>();

    let mut stream = in_order(vec![
        Box::new(a_rx) as Box<dyn Future<Output = _> + Unpin>,
        Box::new(
            future::try_select(b_rx, c_rx)
                .map_err(|e| e.factor_first().0)
                .and_then(|e| future::ok(Box::new(e) as Box<dyn Any + Send>)),
        ) as _,
    ]);

    for _ in 0..10 {
        assert!(poll_noop(&mut stream).is_pending());
    }

    b_tx.send(Box::new(())).unwrap();
    assert!(poll_noop(&mut stream).is_pending());
    c_tx.send(Box::new(())).unwrap();
    assert!(poll_noop(&mut stream).is_pending());
    assert!(poll_noop(&mut stream).is_pending());
}

// ---------------------------------------------------------------------------------------------
// Ported from futures-buffered (src/buffered/ordered.rs, src/futures_ordered_bounded.rs,
// src/futures_ordered.rs tests). Not ported: `ordered_front`, `full_back`, `full_front` (no
// push).
// ---------------------------------------------------------------------------------------------

/// Ports `buffered_ordered` (`BufferedOrdered`, `stream.buffered_ordered(10)`).
#[test]
fn ported_futures_buffered_buffered_ordered() {
    let (send_one, recv_one) = oneshot::channel();
    let (send_two, recv_two) = oneshot::channel();

    let stream_of_futures = stream::iter(vec![recv_one, recv_two]);
    let mut buffered = in_order_limited(from_stream(stream_of_futures), 10);

    // sized properly
    assert_eq!(buffered.size_hint(), (2, Some(2)));

    // make sure it returns pending
    assert_eq!(poll_noop(&mut buffered), Poll::Pending);

    // returns in a fixed order
    send_two.send(2i32).unwrap();
    assert_eq!(poll_noop(&mut buffered), Poll::Pending);

    send_one.send(1i32).unwrap();
    assert_eq!(poll_noop(&mut buffered), Poll::Ready(Some(Ok(1i32))));
    assert_eq!(poll_noop(&mut buffered), Poll::Ready(Some(Ok(2i32))));

    // completes properly
    assert_eq!(poll_noop(&mut buffered), Poll::Ready(None));
}

/// Ports `ordered` of `FuturesOrderedBounded::new(10)` and of `FuturesOrdered::with_capacity(1)`:
/// ready futures come out in order, one per poll, whatever the limit.
#[test]
fn ported_futures_buffered_ordered() {
    for limit in [1, 10] {
        let mut buffer = in_order_limited((0..10).map(ready), limit);
        for i in 0..10 {
            assert_eq!(poll_noop(&mut buffer), Poll::Ready(Some(i)));
        }
        assert_eq!(poll_noop(&mut buffer), Poll::Ready(None));
    }
}

/// Ports `from_iter` of `FuturesOrderedBounded` and `FuturesOrdered`.
#[test]
fn ported_futures_buffered_from_iter() {
    let buffer = in_order((0..10).map(|_| ready(())));
    assert_eq!(buffer.size_hint(), (10, Some(10)));
}

// ---------------------------------------------------------------------------------------------
// Ported from futures-rs, futures/tests/stream_buffer_unordered.rs (`works`, `#[ignore]`d
// there for a race between its threads): here on one thread, each step checked in turn.
// ---------------------------------------------------------------------------------------------

/// Ports `works` (`rx.buffer_unordered(4)` over a channel of oneshot receivers) to
/// `as_completed_limited(from_stream(rx), 4)`: futures that arrive while others run start as
/// slots free up, outputs come as they complete.
#[test]
fn ported_buffer_unordered_works() {
    const N: usize = 4;
    let (tx, rx) = mpsc::unbounded();
    let mut senders = Vec::new();
    for _ in 0..=N {
        let (mytx, myrx) = oneshot::channel::<i32>();
        tx.unbounded_send(myrx).unwrap();
        senders.push(mytx);
    }
    let mut done = as_completed_limited(from_stream(rx), N).map(|(_, out)| out.unwrap());
    let (_, waker) = counting_waker();
    assert!(poll_next(&mut done, &waker).is_pending());

    let mut senders = senders.into_iter();
    let [o1, o2, o3, o4, o5] = std::array::from_fn(|_| senders.next().unwrap());
    o1.send(1).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(1)));
    o3.send(3).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(3)));
    // More futures arrive while the first ones run.
    let mut later = Vec::new();
    for _ in 0..N {
        let (mytx, myrx) = oneshot::channel::<i32>();
        tx.unbounded_send(myrx).unwrap();
        later.push(mytx);
    }
    o2.send(2).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(2)));
    o4.send(4).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(4)));

    let mut later = later.into_iter();
    let [o6, o7, o8, o9] = std::array::from_fn(|_| later.next().unwrap());
    o5.send(5).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(5)));
    o8.send(8).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(8)));
    o9.send(9).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(9)));
    o7.send(7).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(7)));
    o6.send(6).unwrap();
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(Some(6)));
    // The channel is still open: nothing more to run, waiting for it.
    assert!(poll_next(&mut done, &waker).is_pending());
    drop(tx);
    assert_eq!(poll_next(&mut done, &waker), Poll::Ready(None));
    assert!(done.is_terminated());
}

// ---------------------------------------------------------------------------------------------
// Input order and the limit.
// ---------------------------------------------------------------------------------------------

/// Futures the test completes by hand (any number wait on one gate), counting their polls.
#[derive(Clone, Default)]
struct Gate(Rc<GateState>);

#[derive(Default)]
struct GateState {
    open: Cell<bool>,
    wakers: RefCell<Vec<Waker>>,
    polls: Cell<usize>,
}

impl Gate {
    fn open(&self) {
        self.0.open.set(true);
        self.nudge();
    }

    fn polls(&self) -> usize {
        self.0.polls.get()
    }

    /// Wakes a waiting future without opening: it is polled again, and is still `Pending`.
    fn nudge(&self) {
        for waker in self.0.wakers.take() {
            waker.wake();
        }
    }

    /// Waits for the gate, then outputs `output`.
    fn then<T>(&self, output: T) -> impl Future<Output = T> + use<T> {
        let gate = self.clone();
        let mut output = Some(output);
        future::poll_fn(move |cx| {
            gate.0.polls.set(gate.0.polls.get() + 1);
            if gate.0.open.get() {
                Poll::Ready(output.take().expect("polled after it completed"))
            } else {
                gate.0.wakers.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

/// Drives `stream` with a waker that counts wakes: polls while woken, and collects the items.
fn drain_woken<S: Stream + Unpin>(
    stream: &mut S,
    wakes: &WakeCounter,
    waker: &Waker,
) -> Vec<S::Item> {
    let mut items = Vec::new();
    let mut seen = usize::MAX;
    while seen != wakes.wakes() {
        seen = wakes.wakes();
        while let Poll::Ready(Some(item)) = poll_next(stream, waker) {
            items.push(item);
        }
    }
    items
}

#[test]
fn outputs_come_in_input_order_for_random_completion_orders() {
    for seed in 0..iterations(200, 10) as u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let count = rng.usize(0..12);
        let gates: Vec<Gate> = (0..count).map(|_| Gate::default()).collect();
        let limit = rng.usize(1..=count.max(1) + 1);
        let futures: Vec<_> = gates.iter().enumerate().map(|(i, g)| g.then(i)).collect();
        let (wakes, waker) = counting_waker();
        let mut handed = Vec::new();
        let mut stream: Pin<Box<dyn Stream<Item = usize> + Unpin>> = if rng.bool() {
            Box::pin(in_order(futures))
        } else if rng.bool() {
            Box::pin(in_order_limited(futures, limit))
        } else {
            Box::pin(in_order_limited(from_stream(stream::iter(futures)), limit))
        };
        let mut order: Vec<usize> = (0..count).collect();
        rng.shuffle(&mut order);
        handed.extend(drain_woken(&mut stream, &wakes, &waker));
        for index in order {
            gates[index].open();
            handed.extend(drain_woken(&mut stream, &wakes, &waker));
        }
        assert_eq!(handed, (0..count).collect::<Vec<_>>(), "seed {seed}");
        assert_eq!(
            poll_next(&mut stream, &waker),
            Poll::Ready(None),
            "seed {seed}"
        );
    }
}

/// The limit counts the outputs waiting for an earlier one (futures' `buffered(n)`): with a
/// slow head, at most `limit - 1` futures after it start, and each output waits in a place of
/// its own.
#[test]
fn the_limit_counts_outputs_that_wait_for_an_earlier_one() {
    let gates: Vec<Gate> = (0..6).map(|_| Gate::default()).collect();
    let started = Rc::new(Cell::new(0));
    let futures = gates.iter().enumerate().map(|(i, gate)| {
        started.set(started.get() + 1);
        gate.then(i)
    });
    let mut stream = in_order_limited(futures, 3);
    let (wakes, waker) = counting_waker();
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(started.get(), 3);
    // 1 and 2 complete: they wait for 0, holding their places; nothing more starts.
    gates[1].open();
    gates[2].open();
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(started.get(), 3);
    // 2 waiting, 1 running, 3 in the input.
    assert_eq!(stream.size_hint(), (6, Some(6)));
    gates[0].open();
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(0)));
    // 0 is out: one place is free, and 1 and 2 still hold theirs.
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(1)));
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(2)));
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(started.get(), 6);
    for gate in &gates[3..] {
        gate.open();
    }
    assert_eq!(drain_woken(&mut stream, &wakes, &waker), [3, 4, 5]);
    assert!(stream.is_terminated());
}

/// Each future is polled at most once per poll of the stream, even one that wakes itself
/// (issue 28's fix 1, kept by the new forms).
#[test]
fn a_self_waking_future_is_polled_once_per_poll() {
    let polls = Rc::new(Cell::new(0));
    let yielding = {
        let polls = polls.clone();
        future::poll_fn(move |cx| {
            polls.set(polls.get() + 1);
            cx.waker().wake_by_ref();
            Poll::<u8>::Pending
        })
    };
    let mut stream = in_order_limited(from_stream(stream::iter([yielding])), 2);
    let (wakes, waker) = counting_waker();
    for poll in 1..=5 {
        assert!(poll_next(&mut stream, &waker).is_pending());
        assert_eq!(polls.get(), poll);
        assert_eq!(wakes.wakes(), poll);
    }
}

// ---------------------------------------------------------------------------------------------
// A stream as the input: polled only with room, at most once per poll; its `Pending`, its end.
// ---------------------------------------------------------------------------------------------

/// A stream of futures that counts its polls and is `Pending` until the test gives it a
/// future (a channel, with a poll count).
struct Feed {
    rx: mpsc::UnboundedReceiver<Gate>,
    polls: Rc<Cell<usize>>,
}

impl Stream for Feed {
    type Item = Pin<Box<dyn Future<Output = usize>>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.polls.set(self.polls.get() + 1);
        let polls = self.polls.get();
        self.rx
            .poll_next_unpin(cx)
            .map(|gate| gate.map(|gate| Box::pin(gate.then(polls)) as _))
    }
}

fn feed() -> (mpsc::UnboundedSender<Gate>, Feed, Rc<Cell<usize>>) {
    let (tx, rx) = mpsc::unbounded();
    let polls = Rc::new(Cell::new(0));
    (
        tx,
        Feed {
            rx,
            polls: polls.clone(),
        },
        polls,
    )
}

#[test]
fn a_pending_source_with_nothing_running_is_pending_until_it_wakes() {
    let (tx, source, polls) = feed();
    let mut stream = in_order_limited(from_stream(source), 2);
    let (wakes, waker) = counting_waker();
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(polls.get(), 1);
    assert!(!stream.is_terminated());
    let gate = Gate::default();
    gate.open();
    tx.unbounded_send(gate).unwrap();
    assert_eq!(
        wakes.wakes(),
        1,
        "the source's wake-up reaches the stream's task"
    );
    assert!(poll_next(&mut stream, &waker).is_ready());
    drop(tx);
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(None));
    assert!(stream.is_terminated());
}

/// The source is polled only while there is room under the limit, and at most once per poll
/// of the helper (after a `Pending`, its wake-up is awaited), however many children that poll
/// goes through.
#[test]
fn the_source_is_polled_only_with_room_and_once_per_poll() {
    let (tx, source, polls) = feed();
    let gates: Vec<Gate> = (0..4).map(|_| Gate::default()).collect();
    tx.unbounded_send(gates[0].clone()).unwrap();
    tx.unbounded_send(gates[1].clone()).unwrap();
    let mut stream = as_completed_limited(from_stream(source), 3);
    let (wakes, waker) = counting_waker();
    // Two futures, then `Pending`; the two children are polled (each followed by a look for
    // room) without asking the source again.
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(polls.get(), 3);
    // Both children woken, still `Pending`: the new poll asks the source once.
    gates[0].nudge();
    gates[1].nudge();
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(polls.get(), 4);
    assert_eq!((gates[0].polls(), gates[1].polls()), (2, 2));
    // A third future fills the slots: the source's wake-up polls the helper, which asks it
    // once, and not again while there is no room.
    let before = wakes.wakes();
    tx.unbounded_send(gates[2].clone()).unwrap();
    assert_eq!(wakes.wakes(), before + 1);
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(polls.get(), 5);
    tx.unbounded_send(gates[3].clone()).unwrap();
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(polls.get(), 5, "no room: the source is not polled");
    // One done: room for the fourth (at the next poll: the one that completed returns first).
    gates[0].open();
    assert!(poll_next(&mut stream, &waker).is_ready());
    assert_eq!(polls.get(), 5);
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!(polls.get(), 6);
    drop(tx);
    for gate in &gates[1..] {
        gate.open();
    }
    let rest = drain_woken(&mut stream, &wakes, &waker);
    assert_eq!(rest.len(), 3);
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(None));
    // Its end was seen once: an ended source is never polled again.
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(None));
    assert_eq!(polls.get(), 7);
}

/// The source's end does not end the helper while futures run: it ends when they are done.
#[test]
fn it_ends_when_the_source_has_ended_and_every_future_is_done() {
    let gate = Gate::default();
    let mut stream = in_order_limited(from_stream(stream::iter([gate.then(1), gate.then(2)])), 4);
    let (_, waker) = counting_waker();
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert!(!stream.is_terminated());
    gate.open();
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(1)));
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(2)));
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(None));
    assert!(stream.is_terminated());
}

/// Every `_limited` form takes a stream (futures' `buffer_unordered`/`buffered` over a
/// stream), including a `!Unpin` one (a generator's), and pulls it lazily.
#[test]
fn every_limited_form_takes_a_stream() {
    let numbers = || {
        asyncgen::stream! {
            for n in 1..=5u32 {
                yield async move { n * 10 };
            }
        }
    };
    assert_eq!(
        block_on(gather_limited(from_stream(numbers()), 2)),
        [10, 20, 30, 40, 50]
    );
    let mut done: Vec<(usize, u32)> =
        block_on(as_completed_limited(from_stream(numbers()), 2).collect());
    done.sort_unstable();
    assert_eq!(done, [(0, 10), (1, 20), (2, 30), (3, 40), (4, 50)]);
    assert_eq!(
        block_on(in_order_limited(from_stream(numbers()), 2).collect::<Vec<_>>()),
        [10, 20, 30, 40, 50]
    );
    let checked = stream::iter(1..).map(|n: u32| async move { if n < 4 { Ok(n) } else { Err(n) } });
    assert_eq!(
        block_on(try_gather_limited(from_stream(checked), 2)),
        Err(4)
    );
}

/// An endless stream, pulled lazily: only as many futures are made as were handed out plus
/// the limit.
#[test]
fn an_endless_stream_is_pulled_lazily() {
    let made = Rc::new(Cell::new(0));
    let source = {
        let made = made.clone();
        stream::iter(0..).map(move |n: usize| {
            made.set(made.get() + 1);
            ready(n)
        })
    };
    let first: Vec<usize> = block_on(in_order_limited(from_stream(source), 3).take(5).collect());
    assert_eq!(first, [0, 1, 2, 3, 4]);
    assert!(made.get() <= 5 + 3, "{} made", made.get());
}

#[test]
fn a_gather_of_a_stream_is_sized_by_its_size_hint() {
    let source = stream::iter((0..10).map(ready));
    assert_eq!(
        block_on(gather_limited(from_stream(source), 3)).capacity(),
        10
    );
}

// ---------------------------------------------------------------------------------------------
// Panics and drops.
// ---------------------------------------------------------------------------------------------

/// A child whose poll panics: the panic reaches the poller with its payload, and, polled on,
/// the stream skips that child's place and yields the others in order.
#[test]
fn a_panicking_child_is_skipped_and_the_others_come_in_order() {
    for limit in [1, 2, 5, usize::MAX] {
        let futures = (0..5usize).map(|i| {
            async move {
                if i == 2 {
                    std::panic::panic_any(i);
                }
                i
            }
            .boxed()
        });
        let mut stream = in_order_limited(futures, limit);
        let mut handed = Vec::new();
        let mut panics = Vec::new();
        loop {
            match catch_unwind(AssertUnwindSafe(|| poll_noop(&mut stream))) {
                Ok(Poll::Ready(Some(i))) => handed.push(i),
                Ok(Poll::Ready(None)) => break,
                Ok(Poll::Pending) => panic!("ready children"),
                Err(payload) => panics.push(*payload.downcast::<usize>().unwrap()),
            }
        }
        assert_eq!(handed, [0, 1, 3, 4], "limit {limit}");
        assert_eq!(panics, [2], "limit {limit}");
        assert!(stream.is_terminated());
    }
}

/// A completed child whose drop panics: its output goes (dropped once), the place is skipped.
#[test]
fn a_child_whose_drop_panics_loses_its_output_only() {
    /// Ready at once with `(index, token)`; its drop panics if `panics`.
    struct DropPanics {
        index: usize,
        token: Option<DropToken>,
        panics: bool,
    }
    impl Future for DropPanics {
        type Output = (usize, DropToken);
        fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
            Poll::Ready((self.index, self.token.take().unwrap()))
        }
    }
    impl Drop for DropPanics {
        fn drop(&mut self) {
            if self.panics {
                std::panic::panic_any("child drop");
            }
        }
    }
    for limit in [1, 2, 4] {
        let outputs = DropCounter::default();
        let futures: Vec<_> = (0..4)
            .map(|index| DropPanics {
                index,
                token: Some(outputs.token()),
                panics: index == 1,
            })
            .collect();
        let mut stream = in_order_limited(futures, limit);
        let mut handed = Vec::new();
        let mut panics = 0;
        loop {
            match catch_unwind(AssertUnwindSafe(|| poll_noop(&mut stream))) {
                Ok(Poll::Ready(Some((index, _token)))) => handed.push(index),
                Ok(Poll::Ready(None)) => break,
                Ok(Poll::Pending) => panic!("ready children"),
                Err(_) => panics += 1,
            }
        }
        assert_eq!(handed, [0, 2, 3], "limit {limit}");
        assert_eq!(panics, 1);
        assert_eq!(outputs.drops(), 4);
    }
}

/// A source whose poll panics: the panic goes on, the source is dropped, and the helper runs
/// the futures it has to their end.
#[test]
fn a_panicking_source_is_dropped_and_the_running_futures_finish() {
    let source_drops = DropCounter::default();
    let token = source_drops.token();
    let gate = Gate::default();
    let source = stream::iter(0..)
        .map(move |n: usize| {
            let _keep = &token;
            if n == 2 {
                std::panic::panic_any("source");
            }
            n
        })
        .map({
            let gate = gate.clone();
            move |n| gate.then(n)
        });
    let mut stream = in_order_limited(from_stream(source), 3);
    let (_, waker) = counting_waker();
    let panicked = catch_unwind(AssertUnwindSafe(|| poll_next(&mut stream, &waker)));
    assert_eq!(*panicked.unwrap_err().downcast::<&str>().unwrap(), "source");
    assert_eq!(source_drops.drops(), 1, "dropped before the panic went on");
    assert!(poll_next(&mut stream, &waker).is_pending());
    gate.open();
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(0)));
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(Some(1)));
    assert_eq!(poll_next(&mut stream, &waker), Poll::Ready(None));
}

/// Dropped midway, it drops each future, waiting output and the source once.
#[test]
fn dropping_it_midway_drops_everything_once() {
    let futures_dropped = DropCounter::default();
    let outputs_dropped = DropCounter::default();
    let gates: Vec<Gate> = (0..4).map(|_| Gate::default()).collect();
    let futures: Vec<_> = gates
        .iter()
        .map(|gate| {
            let held: DropToken = futures_dropped.token();
            let output = outputs_dropped.token();
            let wait = gate.then(output);
            async move {
                let _held = held;
                wait.await
            }
        })
        .collect();
    let mut stream: InOrder<FromStream<_>> =
        in_order_limited(from_stream(stream::iter(futures)), 3);
    let (_, waker) = counting_waker();
    assert!(poll_next(&mut stream, &waker).is_pending());
    gates[1].open(); // completes, waits for 0
    assert!(poll_next(&mut stream, &waker).is_pending());
    assert_eq!((futures_dropped.drops(), outputs_dropped.drops()), (1, 0));
    drop(stream);
    // 3 futures started (1 done), 1 still in the source; the waiting output and the three
    // outputs never made.
    assert_eq!(futures_dropped.drops(), 4);
    assert_eq!(outputs_dropped.drops(), 4);
}

// ---------------------------------------------------------------------------------------------
// Executors.
// ---------------------------------------------------------------------------------------------

/// Under tokio (paused clock): sleeps of random lengths, 3 at a time, from a stream: input
/// order, and the stream is fed as places free up.
#[test]
fn under_tokio_random_sleeps_keep_input_order() {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(async {
            let mut rng = fastrand::Rng::with_seed(28);
            let lengths: Vec<u64> = (0..20).map(|_| rng.u64(1..50)).collect();
            let requests =
                stream::iter(lengths.clone().into_iter().enumerate()).map(|(i, ms)| async move {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    i
                });
            let outputs: Vec<usize> = in_order_limited(from_stream(requests), 3).collect().await;
            assert_eq!(outputs, (0..20).collect::<Vec<_>>());
        });
}

/// Wakes from another thread reach the task (the stream and the futures are `Send`).
#[test]
fn works_with_wakes_from_another_thread() {
    let (tx, rx) = mpsc::unbounded::<oneshot::Receiver<u32>>();
    let feeder = std::thread::spawn(move || {
        for n in 0..50 {
            let (otx, orx) = oneshot::channel();
            tx.unbounded_send(orx).unwrap();
            std::thread::spawn(move || otx.send(n).unwrap());
        }
    });
    let outputs: Vec<u32> = block_on(
        in_order_limited(from_stream(rx), 4)
            .map(Result::unwrap)
            .collect(),
    );
    feeder.join().unwrap();
    assert_eq!(outputs, (0..50).collect::<Vec<_>>());
}

#[test]
fn is_send_with_send_futures_and_stream() {
    fn send<T: Send>(_: &T) {}
    let stream = in_order_limited(from_stream(stream::iter([ready(1)])), 2);
    send(&stream);
    send(&in_order([ready(1)]));
    let mut pinned = pin!(stream);
    assert_eq!(
        pinned
            .as_mut()
            .poll_next(&mut Context::from_waker(Waker::noop())),
        Poll::Ready(Some(1))
    );
}
