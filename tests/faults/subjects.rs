//! Every helper and generator form as a [`Case`]: built over children with seeded scripts.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use asyncgen::{
    Close, FutureSet, IntoMerge, SetEvent, SpawnSet, StreamSet, as_completed, as_completed_limited,
    async_gen, finally, for_await, from_stream, gather, gather_limited, in_order, in_order_limited,
    merge, spawn_as_completed, spawn_gather, spawn_merge, stream, try_gather, try_gather_limited,
    try_merge, try_spawn_gather, yield_, yield_all,
};
use fastrand::Rng;
use futures_core::Stream;

use crate::drive::{Case, Handed, Subject};
use crate::hooked::{Child, Feed, Input, Item, Key, Output, Step};
use crate::plan::{Hook, Plan};

type ItemChild = Child<Item>;
type TryChild = Child<Result<Item, Item>>;

/// `Pending`s before an item: none to two, each woken at once or parked for the driver.
fn pendings(rng: &mut Rng, steps: &mut Vec<Step>) {
    for _ in 0..rng.usize(..=2) {
        steps.push(if rng.bool() {
            Step::SelfWake
        } else {
            Step::Park
        });
    }
}

/// One child in eight first wakes itself 40 times: more than a helper polls in one poll.
fn busy(rng: &mut Rng, steps: &mut Vec<Step>) {
    if rng.u8(..8) == 0 {
        steps.extend([Step::SelfWake; 40]);
    }
}

/// A stream's script: up to three items (one in six an `Err`, for `try_merge`), each after
/// some `Pending`s, then maybe more `Pending`s before the end.
fn stream_steps(rng: &mut Rng) -> Vec<Step> {
    let mut steps = Vec::new();
    busy(rng, &mut steps);
    for _ in 0..rng.usize(..=3) {
        pendings(rng, &mut steps);
        steps.push(if rng.u8(..6) == 0 {
            Step::Err
        } else {
            Step::Item
        });
    }
    pendings(rng, &mut steps);
    steps
}

/// A future's script: some `Pending`s, then its output (one in four an `Err`, for the `try_`
/// helpers).
fn future_steps(rng: &mut Rng) -> Vec<Step> {
    let mut steps = Vec::new();
    busy(rng, &mut steps);
    pendings(rng, &mut steps);
    steps.push(if rng.u8(..4) == 0 {
        Step::Err
    } else {
        Step::Item
    });
    steps
}

/// `count` children, keyed by their input index.
fn children<O: Output>(
    plan: &Arc<Plan>,
    rng: &mut Rng,
    count: usize,
    steps: fn(&mut Rng) -> Vec<Step>,
) -> Vec<Child<O>> {
    (0..count)
        .map(|key| Child::new(plan, key, steps(rng)))
        .collect()
}

/// A stream helper, its items turned into what the driver checks by `hand`.
struct StreamSubject<S, F> {
    stream: S,
    hand: F,
}

impl<S: Stream + Unpin, F: FnMut(S::Item) -> Handed> Subject for StreamSubject<S, F> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Handed>> {
        Pin::new(&mut self.stream)
            .poll_next(cx)
            .map(|item| item.map(&mut self.hand))
    }

    fn size_hint(&self) {
        let _ = self.stream.size_hint();
    }
}

fn stream_subject<S: Stream + Unpin + 'static>(
    stream: S,
    hand: impl FnMut(S::Item) -> Handed + 'static,
) -> Box<dyn Subject> {
    Box::new(StreamSubject { stream, hand })
}

/// A sync generator, each `next` a poll that is never `Pending`.
struct IterSubject<I>(I);

impl<I: Iterator<Item = Item>> Subject for IterSubject<I> {
    fn poll(&mut self, _: &mut Context<'_>) -> Poll<Option<Handed>> {
        Poll::Ready(self.0.next().map(Handed::one))
    }

    fn size_hint(&self) {
        let _ = self.0.size_hint();
    }
}

/// A future helper, its output turned into what the driver checks by `hand`.
struct FutureSubject<F, H> {
    future: F,
    hand: H,
}

impl<F: Future + Unpin, H: FnMut(F::Output) -> Handed> Subject for FutureSubject<F, H> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Handed>> {
        Pin::new(&mut self.future)
            .poll(cx)
            .map(|output| Some((self.hand)(output)))
    }

    fn size_hint(&self) {}
}

fn future_subject<F: Future + Unpin + 'static>(
    future: F,
    hand: impl FnMut(F::Output) -> Handed + 'static,
) -> Box<dyn Subject> {
    Box::new(FutureSubject { future, hand })
}

fn try_item(result: Result<Item, Item>) -> Handed {
    match result {
        Ok(item) => Handed::one(item),
        Err(item) => Handed::err(item),
    }
}

fn try_whole(result: Result<Vec<Item>, Item>, children: usize) -> Handed {
    match result {
        Ok(items) => Handed::whole(items, children),
        Err(item) => Handed::err(item),
    }
}

/// A stream's input of `count` children, each pulled after up to two `Pending`s of the stream.
fn feed<O: Output>(plan: &Arc<Plan>, rng: &mut Rng, count: usize) -> Feed<O> {
    let children = children::<O>(plan, rng, count, future_steps)
        .into_iter()
        .map(|child| {
            let mut steps = Vec::new();
            pendings(rng, &mut steps);
            (steps, child)
        })
        .collect();
    Feed::new(plan, children)
}

