//! `#[async_gen]` on free functions: where `yield_!` may appear, what the stream captures,
//! how it ends, and what it is `Send` for.

use std::cell::Cell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll};

use asyncgen::{async_gen, yield_};
use futures::StreamExt;
use futures::executor::block_on;
use support::{DropCounter, DropToken, assert_send, collect, drain_ready, poll_once};

#[async_gen]
async fn in_for_loop(n: u32) -> u32 {
    for i in 0..n {
        yield_!(i);
    }
}

#[test]
fn yields_in_a_for_loop() {
    assert_eq!(collect(in_for_loop(4)), [0, 1, 2, 3]);
}

#[async_gen]
async fn in_while_and_loop() -> u32 {
    let mut i = 0;
    while i < 2 {
        yield_!(i);
        i += 1;
    }
    loop {
        yield_!(10 + i);
        i += 1;
        if i == 4 {
            break;
        }
    }
}

#[test]
fn yields_in_while_and_loop_with_break() {
    assert_eq!(collect(in_while_and_loop()), [0, 1, 12, 13]);
}

#[async_gen]
async fn in_match_arms(values: Vec<Option<&'static str>>) -> String {
    for value in values {
        match value {
            Some("skip") => {}
            Some(text) => yield_!(text.to_uppercase()),
            None => {
                yield_!(String::from("<none>"));
            }
        }
    }
}

#[test]
fn yields_in_match_arms() {
    let input = vec![Some("a"), None, Some("skip"), Some("b")];
    assert_eq!(collect(in_match_arms(input)), ["A", "<none>", "B"]);
}

#[async_gen]
async fn in_if_let_and_blocks(input: Option<u8>) -> u8 {
    if let Some(value) = input {
        yield_!(value);
    } else {
        yield_!(0);
    }
    {
        let inner = { 7 };
        yield_!(inner);
    }
    let computed = {
        yield_!(8);
        9
    };
    yield_!(computed)
}

#[test]
fn yields_in_if_let_nested_blocks_and_tail_position() {
    assert_eq!(collect(in_if_let_and_blocks(Some(1))), [1, 7, 8, 9]);
    assert_eq!(collect(in_if_let_and_blocks(None)), [0, 7, 8, 9]);
}

#[async_gen]
async fn through_paths() -> u8 {
    asyncgen::yield_!(1);
    ::asyncgen::yield_!(2);
    yield_! {3}
    yield_![4];
}

#[test]
fn yields_through_paths_and_any_delimiter() {
    assert_eq!(collect(through_paths()), [1, 2, 3, 4]);
}

macro_rules! twice {
    ($($body:tt)*) => {{
        $($body)*
        $($body)*
    }};
}

macro_rules! yield_each {
    ($($item:expr),*) => {
        $( $item; )*
    };
}

#[async_gen]
async fn in_user_macros() -> u32 {
    twice! {
        yield_!(1);
    }
    yield_each!(yield_!(2), asyncgen::yield_!(3));
    assert!(
        {
            yield_!(4);
            true
        },
        "yield inside assert! arguments"
    );
}

// The `match` is the point: it puts a keyword right before the path.
#[allow(clippy::match_single_binding)]
#[async_gen]
async fn path_after_a_keyword_in_macro_tokens() -> u8 {
    // `let` makes these tokens a statement, not an expression list: the token walker runs.
    twice! {
        let () = match asyncgen::yield_!(5) { () => () };
        let () = match ::asyncgen::yield_!(6) { () => () };
    }
}

#[test]
fn asyncgen_path_after_a_keyword_inside_macro_tokens() {
    assert_eq!(
        collect(path_after_a_keyword_in_macro_tokens()),
        [5, 6, 5, 6]
    );
}

#[test]
fn yields_inside_user_macro_rules_and_assert() {
    assert_eq!(collect(in_user_macros()), [1, 1, 2, 3, 4]);
}

