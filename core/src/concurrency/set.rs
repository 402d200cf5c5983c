//! The engine behind [`StreamSet`](crate::StreamSet) and [`FutureSet`](crate::FutureSet): children
//! under keys, added and removed while the set runs, on `merge`'s ready queue.
//!
//! A child lives in a slot: pinned in place in a chunk of [`PinnedSlots`] (chunks are added as
//! the set grows, never moved), with a waker from the ready queue. The parent keeps, per slot,
//! what is there ([`Place`]) and a stack of free slots; a map finds a key's slot. Inserting takes
//! a free slot (the most recently freed: its memory is warm) or doubles the capacity; removing
//! frees the slot at once. So insert and remove are O(1), amortised over the doublings.
//!
//! The ready queue holds each slot at most once (in its stack or FIFO): that bounds its ring. A
//! slot outside a poll is idle (its child waits for a wake), queued (in the queue's stack or
//! FIFO), or, when free, held by the parent unqueued. Removing a child from an idle slot takes
//! the slot back ([`ReadyQueue::reclaim`]); from a queued one it cannot (the queue has it), so
//! the slot is marked as still queued: it may be reused at once (the new child is then polled
//! when the slot comes out of the queue, with no second push), and if it comes out still free
//! the parent just notes that it holds it now. So removals never make the set grow.
//!
//! Growing makes a new ready queue with twice the slots: the wakers the children hold point
//! into the old one, so every child is queued in the new one and polled once more (a spurious
//! poll, which `Future` and `Stream` allow), registering its new waker. That is O(N) once per
//! doubling: O(1) per insert, and none with [`with_capacity`](Set::with_capacity) covering the
//! set's size.
#![forbid(unsafe_code)]

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use hashbrown::HashTable;

use crate::concurrency::arena::{PinnedSlots, PlacesPinMut};
use crate::concurrency::child_panic::{self, ChildPanic};
use crate::concurrency::ready_queue::ReadyQueue;
use crate::concurrency::set_event::SetEvent;
use crate::concurrency::{POLL_BUDGET, coop};

/// What a child's poll gave.
pub(crate) enum Step<T> {
    /// An item, and the child may have more (a stream's).
    More(T),
    /// An item, and the child is done (a future's output).
    Last(T),
    /// The child is done without an item (a stream's end).
    Done,
}

/// How a set polls its children: streams or futures.
pub(crate) trait Kind<C> {
    type Item;
    fn poll(child: Pin<&mut C>, cx: &mut Context<'_>) -> Poll<Step<Self::Item>>;
    fn size_hint(child: &C) -> (usize, Option<usize>);
}

/// What the parent knows of a slot.
enum Place<K> {
    /// A child, under `key`, whose hash the index was given (so a child that ends, and the
    /// index's own growth, never hash a key again).
    Taken { key: K, hash: u64 },
    /// No child, and in the free stack. `queued`: the ready queue still has the slot (its child
    /// was removed while queued), so it comes out of [`ReadyQueue::next`] once more; otherwise
    /// the parent holds it unqueued.
    Free { queued: bool },
}

impl<K> Place<K> {
    /// The hash of the key in a taken place (the index asks only for its own entries').
    fn hash(&self) -> u64 {
        match self {
            Place::Taken { hash, .. } => *hash,
            Place::Free { .. } => unreachable!("the index holds only taken slots"),
        }
    }

    fn holds<Q>(&self, wanted: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        matches!(self, Place::Taken { key, .. } if key.borrow() == wanted)
    }
}

// The children are pinned in their chunks' heap blocks, which moving the set does not move;
// nothing else in it is ever pinned (keys included).
impl<K, C, D, H> Unpin for Set<K, C, D, H> {}

impl<K, C, D, H> Set<K, C, D, H> {
    /// The keys, for `Debug` (which asks nothing of them but `Debug`).
    pub(crate) fn debug_keys(&self) -> impl fmt::Debug + '_
    where
        K: fmt::Debug,
    {
        DebugKeys(&self.slots)
    }
}

struct DebugKeys<'a, K, C, H>(&'a Slots<K, C, H>);

impl<K: fmt::Debug, C, H> fmt::Debug for DebugKeys<'_, K, C, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// Children of type `C` under keys `K` (hashed by `H`), polled as `D` says.
pub(crate) struct Set<K, C, D, H> {
    slots: Slots<K, C, H>,
    /// `None` until the first insert (a new set allocates nothing).
    ready: Option<ReadyQueue>,
    /// The last poll handed out no item (`Pending` or `None`): a task may wait for the set, so
    /// an insert (or the removal of the last child) wakes it. After an item nothing is owed:
    /// the task polls again before it waits, so inserts between items spare the wake.
    waiting: bool,
    /// Departures not yet reported by [`poll_next_event`](Set::poll_next_event).
    left: Left<K>,
    kind: PhantomData<fn() -> D>,
}

/// The departures [`Set::poll_next_event`] reports before it polls a child: removals and
/// replacements (if asked for), and children whose poll or drop panicked during an event poll.
/// Nothing in it, and no allocation, unless one of those happens: `poll_next` never looks.
struct Left<K> {
    queue: VecDeque<(K, Gone)>,
    /// Removals and replacements are queued ([`Set::report_removals`]).
    removals: bool,
}

