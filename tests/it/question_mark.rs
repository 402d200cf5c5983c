//! `?` in generator bodies: an `Err(e)` (or `None`) is yielded as the last item, converted with
//! `From`, and the generator ends (RFC 3513); `?` in closures and nested `async` blocks keeps its
//! usual meaning.

use std::cell::Cell;
use std::num::ParseIntError;
use std::pin::pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use asyncgen::{async_gen, generator, yield_};
use futures::StreamExt;
use support::{DropCounter, assert_send, collect, drain_ready, poll_once};

/// The error type of most generators here: `?` reaches it through `From`.
#[derive(Debug, PartialEq)]
enum AppError {
    Parse(ParseIntError),
    TooBig(u32),
}

impl From<ParseIntError> for AppError {
    fn from(error: ParseIntError) -> Self {
        AppError::Parse(error)
    }
}

fn parse_error(text: &str) -> ParseIntError {
    text.parse::<u32>().unwrap_err()
}

fn parse(text: &str) -> Result<u32, ParseIntError> {
    text.parse()
}

#[async_gen]
async fn parse_all(inputs: Vec<&'static str>) -> Result<u32, AppError> {
    for input in inputs {
        let n: u32 = input.parse()?;
        yield_!(Ok(n));
    }
}

/// An `Err` is converted with `From` into the item's error type, yielded last, and ends the stream.
#[test]
fn err_is_converted_with_from_yielded_last_and_ends_the_stream() {
    assert_eq!(
        collect(parse_all(vec!["1", "x", "3"])),
        [Ok(1), Err(AppError::Parse(parse_error("x")))]
    );
}

/// When every `?` sees `Ok`, all items flow through and nothing extra is yielded.
#[test]
fn ok_values_pass_through() {
    assert_eq!(collect(parse_all(vec!["1", "2"])), [Ok(1), Ok(2)]);
    assert_eq!(collect(parse_all(vec![])), []);
}

/// An `Err` on the very first `?` makes it the only item.
#[test]
fn err_before_any_yield_is_the_only_item() {
    assert_eq!(
        collect(parse_all(vec!["-", "2"])),
        [Err(AppError::Parse(parse_error("-")))]
    );
}

#[async_gen]
async fn same_error_type(inputs: Vec<&'static str>) -> Result<u32, ParseIntError> {
    for input in inputs {
        yield_!(Ok(parse(input)? * 10));
    }
}

/// With the same error type on both sides `?` yields the error unchanged.
#[test]
fn err_of_the_item_error_type_is_yielded_as_is() {
    assert_eq!(
        collect(same_error_type(vec!["1", "", "3"])),
        [Ok(10), Err(parse_error(""))]
    );
}

#[async_gen]
async fn side_effects(
    inputs: Vec<&'static str>,
    log: Rc<Cell<u32>>,
    counter: DropCounter,
) -> Result<u32, AppError> {
    let _local = counter.token();
    for input in inputs {
        log.set(log.get() + 1);
        let n: u32 = input.parse()?;
        log.set(log.get() + 100);
        yield_!(Ok(n));
    }
    log.set(log.get() + 10_000);
    yield_!(Err(AppError::TooBig(0)));
}

/// After the failing `?` nothing else in the body runs, however often the stream is polled,
/// and the body's locals are dropped exactly once, when it ends.
#[test]
fn nothing_after_the_failing_question_mark_runs() {
    let log = Rc::new(Cell::new(0));
    let counter = DropCounter::default();
    let mut stream = pin!(side_effects(
        vec!["4", "oops", "6"],
        log.clone(),
        counter.clone()
    ));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(Ok(4))));
    assert_eq!(log.get(), 101);
    assert_eq!(
        poll_once(stream.as_mut()),
        Poll::Ready(Some(Err(AppError::Parse(parse_error("oops")))))
    );
    assert_eq!(log.get(), 102, "the statement after `?` did not run");
    assert_eq!(
        counter.drops(),
        0,
        "suspended at the error's yield, `_local` is alive"
    );
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(counter.drops(), 1, "`return` dropped `_local`");
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(log.get(), 102, "neither the loop nor the code after it ran");
    assert_eq!(counter.drops(), 1);
}

