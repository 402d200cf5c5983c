//! The lifetime of a `boxed` generator's `dyn Stream + '_`: it must cover everything the body
//! may capture from the arguments.
//!
//! - Nothing borrowed (no reference arguments, no receiver, no generics, no `Self`): the `dyn`
//!   is `'static` (`Pin<Box<dyn Stream<Item = T> + Send>>`).
//! - One elided input lifetime, as in `fn items(&self)`: `'_`, exactly what a hand-written
//!   trait method would say (`Pin<Box<dyn Stream<Item = T> + Send + '_>>`).
//! - One named lifetime and nothing elided, as in `fn f<'a>(x: &'a str, y: &'a str)`: `'a`.
//! - Anything else (several borrows, a by-value `self`, type parameters, `impl Trait`
//!   arguments, `Self` in an associated fn): as `async-trait` does, every elided lifetime is
//!   named (`'asyncgen_life0`, ..), and a new lifetime `'asyncgen`, which all of them, every
//!   type parameter and `Self` outlive, bounds the `dyn`. The lifetime parameters are ordered
//!   by where they first appear in the arguments, so a trait and an impl that name or elide
//!   the same lifetime differently still get matching signatures.

use std::collections::BTreeSet;

use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{
    FnArg, GenericParam, Lifetime, LifetimeParam, ParenthesizedGenericArguments, Receiver,
    ReceiverKind, ReturnType, Signature, TraitBound, Type, TypeFnPtr, TypeImplTrait,
    TypeParamBound, TypePath, TypeReference, WhereClause, WherePredicate, parse_quote,
};

/// The lifetime bound of the boxed `dyn`, or `None` for `'static`. Names elided lifetimes and
/// adds bounds to `sig` when that takes a new lifetime. `item_ty` is the item type as it will
/// be written in the `dyn`; its elided lifetimes are named too when the others are.
pub(crate) fn dyn_lifetime(sig: &mut Signature, item_ty: &mut Type) -> Option<Lifetime> {
    let census = Census::of(sig);
    // A receiver kind syn may add later (`ReceiverKind` is non-exhaustive) takes the general
    // case, which bounds everything.
    let by_value_self = sig.receiver().is_some_and(|r| match &r.kind {
        ReceiverKind::Reference(..) => false,
        ReceiverKind::Value => true,
        ReceiverKind::Typed(_, ty) => !mentions_reference(ty),
        _ => true,
    });
    let has_type_params = sig.generics.type_params().next().is_some();
    // A `Self` the stream may hold is covered by a borrowed receiver (`&'a Self: 'a`).
    let self_covered = sig.receiver().is_some_and(|r| match &r.kind {
        ReceiverKind::Reference(..) => true,
        ReceiverKind::Typed(_, ty) => mentions_reference(ty),
        _ => false,
    });
    let simple = !has_type_params
        && !census.impl_trait
        && !by_value_self
        && (!census.mentions_self || self_covered);
    if simple {
        if sig.receiver().is_none() && census.positions == 0 && census.named.is_empty() {
            return None;
        }
        if census.positions == 1 && census.elided == 1 && census.named.is_empty() {
            return Some(Lifetime::new("'_", Span::call_site()));
        }
        if let ([only], 0) = (census.named.as_slice(), census.elided) {
            return Some(only.clone());
        }
    }
    Some(name_all_lifetimes(sig, item_ty, &census))
}

/// The lifetimes and types a signature mentions.
#[derive(Default)]
struct Census {
    /// Lifetime positions in the arguments, elided, named or `'static`: elision needs one.
    positions: usize,
    /// `&T` without a lifetime, and `'_`, in the arguments.
    elided: usize,
    /// Distinct named lifetimes other than `'static`, in the arguments and the item type, in
    /// order of appearance.
    named: Vec<Lifetime>,
    /// An `impl Trait` argument, an anonymous type parameter.
    impl_trait: bool,
    /// `Self` appears in a type (the stream may then hold a `Self`).
    mentions_self: bool,
}

impl Census {
    fn of(sig: &Signature) -> Self {
        let mut census = Census::default();
        for arg in &sig.inputs {
            match arg {
                FnArg::Receiver(r) => census.visit_receiver_type(r),
                FnArg::Typed(arg) => census.visit_type(&arg.ty),
            }
        }
        if let ReturnType::Type(_, ty) = &sig.output {
            let mut output = Census::default();
            output.visit_type(ty);
            for lifetime in output.named {
                census.add_named(&lifetime);
            }
            census.mentions_self |= output.mentions_self;
        }
        census
    }