impl<K> Left<K> {
    /// A removal by key: queued for `poll_next_event` if removals are reported (and `None`
    /// comes back), else the key comes back to be dropped. Called before the child's drop,
    /// which may panic: a report is never lost to it.
    fn report_removal(&mut self, key: K) -> Option<K> {
        if self.removals {
            self.queue.push_back((key, Gone::Removed));
            None
        } else {
            Some(key)
        }
    }
}

/// How a child left, short of an event of its own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gone {
    Ended,
    Removed,
    Replaced,
}

impl Gone {
    fn event<K, T>(self, key: K) -> SetEvent<K, T> {
        match self {
            Gone::Ended => SetEvent::Ended(key),
            Gone::Removed => SetEvent::Removed(key),
            Gone::Replaced => SetEvent::Replaced(key),
        }
    }
}

/// Where the children are, and which key is where: everything of the set but its queue (kept
/// apart so a poll borrows the two at once).
struct Slots<K, C, H> {
    /// The children, a chunk per doubling: slot `i` is in the chunk that covers it.
    chunks: Vec<PinnedSlots<C>>,
    places: Vec<Place<K>>,
    /// Free slots, the most recently freed last.
    free: Vec<u32>,
    /// The taken slots, found by their keys' hashes (`HashTable` rather than `HashMap<K, u32>`:
    /// the key is stored once, in its place, and hashed once per insert or remove).
    index: HashTable<u32>,
    hasher: H,
    /// Chunk 0 has `2^base` slots.
    base: u32,
}

impl<K, C, H> Slots<K, C, H> {
    fn keys(&self) -> impl ExactSizeIterator<Item = &K> {
        self.index
            .iter()
            .map(|&slot| match &self.places[slot as usize] {
                Place::Taken { key, .. } => key,
                Place::Free { .. } => unreachable!("the index holds only taken slots"),
            })
    }

    /// The slot holding `key`, and the key's hash.
    fn find<Q>(&self, key: &Q) -> (u64, Option<usize>)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
        H: BuildHasher,
    {
        let hash = self.hasher.hash_one(key);
        let places = &self.places;
        let slot = self
            .index
            .find(hash, |&slot| places[slot as usize].holds(key))
            .map(|&slot| slot as usize);
        (hash, slot)
    }

    /// Which chunk holds `slot`, and where in it: chunk 0 covers the first `2^base` slots,
    /// chunk `k > 0` the `2^(base + k - 1)` after them (each growth doubles the capacity).
    #[inline]
    fn locate(&self, slot: usize) -> (usize, usize) {
        let above = slot >> self.base;
        if above == 0 {
            return (0, slot);
        }
        // `above` is in `[2^(k-1), 2^k)` for chunk `k`.
        let chunk = (usize::BITS - above.leading_zeros()) as usize;
        (chunk, slot - (1 << (self.base as usize + chunk - 1)))
    }

    /// Makes `slot` free (its child gone, its index entry removed) and gives its key back.
    fn free_slot(&mut self, slot: usize, queued: bool) -> K {
        self.free.push(slot as u32);
        match core::mem::replace(&mut self.places[slot], Place::Free { queued }) {
            Place::Taken { key, .. } => key,
            Place::Free { .. } => unreachable!("only a taken slot is freed"),
        }
    }

    /// Frees `slot`, whose child has just ended during its poll (so the parent holds the slot
    /// unqueued), and gives back its key; the child is still to drop. Freed first: if the
    /// child's drop panics, the set goes on without it.
    #[inline]
    fn leave(&mut self, slot: usize) -> K {
        self.unindex(slot);
        self.free_slot(slot, false)
    }

    /// Removes the index entry of taken `slot` (found by its key's stored hash: no key is
    /// hashed or compared).
    #[inline]
    fn unindex(&mut self, slot: usize) {
        let hash = self.places[slot].hash();
        let entry = self.index.find_entry(hash, |&other| other as usize == slot);
        debug_assert!(entry.is_ok(), "a taken slot is in the index");
        if let Ok(entry) = entry {
            entry.remove();
        }
    }

    /// [`leave`](Self::leave), then drops the child.
    fn end_child(&mut self, slot: usize, chunk: usize, offset: usize) -> K {
        let key = self.leave(slot);
        self.chunks[chunk].remove(offset);
        key
    }
}