/// Without an error the same body runs to its end: the test above really observes `?`.
#[test]
fn the_side_effect_body_runs_to_the_end_without_an_error() {
    let log = Rc::new(Cell::new(0));
    let counter = DropCounter::default();
    let items = collect(side_effects(vec!["4"], log.clone(), counter.clone()));
    assert_eq!(items, [Ok(4), Err(AppError::TooBig(0))]);
    assert_eq!(log.get(), 10_101);
    assert_eq!(counter.drops(), 1);
}

#[async_gen]
async fn first_chars(words: Vec<&'static str>) -> Option<char> {
    for word in words {
        let first = word.chars().next()?;
        yield_!(Some(first));
    }
}

/// With an `Option` item type, `?` on a `None` yields `None` last and ends the stream.
#[test]
fn option_item_type_yields_none_and_ends() {
    assert_eq!(
        collect(first_chars(vec!["ab", "cd", "", "ef"])),
        [Some('a'), Some('c'), None]
    );
    assert_eq!(collect(first_chars(vec!["x"])), [Some('x')]);
}

#[async_gen]
async fn in_std_macros(inputs: Vec<&'static str>) -> Result<String, AppError> {
    for input in inputs {
        assert!(parse(input)? < 1000, "assert! evaluates its `?` first");
        assert_ne!(parse(input)?, 1000);
        let text = format!("<{}>", parse(input)?);
        let list = vec![parse(input)?, parse(input)? + 1];
        println!("{:?}", parse(input)?);
        yield_!(Ok(format!("{text}{list:?}")));
    }
}

/// `?` inside the arguments of `assert!`, `assert_eq!`, `format!`, `vec!` and `println!`.
#[test]
fn question_mark_inside_std_macro_arguments() {
    assert_eq!(
        collect(in_std_macros(vec!["7", "z"])),
        [
            Ok(String::from("<7>[7, 8]")),
            Err(AppError::Parse(parse_error("z")))
        ]
    );
}

macro_rules! doubled {
    ($value:expr) => {
        $value * 2
    };
}

macro_rules! statements {
    ($($tokens:tt)*) => {
        $($tokens)*
    };
}

fn sum(values: Vec<u32>) -> u32 {
    values.into_iter().sum()
}

#[async_gen]
async fn in_user_macros(inputs: Vec<&'static str>) -> Result<u32, AppError> {
    for input in inputs {
        yield_!(Ok(doubled!(parse(input)?)));
        // Not a list of expressions: the token walker finds this `?`.
        statements! {
            let n: u32 = parse(input)?;
            yield_!(Ok(n + 1));
        }
        yield_!(Ok(sum(vec![parse(input)?; 2])));
    }
}

/// `?` in a user `macro_rules!` taking an expression, in one taking raw statements, and in
/// `vec![x?; n]`.
#[test]
fn question_mark_inside_user_macros_and_vec_repeat() {
    assert_eq!(
        collect(in_user_macros(vec!["5", "q"])),
        [
            Ok(10),
            Ok(6),
            Ok(10),
            Err(AppError::Parse(parse_error("q")))
        ]
    );
}

#[async_gen]
async fn in_select(mut inputs: tokio::sync::mpsc::Receiver<&'static str>) -> Result<u32, AppError> {
    loop {
        tokio::select! {
            received = inputs.recv() => {
                let Some(text) = received else { return; };
                let n = parse(text)?;
                if n > 100 {
                    Err(AppError::TooBig(n))?;
                }
                yield_!(Ok(n));
            }
        }
    }
}

/// `?` inside a `tokio::select!` arm body yields the converted error and ends the stream.
#[tokio::test]
async fn question_mark_inside_a_tokio_select_arm() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    for text in ["1", "2", "bad", "3"] {
        sender.send(text).await.unwrap();
    }
    let items: Vec<_> = in_select(receiver).collect().await;
    // `sender` is still alive: the stream ended because of `?`, not because the channel closed.
    assert_eq!(
        items,
        [Ok(1), Ok(2), Err(AppError::Parse(parse_error("bad")))]
    );
    drop(sender);
}

/// A `?` on an `Err` value itself (`Err(e)?`) in a `select!` arm converts and ends too.
#[tokio::test]
async fn explicit_err_question_mark_inside_a_tokio_select_arm() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    for text in ["9", "500", "3"] {
        sender.send(text).await.unwrap();
    }
    let items: Vec<_> = in_select(receiver).collect().await;
    assert_eq!(items, [Ok(9), Err(AppError::TooBig(500))]);
    drop(sender);
}

