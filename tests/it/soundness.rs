//! Escape attempts that compile, each shown harmless: every item reaches the stream it was
//! yielded for, and nothing touches a slot that is gone (CI runs this file under Miri, with
//! Stacked and Tree Borrows). The attempts that must not compile are `tests/ui/handle/`.

use std::cell::RefCell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::AtomicPtr;
use std::task::{Context, Poll, Waker};

use asyncgen::__private::async_gen;
use asyncgen::{async_gen, stream, yield_};
use futures::{Stream, StreamExt};
use support::{DropCounter, DropToken, drain_ready, poll_once};

/// Polls `future` once with a waker that does nothing.
fn poll_future_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
}

/// Where [`forget`] notes what it leaked.
static FORGOTTEN: Mutex<Vec<AtomicPtr<()>>> = Mutex::new(Vec::new());

/// `mem::forget`s a pinned box: its value is never dropped and its memory never freed. Miri
/// reports leaked memory as an error unless a static still points to it, so its address is
/// noted in one first (that does not change what is leaked).
fn forget<T: ?Sized>(boxed: Pin<Box<T>>) {
    let address = std::ptr::from_ref::<T>(&*boxed).cast::<()>().cast_mut();
    FORGOTTEN.lock().unwrap().push(AtomicPtr::new(address));
    std::mem::forget(boxed);
}

/// Yielding from a body into another generator, with the macros: an `#[async_gen]` fn item
/// defined inside a body yields to its own stream, never to the enclosing one.
#[test]
fn a_nested_async_gen_fn_item_yields_to_its_own_stream() {
    #[async_gen]
    async fn outer(inner_log: Rc<RefCell<Vec<u32>>>) -> &'static str {
        #[async_gen]
        async fn inner() -> u32 {
            yield_!(1);
            yield_!(2);
            yield_!(3);
        }
        yield_!("outer start");
        let mut inner = pin!(inner());
        while let Some(item) = inner.next().await {
            inner_log.borrow_mut().push(item);
            yield_!("outer between");
        }
        yield_!("outer end");
    }
    let inner_log = Rc::new(RefCell::new(Vec::new()));
    assert_eq!(
        drain_ready(outer(inner_log.clone())),
        [
            "outer start",
            "outer between",
            "outer between",
            "outer between",
            "outer end"
        ]
    );
    assert_eq!(*inner_log.borrow(), [1, 2, 3]);
}

/// The same with blocks: a `stream!` inside an `#[async_gen]` body yields to the inner stream
/// only, and the outer body's `yield_!` around it to the outer stream.
#[test]
fn a_nested_stream_block_yields_to_its_own_stream() {
    #[async_gen]
    async fn outer() -> String {
        yield_!(String::from("outer 0"));
        let inner = stream! {
            yield 10u8;
            yield 20u8;
        };
        let inner_items: Vec<u8> = inner.collect().await;
        yield_!(format!("inner gave {inner_items:?}"));
    }
    assert_eq!(drain_ready(outer()), ["outer 0", "inner gave [10, 20]"]);
}

/// A generator created inside a generator and polled by it by hand, interleaved with the
/// outer body's own yields: each item lands in the stream whose handle yielded it, both are
/// drained, and an inner generator left unfinished is dropped cleanly inside the body.
#[test]
fn a_generator_created_and_polled_inside_a_generator_keeps_its_items() {
    let counter = DropCounter::default();
    let token = counter.token();
    let outer = async_gen::<(char, u32), _>(async move |mut outer| {
        let mut inner = pin!(async_gen::<u32, _>(async |mut inner| {
            for i in 1..=3 {
                inner.yield_(i * 100).await;
            }
        }));
        outer.yield_(('o', 0)).await;
        loop {
            // Polled by hand with a waker of its own, between the outer body's yields.
            match poll_once(inner.as_mut()) {
                Poll::Ready(Some(item)) => outer.yield_(('i', item)).await,
                Poll::Ready(None) => break,
                Poll::Pending => unreachable!("the inner body only waits on its yields"),
            }
            outer.yield_(('o', 1)).await;
        }
        // One more generator, polled once (suspended inside a yield) and dropped unfinished.
        let mut unfinished = Box::pin(async_gen::<DropToken, _>(async move |mut inner| {
            inner.yield_(token).await;
            unreachable!("never resumed");
        }));
        let Poll::Ready(Some(taken)) = poll_once(unfinished.as_mut()) else {
            unreachable!("the first poll yields")
        };
        drop(unfinished);
        drop(taken);
        outer.yield_(('o', 2)).await;
    });
    assert_eq!(
        drain_ready(outer),
        [
            ('o', 0),
            ('i', 100),
            ('o', 1),
            ('i', 200),
            ('o', 1),
            ('i', 300),
            ('o', 1),
            ('o', 2)
        ]
    );
    assert_eq!(counter.drops(), 1);
}

