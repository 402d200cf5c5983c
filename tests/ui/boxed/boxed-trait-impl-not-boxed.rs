// The trait declares a boxed generator: each impl must say `boxed` too, or its return type
// (`impl Stream`) is not the trait's (`Pin<Box<dyn Stream + Send + '_>>`).
use asyncgen::{async_gen, yield_};

trait Storage {
    #[async_gen(boxed)]
    async fn list(&self) -> String;
}

struct Memory(Vec<String>);

impl Storage for Memory {
    #[async_gen]
    async fn list(&self) -> String {
        for name in &self.0 {
            yield_!(name.clone());
        }
    }
}

fn main() {}
