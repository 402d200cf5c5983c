//! `#[async_gen]` and `#[generator]` in traits: `boxed` / `boxed_local` methods declared
//! without a body, default methods, impls, `dyn Trait` use, `Send` across threads,
//! recursion, unboxed methods (return-position `impl Trait` in traits), and the signatures
//! that take the `'_`, `'asyncgen` and `'static` lifetime paths.

use std::cell::RefCell;
use std::fmt::Display;
use std::rc::Rc;
use std::sync::Arc;

use asyncgen::{async_gen, for_await, generator, yield_, yield_all};
use futures::StreamExt;
use futures::executor::block_on;
use support::collect;

trait Source: Sync {
    #[async_gen(boxed)]
    async fn items(&self) -> u32;

    #[async_gen(boxed)]
    async fn doubled(&self) -> u32 {
        #[for_await]
        for item in self.items() {
            yield_!(item * 2);
        }
    }

    #[async_gen(boxed)]
    async fn twice(&self) -> u32 {
        yield_all!(self.items());
        yield_all!(self.items());
    }
}

struct Span {
    start: u32,
    end: u32,
}

impl Source for Span {
    #[async_gen(boxed)]
    async fn items(&self) -> u32 {
        for item in self.start..self.end {
            // A real suspension point, so a spawned stream may move between threads.
            tokio::task::yield_now().await;
            yield_!(item);
        }
    }
}

struct Listed(Vec<u32>);

impl Source for Listed {
    #[async_gen(boxed)]
    async fn items(&self) -> u32 {
        yield_all!(self.0.iter().copied());
    }

    #[async_gen(boxed)]
    async fn doubled(&self) -> u32 {
        for item in &self.0 {
            yield_!(item + item + 1000);
        }
    }
}

/// A `boxed` trait method declared without a body, implemented by two structs.
#[tokio::test]
async fn boxed_method_implemented_by_two_structs() {
    let span: Vec<u32> = Span { start: 1, end: 4 }.items().collect().await;
    assert_eq!(span, [1, 2, 3]);
    let listed: Vec<u32> = Listed(vec![7, 5]).items().collect().await;
    assert_eq!(listed, [7, 5]);
}

/// Default methods built on the required one, through `#[for_await]` and `yield_all!`, and an
/// impl overriding a default.
#[tokio::test]
async fn default_methods_use_the_required_method() {
    let span = Span { start: 1, end: 3 };
    assert_eq!(span.doubled().collect::<Vec<_>>().await, [2, 4]);
    assert_eq!(span.twice().collect::<Vec<_>>().await, [1, 2, 1, 2]);
    let listed = Listed(vec![3]);
    assert_eq!(listed.twice().collect::<Vec<_>>().await, [3, 3]);
    assert_eq!(listed.doubled().collect::<Vec<_>>().await, [1006]);
}

/// Heterogeneous `Vec<Box<dyn Source>>`, `&dyn Source` and `Arc<dyn Source>`.
#[tokio::test]
#[for_await]
async fn used_through_dyn_trait() {
    let sources: Vec<Box<dyn Source>> = vec![
        Box::new(Span { start: 0, end: 2 }),
        Box::new(Listed(vec![9])),
    ];
    let mut all = Vec::new();
    for source in &sources {
        #[for_await]
        for item in source.doubled() {
            all.push(item);
        }
    }
    assert_eq!(all, [0, 2, 1018]);
    let by_ref: &dyn Source = &Listed(vec![4, 4]);
    assert_eq!(by_ref.items().collect::<Vec<_>>().await, [4, 4]);
    let shared: Arc<dyn Source + Send> = Arc::new(Span { start: 5, end: 6 });
    assert_eq!(shared.twice().collect::<Vec<_>>().await, [5, 5]);
}