#[async_gen]
async fn in_select_after_await(
    mut inputs: tokio::sync::mpsc::Receiver<i32>,
) -> Result<u32, AppError> {
    loop {
        tokio::select! {
            Some(id) = inputs.recv() => {
                let n = fetch(id).await?;
                yield_!(Ok(n));
            }
            else => return,
        }
    }
}

/// `fetch(x).await?` inside a `tokio::select!` arm (a `?` after `.await` in the token walker).
#[tokio::test]
async fn awaited_question_mark_inside_a_tokio_select_arm() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    for id in [1, 2, -1, 4] {
        sender.send(id).await.unwrap();
    }
    drop(sender);
    let items: Vec<_> = in_select_after_await(receiver).collect().await;
    assert_eq!(items, [Ok(10), Ok(20), Err(AppError::TooBig(0))]);
}

#[async_gen]
async fn with_closures(inputs: Vec<&'static str>) -> Result<u32, AppError> {
    let plus_one = |text: &str| -> Result<u32, ParseIntError> {
        let n: u32 = text.parse()?;
        Ok(n + 1)
    };
    for input in inputs {
        // The closure's `?` returns from the closure: the generator goes on.
        match plus_one(input) {
            Ok(n) => yield_!(Ok(n)),
            Err(_) => yield_!(Ok(0)),
        }
    }
    let all: Result<Vec<u32>, ParseIntError> = ["1", "x"]
        .iter()
        .map(|t| -> Result<u32, ParseIntError> { Ok(t.parse::<u32>()? * 3) })
        .collect();
    yield_!(all.map(|v| v.len() as u32).map_err(AppError::from));
    yield_!(Ok(99));
}

/// `?` inside a closure in the body returns from the closure, not from the generator.
#[test]
fn question_mark_in_a_closure_keeps_closure_semantics() {
    assert_eq!(
        collect(with_closures(vec!["1", "nope", "2"])),
        [
            Ok(2),
            Ok(0),
            Ok(3),
            Err(AppError::Parse(parse_error("x"))),
            Ok(99)
        ]
    );
}

#[async_gen]
async fn with_async_block(inputs: Vec<&'static str>) -> Result<u32, AppError> {
    for input in inputs {
        let result = async {
            let n: u32 = input.parse()?;
            Ok::<u32, ParseIntError>(n * 2)
        }
        .await;
        yield_!(result.or(Ok(7)));
    }
    yield_!(Ok(1000));
}

/// `?` inside a nested `async` block completes that block with its `Err`; the generator goes on.
#[test]
fn question_mark_in_a_nested_async_block_keeps_its_meaning() {
    assert_eq!(
        collect(with_async_block(vec!["4", "bad", "5"])),
        [Ok(8), Ok(7), Ok(10), Ok(1000)]
    );
}

/// Pretends to fetch over the network: `Pending` once, then `id * 10`, or an error for a
/// negative id.
async fn fetch(id: i32) -> Result<u32, AppError> {
    tokio::task::yield_now().await;
    u32::try_from(id)
        .map(|n| n * 10)
        .map_err(|_| AppError::TooBig(0))
}

async fn fetch_text(id: i32) -> Result<u32, ParseIntError> {
    tokio::task::yield_now().await;
    id.to_string().parse::<u32>()
}

#[async_gen]
async fn fetch_all(ids: Vec<i32>) -> Result<u32, AppError> {
    for id in ids {
        let n = fetch(id).await?;
        // and an awaited result whose error converts through `From`
        let echoed = fetch_text(id).await?;
        yield_!(Ok(n + echoed));
    }
}

/// `fetch().await?` on an awaited future's result, with and without `From` conversion.
#[tokio::test]
async fn question_mark_on_an_awaited_result() {
    let items: Vec<_> = fetch_all(vec![1, 2, -3, 4]).collect().await;
    assert_eq!(items, [Ok(11), Ok(22), Err(AppError::TooBig(0))]);
}