mod mine {
    /// The user's own macro that happens to be called `yield_`.
    macro_rules! yield_ {
        ($value:expr) => {
            $value * 100
        };
    }
    pub(crate) use yield_;
}

macro_rules! items {
    ($($item:item)*) => { $($item)* };
}

#[async_gen]
async fn leaves_other_macros_alone() -> String {
    // `stringify!` quotes its tokens: not a yield.
    yield_!(stringify!(yield_!(x)).to_owned());
    // Another path's `yield_!` is the user's own macro.
    yield_!(crate::async_gen::mine::yield_!(2).to_string());
    // A generator fn defined in another macro's tokens yields to its own iterator.
    items! {
        #[asyncgen::generator]
        fn inner() -> u16 {
            yield_!(7);
        }
    }
    yield_!(format!("{:?}", inner().collect::<Vec<_>>()));
}

#[test]
fn stringify_other_yield_macros_and_nested_fns_in_macros_are_not_rewritten() {
    let quoted_outside_any_generator = stringify!(yield_!(x));
    assert_eq!(
        collect(leaves_other_macros_alone()),
        [quoted_outside_any_generator, "200", "[7]"]
    );
}

#[async_gen]
async fn in_tokio_select(mut numbers: tokio::sync::mpsc::Receiver<u32>) -> String {
    let mut ticks = 0;
    loop {
        tokio::select! {
            biased;
            received = numbers.recv() => match received {
                Some(n) => yield_!(format!("number {n}")),
                None => {
                    yield_!(String::from("closed"));
                    return;
                }
            },
            () = tokio::task::yield_now(), if ticks < 1 => {
                ticks += 1;
                yield_!(format!("tick {ticks}"));
            }
        }
    }
}

#[tokio::test]
async fn yields_inside_tokio_select_arms() {
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    let stream = in_tokio_select(receiver);
    let mut stream = pin!(stream);
    // Nothing to receive yet: the only ready branch is the tick.
    assert_eq!(stream.next().await.as_deref(), Some("tick 1"));
    sender.send(5).await.unwrap();
    sender.send(6).await.unwrap();
    drop(sender);
    let rest: Vec<String> = stream.collect().await;
    assert_eq!(rest, ["number 5", "number 6", "closed"]);
}

#[async_gen]
async fn early_return(limit: u32) -> u32 {
    for i in 0.. {
        if i == limit {
            return;
        }
        yield_!(i);
    }
}

#[test]
fn return_ends_the_stream() {
    assert_eq!(collect(early_return(3)), [0, 1, 2]);
    assert_eq!(collect(early_return(0)), Vec::<u32>::new());
}

#[async_gen]
async fn nothing() {}

#[async_gen]
async fn units() {
    yield_!();
    yield_!(());
}

#[test]
fn unit_item_and_empty_bodies() {
    assert_eq!(collect(nothing()).len(), 0);
    assert_eq!(collect(units()), [(), ()]);
}

/// A future that is `Pending` once (waking itself), then ready with its value.
struct PendingOnce<T>(Option<T>, bool);

impl<T: Unpin> Future for PendingOnce<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.1 {
            Poll::Ready(self.0.take().expect("polled after completion"))
        } else {
            self.1 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[async_gen]
async fn awaits_between_yields(n: u32) -> u32 {
    for i in 0..n {
        let doubled = PendingOnce(Some(i * 2), false).await;
        yield_!(doubled);
    }
}

#[test]
fn awaits_any_future_and_returns_pending_while_it_waits() {
    let mut stream = pin!(awaits_between_yields(2));
    assert_eq!(poll_once(stream.as_mut()), Poll::Pending);
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(0)));
    assert_eq!(poll_once(stream.as_mut()), Poll::Pending);
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(2)));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None), "fused");
}

#[tokio::test(start_paused = true)]
async fn awaits_tokio_timers() {
    #[async_gen]
    async fn ticks() -> u64 {
        let start = tokio::time::Instant::now();
        for _ in 0..3 {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            yield_!(start.elapsed().as_secs());
        }
    }
    assert_eq!(ticks().collect::<Vec<_>>().await, [2, 4, 6]);
}

