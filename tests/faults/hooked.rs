//! The user code the helpers call, every call a hook of the run's [`Plan`]: children (streams and
//! futures run from a script), their items, keys, the parent's waker, and an input iterator.

use std::collections::VecDeque;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake};

use futures_core::Stream;

use crate::plan::{ChildRecord, Hook, ItemRecord, Plan};

/// What a child does at one poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `Pending`, having woken itself: polled again soon.
    SelfWake,
    /// `Pending`, its waker parked in the ledger for the driver to wake later, as I/O would.
    Park,
    /// An item (a stream's) or the output (a future's).
    Item,
    /// An `Err` item or output (for the `try_` helpers; a plain item elsewhere).
    Err,
}

/// An item or output, counted: made by a child, dropped once, handed out at most once.
#[derive(Debug)]
pub struct Item {
    id: usize,
    plan: Arc<Plan>,
    /// Given to the consumer: its drop is the consumer's, not a call the helper makes.
    handed_out: bool,
}

impl Item {
    fn new(plan: &Arc<Plan>, child: usize, err: bool) -> Self {
        let mut ledger = plan.ledger();
        ledger.items.push(ItemRecord {
            child,
            err,
            drops: 0,
            delivered: 0,
        });
        Item {
            id: ledger.items.len() - 1,
            plan: plan.clone(),
            handed_out: false,
        }
    }

    pub fn id(&self) -> usize {
        self.id
    }

    /// The child that made it.
    pub fn child(&self) -> usize {
        self.plan.ledger().items[self.id].child
    }

    /// The key (or input index) of the child that made it.
    pub fn child_key(&self) -> usize {
        let ledger = self.plan.ledger();
        ledger.children[ledger.items[self.id].child].key
    }

    /// Taken by the consumer (the driver), who drops it without a hook.
    pub fn hand_out(mut self) {
        self.plan.ledger().items[self.id].delivered += 1;
        self.handed_out = true;
    }
}

impl Drop for Item {
    fn drop(&mut self) {
        self.plan.ledger().items[self.id].drops += 1;
        if !self.handed_out {
            self.plan.call(Hook::ItemDrop);
        }
    }
}

/// What a child hands out: an [`Item`], or a `Result` of them for the `try_` helpers.
pub trait Output: Sized + Send + 'static {
    fn make(plan: &Arc<Plan>, child: usize, err: bool) -> Self;
}

impl Output for Item {
    fn make(plan: &Arc<Plan>, child: usize, _err: bool) -> Self {
        Item::new(plan, child, false)
    }
}

impl Output for Result<Item, Item> {
    fn make(plan: &Arc<Plan>, child: usize, err: bool) -> Self {
        let item = Item::new(plan, child, err);
        if err { Err(item) } else { Ok(item) }
    }
}

/// A stream or future that runs its script, one step per poll: a stream ends after its last
/// step, a future completes at its first `Item` or `Err`.
#[derive(Debug)]
pub struct Child<O> {
    id: usize,
    plan: Arc<Plan>,
    steps: VecDeque<Step>,
    output: PhantomData<fn() -> O>,
}

impl<O: Output> Child<O> {
    /// A child under `key` (the sets' key; its input index elsewhere) running `steps`.
    pub fn new(plan: &Arc<Plan>, key: usize, steps: Vec<Step>) -> Self {
        let mut ledger = plan.ledger();
        ledger.children.push(ChildRecord {
            key,
            ..ChildRecord::default()
        });
        Child {
            id: ledger.children.len() - 1,
            plan: plan.clone(),
            steps: steps.into(),
            output: PhantomData,
        }
    }

    pub fn id(&self) -> usize {
        self.id
    }

    /// The next step, after the poll's hook: a panic there (or in a waker it calls) is the
    /// child's poll panicking.
    fn step(&mut self, cx: &mut Context<'_>) -> Option<Step> {
        let plan = self.plan.clone();
        plan.polling(self.id, || self.run_step(cx))
    }

    fn run_step(&mut self, cx: &mut Context<'_>) -> Option<Step> {
        self.plan.call(Hook::Poll);
        let step = self.steps.pop_front();
        match step {
            Some(Step::SelfWake) => cx.waker().wake_by_ref(),
            Some(Step::Park) => self.plan.ledger().parked.push(cx.waker().clone()),
            Some(Step::Item | Step::Err) => {}
            None => self.finish(),
        }
        step
    }

    fn finish(&self) {
        self.plan.ledger().children[self.id].finished = true;
    }
}

