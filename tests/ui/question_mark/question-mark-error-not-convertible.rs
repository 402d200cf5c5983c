use asyncgen::{async_gen, yield_};

#[derive(Debug)]
struct MyError;

#[async_gen]
async fn parse_all(inputs: Vec<&'static str>) -> Result<u32, MyError> {
    for input in inputs {
        let n: u32 = input.parse()?;
        yield_!(Ok(n));
    }
}

fn main() {
    let _ = parse_all(vec!["1"]);
}
