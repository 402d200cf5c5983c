//! `stream! { .. }` and `iter! { .. }`: generator blocks as expressions, with the literal
//! `yield x;` and `for await x in s { .. }` syntax on stable, inferred or written item types,
//! `async move`-like captures, and nesting (an inner block yields to its own generator only).

use std::cell::Cell;
use std::num::ParseIntError;
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;

use asyncgen::{async_gen, iter, stream, yield_, yield_all};
use futures::StreamExt;
use futures::executor::block_on;
use support::{DropCounter, assert_send, collect, drain_ready, poll_once};

/// `yield x;` in loops and at the top level, item type inferred.
#[test]
fn stream_with_literal_yield_and_inferred_item_type() {
    let evens = stream! {
        for n in 0..7u32 {
            if n % 2 == 0 {
                yield n;
            }
        }
        yield 100;
    };
    assert_eq!(collect(evens), [0, 2, 4, 6, 100]);
}

/// The item type written first, `stream!(-> T { .. })`, drives the literals' types.
#[test]
fn stream_with_written_item_type() {
    let items = stream!(-> u64 {
        yield 1;
        yield u64::MAX;
    });
    let items: Vec<u64> = collect(items);
    assert_eq!(items, [1, u64::MAX]);
}

/// `for await x in s` over another `stream!` (`!Unpin`), with `.await` of other futures.
#[test]
fn for_await_over_another_stream() {
    let inner = stream! {
        yield 1u32;
        yield 2;
        yield 3;
    };
    let outer = stream! {
        for await n in inner {
            std::future::ready(()).await;
            yield n * 10;
        }
        yield 0;
    };
    assert_eq!(collect(outer), [10, 20, 30, 0]);
}

#[async_gen]
async fn letters() -> char {
    yield_!('x');
    yield_!('y');
}

/// `for await` over an `#[async_gen]` fn's stream, with `break` and `continue`.
#[test]
fn for_await_with_break_and_continue() {
    let items = stream! {
        for await c in letters() {
            if c == 'x' {
                continue;
            }
            yield c;
        }
        for await n in futures::stream::iter(0..10u8) {
            if n == 2 {
                break;
            }
            yield char::from(b'0' + n);
        }
    };
    assert_eq!(collect(items), ['y', '0', '1']);
}

/// `yield_!`, `yield_all!` and `?` work in `stream!` as in `#[async_gen]`.
#[test]
fn stream_with_yield_macros_and_question_mark() {
    let inputs = vec!["1", "2", "x", "4"];
    let items = stream!(-> Result<u32, ParseIntError> {
        yield_!(Ok(0));
        yield_all!([Ok(10), Ok(11)]);
        yield_all!(futures::stream::iter([Ok(20)]));
        for input in inputs {
            yield Ok(input.parse::<u32>()?);
        }
        yield Ok(999);
    });
    let error = "x".parse::<u32>().unwrap_err();
    assert_eq!(
        collect(items),
        [Ok(0), Ok(10), Ok(11), Ok(20), Ok(1), Ok(2), Err(error)]
    );
}

/// `?` on an `Option` in a `stream!` whose items are `Option`s.
#[test]
fn stream_with_option_question_mark() {
    let words = ["ab", "", "cd"];
    let items = stream!(-> Option<char> {
        for word in words {
            yield Some(word.chars().next()?);
        }
    });
    assert_eq!(collect(items), [Some('a'), None]);
}

/// The block captures by move, like `async move`: moved values live (and drop) with the stream.
#[test]
fn captures_by_move() {
    let counter = DropCounter::default();
    let token = counter.token();
    let names = vec![String::from("a"), String::from("b")];
    let items = stream! {
        let _held = &token;
        for name in names {
            yield name;
        }
    };
    // `names` and `token` were moved in: they are no longer usable here.
    assert_eq!(counter.drops(), 0);
    let mut items = Box::pin(items);
    assert_eq!(
        poll_once(items.as_mut()),
        Poll::Ready(Some(String::from("a")))
    );
    drop(items);
    assert_eq!(
        counter.drops(),
        1,
        "the captured token dropped with the stream"
    );
}

/// `Copy` values are copied in: the original stays usable and unchanged.
#[test]
fn captures_copies_of_copy_values() {
    let mut n = 5u32;
    let items = stream! {
        n += 1;
        yield n;
    };
    assert_eq!(collect(items), [6]);
    n += 10;
    assert_eq!(n, 15);
}

/// A `stream!` inside a `stream!` yields to its own stream; the outer gets exactly what it yields.
#[test]
fn nested_stream_yields_to_its_own_stream() {
    let outer = stream! {
        let inner = stream! {
            yield 1u32;
            yield 2;
        };
        let items: Vec<u32> = inner.collect().await;
        yield items.iter().sum::<u32>();
    };
    assert_eq!(collect(outer), [3]);
}

/// An outer stream that re-yields the inner's items itself gets them once each, in order.
#[test]
fn nested_stream_items_reach_the_outer_only_through_for_await() {
    let outer = stream!(-> u32 {
        yield 10;
        let inner = stream! {
            yield 1u32;
            yield 2;
        };
        for await n in inner {
            yield n + 100;
        }
        yield 20;
    });
    assert_eq!(collect(outer), [10, 101, 102, 20]);
}

