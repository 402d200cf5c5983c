//! Other attribute macros on a generator fn, as users stack them: `#[tracing::instrument]`
//! sees the fn `#[async_gen]` emits, so it must come after (below) it.

use std::sync::atomic::{AtomicU64, Ordering};

use asyncgen::{async_gen, generator, yield_};
use futures::StreamExt;
use futures::executor::block_on;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Counts the spans created, and remembers the last one's name.
#[derive(Default)]
struct SpanCounter {
    spans: AtomicU64,
    last: std::sync::Mutex<Option<&'static str>>,
}

impl Subscriber for SpanCounter {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        *self.last.lock().unwrap() = Some(span.metadata().name());
        Id::from_u64(self.spans.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[async_gen]
#[tracing::instrument(skip_all)]
async fn traced_numbers(n: u32) -> u32 {
    for i in 0..n {
        yield_!(i);
    }
}

#[generator]
#[tracing::instrument(skip_all)]
fn traced_letters() -> char {
    yield_!('a');
    yield_!('b');
}

/// `#[tracing::instrument]` below `#[async_gen]` / `#[generator]` instruments the generated fn:
/// calling it creates its span, and the stream or iterator yields as without it.
#[test]
fn tracing_instrument_is_kept() {
    let counter = std::sync::Arc::new(SpanCounter::default());
    tracing::subscriber::with_default(counter.clone(), || {
        let numbers: Vec<u32> = block_on(traced_numbers(3).collect());
        assert_eq!(numbers, [0, 1, 2]);
        assert_eq!(counter.spans.load(Ordering::SeqCst), 1);
        assert_eq!(*counter.last.lock().unwrap(), Some("traced_numbers"));
        assert_eq!(traced_letters().collect::<String>(), "ab");
        assert_eq!(counter.spans.load(Ordering::SeqCst), 2);
        assert_eq!(*counter.last.lock().unwrap(), Some("traced_letters"));
    });
}