impl<O: Output> Stream for Child<O> {
    type Item = O;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<O>> {
        let this = self.get_mut();
        match this.step(cx) {
            Some(Step::SelfWake | Step::Park) => Poll::Pending,
            Some(step) => Poll::Ready(Some(O::make(&this.plan, this.id, step == Step::Err))),
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.plan.call(Hook::SizeHint);
        (0, None)
    }
}

impl<O: Output> Future for Child<O> {
    type Output = O;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<O> {
        let this = self.get_mut();
        match this.step(cx) {
            Some(Step::SelfWake | Step::Park) => Poll::Pending,
            Some(step) => {
                this.finish();
                Poll::Ready(O::make(&this.plan, this.id, step == Step::Err))
            }
            None => panic!("child {} polled after it completed", this.id),
        }
    }
}

/// As an iterator (for `#[generator]`): its `Pending` steps are skipped, without waking.
impl<O: Output> Iterator for Child<O> {
    type Item = O;

    fn next(&mut self) -> Option<O> {
        let plan = self.plan.clone();
        plan.polling(self.id, || {
            self.plan.call(Hook::Poll);
            loop {
                match self.steps.pop_front() {
                    Some(Step::SelfWake | Step::Park) => {}
                    Some(step) => return Some(O::make(&self.plan, self.id, step == Step::Err)),
                    None => {
                        self.finish();
                        return None;
                    }
                }
            }
        })
    }
}

impl<O> Drop for Child<O> {
    fn drop(&mut self) {
        self.plan.ledger().children[self.id].drops += 1;
        self.plan.call(Hook::Drop);
    }
}

/// A sets' key: `Clone`, `Hash` and `Eq` are hooks.
#[derive(Debug)]
pub struct Key {
    pub n: usize,
    plan: Arc<Plan>,
}

impl Key {
    pub fn new(plan: &Arc<Plan>, n: usize) -> Self {
        Key {
            n,
            plan: plan.clone(),
        }
    }
}

impl Clone for Key {
    fn clone(&self) -> Self {
        self.plan.call(Hook::KeyClone);
        Key::new(&self.plan, self.n)
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.plan.call(Hook::KeyHash);
        self.n.hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.plan.call(Hook::KeyEq);
        self.n == other.n
    }
}

impl Eq for Key {}

/// The parent's waker: what the helper is polled with. Its wakes are hooks, and counted.
#[derive(Debug)]
pub struct Parent {
    plan: Arc<Plan>,
    wakes: AtomicUsize,
}

impl Parent {
    pub fn new(plan: &Arc<Plan>) -> Arc<Self> {
        Arc::new(Parent {
            plan: plan.clone(),
            wakes: AtomicUsize::new(0),
        })
    }

    /// Wakes that went through (not those that panicked).
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl Wake for Parent {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.plan.call(Hook::Wake);
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// The input of the `_limited` helpers: children pulled one at a time, `size_hint` a hook.
#[derive(Debug)]
pub struct Input<C> {
    children: std::vec::IntoIter<C>,
    plan: Arc<Plan>,
}

impl<C> Input<C> {
    pub fn new(plan: &Arc<Plan>, children: Vec<C>) -> Self {
        Input {
            children: children.into_iter(),
            plan: plan.clone(),
        }
    }
}

impl<C> Iterator for Input<C> {
    type Item = C;

    fn next(&mut self) -> Option<C> {
        self.children.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.plan.call(Hook::SizeHint);
        self.children.size_hint()
    }
}

/// The input of the `_limited` helpers as a stream (`from_stream`): before each child, some
/// `Pending`s from its script; each poll a `Poll` hook, `size_hint` a hook.
#[derive(Debug)]
pub struct Feed<O> {
    /// The children not pulled yet, each after its `Pending`s.
    children: VecDeque<(Vec<Step>, Child<O>)>,
    plan: Arc<Plan>,
}

impl<O> Feed<O> {
    /// `children`, each pulled after the `Pending`s (`SelfWake`, `Park`) of its script.
    pub fn new(plan: &Arc<Plan>, children: Vec<(Vec<Step>, Child<O>)>) -> Self {
        Feed {
            children: children.into(),
            plan: plan.clone(),
        }
    }
}

impl<O> Stream for Feed<O> {
    type Item = Child<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Child<O>>> {
        let this = self.get_mut();
        this.plan.call(Hook::Poll);
        let Some((pendings, _)) = this.children.front_mut() else {
            return Poll::Ready(None);
        };
        match pendings.pop() {
            Some(Step::SelfWake) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(_) => {
                this.plan.ledger().parked.push(cx.waker().clone());
                Poll::Pending
            }
            None => Poll::Ready(this.children.pop_front().map(|(_, child)| child)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.plan.call(Hook::SizeHint);
        (self.children.len(), Some(self.children.len()))
    }
}

impl<O> Drop for Feed<O> {
    /// The children still in it never got into the helper (dropped with the stream after it
    /// panicked, or with the helper): the user took them out, as a set's `remove` does. They
    /// are dropped after this, with the ledger unlocked (their drops lock it).
    fn drop(&mut self) {
        let mut ledger = self.plan.ledger();
        for (_, child) in &self.children {
            ledger.children[child.id].dismissed = true;
        }
    }
}