#[async_gen]
async fn gen_with_inner_stream() -> u32 {
    yield_!(1);
    let inner = stream! {
        yield 50u32;
        yield_!(60);
        yield_all!([70]);
    };
    let total: u32 = inner.fold(0, |sum, n| async move { sum + n }).await;
    yield_!(total);
}

/// A `stream!` in an `#[async_gen]` body yields to its own stream, not the fn's.
#[test]
fn stream_inside_async_gen_yields_to_its_own_stream() {
    assert_eq!(collect(gen_with_inner_stream()), [1, 180]);
}

#[derive(Clone, Copy)]
enum Shape {
    Dot,
    Line,
    Square,
}

/// `yield` as a `match` arm expression (`A => yield 1,`) and in `if`/`else` blocks.
#[test]
fn yield_in_match_arms_and_if_else() {
    let shapes = [Shape::Dot, Shape::Line, Shape::Square];
    let items = stream! {
        for shape in shapes {
            match shape {
                Shape::Dot => yield 1u32,
                Shape::Line => yield 2,
                Shape::Square => {
                    yield 4;
                }
            }
            if matches!(shape, Shape::Line) {
                yield 20
            } else {
                yield 30;
            }
        }
    };
    assert_eq!(collect(items), [1, 30, 2, 20, 4, 30]);
}

/// The same syntax in `iter!`, including a `match` arm without a trailing comma.
#[test]
fn iter_yield_in_match_arms_and_if_else() {
    let items = iter! {
        for n in 0..4u8 {
            match n {
                0 => yield 'a',
                1 => {}
                _ => yield 'b'
            }
            if n == 3 { yield 'z' } else { yield '.' }
        }
    };
    assert_eq!(items.collect::<String>(), "a..b.bz");
}

/// `return;` ends the stream and the iterator.
#[test]
fn return_ends_the_generator() {
    let items = stream! {
        for n in 0..u32::MAX {
            if n == 3 {
                return;
            }
            yield n;
        }
    };
    assert_eq!(collect(items), [0, 1, 2]);
    let items = iter! {
        yield 'a';
        return;
    };
    assert_eq!(items.collect::<Vec<char>>(), ['a']);
}

/// `iter!` in a plain `for` loop.
#[test]
fn iter_in_a_for_loop() {
    let mut seen = Vec::new();
    for word in iter! {
        yield "one";
        yield "two";
    } {
        seen.push(word);
    }
    assert_eq!(seen, ["one", "two"]);
}

/// `iter!` with a written item type, `yield_!`, `yield_all!` of ranges and other generators.
#[test]
fn iter_with_written_type_and_delegation() {
    let inner = iter!(-> u16 {
        yield 7;
    });
    let items = iter!(-> u16 {
        yield 1;
        yield_!(2);
        yield_all!(3..5);
        yield_all!(inner);
    });
    assert_eq!(items.collect::<Vec<_>>(), [1, 2, 3, 4, 7]);
}

/// `?` in `iter!`: the converted error is the last item.
#[test]
fn iter_with_question_mark() {
    #[derive(Debug, PartialEq)]
    struct Bad(String);
    impl From<ParseIntError> for Bad {
        fn from(error: ParseIntError) -> Self {
            Bad(error.to_string())
        }
    }
    let items = iter!(-> Result<i32, Bad> {
        for text in ["3", "-4", "five", "6"] {
            yield Ok(text.parse::<i32>()?);
        }
    });
    let message = "five".parse::<i32>().unwrap_err().to_string();
    assert_eq!(
        items.collect::<Vec<_>>(),
        [Ok(3), Ok(-4), Err(Bad(message))]
    );
}

/// An `iter!` nested in an `iter!` yields to its own iterator.
#[test]
fn nested_iter_yields_to_its_own_iterator() {
    let outer = iter! {
        let inner = iter! {
            yield 1u8;
            yield 2;
        };
        yield inner.map(u32::from).sum::<u32>();
        yield 0;
    };
    assert_eq!(outer.collect::<Vec<_>>(), [3, 0]);
}

/// Iterators from `iter!` are fused.
#[test]
fn iter_is_fused() {
    let mut items = iter! {
        yield 1u8;
    };
    assert_eq!(items.next(), Some(1));
    assert_eq!(items.next(), None);
    assert_eq!(items.next(), None);
}

/// Nothing runs before the first poll / `next`.
#[test]
fn blocks_are_lazy() {
    let log = Rc::new(Cell::new(0));
    let stream_log = log.clone();
    let items = stream! {
        stream_log.set(stream_log.get() + 1);
        yield 1u8;
    };
    let iter_log = log.clone();
    let mut sync_items = iter! {
        iter_log.set(iter_log.get() + 10);
        yield 2u8;
    };
    assert_eq!(log.get(), 0);
    assert_eq!(drain_ready(items), [1]);
    assert_eq!(log.get(), 1);
    assert_eq!(sync_items.next(), Some(2));
    assert_eq!(log.get(), 11);
}

