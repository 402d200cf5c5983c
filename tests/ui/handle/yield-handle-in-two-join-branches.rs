// Two branches of `futures::join!` cannot both yield through the handle: each would need it
// mutably for as long as it runs, so the second borrow is rejected. Sharing it (an async mutex)
// makes the branches take turns; see tests/it/concurrent_yields.rs.
use asyncgen::__private::async_gen;

fn main() {
    let _stream = async_gen::<u32, _>(async |mut yielder| {
        futures::join!(
            async {
                yielder.yield_(1).await;
            },
            async {
                yielder.yield_(2).await;
            },
        );
    });
}