impl<K, C, D, H> Set<K, C, D, H>
where
    K: Hash + Eq + Clone,
    D: Kind<C>,
    H: BuildHasher,
{
    /// An empty set whose keys `hasher` hashes; it allocates nothing until the first insert.
    pub(crate) fn with_hasher(hasher: H) -> Self {
        Set {
            slots: Slots {
                chunks: Vec::new(),
                places: Vec::new(),
                free: Vec::new(),
                index: HashTable::new(),
                hasher,
                base: 0,
            },
            ready: None,
            waiting: true,
            left: Left {
                queue: VecDeque::new(),
                removals: false,
            },
            kind: PhantomData,
        }
    }

    pub(crate) fn with_capacity_and_hasher(capacity: usize, hasher: H) -> Self {
        let mut set = Self::with_hasher(hasher);
        if capacity > 0 {
            set.grow_to(capacity);
        }
        set
    }

    pub(crate) fn hasher(&self) -> &H {
        &self.slots.hasher
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.index.len()
    }

    /// How many children fit without growing.
    pub(crate) fn capacity(&self) -> usize {
        self.slots.places.len()
    }

    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.slots.find(key).1.is_some()
    }

    pub(crate) fn keys(&self) -> impl ExactSizeIterator<Item = &K> {
        self.slots.keys()
    }

    /// Puts `child` under `key`. If a child is there already, `replace` puts the new one in its
    /// place (the old one dropped, or moved out and returned), and this returns what `replace`
    /// returned.
    ///
    /// `replace` must leave the new child in the place even if it panics (an assignment does:
    /// the old value's drop may panic, and the new one is written all the same).
    pub(crate) fn insert_with<R>(
        &mut self,
        key: K,
        child: C,
        replace: impl FnOnce(&mut PinnedSlots<C>, usize, C) -> R,
    ) -> Option<R> {
        let (hash, found) = self.slots.find(&key);
        if let Some(slot) = found {
            let ready = self.ready.as_mut().expect("a set with a child has a queue");
            // Idle: take it back and queue it; queued: the new child is polled when it comes out.
            if ready.reclaim(slot) {
                ready.push(slot);
            }
            let (chunk, offset) = self.slots.locate(slot);
            if self.left.removals {
                // Reported before the old child's drop, which may panic.
                self.left.queue.push_back((key, Gone::Replaced));
            }
            // The old child's drop may panic: the new child is in place then, queued, and the
            // task is woken before the panic goes on.
            let replaced =
                child_panic::catch(|| replace(&mut self.slots.chunks[chunk], offset, child));
            self.wake_if_waiting();
            return Some(replaced.unwrap_or_else(|panic| panic.resume()));
        }
        let slot = match self.slots.free.pop() {
            Some(slot) => slot as usize,
            None => {
                self.grow_to(self.capacity().saturating_mul(2).max(4));
                self.slots.free.pop().expect("growing frees slots") as usize
            }
        };
        let slots = &mut self.slots;
        let Place::Free { queued } = slots.places[slot] else {
            unreachable!("a slot in the free stack is free")
        };
        let (chunk, offset) = slots.locate(slot);
        slots.chunks[chunk].insert(offset, child);
        slots.places[slot] = Place::Taken { key, hash };
        let places = &slots.places;
        slots
            .index
            .insert_unique(hash, slot as u32, |&slot| places[slot as usize].hash());
        let ready = self
            .ready
            .as_mut()
            .expect("a set with capacity has a queue");
        if !queued {
            ready.push(slot);
        }
        self.wake_if_waiting();
        None
    }

    /// Takes `key`'s child out: `take` drops it or moves it out of its place, once the slot is
    /// free (so a drop that panics leaves the set without it). `None` if no child is under
    /// `key`.
    pub(crate) fn remove_with<Q, R>(
        &mut self,
        key: &Q,
        take: impl FnOnce(&mut PinnedSlots<C>, usize) -> R,
    ) -> Option<R>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let slots = &mut self.slots;
        let hash = slots.hasher.hash_one(key);
        let places = &slots.places;
        let (slot, _) = slots
            .index
            .find_entry(hash, |&slot| places[slot as usize].holds(key))
            .ok()?
            .remove();
        let slot = slot as usize;
        let ready = self.ready.as_mut().expect("a set with a child has a queue");
        let queued = !ready.reclaim(slot);
        let key = slots.free_slot(slot, queued);
        let reported = self.left.removals;
        // Unreported, dropped last, also as a panic unwinds.
        let _key = self.left.report_removal(key);
        let (chunk, offset) = slots.locate(slot);
        let removed = child_panic::catch(|| take(&mut slots.chunks[chunk], offset));
        if reported || self.slots.index.is_empty() {
            // A task waiting on the set learns of the removal, or that the set is empty now
            // (`Ready(None)`), also when the child's drop panicked.
            self.wake_if_waiting();
        }
        Some(removed.unwrap_or_else(|panic| panic.resume()))
    }

    /// Wakes the task that last polled the set if that poll handed out no item.
    fn wake_if_waiting(&mut self) {
        if self.waiting {
            self.waiting = false;
            if let Some(ready) = &self.ready {
                ready.wake_parent();
            }
        }
    }

    /// Grows to at least `capacity` slots, all free: the first growth to the power of two at or
    /// above it, each later one to twice the capacity (as `locate` needs). Every child is queued
    /// in a new ready queue.
    fn grow_to(&mut self, capacity: usize) {
        let slots = &mut self.slots;
        let old = slots.places.len();
        let new = if old == 0 {
            capacity.checked_next_power_of_two()
        } else {
            old.checked_mul(2)
        }
        .expect("capacity overflow");
        // First, before anything is allocated or changed: it checks the number of slots.
        let mut ready = ReadyQueue::new(new);
        if old == 0 {
            slots.base = new.trailing_zeros();
        }
        slots.chunks.push(PinnedSlots::empty(new - old));
        slots
            .places
            .extend((old..new).map(|_| Place::Free { queued: false }));
        // Room for every slot: freeing never allocates, and neither does indexing a key.
        slots.free.reserve(new - slots.free.len());
        let places = &slots.places;
        slots.index.reserve(new - slots.index.len(), |&slot| {
            places[slot as usize].hash()
        });
        // Reversed: the lowest slot is taken first.
        slots.free.extend((old..new).rev().map(|slot| slot as u32));
        for (slot, place) in slots.places.iter_mut().enumerate().take(old) {
            match place {
                Place::Taken { .. } => ready.push(slot),
                Place::Free { queued } => *queued = false,
            }
        }
        if let Some(old) = self.ready.replace(ready) {
            // A task waiting on the old queue's wakers polls again, and so meets the new ones.
            old.wake_parent();
        }
    }

    /// The next item of any child, with its key: one poll of the set.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<(K, D::Item)>> {
        let poll = coop::cooperate(cx, |cx| self.poll_children(cx));
        self.waiting = !matches!(poll, Poll::Ready(Some(_)));
        poll
    }

    /// `poll_next`'s own loop: [`poll_into`]'s, written out for one item, as it was before
    /// `next_many` and `next_event`. Through `poll_into` (with a sink that ends the poll at
    /// the first item) it cost 14 instructions more per item of a `StreamSet` of 64 ready
    /// streams, and 26 more of 64 woken ones (callgrind, `bench` profile): `next` must not pay
    /// for the other two. A change to one loop goes to the other too.
    #[inline]
    fn poll_children(&mut self, cx: &mut Context<'_>) -> Poll<Option<(K, D::Item)>> {
        let slots = &mut self.slots;
        let Some(ready) = self.ready.as_mut() else {
            return Poll::Ready(None); // never had a child
        };
        ready.start_poll();
        for _ in 0..POLL_BUDGET {
            if slots.index.is_empty() {
                return Poll::Ready(None);
            }
            let Some(slot) = ready.next(cx.waker()) else {
                return Poll::Pending;
            };
            let (chunk, offset) = slots.locate(slot);
            let key = match &mut slots.places[slot] {
                Place::Taken { key, .. } => key,
                Place::Free { queued } => {
                    // Removed while queued: the parent holds it now.
                    *queued = false;
                    continue;
                }
            };
            let Some(child) = slots.chunks[chunk].pin_mut(offset) else {
                // Never: a taken place holds a child (a replacing one is written even when the
                // old one's drop panics). Ended as a child that ended, rather than
                // `unreachable!`, whose panic path cost 2 instructions per item (callgrind).
                slots.end_child(slot, chunk, offset);
                continue;
            };
            let poll =
                child_panic::catch(|| D::poll(child, &mut Context::from_waker(&ready.waker(slot))));
            let poll = match poll {
                Ok(poll) => poll,
                Err(panic) => {
                    // The slot the poll holds is freed (held by the parent, unqueued, as a
                    // free slot is): the set never keeps a child it cannot poll.
                    slots.end_child(slot, chunk, offset);
                    panic.resume()
                }
            };
            match poll {
                Poll::Pending => ready.idle(slot),
                Poll::Ready(Step::More(item)) => {
                    // It may have more ready: after the others that are queued. Queued also if
                    // its key's `clone` panics: that loses this item, not the child.
                    let key =
                        child_panic::then_even_after_a_panic(|| key.clone(), || ready.push(slot));
                    return Poll::Ready(Some((key, item)));
                }
                Poll::Ready(Step::Last(item)) => {
                    let key = slots.end_child(slot, chunk, offset);
                    return Poll::Ready(Some((key, item)));
                }
                Poll::Ready(Step::Done) => {
                    slots.end_child(slot, chunk, offset);
                }
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// Up to `limit` items into `buffer`, in one poll of the set: how many, or `Pending` if
    /// none is ready; `Ready(0)` if the set is empty or `limit` is 0 (without polling a child).
    /// One unit of tokio's budget per call, as tokio's own `recv_many`.
    pub(crate) fn poll_next_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<(K, D::Item)>,
        limit: usize,
    ) -> Poll<usize> {
        if limit == 0 {
            return Poll::Ready(0);
        }
        let many = Many {
            buffer,
            limit,
            added: 0,
        };
        let poll = coop::cooperate(cx, |cx| {
            poll_into::<_, _, D, _, _>(&mut self.slots, self.ready.as_mut(), cx, many)
        });
        self.waiting = !matches!(poll, Poll::Ready(added) if added > 0);
        poll
    }

    /// The next event: a departure not yet reported (a removal, a replacement, a child whose
    /// poll or drop panicked), else the next item or end of a child. One poll of the set.
    pub(crate) fn poll_next_event(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<SetEvent<K, D::Item>>> {
        let poll = coop::cooperate(cx, |cx| {
            if let Some((key, gone)) = self.left.queue.pop_front() {
                return Poll::Ready(Some(gone.event(key)));
            }
            let events = Events {
                left: &mut self.left.queue,
                item: PhantomData,
            };
            poll_into::<_, _, D, _, _>(&mut self.slots, self.ready.as_mut(), cx, events)
        });
        self.waiting = !matches!(poll, Poll::Ready(Some(_)));
        poll
    }

    /// Whether removals and replacements by key are reported by
    /// [`poll_next_event`](Self::poll_next_event) from now on. Turned off, those not yet
    /// reported are dropped.
    pub(crate) fn report_removals(&mut self, report: bool) {
        self.left.removals = report;
        if !report {
            self.left.queue.retain(|(_, gone)| *gone == Gone::Ended);
        }
    }

    /// The children, in slot order (shared references: only for `size_hint`).
    pub(crate) fn size_hints(&self) -> impl Iterator<Item = (usize, Option<usize>)> + '_ {
        self.slots
            .chunks
            .iter()
            .flat_map(PinnedSlots::iter)
            .map(D::size_hint)
    }
}

/// Why a poll of the children ended without the sink ending it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Finish {
    /// No child is left.
    Empty,
    /// No child is ready (the parent's waker is registered, or it was woken for the children
    /// woken during their own poll).
    NoneReady,
    /// The budget of child polls is spent, with children still queued.
    OutOfBudget,
}