/// A bare `yield;` yields `()`.
#[test]
fn unit_yield() {
    let units = stream! {
        yield;
        yield ();
    };
    assert_eq!(collect(units), [(), ()]);
}

/// Awaits tokio timers between yields.
#[tokio::test(start_paused = true)]
async fn stream_awaits_tokio_timers() {
    let start = tokio::time::Instant::now();
    let ticks = stream! {
        for _ in 0..3 {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            yield start.elapsed().as_secs();
        }
    };
    assert_eq!(ticks.collect::<Vec<_>>().await, [1, 2, 3]);
}

/// A `Send` body gives a `Send` stream that runs on another task's thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_streams_run_on_tokio_spawn() {
    let labels = vec![String::from("a"), String::from("b")];
    let items = assert_send(stream! {
        for label in labels {
            tokio::task::yield_now().await;
            yield label;
        }
    });
    let items = tokio::spawn(items.collect::<Vec<_>>()).await.unwrap();
    assert_eq!(items, ["a", "b"]);
}

/// A `for await` loop's stream is dropped when the loop ends (here right after `break`).
#[test]
fn for_await_drops_the_stream_after_break() {
    let counter = DropCounter::default();
    let token = counter.token();
    let source = stream! {
        let _held = token;
        for n in 0..10u32 {
            yield n;
        }
    };
    let watched = counter.clone();
    let items = stream! {
        for await n in source {
            if n == 2 {
                break;
            }
            yield n as usize;
        }
        yield watched.drops() + 100;
    };
    assert_eq!(collect(items), [0, 1, 101]);
}

/// `for await` with a tuple pattern, and `yield_all!` whose stream alone gives the item type.
#[test]
fn for_await_patterns_and_inferred_delegation() {
    let pairs = stream! {
        yield ('a', 1u32);
        yield ('b', 2);
    };
    let items = stream! {
        for await (name, n) in pairs {
            yield format!("{name}{n}");
        }
        yield_all!(futures::stream::iter([String::from("end")]));
    };
    assert_eq!(collect(items), ["a1", "b2", "end"]);
}

/// `stringify!` quotes its tokens: a `yield` in it is text, not a yield (as in `#[async_gen]`).
#[test]
fn yield_inside_stringify_is_left_alone() {
    let items = stream! {
        yield stringify!(yield 5);
    };
    assert_eq!(collect(items), ["yield 5"]);
}

/// Polled by hand: one item per poll, then `None` for good.
#[test]
fn one_item_per_poll() {
    let mut items = pin!(stream! {
        yield 'a';
        yield 'b';
    });
    assert_eq!(poll_once(items.as_mut()), Poll::Ready(Some('a')));
    assert_eq!(poll_once(items.as_mut()), Poll::Ready(Some('b')));
    assert_eq!(poll_once(items.as_mut()), Poll::Ready(None));
    assert_eq!(poll_once(items.as_mut()), Poll::Ready(None));
}

/// A label goes before `for await` as before `for`: `'outer: for await ..` with `break 'outer`.
#[test]
fn labelled_for_await() {
    let items = stream! {
        'outer: for await n in futures::stream::iter(0..5u32) {
            for m in 0..3u32 {
                if n == 2 {
                    break 'outer;
                }
                if m == 1 {
                    continue 'outer;
                }
                yield n * 10 + m;
            }
        }
    };
    assert_eq!(collect(items), [0, 10]);
}

/// The value of a literal `yield` is a whole expression, commas in generics included.
#[test]
fn yield_values_with_commas_in_generics() {
    let items = stream! {
        yield Ok::<u8, String>(1);
        yield Err::<u8, String>(String::from("no"));
        yield std::collections::HashMap::<u8, u8>::new().len().try_into().map_err(|_| String::new());
    };
    assert_eq!(collect(items), [Ok(1), Err(String::from("no")), Ok(0)]);
    let pairs = iter! {
        for (a, b) in [(1, 'a'), (2, 'b')] {
            match a {
                1 => yield (a, b),
                _ => yield std::convert::identity::<(i32, char)>((a * 10, b)),
            }
        }
    };
    assert_eq!(pairs.collect::<Vec<_>>(), [(1, 'a'), (20, 'b')]);
}

// Found by the macro fuzz test: a `yield` whose value holds a `for await` (in an `async`
// block) and a top-level comma (in a turbofish) yields the whole value.
#[test]
fn a_yielded_value_may_hold_a_for_await() {
    async fn total<A: Into<u64>, B: Into<u64>>(work: impl Future<Output = (A, B)>) -> u64 {
        let (a, b) = work.await;
        a.into() + b.into()
    }
    let sums = stream! {
        yield total::<u8, u16>(async {
            let mut sum = 0;
            for await n in futures::stream::iter([1u16, 2, 3]) {
                sum += n;
            }
            (4u8, sum)
        })
        .await;
    };
    assert_eq!(block_on(sums.collect::<Vec<u64>>()), [10]);
}