#[async_gen]
async fn in_match_and_if(inputs: Vec<&'static str>) -> Result<&'static str, AppError> {
    for text in inputs {
        match parse(text)? {
            0 => yield_!(Ok("zero")),
            _ => yield_!(Ok("other")),
        }
        if parse(text)? > 5 {
            yield_!(Ok("big"));
        }
    }
}

/// `?` in a `match` scrutinee and an `if` condition.
#[test]
fn question_mark_in_match_scrutinee_and_if_condition() {
    assert_eq!(
        collect(in_match_and_if(vec!["0", "9", "!", "1"])),
        [
            Ok("zero"),
            Ok("other"),
            Ok("big"),
            Err(AppError::Parse(parse_error("!")))
        ]
    );
}

fn lookup(key: &str) -> Result<&'static str, AppError> {
    match key {
        "one" => Ok("1"),
        "bad" => Ok("b"),
        _ => Err(AppError::TooBig(404)),
    }
}

fn check(n: u32) -> Result<(), AppError> {
    if n > 10 {
        Err(AppError::TooBig(n))
    } else {
        Ok(())
    }
}

#[async_gen]
async fn chained(keys: Vec<&'static str>, last: u32) -> Result<u32, AppError> {
    for key in keys {
        yield_!(Ok(lookup(key)?.parse::<u32>()?));
    }
    // A `?` as the body's tail expression, without a semicolon.
    check(last)?
}

/// Chained `?`s (`a()?.b()?`) each end the stream on their own error, and a `?` in tail
/// position works like one with a semicolon.
#[test]
fn chained_and_tail_position_question_marks() {
    assert_eq!(collect(chained(vec!["one"], 1)), [Ok(1)]);
    assert_eq!(
        collect(chained(vec!["one", "nope", "one"], 1)),
        [Ok(1), Err(AppError::TooBig(404))]
    );
    assert_eq!(
        collect(chained(vec!["bad", "one"], 1)),
        [Err(AppError::Parse(parse_error("b")))]
    );
    assert_eq!(collect(chained(vec![], 11)), [Err(AppError::TooBig(11))]);
}

#[async_gen]
async fn closure_in_select(
    mut inputs: tokio::sync::mpsc::Receiver<&'static str>,
) -> Result<u32, AppError> {
    loop {
        tokio::select! {
            Some(text) = inputs.recv() => {
                let plus_one = |t: &str| {
                    let n = parse(t)?;
                    Ok::<u32, ParseIntError>(n + 1)
                };
                yield_!(Ok(plus_one(text).unwrap_or(0)));
            }
            else => return,
        }
    }
}

/// In a `tokio::select!` arm, `?` inside a closure still belongs to the closure.
#[tokio::test]
async fn question_mark_in_a_closure_inside_a_tokio_select_arm() {
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    for text in ["1", "x", "2"] {
        sender.send(text).await.unwrap();
    }
    drop(sender);
    assert_eq!(
        closure_in_select(receiver).collect::<Vec<_>>().await,
        [Ok(2), Ok(0), Ok(3)]
    );
}

#[async_gen]
async fn in_for_await(counter: DropCounter) -> Result<u32, AppError> {
    #[async_gen]
    async fn texts(_guard: support::DropToken) -> &'static str {
        for text in ["1", "2", "three", "4"] {
            yield_!(text);
        }
    }
    #[asyncgen::for_await]
    for text in texts(counter.token()) {
        yield_!(Ok(parse(text)?));
    }
    yield_!(Ok(100));
}

/// `?` in a `#[for_await]` loop body ends the generator; the looped-over stream is dropped
/// when the generator ends.
#[test]
fn question_mark_inside_a_for_await_loop() {
    let counter = DropCounter::default();
    let mut stream = pin!(in_for_await(counter.clone()));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(Ok(1))));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(Ok(2))));
    assert_eq!(
        poll_once(stream.as_mut()),
        Poll::Ready(Some(Err(AppError::Parse(parse_error("three")))))
    );
    assert_eq!(counter.drops(), 0);
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
    assert_eq!(counter.drops(), 1);
}

#[generator]
fn sync_parse(inputs: Vec<&'static str>) -> Result<u32, AppError> {
    for input in inputs {
        let n: u32 = input.parse()?;
        yield_!(Ok(n));
    }
}

#[generator]
fn sync_first_chars(words: Vec<&'static str>) -> Option<char> {
    for word in words {
        yield_!(Some(word.chars().next()?));
    }
}

