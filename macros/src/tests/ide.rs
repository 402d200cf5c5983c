//! IDE tolerance: whatever is wrong in the body, the expansion still holds the fn with its
//! generator signature, so rust-analyzer keeps type information and completions for it and its
//! callers while the user is typing.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Entry, call};
use crate::model::work;

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

/// The tokens the walks read to expand `input` with `entry`, and the expansion.
fn work(entry: Entry, input: TokenStream) -> (String, u64) {
    let (output, read) = work::counted(|| call(entry, TokenStream::new(), input));
    (output.to_string(), read)
}

/// Whether `large`, the work for ten times the input of `small`, grew linearly: at most ten
/// times (and a little, for what does not grow); a quadratic walk reads about a hundred times.
fn grew_linearly(small: u64, large: u64) -> bool {
    small > 0 && large <= small * 11
}

/// A long block (generated code, a table) expands in linear work and stack: each `yield` reads
/// only as far as its statement's `;`.
#[test]
fn a_block_of_many_yields_expands_in_linear_work() {
    let block = |n: u32| {
        let yields: TokenStream = (0..n).map(|n| quote!(yield #n;)).collect();
        quote!(-> u32 { #yields })
    };
    let (_, small) = work(Entry::Stream, block(2_000));
    let (output, large) = work(Entry::Stream, block(20_000));
    assert_eq!(output.matches("@ lowered").count(), 20_000);
    assert!(
        grew_linearly(small, large),
        "{small} tokens read, then {large}"
    );
}

/// The same through the token walker: `yield_!`s in a macro whose arguments are not
/// expressions (as `select!` arms are).
#[test]
fn a_macro_of_many_yields_expands_in_linear_work() {
    let body = |n: u32| {
        let arms: TokenStream = (0..n)
            .map(|n| quote!(arm => { yield_!(#n); let _ = |x: u32| x?; },))
            .collect();
        quote!(
            async fn numbers() -> u32 {
                select! { #arms }
            }
        )
    };
    let (_, small) = work(Entry::AsyncGen, body(1_000));
    let (output, large) = work(Entry::AsyncGen, body(10_000));
    assert_eq!(output.matches("@ lowered").count(), 10_000);
    assert!(
        grew_linearly(small, large),
        "{small} tokens read, then {large}"
    );
}
