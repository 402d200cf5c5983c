//! The storage behind `merge` and `gather`: the children in one allocation, each pinned where
//! it is, and a waker for every child out of one shared allocation. With `core/src/yielder.rs`,
//! the only module of the crate with `unsafe`.
//!
//! Before this module, each child had a `Box` of its own (to pin it) and an `Arc` waker of its
//! own: two allocations and two frees per future, about 40% of a `gather`'s instructions
//! (BENCHMARKS.md). Here a `gather` of any number of futures allocates a fixed number of times.
//!
//! # Why it is sound
//!
//! ## [`PinnedSlots`]: children pinned in place
//!
//! The children live in a boxed slice of `Option<T>`, allocated once and never reallocated,
//! resized, or moved out of: the box's heap block stays where it is for as long as the
//! `PinnedSlots` lives, wherever the `PinnedSlots` value itself is moved (moving it moves the
//! box's pointer, not the block). Through this module's API a value in a place is only ever
//!
//! - put into its place ([`PinnedSlots::insert`]; an old value there is dropped first),
//! - reached as `Pin<&mut T>` ([`PinnedSlots::pin_mut`], [`PinnedSlots::places_pin_mut`]) or
//!   `&T` (only for `size_hint`, which takes `&self` of each stream, as with a box each, and for
//!   the sets' `get` and `iter`, which hand out `&T`); the slice itself is reached only
//!   through `&mut` (which Stacked Borrows does not retag as unique for `!Unpin` values), never
//!   through a shared reference once a value is pinned: a shared reference to a suspended
//!   self-borrowing future would invalidate its borrow of itself under Stacked Borrows (its
//!   length is kept apart for that reason),
//! - dropped where it is ([`PinnedSlots::remove`], [`PinnedSlots::clear`], or the slice's own
//!   drop, which drops each place in place). An assignment drops the old value in place before
//!   the place is reused, and if that drop panics the new value (`None`, or the one
//!   [`PinnedSlots::insert`] puts) is written all the same: the old value is never touched
//!   again. [`PinnedSlots::clear`] goes on with the other places after a drop that panics.
//!
//! No method moves a value out of its place or hands out `&mut T` or `&mut Option<T>`, but
//! [`PinnedSlots::take`], [`PinnedSlots::replace`] and [`PinnedSlots::into_places`], which need
//! `T: Unpin`: such values may leave a pinned place (as
//! `Pin::get_mut` and `Pin::into_inner` allow for them). So from
//! the moment a value is put in a place until it is dropped there, it stays at one address:
//! `Pin`'s contract, drop guarantee included. That makes `Pin::new_unchecked` in `pin_mut`
//! sound, and `PinnedSlots<T>` `Unpin` whatever `T` is (what is pinned is the heap block, not
//! the struct).
//!
//! ## [`WakerTable`]: a waker per slot from one allocation
//!
//! One `Arc` holds the shared state `S` and a boxed slice of entries, one per slot. Each entry
//! holds the slot's own state (`S::Slot`, the ready queue's link and bits, kept beside the
//! way back so a wake touches one cache line) and the pointer to the `Arc`'s contents that
//! `Arc::into_raw` returned, the pointer `Arc::increment_strong_count` and
//! `Arc::decrement_strong_count` ask for. It is written into the entries at construction,
//! through `Arc::get_mut` while the new `WakerTable` holds the only count and before any waker
//! exists; that is the only `&mut` to the table until the last count frees it. The waker of
//! slot `i` is a `RawWaker` whose data pointer is entry `i`'s address and whose vtable is
//! [`WakerTable::VTABLE`]:
//!
//! - `clone` adds one to the `Arc`'s strong count and returns the same data pointer;
//! - `drop` takes one off (`Arc::decrement_strong_count`; the last one frees the table);
//! - `wake_by_ref` reads entry `i` to find the table, finds `i` as the entry's offset in the
//!   slice, and calls [`WakeSlot::wake_slot`] on `&S` with `&` the entry's slot state;
//! - `wake` takes the waker's count back as an `Arc` (`Arc::from_raw` of the entry's pointer),
//!   calls `wake_by_ref`, and drops the `Arc`: the count is given back also when `wake_by_ref`
//!   unwinds (the parent's waker, which it wakes, may panic), or the table would leak.
//!
//! Every `Waker` made by `clone` owns one strong count, and [`WakerTable`] owns one, so the
//! table (its entries and `S` with it) outlives every waker that can reach it: whenever a
//! vtable function runs, its entry pointer points into a live table. The waker that
//! [`WakerTable::waker`] lends owns no count: it is a `ManuallyDrop<Waker>` (so the `drop`
//! above never runs for it) borrowing the table, which therefore outlives it; cloning it makes
//! an owning waker. After construction the entries are only reached through shared
//! references (their slot states change only through their own atomics), and `S` is only
//! reached as `&S`; `S: Send + Sync` and `S::Slot: Send + Sync` make that sound from any thread,
//! as a `Waker` (which is `Send` and `Sync`) must allow. Between construction and the free, the
//! table is never reached through `&mut`, so the shared reads never overlap a unique borrow.
//! The entries are not zero-sized (each holds a pointer), so an entry's offset from the
//! slice's start, in entries, is its slot.
//!
//! ## [`Outputs`]: a gather's outputs without an `Option` each
//!
//! The outputs live in a `Vec<MaybeUninit<T>>` beside a bitset: bit `i` is set exactly when
//! `values[i]` holds a value. Writing a place sets its bit (a second write to it panics before
//! touching anything), so the number of writes counts the set bits; [`Outputs::into_vec`]
//! hands the buffer out as a `Vec<T>` of the length the caller expects only when that number
//! and the buffer's length both equal it, i.e. when every place holds a value
//! (`MaybeUninit<T>` has `T`'s layout, so the buffer is a valid `Vec<T>` of the same length
//! and capacity); otherwise it panics. Dropping `Outputs` drops the places whose bit is set,
//! each once, its bit cleared first: if one of those drops panics, the places after it are
//! dropped as the panic unwinds (as a `Vec`'s elements are), and none twice. Zero-sized
//! outputs are fine: such a `Vec` has a dangling pointer and any capacity, and
//! `from_raw_parts` takes them back as they are.
//!
//! All three parts run under Miri with Stacked and Tree Borrows in CI (every `merge` and `gather`
//! suite); the atomics in `S` (the ready queue's) are modelled with loom.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::marker::PhantomData;
use core::mem::{self, ManuallyDrop, MaybeUninit};
use core::ops::Deref;
use core::pin::Pin;
use core::ptr;
use core::task::{RawWaker, RawWakerVTable, Waker};

