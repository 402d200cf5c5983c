// A struct literal in a `#[for_await]` loop's head is rustc's error, "struct literals are not
// allowed here", with its fix (parentheses). It is the only error, in a generator and in a
// plain `async fn` with `#[for_await]`: the attributes read the loop as rustc reads on (as if
// the literal were in parentheses), and add nothing about themselves (issue 35; six errors
// each before). A syntax error elsewhere in a `#[for_await]` fn is also reported once.
use asyncgen::{async_gen, for_await, yield_};

struct Countdown {
    start: u32,
}

impl Countdown {
    #[async_gen]
    async fn iter(&self) -> u32 {
        for n in (1..=self.start).rev() {
            yield_!(n);
        }
    }
}

#[for_await]
async fn total() -> u32 {
    let mut sum = 0;
    #[for_await]
    for n in Countdown { start: 3 }.iter() {
        sum += n;
    }
    sum
}

#[async_gen]
async fn doubled() -> u32 {
    #[for_await]
    for n in Countdown { start: 3 }.iter() {
        yield_!(n * 2);
    }
}

#[for_await]
async fn broken() -> u32 {
    let mut sum = 0;
    #[for_await]
    for n in Countdown { start: 2 }.iter() {
        sum += n;
    }
    let twice = sum.;
    twice
}

fn main() {
    let _ = total();
    let _ = doubled();
    let _ = broken();
}
