//! The check a `boxed` generator makes of `Self` when its body holds `&self`: the box is
//! `Send`, and `&Self` is `Send` only if `Self` is `Sync`.
//!
//! rustc's own error for it ("future cannot be sent between threads safely", because `Self`
//! is not `Sync`) says what is missing but not where it goes: in a trait's default method,
//! on the trait or the method. This check fails first, while the body is type-checked, with
//! a message that says so; rustc then does not check the body's auto traits, so it is the
//! only error (issue 29). The macro makes it only where it cannot fail unless the box would:
//! a `&self` method whose body names `self`, which the body's closure then captures.
#![forbid(unsafe_code)]

/// `Self: Sync`, under a name whose error says where to require it.
#[diagnostic::on_unimplemented(
    message = "this `boxed` generator holds `&self`, so `{Self}` must be `Sync`",
    label = "the box is `Send`, and `&{Self}` is `Send` only if `{Self}` is `Sync`",
    note = "in a trait, require it of every implementor (`trait Name: Sync`) or of this \
            method (`where Self: Sync`); or write `boxed_local` for a generator that is not \
            `Send`"
)]
pub trait SyncReceiver {
    /// Nothing: the call is the check.
    #[inline(always)]
    fn sync_receiver() {}
}

// Not recommended: the error is then about `SyncReceiver` (the message above), not `Sync`.
#[diagnostic::do_not_recommend]
impl<T: ?Sized + Sync> SyncReceiver for T {}