/// A `Box<dyn Source + Send>` moved into a task on a multi-thread runtime and consumed there:
/// the boxed streams are `Send`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boxed_dyn_stream_consumed_in_spawned_task() {
    let sources: Vec<Box<dyn Source + Send>> = vec![
        Box::new(Span { start: 1, end: 4 }),
        Box::new(Listed(vec![8])),
    ];
    let tasks: Vec<_> = sources
        .into_iter()
        .map(|source| {
            tokio::spawn(async move {
                let mut items = source.doubled().collect::<Vec<_>>().await;
                items.extend(source.twice().collect::<Vec<_>>().await);
                items
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    assert_eq!(results, [vec![2, 4, 6, 1, 2, 3, 1, 2, 3], vec![1016, 8, 8]]);
}

trait LocalSource {
    #[async_gen(boxed_local)]
    async fn items(&self) -> u32;
}

struct Shared(Rc<RefCell<Vec<u32>>>);

impl LocalSource for Shared {
    #[async_gen(boxed_local)]
    async fn items(&self) -> u32 {
        // An `Rc` held across yields: the stream is not `Send`, which `boxed_local` allows.
        let values = Rc::clone(&self.0);
        let mut index = 0;
        loop {
            let next = values.borrow().get(index).copied();
            match next {
                Some(value) => yield_!(value),
                None => break,
            }
            index += 1;
        }
    }
}

/// A `boxed_local` method whose impl holds and yields through an `Rc<RefCell<..>>`: it sees
/// values pushed between two items.
#[test]
fn boxed_local_method_yields_through_rc() {
    let shared = Shared(Rc::new(RefCell::new(vec![1, 2])));
    let handle = Rc::clone(&shared.0);
    let mut stream = shared.items();
    assert_eq!(block_on(stream.next()), Some(1));
    handle.borrow_mut().push(3);
    assert_eq!(collect(stream), [2, 3]);
    let sources: Vec<Box<dyn LocalSource>> = vec![Box::new(shared)];
    assert_eq!(collect(sources[0].items()), [1, 2, 3]);
}

struct Dir {
    name: String,
    files: Vec<String>,
    children: Vec<Dir>,
}

fn dir(name: &str, files: &[&str], children: Vec<Dir>) -> Dir {
    Dir {
        name: name.to_owned(),
        files: files.iter().map(|file| (*file).to_owned()).collect(),
        children,
    }
}

fn tree() -> Dir {
    dir(
        "root",
        &["a.txt"],
        vec![
            dir(
                "src",
                &["lib.rs", "main.rs"],
                vec![dir("bin", &["x.rs"], vec![])],
            ),
            dir("empty", &[], vec![]),
            dir("docs", &["index.md"], vec![]),
        ],
    )
}

const TREE_PATHS: [&str; 10] = [
    "root/",
    "root/a.txt",
    "root/src/",
    "root/src/lib.rs",
    "root/src/main.rs",
    "root/src/bin/",
    "root/src/bin/x.rs",
    "root/empty/",
    "root/docs/",
    "root/docs/index.md",
];

#[async_gen(boxed)]
async fn walk(dir: &Dir, prefix: String) -> String {
    let path = format!("{prefix}{}/", dir.name);
    yield_!(path.clone());
    for file in &dir.files {
        yield_!(format!("{path}{file}"));
    }
    for child in &dir.children {
        yield_all!(walk(child, path.clone()));
    }
}

#[async_gen(boxed)]
async fn walk_for_await(dir: &Dir, prefix: String) -> String {
    let path = format!("{prefix}{}/", dir.name);
    yield_!(path.clone());
    for file in &dir.files {
        yield_!(format!("{path}{file}"));
    }
    for child in &dir.children {
        #[for_await]
        for entry in walk_for_await(child, path.clone()) {
            yield_!(entry);
        }
    }
}

/// A recursive directory walk, recursing through `yield_all!` and through `#[for_await]`:
/// paths in pre-order, and lazy (a prefix stops early).
#[test]
fn recursive_directory_walk() {
    let root = tree();
    assert_eq!(collect(walk(&root, String::new())), TREE_PATHS);
    assert_eq!(collect(walk_for_await(&root, String::new())), TREE_PATHS);
    assert_eq!(
        collect(walk(&root, String::from("/")).take(3)),
        ["/root/", "/root/a.txt", "/root/src/"]
    );
}

/// The recursive walk's stream is `Send`: built and consumed in a task on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recursive_walk_in_spawned_task() {
    let paths = tokio::spawn(async {
        let root = tree();
        walk(&root, String::new()).collect::<Vec<_>>().await
    });
    assert_eq!(paths.await.unwrap(), TREE_PATHS);
}

trait Paths: Sync {
    #[async_gen(boxed)]
    async fn paths(&self, prefix: &str) -> String;
}

impl Paths for Dir {
    #[async_gen(boxed)]
    async fn paths(&self, prefix: &str) -> String {
        let path = format!("{prefix}{}/", self.name);
        yield_!(path.clone());
        for file in &self.files {
            yield_!(format!("{path}{file}"));
        }
        for child in &self.children {
            yield_all!(child.paths(&path));
        }
    }
}

/// A recursive trait method with two borrowed arguments (the `'asyncgen` path), also used
/// through `dyn Paths`.
#[test]
fn recursive_trait_method_with_borrowed_args() {
    let root = tree();
    assert_eq!(collect(root.paths("")), TREE_PATHS);
    let dyn_root: &dyn Paths = &root;
    let prefix = String::from("~/");
    assert_eq!(
        collect(dyn_root.paths(&prefix).take(2)),
        ["~/root/", "~/root/a.txt"]
    );
}

trait Tree: Sync {
    #[generator(boxed)]
    fn values(&self) -> u32;

    #[generator(boxed)]
    fn with_depth(&self, depth: usize) -> (usize, u32);

    #[generator(boxed)]
    fn sum_first(&self, count: usize) -> u32 {
        let mut sum = 0;
        for value in self.values().take(count) {
            sum += value;
            yield_!(sum);
        }
    }
}

struct Leaf(u32);

struct Node {
    value: u32,
    children: Vec<Box<dyn Tree>>,
}

impl Tree for Leaf {
    #[generator(boxed)]
    fn values(&self) -> u32 {
        yield_!(self.0);
    }

    #[generator(boxed)]
    fn with_depth(&self, depth: usize) -> (usize, u32) {
        yield_!((depth, self.0));
    }
}

impl Tree for Node {
    #[generator(boxed)]
    fn values(&self) -> u32 {
        yield_!(self.value);
        for child in &self.children {
            yield_all!(child.values());
        }
    }

    #[generator(boxed)]
    fn with_depth(&self, depth: usize) -> (usize, u32) {
        yield_!((depth, self.value));
        for child in &self.children {
            for entry in child.with_depth(depth + 1) {
                yield_!(entry);
            }
        }
    }
}

fn sync_tree() -> Node {
    Node {
        value: 1,
        children: vec![
            Box::new(Node {
                value: 2,
                children: vec![Box::new(Leaf(3)), Box::new(Leaf(4))],
            }),
            Box::new(Leaf(5)),
        ],
    }
}

/// `#[generator(boxed)]` in a trait: a recursive sync walk over a tree of `Box<dyn Tree>`,
/// through `yield_all!` and a plain `for` loop, and a default method built on it.
#[test]
fn boxed_generator_trait_recursive_walk() {
    let tree = sync_tree();
    assert_eq!(tree.values().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(
        tree.with_depth(0).collect::<Vec<_>>(),
        [(0, 1), (1, 2), (2, 3), (2, 4), (1, 5)]
    );
    assert_eq!(tree.sum_first(3).collect::<Vec<_>>(), [1, 3, 6]);
    let iter: Box<dyn Iterator<Item = u32> + Send + '_> = tree.values();
    let handle = std::thread::scope(|scope| scope.spawn(|| iter.sum::<u32>()).join());
    assert_eq!(handle.unwrap(), 15);
}

trait LocalTree {
    #[generator(boxed_local)]
    fn labels(&self, prefix: &str) -> String;
}

struct RcNode {
    label: String,
    children: Vec<Rc<RcNode>>,
}

impl LocalTree for RcNode {
    #[generator(boxed_local)]
    fn labels(&self, prefix: &str) -> String {
        let label = format!("{prefix}{}", self.label);
        yield_!(label.clone());
        for child in &self.children {
            // An `Rc` held across the child's yields.
            let child = Rc::clone(child);
            yield_all!(child.labels(&format!("{label}.")));
        }
    }
}

/// `#[generator(boxed_local)]` in a trait: a recursive walk over an `Rc` tree, with a
/// borrowed argument, also through `Box<dyn LocalTree>`.
#[test]
fn boxed_local_generator_trait_recursive_walk() {
    let leaf = Rc::new(RcNode {
        label: "c".into(),
        children: vec![],
    });
    let root = RcNode {
        label: "a".into(),
        children: vec![
            Rc::new(RcNode {
                label: "b".into(),
                children: vec![Rc::clone(&leaf)],
            }),
            leaf,
        ],
    };
    assert_eq!(
        root.labels("").collect::<Vec<_>>(),
        ["a", "a.b", "a.b.c", "a.c"]
    );
    let boxed: Box<dyn LocalTree> = Box::new(root);
    assert_eq!(boxed.labels(">").nth(2).as_deref(), Some(">a.b.c"));
}

trait Countdown {
    #[async_gen]
    async fn countdown(&self) -> u32;

    #[generator]
    fn evens(&self) -> u32;

    #[async_gen]
    async fn countdown_twice(&self) -> u32 {
        yield_all!(self.countdown());
        yield_all!(self.countdown());
    }
}

struct From3;

struct FromN(u32);

impl Countdown for From3 {
    #[async_gen]
    async fn countdown(&self) -> u32 {
        yield_all!([3, 2, 1]);
    }

    #[generator]
    fn evens(&self) -> u32 {
        yield_!(0);
        yield_!(2);
    }
}

impl Countdown for FromN {
    #[async_gen]
    async fn countdown(&self) -> u32 {
        for value in (1..=self.0).rev() {
            yield_!(value);
        }
    }

    #[generator]
    fn evens(&self) -> u32 {
        for value in 0..self.0 {
            if value % 2 == 0 {
                yield_!(value);
            }
        }
    }
}

fn use_countdown<T: Countdown>(source: &T) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    (
        collect(source.countdown()),
        source.evens().collect(),
        collect(source.countdown_twice()),
    )
}

/// Unboxed `#[async_gen]` / `#[generator]` trait methods (return-position `impl Trait` in
/// traits), with a default method, used through a generic `fn f<T: Countdown>(t: &T)`.
#[test]
fn unboxed_trait_methods_used_generically() {
    assert_eq!(
        use_countdown(&From3),
        (vec![3, 2, 1], vec![0, 2], vec![3, 2, 1, 3, 2, 1])
    );
    assert_eq!(
        use_countdown(&FromN(5)),
        (
            vec![5, 4, 3, 2, 1],
            vec![0, 2, 4],
            vec![5, 4, 3, 2, 1, 5, 4, 3, 2, 1]
        )
    );
}

/// Unboxed declarations kept out of `dyn` with `where Self: Sized` and with a bound that
/// implies it (`Self: Clone`), and one under a `#[cfg]` that is off: the trait stays dyn
/// compatible (the hidden method that names `boxed` in E0038 carries the same `where`
/// clause, so rustc keeps it out of `dyn` too).
trait Shelf {
    fn label(&self) -> String;

    #[async_gen]
    async fn items(&self) -> u32
    where
        Self: Sized;

    #[async_gen]
    async fn copies(&self) -> Self
    where
        Self: Clone;

    #[generator]
    #[cfg(any())]
    fn never_compiled(&self) -> u32;
}

#[derive(Clone, Debug, PartialEq)]
struct TwoItems;

impl Shelf for TwoItems {
    fn label(&self) -> String {
        "two".into()
    }

    #[async_gen]
    async fn items(&self) -> u32 {
        yield_!(1);
        yield_!(2);
    }

    #[async_gen]
    async fn copies(&self) -> Self {
        yield_!(self.clone());
    }
}

#[test]
fn unboxed_methods_kept_out_of_dyn_keep_the_trait_dyn_compatible() {
    let shelf: Box<dyn Shelf> = Box::new(TwoItems);
    assert_eq!(shelf.label(), "two");
    assert_eq!(collect(TwoItems.items()), [1, 2]);
    assert_eq!(collect(TwoItems.copies()), [TwoItems]);
}

/// A trait whose own type parameter is named `Hint`, with an unboxed declaration that has
/// generics of its own: the hidden method's type parameter is named apart from both.
trait Store<Hint> {
    #[async_gen]
    async fn list<'a, T: Clone>(&'a self, extra: &'a [T]) -> (Hint, T);
}

struct Single(u32);

impl Store<u32> for Single {
    #[async_gen]
    async fn list<'a, T: Clone>(&'a self, extra: &'a [T]) -> (u32, T) {
        for item in extra {
            yield_!((self.0, item.clone()));
        }
    }
}

#[test]
fn unboxed_declarations_in_a_generic_trait() {
    assert_eq!(collect(Single(7).list(&["a", "b"])), [(7, "a"), (7, "b")]);
}

trait Counter {
    fn start(&self) -> u32;

    /// Boxed, so `Send`, with a `&self` the body never names: it holds no `&Self`, and `Self`
    /// need not be `Sync` (the check of issue 29 is made only when the body names `self`).
    #[async_gen(boxed)]
    async fn tens(&self) -> u32 {
        yield_!(10);
        yield_!(20);
    }
}

struct NotSync(std::cell::Cell<u32>);

impl Counter for NotSync {
    fn start(&self) -> u32 {
        self.0.get()
    }
}

#[test]
fn boxed_default_method_that_does_not_hold_self_needs_no_sync() {
    let counter = NotSync(std::cell::Cell::new(1));
    assert_eq!(counter.start(), 1);
    assert_eq!(collect(counter.tens()), [10, 20]);
}

trait Tagged: Sync {
    #[async_gen(boxed)]
    async fn tagged(&self, prefix: &str, other: &[u32]) -> String;

    #[async_gen(boxed)]
    async fn repeat<T>(&self, item: T, times: usize) -> (u32, T)
    where
        T: Clone + Send,
        Self: Sized;

    #[async_gen(boxed)]
    async fn show(&self, label: impl Display + Send) -> String
    where
        Self: Sized,
    {
        yield_!(format!("{label}:{}", self.id()));
    }

    fn id(&self) -> u32;
}

struct Id(u32);

impl Tagged for Id {
    #[async_gen(boxed)]
    async fn tagged(&self, prefix: &str, other: &[u32]) -> String {
        yield_!(format!("{prefix}{}", self.0));
        for value in other {
            yield_!(format!("{prefix}{value}"));
        }
    }

    #[async_gen(boxed)]
    async fn repeat<T>(&self, item: T, times: usize) -> (u32, T)
    where
        T: Clone + Send,
        Self: Sized,
    {
        for _ in 0..times {
            yield_!((self.0, item.clone()));
        }
    }

    fn id(&self) -> u32 {
        self.0
    }
}

/// A boxed method borrowing several arguments (`&self, &str, &[u32]`): the `'asyncgen` path,
/// also through `dyn Tagged`, with arguments that die right after the stream.
#[test]
fn boxed_method_with_several_borrowed_args() {
    let id = Id(1);
    let prefix = String::from("#");
    let others = vec![2, 3];
    assert_eq!(collect(id.tagged(&prefix, &others)), ["#1", "#2", "#3"]);
    let dyn_id: Box<dyn Tagged> = Box::new(Id(4));
    let items = {
        let prefix = String::from("n");
        collect(dyn_id.tagged(&prefix, &[5]))
    };
    assert_eq!(items, ["n4", "n5"]);
}

/// A boxed method with a type parameter and one with an `impl Display` argument (the
/// `'asyncgen` path), including a borrowed type argument and a default body.
#[test]
fn boxed_methods_with_type_param_and_impl_display() {
    let id = Id(7);
    assert_eq!(collect(id.repeat("x", 2)), [(7, "x"), (7, "x")]);
    let text = String::from("borrowed");
    assert_eq!(collect(id.repeat(&text, 1)), [(7, &text)]);
    assert_eq!(collect(id.show(1.5)), ["1.5:7"]);
    assert_eq!(collect(id.show(&text)), ["borrowed:7"]);
}

trait Queue: Send {
    #[async_gen(boxed)]
    async fn drain(&mut self) -> u32;

    #[generator(boxed)]
    fn into_rest(self: Box<Self>) -> u32;
}

struct Stack(Vec<u32>);

impl Queue for Stack {
    #[async_gen(boxed)]
    async fn drain(&mut self) -> u32 {
        while self.0.len() > 1 {
            yield_!(self.0.pop().unwrap());
        }
    }

    #[generator(boxed)]
    fn into_rest(self: Box<Self>) -> u32 {
        yield_all!(self.0);
    }
}

/// `&mut self` and `self: Box<Self>` boxed methods called through `Box<dyn Queue>`: the
/// mutation is visible afterwards, and the box is consumed.
#[test]
fn mut_self_and_box_self_through_dyn() {
    let mut queues: Vec<Box<dyn Queue>> =
        vec![Box::new(Stack(vec![1, 2, 3])), Box::new(Stack(vec![]))];
    let drained: Vec<Vec<u32>> = queues
        .iter_mut()
        .map(|queue| collect(queue.drain()))
        .collect();
    assert_eq!(drained, [vec![3, 2], vec![]]);
    let rest: Vec<Vec<u32>> = queues
        .into_iter()
        .map(|queue| queue.into_rest().collect())
        .collect();
    assert_eq!(rest, [vec![1], vec![]]);
}

trait Produce: Sync {
    type Item;

    #[async_gen(boxed)]
    async fn produce(&self) -> Self::Item;
}

struct Letters(&'static str);

impl Produce for Letters {
    type Item = char;

    #[async_gen(boxed)]
    async fn produce(&self) -> char {
        yield_all!(self.0.chars());
    }
}

/// A boxed method whose item type is an associated type, through `dyn Produce<Item = char>`.
#[test]
fn associated_type_item_through_dyn() {
    let producer: &dyn Produce<Item = char> = &Letters("abc");
    assert_eq!(collect(producer.produce()), ['a', 'b', 'c']);
}

trait Tokens<'a>: Sync {
    #[async_gen(boxed)]
    async fn tokens(&self, input: &'a str) -> &'a str;
}

struct Splitter(char);

impl<'a> Tokens<'a> for Splitter {
    #[async_gen(boxed)]
    async fn tokens(&self, input: &'a str) -> &'a str {
        yield_all!(input.split(self.0));
    }
}

/// A trait with a lifetime parameter (`&self` plus `&'a str`): the yielded `&'a str`s outlive
/// the splitter.
#[test]
fn trait_with_lifetime_parameter() {
    let input = String::from("x-y-z");
    let tokens = {
        let splitter = Splitter('-');
        collect(splitter.tokens(&input))
    };
    assert_eq!(tokens, ["x", "y", "z"]);
}

trait Make {
    #[async_gen(boxed)]
    async fn make(n: u32) -> u32;
}

struct Squares;

struct Tens;

impl Make for Squares {
    #[async_gen(boxed)]
    async fn make(n: u32) -> u32 {
        for value in 1..=n {
            yield_!(value * value);
        }
    }
}

impl Make for Tens {
    #[async_gen(boxed)]
    async fn make(n: u32) -> u32 {
        for value in 0..n {
            tokio::task::yield_now().await;
            yield_!(value * 10);
        }
    }
}

struct Offset<T>(T);

impl<T: Default + Into<u32> + Send> Make for Offset<T> {
    #[async_gen(boxed)]
    async fn make(n: u32) -> u32 {
        // A `T` held across a yield of the `'static` stream.
        let base = T::default();
        yield_!(n);
        yield_!(base.into() + n);
    }
}

fn made<M: Make>(n: u32) -> Vec<u32> {
    collect(M::make(n))
}

/// A boxed static trait fn without a receiver (the `'static` path): called generically and
/// spawned as a `'static + Send` stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boxed_static_trait_fn() {
    assert_eq!(made::<Squares>(3), [1, 4, 9]);
    assert_eq!(made::<Offset<u8>>(5), [5, 5]);
    let stream: std::pin::Pin<Box<dyn futures::Stream<Item = u32> + Send + 'static>> =
        Tens::make(3);
    let spawned = tokio::spawn(stream.collect::<Vec<_>>());
    assert_eq!(spawned.await.unwrap(), [0, 10, 20]);
}

/// Signatures the `boxed` lifetime rule once got wrong (each was a compile error):
/// a raw lifetime name; one elided input beside a `'static` one; one named lifetime used
/// twice; a lifetime only in the item type; a typed receiver beside another borrow; `Self` in
/// an associated fn; a trait and impl naming a lifetime differently; impl lifetimes that look
/// like generated names.
mod boxed_lifetimes {
    use std::pin::Pin;

    use asyncgen::{async_gen, generator, yield_};

    pub struct Raw<'r#a>(pub &'r#a str);

    impl<'r#a> Raw<'r#a> {
        #[async_gen(boxed)]
        pub async fn text(&self) -> &'r#a str {
            yield_!(self.0);
        }
    }

    #[async_gen(boxed)]
    pub async fn beside_static(x: &str, y: &'static str) -> String {
        yield_!(format!("{x}{y}"));
    }

    #[async_gen(boxed)]
    pub async fn one_named<'a>(x: &'a str, y: &'a str) -> &'a str {
        yield_!(x);
        yield_!(y);
    }

    pub struct Words<'a>(pub std::marker::PhantomData<&'a ()>);

    impl<'a> Words<'a> {
        #[generator(boxed)]
        pub fn constant(n: u32) -> &'a str {
            for _ in 0..n {
                yield_!("w");
            }
        }
    }

    pub struct Owned(pub String);

    impl Owned {
        #[async_gen(boxed)]
        pub async fn pinned(self: Pin<&mut Self>, _key: &str) -> &str {
            yield_!(self.get_mut().0.as_str());
        }

        // The typed receiver form is what this checks.
        #[allow(clippy::needless_arbitrary_self_type)]
        #[async_gen(boxed)]
        pub async fn typed(self: &Self, _key: &str) -> &str {
            yield_!(self.0.as_str());
        }
    }

    pub trait Make: Sized + Send {
        fn new(n: u32) -> Self;

        #[async_gen(boxed)]
        async fn many(a: &str, b: &str) -> Self {
            yield_!(Self::new(a.len() as u32));
            yield_!(Self::new(b.len() as u32));
        }
    }

    impl Make for u32 {
        fn new(n: u32) -> Self {
            n
        }
    }

    pub trait Greet {
        #[async_gen(boxed)]
        async fn greet<'a>(&self, name: &'a str) -> String;
    }

    pub struct English;

    impl Greet for English {
        #[async_gen(boxed)]
        async fn greet(&self, name: &str) -> String {
            yield_!(format!("hello {name}"));
        }
    }

    pub struct Shadow<'life0>(pub &'life0 str);

    impl<'life0> Shadow<'life0> {
        #[async_gen(boxed)]
        pub async fn two(&self, x: &str) -> String {
            yield_!(format!("{}{x}", self.0));
        }
    }
}

