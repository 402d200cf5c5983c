//! Async cleanup (issue 30): `finally!` in a generator body runs exactly once on each path that
//! ends the generator (its end, `return`, a `?` that ends it, `close()` at a yield, `close()` at
//! an `.await`), its own `.await`s complete before `close()` returns, and `close()` after the
//! end, before the first poll or before the `finally!` was reached runs nothing. A plain drop
//! runs the body's synchronous drops and not the cleanup.
//!
//! Every wait here is `pending_times` or `pending`: no timers, so these run under Miri.

use std::future::{Future, pending};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use asyncgen::{Close, async_gen, finally, stream, yield_, yield_all};
use futures::StreamExt;
use futures::executor::block_on;
use support::{DropCounter, DropToken, assert_send, pending_times, poll_once};

/// What the generators did, in order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, event: impl Into<String>) {
        self.0.lock().unwrap().push(event.into());
    }

    fn events(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// How many times `event` was logged.
    fn count(&self, event: &str) -> usize {
        self.events().iter().filter(|e| *e == event).count()
    }
}

/// Subscribes, yields `0..items`, with a cleanup that awaits twice (a task round each) before
/// it unsubscribes; `stop_at` ends the body with `return` there.
#[async_gen]
async fn feed(log: Log, items: u32, stop_at: Option<u32>) -> u32 {
    log.push("subscribe");
    finally! {
        pending_times(2).await;
        log.push("unsubscribe");
    }
    for item in 0..items {
        if stop_at == Some(item) {
            return;
        }
        yield_!(item);
    }
    log.push("end of body");
}

fn poll_close<S: Close + ?Sized>(stream: Pin<&mut S>) -> Poll<()> {
    stream.poll_close(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn the_cleanup_runs_once_at_the_end_of_the_body_after_its_last_statement() {
    let log = Log::default();
    let items: Vec<u32> = block_on(feed(log.clone(), 3, None).collect());
    assert_eq!(items, [0, 1, 2]);
    assert_eq!(log.events(), ["subscribe", "end of body", "unsubscribe"]);
}

#[test]
fn the_cleanup_runs_once_at_return() {
    let log = Log::default();
    let items: Vec<u32> = block_on(feed(log.clone(), 5, Some(2)).collect());
    assert_eq!(items, [0, 1]);
    assert_eq!(log.events(), ["subscribe", "unsubscribe"]);
}

#[async_gen]
async fn parse_all(log: Log, texts: Vec<&'static str>) -> Result<u32, std::num::ParseIntError> {
    finally! {
        pending_times(1).await;
        log.push("cleanup");
    }
    for text in texts {
        yield_!(Ok(text.parse::<u32>()?));
    }
    log.push("end of body");
}

#[test]
fn the_cleanup_runs_once_after_a_question_mark_yields_the_error() {
    let log = Log::default();
    let items: Vec<_> = block_on(parse_all(log.clone(), vec!["1", "x", "3"]).collect());
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], Ok(1));
    assert!(items[1].is_err());
    assert_eq!(log.events(), ["cleanup"]);
}

#[test]
fn close_at_a_yield_runs_the_cleanup_and_its_awaits_before_it_returns() {
    let log = Log::default();
    block_on(async {
        let mut stream = pin!(feed(log.clone(), 10, None));
        assert_eq!(stream.next().await, Some(0));
        assert_eq!(stream.next().await, Some(1));
        stream.close().await;
        // The cleanup awaited twice, and finished, within `close()`.
        assert_eq!(log.events(), ["subscribe", "unsubscribe"]);
        assert!(futures::stream::FusedStream::is_terminated(&stream));
        assert_eq!(stream.next().await, None);
    });
}

