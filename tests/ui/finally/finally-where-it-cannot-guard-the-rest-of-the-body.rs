// `finally!` guards the rest of the body: a statement of the body's top level, in an async
// generator, outside other macros and other `finally!`s.
use asyncgen::{async_gen, finally, generator, yield_};

#[async_gen]
async fn misplaced(ready: bool) -> u32 {
    if ready {
        finally! { println!("in a block"); }
    }
    let _ = || {
        finally! { println!("in a closure"); }
    };
    finally! {
        finally! { println!("nested"); }
    }
    yield_!(1);
}

#[generator]
fn sync_generator() -> u32 {
    finally! { println!("sync"); }
    yield_!(1);
}

fn not_a_generator() {
    finally! { println!("outside"); }
}

fn main() {
    let _ = misplaced(true);
    let _ = sync_generator();
    not_a_generator();
}
