//! The lesson's downloads, rewritten: four files one by one, then all at once with
//! `gather` (Python's `asyncio.gather`), then with `try_gather` when one download fails.
//!
//! ```text
//! cargo run --example downloads            # the lesson's timing: each download 0..1 s
//! cargo run --example downloads -- --fast  # every sleep 100x shorter
//! ```
//! The times it prints are measured wall-clock seconds, so with `--fast` they are 100x
//! shorter too.

use std::time::Instant;

use asyncgen::{gather, try_gather};
use support::{seconds_since, sleep};

// async def download(file):
//     await asyncio.sleep(random.random())  # the network
//     print(f"Downloaded {file}")
async fn download(file: &str) -> usize {
    sleep(fastrand::f64()).await; // the network
    println!("Downloaded {file}");
    file.len() * 1000 // the "size" of what arrived
}

// files = ["index.html", "style.css", "app.js", "logo.png"]
const FILES: [&str; 4] = ["index.html", "style.css", "app.js", "logo.png"];

// async def main():
#[tokio::main]
async fn main() {
    //     start = time.perf_counter()
    //     for file in files:
    //         await download(file)
    //     print(f"one by one: {time.perf_counter() - start:.3f} s")
    let start = Instant::now();
    for file in FILES {
        download(file).await;
    }
    println!("one by one: {:.3} s\n", seconds_since(start));

    //     start = time.perf_counter()
    //     sizes = await asyncio.gather(*(download(file) for file in files))
    //     print(f"with gather: {time.perf_counter() - start:.3f} s")
    let start = Instant::now();
    let sizes = gather(FILES.map(download)).await;
    println!("with gather: {:.3} s", seconds_since(start));
    // The results come in the order of the files, whatever order the downloads finished in.
    println!("sizes, in the order asked: {sizes:?}\n");

    // With a download that fails: the first error is returned as soon as it happens, and
    // the downloads still running are cancelled (dropped) before it is, like an
    // `asyncio.TaskGroup`.
    let start = Instant::now();
    let result = try_gather(FILES.map(|file| async move {
        if file == "app.js" {
            sleep(0.1).await;
            return Err(format!("404 for {file}"));
        }
        Ok(download(file).await)
    }))
    .await;
    println!(
        "with try_gather: {result:?} after {:.3} s",
        seconds_since(start)
    );
}

// asyncio.run(main())
