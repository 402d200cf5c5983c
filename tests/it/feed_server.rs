//! The `feed_server` example, run as it is: a real tokio TCP server on localhost, three real
//! clients, and no subscription left behind whichever way each connection ended (issue 30).
//! Real sockets: not under Miri (`.ci/run` skips it there).

#[allow(dead_code)]
#[path = "../../examples/feed_server.rs"]
mod example;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_subscription_is_left_behind_by_a_hang_up_the_end_or_a_shutdown() {
    let report = example::run().await;
    assert_eq!(report.feed.subscribers(), Vec::<String>::new());
    let log = report.feed.log();
    let events = |who: &str| -> Vec<&str> {
        log.iter()
            .filter_map(|e| e.strip_prefix(who)?.strip_prefix(": "))
            .collect()
    };
    // Closed by the server: the cleanup runs in `close()`.
    for (who, why) in [
        ("ann", "the client hung up"),
        ("cy", "the server shut down"),
    ] {
        let closing = format!("{why}, closing");
        assert_eq!(
            events(who),
            ["subscribed", &closing, "unsubscribed"],
            "{who}"
        );
    }
    // At its end, the generator ran its cleanup before it said so; `close()` did nothing.
    assert_eq!(
        events("bob"),
        ["subscribed", "unsubscribed", "the updates ended, closing"]
    );
    let lines = |who| {
        &report
            .clients
            .iter()
            .find(|(name, _)| *name == who)
            .unwrap()
            .1
    };
    assert_eq!(lines("ann"), &["update 0", "update 1"]);
    assert_eq!(lines("bob"), &["update 0", "update 1", "update 2"]);
    let cy = lines("cy");
    assert_eq!(cy[..2], ["update 0", "update 1"]);
    assert_eq!(cy.last().map(String::as_str), Some("bye"));
}