#[async_gen]
async fn words<'a>(text: &'a str, separator: &str) -> &'a str {
    for word in text.split(separator) {
        yield_!(word);
    }
}

#[test]
fn borrows_arguments_with_their_lifetimes() {
    let text = String::from("red,green,blue");
    let separator = String::from(",");
    let found = collect(words(&text, &separator));
    drop(separator); // the items borrow `text` only
    assert_eq!(found, ["red", "green", "blue"]);
}

#[async_gen]
async fn elided<T: Clone>(items: &[T], repeat: &usize) -> T {
    for item in items {
        for _ in 0..*repeat {
            yield_!(item.clone());
        }
    }
}

#[test]
fn captures_elided_lifetimes_and_generics() {
    assert_eq!(collect(elided(&['x', 'y'], &2)), ['x', 'x', 'y', 'y']);
}

#[async_gen]
async fn patterns(
    (a, b): (u8, u8),
    [c, _]: [u8; 2],
    mut d: u8,
    _: DropToken,
    (e, _): (u8, DropToken),
) -> u8 {
    d += 1;
    yield_!(a);
    yield_!(b);
    yield_!(c);
    yield_!(d);
    yield_!(e);
}

#[test]
fn pattern_and_mut_arguments_live_as_long_as_the_stream() {
    let counter = DropCounter::default();
    let stream = patterns((1, 2), [3, 4], 4, counter.token(), (6, counter.token()));
    assert_eq!(
        counter.drops(),
        0,
        "`_` arguments are moved in, as in an `async fn`"
    );
    assert_eq!(collect(stream), [1, 2, 3, 5, 6]);
    assert_eq!(counter.drops(), 2);
}

/// Holds a token only for its drop: when it drops is what the test observes.
struct Guarded {
    _token: DropToken,
}

impl Guarded {
    #[async_gen]
    async fn count(self, n: u32) -> u32 {
        for i in 0..n {
            yield_!(i);
        }
    }
}

#[test]
fn an_unused_by_value_self_lives_as_long_as_the_stream() {
    let counter = DropCounter::default();
    let stream = Guarded {
        _token: counter.token(),
    }
    .count(2);
    assert_eq!(counter.drops(), 0);
    assert_eq!(collect(stream), [0, 1]);
    assert_eq!(counter.drops(), 1);
}

#[async_gen]
async fn configured(#[cfg(any())] hidden: u8, shown: u8) -> u8 {
    #[cfg(any())]
    yield_!(hidden);
    yield_!(shown);
}

#[test]
fn cfg_on_arguments_is_honoured() {
    assert_eq!(collect(configured(5)), [5]);
}

#[async_gen]
async fn holds_guard(_guard: DropToken, n: u32) -> u32 {
    for i in 0..n {
        yield_!(i);
    }
}

#[test]
fn unused_arguments_live_as_long_as_the_stream_like_async_fn() {
    let counter = DropCounter::default();
    let stream = holds_guard(counter.token(), 2);
    assert_eq!(
        counter.drops(),
        0,
        "an `async fn` keeps its arguments until it is dropped"
    );
    drop(stream);
    assert_eq!(counter.drops(), 1);
}

#[async_gen]
async fn owns_tokens(counter: DropCounter) -> DropToken {
    let _local = counter.token();
    for _ in 0..3 {
        yield_!(counter.token());
    }
}

#[test]
fn dropping_mid_way_runs_each_destructor_once() {
    for taken in 0..=4 {
        let counter = DropCounter::default();
        let mut stream = Box::pin(owns_tokens(counter.clone()));
        let mut items = Vec::new();
        for _ in 0..taken {
            if let Poll::Ready(Some(item)) = poll_once(stream.as_mut()) {
                items.push(item);
            }
        }
        let made = items.len() + usize::from(taken > 0); // the yielded tokens and `_local`
        drop(items);
        drop(stream);
        assert_eq!(counter.drops(), made, "after {taken} polls");
    }
}

