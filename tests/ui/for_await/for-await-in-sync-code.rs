use asyncgen::{async_gen, for_await, yield_};

#[async_gen]
async fn numbers() -> u32 {
    yield_!(1);
}

#[for_await]
fn sync_fn() {
    #[for_await]
    for n in numbers() {
        println!("{n}");
    }
}

#[async_gen]
async fn in_sync_closure() -> u32 {
    let run = || {
        #[for_await]
        for n in numbers() {
            println!("{n}");
        }
    };
    run();
    yield_!(0);
}

fn main() {
    sync_fn();
    let _ = in_sync_closure();
}