/// What a poll of the set by [`poll_into`] does with what its children give: fill a buffer
/// ([`Many`]), or report ends too ([`Events`]). (`poll_next`, which hands out one item, has
/// its own loop: [`Set::poll_children`].)
trait Sink<K, T> {
    type Out;
    /// The most child polls in this poll of the set.
    fn budget(&self) -> usize;
    /// An item of the child under `key`: `Some` ends the poll with it.
    fn item(&mut self, key: K, item: T) -> Option<Self::Out>;
    /// The child under `key` ended without an item (it is gone): `Some` ends the poll with it.
    fn ended(&mut self, key: K) -> Option<Self::Out>;
    /// The child under `key`, gone, panicked as it was polled: the panic goes on after this.
    fn panicked(&mut self, key: K);
    /// Drops the child that was under `key` (it has left the set) and gives the key back.
    fn drop_child(&mut self, key: K, drop: impl FnOnce()) -> K;
    /// The poll's result when it ends for `why`.
    fn finish(self, why: Finish) -> Poll<Self::Out>;
}

/// `poll_next_many`: items pushed on the caller's buffer, up to `limit`.
struct Many<'a, K, T> {
    buffer: &'a mut Vec<(K, T)>,
    limit: usize,
    added: usize,
}

impl<K, T> Sink<K, T> for Many<'_, K, T> {
    type Out = usize;

    /// `limit` polls when that is more than `POLL_BUDGET`: each item is work the caller asked
    /// for (as many calls of `poll_next` would poll as often), and the budget still bounds a
    /// poll that gets few items.
    #[inline]
    fn budget(&self) -> usize {
        POLL_BUDGET.max(self.limit)
    }

    #[inline]
    fn item(&mut self, key: K, item: T) -> Option<usize> {
        self.buffer.push((key, item));
        self.added += 1;
        (self.added == self.limit).then_some(self.added)
    }

    #[inline]
    fn ended(&mut self, _: K) -> Option<usize> {
        None
    }

    fn panicked(&mut self, _: K) {}

    #[inline]
    fn drop_child(&mut self, key: K, drop: impl FnOnce()) -> K {
        drop();
        key
    }

    #[inline]
    fn finish(self, why: Finish) -> Poll<usize> {
        match why {
            _ if self.added > 0 => Poll::Ready(self.added),
            Finish::Empty => Poll::Ready(0),
            Finish::NoneReady | Finish::OutOfBudget => Poll::Pending,
        }
    }
}