/// `in_order`'s items: each of a child after the one before (a panicked child's is skipped).
fn in_input_order() -> impl FnMut(Item) -> Handed {
    let mut last: Option<usize> = None;
    move |item| {
        let child = item.child_key();
        let problem = last
            .filter(|&last| child <= last)
            .map(|last| format!("the output of child {child} handed out after child {last}'s"));
        last = Some(child);
        Handed {
            problem,
            ..Handed::one(item)
        }
    }
}

/// A gather of a stream: the outputs of every child that got in (pulled before the stream
/// ended or panicked), in input order.
fn whole_of_those_in(plan: &Arc<Plan>) -> impl FnMut(Vec<Item>) -> Handed + 'static {
    let plan = plan.clone();
    move |items| {
        let got_in = plan
            .ledger()
            .children
            .iter()
            .filter(|child| !child.dismissed)
            .count();
        Handed::whole(items, got_in)
    }
}

fn indexed((index, item): (usize, Item)) -> Handed {
    let expected = item.child_key();
    Handed::labelled(item, index, expected)
}

const MERGE_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::Wake, Hook::SizeHint];
const POOL_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::Wake];
const LIMITED_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::Wake, Hook::SizeHint];
const GATHER_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::ItemDrop, Hook::Wake];
const GATHER_LIMITED_HOOKS: &[Hook] = &[
    Hook::Poll,
    Hook::Drop,
    Hook::ItemDrop,
    Hook::Wake,
    Hook::SizeHint,
];
const STREAM_SET_HOOKS: &[Hook] = &[
    Hook::Poll,
    Hook::Drop,
    Hook::KeyClone,
    Hook::KeyHash,
    Hook::KeyEq,
    Hook::Wake,
    Hook::SizeHint,
];
const FUTURE_SET_HOOKS: &[Hook] = &[
    Hook::Poll,
    Hook::Drop,
    Hook::KeyHash,
    Hook::KeyEq,
    Hook::Wake,
];
const GENERATOR_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::ItemDrop, Hook::Wake];
/// `yield_all!` holds no item of its own.
const YIELD_ALL_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::Wake];
/// A sync generator has no waker.
const SYNC_GENERATOR_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop];
/// Closing (issue 30): the children's polls in the generators' bodies and cleanups, their
/// drops, and the parent's waker they wake while the merge closes them with its context.
const CLOSE_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::Wake];
/// Not `Wake`: tokio ignores a panic of the waker a finished task wakes (`Case::runtime`).
const SPAWN_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop];
const SPAWN_GATHER_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::ItemDrop];
/// Not `KeyClone`: a task's key comes back with its result, never cloned. `Eq` is called by
/// `abort` (the key found). Not `ItemDrop`: an output waits in its task only until the next
/// poll, which the driver always makes before it drops the set.
const SPAWN_SET_HOOKS: &[Hook] = &[Hook::Poll, Hook::Drop, Hook::KeyHash, Hook::KeyEq];

