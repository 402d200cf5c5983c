// `method.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! Generator methods: `&self` borrows, `self` moves in.
use asyncgen::{async_gen, yield_};
/// Pages of numbers.
pub struct Pages {
    /// The pages.
    pub pages: Vec<Vec<u32>>,
}
impl Pages {
    /// Every number of every page, borrowed from `self`.
    pub fn numbers(&self) -> impl ::asyncgen::FusedStream<Item = &u32> + ::asyncgen::Close {
        ::asyncgen::__private::async_gen::<&u32, _>(async move |mut __yielder| {
            for page in &self.pages {
                for n in page {
                    yield_!(@ lowered __yielder : & u32, n);
                }
            }
        })
    }
    /// The pages, moved out one by one.
    pub fn into_pages(self) -> impl ::asyncgen::FusedStream<Item = Vec<u32>> + ::asyncgen::Close {
        ::asyncgen::__private::async_gen::<Vec<u32>, _>(async move |mut __yielder| {
            let _ = &self;
            for page in self.pages {
                yield_!(@ lowered __yielder : Vec < u32 >, page);
            }
        })
    }
}
