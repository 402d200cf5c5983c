//! The expanded examples of `tests/expand` are real code: each source and its checked-in
//! expansion are compiled side by side here, and yield the same items. (That the expansions
//! are current is checked in the macro crate: `cargo test -p asyncgen-macros expand`.)

use futures::StreamExt;
use futures::executor::block_on;

// Each example (the source) and its expansion. The expansions no longer name the attributes
// their sources import (`unused_imports`), and `?` lowers to a parenthesized block that fits
// any operand position (`unused_parens` where it needs none). `#[for_await]` loops keep
// `for`'s own desugaring, a `match` that holds the stream's temporaries and a `loop` over a
// `match` (clippy's `match_single_binding`, `while_let_loop`). Neither rustc nor clippy lints
// them in macro output.
#[path = "../expand/finally.rs"]
mod finally;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/finally.expanded.rs"]
mod finally_expanded;
#[path = "../expand/for_await.rs"]
mod for_await;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/for_await.expanded.rs"]
mod for_await_expanded;
#[path = "../expand/free_fn.rs"]
mod free_fn;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/free_fn.expanded.rs"]
mod free_fn_expanded;
#[path = "../expand/function_like.rs"]
mod function_like;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/function_like.expanded.rs"]
mod function_like_expanded;
#[path = "../expand/generator.rs"]
mod generator;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/generator.expanded.rs"]
mod generator_expanded;
#[path = "../expand/in_macro.rs"]
mod in_macro;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/in_macro.expanded.rs"]
mod in_macro_expanded;
#[path = "../expand/method.rs"]
mod method;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/method.expanded.rs"]
mod method_expanded;
#[path = "../expand/question_mark.rs"]
mod question_mark;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/question_mark.expanded.rs"]
mod question_mark_expanded;
#[path = "../expand/trait_boxed.rs"]
mod trait_boxed;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/trait_boxed.expanded.rs"]
mod trait_boxed_expanded;
#[path = "../expand/yield_all.rs"]
mod yield_all;
#[allow(unused_imports, unused_parens)]
#[allow(clippy::match_single_binding, clippy::while_let_loop)]
#[path = "../expand/yield_all.expanded.rs"]
mod yield_all_expanded;

/// `check` run on a module and on its expansion gives the same result, which is `expected`.
macro_rules! same {
    ($source:ident, $expanded:ident, |$m:ident| $check:expr, $expected:expr) => {{
        let from_source = {
            use $source as $m;
            $check
        };
        let from_expansion = {
            use $expanded as $m;
            $check
        };
        assert_eq!(from_source, $expected, "the source");
        assert_eq!(from_expansion, $expected, "the expansion");
    }};
}

#[test]
fn free_fn() {
    same!(
        free_fn,
        free_fn_expanded,
        |m| block_on(m::square_odds(1, 8).collect::<Vec<_>>()),
        [1, 9, 25, 49]
    );
}

#[test]
fn finally() {
    use asyncgen::Close;
    same!(
        finally,
        finally_expanded,
        |m| {
            let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            let all: Vec<String> = block_on(m::subscription(log.clone(), "news", 2).collect());
            block_on(async {
                let mut closed = std::pin::pin!(m::subscription(log.clone(), "sport", 5));
                closed.next().await;
                closed.close().await;
            });
            let log = log.lock().unwrap().clone();
            (all, log)
        },
        (
            vec!["news 0".to_owned(), "news 1".to_owned()],
            vec![
                "subscribe news".to_owned(),
                "unsubscribe news".to_owned(),
                "subscribe sport".to_owned(),
                "unsubscribe sport".to_owned()
            ]
        )
    );
}

#[test]
fn method() {
    same!(
        method,
        method_expanded,
        |m| {
            let pages = m::Pages {
                pages: vec![vec![1, 2], vec![], vec![3]],
            };
            let borrowed: Vec<u32> = block_on(pages.numbers().map(|n| *n).collect());
            let moved: Vec<Vec<u32>> = block_on(pages.into_pages().collect());
            (borrowed, moved)
        },
        (vec![1, 2, 3], vec![vec![1, 2], vec![], vec![3]])
    );
}

#[test]
fn trait_boxed() {
    same!(
        trait_boxed,
        trait_boxed_expanded,
        |m| {
            let source: Box<dyn m::Source + Send> = Box::new(m::Fixed(vec!["ada", "bob"]));
            block_on(source.names("dr ").collect::<Vec<_>>())
        },
        ["dr ada", "dr bob"]
    );
}

#[test]
fn question_mark() {
    same!(
        question_mark,
        question_mark_expanded,
        |m| {
            let items: Vec<_> = block_on(m::parse_all(vec!["1", " 2", "x", "4"]).collect());
            items
                .iter()
                .map(|item| item.as_ref().ok().copied())
                .collect::<Vec<_>>()
        },
        [Some(1), Some(2), None]
    );
}

#[test]
fn for_await() {
    same!(
        for_await,
        for_await_expanded,
        |m| {
            let totals: Vec<u32> =
                block_on(m::running_totals(futures::stream::iter([1, 2, 3])).collect());
            let sum = block_on(m::sum(futures::stream::iter([4, 5])));
            (totals, sum)
        },
        (vec![1, 3, 6], 9)
    );
}

#[test]
fn in_macro() {
    same!(
        in_macro,
        in_macro_expanded,
        |m| block_on(m::echoed(7).collect::<Vec<_>>()),
        [7, 7, 0, 1, 0, 1]
    );
}

#[test]
fn yield_all() {
    same!(
        yield_all,
        yield_all_expanded,
        |m| block_on(m::twice().collect::<Vec<_>>()),
        [0, 1, 2, 0, 1, 2, 99]
    );
}

#[test]
fn function_like() {
    same!(
        function_like,
        function_like_expanded,
        |m| block_on(m::doubled_squares().collect::<Vec<_>>()),
        [2, 8, 18]
    );
}

#[test]
fn generator() {
    same!(
        generator,
        generator_expanded,
        |m| {
            let fibonacci: Vec<u64> = m::fibonacci(20).collect();
            let words: Vec<&str> = m::words("to be").collect();
            (fibonacci, words)
        },
        (vec![0, 1, 1, 2, 3, 5, 8, 13], vec!["to", "be", "."])
    );
}