/// Yielding through the *outer* handle from a nested generator's body: this compiles (the
/// nested stream borrows the outer handle, so it cannot leave the outer body, see
/// `tests/ui/handle/handle-cannot-escape-in-nested-generator.rs`), and it is harmless: the
/// items go to
/// the outer stream, the one whose handle yielded them, and the inner stream yields nothing.
#[test]
fn a_nested_body_yielding_through_the_outer_handle_feeds_the_outer_stream() {
    let outer = async_gen::<u32, _>(async |mut outer| {
        outer.yield_(1).await;
        let inner_items: Vec<u8> = async_gen::<u8, _>(async |_inner| {
            outer.yield_(2).await;
            outer.yield_(3).await;
        })
        .collect()
        .await;
        assert!(
            inner_items.is_empty(),
            "the inner stream got {inner_items:?}"
        );
        outer.yield_(4).await;
    });
    assert_eq!(drain_ready(outer), [1, 2, 3, 4]);
}

/// Moving the outer handle *into* a nested generator's body (not just borrowing it): the
/// nested stream then owns the outer handle, so it carries the outer brand and still cannot
/// leave the outer body; polled there, its yields go to the outer stream, and after it is
/// dropped mid-yield the outer stream ends cleanly.
#[test]
fn a_nested_body_owning_the_outer_handle_feeds_the_outer_stream() {
    let outer = async_gen::<u32, _>(async |outer| {
        let mut inner = pin!(async_gen::<u8, _>(async move |_inner| {
            let mut outer = outer;
            outer.yield_(1).await;
            outer.yield_(2).await;
            outer.yield_(3).await;
        }));
        // Two yields through the moved handle, then the inner stream is dropped mid-yield.
        for _ in 0..2 {
            assert!(
                std::future::poll_fn(|cx| Poll::Ready(inner.as_mut().poll_next(cx)))
                    .await
                    .is_pending()
            );
            // Lets the outer stream hand the item out before the next inner poll.
            let mut handed_out = false;
            std::future::poll_fn(|_| {
                if std::mem::replace(&mut handed_out, true) {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            })
            .await;
        }
    });
    assert_eq!(drain_ready(outer), [1, 2]);
}

/// The handle sent to another thread: a detached thread is a compile error
/// (`tests/ui/handle/handle-cannot-reach-thread.rs`), but a scoped thread may borrow it, and is
/// harmless. The body's poll waits for the thread, so the stream is alive and nothing else
/// touches its slot. With the slot in the stream, the thread's yield reaches it and its item is
/// delivered once. With the slot on the stack of the thread that polls (the default), the
/// other thread's yield finds no poll of its stream on its own thread, so it touches nothing:
/// its future stays pending and drops the item with itself, once.
#[test]
fn a_yield_from_a_scoped_thread_is_delivered_or_dropped_once() {
    let counter = DropCounter::default();
    let token = counter.token();
    let stream = async_gen::<(&str, Option<DropToken>), _>(async move |mut yielder| {
        yielder.yield_(("before", None)).await;
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let mut from_thread = yielder.yield_(("from the thread", Some(token)));
                assert!(poll_future_once(&mut from_thread).is_pending());
            });
        });
        yielder.yield_(("after", None)).await;
    });
    let items: Vec<&str> = drain_ready(stream)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    if asyncgen::__private::SLOT_ON_THE_STACK {
        assert_eq!(items, ["before", "after"]);
    } else {
        assert_eq!(items, ["before", "from the thread", "after"]);
    }
    assert_eq!(counter.drops(), 1);
}

