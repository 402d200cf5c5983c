//! `finally!`: a cleanup that awaits, run at the end, at `return`, and by `close()`.

use asyncgen::{async_gen, finally, yield_};
use std::sync::{Arc, Mutex};

/// Subscribes to `topic`, yields `count` messages, and unsubscribes however it ends.
#[async_gen]
pub async fn subscription(log: Arc<Mutex<Vec<String>>>, topic: &'static str, count: u32) -> String {
    log.lock().unwrap().push(format!("subscribe {topic}"));
    finally! {
        std::future::ready(()).await;
        log.lock().unwrap().push(format!("unsubscribe {topic}"));
    }
    for n in 0..count {
        yield_!(format!("{topic} {n}"));
    }
}