/// `poll_next_event`: an item or an end ends the poll; a child that panicked is queued to be
/// reported as ended by the next one.
struct Events<'a, K, T> {
    left: &'a mut VecDeque<(K, Gone)>,
    item: PhantomData<fn() -> T>,
}

impl<K, T> Sink<K, T> for Events<'_, K, T> {
    type Out = Option<SetEvent<K, T>>;

    fn budget(&self) -> usize {
        POLL_BUDGET
    }

    fn item(&mut self, key: K, item: T) -> Option<Self::Out> {
        Some(Some(SetEvent::Item(key, item)))
    }

    fn ended(&mut self, key: K) -> Option<Self::Out> {
        Some(Some(SetEvent::Ended(key)))
    }

    fn panicked(&mut self, key: K) {
        self.left.push_back((key, Gone::Ended));
    }

    /// A child whose drop panics is reported as ended by the next poll: its end (or last
    /// item) is lost with the panic, its departure is not.
    fn drop_child(&mut self, key: K, drop: impl FnOnce()) -> K {
        match child_panic::catch(drop) {
            Ok(()) => key,
            Err(panic) => {
                self.left.push_back((key, Gone::Ended));
                panic.resume()
            }
        }
    }

    fn finish(self, why: Finish) -> Poll<Self::Out> {
        match why {
            Finish::Empty => Poll::Ready(None),
            Finish::NoneReady | Finish::OutOfBudget => Poll::Pending,
        }
    }
}

