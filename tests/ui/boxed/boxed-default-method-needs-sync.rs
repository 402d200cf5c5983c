// A `boxed` (so `Send`) default method that holds `&self` across a yield needs `Self: Sync`.
use asyncgen::{async_gen, yield_};

trait Named {
    fn name(&self) -> String;

    #[async_gen(boxed)]
    async fn names(&self) -> String {
        yield_!(self.name());
        yield_!(self.name());
    }
}

fn main() {}
