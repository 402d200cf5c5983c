//! `SetEvent`: what `StreamSet::next_event` and `FutureSet::next_event` hand out.
#![forbid(unsafe_code)]

/// What a set's [`next_event`](crate::StreamSet::next_event) hands out: an item, with its
/// child's key, or the news that a child left the set. Where `next` only yields items (an ended
/// stream is removed silently, as in tokio-stream's `StreamMap`), the events say who left, and
/// how, so a chat room over a [`StreamSet`](crate::StreamSet) can say goodbye.
///
/// Each child that leaves the set is reported once, by:
/// - its last item (a future's output: [`Item`](Self::Item));
/// - [`Ended`](Self::Ended): a stream's end, or a child whose poll or drop panicked (the panic
///   goes on first, and the next event poll reports the end);
/// - [`Removed`](Self::Removed) and [`Replaced`](Self::Replaced): taken out by a remove, or
///   replaced by an insert under its key. Only on a set told to
///   ([`report_removals`](crate::StreamSet::report_removals)): whoever removes a child usually
///   knows, and a set whose reports nobody reads would keep the keys.
///
/// Ends met by `next` (not `next_event`) are not reported; removals are, by the next
/// `next_event`, if reporting is on.
///
/// # Examples
///
/// ```
/// use asyncgen::{SetEvent, StreamSet};
/// use futures::stream;
///
/// let mut room = StreamSet::new();
/// room.report_removals(true);
/// room.insert("alice", stream::iter(["hi"]));
/// room.insert("mallory", stream::iter(["spam"]));
/// futures::executor::block_on(async {
///     let mut log = Vec::new();
///     while let Some(event) = room.next_event().await {
///         match event {
///             SetEvent::Item(who, "spam") => {
///                 room.remove(&who);
///             }
///             SetEvent::Item(who, line) => log.push(format!("{who}: {line}")),
///             SetEvent::Ended(who) => log.push(format!("{who} hung up")),
///             SetEvent::Removed(who) => log.push(format!("{who} was kicked")),
///             SetEvent::Replaced(who) => log.push(format!("{who} reconnected")),
///         }
///     }
///     log.sort();
///     assert_eq!(log, ["alice hung up", "alice: hi", "mallory was kicked"]);
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SetEvent<K, T> {
    /// An item of the stream under the key, or the output of the future under it.
    Item(K, T),
    /// The child under the key ended by itself (a stream's end), or panicked (its poll or its
    /// drop); it is out of the set.
    Ended(K),
    /// The child under the key was taken out by `remove` or `remove_pinned` (reported with
    /// [`report_removals`](crate::StreamSet::report_removals) only).
    Removed(K),
    /// The child under the key was replaced by an `insert` or `insert_pinned` under the same
    /// key; the new child is in the set (reported with
    /// [`report_removals`](crate::StreamSet::report_removals) only).
    Replaced(K),
}