/// `mem::forget` of a generator suspended inside a yield, then new generators: forgetting a
/// `Pin<Box<_>>` leaks its memory (the box is never freed, so no new generator can get that
/// address, and its handle never dangles), and the new generators work.
#[test]
fn forgetting_a_boxed_generator_mid_yield_leaves_new_generators_working() {
    let counter = DropCounter::default();
    for round in 0..3u32 {
        let token = counter.token();
        let mut forgotten = Box::pin(async_gen::<u32, _>(async move |mut yielder| {
            let _token = token;
            yielder.yield_(round).await;
            yielder.yield_(999).await;
        }));
        // Suspended inside its first yield, its item handed out.
        assert_eq!(poll_once(forgotten.as_mut()), Poll::Ready(Some(round)));
        forget(forgotten);

        let fresh = async_gen::<u32, _>(async move |mut yielder| {
            for i in 0..3 {
                yielder.yield_(round * 10 + i).await;
            }
        });
        assert_eq!(
            drain_ready(fresh),
            [round * 10, round * 10 + 1, round * 10 + 2]
        );
    }
    // Leaked, not dropped: the forgotten bodies' locals are still there.
    assert_eq!(counter.drops(), 0);
}

/// `mem::forget` of a generator suspended on something else while its item sits in a `yield_`
/// future, the macro way: leaked like the above, and the next generator works.
#[test]
fn forgetting_a_boxed_macro_generator_waiting_on_a_future_leaves_new_ones_working() {
    #[async_gen]
    async fn waits(first: u32) -> u32 {
        yield_!(first);
        std::future::pending::<()>().await;
        yield_!(first + 1);
    }
    let mut forgotten = Box::pin(waits(1));
    assert_eq!(poll_once(forgotten.as_mut()), Poll::Ready(Some(1)));
    assert_eq!(poll_once(forgotten.as_mut()), Poll::Pending);
    forget(forgotten);
    let mut fresh = pin!(waits(10));
    assert_eq!(poll_once(fresh.as_mut()), Poll::Ready(Some(10)));
    assert_eq!(poll_once(fresh.as_mut()), Poll::Pending);
}

/// A new generator at the address of one suspended mid-yield: safe code cannot reuse the
/// memory of a *forgotten* pinned generator (`Box::pin` leaks it; `pin!` and `Pin<&mut _>`
/// leave the value in its place, to be dropped when its scope ends; and a `ManuallyDrop` can
/// only be pinned with `unsafe`). What it can do is drop it and put a new one in the same
/// stack slot: each round's generator is dropped mid-yield, its successor gets its own items.
#[test]
fn generators_reusing_the_stack_slot_of_one_dropped_mid_yield_get_their_own_items() {
    let counter = DropCounter::default();
    let mut addresses = Vec::new();
    for round in 0..4u32 {
        let token = counter.token();
        let mut stream = pin!(async_gen::<u32, _>(async move |mut yielder| {
            let _token = token;
            yielder.yield_(round).await;
            yielder.yield_(round + 100).await;
            yielder.yield_(round + 200).await;
        }));
        addresses.push(std::ptr::from_ref(&*stream).addr());
        assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(round)));
        assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(round + 100)));
        // Dropped here, suspended inside its second yield.
    }
    assert_eq!(counter.drops(), 4);
    // Not asserted (the compiler decides), only reported: each round's generator usually
    // lives at the same address.
    println!("stack addresses of the rounds' generators: {addresses:x?}");
}

/// Moving a generator before its first poll (into a `Vec`, swapping it) is harmless: no
/// handle exists until the stream is pinned and polled, so nothing points into the moved
/// memory.
#[test]
fn generators_moved_before_their_first_poll_yield_their_own_items() {
    fn counting(start: u32) -> impl Stream<Item = u32> {
        async_gen::<u32, _>(async move |mut yielder| {
            yielder.yield_(start).await;
            yielder.yield_(start + 1).await;
        })
    }
    let mut streams = vec![counting(0), counting(10)];
    streams.swap(0, 1);
    let moved = streams.pop().unwrap();
    let mut boxed = Box::new(streams.pop().unwrap());
    let mut third = counting(20);
    std::mem::swap(&mut *boxed, &mut third);
    assert_eq!(drain_ready(moved), [0, 1]);
    assert_eq!(drain_ready(*boxed), [20, 21]);
    assert_eq!(drain_ready(third), [10, 11]);
}