#[test]
fn boxed_lifetime_edge_cases() {
    use boxed_lifetimes::*;
    assert_eq!(collect(Raw("raw").text()), ["raw"]);
    assert_eq!(collect(beside_static("a", "b")), ["ab"]);
    assert_eq!(collect(one_named("x", "y")), ["x", "y"]);
    assert_eq!(Words::constant(2).collect::<Vec<_>>(), ["w", "w"]);
    let mut owned = Box::pin(Owned(String::from("own")));
    assert_eq!(collect(owned.as_mut().pinned("k")), ["own"]);
    assert_eq!(collect(Owned(String::from("t")).typed("k")), ["t"]);
    assert_eq!(collect(<u32 as Make>::many("ab", "c")), [2, 1]);
    assert_eq!(collect(English.greet("you")), ["hello you"]);
    assert_eq!(collect(Shadow("s").two("x")), ["sx"]);
}

/// `#[async_gen(send)]` in a trait: the unboxed stream is `impl Stream + Send`, so generic
/// code can spawn it without knowing the implementor (`trait-variant`'s spelling for async fns).
trait Feed {
    #[async_gen(send)]
    async fn entries(&self, n: u32) -> String;
}

struct Numbers;

impl Feed for Numbers {
    #[async_gen(send)]
    async fn entries(&self, n: u32) -> String {
        for i in 0..n {
            tokio::task::yield_now().await;
            yield_!(format!("entry {i}"));
        }
    }
}

struct Alphabet;

impl Feed for Alphabet {
    #[async_gen(send)]
    async fn entries(&self, n: u32) -> String {
        for letter in ('a'..).take(n as usize) {
            yield_!(letter.to_string());
        }
    }
}

/// Generic over the implementor: nothing but `Feed`'s declaration says the stream is `Send`.
async fn spawn_drain<F: Feed + Send + Sync + 'static>(feed: Arc<F>, n: u32) -> Vec<String> {
    tokio::spawn(async move { feed.entries(n).collect::<Vec<_>>().await })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_trait_generator_spawned_from_generic_code() {
    assert_eq!(
        spawn_drain(Arc::new(Numbers), 2).await,
        ["entry 0", "entry 1"]
    );
    assert_eq!(spawn_drain(Arc::new(Alphabet), 3).await, ["a", "b", "c"]);
}