    /// `&self` / `&'a self`, or a typed receiver (whose `Self` does not count as a mention).
    fn visit_receiver_type(&mut self, receiver: &Receiver) {
        match &receiver.kind {
            ReceiverKind::Typed(_, ty) => {
                let mentions_self = self.mentions_self;
                self.visit_type(ty);
                self.mentions_self = mentions_self;
            }
            ReceiverKind::Reference(_, None, _) => {
                self.positions += 1;
                self.elided += 1;
            }
            ReceiverKind::Reference(_, Some(lifetime), _) => self.visit_lifetime(lifetime),
            _ => {}
        }
    }

    fn add_named(&mut self, lifetime: &Lifetime) {
        if !self.named.iter().any(|seen| seen.ident == lifetime.ident) {
            self.named.push(lifetime.clone());
        }
    }
}

impl Visit<'_> for Census {
    fn visit_type_reference(&mut self, reference: &TypeReference) {
        if reference.lifetime.is_none() {
            self.positions += 1;
            self.elided += 1;
        }
        visit::visit_type_reference(self, reference);
    }

    fn visit_lifetime(&mut self, lifetime: &Lifetime) {
        self.positions += 1;
        match lifetime.ident.to_string().as_str() {
            "_" => self.elided += 1,
            "static" => {}
            _ => self.add_named(lifetime),
        }
    }

    fn visit_type_impl_trait(&mut self, impl_trait: &TypeImplTrait) {
        self.impl_trait = true;
        visit::visit_type_impl_trait(self, impl_trait);
    }

    fn visit_type_path(&mut self, path: &TypePath) {
        if path.qself.is_none()
            && path
                .path
                .segments
                .first()
                .is_some_and(|s| s.ident == "Self")
        {
            self.mentions_self = true;
        }
        visit::visit_type_path(self, path);
    }

    // `fn(&T)`, `Fn(&T)` and `for<'a> ..` bind their own lifetimes.
    fn visit_type_fn_ptr(&mut self, _: &TypeFnPtr) {}
    fn visit_parenthesized_generic_arguments(&mut self, _: &ParenthesizedGenericArguments) {}
    fn visit_trait_bound(&mut self, bound: &TraitBound) {
        if bound.lifetimes.is_none() {
            visit::visit_trait_bound(self, bound);
        }
    }
}

fn mentions_reference(ty: &Type) -> bool {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_type_reference(&mut self, _: &TypeReference) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type(ty);
    finder.0
}

/// The general case: `'asyncgen_life0`, .. for the elided lifetimes, and `'asyncgen`, which
/// every lifetime, type parameter and `Self` must outlive.
fn name_all_lifetimes(sig: &mut Signature, item_ty: &mut Type, census: &Census) -> Lifetime {
    let mut namer = Namer {
        taken: census.named.iter().map(|l| l.ident.to_string()).collect(),
        named: Vec::new(),
        in_order: Vec::new(),
    };
    namer.taken.extend(
        sig.generics
            .lifetimes()
            .map(|l| l.lifetime.ident.to_string()),
    );
    for arg in &mut sig.inputs {
        match arg {
            FnArg::Receiver(r) => match &mut r.kind {
                ReceiverKind::Reference(_, lifetime, _) => {
                    let named = match lifetime {
                        Some(named) if named.ident != "_" => named.clone(),
                        _ => namer.fresh(),
                    };
                    namer.saw(&named);
                    *lifetime = Some(named);
                }
                ReceiverKind::Typed(_, ty) => namer.visit_type_mut(ty),
                _ => {}
            },
            FnArg::Typed(arg) => namer.visit_type_mut(&mut arg.ty),
        }
    }
    name_elided_output(sig, &namer.in_order, item_ty);
    let bound = namer.fresh_bound();
    for arg in &mut sig.inputs {
        if let FnArg::Typed(arg) = arg {
            BoundImplTraits(&bound).visit_type_mut(&mut arg.ty);
        }
    }
    order_lifetime_params(sig, &namer, &bound);
    add_outlives_bounds(sig, census, &bound);
    bound
}

/// Lifetime parameters ordered by first appearance in the arguments (declared ones that do
/// not appear keep their order after them), then `'asyncgen`, then the other parameters.
fn order_lifetime_params(sig: &mut Signature, namer: &Namer, bound: &Lifetime) {
    let fresh = namer
        .named
        .iter()
        .map(|lifetime| GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())));
    let mut lifetimes: Vec<GenericParam> = Vec::new();
    let mut others: Vec<GenericParam> = Vec::new();
    for param in std::mem::take(&mut sig.generics.params)
        .into_iter()
        .chain(fresh)
    {
        match param {
            GenericParam::Lifetime(_) => lifetimes.push(param),
            other => others.push(other),
        }
    }
    let rank = |param: &GenericParam| match param {
        GenericParam::Lifetime(l) => namer
            .in_order
            .iter()
            .position(|seen| seen.ident == l.lifetime.ident)
            .unwrap_or(usize::MAX),
        _ => usize::MAX,
    };
    lifetimes.sort_by_key(rank); // stable: unseen ones keep their order
    lifetimes.push(GenericParam::Lifetime(LifetimeParam::new(bound.clone())));
    sig.generics.params = lifetimes.into_iter().chain(others).collect();
}