#[test]
fn close_at_an_await_drops_the_pending_future_first_then_runs_the_cleanup() {
    let log = Log::default();
    let waited_on = DropCounter::default();
    let token = waited_on.token();
    #[async_gen]
    async fn waits(log: Log, token: DropToken, dropped: DropCounter) -> u32 {
        finally! {
            // The `.await` the body waited on was cancelled before this runs.
            log.push(format!("cleanup, after {} drop", dropped.drops()));
        }
        yield_!(1);
        async move {
            let _held = token;
            pending::<()>().await;
        }
        .await;
        log.push("never");
    }
    let mut stream = pin!(waits(log.clone(), token, waited_on.clone()));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    assert_eq!(poll_once(stream.as_mut()), Poll::Pending);
    assert_eq!(waited_on.drops(), 0);
    assert_eq!(poll_close(stream.as_mut()), Poll::Ready(()));
    assert_eq!(log.events(), ["cleanup, after 1 drop"]);
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
}

#[test]
fn close_after_the_end_does_nothing() {
    let log = Log::default();
    block_on(async {
        let mut stream = pin!(feed(log.clone(), 1, None));
        assert_eq!(stream.next().await, Some(0));
        assert_eq!(stream.next().await, None);
        stream.close().await;
        stream.close().await;
    });
    assert_eq!(log.count("unsubscribe"), 1);
}

#[test]
fn close_before_the_first_poll_runs_no_cleanup_and_drops_the_arguments() {
    let log = Log::default();
    let arguments = DropCounter::default();
    #[async_gen]
    async fn holds(log: Log, _token: DropToken) -> u32 {
        log.push("started");
        finally! {
            log.push("cleanup");
        }
        yield_!(1);
    }
    block_on(async {
        let mut stream = pin!(holds(log.clone(), arguments.token()));
        stream.close().await;
        // Dropped by `close()`, not left for the stream's drop.
        assert_eq!(arguments.drops(), 1);
        assert_eq!(stream.next().await, None);
    });
    assert!(log.events().is_empty(), "{:?}", log.events());
}

#[test]
fn close_before_the_finally_was_reached_runs_no_cleanup() {
    let log = Log::default();
    #[async_gen]
    async fn late(log: Log) -> u32 {
        yield_!(0);
        finally! {
            log.push("cleanup");
        }
        yield_!(1);
    }
    block_on(async {
        let mut stream = pin!(late(log.clone()));
        assert_eq!(stream.next().await, Some(0));
        stream.close().await;
    });
    assert!(log.events().is_empty(), "{:?}", log.events());
}

/// Two cleanups: `inner` written after `outer`, so it runs first.
#[async_gen]
async fn layered(log: Log) -> &'static str {
    let mut connection = String::from("connection");
    finally! {
        pending_times(1).await;
        // It sees, and may change, what was in scope where it was written.
        connection.push_str(" closed");
        log.push(connection);
    }
    yield_!("connected");
    let session = "session";
    finally! {
        pending_times(1).await;
        log.push(format!("{session} ended"));
    }
    yield_!("in session");
    yield_!("still in session");
}

#[test]
fn nested_cleanups_run_innermost_first_on_each_path() {
    let log = Log::default();
    let all: Vec<_> = block_on(layered(log.clone()).collect());
    assert_eq!(all, ["connected", "in session", "still in session"]);
    assert_eq!(log.events(), ["session ended", "connection closed"]);

    for (taken, expected) in [
        (0, &[][..]),
        (1, &["connection closed"][..]),
        (2, &["session ended", "connection closed"][..]),
    ] {
        let log = Log::default();
        block_on(async {
            let mut stream = pin!(layered(log.clone()));
            for _ in 0..taken {
                assert!(stream.next().await.is_some());
            }
            stream.close().await;
        });
        assert_eq!(log.events(), expected, "closed after {taken} items");
    }
}

#[test]
fn a_close_during_the_cleanup_lets_it_finish() {
    let log = Log::default();
    let mut stream = pin!(feed(log.clone(), 1, None));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(0)));
    // The body ends, and its cleanup waits on its first `.await`.
    assert_eq!(poll_once(stream.as_mut()), Poll::Pending);
    assert_eq!(log.events(), ["subscribe", "end of body"]);
    // `close()` goes on with the cleanup rather than cutting it short.
    assert_eq!(poll_close(stream.as_mut()), Poll::Pending);
    assert_eq!(poll_close(stream.as_mut()), Poll::Ready(()));
    assert_eq!(log.events(), ["subscribe", "end of body", "unsubscribe"]);
}