use crate::concurrency::child_panic::each_even_after_a_panic;

/// Values that stay at one address from the moment they are put in a place until they are
/// dropped there: children polled through `Pin<&mut T>` without a box each.
pub(crate) struct PinnedSlots<T> {
    /// Allocated once; never reallocated or moved out of (the soundness argument above).
    places: Box<[Option<T>]>,
    /// `places.len()`, kept apart: reading it from the box would make a shared reference to
    /// the whole slice, and a shared reference to a suspended self-borrowing future (an `async`
    /// block holding a borrow of its own state) invalidates that borrow under Stacked Borrows.
    len: usize,
}

impl<T> PinnedSlots<T> {
    /// `len` empty places.
    pub(crate) fn empty(len: usize) -> Self {
        PinnedSlots {
            places: (0..len).map(|_| None).collect(),
            len,
        }
    }

    /// A place for each of `values`, each filled.
    pub(crate) fn filled(values: impl IntoIterator<Item = T>) -> Self {
        let places: Box<[Option<T>]> = values.into_iter().map(Some).collect();
        // Before any value is pinned: a shared reference to the slice is fine here.
        let len = places.len();
        PinnedSlots { places, len }
    }

    /// How many places, empty or not.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The value in place `slot`, pinned, or `None` if the place is empty.
    #[inline]
    pub(crate) fn pin_mut(&mut self, slot: usize) -> Option<Pin<&mut T>> {
        let value = self.places[slot].as_mut()?;
        // SAFETY: the value stays in its place until it is dropped there: no method of this
        // type moves a value out of its place or gives out `&mut T` other than pinned (the
        // soundness argument at the top of this module).
        Some(unsafe { Pin::new_unchecked(value) })
    }

    /// Puts `value` in place `slot`, dropping (in place) a value that was there.
    #[inline]
    pub(crate) fn insert(&mut self, slot: usize, value: T) {
        self.places[slot] = Some(value);
    }

    /// Drops the value in place `slot`, where it is.
    #[inline]
    pub(crate) fn remove(&mut self, slot: usize) {
        self.places[slot] = None;
    }