/// Polling after completion: `None` forever, the body is never resumed.
#[test]
fn polling_after_completion_returns_none_forever() {
    let counter = DropCounter::default();
    let token = counter.token();
    let mut stream = pin!(async_gen::<u32, _>(async move |mut yielder| {
        let _token = token;
        yielder.yield_(1).await;
    }));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(
        counter.drops(),
        1,
        "the finished body has dropped its locals"
    );
    for _ in 0..100 {
        assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    }
    assert_eq!(counter.drops(), 1);
}

/// Polling after a panic, the macro way: the stream ends (`None` forever), and the body's
/// captured and local values were each dropped exactly once, during the unwinding.
#[test]
fn polling_after_a_panic_returns_none_forever_and_drops_everything_once() {
    #[async_gen]
    async fn panics_after_one(captured: DropToken, counter: DropCounter) -> u32 {
        let _local = counter.token();
        yield_!(1);
        let _captured = captured;
        panic!("the body panics");
    }
    let counter = DropCounter::default();
    let mut stream = pin!(panics_after_one(counter.token(), counter.clone()));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    let caught =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_once(stream.as_mut())));
    assert!(caught.is_err());
    assert_eq!(counter.drops(), 2);
    for _ in 0..100 {
        assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    }
    assert_eq!(counter.drops(), 2);
}

/// Polling after a panic inside a yield's caller, the `__private` way: the body panics while
/// an item it yielded is still in the slot. The stream ends, the item is dropped (not
/// delivered) exactly once, and later polls return `None`.
#[test]
fn polling_after_a_panic_with_an_item_in_the_slot_returns_none_forever() {
    let counter = DropCounter::default();
    let token = counter.token();
    let mut stream = Box::pin(async_gen::<DropToken, _>(async move |mut yielder| {
        let mut stored = yielder.yield_(token);
        assert!(poll_future_once(&mut stored).is_pending());
        drop(stored);
        panic!("the body panics with its item in the slot");
    }));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = poll_once(stream.as_mut());
    }));
    assert!(caught.is_err());
    for _ in 0..100 {
        assert!(matches!(poll_once(stream.as_mut()), Poll::Ready(None)));
    }
    assert!(counter.drops() <= 1, "dropped at most once so far");
    drop(stream);
    assert_eq!(counter.drops(), 1);
}

/// A `yield_` future dropped before it is polled: its item went into the slot when `yield_`
/// ran, so it is delivered, once, before the next yield's (which waits its turn); each is
/// dropped once, by the consumer. (`yield_` hands its item over at once, so the usual path
/// moves it only once: `Yielder::yield_`.)
#[test]
fn a_yield_future_dropped_before_its_first_poll_still_delivers_its_item_once() {
    let counter = DropCounter::default();
    let (first, second) = (counter.token(), counter.token());
    let stream = async_gen::<(u32, DropToken), _>(async move |mut yielder| {
        drop(yielder.yield_((1, first)));
        yielder.yield_((2, second)).await;
    });
    let order: Vec<u32> = drain_ready(stream).into_iter().map(|(n, _)| n).collect();
    assert_eq!(order, [1, 2]);
    assert_eq!(counter.drops(), 2);
}

/// `mem::forget` of a `yield_` future after its first poll (its item already moved into the
/// slot): the item is delivered once, nothing is left pointing at the slot (the future's
/// borrow of the handle ends), and the next yields work.
#[test]
fn a_yield_future_forgotten_mid_yield_is_delivered_once() {
    let stream = async_gen::<String, _>(async |mut yielder| {
        {
            let mut boxed = Box::pin(async {
                yielder.yield_(String::from("1")).await;
                unreachable!("never resumed");
            });
            assert!(
                boxed
                    .as_mut()
                    .poll(&mut Context::from_waker(Waker::noop()))
                    .is_pending()
            );
            forget(boxed);
        }
        // Same body poll: the slot still holds 1, so this waits its turn.
        yielder.yield_(String::from("2")).await;
        let mut stored = yielder.yield_(String::from("3"));
        assert!(poll_future_once(&mut stored).is_pending());
        std::mem::forget(stored);
        yielder.yield_(String::from("4")).await;
    });
    assert_eq!(drain_ready(stream), ["1", "2", "3", "4"]);
}