#[test]
fn a_close_left_pending_is_finished_by_the_next_poll() {
    let log = Log::default();
    let mut stream = pin!(feed(log.clone(), 5, None));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(0)));
    assert_eq!(poll_close(stream.as_mut()), Poll::Pending);
    assert_eq!(poll_once(stream.as_mut()), Poll::Pending);
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(log.events(), ["subscribe", "unsubscribe"]);
}

#[test]
fn a_plain_drop_runs_the_bodys_drops_and_not_the_cleanup() {
    let log = Log::default();
    let locals = DropCounter::default();
    #[async_gen]
    async fn holds(log: Log, locals: DropCounter) -> u32 {
        let _local = locals.token();
        finally! {
            log.push("cleanup");
        }
        let _guarded = locals.token();
        yield_!(1);
        yield_!(2);
    }
    {
        let mut stream = pin!(holds(log.clone(), locals.clone()));
        assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    }
    assert_eq!(locals.drops(), 2);
    assert!(log.events().is_empty(), "{:?}", log.events());
}

#[test]
fn close_of_a_generator_without_a_cleanup_drops_its_body_at_once() {
    let locals = DropCounter::default();
    #[async_gen]
    async fn plain(locals: DropCounter) -> u32 {
        let _local = locals.token();
        yield_!(1);
        yield_!(2);
    }
    block_on(async {
        let mut stream = pin!(plain(locals.clone()));
        assert_eq!(stream.next().await, Some(1));
        stream.close().await;
        assert_eq!(locals.drops(), 1);
        assert_eq!(stream.next().await, None);
    });
    assert_eq!(locals.drops(), 1);
}

#[test]
fn a_panic_in_the_cleanup_comes_out_of_close_and_the_stream_has_ended() {
    #[async_gen]
    async fn faulty() -> u32 {
        finally! {
            pending_times(1).await;
            panic!("cleanup failed");
        }
        yield_!(1);
    }
    let mut stream = pin!(faulty());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    assert_eq!(poll_close(stream.as_mut()), Poll::Pending);
    let panic =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_close(stream.as_mut())))
            .unwrap_err();
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"cleanup failed"));
    assert_eq!(poll_close(stream.as_mut()), Poll::Ready(()));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
}

#[test]
fn a_panic_in_the_body_skips_the_cleanup_which_cannot_await_while_unwinding() {
    let log = Log::default();
    #[async_gen]
    async fn faulty(log: Log) -> u32 {
        finally! {
            log.push("cleanup");
        }
        yield_!(1);
        panic!("body failed");
    }
    let mut stream = pin!(faulty(log.clone()));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    assert!(
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_once(stream.as_mut())))
            .is_err()
    );
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(poll_close(stream.as_mut()), Poll::Ready(()));
    assert!(log.events().is_empty(), "{:?}", log.events());
}

#[test]
fn stream_blocks_have_cleanups_too() {
    let log = Log::default();
    let make = |log: Log| {
        stream! {
            finally! {
                pending_times(1).await;
                log.push("cleanup");
            }
            yield 1;
            yield 2;
        }
    };
    let all: Vec<u32> = block_on(make(log.clone()).collect());
    assert_eq!(all, [1, 2]);
    block_on(async {
        let mut stream = pin!(make(log.clone()));
        assert_eq!(stream.next().await, Some(1));
        stream.close().await;
    });
    assert_eq!(log.count("cleanup"), 2);
}

#[test]
fn a_generator_with_a_cleanup_is_send_and_boxes_close_it() {
    let log = Log::default();
    let stream = assert_send(feed(log.clone(), 3, None));
    block_on(async {
        let mut boxed = Box::pin(stream);
        assert_eq!(boxed.next().await, Some(0));
        boxed.close().await;
    });
    assert_eq!(log.events(), ["subscribe", "unsubscribe"]);
}