/// One poll of the children: those queued, in the order they woke, each polled at most once
/// (one woken during its own poll waits for the next poll of the set), within the sink's
/// budget of child polls; what they give goes to `sink`.
#[inline]
fn poll_into<K, C, D, H, O>(
    slots: &mut Slots<K, C, H>,
    ready: Option<&mut ReadyQueue>,
    cx: &mut Context<'_>,
    mut sink: O,
) -> Poll<O::Out>
where
    K: Clone,
    D: Kind<C>,
    O: Sink<K, D::Item>,
{
    let Some(ready) = ready else {
        return sink.finish(Finish::Empty); // never had a child
    };
    ready.start_poll();
    for _ in 0..sink.budget() {
        if slots.index.is_empty() {
            return sink.finish(Finish::Empty);
        }
        let Some(slot) = ready.next(cx.waker()) else {
            return sink.finish(Finish::NoneReady);
        };
        let (chunk, offset) = slots.locate(slot);
        let key = match &mut slots.places[slot] {
            Place::Taken { key, .. } => key,
            Place::Free { queued } => {
                // Removed while queued: the parent holds it now.
                *queued = false;
                continue;
            }
        };
        let Some(child) = slots.chunks[chunk].pin_mut(offset) else {
            // Never: a taken place holds a child (a replacing one is written even when the
            // old one's drop panics). Ended as a child that ended, rather than
            // `unreachable!`, whose panic path cost 2 instructions per item (callgrind).
            slots.end_child(slot, chunk, offset);
            continue;
        };
        let poll =
            child_panic::catch(|| D::poll(child, &mut Context::from_waker(&ready.waker(slot))));
        let poll = match poll {
            Ok(poll) => poll,
            Err(panic) => {
                // The slot the poll holds is freed (held by the parent, unqueued, as a
                // free slot is): the set never keeps a child it cannot poll.
                let key = slots.leave(slot);
                let key = sink.drop_child(key, || slots.chunks[chunk].remove(offset));
                sink.panicked(key);
                panic.resume()
            }
        };
        let out = match poll {
            Poll::Pending => {
                ready.idle(slot);
                continue;
            }
            Poll::Ready(Step::More(item)) => {
                // It may have more ready: after the others that are queued. Queued also if
                // its key's `clone` panics: that loses this item, not the child.
                let key = child_panic::then_even_after_a_panic(|| key.clone(), || ready.push(slot));
                sink.item(key, item)
            }
            Poll::Ready(Step::Last(item)) => {
                let key = slots.leave(slot);
                let key = sink.drop_child(key, || slots.chunks[chunk].remove(offset));
                sink.item(key, item)
            }
            Poll::Ready(Step::Done) => {
                let key = slots.leave(slot);
                let key = sink.drop_child(key, || slots.chunks[chunk].remove(offset));
                sink.ended(key)
            }
        };
        if let Some(out) = out {
            return Poll::Ready(out);
        }
    }
    let poll = sink.finish(Finish::OutOfBudget);
    if poll.is_pending() {
        cx.waker().wake_by_ref();
    }
    poll
}

// The access API (issue 28): a child by key, every child, and removals of many. Each removal
// is `remove_with`'s: the slot freed first, its child and key dropped after.
impl<K, C, D, H> Set<K, C, D, H> {
    /// `key`'s child.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&C>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
        H: BuildHasher,
    {
        let slot = self.slots.find(key).1?;
        let (chunk, offset) = self.slots.locate(slot);
        self.slots.chunks[chunk].get(offset)
    }

    /// `key`'s child, pinned.
    pub(crate) fn get_pin_mut<Q>(&mut self, key: &Q) -> Option<Pin<&mut C>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
        H: BuildHasher,
    {
        let slot = self.slots.find(key).1?;
        let (chunk, offset) = self.slots.locate(slot);
        self.slots.chunks[chunk].pin_mut(offset)
    }

    /// Queues `key`'s child (every child: `None`) for the set's next poll, as if it had
    /// woken: a close left pending by its closer goes on there (`StreamSet`'s `Close`).
    pub(crate) fn queue<Q>(&self, key: Option<&Q>)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
        H: BuildHasher,
    {
        let Some(ready) = &self.ready else { return };
        let wake = |slot: usize| ready.waker(slot).wake_by_ref();
        match key {
            Some(key) => self.slots.find(key).1.into_iter().for_each(wake),
            None => (0..self.slots.places.len())
                .filter(|slot| matches!(self.slots.places[*slot], Place::Taken { .. }))
                .for_each(wake),
        }
    }

    /// Every child with its key, in slot order.
    pub(crate) fn iter(&self) -> SetIter<'_, K, C> {
        SetIter {
            places: self.slots.places.iter(),
            chunks: self.slots.chunks.iter(),
            chunk: [].iter(),
            left: self.slots.index.len(),
        }
    }

    /// Every child with its key, pinned, in slot order.
    pub(crate) fn iter_pin_mut(&mut self) -> SetIterPinMut<'_, K, C> {
        let left = self.slots.index.len();
        let Slots { places, chunks, .. } = &mut self.slots;
        SetIterPinMut {
            places: places.iter(),
            chunks: chunks.iter_mut(),
            chunk: None,
            left,
        }
    }

    /// The children with their keys, moved out (so only `Unpin` ones).
    pub(crate) fn into_children(self) -> SetIntoIter<K, C>
    where
        C: Unpin,
    {
        // The ready queue goes: the wakers the children hold keep its table alive.
        SetIntoIter {
            left: self.slots.index.len(),
            places: self.slots.places.into_iter(),
            chunks: self.slots.chunks.into_iter(),
            chunk: Vec::new().into_iter(),
        }
    }
}

