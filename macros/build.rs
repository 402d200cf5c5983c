//! Tells the macros whether the compiler is a stable or beta release. There, the syntax rustc
//! gates (`yield value`, `for await`) never compiles, even after the attributes lower it, and
//! they add an error showing the stable form beside rustc's "experimental" one. A nightly
//! crate may turn the feature on, and the literal form then works: no error of ours.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(asyncgen_stable_compiler)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=RUSTC_BOOTSTRAP");
    // `RUSTC_BOOTSTRAP` lets a stable compiler take `#![feature(..)]` (`-1` does the reverse).
    if env::var_os("RUSTC_BOOTSTRAP").is_some_and(|value| value != "-1") {
        return;
    }
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    // When the version cannot be read, no extra error: rustc's own is there either way.
    let Ok(output) = Command::new(rustc).arg("--version").output() else {
        return;
    };
    let version = String::from_utf8_lossy(&output.stdout);
    // `rustc 1.95.0 (..)`, `rustc 1.96.0-beta.2 (..)`, `rustc 1.97.0-nightly (..)`, and a
    // compiler built from source says `-dev`.
    if output.status.success()
        && version.starts_with("rustc ")
        && !version.contains("-nightly")
        && !version.contains("-dev")
    {
        println!("cargo::rustc-cfg=asyncgen_stable_compiler");
    }
}
