use asyncgen::{async_gen, yield_};

#[async_gen]
async fn parse_all(inputs: Vec<&'static str>) -> u32 {
    for input in inputs {
        let n: u32 = input.parse()?;
        yield_!(n);
    }
}

fn main() {
    let _ = parse_all(vec!["1"]);
}