/// The macros' yield (`yield_!`'s hidden `@lowered` forms, here on the raw handle) finding the
/// slot taken by an earlier yield of the same body poll: its item waits in its future until
/// the slot is free, so every item is delivered once, in order; a value that never got in is
/// dropped with the body.
#[test]
fn a_macro_yield_that_finds_the_slot_taken_waits_its_turn() {
    let stream = async_gen::<String, _>(async |mut yielder| {
        let mut first = yielder.yield_(String::from("1"));
        assert!(poll_future_once(&mut first).is_pending());
        drop(first);
        yield_!(@lowered yielder: String, String::from("2"));
        yield_!(@lowered yielder, String::from("3"));
    });
    assert_eq!(drain_ready(stream), ["1", "2", "3"]);

    let counter = DropCounter::default();
    let (in_slot, waiting) = (counter.token(), counter.token());
    let mut stream = Box::pin(async_gen::<DropToken, _>(async move |mut yielder| {
        let mut first = yielder.yield_(in_slot);
        assert!(poll_future_once(&mut first).is_pending());
        drop(first);
        yield_!(@lowered yielder: DropToken, waiting);
    }));
    assert!(matches!(poll_once(stream.as_mut()), Poll::Ready(Some(_))));
    assert_eq!(
        counter.drops(),
        1,
        "the delivered item, dropped by the consumer"
    );
    drop(stream);
    assert_eq!(counter.drops(), 2, "the waiting one, dropped with the body");
}

/// `&self` methods between polls (`is_terminated`, which `futures::select!` calls on every
/// loop, `size_hint`, `Debug`) while the body holds a `&mut` to its own local across yields:
/// they must not claim the body's memory (a shared reference over it would invalidate that
/// `&mut`, which Miri reports under both borrow models). Found by a review; failed under
/// Miri before the stream's state was put in an `UnsafeCell`.
#[test]
fn shared_methods_between_polls_leave_a_self_borrowing_body_alone() {
    use futures::stream::FusedStream;

    let mut stream = Box::pin(async_gen::<u32, _>(async |mut yielder| {
        let mut local = 0u32;
        let borrowed = &mut local;
        *borrowed += 1;
        yielder.yield_(*borrowed).await;
        *borrowed += 1;
        yielder.yield_(*borrowed).await;
        *borrowed += 1;
        yielder.yield_(local).await;
    }));
    assert!(!stream.is_terminated());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    assert!(!stream.is_terminated());
    assert_eq!(stream.size_hint(), (0, None));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(2)));
    assert!(!stream.is_terminated());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(3)));
    assert!(!stream.is_terminated());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert!(stream.is_terminated());
}

/// A body that tries to poll its own stream (reached through an `Rc<RefCell<_>>` the consumer
/// polls it from): safe code can only poll a stream through a `&mut`, which the consumer holds
/// for the whole poll, so the attempt finds the cell borrowed (or empty) and cannot re-enter.
#[test]
fn a_body_cannot_poll_its_own_stream() {
    type Shared = Rc<RefCell<Option<Pin<Box<dyn Stream<Item = &'static str>>>>>>;
    let shared: Shared = Rc::new(RefCell::new(None));
    let inside = shared.clone();
    // Polls the body's own stream if it can reach it; says whether it did.
    let try_reenter = move || match inside.try_borrow_mut() {
        Ok(mut own) => match own.as_mut() {
            Some(own) => {
                let _ = poll_once(own.as_mut());
                "re-entered"
            }
            None => "refused: the cell is empty",
        },
        Err(_) => "refused: the cell is borrowed",
    };
    let stream = async_gen::<&'static str, _>(async move |mut yielder| {
        yielder.yield_(try_reenter()).await;
        yielder.yield_(try_reenter()).await;
    });
    *shared.borrow_mut() = Some(Box::pin(stream));
    let first = poll_once(shared.borrow_mut().as_mut().unwrap().as_mut());
    assert_eq!(first, Poll::Ready(Some("refused: the cell is borrowed")));
    // Taken out of the cell to be polled: nothing left there to poll.
    let mut taken = shared.borrow_mut().take().unwrap();
    assert_eq!(
        poll_once(taken.as_mut()),
        Poll::Ready(Some("refused: the cell is empty"))
    );
    assert_eq!(poll_once(taken.as_mut()), Poll::Ready(None));
}