/// `?` in a `#[generator]`: `Err` converted and yielded last, `None` likewise; then the
/// iterator is fused.
#[test]
fn question_mark_in_a_sync_generator() {
    let mut parsed = sync_parse(vec!["1", "2", "x", "4"]);
    assert_eq!(parsed.next(), Some(Ok(1)));
    assert_eq!(parsed.next(), Some(Ok(2)));
    assert_eq!(parsed.next(), Some(Err(AppError::Parse(parse_error("x")))));
    assert_eq!(parsed.next(), None);
    assert_eq!(parsed.next(), None);
    assert_eq!(
        sync_first_chars(vec!["a", "", "c"]).collect::<Vec<_>>(),
        [Some('a'), None]
    );
}

/// The generator's locals are still dropped exactly once when the consumer drops it right
/// after receiving the error item.
#[test]
fn dropping_the_stream_after_the_error_item_drops_locals_once() {
    let log = Rc::new(Cell::new(0));
    let counter = DropCounter::default();
    let mut stream = Box::pin(side_effects(vec!["x"], log.clone(), counter.clone()));
    assert!(matches!(
        poll_once(stream.as_mut()),
        Poll::Ready(Some(Err(AppError::Parse(_))))
    ));
    assert_eq!(counter.drops(), 0);
    drop(stream);
    assert_eq!(counter.drops(), 1);
    assert_eq!(log.get(), 1);
}

/// A body with `?` is `Send` when its values are, and runs on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn question_mark_bodies_stay_send() {
    let stream = assert_send(fetch_all(vec![5, -1]));
    let items = tokio::spawn(stream.collect::<Vec<_>>()).await.unwrap();
    assert_eq!(items, [Ok(55), Err(AppError::TooBig(0))]);
}

#[async_gen]
async fn parse_shared(shared: Arc<Mutex<String>>) -> Result<u32, AppError> {
    let n: u32 = shared.lock().unwrap().parse()?;
    yield_!(Ok(n));
}

/// Like plain `?`, the operand's temporaries (here a `MutexGuard`) are gone by the time the
/// error item reaches the consumer: the lock is free while the generator is suspended.
#[test]
fn operand_temporaries_are_dropped_before_the_error_is_yielded() {
    let shared = Arc::new(Mutex::new(String::from("nan")));
    let mut stream = pin!(parse_shared(shared.clone()));
    assert!(matches!(
        poll_once(stream.as_mut()),
        Poll::Ready(Some(Err(AppError::Parse(_))))
    ));
    assert!(
        shared.try_lock().is_ok(),
        "the MutexGuard made in `?`'s operand is still alive while the error is yielded"
    );
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(None));
}

/// The happy path of the same generator: the guard is released before the `Ok` item's yield.
#[test]
fn operand_temporaries_are_dropped_before_an_ok_item_is_yielded() {
    let shared = Arc::new(Mutex::new(String::from("12")));
    let mut stream = pin!(parse_shared(shared.clone()));
    assert_eq!(poll_once(stream.as_mut()), Poll::Ready(Some(Ok(12))));
    assert!(shared.try_lock().is_ok());
    assert_eq!(drain_ready(stream), []);
}

/// The generator holding `?`'s operand temporaries is `Send` again once they are dropped
/// before the yield: it runs on a spawned task.
#[tokio::test(flavor = "multi_thread")]
async fn operand_temporaries_do_not_make_the_body_not_send() {
    let shared = Arc::new(Mutex::new(String::from("nan")));
    let items = tokio::spawn(parse_shared(shared).collect::<Vec<_>>())
        .await
        .unwrap();
    assert!(matches!(items.as_slice(), [Err(AppError::Parse(_))]));
}

#[async_gen]
async fn turbofish_and_typed_closure_in_select(
    mut inputs: tokio::sync::mpsc::Receiver<&'static str>,
) -> Result<u32, AppError> {
    loop {
        tokio::select! {
            Some(text) = inputs.recv() => {
                // A closure with a return type holding a comma: its `?` is the closure's.
                let plus_one = |t: &str| -> Result<u32, ParseIntError> {
                    let n = t.parse::<u32>()?;
                    Ok(n + 1)
                };
                let bumped = plus_one(text).unwrap_or(0);
                // `?` after a turbofish is the generator's.
                let n = text.parse::<u32>()?;
                yield_!(Ok(n * 100 + bumped));
            }
            else => return,
        }
    }
}