#[test]
fn a_panic_reaches_the_poller_then_the_stream_ends() {
    #[async_gen]
    async fn panics_after_one(counter: DropCounter) -> u32 {
        let _held = counter.token();
        yield_!(1);
        panic!("boom");
    }

    let counter = DropCounter::default();
    let mut stream = Box::pin(panics_after_one(counter.clone()));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = poll_once(stream.as_mut());
    }))
    .expect_err("the body's panic reaches the poller");
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"boom"));
    assert_eq!(
        counter.drops(),
        1,
        "the body's locals were dropped while unwinding"
    );
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    drop(stream);
    assert_eq!(counter.drops(), 1, "and never again");
}

#[async_gen]
async fn squares(n: u32) -> u32 {
    for i in 1..=n {
        yield_!(i * i);
    }
}

#[async_gen]
async fn offsets(n: u32) -> u32 {
    let mut inner = pin!(squares(n));
    while let Some(square) = inner.next().await {
        yield_!(square + 1000);
    }
    // A generator made and drained entirely inside this body.
    let total: u32 = squares(n).fold(0, |sum, x| async move { sum + x }).await;
    yield_!(total);
}

#[test]
fn generators_polling_generators() {
    assert_eq!(collect(offsets(3)), [1001, 1004, 1009, 14]);
}

#[test]
fn nested_async_gen_fn_items_yield_to_their_own_stream() {
    #[async_gen]
    async fn outer() -> &'static str {
        #[async_gen]
        async fn inner() -> u8 {
            yield_!(1);
        }
        let inner_items: Vec<u8> = inner().collect().await;
        yield_!(if inner_items == [1] {
            "inner ok"
        } else {
            "inner wrong"
        });
    }
    assert_eq!(collect(outer()), ["inner ok"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_bodies_give_send_streams_that_run_on_other_threads() {
    #[async_gen]
    async fn counted(labels: Vec<String>) -> (usize, String) {
        for (index, label) in labels.into_iter().enumerate() {
            tokio::task::yield_now().await;
            yield_!((index, label));
        }
    }
    let stream = assert_send(counted(vec!["a".into(), "b".into()]));
    let items = tokio::spawn(stream.collect::<Vec<_>>()).await.unwrap();
    assert_eq!(items, [(0, "a".to_owned()), (1, "b".to_owned())]);
}

#[test]
fn non_send_bodies_work_where_send_is_not_needed() {
    // That such a stream is not `Send` is checked by tests/ui/types/not-send-spawned.rs.
    #[async_gen]
    async fn shared(value: Rc<Cell<u32>>) -> u32 {
        for _ in 0..3 {
            value.set(value.get() + 1);
            yield_!(value.get());
        }
    }
    let cell = Rc::new(Cell::new(10));
    assert_eq!(collect(shared(cell.clone())), [11, 12, 13]);
    assert_eq!(cell.get(), 13);
}

#[test]
fn streams_return_none_forever_after_the_end() {
    let mut stream = pin!(squares(1));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(1)));
    for _ in 0..3 {
        assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    }
}

#[test]
fn nothing_runs_before_the_first_poll() {
    #[async_gen]
    async fn records(log: Rc<Cell<u32>>) -> u32 {
        log.set(1);
        yield_!(1);
    }
    let log = Rc::new(Cell::new(0));
    let stream = records(log.clone());
    assert_eq!(log.get(), 0, "generators are lazy, like Python's");
    assert_eq!(drain_ready(stream), [1]);
    assert_eq!(log.get(), 1);
}

#[async_gen]
async fn nested_yields() -> u32 {
    yield_!({
        yield_!(1);
        2
    });
}

/// A yield's value may itself yield: it is evaluated before the outer yield borrows the
/// handle, as in a real generator (`yield (yield 1)`).
#[test]
fn yield_values_may_yield() {
    assert_eq!(collect(nested_yields()), [1, 2]);
}

