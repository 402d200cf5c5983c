//! Auto traits follow what a generator's body captures, for every form (`#[async_gen]`,
//! `#[generator]`, `stream!`, `iter!`): `Send` / `Sync` as the compiler derives them, and
//! `UnwindSafe` / `RefUnwindSafe` as for rustc's `gen` blocks (issue 29), so that
//! `catch_unwind(move || iter.next())` compiles without `AssertUnwindSafe`.
//!
//! Positive facts are bounds, checked by the compiler; negative ones are read with
//! [`implements!`], which the compiler also decides (the `assert!` only reports it), and the
//! ui case `types/capture-of-a-cell-is-not-ref-unwind-safe.rs` shows the error a user gets.

use std::cell::{Cell, RefCell};
use std::panic::{RefUnwindSafe, UnwindSafe, catch_unwind};
use std::rc::Rc;

use asyncgen::{async_gen, generator, iter, stream, yield_};
use futures::Stream;
use support::collect;

fn assert_all_four<T: Send + Sync + UnwindSafe + RefUnwindSafe>(_: &T) {}

/// Whether the type of `$value` implements `$trait`, decided at compile time by method
/// resolution: the inherent-looking `Yes` impl needs one autoref fewer than `No`'s, so it wins
/// whenever its bound holds (the "autoref specialization" `yield_all!` uses).
macro_rules! implements {
    ($value:expr, $trait:path) => {{
        struct Probe<T>(std::marker::PhantomData<T>);
        // Only one of the two traits is picked: the other is never used.
        #[allow(dead_code)]
        trait Yes {
            fn implements(&self) -> bool {
                true
            }
        }
        impl<T: $trait> Yes for Probe<T> {}
        #[allow(dead_code)]
        trait No {
            fn implements(&self) -> bool {
                false
            }
        }
        impl<T> No for &Probe<T> {}
        fn probe<T>(_: &T) -> Probe<T> {
            Probe(std::marker::PhantomData)
        }
        (&probe(&$value)).implements()
    }};
}

/// The four facts, in the order `[Send, Sync, UnwindSafe, RefUnwindSafe]`.
macro_rules! auto_traits {
    ($value:expr) => {
        [
            implements!($value, Send),
            implements!($value, Sync),
            implements!($value, UnwindSafe),
            implements!($value, RefUnwindSafe),
        ]
    };
}

#[async_gen]
async fn owned(items: Vec<u32>) -> u32 {
    for item in items {
        std::future::ready(()).await;
        yield_!(item);
    }
}

#[generator]
fn owned_iter(items: Vec<u32>) -> u32 {
    for item in items {
        yield_!(item);
    }
}

#[async_gen]
async fn shared(items: &[u32]) -> u32 {
    for &item in items {
        yield_!(item);
    }
}

#[generator]
fn counted(count: &mut u32) -> u32 {
    *count += 1;
    yield_!(*count);
}

#[async_gen]
async fn in_a_cell(cell: Cell<u32>) -> u32 {
    yield_!(cell.get());
    cell.set(cell.get() + 1);
    yield_!(cell.get());
}

#[generator]
fn through_a_ref_cell(cell: &RefCell<u32>) -> u32 {
    yield_!(*cell.borrow());
}

#[generator]
fn shared_rc(rc: Rc<u32>) -> u32 {
    yield_!(*rc);
}

/// Bodies that capture only what has all four have all four, in every form.
#[test]
fn all_four_when_the_captures_have_them() {
    let items = vec![1, 2];
    assert_all_four(&owned(items.clone()));
    assert_all_four(&owned_iter(items.clone()));
    assert_all_four(&shared(&items));
    let moved = items.clone();
    let block = stream! {
        for item in moved {
            yield item;
        }
    };
    assert_all_four(&block);
    let iter = iter! {
        for &item in &items {
            yield item;
        }
    };
    assert_all_four(&iter);
    assert_eq!(collect(block), [1, 2]);
    assert_eq!(iter.collect::<Vec<u32>>(), [1, 2]);
}

