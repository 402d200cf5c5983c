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