    /// Moves the value in place `slot` out, leaving the place empty. Only for `Unpin` values,
    /// which pinning does not hold in place (`Pin::get_mut` gives them back as `&mut T`).
    // Only the sets (`std`) use it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    #[inline]
    pub(crate) fn take(&mut self, slot: usize) -> Option<T>
    where
        T: Unpin,
    {
        self.places[slot].take()
    }

    /// Puts `value` in place `slot` and moves out the value that was there, if any. Only for
    /// `Unpin` values, as [`take`](Self::take).
    // Only the sets (`std`) use it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    #[inline]
    pub(crate) fn replace(&mut self, slot: usize, value: T) -> Option<T>
    where
        T: Unpin,
    {
        self.places[slot].replace(value)
    }

    /// Drops every value, each where it is: after a drop that panics, the others too.
    pub(crate) fn clear(&mut self) {
        each_even_after_a_panic(self.places.iter_mut(), |place| *place = None);
    }

    /// The values, by place. This makes shared references to all of them (as `size_hint(&self)`
    /// of a stream must): call it only where the caller has `&self` of each anyway.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.places.iter().flatten()
    }
}

// What is pinned is the heap block, which moving a `PinnedSlots` does not move.
impl<T> Unpin for PinnedSlots<T> {}

// The sets' access API: a child by place, every place in order, and the places given up.
impl<T> PinnedSlots<T> {
    /// The value in place `slot`, or `None` if the place is empty. Indexing is a place
    /// projection: no reference to the other places is made.
    // Only the sets (`std`) use it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    #[inline]
    pub(crate) fn get(&self, slot: usize) -> Option<&T> {
        self.places[slot].as_ref()
    }

    /// Every place in order, shared: as [`iter`](Self::iter), only where the caller hands out
    /// `&T` of each value anyway.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) fn places(&self) -> core::slice::Iter<'_, Option<T>> {
        self.places.iter()
    }

    /// Every place in order, each value pinned.
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) fn places_pin_mut(&mut self) -> PlacesPinMut<'_, T> {
        PlacesPinMut(self.places.iter_mut())
    }

    /// Every place in order, the values moved out as the iterator is drained; those it does not
    /// reach are dropped with it. Only for `Unpin` values, as [`take`](Self::take).
    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    pub(crate) fn into_places(self) -> alloc::vec::IntoIter<Option<T>>
    where
        T: Unpin,
    {
        self.places.into_vec().into_iter()
    }
}

/// [`PinnedSlots::places_pin_mut`]: each place, its value pinned.
pub(crate) struct PlacesPinMut<'a, T>(core::slice::IterMut<'a, Option<T>>);

