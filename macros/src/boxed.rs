//! The lifetime of a `boxed` generator's `dyn Stream + '_`: it must cover everything the body
//! may capture from the arguments.
//!
//! - No borrowed arguments, no receiver, no generics: nothing to cover, the `dyn` is
//!   `'static` (`Pin<Box<dyn Stream<Item = T> + Send>>`).
//! - One input lifetime, as in `fn items(&self)`: `'_`, exactly what a hand-written trait
//!   method would say (`Pin<Box<dyn Stream<Item = T> + Send + '_>>`).
//! - Anything else (several borrows, a by-value `self`, type parameters, `impl Trait`
//!   arguments): as `async-trait` does, every elided lifetime is named (`'life0`, ..), and a
//!   new lifetime `'asyncgen` that all of them, every type parameter and `Self` outlive bounds
//!   the `dyn`.
//!
//! A trait and its impls that both use `#[async_gen(boxed)]` get the same signature.

use std::collections::BTreeSet;

use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{
    FnArg, GenericParam, Lifetime, LifetimeParam, ParenthesizedGenericArguments, ReturnType,
    Signature, TraitBound, Type, TypeBareFn, TypeImplTrait, TypeParamBound, TypeReference,
    WhereClause, WherePredicate, parse_quote,
};

/// The lifetime bound of the boxed `dyn`, or `None` for `'static`. Names elided lifetimes and
/// adds `where` bounds to `sig` when that takes a new lifetime.
/// `item_ty` is the item type as it will be written in the `dyn`; its elided lifetimes are
/// named too when the others are.
pub(crate) fn dyn_lifetime(sig: &mut Signature, item_ty: &mut Type) -> Option<Lifetime> {
    let census = Census::of(sig);
    let receiver = sig
        .receiver()
        .map(|r| r.colon_token.is_none() && r.reference.is_none());
    let by_value_self = receiver == Some(true)
        || sig
            .receiver()
            .is_some_and(|r| r.colon_token.is_some() && !mentions_reference(&r.ty));
    let has_type_params = sig.generics.type_params().next().is_some();
    let simple = !has_type_params && !census.impl_trait && !by_value_self;
    if simple && receiver.is_none() && census.elided == 0 && census.named.is_empty() {
        return None;
    }
    let one_lifetime = (census.elided == 1 && census.named.is_empty())
        || (census.elided == 0 && census.named.len() == 1);
    if simple && one_lifetime {
        return Some(Lifetime::new("'_", Span::call_site()));
    }
    Some(name_all_lifetimes(sig, item_ty, census))
}

/// What the arguments borrow.
#[derive(Default)]
struct Census {
    /// `&T` without a lifetime, and `'_`.
    elided: usize,
    /// Named lifetimes other than `'static`, in the arguments and the item type.
    named: BTreeSet<String>,
    /// An `impl Trait` argument, an anonymous type parameter.
    impl_trait: bool,
}

impl Census {
    fn of(sig: &Signature) -> Self {
        let mut census = Census::default();
        for arg in &sig.inputs {
            match arg {
                FnArg::Receiver(r) if r.colon_token.is_none() => match &r.reference {
                    Some((_, None)) => census.elided += 1,
                    Some((_, Some(lifetime))) => census.visit_lifetime(lifetime),
                    None => {}
                },
                FnArg::Receiver(r) => census.visit_type(&r.ty),
                FnArg::Typed(arg) => census.visit_type(&arg.ty),
            }
        }
        if let ReturnType::Type(_, ty) = &sig.output {
            let mut output = Census::default();
            output.visit_type(ty);
            census.named.extend(output.named);
        }
        census
    }
}

impl Visit<'_> for Census {
    fn visit_type_reference(&mut self, reference: &TypeReference) {
        if reference.lifetime.is_none() {
            self.elided += 1;
        }
        visit::visit_type_reference(self, reference);
    }

    fn visit_lifetime(&mut self, lifetime: &Lifetime) {
        match lifetime.ident.to_string().as_str() {
            "_" => self.elided += 1,
            "static" => {}
            name => {
                self.named.insert(name.to_owned());
            }
        }
    }

    fn visit_type_impl_trait(&mut self, impl_trait: &TypeImplTrait) {
        self.impl_trait = true;
        visit::visit_type_impl_trait(self, impl_trait);
    }

    // `fn(&T)`, `Fn(&T)` and `for<'a> ..` bind their own lifetimes.
    fn visit_type_bare_fn(&mut self, _: &TypeBareFn) {}
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

