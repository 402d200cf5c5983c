//! When a `boxed` method checks `Self: Sync` first (`SyncReceiver`, issue 29): only where the
//! `Send` box would fail without it, so the check never rejects code that compiled.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Entry, call};

fn checks_self(args: TokenStream, item: TokenStream) -> bool {
    call(Entry::AsyncGen, args, item)
        .to_string()
        .contains("SyncReceiver")
}

#[test]
fn a_boxed_shared_self_method_that_names_self_checks_it() {
    let uses_self = quote! { async fn names(&self) -> String { yield_!(self.name()); } };
    assert!(checks_self(quote!(boxed), uses_self.clone()));
    // In another macro's arguments, too.
    let in_macro = quote! { async fn names(&self) -> String { yield_!(format!("{}", self.0)); } };
    assert!(checks_self(quote!(boxed), in_macro));
    // Not without `Send`, nor unboxed.
    assert!(!checks_self(quote!(boxed_local), uses_self.clone()));
    assert!(!checks_self(quote!(), uses_self));
}

#[test]
fn no_check_where_the_body_holds_no_shared_self() {
    // `self` never named: the body captures nothing of it.
    let unnamed = quote! { async fn tens(&self) -> u32 { yield_!(10); } };
    assert!(!checks_self(quote!(boxed), unnamed));
    // A path through the module, not the receiver.
    let path = quote! { async fn tens(&self) -> u32 { yield_!(self::TEN); } };
    assert!(!checks_self(quote!(boxed), path));
    // `&mut self` and `self` need `Self: Send`, not `Sync`.
    let by_mut = quote! { async fn tens(&mut self) -> u32 { yield_!(self.0); } };
    assert!(!checks_self(quote!(boxed), by_mut));
    let by_value = quote! { async fn tens(self) -> u32 { yield_!(self.0); } };
    assert!(!checks_self(quote!(boxed), by_value));
    // A declaration has no body to check.
    let declared = quote! { async fn tens(&self) -> u32; };
    assert!(!checks_self(quote!(boxed), declared));
}