impl<'a, T> Iterator for PlacesPinMut<'a, T> {
    type Item = Option<Pin<&'a mut T>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let place = self.0.next()?;
        // SAFETY: as in `pin_mut`: the value stays in its place until it is dropped there (no
        // method of `PinnedSlots` moves a value of a `!Unpin` type out of its place), and this
        // iterator borrows the slots mutably, so nothing else reaches the value meanwhile.
        Some(
            place
                .as_mut()
                .map(|value| unsafe { Pin::new_unchecked(value) }),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// Values written by index in any order, each once, and read out in index order once every
/// index below the highest written has been: a gather's outputs, at `size_of::<T>()` and a bit
/// each (an `Option<u64>` takes 16 bytes where a `u64` takes 8).
pub(crate) struct Outputs<T> {
    /// `values[i]` holds a value exactly when bit `i` of `written` is set.
    values: Vec<MaybeUninit<T>>,
    written: Vec<u64>,
    /// How many bits are set.
    count: usize,
}

impl<T> Outputs<T> {
    /// Room for `len` outputs without growing.
    pub(crate) fn with_capacity(len: usize) -> Self {
        Outputs {
            values: Vec::with_capacity(len),
            written: Vec::with_capacity(len.div_ceil(64)),
            count: 0,
        }
    }

    /// Puts `value` at `index`, growing to it if needed.
    ///
    /// # Panics
    ///
    /// If `index` holds a value already (before writing anything).
    pub(crate) fn write(&mut self, index: usize, value: T) {
        if index >= self.values.len() {
            self.values.resize_with(index + 1, MaybeUninit::uninit);
            self.written.resize((index + 1).div_ceil(64), 0);
        }
        let (word, bit) = (index / 64, 1u64 << (index % 64));
        assert!(
            self.written[word] & bit == 0,
            "output {index} written twice"
        );
        self.values[index].write(value);
        self.written[word] |= bit;
        self.count += 1;
    }

    /// The `len` values, in index order, in the same buffer.
    ///
    /// # Panics
    ///
    /// If an index below `len` holds no value (or one above it does).
    // Once per gather: out of line, so that a gather's `poll` stays small enough to be inlined
    // into its caller's loop (callgrind: 35 instructions per future of a woken gather of 1 000,
    // default build).
    #[inline(never)]
    pub(crate) fn into_vec(mut self, len: usize) -> Vec<T> {
        assert!(
            self.count == len && self.values.len() == len,
            "an output is missing: its future panicked, and the gather was polled on after the panic"
        );
        // `self` now holds no values, so its drop drops nothing.
        let mut values = ManuallyDrop::new(mem::take(&mut self.values));
        let (pointer, len, capacity) = (values.as_mut_ptr(), values.len(), values.capacity());
        // SAFETY: every place holds a value (`count` distinct places were written, one bit
        // each, and `count` is the length, checked above), `MaybeUninit<T>` has `T`'s size
        // and alignment, and
        // the buffer came from a `Vec` of that length and capacity, which is not dropped
        // (`ManuallyDrop`): the new `Vec` owns it alone.
        unsafe { Vec::from_raw_parts(pointer.cast::<T>(), len, capacity) }
    }
}

impl<T> Drop for Outputs<T> {
    fn drop(&mut self) {
        if !mem::needs_drop::<T>() {
            return;
        }
        let written = &mut self.written;
        // After a drop that panics, the others are dropped too, as a `Vec`'s are.
        each_even_after_a_panic(self.values.iter_mut().enumerate(), |(index, value)| {
            let (word, bit) = (index / 64, 1u64 << (index % 64));
            if written[word] & bit != 0 {
                // Cleared first: the value is never dropped twice, whatever its drop does.
                written[word] &= !bit;
                // SAFETY: the bit was set, so the place holds a value; it is dropped once (its
                // bit is clear now, and `MaybeUninit` never drops it again).
                unsafe { value.assume_init_drop() };
            }
        });
    }
}

/// What a slot's waker does when woken: the ready queue's shared state implements it.
pub(crate) trait WakeSlot: Send + Sync + 'static {
    /// What each slot keeps in its entry, beside the way back to the table.
    type Slot: Send + Sync + 'static;

    /// Slot `slot`'s waker was woken, on any thread; `state` is its entry's.
    fn wake_slot(&self, slot: usize, state: &Self::Slot);
}

/// A waker and an `S::Slot` for each of a fixed number of slots, all from one `Arc` shared
/// with `S`: waking slot `i`'s waker calls `S::wake_slot(i, ..)`. Two allocations however many
/// slots.
pub(crate) struct WakerTable<S: WakeSlot> {
    table: Arc<Table<S>>,
}

/// The `Arc`'s contents.
struct Table<S: WakeSlot> {
    shared: S,
    entries: Box<[Entry<S>]>,
}

/// What slot `i`'s waker points to: the way back to its table, and the slot's state. `i` is the
/// entry's offset in the table's slice, so it needs no field.
struct Entry<S: WakeSlot> {
    /// The `Arc`'s contents, as `Arc::into_raw` gave them.
    table: *const Table<S>,
    state: S::Slot,
}

// SAFETY: the address is only read after construction, and what it leads to is reached as
// `&Table<S>`, which is `Send` and `Sync` when `S` and `S::Slot` are; the state is `Send`.
unsafe impl<S: WakeSlot> Send for Entry<S> {}
// SAFETY: as above; the state is `Sync`.
unsafe impl<S: WakeSlot> Sync for Entry<S> {}

impl<S: WakeSlot> WakerTable<S> {
    /// Every slot's waker: the data pointer is the slot's entry.
    const VTABLE: RawWakerVTable = RawWakerVTable::new(
        Self::clone_waker,
        Self::wake,
        Self::wake_by_ref,
        Self::drop_waker,
    );

    /// A table of `slots` wakers around `shared`, each slot's state made by `state`.
    pub(crate) fn new(shared: S, slots: usize, mut state: impl FnMut() -> S::Slot) -> Self {
        let entries = (0..slots)
            .map(|_| Entry {
                table: ptr::null(),
                state: state(),
            })
            .collect();
        let raw = Arc::into_raw(Arc::new(Table { shared, entries }));
        // SAFETY: `raw` came from `Arc::into_raw` just above: this takes its count back.
        let mut table = unsafe { Arc::from_raw(raw) };
        let only = Arc::get_mut(&mut table).expect("no waker exists yet: this is the only count");
        for entry in only.entries.iter_mut() {
            entry.table = raw;
        }
        WakerTable { table }
    }