/// Every helper of the crate, its `spawn_*` forms, and the generator forms.
pub const CASES: &[Case] = &[
    // merge: 2 and 3 sources are polled in turn with the parent's waker; 4+ on the ready queue.
    Case::stream("merge (2 sources)", MERGE_HOOKS, |plan, rng| {
        merged(plan, rng, 2)
    }),
    Case::stream("merge (3 sources)", MERGE_HOOKS, |plan, rng| {
        merged(plan, rng, 3)
    }),
    Case::stream("merge (5 sources)", MERGE_HOOKS, |plan, rng| {
        merged(plan, rng, 5)
    }),
    Case::stream("merge! (3 sources)", MERGE_HOOKS, |plan, rng| {
        let [a, b, c]: [ItemChild; 3] = children(plan, rng, 3, stream_steps).try_into().unwrap();
        stream_subject(asyncgen::merge!(a, b, c), Handed::one)
    }),
    Case::stream("merge! (5 sources)", MERGE_HOOKS, |plan, rng| {
        let [a, b, c, d, e]: [ItemChild; 5] =
            children(plan, rng, 5, stream_steps).try_into().unwrap();
        stream_subject((a, b, c, d, e).merge(), Handed::one)
    }),
    Case::stream("try_merge (2 sources)", MERGE_HOOKS, |plan, rng| {
        try_merged(plan, rng, 2)
    })
    .ends_early(),
    Case::stream("try_merge (4 sources)", MERGE_HOOKS, |plan, rng| {
        try_merged(plan, rng, 4)
    })
    .ends_early(),
    Case::stream("try_merge! (3 sources)", MERGE_HOOKS, |plan, rng| {
        let [a, b, c]: [TryChild; 3] = children(plan, rng, 3, stream_steps).try_into().unwrap();
        stream_subject(asyncgen::try_merge!(a, b, c), try_item)
    })
    .ends_early(),
    // Past 12 the macros lay the children out themselves (their own code path).
    Case::stream("merge! (13 sources)", MERGE_HOOKS, |plan, rng| {
        let [a, b, c, d, e, f, g, h, i, j, k, l, m]: [ItemChild; 13] =
            children(plan, rng, 13, stream_steps).try_into().unwrap();
        stream_subject(
            asyncgen::merge!(a, b, c, d, e, f, g, h, i, j, k, l, m),
            Handed::one,
        )
    }),
    Case::stream("try_merge! (13 sources)", MERGE_HOOKS, |plan, rng| {
        let [a, b, c, d, e, f, g, h, i, j, k, l, m]: [TryChild; 13] =
            children(plan, rng, 13, stream_steps).try_into().unwrap();
        stream_subject(
            asyncgen::try_merge!(a, b, c, d, e, f, g, h, i, j, k, l, m),
            try_item,
        )
    })
    .ends_early(),
    Case::stream("as_completed", POOL_HOOKS, |plan, rng| {
        stream_subject(
            as_completed(children::<Item>(plan, rng, 5, future_steps)),
            indexed,
        )
    }),
    Case::stream("as_completed_limited", LIMITED_HOOKS, |plan, rng| {
        let input = Input::new(plan, children::<Item>(plan, rng, 5, future_steps));
        stream_subject(as_completed_limited(input, rng.usize(1..=3)), indexed)
    }),
    Case::stream(
        "as_completed_limited (stream)",
        LIMITED_HOOKS,
        |plan, rng| {
            let input = from_stream(feed::<Item>(plan, rng, 5));
            stream_subject(as_completed_limited(input, rng.usize(1..=3)), indexed)
        },
    ),
    Case::stream("in_order", POOL_HOOKS, |plan, rng| {
        stream_subject(
            in_order(children::<Item>(plan, rng, 5, future_steps)),
            in_input_order(),
        )
    }),
    Case::stream("in_order_limited", LIMITED_HOOKS, |plan, rng| {
        let input = Input::new(plan, children::<Item>(plan, rng, 5, future_steps));
        stream_subject(in_order_limited(input, rng.usize(1..=3)), in_input_order())
    }),
    Case::stream("in_order_limited (stream)", LIMITED_HOOKS, |plan, rng| {
        let input = from_stream(feed::<Item>(plan, rng, 5));
        stream_subject(in_order_limited(input, rng.usize(1..=3)), in_input_order())
    }),
    Case::future("gather", GATHER_HOOKS, |plan, rng| {
        let children = children::<Item>(plan, rng, 5, future_steps);
        future_subject(gather(children), |items| Handed::whole(items, 5))
    }),
    Case::future("gather_limited", GATHER_LIMITED_HOOKS, |plan, rng| {
        let input = Input::new(plan, children::<Item>(plan, rng, 5, future_steps));
        future_subject(gather_limited(input, rng.usize(1..=3)), |items| {
            Handed::whole(items, 5)
        })
    }),
    Case::future(
        "gather_limited (stream)",
        GATHER_LIMITED_HOOKS,
        |plan, rng| {
            let input = from_stream(feed::<Item>(plan, rng, 5));
            future_subject(
                gather_limited(input, rng.usize(1..=3)),
                whole_of_those_in(plan),
            )
        },
    ),
    Case::future("try_gather", GATHER_HOOKS, |plan, rng| {
        let children = children::<Result<Item, Item>>(plan, rng, 5, future_steps);
        future_subject(try_gather(children), |result| try_whole(result, 5))
    })
    .ends_early(),
    Case::future("try_gather_limited", GATHER_LIMITED_HOOKS, |plan, rng| {
        let input = Input::new(
            plan,
            children::<Result<Item, Item>>(plan, rng, 5, future_steps),
        );
        future_subject(try_gather_limited(input, rng.usize(1..=3)), |result| {
            try_whole(result, 5)
        })
    })
    .ends_early(),
    Case::future("gather!", GATHER_HOOKS, |plan, rng| {
        let [a, b, c]: [ItemChild; 3] = children(plan, rng, 3, future_steps).try_into().unwrap();
        future_subject(asyncgen::gather!(a, b, c), |(a, b, c)| {
            Handed::whole(vec![a, b, c], 3)
        })
    }),
    Case::future("try_gather!", GATHER_HOOKS, |plan, rng| {
        let [a, b, c]: [TryChild; 3] = children(plan, rng, 3, future_steps).try_into().unwrap();
        future_subject(asyncgen::try_gather!(a, b, c), |result| match result {
            Ok((a, b, c)) => Handed::whole(vec![a, b, c], 3),
            Err(item) => Handed::err(item),
        })
    })
    .ends_early(),
    Case::future("gather! (13 futures)", GATHER_HOOKS, |plan, rng| {
        let [a, b, c, d, e, f, g, h, i, j, k, l, m]: [ItemChild; 13] =
            children(plan, rng, 13, future_steps).try_into().unwrap();
        future_subject(
            asyncgen::gather!(a, b, c, d, e, f, g, h, i, j, k, l, m),
            |(a, b, c, d, e, f, g, h, i, j, k, l, m)| {
                Handed::whole(vec![a, b, c, d, e, f, g, h, i, j, k, l, m], 13)
            },
        )
    }),
    Case::future("try_gather! (13 futures)", GATHER_HOOKS, |plan, rng| {
        let [a, b, c, d, e, f, g, h, i, j, k, l, m]: [TryChild; 13] =
            children(plan, rng, 13, future_steps).try_into().unwrap();
        future_subject(
            asyncgen::try_gather!(a, b, c, d, e, f, g, h, i, j, k, l, m),
            |result| match result {
                Ok((a, b, c, d, e, f, g, h, i, j, k, l, m)) => {
                    Handed::whole(vec![a, b, c, d, e, f, g, h, i, j, k, l, m], 13)
                }
                Err(item) => Handed::err(item),
            },
        )
    })
    .ends_early(),
    Case::stream("StreamSet", STREAM_SET_HOOKS, |plan, rng| {
        SetSubject::<StreamSet<Key, ItemChild, Fixed>>::build(plan, rng, stream_steps, false)
    }),
    Case::stream("FutureSet", FUTURE_SET_HOOKS, |plan, rng| {
        SetSubject::<FutureSet<Key, ItemChild, Fixed>>::build(plan, rng, future_steps, false)
    }),
    // The same, the user's calls also `retain` and `clear`: each drops children, and wakes the
    // task when it empties the set.
    Case::stream(
        "StreamSet with retain and clear",
        STREAM_SET_HOOKS,
        |plan, rng| {
            SetSubject::<StreamSet<Key, ItemChild, Fixed>>::build(plan, rng, stream_steps, true)
        },
    ),
    Case::stream(
        "FutureSet with retain and clear",
        FUTURE_SET_HOOKS,
        |plan, rng| {
            SetSubject::<FutureSet<Key, ItemChild, Fixed>>::build(plan, rng, future_steps, true)
        },
    ),
    // `next_many`: up to 1-4 items a poll; a panic leaves those taken before it in the buffer.
    Case::stream("StreamSet next_many", STREAM_SET_HOOKS, |plan, rng| {
        let many = Mode::many(rng);
        SetSubject::<StreamSet<Key, ItemChild, Fixed>>::build_with(
            plan,
            rng,
            stream_steps,
            many,
            false,
        )
    }),
    Case::stream("FutureSet next_many", FUTURE_SET_HOOKS, |plan, rng| {
        let many = Mode::many(rng);
        SetSubject::<FutureSet<Key, ItemChild, Fixed>>::build_with(
            plan,
            rng,
            future_steps,
            many,
            false,
        )
    }),
    // `next_event`, with removals reported in one run in two: each child that leaves is
    // reported once (a stream's end, a panic, a future's output; a removal or replacement if
    // reported).
    Case::stream("StreamSet next_event", STREAM_SET_HOOKS, |plan, rng| {
        let events = Mode::events(rng);
        SetSubject::<StreamSet<Key, ItemChild, Fixed>>::build_with(
            plan,
            rng,
            stream_steps,
            events,
            false,
        )
    }),
    Case::stream("FutureSet next_event", FUTURE_SET_HOOKS, |plan, rng| {
        let events = Mode::events(rng);
        SetSubject::<FutureSet<Key, ItemChild, Fixed>>::build_with(
            plan,
            rng,
            future_steps,
            events,
            false,
        )
    }),
    // The `tokio` feature's forms: each child on a task of a current-thread runtime. A task's
    // panic, re-raised by a `spawn_*gather`, aborts the others.
    Case::future("spawn_gather", SPAWN_GATHER_HOOKS, |plan, rng| {
        let children = children::<Item>(plan, rng, 5, future_steps);
        future_subject(Box::pin(spawn_gather(children)), |items| {
            Handed::whole(items, 5)
        })
    })
    .ends_early()
    .on_tokio(),
    Case::future("try_spawn_gather", SPAWN_GATHER_HOOKS, |plan, rng| {
        let children = children::<Result<Item, Item>>(plan, rng, 5, future_steps);
        future_subject(Box::pin(try_spawn_gather(children)), |result| {
            try_whole(result, 5)
        })
    })
    .ends_early()
    .on_tokio(),
    Case::stream("spawn_as_completed", SPAWN_HOOKS, |plan, rng| {
        stream_subject(
            spawn_as_completed(children::<Item>(plan, rng, 5, future_steps)),
            indexed,
        )
    })
    .on_tokio(),
    Case::stream("spawn_merge", SPAWN_HOOKS, |plan, rng| {
        stream_subject(
            spawn_merge(children::<Item>(plan, rng, 4, stream_steps)),
            Handed::one,
        )
    })
    .on_tokio(),
    // A task's panic is an `Err` value, which the subject re-raises with its payload for the
    // driver to count; the user spawns and aborts between polls.
    Case::stream("SpawnSet", SPAWN_SET_HOOKS, SpawnSetSubject::build).on_tokio(),
    Case::generator(
        "#[async_gen] with #[for_await]",
        GENERATOR_HOOKS,
        |plan, rng| {
            stream_subject(
                Box::pin(relay(children(plan, rng, 3, stream_steps))),
                Handed::one,
            )
        },
    ),
    Case::generator("yield_all!", YIELD_ALL_HOOKS, |plan, rng| {
        stream_subject(
            Box::pin(relay_all(children(plan, rng, 3, stream_steps))),
            Handed::one,
        )
    }),
    Case::generator(
        "#[generator] with for and yield_all!",
        SYNC_GENERATOR_HOOKS,
        |plan, rng| {
            Box::new(IterSubject(relay_iter(children(
                plan,
                rng,
                3,
                stream_steps,
            ))))
        },
    ),
    // Closed after its first item: each source's `finally!` drains a child of its own, whose
    // panics reach `close()` (issue 30); those not reached, and those after the panic, close.
    Case::stream(
        "merge of generators closed after an item, each finally! awaiting a child",
        CLOSE_HOOKS,
        |plan, rng| {
            let mut main = children::<Item>(plan, rng, 6, stream_steps);
            let cleanups = main.split_off(3);
            let entered: Vec<_> = (0..3).map(|_| Arc::new(AtomicBool::new(false))).collect();
            let cleanups_of = cleanups
                .iter()
                .map(Child::id)
                .zip(entered.clone())
                .collect();
            let sources: Vec<_> = main
                .into_iter()
                .zip(cleanups)
                .zip(entered)
                .map(|((main, cleanup), entered)| Box::pin(closing_relay(main, cleanup, entered)))
                .collect();
            Box::new(ClosedAfterAnItem {
                stream: merge(sources),
                closing: false,
                plan: plan.clone(),
                cleanups_of,
            })
        },
    )
    .ends_early(),
    Case::generator(
        "nested generators (stream! around #[async_gen])",
        GENERATOR_HOOKS,
        |plan, rng| {
            let inner = relay(children(plan, rng, 3, stream_steps));
            let outer = stream! {
                for await item in inner {
                    yield item;
                }
            };
            stream_subject(Box::pin(outer), Handed::one)
        },
    ),
];

