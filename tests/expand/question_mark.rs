//! `?` in a generator of `Result`s: the error is yielded as the last item, then it ends.

use asyncgen::{async_gen, yield_};

/// Each line parsed as a number, up to the first that is not one.
#[async_gen]
pub async fn parse_all(lines: Vec<&'static str>) -> Result<u32, std::num::ParseIntError> {
    for line in lines {
        let n: u32 = line.trim().parse()?;
        yield_!(Ok(n));
    }
}
