//! Generators as methods: a client whose `all_repos` walks a paginated API page by page, and
//! a trait whose boxed generator method is called through `dyn`.
//!
//! ```text
//! cargo run --example methods
//! ```

use std::time::Duration;

use asyncgen::{Stream, async_gen, for_await, yield_, yield_all};

/// A fake paginated HTTP API: `GET /repos?page=n` returns up to `per_page` names.
struct Client {
    repos: Vec<String>,
    per_page: usize,
    /// A page whose request fails, to show what `?` does.
    broken_page: Option<usize>,
}

#[derive(Debug)]
struct ApiError(String);

impl Client {
    async fn get_page(&self, page: usize) -> Result<Vec<String>, ApiError> {
        tokio::time::sleep(Duration::from_millis(5)).await; // the network round trip
        if self.broken_page == Some(page) {
            return Err(ApiError(format!("503 on page {page}")));
        }
        let start = (page * self.per_page).min(self.repos.len());
        let end = (start + self.per_page).min(self.repos.len());
        Ok(self.repos[start..end].to_vec())
    }

    /// Every repository, fetching the next page only when the caller wants more. The stream
    /// borrows the client; `?` yields the error as the last item and ends the stream.
    #[async_gen]
    async fn all_repos(&self) -> Result<String, ApiError> {
        for page in 0.. {
            let repos = self.get_page(page).await?;
            if repos.is_empty() {
                return;
            }
            for repo in repos {
                yield_!(Ok(repo));
            }
        }
    }
}

/// Anything that can list files. `boxed` makes the method usable through `dyn Storage`: it
/// returns `Pin<Box<dyn Stream<Item = String> + Send + '_>>`.
trait Storage: Sync {
    #[async_gen(boxed)]
    async fn list(&self) -> String;

    /// A default method built on the other: the names with a suffix.
    #[async_gen(boxed)]
    async fn list_matching(&self, suffix: &str) -> String {
        #[for_await]
        for name in self.list() {
            if name.ends_with(suffix) {
                yield_!(name);
            }
        }
    }
}

struct Memory(Vec<&'static str>);

impl Storage for Memory {
    #[async_gen(boxed)]
    async fn list(&self) -> String {
        yield_all!(self.0.iter().map(|name| name.to_string()));
    }
}

struct Disk {
    root: &'static str,
}

impl Storage for Disk {
    #[async_gen(boxed)]
    async fn list(&self) -> String {
        for name in ["notes.txt", "photo.png", "todo.txt"] {
            tokio::task::yield_now().await; // a directory read
            yield_!(format!("{}/{name}", self.root));
        }
    }
}

/// Any stream of names, boxed or not.
#[for_await]
async fn print_all(label: &str, names: impl Stream<Item = String>) {
    #[for_await]
    for name in names {
        println!("{label}: {name}");
    }
}

/// Prints every repository of `client`, or the error that ended the listing.
#[for_await]
async fn list_repos(client: &Client) {
    let mut count = 0;
    #[for_await]
    for repo in client.all_repos() {
        match repo {
            Ok(name) => {
                count += 1;
                println!("repo: {name}");
            }
            Err(ApiError(why)) => println!("error: {why}"),
        }
    }
    println!("{count} repositories, fetched {} per page", client.per_page);
}

#[tokio::main]
async fn main() {
    let mut client = Client {
        repos: (1..=7).map(|n| format!("repo-{n}")).collect(),
        per_page: 3,
        broken_page: None,
    };
    list_repos(&client).await;
    client.broken_page = Some(1);
    list_repos(&client).await;

    let stores: Vec<Box<dyn Storage>> = vec![
        Box::new(Memory(vec!["a.txt", "b.rs"])),
        Box::new(Disk { root: "/home" }),
    ];
    for store in &stores {
        print_all("txt", store.list_matching(".txt")).await;
    }
}
