// `stream!(-> Item)` needs a body, and `iter!` is sync: it cannot `.await`.
use asyncgen::{iter, stream};

fn main() {
    let _no_body = stream!(-> u32);
    let _awaits = iter! {
        std::future::ready(()).await;
        yield 1;
    };
}