fn cell_items() -> impl Stream<Item = Cell<u32>> {
    stream! {
        yield Cell::new(1u32);
        yield Cell::new(2);
    }
}

fn ref_cell_items() -> impl Iterator<Item = RefCell<u32>> {
    iter! {
        yield RefCell::new(1u32);
    }
}

/// Items that are not `RefUnwindSafe` do not take that from the generator: as in a `gen`
/// block, an item is handed out, not held. (`Sync` is as before issue 29: the yield future
/// holds the item, so items that are not `Sync` make a generator that is not.)
#[test]
fn the_items_do_not_count_for_unwind_safety() {
    assert_eq!(auto_traits!(cell_items()), [true, false, true, true]);
    assert_eq!(auto_traits!(ref_cell_items()), [true, false, true, true]);
}

/// What a capture lacks, the generator lacks, and nothing more.
#[test]
fn each_trait_follows_the_captures() {
    let mut count = 0;
    // `&mut u32`: not `UnwindSafe` (a panic could leave the count half-updated), still
    // `RefUnwindSafe`.
    assert_eq!(auto_traits!(counted(&mut count)), [true, true, false, true]);
    // A `Cell` moved in: `UnwindSafe` (it is owned), not `RefUnwindSafe`, not `Sync`.
    assert_eq!(
        auto_traits!(in_a_cell(Cell::new(0))),
        [true, false, true, false]
    );
    // `&RefCell<u32>`: none of the four (`RefCell` is neither `Sync` nor `RefUnwindSafe`).
    let cell = RefCell::new(0);
    assert_eq!(
        auto_traits!(through_a_ref_cell(&cell)),
        [false, false, false, false]
    );
    // `Rc`: neither `Send` nor `Sync`, but unwind safe both ways.
    assert_eq!(
        auto_traits!(shared_rc(Rc::new(1))),
        [false, false, true, true]
    );
    // The same for blocks, which capture by move as `async move` does.
    assert_eq!(
        auto_traits!(cell_block(Cell::new(5))),
        [true, false, true, false]
    );
    let mut total = 0;
    assert_eq!(
        auto_traits!(mut_ref_block(&mut total)),
        [true, true, false, true]
    );
}

// Blocks made in fns of their own: the auto traits of a generator made in the same fn are only
// known once that fn is type-checked, too late for `implements!`.
fn cell_block(cell: Cell<u32>) -> impl Stream<Item = u32> {
    stream! {
        yield cell.get();
    }
}

fn mut_ref_block(total: &mut u32) -> impl Iterator<Item = u32> {
    iter! {
        *total += 1;
        yield *total;
    }
}

/// The program from issue 29: a panic in an iterator caught without `AssertUnwindSafe`, then
/// the iterator goes on (it has ended).
#[test]
fn catch_unwind_of_next_compiles() {
    #[generator]
    fn fails_second(items: Vec<u32>) -> u32 {
        for item in items {
            assert!(item < 2, "item {item} is too big");
            yield_!(item);
        }
    }
    let mut iter = fails_second(vec![1, 2, 3]);
    assert_eq!(catch_unwind(move || iter.next()).ok(), Some(Some(1)));
    let mut iter = fails_second(vec![5]);
    let caught = catch_unwind(move || iter.next());
    assert!(caught.is_err());
    let mut iter = iter! {
        yield 1u8;
        panic!("second");
    };
    assert_eq!(iter.next(), Some(1));
    assert!(catch_unwind(move || iter.next()).is_err());
}

/// `&stream` across `catch_unwind`: `RefUnwindSafe`, as `is_terminated` and `Debug` need.
#[test]
fn a_shared_reference_crosses_catch_unwind() {
    use futures::stream::FusedStream;
    let stream = owned(vec![1]);
    let terminated = catch_unwind(|| stream.is_terminated());
    assert_eq!(terminated.ok(), Some(false));
}