/// A merge of `sources` streams.
fn merged(plan: &Arc<Plan>, rng: &mut Rng, sources: usize) -> Box<dyn Subject> {
    stream_subject(
        merge(children::<Item>(plan, rng, sources, stream_steps)),
        Handed::one,
    )
}

/// A `try_merge` of `sources` streams of `Result`s.
fn try_merged(plan: &Arc<Plan>, rng: &mut Rng, sources: usize) -> Box<dyn Subject> {
    let children = children::<Result<Item, Item>>(plan, rng, sources, stream_steps);
    stream_subject(try_merge(children), try_item)
}

/// A generator that yields every item of each child in turn, holding each across a
/// `Pending` first (so a generator dropped there drops an item).
#[async_gen]
async fn relay(children: Vec<ItemChild>) -> Item {
    for child in children {
        #[for_await]
        for item in child {
            support::pending_times(1).await;
            yield_!(item);
        }
    }
}

/// [`relay`] as a sync generator over iterators: `for` and `yield_all!`.
#[asyncgen::generator]
fn relay_iter(children: Vec<ItemChild>) -> Item {
    let mut children = children.into_iter();
    if let Some(first) = children.next() {
        for item in first {
            yield_!(item);
        }
    }
    for child in children {
        yield_all!(child);
    }
}

