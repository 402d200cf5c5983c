// `gather!` takes futures (not values); `try_gather!` takes futures whose outputs are
// `Result`s with one error type.
use asyncgen::{gather, try_gather};

async fn name() -> &'static str {
    "Ada"
}

async fn age() -> Result<u32, String> {
    Ok(36)
}

fn main() {
    let _ = gather!(name(), 36);
    let _ = try_gather!(name(), age());
}