// ---------------------------------------------------------------------------------------------
// The slot on the stack (the `std` feature's route): each poll's frame is on a thread-local
// chain, found by the stream's id. The same tests run with the slot in the stream
// (`--cfg asyncgen_slot_in_stream` in `.ci/run`).
// ---------------------------------------------------------------------------------------------

/// The id check: two streams of the same item type, one polled inside the other's body, and
/// the inner body yielding through the outer handle. The items go to the outer stream, whose
/// handle it is, never to the inner one, whose frame is the innermost (a thread-local slot
/// without ids would take them); three levels deep, the walk passes two frames.
#[test]
fn a_yield_through_an_outer_handle_skips_inner_streams_of_the_same_item_type() {
    let outer = async_gen::<u32, _>(async |mut outer| {
        outer.yield_(1).await;
        let middle_items: Vec<u32> = async_gen::<u32, _>(async |mut middle| {
            middle.yield_(10).await;
            let inner_items: Vec<u32> = async_gen::<u32, _>(async |_inner| {
                outer.yield_(2).await;
            })
            .collect()
            .await;
            assert!(
                inner_items.is_empty(),
                "the inner stream got {inner_items:?}"
            );
            middle.yield_(11).await;
            outer.yield_(3).await;
        })
        .collect()
        .await;
        assert_eq!(middle_items, [10, 11]);
        outer.yield_(4).await;
    });
    assert_eq!(drain_ready(outer), [1, 2, 3, 4]);
}

/// A panic that unwinds out of a nested stream's poll, caught inside the outer body: the
/// unwinding pops the inner frame, so the outer body's next yield finds its own frame on top,
/// not the dead one (Miri reports a read of it).
#[test]
fn a_panic_unwinding_out_of_a_nested_poll_leaves_the_outer_frame_on_top() {
    let outer = async_gen::<&str, _>(async |mut outer| {
        let mut inner = Box::pin(async_gen::<u8, _>(async |mut inner| {
            inner.yield_(1).await;
            panic!("the inner body panics");
        }));
        assert_eq!(poll_once(inner.as_mut()), Poll::Ready(Some(1)));
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = poll_once(inner.as_mut());
        }));
        assert!(caught.is_err());
        assert_eq!(poll_once(inner.as_mut()), Poll::Ready(None));
        outer.yield_("after the inner panic").await;
    });
    assert_eq!(drain_ready(outer), ["after the inner panic"]);
}

/// A panic that unwinds out of a stream's poll, then a yield outside any poll (a destructor
/// in another body, run as its stream is dropped): it finds no frame, not the dead one.
#[test]
fn a_yield_after_a_panic_outside_any_poll_finds_no_frame() {
    struct YieldOnDrop<'a, 'y>(&'a mut asyncgen::__private::Yielder<'y, u32>);
    impl Drop for YieldOnDrop<'_, '_> {
        fn drop(&mut self) {
            let mut late = self.0.yield_(99);
            assert!(poll_future_once(&mut late).is_pending());
        }
    }
    let mut panicking = Box::pin(async_gen::<u32, _>(async |mut yielder| {
        yielder.yield_(1).await;
        panic!("the body panics");
    }));
    let mut waiting = Box::pin(async_gen::<u32, _>(async |mut yielder| {
        let _guard = YieldOnDrop(&mut yielder);
        std::future::pending::<()>().await;
    }));
    assert_eq!(poll_once(waiting.as_mut()), Poll::Pending);
    assert_eq!(poll_once(panicking.as_mut()), Poll::Ready(Some(1)));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = poll_once(panicking.as_mut());
    }));
    assert!(caught.is_err());
    drop(waiting);
    assert_eq!(poll_once(panicking.as_mut()), Poll::Ready(None));
}