/// The same with `yield_all!`.
#[async_gen]
async fn relay_all(children: Vec<ItemChild>) -> Item {
    for child in children {
        yield_all!(child);
    }
}

/// Relays `main`'s items; its cleanup takes every item of `cleanup` (as a consumer would:
/// handed out), awaiting it. `entered`: the body got past its `finally!`.
#[async_gen]
async fn closing_relay(main: ItemChild, cleanup: ItemChild, entered: Arc<AtomicBool>) -> Item {
    finally! {
        #[for_await]
        for item in cleanup {
            item.hand_out();
        }
    }
    entered.store(true, Ordering::Relaxed);
    #[for_await]
    for item in main {
        yield_!(item);
    }
}

/// A stream polled for one item, then closed: `close()` until it is `Ready`, which ends it.
struct ClosedAfterAnItem<S> {
    stream: S,
    closing: bool,
    plan: Arc<Plan>,
    /// The child each source's cleanup drains, and whether that source reached its
    /// `finally!`.
    cleanups_of: Vec<(usize, Arc<AtomicBool>)>,
}

impl<S: Stream<Item = Item> + Close + Unpin> Subject for ClosedAfterAnItem<S> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Handed>> {
        if !self.closing {
            let polled = Pin::new(&mut self.stream).poll_next(cx);
            self.closing = matches!(polled, Poll::Ready(Some(_)));
            return polled.map(|item| item.map(Handed::one));
        }
        Pin::new(&mut self.stream).poll_close(cx).map(|()| None)
    }

    fn size_hint(&self) {
        let _ = self.stream.size_hint();
    }

    /// Without a panic, the cleanup of every source that reached its `finally!` ran to its
    /// end, awaits included (a source closed before that has none to run, as in Python).
    fn check_end(&self) -> Result<(), String> {
        if self.plan.fired() > 0 {
            return Ok(());
        }
        let ledger = self.plan.ledger();
        let unfinished = self.cleanups_of.iter().find(|(id, entered)| {
            entered.load(Ordering::Relaxed) && !ledger.children[*id].finished
        });
        match unfinished {
            Some((id, _)) => Err(format!(
                "the cleanup draining child {id} did not run to its end"
            )),
            None => Ok(()),
        }
    }
}

/// What the set subject needs of `StreamSet` and `FutureSet`.
trait Set: Stream<Item = (Key, Item)> + Unpin + 'static {
    /// A child leaves with its item (a future's output).
    const LAST_ITEM: bool;
    fn new() -> Self;
    fn insert_pinned(&mut self, key: Key, child: ItemChild) -> bool;
    fn remove_pinned(&mut self, key: &Key) -> bool;
    fn len(&self) -> usize;
    fn keys(&self) -> Vec<usize>;
    fn retain(&mut self, keep: &mut dyn FnMut(usize) -> bool);
    fn clear(&mut self);
    fn poll_next_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<(Key, Item)>,
        limit: usize,
    ) -> Poll<usize>;
    fn poll_next_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<SetEvent<Key, Item>>>;
    fn report_removals(&mut self, report: bool);
}

/// A hasher without a random seed: the same hashes, so the same calls of `Eq`, in every run
/// of a seed.
type Fixed = std::hash::BuildHasherDefault<std::hash::DefaultHasher>;

