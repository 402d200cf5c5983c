//! Nightly's syntax in the attributes' fns (`yield value`, `for await`): what the expansion
//! makes of it, and the error a stable compiler adds beside rustc's "experimental" one.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Entry, call};
use crate::model::code_text;

fn expand(entry: Entry, item: TokenStream) -> String {
    call(entry, TokenStream::new(), item).to_string()
}

/// The messages of the `compile_error!`s in `output`.
fn errors(output: &str) -> Vec<&str> {
    output
        .split("compile_error ! {")
        .skip(1)
        .filter_map(|rest| rest.split('"').nth(1))
        .collect()
}

#[test]
fn a_for_await_loop_is_lowered_over_the_stream() {
    let output = expand(
        Entry::AsyncGen,
        quote! {
            async fn doubled() -> u32 {
                'numbers: for await n in numbers(3) {
                    yield_!(n * 2);
                }
            }
        },
    );
    assert!(
        output.contains(":: asyncgen :: __private :: next"),
        "{output}"
    );
    assert!(!output.contains("for await"), "{output}");
    assert!(output.contains("'numbers : loop"), "{output}");
    let expected: &[&str] = if cfg!(asyncgen_stable_compiler) {
        &["on stable Rust, write `#[for_await] for n in numbers(3)`"]
    } else {
        &[]
    };
    assert_eq!(errors(&output), expected, "{output}");
}

#[test]
fn a_literal_yield_on_stable_says_to_write_the_macro() {
    let output = expand(
        Entry::AsyncGen,
        quote! {
            async fn numbers() -> u32 {
                yield f(x).await? * 2;
                yield;
            }
        },
    );
    let expected: &[&str] = if cfg!(asyncgen_stable_compiler) {
        &[
            "on stable Rust, write `yield_!(f(x).await? * 2)`",
            "on stable Rust, write `yield_!()`",
        ]
    } else {
        &[]
    };
    assert_eq!(errors(&output), expected, "{output}");
    // Lowered all the same: nothing else fails.
    assert!(output.contains("branch (f (x) . await)"), "{output}");
    assert!(
        output.contains("@ lowered __yielder : u32 , ()"),
        "{output}"
    );
}

#[test]
fn the_syntax_where_rustc_does_not_read_it_adds_no_error() {
    // In `stream!`, the syntax is the macro's own; in another macro's arguments rustc does
    // not parse it either: no gate, so nothing to say.
    let output = expand(
        Entry::AsyncGen,
        quote! {
            async fn numbers() -> u32 {
                let inner = stream! { for await n in other() { yield n; } };
                twice!({ for await n in other() { yield_!(n); } });
            }
        },
    );
    assert_eq!(errors(&output), Vec::<&str>::new(), "{output}");
    let output = expand(
        Entry::Stream,
        quote! { for await n in other() { yield n; } },
    );
    assert_eq!(errors(&output), Vec::<&str>::new(), "{output}");
}

#[test]
fn a_for_await_loop_in_a_generator_says_it_is_sync() {
    let output = expand(
        Entry::Generator,
        quote! {
            fn doubled() -> u32 {
                for await n in numbers() {
                    yield_!(n * 2);
                }
            }
        },
    );
    let errors = errors(&output);
    assert_eq!(errors.len(), 1, "{output}");
    assert!(errors[0].contains("which is sync"), "{output}");
}

#[test]
fn code_in_messages_reads_as_written() {
    let cases = [
        (quote!(i), "i"),
        (quote!(n * n), "n * n"),
        (quote!(f(x).await?), "f(x).await?"),
        (quote!(Ok::<u8, E>(1)), "Ok::<u8, E>(1)"),
        (quote!(&items[0..2]), "&items[0..2]"),
        (quote!(!done && -x > 1), "!done && -x > 1"),
        (quote!(format!("{}", a.b)), "format!(\"{}\", a.b)"),
        (quote!((a, b)), "(a, b)"),
        (quote!(Point { x, y }), "Point { x, y }"),
        (quote!(match (a, b) {}), "match (a, b) {}"),
        (quote!(x? * 2 - -y), "x? * 2 - -y"),
        (
            quote!(a::b::<Vec<u8>>::new(c < d)),
            "a::b::<Vec<u8>>::new(c < d)",
        ),
    ];
    for (tokens, text) in cases {
        assert_eq!(code_text(tokens), text);
    }
}
