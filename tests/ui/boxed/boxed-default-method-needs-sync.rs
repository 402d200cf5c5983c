// A `boxed` (so `Send`) default method that holds `&self` needs `Self: Sync`: the error says
// where it goes, on the trait or the method (issue 29).
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
