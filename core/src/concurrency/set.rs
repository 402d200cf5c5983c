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

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};

use hashbrown::HashTable;

use crate::concurrency::arena::PinnedSlots;
use crate::concurrency::child_panic;
use crate::concurrency::ready_queue::ReadyQueue;
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
    kind: PhantomData<fn() -> D>,
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
    /// unqueued), then drops the child; returns its key. Freed first: if the child's drop
    /// panics, the set goes on without it.
    fn end_child(&mut self, slot: usize, chunk: usize, offset: usize) -> K {
        let hash = self.places[slot].hash();
        let entry = self.index.find_entry(hash, |&other| other as usize == slot);
        debug_assert!(entry.is_ok(), "a taken slot is in the index");
        if let Ok(entry) = entry {
            entry.remove();
        }
        let key = self.free_slot(slot, false);
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
        let _key = slots.free_slot(slot, queued); // dropped last, also as a panic unwinds
        let (chunk, offset) = slots.locate(slot);
        let removed = child_panic::catch(|| take(&mut slots.chunks[chunk], offset));
        if self.slots.index.is_empty() {
            // A task waiting on the set learns that it is empty now (`Ready(None)`), also
            // when the child's drop panicked.
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

    /// The child under `key`, pinned; `None` if there is none. Nothing changes: it is not
    /// polled, and its slot stays as it was. (`SpawnSet::abort` reaches a task this way.)
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn get_pin_mut<Q>(&mut self, key: &Q) -> Option<Pin<&mut C>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let slot = self.slots.find(key).1?;
        let (chunk, offset) = self.slots.locate(slot);
        self.slots.chunks[chunk].pin_mut(offset)
    }

    /// Calls `f` with each child and its key, pinned, in slot order; nothing else changes. If
    /// `f` panics, the children after that one are not visited.
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn for_each_pin_mut(&mut self, mut f: impl FnMut(&K, Pin<&mut C>)) {
        let slots = &mut self.slots;
        for (slot, place) in slots.places.iter().enumerate() {
            if let Place::Taken { key, .. } = place {
                let (chunk, offset) = slots.locate(slot);
                if let Some(child) = slots.chunks[chunk].pin_mut(offset) {
                    f(key, child);
                }
            }
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