// The removals of many: `wake_if_waiting` is in the block with the poll's bounds.
impl<K, C, D, H> Set<K, C, D, H>
where
    K: Hash + Eq + Clone,
    D: Kind<C>,
    H: BuildHasher,
{
    /// Drops every child (and key), keeping the capacity.
    pub(crate) fn clear(&mut self) {
        if self.slots.index.is_empty() {
            return;
        }
        let mut first_panic = None;
        // Downwards, so the lowest slot is on top of the free stack, as after a growth.
        for slot in (0..self.slots.places.len()).rev() {
            if matches!(self.slots.places[slot], Place::Taken { .. }) {
                if let Err(panic) = self.drop_child(slot) {
                    first_panic.get_or_insert(panic);
                }
            }
        }
        self.removed_some(first_panic);
    }

    /// Drops the children for which `keep` returns `false`; `keep` sees each child once, in
    /// slot order. If `keep` panics, the children it has not seen yet (and the one it panicked
    /// on) stay.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&K, Pin<&mut C>) -> bool) {
        let mut first_panic = None;
        let mut removed = false;
        for slot in 0..self.slots.places.len() {
            let (chunk, offset) = self.slots.locate(slot);
            let Slots { places, chunks, .. } = &mut self.slots;
            let Place::Taken { key, .. } = &places[slot] else {
                continue;
            };
            let Some(child) = chunks[chunk].pin_mut(offset) else {
                continue;
            };
            match child_panic::catch(|| keep(key, child)) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(panic) => {
                    first_panic.get_or_insert(panic);
                    break;
                }
            }
            removed = true;
            if let Err(panic) = self.drop_child(slot) {
                first_panic.get_or_insert(panic);
            }
        }
        if removed {
            self.removed_some(first_panic);
        } else if let Some(panic) = first_panic {
            panic.resume();
        }
    }

    /// Takes the child in the taken `slot` out of the set (index entry, ready queue, free
    /// stack: as `remove_with`), then drops it and its key (or queues the key's `Removed`
    /// report, when removals are reported), each drop caught so the other one (and the
    /// caller's next) still happens.
    fn drop_child(&mut self, slot: usize) -> Result<(), ChildPanic> {
        let slots = &mut self.slots;
        slots.unindex(slot);
        let ready = self.ready.as_mut().expect("a set with a child has a queue");
        let queued = !ready.reclaim(slot);
        let key = self.left.report_removal(slots.free_slot(slot, queued));
        let (chunk, offset) = slots.locate(slot);
        let child = child_panic::catch(|| slots.chunks[chunk].remove(offset));
        let key = child_panic::catch(|| drop(key));
        child.and(key)
    }

    /// After children were dropped: a task waiting on a set left empty, or on the removals'
    /// reports, learns it, then the first panic of their drops goes on.
    fn removed_some(&mut self, first_panic: Option<ChildPanic>) {
        if self.left.removals || self.slots.index.is_empty() {
            self.wake_if_waiting();
        }
        if let Some(panic) = first_panic {
            panic.resume();
        }
    }
}

/// The children of a [`FutureSet`](crate::FutureSet) or [`StreamSet`](crate::StreamSet) with their
/// keys, in no particular order: what their `iter()` returns.
///
/// # Examples
///
/// ```
/// use asyncgen::{SetIter, StreamSet};
/// use futures::stream::{self, Iter};
/// use std::ops::Range;
///
/// let mut set = StreamSet::new();
/// set.insert('a', stream::iter(0..3));
/// let iter: SetIter<'_, char, Iter<Range<i32>>> = set.iter();
/// assert_eq!(iter.len(), 1);
/// ```
pub struct SetIter<'a, K, C> {
    places: core::slice::Iter<'a, Place<K>>,
    chunks: core::slice::Iter<'a, PinnedSlots<C>>,
    chunk: core::slice::Iter<'a, Option<C>>,
    left: usize,
}

impl<'a, K, C> Iterator for SetIter<'a, K, C> {
    type Item = (&'a K, &'a C);