    /// Slot `slot`'s state.
    #[inline]
    pub(crate) fn slot(&self, slot: usize) -> &S::Slot {
        &self.table.entries[slot].state
    }

    /// The shared state.
    #[inline]
    pub(crate) fn shared(&self) -> &S {
        &self.table.shared
    }

    /// Slot `slot`'s waker, lent: clone it to keep it.
    #[inline]
    pub(crate) fn waker(&self, slot: usize) -> WakerRef<'_> {
        let entry: *const Entry<S> = &self.table.entries[slot];
        // SAFETY: the data pointer is an entry of this table, which outlives the lent waker
        // (it borrows `self`, which holds a strong count); the `ManuallyDrop` keeps the lent
        // waker from giving back a count it does not own. The vtable's functions rely on
        // exactly that (the soundness argument at the top of this module).
        let waker = unsafe { Waker::from_raw(RawWaker::new(entry.cast(), &Self::VTABLE)) };
        WakerRef {
            waker: ManuallyDrop::new(waker),
            table: PhantomData,
        }
    }

    /// The table `data` (an entry of it) belongs to.
    ///
    /// # Safety
    ///
    /// `data` is an entry of a table that is alive for `'a`.
    #[inline]
    unsafe fn table<'a>(data: *const ()) -> &'a Table<S> {
        // SAFETY: the caller's promise: the entry and its table are alive, and only ever
        // reached through shared references.
        unsafe { &*(*data.cast::<Entry<S>>()).table }
    }

    /// # Safety
    ///
    /// `data` is an entry of a live table, and the caller holds a waker of it (owning a count,
    /// or lent by [`waker`](Self::waker)) for the call.
    unsafe fn clone_waker(data: *const ()) -> RawWaker {
        // SAFETY: a vtable function runs only for a waker of a live table (the soundness
        // argument), whose entry holds the `Arc`'s contents pointer; the new waker owns the
        // count added here.
        unsafe { Arc::increment_strong_count((*data.cast::<Entry<S>>()).table) };
        RawWaker::new(data, &Self::VTABLE)
    }

    /// # Safety
    ///
    /// `data` is an entry of a live table, and the caller gives up an owning waker of it.
    unsafe fn wake(data: *const ()) {
        // SAFETY: an owning waker of a live table gives its count to this `Arc` (the entry
        // holds `Arc::into_raw`'s pointer). The count goes back when `count` is dropped: after
        // the wake, or as `wake_by_ref` unwinds (it wakes the parent's waker, which may panic).
        let count = unsafe { Arc::from_raw((*data.cast::<Entry<S>>()).table) };
        // SAFETY: `count` keeps the table alive for the call.
        unsafe { Self::wake_by_ref(data) };
        drop(count);
    }

    /// # Safety
    ///
    /// `data` is an entry of a live table, of which the caller holds a waker for the call.
    unsafe fn wake_by_ref(data: *const ()) {
        // SAFETY: a waker of a live table, borrowed for this call.
        let table = unsafe { Self::table(data) };
        let entry = data.cast::<Entry<S>>();
        // SAFETY: `data` points into `table.entries` (it was made from an element of it), so
        // both pointers are in the same allocation and the offset is an element count.
        let slot = unsafe { entry.offset_from(table.entries.as_ptr()) };
        // SAFETY: an entry of the live table, reached through a shared reference.
        let state = unsafe { &(*entry).state };
        table.shared.wake_slot(slot as usize, state);
    }

    /// # Safety
    ///
    /// `data` is an entry of a live table, and the caller gives up an owning waker of it.
    unsafe fn drop_waker(data: *const ()) {
        // SAFETY: an owning waker gives back the count it owns, once (the `Waker` is being
        // dropped or consumed); the last count frees the table.
        unsafe { Arc::decrement_strong_count((*data.cast::<Entry<S>>()).table) };
    }
}

/// A slot's waker, lent by [`WakerTable::waker`]: usable as a `&Waker` while the table is
/// borrowed; `.clone()` makes one to keep.
pub struct WakerRef<'a> {
    /// Never dropped: it owns no strong count.
    waker: ManuallyDrop<Waker>,
    table: PhantomData<&'a ()>,
}

impl core::fmt::Debug for WakerRef<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.waker.fmt(f)
    }
}

impl Deref for WakerRef<'_> {
    type Target = Waker;

    #[inline]
    fn deref(&self) -> &Waker {
        &self.waker
    }
}
