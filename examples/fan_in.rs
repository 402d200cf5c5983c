//! Fan-in over a set that changes while it runs: a chat room whose clients join and leave
//! (`StreamSet`, one stream per client, under its name), then a crawler that fetches each link
//! it finds, at most 3 at a time (`FutureSet`, one fetch per page, under its URL).
//!
//! ```text
//! cargo run --example fan_in            # the script's timing: ~9 s in all
//! cargo run --example fan_in -- --fast  # every sleep 100x shorter
//! ```
//! The times it prints are measured wall-clock seconds, so with `--fast` they are 100x
//! shorter too.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Instant;

use asyncgen::{FutureSet, SetEvent, StreamSet, async_gen, yield_};
use futures::StreamExt;
use support::{seconds_since, sleep};
use tokio::sync::mpsc;

// ---------------------------------------------------------------------------------------------
// 1. A chat room.
//
// In Python one would give every client the same queue, and keep a set of who is in the room:
//
// async def room(inbox):
//     members = set()
//     while True:
//         kind, name, text = await inbox.get()
//         if kind == "join":
//             members.add(name)
//         elif kind == "leave":
//             members.discard(name)
//         elif name in members:  # what a kicked client sent still arrives: filter it
//             if "spam" in text:
//                 members.discard(name)  # the kick: the client never learns of it
//             else:
//                 print(f"{name}: {text}")
//
// Here each client has its own channel, turned into a stream by a generator, and the room
// merges them in a `StreamSet` under their names. Kicking removes the client's stream, which
// drops its receiver: the client's next `send` fails, so it knows. A client that hangs up
// (drops its sender) ends its stream, and the set removes it by itself.
//
// The room hears of every departure in one place: it reads the set's events (`next_event`),
// not just its items (`next`, which removes an ended stream silently, as tokio-stream's
// `StreamMap` does). A stream's end is `SetEvent::Ended(name)`; with `report_removals`, a
// removal by name is `SetEvent::Removed(name)`, whoever made it.
// ---------------------------------------------------------------------------------------------

// async def lines(queue):
//     while (text := await queue.get()) is not None:
//         yield text
#[async_gen]
async fn lines(mut rx: mpsc::Receiver<String>) -> String {
    while let Some(text) = rx.recv().await {
        yield_!(text);
    }
}

/// What clients ask of the room, on its control channel.
enum Control {
    Join(String, mpsc::Receiver<String>),
    Leave(String),
}

