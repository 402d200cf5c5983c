use asyncgen_reexport_user::{odds, shifted, squares, total};
use futures::StreamExt;
use futures::executor::block_on;

#[test]
fn generators_through_a_reexporting_crate() {
    assert_eq!(block_on(squares(4).collect::<Vec<_>>()), [0, 1, 4, 9]);
    assert_eq!(odds(3).collect::<Vec<_>>(), [1, 3, 5]);
    assert_eq!(block_on(shifted(3).collect::<Vec<_>>()), [1, 2, 3]);
    assert_eq!(block_on(total(4)), 6);
}

#[test]
fn function_like_macros_through_a_reexporting_crate() {
    use asyncgen_reexport_user::{gathered, merged, square_iter};
    assert_eq!(square_iter(4).collect::<Vec<_>>(), [0, 1, 4, 9]);
    let mut items = block_on(merged(2).collect::<Vec<_>>());
    items.sort_unstable();
    assert_eq!(items, [0, 0, 1, 1]);
    assert_eq!(block_on(gathered(3)), (3, 6));
}

#[test]
fn async_streams_test_reexport() {
    use asyncgen_reexport_user::test_reexport::{create_stream, create_try_stream};
    let items = block_on(create_stream().collect::<Vec<_>>());
    assert_eq!(items, (0..10).collect::<Vec<u8>>());
    let items = block_on(create_try_stream().collect::<Vec<_>>());
    assert_eq!(items, (0..10).map(Ok).collect::<Vec<Result<u8, u8>>>());
}
