//! A feed served over TCP on localhost, one generator per client: each subscribes to the feed,
//! streams its updates, and unsubscribes in a `finally!` block, an `.await`ed call, as
//! Python's `try: .. finally: await feed.unsubscribe(..)`. Three clients end three ways:
//!
//! - `ann` reads two lines and hangs up: the server sees it, and closes her generator;
//! - `bob` asks for three lines: his generator reaches its end;
//! - `cy` reads until the server shuts down: the server closes his generator.
//!
//! Each way, the cleanup runs to its end before the connection's task finishes, so no
//! subscription is left behind (`tests/it/feed_server.rs` checks it).
//!
//! ```text
//! cargo run --example feed_server
//! ```

use std::collections::BTreeSet;
use std::pin::pin;
use std::sync::{Arc, Mutex};

use asyncgen::{Close, async_gen, finally, yield_};
use futures::StreamExt;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;

/// The feed: who is subscribed, and what the server did, in order.
#[derive(Clone, Debug, Default)]
pub struct Feed {
    subscribers: Arc<Mutex<BTreeSet<String>>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Feed {
    fn subscribe(&self, who: &str) {
        self.subscribers.lock().unwrap().insert(who.to_owned());
        self.note(format!("{who}: subscribed"));
    }

    /// Asynchronous, as a real unsubscribe is (a message to a broker, and its reply).
    async fn unsubscribe(&self, who: &str) {
        tokio::task::yield_now().await;
        self.subscribers.lock().unwrap().remove(who);
        self.note(format!("{who}: unsubscribed"));
    }

    /// The `n`-th update, once it is published.
    async fn update(&self, n: u32) -> String {
        tokio::task::yield_now().await;
        format!("update {n}")
    }

    fn note(&self, event: String) {
        self.log.lock().unwrap().push(event);
    }

    /// Who is still subscribed.
    pub fn subscribers(&self) -> Vec<String> {
        self.subscribers.lock().unwrap().iter().cloned().collect()
    }

    /// What the server did, in order.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

// async def updates(feed, who, limit):
//     feed.subscribe(who)
//     try:
//         for n in itertools.count() if limit is None else range(limit):
//             yield await feed.update(n)
//     finally:
//         await feed.unsubscribe(who)
#[async_gen]
async fn updates(feed: Feed, who: String, limit: Option<u32>) -> String {
    feed.subscribe(&who);
    finally! {
        feed.unsubscribe(&who).await;
    }
    for n in 0..limit.unwrap_or(u32::MAX) {
        yield_!(feed.update(n).await);
    }
}

/// One connection: the client sends its name and how many updates it wants (`0`: all), then
/// reads them, one per line. Ends when the client hangs up, when the updates end, or when the
/// server shuts down; in every case the generator's cleanup runs before this returns.
async fn serve(socket: TcpStream, feed: Feed, mut shutdown: watch::Receiver<bool>) {
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut hello = String::new();
    if reader.read_line(&mut hello).await.unwrap_or(0) == 0 {
        return;
    }
    let mut words = hello.split_whitespace();
    let who = words.next().unwrap_or("someone").to_owned();
    let limit = words.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0);
    let mut stream = pin!(updates(feed.clone(), who.clone(), limit));
    let mut unused = [0u8; 1];
    let why = loop {
        tokio::select! {
            update = stream.next() => match update {
                Some(line) => {
                    if writer.write_all(format!("{line}\n").as_bytes()).await.is_err() {
                        break "the client hung up";
                    }
                }
                None => break "the updates ended",
            },
            // The client only sends its hello: anything more, or the end, means it left.
            _ = reader.read(&mut unused) => break "the client hung up",
            _ = shutdown.changed() => {
                let _ = writer.write_all(b"bye\n").await;
                break "the server shut down";
            }
        }
    };
    feed.note(format!("{who}: {why}, closing"));
    // Python's `await updates.aclose()`: the `finally!` block runs, and its `.await`s complete,
    // before this does. (After the end, it does nothing.)
    stream.close().await;
}

/// Serves `feed` on a free port of localhost until `shutdown` says so, then waits for every
/// connection to finish.
async fn server(listener: TcpListener, feed: Feed, shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((socket, _)) = accepted else { break };
                connections.spawn(serve(socket, feed.clone(), shutdown.clone()));
            }
            _ = stop.changed() => break,
        }
    }
    while connections.join_next().await.is_some() {}
}

/// A client: says who it is and how many updates it wants, reads `read` lines (all, if
/// `None`; `two_read` is told when two are in), then hangs up. The lines it read.
async fn client(
    address: std::net::SocketAddr,
    hello: &str,
    read: Option<usize>,
    mut two_read: Option<oneshot::Sender<()>>,
) -> Vec<String> {
    let socket = TcpStream::connect(address).await.unwrap();
    let (reader, mut writer) = socket.into_split();
    writer
        .write_all(format!("{hello}\n").as_bytes())
        .await
        .unwrap();
    let mut lines = BufReader::new(reader).lines();
    let mut read_lines = Vec::new();
    while read.is_none_or(|n| read_lines.len() < n) {
        match lines.next_line().await {
            Ok(Some(line)) => read_lines.push(line),
            _ => break,
        }
        if read_lines.len() == 2 {
            if let Some(two_read) = two_read.take() {
                let _ = two_read.send(());
            }
        }
    }
    read_lines
}

/// What the run saw: each client's lines, and the feed afterwards.
#[derive(Debug)]
pub struct Report {
    pub clients: Vec<(&'static str, Vec<String>)>,
    pub feed: Feed,
}

/// Runs the server and the three clients, one after the other; returns once the server has
/// stopped.
pub async fn run() -> Report {
    let feed = Feed::default();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (shutdown, shutdown_rx) = watch::channel(false);
    let server = tokio::spawn(server(listener, feed.clone(), shutdown_rx));
    let wait_for = |who: &'static str| {
        let feed = feed.clone();
        async move {
            while !feed
                .log()
                .iter()
                .any(|e| e.starts_with(who) && e.ends_with("unsubscribed"))
            {
                tokio::task::yield_now().await;
            }
        }
    };

    let ann = client(address, "ann 0", Some(2), None).await;
    wait_for("ann").await;
    let bob = client(address, "bob 3", None, None).await;
    wait_for("bob").await;
    // Once cy has read two updates, the server shuts down.
    let (two_read, cy_has_two) = oneshot::channel();
    let cy = tokio::spawn(client(address, "cy 0", None, Some(two_read)));
    cy_has_two.await.unwrap();
    shutdown.send(true).unwrap();
    let cy = cy.await.unwrap();
    server.await.unwrap();
    Report {
        clients: vec![("ann", ann), ("bob", bob), ("cy", cy)],
        feed,
    }
}

#[tokio::main]
#[allow(dead_code)] // also compiled as a module of the tests, which call `run`
async fn main() {
    let report = run().await;
    for (who, lines) in &report.clients {
        let shown = if lines.len() > 4 {
            [&lines[..2], &["..".to_owned()], &lines[lines.len() - 2..]].concat()
        } else {
            lines.clone()
        };
        println!("{who} read: {}", shown.join(", "));
    }
    println!("server:");
    for event in report.feed.log() {
        println!("  {event}");
    }
    println!("subscriptions left: {:?}", report.feed.subscribers());
}