macro_rules! set {
    ($set:ident, $last_item:expr) => {
        impl Set for $set<Key, ItemChild, Fixed> {
            const LAST_ITEM: bool = $last_item;
            fn new() -> Self {
                $set::with_hasher(Fixed::default())
            }
            fn insert_pinned(&mut self, key: Key, child: ItemChild) -> bool {
                $set::insert_pinned(self, key, child)
            }
            fn remove_pinned(&mut self, key: &Key) -> bool {
                $set::remove_pinned(self, key)
            }
            fn len(&self) -> usize {
                $set::len(self)
            }
            /// In order: the set's own order depends on the hashes.
            fn keys(&self) -> Vec<usize> {
                let mut keys: Vec<usize> = $set::keys(self).map(|key| key.n).collect();
                keys.sort_unstable();
                keys
            }
            fn retain(&mut self, keep: &mut dyn FnMut(usize) -> bool) {
                $set::retain(self, |key, _| keep(key.n))
            }
            fn clear(&mut self) {
                $set::clear(self)
            }
            fn poll_next_many(
                &mut self,
                cx: &mut Context<'_>,
                buffer: &mut Vec<(Key, Item)>,
                limit: usize,
            ) -> Poll<usize> {
                $set::poll_next_many(self, cx, buffer, limit)
            }
            fn poll_next_event(
                &mut self,
                cx: &mut Context<'_>,
            ) -> Poll<Option<SetEvent<Key, Item>>> {
                $set::poll_next_event(self, cx)
            }
            fn report_removals(&mut self, report: bool) {
                $set::report_removals(self, report)
            }
        }
    };
}

set!(StreamSet, false);
set!(FutureSet, true);

/// How the set subject polls its set.
enum Mode {
    /// `poll_next`.
    Next,
    /// `poll_next_many`, up to `limit` items a poll, into `buffer` (which keeps the items
    /// taken before a panic, handed out at the next poll).
    Many {
        limit: usize,
        buffer: Vec<(Key, Item)>,
    },
    /// `poll_next_event`.
    Events {
        /// Removals and replacements are reported.
        removals: bool,
        /// Those reports to come, in order: the key, and whether it was a replacement.
        expected: VecDeque<(usize, bool)>,
    },
}

impl Mode {
    fn many(rng: &mut Rng) -> Mode {
        Mode::Many {
            limit: rng.usize(1..=4),
            buffer: Vec::new(),
        }
    }

    fn events(rng: &mut Rng) -> Mode {
        Mode::Events {
            removals: rng.bool(),
            expected: VecDeque::new(),
        }
    }
}

/// Items handed out at once, each with its key.
fn keyed(items: impl IntoIterator<Item = (Key, Item)>) -> Handed {
    let mut problem = None;
    let items = items
        .into_iter()
        .map(|(key, item)| {
            let expected = item.child_key();
            if key.n != expected && problem.is_none() {
                problem = Some(format!(
                    "item {} of child {} handed out as {}, not {expected}",
                    item.id(),
                    item.child(),
                    key.n
                ));
            }
            item
        })
        .collect();
    Handed {
        items,
        whole: None,
        err: false,
        problem,
    }
}

/// A removal (or replacement) reported: the next one `expected`?
fn reported(expected: &mut VecDeque<(usize, bool)>, key: usize, replaced: bool) -> Option<String> {
    let want = expected.pop_front();
    (want != Some((key, replaced)))
        .then(|| format!("reported ({key}, replaced: {replaced}), expected {want:?}"))
}

/// A departure handed out: no item, maybe a problem.
fn departure(problem: Option<String>) -> Handed {
    Handed {
        problem,
        ..keyed([])
    }
}

/// A set, and the user's inserts, replacements and removals between its polls.
struct SetSubject<S> {
    set: S,
    plan: Arc<Plan>,
    steps: fn(&mut Rng) -> Vec<Step>,
    /// Which child each key holds, as far as the user knows.
    owner: HashMap<usize, usize>,
    next_key: usize,
    /// Inserts, replacements and removals still to make.
    acts: usize,
    /// Its acts include `retain` and `clear`.
    many: bool,
    mode: Mode,
}

impl<S: Set> SetSubject<S> {
    fn build(
        plan: &Arc<Plan>,
        rng: &mut Rng,
        steps: fn(&mut Rng) -> Vec<Step>,
        many: bool,
    ) -> Box<dyn Subject> {
        Self::build_with(plan, rng, steps, Mode::Next, many)
    }

    fn build_with(
        plan: &Arc<Plan>,
        rng: &mut Rng,
        steps: fn(&mut Rng) -> Vec<Step>,
        mode: Mode,
        many: bool,
    ) -> Box<dyn Subject> {
        let mut set = S::new();
        if let Mode::Events { removals, .. } = mode {
            set.report_removals(removals);
        }
        let mut subject = SetSubject {
            set,
            plan: plan.clone(),
            steps,
            owner: HashMap::new(),
            next_key: 0,
            acts: rng.usize(..=4),
            many,
            mode,
        };
        for _ in 0..4 {
            subject.insert(rng, None);
        }
        Box::new(subject)
    }

    /// Inserts a new child under `key`, or under a new key; panics as the set does.
    fn insert(&mut self, rng: &mut Rng, key: Option<usize>) {
        let key = key.unwrap_or_else(|| {
            self.next_key += 1;
            self.next_key - 1
        });
        let child = ItemChild::new(&self.plan, key, (self.steps)(rng));
        let new = child.id();
        let old = self.owner.get(&key).copied();
        let done = catch_unwind(AssertUnwindSafe(|| {
            self.set.insert_pinned(Key::new(&self.plan, key), child)
        }));
        self.settle(key, old, Some(new), done.is_ok());
        if let Err(panic) = done {
            resume_unwind(panic);
        }
    }