/// Two generators polled in turn on one thread, each inside and outside the other's polls:
/// each gets its own items.
#[test]
fn two_generators_polled_in_turn_on_one_thread_get_their_own_items() {
    fn numbers(base: u32) -> impl Stream<Item = u32> {
        async_gen::<u32, _>(async move |mut yielder| {
            for i in 0..4 {
                yielder.yield_(base + i).await;
            }
        })
    }
    let (mut a, mut b) = (pin!(numbers(0)), pin!(numbers(100)));
    let mut seen = (Vec::new(), Vec::new());
    loop {
        let (from_a, from_b) = (poll_once(a.as_mut()), poll_once(b.as_mut()));
        match (from_a, from_b) {
            (Poll::Ready(None), Poll::Ready(None)) => break,
            (a_item, b_item) => {
                if let Poll::Ready(Some(item)) = a_item {
                    seen.0.push(item);
                }
                if let Poll::Ready(Some(item)) = b_item {
                    seen.1.push(item);
                }
            }
        }
    }
    assert_eq!(seen, (vec![0, 1, 2, 3], vec![100, 101, 102, 103]));
}

/// A body polled on a different thread at each poll: the frame is on the stack of whichever
/// thread polls, and the item reaches it.
#[test]
fn a_body_polled_on_a_new_thread_at_each_poll_delivers_every_item() {
    let mut stream = Box::pin(async_gen::<String, _>(async |mut yielder| {
        for i in 0..4 {
            yielder.yield_(format!("item {i}")).await;
        }
    }));
    let mut items = Vec::new();
    for _ in 0..5 {
        let (returned, polled) = std::thread::spawn(move || {
            let polled = poll_once(stream.as_mut());
            (stream, polled)
        })
        .join()
        .unwrap();
        stream = returned;
        if let Poll::Ready(Some(item)) = polled {
            items.push(item);
        }
    }
    assert_eq!(items, ["item 0", "item 1", "item 2", "item 3"]);
}

/// The same on a multi-thread tokio runtime: the consuming task may move between workers
/// while the body waits, and every item is delivered in order.
#[test]
fn a_body_polled_by_a_task_of_a_multi_thread_runtime_delivers_every_item() {
    #[async_gen]
    async fn hopping(n: u32) -> u32 {
        for i in 0..n {
            tokio::task::yield_now().await;
            yield_!(i);
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let n = if cfg!(miri) { 8 } else { 200 };
    let consumers: Vec<_> = (0..4)
        .map(|_| runtime.spawn(hopping(n).collect::<Vec<u32>>()))
        .collect();
    for consumer in consumers {
        let items = runtime.block_on(consumer).unwrap();
        assert_eq!(items, (0..n).collect::<Vec<_>>());
    }
}

/// async-stream's issue 106 (a segfault there): a user macro wraps a `yield` of the outer
/// body in an `async` block, which the walk cannot see (the block comes from the macro's
/// expansion), and the block is awaited inside a nested `stream!`. The outer item goes to the
/// outer stream, during the inner stream's poll, instead of waiting in its yield future with
/// nothing to wake it (before issue 27: the inner stream's first item, then a silent hang).
#[test]
fn a_yield_wrapped_in_an_async_block_by_a_user_macro_reaches_its_own_stream() {
    macro_rules! asynk {
        ($e:expr) => {
            async { $e }
        };
    }
    let inner_items = Rc::new(RefCell::new(Vec::new()));
    let log = inner_items.clone();
    let outer = stream! {
        let yield_42 = asynk!(yield 42_usize);
        let inner = stream! {
            yield 12_345_u32;
            yield_42.await;
            yield 67_890_u32;
        };
        for await item in inner {
            log.borrow_mut().push(item);
        }
    };
    assert_eq!(support::collect(outer), [42]);
    assert_eq!(*inner_items.borrow(), [12_345, 67_890]);
}