    fn next(&mut self) -> Option<Self::Item> {
        while self.left > 0 {
            let place = self.places.next()?;
            let child = loop {
                match self.chunk.next() {
                    Some(child) => break child,
                    None => self.chunk = self.chunks.next()?.places(),
                }
            };
            if let (Place::Taken { key, .. }, Some(child)) = (place, child) {
                self.left -= 1;
                return Some((key, child));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<K, C> ExactSizeIterator for SetIter<'_, K, C> {}

impl<K, C> core::iter::FusedIterator for SetIter<'_, K, C> {}

impl<K, C> Clone for SetIter<'_, K, C> {
    fn clone(&self) -> Self {
        SetIter {
            places: self.places.clone(),
            chunks: self.chunks.clone(),
            chunk: self.chunk.clone(),
            left: self.left,
        }
    }
}

impl<K: fmt::Debug, C> fmt::Debug for SetIter<'_, K, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetIter")
            .field("left", &self.left)
            .finish_non_exhaustive()
    }
}

/// The children of a [`FutureSet`](crate::FutureSet) or [`StreamSet`](crate::StreamSet) with their
/// keys, each pinned, in no particular order: what their `iter_pin_mut()` returns.
///
/// # Examples
///
/// ```
/// use asyncgen::{SetIterPinMut, StreamSet};
/// use futures::stream::{self, Iter};
/// use std::ops::Range;
///
/// let mut set = StreamSet::new();
/// set.insert('a', stream::iter(0..3));
/// let iter: SetIterPinMut<'_, char, Iter<Range<i32>>> = set.iter_pin_mut();
/// assert_eq!(iter.len(), 1);
/// ```
pub struct SetIterPinMut<'a, K, C> {
    places: core::slice::Iter<'a, Place<K>>,
    chunks: core::slice::IterMut<'a, PinnedSlots<C>>,
    chunk: Option<PlacesPinMut<'a, C>>,
    left: usize,
}

impl<'a, K, C> Iterator for SetIterPinMut<'a, K, C> {
    type Item = (&'a K, Pin<&'a mut C>);

    fn next(&mut self) -> Option<Self::Item> {
        while self.left > 0 {
            let place = self.places.next()?;
            let child = loop {
                match self.chunk.as_mut().and_then(Iterator::next) {
                    Some(child) => break child,
                    None => self.chunk = Some(self.chunks.next()?.places_pin_mut()),
                }
            };
            if let (Place::Taken { key, .. }, Some(child)) = (place, child) {
                self.left -= 1;
                return Some((key, child));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<K, C> ExactSizeIterator for SetIterPinMut<'_, K, C> {}

impl<K, C> core::iter::FusedIterator for SetIterPinMut<'_, K, C> {}

impl<K: fmt::Debug, C> fmt::Debug for SetIterPinMut<'_, K, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetIterPinMut")
            .field("left", &self.left)
            .finish_non_exhaustive()
    }
}

/// The `Unpin` children of a [`FutureSet`](crate::FutureSet) or [`StreamSet`](crate::StreamSet)
/// with their keys, each as `&mut`, in no particular order: what their `iter_mut()` returns.
///
/// # Examples
///
/// ```
/// use asyncgen::{SetIterMut, StreamSet};
/// use futures::stream::{self, Iter};
/// use std::ops::Range;
///
/// let mut set = StreamSet::new();
/// set.insert('a', stream::iter(0..3));
/// let iter: SetIterMut<'_, char, Iter<Range<i32>>> = set.iter_mut();
/// assert_eq!(iter.len(), 1);
/// ```
pub struct SetIterMut<'a, K, C>(pub(crate) SetIterPinMut<'a, K, C>);

impl<'a, K, C: Unpin> Iterator for SetIterMut<'a, K, C> {
    type Item = (&'a K, &'a mut C);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next()
            .map(|(key, child)| (key, Pin::into_inner(child)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, C: Unpin> ExactSizeIterator for SetIterMut<'_, K, C> {}

impl<K, C: Unpin> core::iter::FusedIterator for SetIterMut<'_, K, C> {}

impl<K: fmt::Debug, C> fmt::Debug for SetIterMut<'_, K, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetIterMut")
            .field("left", &self.0.left)
            .finish_non_exhaustive()
    }
}

/// The `Unpin` children of a [`FutureSet`](crate::FutureSet) or [`StreamSet`](crate::StreamSet)
/// with their keys, moved out of the set, in no particular order: what their `into_iter()`
/// returns. The children it does not reach are dropped with it.
///
/// # Examples
///
/// ```
/// use asyncgen::{SetIntoIter, StreamSet};
/// use futures::stream::{self, Iter};
/// use std::ops::Range;
///
/// let mut set = StreamSet::new();
/// set.insert('a', stream::iter(0..3));
/// let mut iter: SetIntoIter<char, Iter<Range<i32>>> = set.into_iter();
/// assert_eq!(iter.next().map(|(key, _)| key), Some('a'));
/// ```
pub struct SetIntoIter<K, C> {
    places: alloc::vec::IntoIter<Place<K>>,
    chunks: alloc::vec::IntoIter<PinnedSlots<C>>,
    chunk: alloc::vec::IntoIter<Option<C>>,
    left: usize,
}

impl<K, C: Unpin> Iterator for SetIntoIter<K, C> {
    type Item = (K, C);

    fn next(&mut self) -> Option<Self::Item> {
        while self.left > 0 {
            let place = self.places.next()?;
            let child = loop {
                match self.chunk.next() {
                    Some(child) => break child,
                    None => self.chunk = self.chunks.next()?.into_places(),
                }
            };
            if let (Place::Taken { key, .. }, Some(child)) = (place, child) {
                self.left -= 1;
                return Some((key, child));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<K, C: Unpin> ExactSizeIterator for SetIntoIter<K, C> {}

impl<K, C: Unpin> core::iter::FusedIterator for SetIntoIter<K, C> {}

impl<K: fmt::Debug, C> fmt::Debug for SetIntoIter<K, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetIntoIter")
            .field("left", &self.left)
            .finish_non_exhaustive()
    }
}
