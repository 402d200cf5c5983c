// `finally.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! `finally!`: a cleanup that awaits, run at the end, at `return`, and by `close()`.
use asyncgen::{async_gen, finally, yield_};
use std::sync::{Arc, Mutex};
/// Subscribes to `topic`, yields `count` messages, and unsubscribes however it ends.
pub fn subscription(
    log: Arc<Mutex<Vec<String>>>,
    topic: &'static str,
    count: u32,
) -> impl ::asyncgen::FusedStream<Item = String> + ::asyncgen::Close {
    ::asyncgen::__private::async_gen_with_cleanup::<String, _>(async move |mut __yielder| {
        let log = log;
        let topic = topic;
        let count = count;
        let __cleanup = ::asyncgen::__private::CleanupState::new();
        let __probe = __yielder.probe();
        ::asyncgen::__private::guarded(__probe, &__cleanup, 0, async {
            log.lock().unwrap().push(format!("subscribe {topic}"));
            finally!(@ used);
            ::asyncgen::__private::guarded(__probe, &__cleanup, 1, async {
                for n in 0..count {
                    yield_!(@ lowered __yielder, format!("{topic} {n}"));
                }
            })
            .await;
            {
                std::future::ready(()).await;
                log.lock().unwrap().push(format!("unsubscribe {topic}"));
            };
        })
        .await;
    })
}
