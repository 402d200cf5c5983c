// `?` on an `Option` cannot end a generator of `Result`s (there is no error to yield), and `?`
// on a `Result` cannot end a generator of `Option`s (it would drop the error).
use asyncgen::{async_gen, generator, yield_};

#[derive(Debug)]
struct MyError;

#[async_gen]
async fn firsts(lines: Vec<&'static str>) -> Result<char, MyError> {
    for line in lines {
        let c = line.chars().next()?;
        yield_!(Ok(c));
    }
}

#[generator]
fn parsed(lines: Vec<&'static str>) -> Option<u32> {
    for line in lines {
        let n: u32 = line.parse()?;
        yield_!(Some(n));
    }
}

fn main() {
    let _ = firsts(vec!["a"]);
    let _ = parsed(vec!["1"]);
}
