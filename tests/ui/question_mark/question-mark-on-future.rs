// `fetch()?` without `.await` in a generator: the hint must say to `.await` it, once.
use asyncgen::{async_gen, yield_};

async fn fetch(page: u32) -> Result<String, std::io::Error> {
    Ok(format!("page {page}"))
}

#[async_gen]
async fn pages() -> Result<String, std::io::Error> {
    for page in 0..3 {
        let body = fetch(page)?;
        yield_!(Ok(body));
    }
}

fn main() {
    let _ = pages();
}