/// In the token walker, a closure's `-> Result<A, B>` does not end its body at the comma, and
/// `?` after `parse::<u32>()` takes the whole call as its operand.
#[tokio::test]
async fn turbofish_and_typed_closures_inside_a_tokio_select_arm() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    for text in ["1", "2", "x", "3"] {
        sender.send(text).await.unwrap();
    }
    let items: Vec<_> = turbofish_and_typed_closure_in_select(receiver)
        .collect()
        .await;
    assert_eq!(
        items,
        [Ok(102), Ok(203), Err(AppError::Parse(parse_error("x")))]
    );
    drop(sender);
}

/// A macro whose tokens are not Rust: the walker must not panic on `<`, `->` and `?` in any
/// order (it once underflowed), and leaves what it cannot read alone.
#[async_gen]
async fn in_a_foreign_dsl() -> u32 {
    macro_rules! dsl {
        ($($t:tt)*) => {};
    }
    dsl!(a < b -> (c)?);
    dsl!(> > (x)? < <);
    yield_!(1);
}

#[test]
fn foreign_dsl_tokens_do_not_panic_the_walker() {
    assert_eq!(collect(in_a_foreign_dsl()), [1]);
}

fn shared_count(ok: bool) -> Result<Rc<u32>, AppError> {
    if ok {
        Ok(Rc::new(7))
    } else {
        Err(AppError::TooBig(0))
    }
}

#[async_gen(boxed)]
async fn not_send_ok_value(ok: bool) -> Result<u32, AppError> {
    let n: u32 = *shared_count(ok)?;
    yield_!(Ok(n));
}

/// The `Ok` value of a `?` (here an `Rc`) is not alive at the error's yield, so it does not
/// make a `Send` (boxed) generator `!Send`; it runs on a spawned task.
#[tokio::test(flavor = "multi_thread")]
async fn question_mark_values_do_not_cross_the_yield() {
    let ok = tokio::spawn(not_send_ok_value(true).collect::<Vec<_>>());
    let err = tokio::spawn(not_send_ok_value(false).collect::<Vec<_>>());
    assert_eq!(ok.await.unwrap(), [Ok(7)]);
    assert_eq!(err.await.unwrap(), [Err(AppError::TooBig(0))]);
}

#[async_gen]
async fn walker_operands(
    mut inputs: tokio::sync::mpsc::Receiver<&'static str>,
) -> Result<u32, AppError> {
    loop {
        tokio::select! {
            Some(text) = inputs.recv() => {
                // An async closure's `?` is its own.
                let parse_async = async |t: &str| -> Result<u32, ParseIntError> { Ok(t.parse::<u32>()? + 1) };
                let bumped = parse_async(text).await.unwrap_or(0);
                // A qualified path starts the operand.
                let n = <u32 as std::str::FromStr>::from_str(text)?;
                let labelled = 'block: {
                    if n > 50 {
                        break 'block Ok::<u32, ParseIntError>(n)?;
                    }
                    n
                };
                yield_!(Ok(bumped * 1000 + labelled));
            }
            else => return,
        }
    }
}

/// In `select!` arms: an async closure's `?` stays the closure's, `<T as Trait>::f(x)?` and
/// `break 'label x?` are the generator's.
#[tokio::test]
async fn walker_operands_in_select_arms() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    for text in ["1", "60", "x"] {
        sender.send(text).await.unwrap();
    }
    let items: Vec<_> = walker_operands(receiver).collect().await;
    assert_eq!(
        items,
        [Ok(2001), Ok(61060), Err(AppError::Parse(parse_error("x")))]
    );
    drop(sender);
}

#[async_gen]
async fn closure_with_turbofish_commas(
    mut inputs: tokio::sync::mpsc::Receiver<&'static str>,
) -> Result<u32, AppError> {
    loop {
        tokio::select! {
            Some(text) = inputs.recv() => {
                // The closure's body runs past the commas of its turbofish: its `?` is its own.
                let parse = |t: &str| Ok::<u32, ParseIntError>(t.parse::<u32>()? + 1);
                yield_!(Ok(parse(text).unwrap_or(0)));
            }
            else => return,
        }
    }
}

/// In `select!` arms, a brace-less closure body is not cut at a turbofish's comma.
#[tokio::test]
async fn closure_bodies_with_turbofish_commas_in_select_arms() {
    let (sender, receiver) = tokio::sync::mpsc::channel(8);
    for text in ["1", "x"] {
        sender.send(text).await.unwrap();
    }
    drop(sender);
    let items: Vec<_> = closure_with_turbofish_commas(receiver).collect().await;
    assert_eq!(items, [Ok(2), Ok(0)]);
}
