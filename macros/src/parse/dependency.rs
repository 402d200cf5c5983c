//! Where the attributes find asyncgen when no `crate = path` is given: under the name the
//! calling crate gave the dependency (`ag = { package = "asyncgen", .. }` -> `::ag`).
//!
//! An attribute has no `$crate` (the function-like macros get theirs from a `macro_rules!`
//! front-end), so the name is read from what rustc was told to link: its `--extern
//! name=path/libasyncgen-<hash>.rlib` arguments, seen from inside the rustc process that runs
//! the macro. That is the name as rustc resolves it, whatever produced it (a renamed
//! dependency, one inherited from `[workspace.dependencies]`, a target-specific or dev
//! one), costs no dependency and no file read per expansion. Reading `Cargo.toml` instead
//! (the `proc-macro-crate` crate) re-derives what cargo decided, and adds `toml_edit` to
//! every user's build. Neither can see a library that re-exports asyncgen: there, `crate =
//! path` is still needed, and the attribute says so.
//!
//! Where the arguments are not rustc's (rust-analyzer's macro server, this crate's own
//! tests), nothing is known and the paths stay `::asyncgen`, as before.

use std::sync::OnceLock;

use crate::model::Krate;

/// The crate being compiled's name for asyncgen, as far as rustc's arguments tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dependency {
    /// Linked under this name (`asyncgen`, or the one a rename gave it).
    Named(String),
    /// rustc links other crates, but not asyncgen: it is reached through a re-export.
    Missing,
    /// Not run by rustc (or by one whose arguments cannot be read).
    Unknown,
}

/// The name in the `crate = ..`-less case, found once per rustc process (one crate).
pub(crate) fn dependency() -> &'static Dependency {
    static FOUND: OnceLock<Dependency> = OnceLock::new();
    FOUND.get_or_init(|| {
        // `args_os`: `args` panics on an argument that is not UTF-8 (a path can be).
        let args = std::env::args_os().map(|arg| arg.to_string_lossy().into_owned());
        find(expand_argfiles(args))
    })
}

/// Where generated code finds asyncgen when no `crate = path` is given: `Err` when rustc's
/// arguments show it is not a dependency (the paths are then still `::asyncgen`).
pub(crate) fn default_krate() -> Result<Krate, Krate> {
    krate_for(dependency())
}

fn krate_for(dependency: &Dependency) -> Result<Krate, Krate> {
    match dependency {
        Dependency::Named(name) if name != "asyncgen" => {
            match syn::parse_str::<syn::Path>(&format!("::{name}")) {
                Ok(path) => Ok(Krate::at(path)),
                Err(_) => Ok(Krate::asyncgen()),
            }
        }
        Dependency::Named(_) | Dependency::Unknown => Ok(Krate::asyncgen()),
        Dependency::Missing => Err(Krate::asyncgen()),
    }
}

/// rustc's `@file` arguments replaced by the file's lines (cargo passes the arguments in a
/// file when the command line would be too long).
fn expand_argfiles(args: impl Iterator<Item = String>) -> impl Iterator<Item = String> {
    args.flat_map(|arg| match arg.strip_prefix('@') {
        Some(file) => std::fs::read_to_string(file)
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        None => vec![arg],
    })
}

/// The name rustc's `--extern` arguments give asyncgen: `asyncgen` itself if it is one,
/// else the name of the first whose library is asyncgen's (`libasyncgen-<hash>.rlib`).
pub(crate) fn find(args: impl IntoIterator<Item = String>) -> Dependency {
    let mut args = args.into_iter();
    let mut any_extern = false;
    let mut renamed = None;
    while let Some(arg) = args.next() {
        let value = if arg == "--extern" {
            match args.next() {
                Some(value) => value,
                None => break,
            }
        } else if let Some(value) = arg.strip_prefix("--extern=") {
            value.to_owned()
        } else {
            continue;
        };
        any_extern = true;
        // `[modifiers:]name[=path]`; a Windows path has its own `:`, after the `=`.
        let (name, path) = value.split_once('=').unwrap_or((&value, ""));
        let name = name.rsplit(':').next().unwrap_or(name);
        if name == "asyncgen" {
            return Dependency::Named(name.to_owned());
        }
        if renamed.is_none() && is_asyncgen_library(path) {
            renamed = Some(name.to_owned());
        }
    }
    match renamed {
        Some(name) => Dependency::Named(name),
        None if any_extern => Dependency::Missing,
        None => Dependency::Unknown,
    }
}

/// `../libasyncgen-0123abcd.rlib` (or `.rmeta`): asyncgen's library, not
/// `libasyncgen_macros-..` nor another crate's.
fn is_asyncgen_library(path: &str) -> bool {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    file.strip_prefix("libasyncgen")
        .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{Dependency, find, krate_for};

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn the_dependency_is_found_under_its_name() {
        let named = |name: &str| Dependency::Named(name.to_owned());
        assert_eq!(
            find(args(
                "rustc --extern asyncgen=/t/deps/libasyncgen-01ab.rmeta"
            )),
            named("asyncgen")
        );
        assert_eq!(
            find(args(
                "rustc --extern futures=/t/libfutures-9.rlib --extern ag=/t/deps/libasyncgen-01ab.rlib"
            )),
            named("ag")
        );
        // Its own name wins over a rename, modifiers and `--extern=` are read.
        assert_eq!(
            find(args(
                "rustc --extern=priv:ag=/t/libasyncgen-1.rlib --extern noprelude:asyncgen=C:\\t\\libasyncgen-1.rlib"
            )),
            named("asyncgen")
        );
        assert_eq!(
            find(args("rustc --extern ag=C:\\t\\deps\\libasyncgen-1.rlib")),
            named("ag")
        );
    }

    #[test]
    fn other_crates_are_not_asyncgen() {
        assert_eq!(
            find(args(
                "rustc --extern asyncgen_reexport=/t/libasyncgen_reexport-2.rlib --extern m=/t/libasyncgen_macros-3.so"
            )),
            Dependency::Missing
        );
        assert_eq!(find(args("proc-macro-srv")), Dependency::Unknown);
        assert_eq!(find(args("rustc --extern")), Dependency::Unknown);
    }

    #[test]
    fn a_renamed_dependency_is_named_from_the_root() {
        let krate = krate_for(&Dependency::Named("ag".to_owned())).ok().unwrap();
        let path = krate.private(proc_macro2::Span::call_site());
        assert_eq!(path.to_string(), quote!(::ag::__private).to_string());
        let krate = krate_for(&Dependency::Unknown).ok().unwrap();
        let path = krate.private(proc_macro2::Span::call_site());
        assert_eq!(path.to_string(), quote!(::asyncgen::__private).to_string());
        assert!(krate_for(&Dependency::Missing).is_err());
    }
}