#[test]
fn cleanup_of_a_method_sees_self() {
    struct Feed {
        log: Log,
    }
    impl Feed {
        #[async_gen]
        async fn items(&self) -> u32 {
            finally! {
                self.log.push("cleanup");
            }
            yield_!(1);
            yield_!(2);
        }
    }
    let feed = Feed {
        log: Log::default(),
    };
    block_on(async {
        let mut stream = pin!(feed.items());
        assert_eq!(stream.next().await, Some(1));
        stream.close().await;
    });
    assert_eq!(feed.log.events(), ["cleanup"]);
}

/// A future that is ready at once: `close()` through `&mut` of an `Unpin` stream.
#[test]
fn close_through_a_mutable_reference() {
    fn close_it<S: Close + Unpin>(stream: &mut S) -> impl Future<Output = ()> + '_ {
        stream.close()
    }
    let log = Log::default();
    let mut stream = Box::pin(feed(log.clone(), 3, None));
    block_on(close_it(&mut stream));
    assert!(log.events().is_empty());
}

/// Yields `name` forever; its cleanup awaits `rounds` task rounds, then logs `name closed`.
#[async_gen]
async fn child(log: Log, name: &'static str, rounds: usize) -> &'static str {
    finally! {
        pending_times(rounds).await;
        log.push(format!("{name} closed"));
    }
    loop {
        yield_!(name);
    }
}

/// Takes `n` items of `stream`, so its children have all started.
async fn take<S: futures::Stream + Unpin>(stream: &mut S, n: usize) -> Vec<S::Item> {
    stream.take(n).collect().await
}

#[test]
fn merge_closes_every_child_and_awaits_their_cleanups() {
    let log = Log::default();
    block_on(async {
        let mut merged = asyncgen::merge(vec![
            child(log.clone(), "a", 0),
            child(log.clone(), "b", 3),
            child(log.clone(), "c", 1),
        ]);
        assert_eq!(take(&mut merged, 6).await.len(), 6);
        merged.close().await;
        assert_eq!(merged.next().await, None);
    });
    let mut closed = log.events();
    closed.sort();
    assert_eq!(closed, ["a closed", "b closed", "c closed"]);
}

#[async_gen]
async fn fallible(log: Log, name: &'static str) -> Result<&'static str, String> {
    finally! {
        pending_times(1).await;
        log.push(format!("{name} closed"));
    }
    loop {
        yield_!(Ok(name));
    }
}

#[test]
fn merge_of_a_tuple_and_try_merge_close_their_children() {
    let log = Log::default();
    block_on(async {
        let other_log = log.clone();
        let other = stream! {
            finally! {
                other_log.push("other closed");
            }
            loop {
                yield "other";
            }
        };
        let mut merged = asyncgen::IntoMerge::merge((child(log.clone(), "a", 1), other));
        assert_eq!(take(&mut merged, 4).await.len(), 4);
        merged.close().await;

        let mut tried =
            asyncgen::try_merge([fallible(log.clone(), "x"), fallible(log.clone(), "y")]);
        assert_eq!(take(&mut tried, 4).await.len(), 4);
        tried.close().await;
        assert_eq!(tried.next().await, None);
    });
    let mut closed = log.events();
    closed.sort();
    assert_eq!(closed, ["a closed", "other closed", "x closed", "y closed"]);
}

#[test]
fn a_panic_in_one_childs_cleanup_reaches_the_closer_and_the_others_still_close() {
    let log = Log::default();
    #[async_gen]
    async fn faulty() -> &'static str {
        finally! {
            panic!("cleanup failed");
        }
        loop {
            yield_!("faulty");
        }
    }
    let mut merged = pin!(asyncgen::IntoMerge::merge((
        child(log.clone(), "a", 2),
        faulty(),
        child(log.clone(), "b", 0),
    )));
    for _ in 0..3 {
        assert!(matches!(poll_once(merged.as_mut()), Poll::Ready(Some(_))));
    }
    let panic =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll_close(merged.as_mut())))
            .unwrap_err();
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"cleanup failed"));
    // Closed again, the merge goes on with the others.
    while poll_close(merged.as_mut()).is_pending() {}
    let mut closed = log.events();
    closed.sort();
    assert_eq!(closed, ["a closed", "b closed"]);
    assert_eq!(poll_once(merged.as_mut()), Poll::Ready(None));
}