#[async_gen(boxed)]
async fn from_a_locked_vec(shared: std::sync::Arc<std::sync::Mutex<Vec<u32>>>) -> u32 {
    while let Some(n) = { shared.lock().unwrap().pop() } {
        // A `MutexGuard` temporary in the yielded value.
        yield_!(n.min(shared.lock().unwrap().len() as u32 + 10));
    }
}

/// Temporaries in a yield's value (a `MutexGuard`) end before the generator suspends: the
/// boxed (`Send`) generator compiles, runs on a spawned task, and the lock is free meanwhile.
#[tokio::test(flavor = "multi_thread")]
async fn yield_value_temporaries_end_before_the_yield() {
    let shared = std::sync::Arc::new(std::sync::Mutex::new(vec![1, 2]));
    let mut stream = from_a_locked_vec(shared.clone());
    assert_eq!(stream.next().await, Some(2));
    assert!(shared.try_lock().is_ok());
    let rest = tokio::spawn(stream.collect::<Vec<_>>()).await.unwrap();
    assert_eq!(rest, [1]);
}

// Found in review: the item type means what it means in the signature, whatever the body
// imports (`std::io::Result` takes one argument).
#[test]
fn a_use_in_the_body_does_not_change_the_item_type() {
    #[async_gen]
    async fn bytes(data: &[u8]) -> Result<u8, String> {
        use std::io::*;
        let mut cursor = Cursor::new(data);
        let mut byte = [0u8; 1];
        while cursor.read(&mut byte).map_err(|e| e.to_string())? == 1 {
            yield_!(Ok(byte[0]));
        }
    }
    let items: Vec<Result<u8, String>> = block_on(bytes(&[7, 8]).collect());
    assert_eq!(items, [Ok(7), Ok(8)]);

    mod model {
        #[derive(Debug, PartialEq)]
        pub struct Event(pub u32);
    }
    use model::Event;
    #[asyncgen::generator]
    fn events() -> Event {
        #[allow(dead_code)]
        struct Event;
        asyncgen::yield_all!([model::Event(1)]);
        yield_!(model::Event(2));
    }
    assert_eq!(events().collect::<Vec<_>>(), [Event(1), Event(2)]);
}

// Found in review: a nested generator under another name, or a nested item a `cfg` removes,
// keeps its `yield_!`s.
#[test]
fn nested_items_with_other_attributes_keep_their_yields() {
    #[async_gen]
    async fn outer() -> u32 {
        use asyncgen::async_gen as agen;
        #[agen]
        async fn inner() -> u32 {
            yield_!(1);
        }
        #[cfg(any())]
        fn removed() {
            yield_!(2);
        }
        asyncgen::yield_all!(inner());
        yield_!(3);
    }
    let items: Vec<u32> = block_on(outer().collect());
    assert_eq!(items, [1, 3]);
}

#[async_gen]
async fn tagged(tag: &'static str, n: u32) -> String {
    for i in 0..n {
        yield_!(format!("{tag}{i}"));
    }
}

/// `#[async_gen]` returns `impl FusedStream`: `futures::select!` takes `.next()` of it
/// directly, no `.fuse()`, and `complete` fires once both have ended.
#[test]
fn select_over_generators_without_fuse() {
    let items = block_on(async {
        let mut left = pin!(tagged("a", 3));
        let mut right = pin!(tagged("b", 2));
        let mut items = Vec::new();
        loop {
            futures::select! {
                item = left.next() => items.extend(item),
                item = right.next() => items.extend(item),
                complete => break,
            }
        }
        items
    });
    let from = |tag: &str| -> Vec<String> {
        let of_tag = items.iter().filter(|item| item.starts_with(tag));
        of_tag.cloned().collect()
    };
    assert_eq!(items.len(), 5, "{items:?}");
    assert_eq!(from("a"), ["a0", "a1", "a2"]);
    assert_eq!(from("b"), ["b0", "b1"]);
}