/// A step of a client's script, at a time in seconds from the start (scaled by `--fast`).
enum Step {
    Say(&'static str),
    /// Ask the room to take us out.
    Leave,
    /// Drop the sender, without a word.
    HangUp,
}

/// A client: who, when they join (seconds from the start, scaled by `--fast`), and what they
/// do after.
struct Client {
    name: &'static str,
    joins_at: f64,
    script: &'static [(f64, Step)],
}

const CLIENTS: &[Client] = &[
    Client {
        name: "alice",
        joins_at: 0.0,
        script: &[
            (0.5, Step::Say("hi, anyone here?")),
            (2.0, Step::Say("welcome, carol")),
            (6.0, Step::HangUp),
        ],
    },
    Client {
        name: "bob",
        joins_at: 0.0,
        script: &[
            (1.0, Step::Say("hi alice")),
            (4.5, Step::Say("got to go, bye")),
            (5.0, Step::Leave),
        ],
    },
    Client {
        name: "carol",
        joins_at: 1.5,
        script: &[(2.5, Step::Say("hello all")), (5.5, Step::HangUp)],
    },
    Client {
        name: "mallory",
        joins_at: 3.0,
        script: &[
            (3.5, Step::Say("cheap spam, click here")),
            (4.0, Step::Say("hello?")),
        ],
    },
];

// A client joins at its time, then follows its script.
async fn client(who: &'static Client, control: mpsc::Sender<Control>, start: Instant) {
    let Client {
        name,
        joins_at,
        script,
    } = *who;
    if joins_at > 0.0 {
        sleep(joins_at).await; // (those at 0 join in the order they were spawned)
    }
    let (tx, rx) = mpsc::channel(8);
    control
        .send(Control::Join(name.into(), rx))
        .await
        .expect("the room is open");
    let mut now = joins_at;
    for (at, step) in script {
        sleep(at - now).await;
        now = *at;
        match step {
            Step::Say(text) => {
                if tx.send(text.to_string()).await.is_err() {
                    let t = seconds_since(start);
                    println!("{t:>6.3} s  ({name} sent {text:?}: the room hung up on them)");
                    return;
                }
            }
            Step::Leave => {
                let _ = control.send(Control::Leave(name.into())).await;
                return;
            }
            Step::HangUp => return, // `tx` is dropped here
        }
    }
}

async fn chat_room() {
    let start = Instant::now();
    let (control_tx, mut control) = mpsc::channel(8);
    for who in CLIENTS {
        tokio::spawn(client(who, control_tx.clone(), start));
    }
    drop(control_tx); // the control channel closes when the last client is done

    let mut room: StreamSet<String, _> = StreamSet::new(); // each client's stream, by name
    room.report_removals(true); // removals by name come as events too
    // Why each client being removed is: said when the removal is reported.
    let mut removing: HashMap<String, &str> = HashMap::new();
    loop {
        tokio::select! {
            biased; // a join before the new client's first line
            Some(control) = control.recv() => match control {
                Control::Join(name, rx) => {
                    // `#[async_gen]` streams are `!Unpin`: pinned in place in the set, no box.
                    room.insert_pinned(name.clone(), lines(rx));
                    let mut names: Vec<&String> = room.keys().collect();
                    names.sort();
                    let t = seconds_since(start);
                    println!("{t:>6.3} s  * {name} joined; in the room: {names:?}");
                }
                Control::Leave(name) => {
                    if room.remove_pinned(&name) {
                        removing.insert(name, "left");
                    }
                }
            },
            // An empty set returns `None` (so this branch is off until a stream is inserted,
            // and every departure is reported), but it is not fused: a join makes it yield
            // again.
            Some(event) = room.next_event() => match event {
                SetEvent::Item(name, text) if text.contains("spam") => {
                    // The kick: its stream, and so its receiver, is dropped at once.
                    room.remove_pinned(&name);
                    removing.insert(name, "was kicked for spam");
                }
                SetEvent::Item(name, text) => {
                    println!("{:>6.3} s  {name}: {text}", seconds_since(start));
                }
                // Its stream ended: the client dropped its sender.
                SetEvent::Ended(name) => goodbye(start, &name, "hung up", room.len()),
                SetEvent::Removed(name) => {
                    let why = removing.remove(&name).unwrap_or("was removed");
                    goodbye(start, &name, why, room.len());
                }
                // Nobody joins under a name in the room: no stream is replaced.
                SetEvent::Replaced(name) => goodbye(start, &name, "rejoined", room.len()),
            },
            // Every client is done, and the room is empty.
            else => break,
        }
    }
    println!("{:>6.3} s  room closed", seconds_since(start));
}

/// One line per departure, however the client left.
fn goodbye(start: Instant, name: &str, why: &str, left: usize) {
    let t = seconds_since(start);
    println!("{t:>6.3} s  * {name} {why} ({left} in the room)");
}

// ---------------------------------------------------------------------------------------------
// 2. A crawler.
//
// In Python, the loop around `asyncio.wait(FIRST_COMPLETED)`:
//
// async def crawl(start, limit=3):
//     seen, queued, in_flight = {start}, deque([start]), {}  # in_flight: task -> url
//     while queued or in_flight:
//         while queued and len(in_flight) < limit:
//             url = queued.popleft()
//             in_flight[asyncio.create_task(fetch(url))] = url
//         done, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
//         for task in done:
//             url = in_flight.pop(task)
//             for link in task.result():
//                 if link not in seen:
//                     seen.add(link)
//                     queued.append(link)
//
// `asyncio.wait` walks every task in flight on each call. (A `TaskGroup` with a
// `Semaphore(limit)` bounds the fetches too, but has no "next one done" to loop on: each task
// would have to start the fetches of its own links.) A `FutureSet` is that loop's `in_flight`
// dict and `asyncio.wait` in one: keyed by URL, its outputs as they complete, and dropping it
// cancels what is in flight, as leaving a `TaskGroup` on an error does.
// ---------------------------------------------------------------------------------------------

type Url = &'static str;

/// The fake site: each page, how long fetching it takes (seconds, scaled by `--fast`), and
/// its links.
const SITE: &[(Url, f64, &[Url])] = &[
    ("/", 0.3, &["/docs", "/blog", "/about"]),
    ("/docs", 0.7, &["/", "/docs/install", "/docs/tour"]),
    ("/blog", 0.4, &["/", "/blog/1", "/blog/2"]),
    ("/about", 1.1, &["/"]),
    ("/blog/1", 1.0, &["/blog", "/docs/tour"]),
    ("/blog/2", 1.0, &["/blog", "/blog/1", "/about"]),
    ("/docs/install", 0.9, &["/docs", "/docs/tour"]),
    ("/docs/tour", 0.9, &["/docs", "/docs/install", "/blog/2"]),
];

const LIMIT: usize = 3;

// async def fetch(url):
//     latency, links = SITE[url]
//     await asyncio.sleep(latency)  # the network
//     return links
async fn fetch(url: Url) -> &'static [Url] {
    let (_, latency, links) = SITE
        .iter()
        .find(|(page, ..)| *page == url)
        .expect("a link to a page of the site");
    sleep(*latency).await; // the network
    links
}

async fn crawl(start_url: Url) {
    let start = Instant::now();
    let mut seen = HashSet::from([start_url]);
    let mut queued = VecDeque::new();
    let mut in_flight = FutureSet::with_capacity(LIMIT);
    in_flight.insert_pinned(start_url, fetch(start_url));
    // Ends when nothing is in flight: nothing is queued either, since the queue is only
    // left waiting while `LIMIT` fetches are in flight.
    while let Some((url, links)) = in_flight.next().await {
        let before = queued.len();
        queued.extend(links.iter().filter(|&&link| seen.insert(link)));
        let new = queued.len() - before;
        while in_flight.len() < LIMIT {
            let Some(next) = queued.pop_front() else {
                break;
            };
            in_flight.insert_pinned(next, fetch(next));
        }
        let mut fetching: Vec<Url> = in_flight.keys().copied().collect();
        fetching.sort_unstable();
        let fetching = match fetching.len() {
            0 => String::new(),
            _ => format!(" ({})", fetching.join(", ")),
        };
        println!(
            "{:>6.3} s  {url:<14} links: {} ({new} new)  queued: {}  in flight: {}{fetching}",
            seconds_since(start),
            links.len(),
            queued.len(),
            in_flight.len(),
        );
    }
    println!(
        "{:>6.3} s  {} pages, each fetched once",
        seconds_since(start),
        seen.len()
    );
}

// One thread, as asyncio's event loop: the order of the lines depends only on the sleeps.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("A chat room (StreamSet):");
    chat_room().await;
    println!("\nA crawler, at most {LIMIT} fetches at once (FutureSet):");
    crawl("/").await;
}
