//! A trait with a `boxed` generator method: object-safe, `Send`, borrowing `self`.

use asyncgen::{async_gen, yield_};

/// Something that lists names.
pub trait Source {
    /// The names, from a boxed `dyn Stream + Send`.
    #[async_gen(boxed)]
    async fn names(&self, prefix: &str) -> String;
}

/// A fixed list.
pub struct Fixed(pub Vec<&'static str>);

impl Source for Fixed {
    #[async_gen(boxed)]
    async fn names(&self, prefix: &str) -> String {
        for name in &self.0 {
            yield_!(format!("{prefix}{name}"));
        }
    }
}
