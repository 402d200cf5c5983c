//! IDE tolerance: whatever is wrong in the body, the expansion still holds the fn with its
//! generator signature, so rust-analyzer keeps type information and completions for it and its
//! callers while the user is typing.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Entry, call};

/// The generator signature `numbers` expands to, as tokens print.
const STREAM_SIGNATURE: &str = "fn numbers () -> impl :: asyncgen :: FusedStream < Item = u32 >";

fn expand_async_gen(item: TokenStream) -> String {
    call(Entry::AsyncGen, TokenStream::new(), item).to_string()
}

#[test]
fn a_misplaced_yield_keeps_the_fn() {
    let output = expand_async_gen(quote! {
        async fn numbers() -> u32 {
            let double = |x: u32| yield_!(x * 2);
            yield_!(1);
        }
    });
    // Reported through the user's `yield_!` (`@error` expands to `compile_error!`).
    assert!(output.contains("yield_ ! (@ error"), "{output}");
    assert!(output.contains(STREAM_SIGNATURE), "{output}");
    // The good `yield_!` is lowered around the bad one.
    assert!(
        output.contains("yield_ ! (@ lowered __yielder : u32 , 1)"),
        "{output}"
    );
}

#[test]
fn a_returned_value_keeps_the_fn() {
    let output = expand_async_gen(quote! {
        async fn numbers() -> u32 {
            yield_!(1);
            return 2;
        }
    });
    assert!(output.contains("compile_error"), "{output}");
    assert!(output.contains(STREAM_SIGNATURE), "{output}");
}

#[test]
fn a_statement_being_typed_keeps_the_fn_and_its_other_statements() {
    // `x.` as when the user has just typed the dot and waits for completions.
    let output = expand_async_gen(quote! {
        async fn numbers() -> u32 {
            let x = 1u32;
            yield_!(x);
            let y = x.;
            yield_!(y);
        }
    });
    assert!(output.contains(STREAM_SIGNATURE), "{output}");
    // Kept as typed, for rustc (or the editor) to read again.
    assert!(output.contains("let y = x . ;"), "{output}");
    // Both `yield_!`s lowered: the one after the broken statement too.
    assert!(output.contains("@ lowered __yielder : u32 , x"), "{output}");
    assert!(output.contains("@ lowered __yielder : u32 , y"), "{output}");
    // Not the macro's own error: rustc reports the syntax error when it reads the tokens again.
    assert!(!output.contains("compile_error"), "{output}");
}

#[test]
fn an_unfinished_tail_keeps_the_fn() {
    let output = expand_async_gen(quote! {
        async fn numbers() -> u32 {
            let items = [1u32, 2];
            for item in items { yield_!(item); }
            items.
        }
    });
    assert!(output.contains(STREAM_SIGNATURE), "{output}");
    assert!(
        output.contains("@ lowered __yielder : u32 , item"),
        "{output}"
    );
    assert!(output.contains("items ."), "{output}");
}

#[test]
fn a_broken_statement_still_has_its_yields_lowered() {
    // The token walker lowers what is inside a statement that does not parse.
    let output = expand_async_gen(quote! {
        async fn numbers() -> u32 {
            for x in 0..3 { yield_!(x); let y = x.; }
        }
    });
    assert!(output.contains(STREAM_SIGNATURE), "{output}");
    assert!(output.contains("@ lowered __yielder : u32 , x"), "{output}");
}

#[test]
fn a_broken_signature_keeps_the_fn_as_written_with_the_error() {
    let output = expand_async_gen(quote! {
        async fn numbers(x: ) -> u32 {
            yield_!(1);
        }
    });
    assert!(output.contains("compile_error"), "{output}");
    assert!(output.contains("async fn numbers (x :) -> u32"), "{output}");
    // Not "only applies to an `async fn`": it is one.
    assert!(!output.contains("can only be applied"), "{output}");
}

#[test]
fn a_stream_block_being_typed_is_still_a_stream() {
    let output = call(
        Entry::Stream,
        TokenStream::new(),
        quote! { let x = 1u32; yield x; x. },
    )
    .to_string();
    assert!(
        output.contains(":: asyncgen :: __private :: async_gen :: < _ , _ >"),
        "{output}"
    );
    assert!(output.contains("@ lowered __yielder , x"), "{output}");
    assert!(output.contains("x ."), "{output}");
}

/// A long block (generated code, a table) expands in linear time and stack: each `yield` reads
/// only as far as its statement's `;`.
#[test]
fn a_block_of_many_yields_expands() {
    let yields: TokenStream = (0..20_000u32).map(|n| quote!(yield #n;)).collect();
    let started = std::time::Instant::now();
    let output = call(
        Entry::Stream,
        TokenStream::new(),
        quote!(-> u32 { #yields }),
    )
    .to_string();
    assert_eq!(output.matches("@ lowered").count(), 20_000);
    // Generous: a quadratic walk takes minutes here, a linear one well under a second.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}