/// `'x: 'asyncgen` for every lifetime, `T: 'asyncgen` for every type parameter, and
/// `Self: 'asyncgen` when the stream may hold a `Self`. Each goes where that parameter's
/// bounds already are (inline, or its `where` predicate), so clippy's
/// `multiple_bound_locations` has nothing to say.
fn add_outlives_bounds(sig: &mut Signature, census: &Census, bound: &Lifetime) {
    let has_receiver = sig.receiver().is_some();
    let generics = &mut sig.generics;
    let in_where: BTreeSet<String> = generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|predicate| match predicate {
            WherePredicate::Lifetime(l) => Some(l.lifetime.ident.to_string()),
            WherePredicate::Type(t) => {
                let ty = &t.bounded_ty;
                Some(quote::quote!(#ty).to_string())
            }
            _ => None,
        })
        .collect();
    let declared: BTreeSet<String> = generics
        .lifetimes()
        .map(|l| l.lifetime.ident.to_string())
        .collect();
    let mut where_bounds: Vec<WherePredicate> = Vec::new();
    for param in &mut generics.params {
        match param {
            GenericParam::Lifetime(param) if param.lifetime.ident != bound.ident => {
                if in_where.contains(&param.lifetime.ident.to_string()) {
                    let lifetime = &param.lifetime;
                    where_bounds.push(parse_quote!(#lifetime: #bound));
                } else {
                    param.bounds.push(bound.clone());
                }
            }
            GenericParam::Type(param) => {
                let ident = &param.ident;
                if in_where.contains(&quote::quote!(#ident).to_string()) {
                    where_bounds.push(parse_quote!(#ident: #bound));
                } else {
                    param.bounds.push(TypeParamBound::Lifetime(bound.clone()));
                }
            }
            _ => {}
        }
    }
    // Lifetimes of the `impl` (not declared on the fn), and `Self`, can only be bounded here.
    for lifetime in &census.named {
        if !declared.contains(&lifetime.ident.to_string()) {
            where_bounds.push(parse_quote!(#lifetime: #bound));
        }
    }
    if has_receiver || census.mentions_self {
        where_bounds.push(parse_quote!(Self: #bound));
    }
    if !where_bounds.is_empty() {
        let where_clause = generics.make_where_clause();
        for predicate in where_bounds {
            merge_predicate(where_clause, predicate);
        }
    }
}

/// Gives the elided lifetimes of the item type (`-> &u32`) the name of the input lifetime that
/// elision picks for them, now that it has one: the receiver's, or the only input lifetime.
/// Left elided, rustc's `mismatched_lifetime_syntaxes` lint would point at a name the user
/// never wrote.
fn name_elided_output(sig: &Signature, in_order: &[Lifetime], item_ty: &mut Type) {
    let receiver_lifetime = sig.receiver().and_then(|r| match &r.kind {
        ReceiverKind::Reference(_, lifetime, _) => lifetime.clone(),
        ReceiverKind::Typed(_, ty) => first_lifetime(ty),
        _ => None,
    });
    let target = receiver_lifetime.or_else(|| match in_order {
        [only] => Some(only.clone()),
        _ => None,
    });
    let Some(target) = target else {
        return;
    };
    struct Elided<'a>(&'a Lifetime);
    impl VisitMut for Elided<'_> {
        fn visit_type_reference_mut(&mut self, reference: &mut TypeReference) {
            if reference.lifetime.is_none() {
                reference.lifetime = Some(self.0.clone());
            }
            visit_mut::visit_type_reference_mut(self, reference);
        }
        fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
            if lifetime.ident == "_" {
                *lifetime = self.0.clone();
            }
        }
        fn visit_type_fn_ptr_mut(&mut self, _: &mut TypeFnPtr) {}
        fn visit_parenthesized_generic_arguments_mut(
            &mut self,
            _: &mut ParenthesizedGenericArguments,
        ) {
        }
        fn visit_trait_bound_mut(&mut self, bound: &mut TraitBound) {
            if bound.lifetimes.is_none() {
                visit_mut::visit_trait_bound_mut(self, bound);
            }
        }
    }
    Elided(&target).visit_type_mut(item_ty);
}

/// The first lifetime written in `ty` (`Pin<&'a mut Self>` gives `'a`).
fn first_lifetime(ty: &Type) -> Option<Lifetime> {
    struct First(Option<Lifetime>);
    impl Visit<'_> for First {
        fn visit_lifetime(&mut self, lifetime: &Lifetime) {
            if self.0.is_none() {
                self.0 = Some(lifetime.clone());
            }
        }
    }
    let mut first = First(None);
    first.visit_type(ty);
    first.0
}

/// Adds `predicate`'s bounds to the predicate for the same type or lifetime, if there is one.
fn merge_predicate(where_clause: &mut WhereClause, predicate: WherePredicate) {
    for existing in &mut where_clause.predicates {
        match (existing, &predicate) {
            (WherePredicate::Type(existing), WherePredicate::Type(new))
                if same_tokens(&existing.bounded_ty, &new.bounded_ty) =>
            {
                existing.bounds.extend(new.bounds.iter().cloned());
                return;
            }
            (WherePredicate::Lifetime(existing), WherePredicate::Lifetime(new))
                if existing.lifetime.ident == new.lifetime.ident =>
            {
                existing.bounds.extend(new.bounds.iter().cloned());
                return;
            }
            _ => {}
        }
    }
    where_clause.predicates.push(predicate);
}

fn same_tokens(a: &Type, b: &Type) -> bool {
    quote::quote!(#a).to_string() == quote::quote!(#b).to_string()
}

/// Names the elided lifetimes of the arguments, and records every argument lifetime in the
/// order it first appears.
struct Namer {
    /// Names in use: the fn's lifetime parameters and the lifetimes the signature mentions.
    taken: BTreeSet<String>,
    /// The lifetimes this namer made.
    named: Vec<Lifetime>,
    /// Every (non-`'static`) argument lifetime, made or written, by first appearance.
    in_order: Vec<Lifetime>,
}

impl Namer {
    /// `'asyncgen_life0`, `'asyncgen_life1`, .., skipping names already in use.
    fn fresh(&mut self) -> Lifetime {
        let name = (0..)
            .map(|n| format!("asyncgen_life{n}"))
            .find(|name| !self.taken.contains(name))
            .unwrap_or_else(|| "asyncgen_lifetime".to_owned());
        let lifetime = self.take(name);
        self.named.push(lifetime.clone());
        lifetime
    }

    /// `'asyncgen`, or `'asyncgen0`, .. if that is in use.
    fn fresh_bound(&mut self) -> Lifetime {
        let name = std::iter::once("asyncgen".to_owned())
            .chain((0..).map(|n| format!("asyncgen{n}")))
            .find(|name| !self.taken.contains(name))
            .unwrap_or_else(|| "asyncgen_bound".to_owned());
        self.take(name)
    }

    fn take(&mut self, name: String) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'{name}"), Span::mixed_site());
        self.taken.insert(name);
        lifetime
    }

    fn saw(&mut self, lifetime: &Lifetime) {
        let named = lifetime.ident != "static" && lifetime.ident != "_";
        if named && !self.in_order.iter().any(|l| l.ident == lifetime.ident) {
            self.in_order.push(lifetime.clone());
        }
    }
}

impl VisitMut for Namer {
    fn visit_type_reference_mut(&mut self, reference: &mut TypeReference) {
        let lifetime = match &reference.lifetime {
            Some(lifetime) => lifetime.clone(),
            None => self.fresh(),
        };
        self.saw(&lifetime);
        reference.lifetime = Some(lifetime);
        // The lifetime is done: visit only what it refers to.
        visit_mut::visit_type_mut(self, &mut reference.elem);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh();
        }
        self.saw(lifetime);
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut TypeFnPtr) {}
    fn visit_parenthesized_generic_arguments_mut(&mut self, _: &mut ParenthesizedGenericArguments) {
    }
    fn visit_trait_bound_mut(&mut self, bound: &mut TraitBound) {
        if bound.lifetimes.is_none() {
            visit_mut::visit_trait_bound_mut(self, bound);
        }
    }
}

/// `impl Trait` arguments are anonymous type parameters: they get `+ 'asyncgen` in place.
struct BoundImplTraits<'a>(&'a Lifetime);

impl VisitMut for BoundImplTraits<'_> {
    fn visit_type_impl_trait_mut(&mut self, impl_trait: &mut TypeImplTrait) {
        impl_trait
            .bounds
            .push(TypeParamBound::Lifetime(self.0.clone()));
    }
}