#[test]
fn stream_set_closes_one_child_by_key_or_all_of_them() {
    let log = Log::default();
    block_on(async {
        let mut set = asyncgen::StreamSet::new();
        for name in ["a", "b", "c"] {
            set.insert_pinned(name, child(log.clone(), name, 1));
        }
        assert_eq!(take(&mut set, 3).await.len(), 3);
        assert!(set.close_key("b").await);
        assert!(!set.close_key("b").await);
        assert_eq!(log.events(), ["b closed"]);
        assert_eq!(set.len(), 2);
        set.close().await;
        assert!(set.is_empty());
        // Still usable afterwards, as after `clear`.
        set.insert_pinned("d", child(log.clone(), "d", 0));
        assert_eq!(set.next().await, Some(("d", "d")));
    });
    let mut closed = log.events();
    closed.sort();
    assert_eq!(closed, ["a closed", "b closed", "c closed"]);
}

/// Yields `items` numbers with a cleanup that awaits one task round.
#[async_gen]
async fn numbered(log: Log, name: &'static str, items: u32) -> u32 {
    finally! {
        pending_times(1).await;
        log.push(format!("{name} closed"));
    }
    for n in 0..items {
        pending_times(1).await;
        yield_!(n);
    }
}

#[test]
fn yield_all_closes_its_source_first_with_or_without_a_cleanup_of_its_own() {
    #[async_gen]
    async fn plain(log: Log) -> u32 {
        yield_all!(numbered(log.clone(), "inner", 10));
    }
    #[async_gen]
    async fn guarded(log: Log) -> u32 {
        finally! {
            log.push("outer closed");
        }
        yield_all!(0..1);
        yield_all!(numbered(log.clone(), "inner", 10));
    }
    let log = Log::default();
    block_on(async {
        let mut stream = pin!(plain(log.clone()));
        assert_eq!(take(&mut stream, 2).await, [0, 1]);
        stream.close().await;
        assert_eq!(stream.next().await, None);
    });
    assert_eq!(log.events(), ["inner closed"]);

    let log = Log::default();
    block_on(async {
        let mut stream = pin!(guarded(log.clone()));
        assert_eq!(take(&mut stream, 3).await, [0, 0, 1]);
        stream.close().await;
    });
    assert_eq!(log.events(), ["inner closed", "outer closed"]);
}

#[test]
fn yield_all_closes_a_source_waiting_at_an_await_and_a_close_left_pending_goes_on() {
    #[async_gen]
    async fn outer(log: Log) -> u32 {
        yield_all!(numbered(log.clone(), "inner", 10));
    }
    let log = Log::default();
    let mut stream = pin!(outer(log.clone()));
    // The source waits in its `pending_times(1)` before its first item.
    assert_eq!(poll_once(stream.as_mut()), Poll::Pending);
    // Its cleanup awaits a round: the close is pending, then `next` finishes it.
    assert_eq!(poll_close(stream.as_mut()), Poll::Pending);
    assert!(log.events().is_empty());
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(log.events(), ["inner closed"]);
}

#[test]
fn closes_pass_through_nested_yield_alls_and_stop_at_the_end() {
    #[async_gen]
    async fn middle(log: Log) -> u32 {
        finally! {
            log.push("middle closed");
        }
        yield_all!(numbered(log.clone(), "inner", 3));
    }
    #[async_gen]
    async fn outer(log: Log) -> u32 {
        yield_all!(middle(log.clone()));
        yield_!(99);
    }
    let log = Log::default();
    block_on(async {
        let mut stream = pin!(outer(log.clone()));
        assert_eq!(take(&mut stream, 1).await, [0]);
        stream.close().await;
    });
    assert_eq!(log.events(), ["inner closed", "middle closed"]);

    // To the end: each cleanup once, and the close after it does nothing.
    let log = Log::default();
    block_on(async {
        let mut stream = pin!(outer(log.clone()));
        assert_eq!(take(&mut stream, 10).await, [0, 1, 2, 99]);
        stream.close().await;
    });
    assert_eq!(log.events(), ["inner closed", "middle closed"]);
}

