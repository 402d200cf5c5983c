//! Generator methods: `&self` borrows, `self` moves in.

use asyncgen::{async_gen, yield_};

/// Pages of numbers.
pub struct Pages {
    /// The pages.
    pub pages: Vec<Vec<u32>>,
}

impl Pages {
    /// Every number of every page, borrowed from `self`.
    #[async_gen]
    pub async fn numbers(&self) -> &u32 {
        for page in &self.pages {
            for n in page {
                yield_!(n);
            }
        }
    }

    /// The pages, moved out one by one.
    #[async_gen]
    pub async fn into_pages(self) -> Vec<u32> {
        for page in self.pages {
            yield_!(page);
        }
    }
}