    /// Removes `key`'s child; panics as the set does.
    fn remove(&mut self, key: usize) {
        let old = self.owner.get(&key).copied();
        let done = catch_unwind(AssertUnwindSafe(|| {
            self.set.remove_pinned(&Key::new(&self.plan, key))
        }));
        self.settle(key, old, None, done.is_ok());
        if let Err(panic) = done {
            resume_unwind(panic);
        }
    }

    /// Drops the children under the keys `keep` rejects (`retain`), or all (`clear`); panics as
    /// the set does, after checking that the set let go of each of them, and dropped it once,
    /// even if one's drop panicked.
    fn drop_many(&mut self, rng: &mut Rng, clear: bool) {
        let keys = self.set.keys();
        let rejected: Vec<usize> = keys
            .iter()
            .copied()
            .filter(|_| clear || rng.bool())
            .collect();
        let done = catch_unwind(AssertUnwindSafe(|| {
            if clear {
                self.set.clear();
            } else {
                self.set.retain(&mut |key| !rejected.contains(&key));
            }
        }));
        let mut problems = Vec::new();
        {
            let mut ledger = self.plan.ledger();
            for key in &rejected {
                let Some(child) = self.owner.remove(key) else {
                    continue;
                };
                let record = &mut ledger.children[child];
                if record.drops != 1 {
                    problems.push(format!("child {child} dropped {} times", record.drops));
                }
                record.dismissed = true;
            }
        }
        let left = self.set.keys();
        let kept: Vec<usize> = keys
            .into_iter()
            .filter(|key| !rejected.contains(key))
            .collect();
        if left != kept || self.set.len() != kept.len() {
            problems.push(format!(
                "keys {left:?} and len() {} left, where {kept:?} were kept",
                self.set.len()
            ));
        }
        // Not under the ledger's lock: a panic there would poison it.
        assert!(
            problems.is_empty(),
            "after a {}: {}",
            if clear { "clear" } else { "retain" },
            problems.join("; ")
        );
        if let Err(panic) = done {
            resume_unwind(panic);
        }
    }

    /// After an insert or removal under `key` (which may have panicked part way): the old child
    /// is out if the call completed or dropped it; the new one is in unless it was dropped.
    fn settle(&mut self, key: usize, old: Option<usize>, new: Option<usize>, completed: bool) {
        let mut ledger = self.plan.ledger();
        if let Some(old) = old {
            if completed || ledger.children[old].drops > 0 {
                ledger.children[old].dismissed = true;
                self.owner.remove(&key);
                if let Mode::Events {
                    removals: true,
                    expected,
                } = &mut self.mode
                {
                    expected.push_back((key, new.is_some()));
                }
            }
        }
        if let Some(new) = new {
            if ledger.children[new].drops > 0 {
                ledger.children[new].dismissed = true;
            } else {
                self.owner.insert(key, new);
            }
        }
    }
}

impl<S: Set> Subject for SetSubject<S> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Handed>> {
        match &mut self.mode {
            Mode::Next => Pin::new(&mut self.set).poll_next(cx).map(|keyed| {
                keyed.map(|(key, item)| {
                    let expected = item.child_key();
                    Handed::labelled(item, key.n, expected)
                })
            }),
            Mode::Many { limit, buffer } => {
                // What a panicking call had taken is the caller's: handed out first.
                if !buffer.is_empty() {
                    return Poll::Ready(Some(keyed(buffer.drain(..))));
                }
                match self.set.poll_next_many(cx, buffer, *limit) {
                    Poll::Ready(0) => Poll::Ready(None),
                    Poll::Ready(added) if added != buffer.len() || added > *limit => {
                        Poll::Ready(Some(departure(Some(format!(
                            "next_many said {added} items of at most {limit}, and gave {}",
                            buffer.len()
                        )))))
                    }
                    Poll::Ready(_) => Poll::Ready(Some(keyed(buffer.drain(..)))),
                    Poll::Pending => Poll::Pending,
                }
            }
            Mode::Events { expected, .. } => {
                let Poll::Ready(event) = self.set.poll_next_event(cx) else {
                    return Poll::Pending;
                };
                let Some(event) = event else {
                    return Poll::Ready(None);
                };
                let owner = &mut self.owner;
                // A child that left by itself: the user thought it was under `key`.
                let left = |key: usize, owner: &mut HashMap<usize, usize>| match owner.remove(&key)
                {
                    Some(child) if self.plan.ledger().children[child].drops > 0 => None,
                    Some(child) => Some(format!(
                        "child {child} under {key} reported gone, not dropped"
                    )),
                    None => Some(format!("{key} reported gone, with no child under it")),
                };
                Poll::Ready(Some(match event {
                    SetEvent::Item(key, item) => {
                        let n = key.n;
                        let mut handed = keyed([(key, item)]);
                        if S::LAST_ITEM && handed.problem.is_none() {
                            // Dropped after its output is taken: its drop has run.
                            handed.problem = left(n, owner);
                        }
                        handed
                    }
                    SetEvent::Ended(key) => departure(left(key.n, owner)),
                    SetEvent::Removed(key) => departure(reported(expected, key.n, false)),
                    SetEvent::Replaced(key) => departure(reported(expected, key.n, true)),
                }))
            }
        }
    }

    fn size_hint(&self) {
        let _ = self.set.size_hint();
    }

    fn act(&mut self, rng: &mut Rng) -> bool {
        if self.acts == 0 {
            return false;
        }
        self.acts -= 1;
        let keys = self.set.keys();
        let key = (!keys.is_empty()).then(|| keys[rng.usize(..keys.len())]);
        match (rng.u8(..if self.many { 5 } else { 3 }), key) {
            (0, _) | (_, None) => self.insert(rng, None),
            (1, Some(key)) => self.insert(rng, Some(key)),
            (3, Some(_)) => self.drop_many(rng, false),
            (4, Some(_)) => self.drop_many(rng, true),
            (_, Some(key)) => self.remove(key),
        }
        true
    }

    fn check_end(&self) -> Result<(), String> {
        let (len, keys) = (self.set.len(), self.set.keys());
        if len != 0 || !keys.is_empty() {
            return Err(format!("the set ended with len() {len} and keys {keys:?}"));
        }
        if let Mode::Events { expected, .. } = &self.mode {
            if !expected.is_empty() {
                return Err(format!("removals never reported: {expected:?}"));
            }
            if !self.owner.is_empty() {
                return Err(format!("children that left unreported: {:?}", self.owner));
            }
        }
        Ok(())
    }
}