/// Waits for good (as a subscription with no news), with a cleanup that awaits a round.
#[async_gen]
async fn idle(log: Log, name: &'static str) -> &'static str {
    finally! {
        pending_times(1).await;
        log.push(format!("{name} closed"));
    }
    pending::<()>().await;
    yield_!(name);
}

#[test]
fn a_close_left_pending_goes_on_in_the_next_poll_of_a_merge_or_a_set() {
    // One source and five: a merge of these sizes polls them through its ready queue.
    for sources in [1, 5] {
        let log = Log::default();
        let mut merged = pin!(asyncgen::merge(
            (0..sources)
                .map(|_| idle(log.clone(), "m"))
                .collect::<Vec<_>>()
        ));
        assert_eq!(poll_once(merged.as_mut()), Poll::Pending);
        assert_eq!(poll_close(merged.as_mut()), Poll::Pending);
        assert_eq!(block_on(merged.next()), None);
        assert_eq!(log.count("m closed"), sources, "{sources} sources");
    }

    let log = Log::default();
    let mut set = asyncgen::StreamSet::new();
    set.insert_pinned("a", idle(log.clone(), "a"));
    set.insert_pinned("b", idle(log.clone(), "b"));
    assert_eq!(poll_once(Pin::new(&mut set)), Poll::Pending);
    assert_eq!(poll_close(Pin::new(&mut set)), Poll::Pending);
    assert_eq!(block_on(set.next()), None);
    let mut closed = log.events();
    closed.sort();
    assert_eq!(closed, ["a closed", "b closed"]);

    // One by key, its future dropped half-way.
    let log = Log::default();
    let mut set = asyncgen::StreamSet::new();
    set.insert_pinned("a", idle(log.clone(), "a"));
    assert_eq!(poll_once(Pin::new(&mut set)), Poll::Pending);
    {
        let closing = pin!(set.close_key("a"));
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(closing.poll(&mut cx), Poll::Pending);
    }
    assert_eq!(block_on(set.next()), None);
    assert_eq!(log.events(), ["a closed"]);
}

#[test]
fn items_after_a_finally_are_seen_before_it_and_a_finally_of_ones_own_is_left_alone() {
    macro_rules! finally {
        ($e:expr) => {
            $e
        };
    }
    let log = Log::default();
    #[async_gen]
    async fn with_items(log: Log) -> u32 {
        asyncgen::finally! {
            note(&log, "done");
        }
        // Not a statement of the top level: the user's own macro.
        let one = finally!(1);
        yield_!(one);
        yield_!(LATER);
        fn note(log: &Log, what: &str) {
            log.push(what);
        }
        const LATER: u32 = 2;
    }
    assert_eq!(
        block_on(with_items(log.clone()).collect::<Vec<_>>()),
        [1, 2]
    );
    assert_eq!(log.events(), ["done"]);
}

#[test]
fn items_and_the_macros_they_use_keep_their_scope_in_guarded_bodies() {
    // Guarded for its `yield_all!` only: one block, nothing moved.
    #[async_gen]
    async fn delegating() -> u32 {
        macro_rules! three {
            () => {
                3
            };
        }
        fn count() -> u32 {
            three!()
        }
        yield_all!(0..count());
    }
    // With a `finally!`: the items move above the guards, the macro with them, in order.
    #[async_gen]
    async fn cleaning(log: Log) -> u32 {
        macro_rules! three {
            () => {
                3
            };
        }
        finally! {
            log.push(format!("counted {}", count()));
        }
        yield_all!(0..count());
        fn count() -> u32 {
            three!()
        }
    }
    assert_eq!(block_on(delegating().collect::<Vec<_>>()), [0, 1, 2]);
    let log = Log::default();
    assert_eq!(
        block_on(cleaning(log.clone()).collect::<Vec<_>>()),
        [0, 1, 2]
    );
    assert_eq!(log.events(), ["counted 3"]);
}
