// Plain `#[async_gen]` in a trait returns `impl Stream`: fine for generics, but the trait is
// then not dyn-compatible. `#[async_gen(boxed)]` is the form for `dyn Trait`, and rustc's
// E0038 says so under the attribute, through the name of a hidden method the declaration
// brings (macros/src/emit/dyn_hint.rs): "...because method `list_for_dyn_needs_async_gen_boxed`".
use asyncgen::{async_gen, yield_};

trait Storage {
    #[async_gen]
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

fn main() {
    let storage: Box<dyn Storage> = Box::new(Memory(vec![]));
    let _ = storage.list();
}