/// A `SpawnSet`, and the user's spawns and aborts between its polls. (Not replacing spawns: a
/// replaced task that had ended drops its output unseen, as `JoinMap` does, which the ledger
/// would count as an item lost; `tests/it/spawn_set.rs` tests replacing.)
struct SpawnSetSubject {
    set: SpawnSet<Key, Item, Fixed>,
    plan: Arc<Plan>,
    next_key: usize,
    /// Spawns and aborts still to make.
    acts: usize,
}

impl SpawnSetSubject {
    fn build(plan: &Arc<Plan>, rng: &mut Rng) -> Box<dyn Subject> {
        let mut subject = SpawnSetSubject {
            set: SpawnSet::with_hasher(Fixed::default()),
            plan: plan.clone(),
            next_key: 0,
            acts: rng.usize(..=4),
        };
        for _ in 0..4 {
            subject.spawn(rng);
        }
        Box::new(subject)
    }

    /// Spawns a new child under a new key; panics as the set does. A spawn that panicked has
    /// aborted its task: the child is dismissed.
    fn spawn(&mut self, rng: &mut Rng) {
        let key = self.next_key;
        self.next_key += 1;
        let child = ItemChild::new(&self.plan, key, future_steps(rng));
        let new = child.id();
        let done = catch_unwind(AssertUnwindSafe(|| {
            self.set.spawn(Key::new(&self.plan, key), child)
        }));
        if let Err(panic) = done {
            self.plan.ledger().children[new].dismissed = true;
            resume_unwind(panic);
        }
    }

    /// Aborts `key`'s task; panics as the set does. An abort that completed dismisses the
    /// child (its end still comes out: `Err`, or its item if it had ended).
    fn abort(&mut self, key: usize) {
        let done = catch_unwind(AssertUnwindSafe(|| {
            self.set.abort(&Key::new(&self.plan, key))
        }));
        match done {
            Ok(found) => {
                assert!(found, "abort found no task under a key the set listed");
                let mut ledger = self.plan.ledger();
                for child in ledger.children.iter_mut().filter(|child| child.key == key) {
                    child.dismissed = true;
                }
            }
            Err(panic) => resume_unwind(panic),
        }
    }

    /// The keys, in order: the set's own order depends on the hashes.
    fn keys(&self) -> Vec<usize> {
        let mut keys: Vec<usize> = self.set.keys().map(|key| key.n).collect();
        keys.sort_unstable();
        keys
    }
}

impl Subject for SpawnSetSubject {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Handed>> {
        // No hook here runs in the set's poll (a task's panic is a value): a panic out of it is
        // the set's own, reported as a problem.
        let polled = catch_unwind(AssertUnwindSafe(|| Pin::new(&mut self.set).poll_next(cx)));
        let Ok(polled) = polled else {
            return Poll::Ready(Some(Handed {
                items: Vec::new(),
                whole: None,
                err: false,
                problem: Some("the set's poll panicked, where a task's panic is a value".into()),
            }));
        };
        polled.map(|joined| {
            joined.map(|(key, result)| match result {
                Ok(item) => {
                    let expected = item.child_key();
                    Handed::labelled(item, key.n, expected)
                }
                Err(error) if error.is_panic() => resume_unwind(error.into_panic()),
                // Aborted: nothing to hand out.
                Err(_) => Handed {
                    items: Vec::new(),
                    whole: None,
                    err: false,
                    problem: None,
                },
            })
        })
    }

    fn size_hint(&self) {
        let _ = self.set.size_hint();
    }

    fn act(&mut self, rng: &mut Rng) -> bool {
        if self.acts == 0 {
            return false;
        }
        self.acts -= 1;
        let keys = self.keys();
        match rng.usize(..=keys.len()) {
            0 => self.spawn(rng),
            at => self.abort(keys[at - 1]),
        }
        true
    }

    fn check_end(&self) -> Result<(), String> {
        let (len, keys) = (self.set.len(), self.keys());
        if len == 0 && keys.is_empty() {
            Ok(())
        } else {
            Err(format!("the set ended with len() {len} and keys {keys:?}"))
        }
    }
}
