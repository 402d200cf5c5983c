// A type parameter of the trait (not part of `Self`) gets no lifetime bound from the macro:
// the boxed stream holds `T`s for `'_`, so `T` needs `T: 'static` (or `T: '_`) written by hand.
use asyncgen::{async_gen, yield_};

trait Source<T: Send + Clone> {
    fn item(&self) -> T;

    #[async_gen(boxed)]
    async fn items(&self) -> T
    where
        Self: Sync,
    {
        yield_!(self.item());
    }
}

fn main() {}
