// `for await` over a stream made from a struct literal, on stable: rustc's errors (the struct
// literal, the unstable syntax) and ours, whose form to write compiles as shown: the stream in
// parentheses.
use asyncgen::{async_gen, yield_};

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

#[async_gen]
async fn doubled() -> u32 {
    for await n in Countdown { start: 3 }.iter() {
        yield_!(n * 2);
    }
}

fn main() {
    let _ = doubled();
}