/// The general case: `'life0`, `'life1`, .. for the elided lifetimes, and `'asyncgen`, which
/// every lifetime, type parameter and `Self` must outlive.
fn name_all_lifetimes(sig: &mut Signature, item_ty: &mut Type, census: Census) -> Lifetime {
    let has_receiver = sig.receiver().is_some();
    let mut taken: BTreeSet<String> = census.named.clone();
    taken.extend(
        sig.generics
            .lifetimes()
            .map(|l| l.lifetime.ident.to_string()),
    );
    let mut namer = Namer {
        taken,
        named: Vec::new(),
    };
    for arg in &mut sig.inputs {
        match arg {
            FnArg::Receiver(r) if r.colon_token.is_none() => {
                if let Some((_, lifetime @ None)) = &mut r.reference {
                    let named = namer.fresh("life");
                    *lifetime = Some(named.clone());
                    if let Type::Reference(ty) = &mut *r.ty {
                        ty.lifetime = Some(named);
                    }
                }
            }
            FnArg::Receiver(r) => namer.visit_type_mut(&mut r.ty),
            FnArg::Typed(arg) => namer.visit_type_mut(&mut arg.ty),
        }
    }
    name_elided_output(sig, item_ty);
    let bound = namer.fresh_named("asyncgen");
    let declared: BTreeSet<String> = sig
        .generics
        .lifetimes()
        .map(|l| l.lifetime.ident.to_string())
        .collect();
    for arg in &mut sig.inputs {
        if let FnArg::Typed(arg) = arg {
            BoundImplTraits(&bound).visit_type_mut(&mut arg.ty);
        }
    }
    let params = &mut sig.generics.params;
    for lifetime in namer.named.iter().chain([&bound]).rev() {
        params.insert(
            0,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    // Each parameter's new bound goes where its bounds already are (`T: Clone + 'asyncgen`, or
    // in its `where` predicate), so clippy's `multiple_bound_locations` has nothing to say.
    let generics = &mut sig.generics;
    let in_where: BTreeSet<String> = generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|predicate| match predicate {
            WherePredicate::Lifetime(l) => Some(l.lifetime.to_string()),
            WherePredicate::Type(t) => {
                let ty = &t.bounded_ty;
                Some(quote::quote!(#ty).to_string())
            }
            _ => None,
        })
        .collect();
    let mut where_bounds: Vec<WherePredicate> = Vec::new();
    for param in &mut generics.params {
        match param {
            GenericParam::Lifetime(param) if param.lifetime != bound => {
                let name = param.lifetime.to_string();
                if in_where.contains(&name) {
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
    where_bounds.extend(
        census
            .named
            .iter()
            .filter(|name| !declared.contains(*name))
            .map(|name| {
                let lifetime = Lifetime::new(&format!("'{name}"), Span::call_site());
                parse_quote!(#lifetime: #bound)
            }),
    );
    if has_receiver {
        where_bounds.push(parse_quote!(Self: #bound));
    }
    if !where_bounds.is_empty() {
        let where_clause = generics.make_where_clause();
        for predicate in where_bounds {
            merge_predicate(where_clause, predicate);
        }
    }
    bound
}

/// Gives the elided lifetimes of the item type (`-> &u32`) the name of the input lifetime that
/// elision picks for them, now that it has one: `&self`'s, or the only input lifetime. Left
/// elided, rustc's `mismatched_lifetime_syntaxes` lint would point at a name the user never wrote.
fn name_elided_output(sig: &Signature, item_ty: &mut Type) {
    let receiver_lifetime = sig.receiver().and_then(|r| match &r.reference {
        Some((_, lifetime)) => lifetime.clone(),
        None => None,
    });
    let target = receiver_lifetime.or_else(|| {
        struct Lifetimes(Vec<Lifetime>);
        impl Visit<'_> for Lifetimes {
            fn visit_lifetime(&mut self, lifetime: &Lifetime) {
                if lifetime.ident != "static" && !self.0.contains(lifetime) {
                    self.0.push(lifetime.clone());
                }
            }
            fn visit_type_bare_fn(&mut self, _: &TypeBareFn) {}
            fn visit_parenthesized_generic_arguments(&mut self, _: &ParenthesizedGenericArguments) {
            }
            fn visit_trait_bound(&mut self, bound: &TraitBound) {
                if bound.lifetimes.is_none() {
                    visit::visit_trait_bound(self, bound);
                }
            }
        }
        let mut lifetimes = Lifetimes(Vec::new());
        for arg in &sig.inputs {
            if let FnArg::Typed(arg) = arg {
                lifetimes.visit_type(&arg.ty);
            }
        }
        match lifetimes.0.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        }
    });
    let Some(target) = target else {
        return;
    };
    let ty = item_ty;
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
        fn visit_type_bare_fn_mut(&mut self, _: &mut TypeBareFn) {}
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
    Elided(&target).visit_type_mut(ty);
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
                if existing.lifetime == new.lifetime =>
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

struct Namer {
    taken: BTreeSet<String>,
    named: Vec<Lifetime>,
}

impl Namer {
    /// `'life0`, `'life1`, .., skipping names the fn already uses.
    fn fresh(&mut self, stem: &str) -> Lifetime {
        let lifetime = (0..)
            .map(|n| format!("{stem}{n}"))
            .find(|name| !self.taken.contains(name))
            .map(|name| self.take(name))
            .unwrap_or_else(|| Lifetime::new("'_", Span::call_site()));
        self.named.push(lifetime.clone());
        lifetime
    }

    /// `'asyncgen`, or `'asyncgen0`, .. if taken. Not one of the elided lifetimes.
    fn fresh_named(&mut self, stem: &str) -> Lifetime {
        if !self.taken.contains(stem) {
            return self.take(stem.to_owned());
        }
        let lifetime = self.fresh(stem);
        self.named.pop();
        lifetime
    }

    fn take(&mut self, name: String) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'{name}"), Span::mixed_site());
        self.taken.insert(name);
        lifetime
    }
}

impl VisitMut for Namer {
    fn visit_type_reference_mut(&mut self, reference: &mut TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.fresh("life"));
        }
        visit_mut::visit_type_reference_mut(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh("life");
        }
    }

    fn visit_type_bare_fn_mut(&mut self, _: &mut TypeBareFn) {}
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
