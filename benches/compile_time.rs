//! `cargo bench --bench compile_time`: workload (7), the compile time of a crate with 200
//! generator fns written with `#[async_gen]` vs the same 200 written with
//! `async_stream::stream!` (`try_stream!` for the ones that use `?`).
//!
//! It writes two small crates under `target/compile-time-bench/` (`asyncgen/` and
//! `async-stream/`) whose fns have the same bodies, item types and arguments (ten shapes:
//! plain loops, awaits of `std::future::ready`, `if`/`match`/`while`, `let else` with an early
//! `return`, `String`, tuple and `Result` items with `?`, and a `for await` over another
//! generator of the crate). Both depend on `futures-core`, one on asyncgen by path, the other
//! on async-stream 0.3.6 (the root's dev-dependency); they start from the workspace's
//! `Cargo.lock`, so every cargo command runs `--offline`.
//!
//! A warm-up builds them with one shared `CARGO_TARGET_DIR`
//! (`target/compile-time-bench/target`), so the dependencies are compiled once, and checks
//! that both crates' generators yield the same items (the `checksum` example of each, which
//! drains all 200). Then each timed step is `cargo clean -p <crate>` (not timed) followed by
//! one of, for that crate alone:
//!
//! - `check`: `cargo check`;
//! - `build`: `cargo build` (debug, incremental as by default). A generator's state machine is
//!   only compiled to code where the stream is polled, so this is mostly `check` plus
//!   metadata and the constructors;
//! - `driven`: `cargo build --features drive`, which adds a fn that polls every generator to
//!   the end: the code a binary using them would compile.
//!
//! The two crates alternate, the first one switching each round. It prints, per variant, the
//! median seconds of each step (with the rounds' spread) and the ratio of the medians to
//! async-stream's, twice: wall-clock, and CPU time (user + system of cargo and the rustc it
//! runs, from `/proc/self/stat`; Linux only), which other processes on the machine disturb
//! less. Both include cargo's own start-up (about 0.03 s, the same for both), so the ratios
//! slightly understate the difference in rustc time.
//!
//! Options (after `--`): `--rounds R` (default 5), `--fns N` (default 200). About 30 s on 2
//! cores once the dependencies are built (the first run builds them: about 15 s more).
//! Nothing runs at build time: `cargo bench --no-run` only compiles this file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What the command line asked for.
struct Options {
    rounds: usize,
    fns: usize,
}

impl Options {
    fn from_args() -> Self {
        let mut options = Options {
            rounds: 5,
            fns: 200,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> usize {
                args.next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("{name} N"))
            };
            match arg.as_str() {
                "--rounds" => options.rounds = number("--rounds").max(1),
                "--fns" => options.fns = number("--fns").max(1),
                // `cargo bench` passes `--bench`; a filter word means nothing here.
                _ => {}
            }
        }
        options
    }
}

/// One generator shape. In `body`, `<<e>>` is a yield of `e` and `for await` a loop over a
/// stream; `{c}` is a per-fn constant (1..=97), so no two fns are identical.
struct Shape {
    args: &'static str,
    item: &'static str,
    /// The items are `Result`s and the body uses `?`: async-stream needs `try_stream!`, where
    /// `yield e` means `Ok(e)`.
    fallible: bool,
    body: &'static str,
    /// The arguments `drive()` calls it with.
    call: &'static str,
}

const SHAPES: [Shape; 10] = [
    // Shape 0 (so `g0`) is what shape 9 loops over.
    Shape {
        args: "n: u64",
        item: "u64",
        fallible: false,
        body: "
        for i in 0..n {
            <<i * {c}>>;
        }",
        call: "7",
    },
    Shape {
        args: "n: u64",
        item: "u64",
        fallible: false,
        body: "
        let mut total = 0u64;
        for i in 0..n {
            total += std::future::ready(i + {c}).await;
            <<total>>;
        }",
        call: "5",
    },
    Shape {
        args: "start: u32, stop: u32",
        item: "u32",
        fallible: false,
        body: "
        for i in start..stop {
            if i % 3 == {c} % 3 {
                std::future::ready(()).await;
                <<i * i>>;
            } else if i % 5 == 0 {
                <<i + {c}>>;
            }
        }",
        call: "1, 20",
    },
    Shape {
        args: "prefix: &str, n: usize",
        item: "String",
        fallible: false,
        body: "
        for i in 0..n {
            let s = std::future::ready(format!(\"{prefix}-{i}-{c}\")).await;
            <<s>>;
        }",
        call: "\"p\", 3",
    },
    Shape {
        args: "items: Vec<i64>",
        item: "i64",
        fallible: false,
        body: "
        let mut acc: i64 = {c};
        for x in items {
            acc += x;
            if acc % 2 == 0 {
                std::future::ready(()).await;
            }
            <<acc>>;
        }",
        call: "vec![3, -1, 4, 1]",
    },
    Shape {
        args: "lines: Vec<&'static str>",
        item: "Result<u32, std::num::ParseIntError>",
        fallible: true,
        body: "
        for line in lines {
            let v: u32 = line.trim().parse()?;
            std::future::ready(()).await;
            <<v + {c}>>;
        }",
        call: "vec![\"1\", \" 22 \", \"x\", \"4\"]",
    },
    Shape {
        args: "n: u16",
        item: "u32",
        fallible: false,
        body: "
        let mut i = 0u16;
        while i < n {
            match i % 3 {
                0 => {
                    <<u32::from(i)>>;
                }
                1 => {
                    let d = std::future::ready(u32::from(i) * {c}).await;
                    <<d>>;
                }
                _ => {}
            }
            i += 1;
        }",
        call: "8",
    },
    Shape {
        args: "limit: Option<u8>",
        item: "u8",
        fallible: false,
        body: "
        let Some(limit) = limit else {
            return;
        };
        for i in 0..limit {
            <<i.wrapping_add({c})>>;
        }",
        call: "Some(5)",
    },
    Shape {
        args: "w: u8, h: u8",
        item: "(u8, u8)",
        fallible: false,
        body: "
        for y in 0..h {
            std::future::ready(()).await;
            for x in 0..w {
                <<(x, y.wrapping_mul({c}))>>;
            }
        }",
        call: "3, 2",
    },
    Shape {
        args: "n: u64",
        item: "u64",
        fallible: false,
        body: "
        for await x in g0(n) {
            if x % 2 == 1 {
                <<x + {c}>>;
            }
        }",
        call: "9",
    },
];

#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    Asyncgen,
    AsyncStream,
}

impl Flavor {
    fn label(self) -> &'static str {
        match self {
            Flavor::Asyncgen => "#[async_gen]",
            Flavor::AsyncStream => "async_stream::stream!",
        }
    }

    fn dir_name(self) -> &'static str {
        match self {
            Flavor::Asyncgen => "asyncgen",
            Flavor::AsyncStream => "async-stream",
        }
    }

    fn package(self) -> &'static str {
        match self {
            Flavor::Asyncgen => "ct-asyncgen",
            Flavor::AsyncStream => "ct-async-stream",
        }
    }
}

/// `body` with its yields and `for await` loops written for `flavor`.
fn lower_body(body: &str, flavor: Flavor, fallible: bool, c: usize) -> String {
    let body = body.replace("{c}", &c.to_string());
    let body = match flavor {
        // One level less indented: no macro around the body.
        Flavor::Asyncgen => body
            .replace("\n    ", "\n")
            .replace("for await ", "#[for_await]\n    for "),
        Flavor::AsyncStream => body,
    };
    let mut out = String::new();
    let mut rest = body.as_str();
    while let Some(start) = rest.find("<<") {
        let end = start + rest[start..].find(">>").expect("an unclosed `<<`");
        let value = &rest[start + 2..end];
        out.push_str(&rest[..start]);
        match (flavor, fallible) {
            (Flavor::Asyncgen, false) => write!(out, "yield_!({value})"),
            (Flavor::Asyncgen, true) => write!(out, "yield_!(Ok({value}))"),
            (Flavor::AsyncStream, _) => write!(out, "yield {value}"),
        }
        .unwrap();
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The generated crate's `lib.rs`: `fns` generators, shape `k % 10` for `g{k}`.
fn lib_rs(flavor: Flavor, fns: usize) -> String {
    let mut out = String::from(
        "//! Generated by `cargo bench --bench compile_time` (benches/compile_time.rs).\n",
    );
    out.push_str(match flavor {
        Flavor::Asyncgen => "use asyncgen::{async_gen, for_await, yield_};\n",
        Flavor::AsyncStream => "use futures_core::Stream;\n",
    });
    for k in 0..fns {
        let shape = &SHAPES[k % SHAPES.len()];
        let (args, item) = (shape.args, shape.item);
        let body = lower_body(shape.body, flavor, shape.fallible, k % 97 + 1);
        match flavor {
            Flavor::Asyncgen => write!(
                out,
                "\n#[async_gen]\npub async fn g{k}({args}) -> {item} {{{body}\n}}\n"
            ),
            Flavor::AsyncStream => {
                let mac = if shape.fallible {
                    "try_stream"
                } else {
                    "stream"
                };
                write!(
                    out,
                    "\npub fn g{k}({args}) -> impl Stream<Item = {item}> {{\n    \
                     async_stream::{mac}! {{{body}\n    }}\n}}\n"
                )
            }
        }
        .unwrap();
    }
    let calls: String = (0..fns)
        .map(|k| {
            format!(
                "        drain(super::g{k}({}), &mut hash);\n",
                SHAPES[k % SHAPES.len()].call
            )
        })
        .collect();
    write!(out, "{DRIVE_HEAD}{calls}{DRIVE_TAIL}").unwrap();
    out
}

/// Behind the `drive` feature: `drive()` drains every generator (each is always ready) and
/// hashes the items' `Debug` forms. The time to build it is the `driven` column (the
/// generators' state machines are compiled to code only where they are used); run by the
/// `checksum` example, it shows that the two crates' generators yield the same items.
const DRIVE_HEAD: &str = "
#[cfg(feature = \"drive\")]
mod drive {
    use core::fmt::Debug;
    use core::pin::pin;
    use core::task::{Context, Poll, Waker};
    use futures_core::Stream;

    fn mix(hash: &mut u64, item: &dyn Debug) {
        for byte in format!(\"{item:?};\").bytes() {
            *hash = (*hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn drain<S: Stream>(stream: S, hash: &mut u64)
    where
        S::Item: Debug,
    {
        let mut stream = pin!(stream);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            match stream.as_mut().poll_next(&mut cx) {
                Poll::Ready(Some(item)) => mix(hash, &item),
                Poll::Ready(None) => break,
                Poll::Pending => {}
            }
        }
    }

    /// The hash of every generator's items.
    pub fn drive() -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325;
";

const DRIVE_TAIL: &str = "        hash
    }
}

#[cfg(feature = \"drive\")]
pub use drive::drive;
";

fn cargo_toml(flavor: Flavor, workspace: &Path) -> String {
    let dependency = match flavor {
        Flavor::Asyncgen => format!(
            "asyncgen = {{ path = {:?} }}",
            workspace.join("core").display().to_string()
        ),
        // The root's dev-dependency.
        Flavor::AsyncStream => "async-stream = \"0.3.6\"".to_owned(),
    };
    format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{dependency}\n\
         futures-core = {{ version = \"0.3.31\", default-features = false }}\n\n\
         [features]\ndrive = []\n\n\
         [[example]]\nname = \"checksum\"\nrequired-features = [\"drive\"]\n\n\
         # Not a member of the asyncgen workspace around it.\n[workspace]\n",
        flavor.package()
    )
}

/// Writes `path` unless it already holds `contents` (an unchanged crate stays built).
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

struct Crate {
    flavor: Flavor,
    manifest: PathBuf,
    lines: usize,
}

fn generate(flavor: Flavor, workspace: &Path, root: &Path, fns: usize) -> Crate {
    let dir = root.join(flavor.dir_name());
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let lib = lib_rs(flavor, fns);
    write_if_changed(&dir.join("Cargo.toml"), &cargo_toml(flavor, workspace));
    write_if_changed(&dir.join("src/lib.rs"), &lib);
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    let crate_name = flavor.package().replace('-', "_");
    write_if_changed(
        &dir.join("examples/checksum.rs"),
        &format!("fn main() {{\n    println!(\"{{}}\", {crate_name}::drive());\n}}\n"),
    );
    // The workspace's lock file pins the same dependency versions (cargo drops the entries
    // the crate does not use), and resolving offline needs nothing else.
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    Crate {
        flavor,
        manifest: dir.join("Cargo.toml"),
        lines: lib.lines().count(),
    }
}

/// One cargo run: wall-clock seconds, CPU seconds (user + system, of cargo and the rustc it
/// ran) where the platform tells, and its standard output.
struct Run {
    wall: f64,
    cpu: Option<f64>,
    stdout: String,
}

/// The CPU seconds used so far by the waited-for children of this process (and theirs):
/// `cutime + cstime` of `/proc/self/stat`, in ticks of 1/100 s (`USER_HZ` on Linux).
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the `(command)`: the state is field 3, cutime and cstime are fields 16 and 17.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    let ticks = |i: usize| fields.get(i - 3)?.parse::<f64>().ok();
    Some((ticks(16)? + ticks(17)?) / 100.0)
}

/// Runs `cargo <args> --offline` on `krate`, panicking with its output if it fails.
fn cargo(krate: &Crate, target_dir: &Path, args: &[&str]) -> Run {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .arg("--offline")
        .arg("--manifest-path")
        .arg(&krate.manifest)
        .env("CARGO_TARGET_DIR", target_dir);
    // Nothing of the outer `cargo bench` leaks in (its jobserver, its package).
    for var in [
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_PRIMARY_PACKAGE",
    ] {
        command.env_remove(var);
    }
    let cpu_before = children_cpu();
    let start = Instant::now();
    let output = command.output().expect("cannot run cargo");
    let wall = start.elapsed().as_secs_f64();
    let cpu = children_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    if !output.status.success() {
        panic!(
            "`cargo {}` of {} failed:\n{}{}",
            args.join(" "),
            krate.manifest.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Run {
        wall,
        cpu,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// The timed steps: a column name and cargo's arguments.
const MODES: [(&str, &[&str]); 3] = [
    ("check", &["check", "--quiet"]),
    ("build", &["build", "--quiet"]),
    ("driven", &["build", "--quiet", "--features", "drive"]),
];

/// Prints one table: per variant (asyncgen first), the median seconds of each mode with the
/// spread of the rounds, then the ratios of the medians to async-stream's (`crates[0]`).
/// `seconds[crate][mode][round]`.
fn print_table(title: &str, crates: &[Crate], seconds: &[Vec<Vec<f64>>]) {
    println!("\n{title}\n");
    let mut header = String::from("| variant |");
    let mut rule = String::from("|---|");
    for (name, _) in MODES {
        write!(header, " {name}: s (min-max) |").unwrap();
        rule.push_str("---|");
    }
    for (name, _) in MODES {
        write!(header, " {name} x async-stream |").unwrap();
        rule.push_str("---|");
    }
    println!("{header}\n{rule}");
    for (krate, of_crate) in crates.iter().zip(seconds).rev() {
        let mut row = format!("| {} |", krate.flavor.label());
        for s in of_crate {
            let min = s.iter().copied().fold(f64::INFINITY, f64::min);
            let max = s.iter().copied().fold(0.0, f64::max);
            write!(row, " {:.2} ({min:.2}-{max:.2}) |", median(s)).unwrap();
        }
        for (s, base) in of_crate.iter().zip(&seconds[0]) {
            write!(row, " {:.2} |", median(s) / median(base)).unwrap();
        }
        println!("{row}");
    }
}

fn main() {
    let options = Options::from_args();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = workspace.join("target/compile-time-bench");
    let target_dir = root.join("target");
    // async-stream first: it is the baseline of the ratios.
    let crates = [Flavor::AsyncStream, Flavor::Asyncgen]
        .map(|flavor| generate(flavor, workspace, &root, options.fns));

    println!(
        "compile time of {} generator fns ({} lines with #[async_gen], {} with stream!), \
         {} rounds, crates in {}",
        options.fns,
        crates[1].lines,
        crates[0].lines,
        options.rounds,
        root.display()
    );
    let start = Instant::now();
    let mut checksums = Vec::new();
    for krate in &crates {
        for (_, args) in MODES {
            cargo(krate, &target_dir, args);
        }
        let run = [
            "run",
            "--quiet",
            "--features",
            "drive",
            "--example",
            "checksum",
        ];
        checksums.push(cargo(krate, &target_dir, &run).stdout);
    }
    assert!(
        checksums.iter().all(|c| *c == checksums[0]),
        "the two crates' generators yield different items: {checksums:?}"
    );
    println!(
        "warm-up (dependencies, first builds; both crates' items hash to {}): {:.1} s",
        checksums[0].trim(),
        start.elapsed().as_secs_f64()
    );

    // [crate][mode][round]
    let mut wall = vec![vec![Vec::new(); MODES.len()]; crates.len()];
    let mut cpu = wall.clone();
    for round in 0..options.rounds {
        for i in 0..crates.len() {
            let c = (i + round) % crates.len();
            let krate = &crates[c];
            for (m, (_, args)) in MODES.iter().enumerate() {
                let clean = ["clean", "--quiet", "-p", krate.flavor.package()];
                cargo(krate, &target_dir, &clean);
                let run = cargo(krate, &target_dir, args);
                wall[c][m].push(run.wall);
                cpu[c][m].extend(run.cpu);
            }
        }
        eprint!("\rround {}/{}", round + 1, options.rounds);
    }
    eprintln!();

    print_table("wall-clock", &crates, &wall);
    if cpu.iter().flatten().all(|s| s.len() == options.rounds) {
        print_table("CPU (user + system of cargo and rustc)", &crates, &cpu);
    }
    println!(
        "\nmedians of `cargo check` / `cargo build` (debug) / `cargo build --features drive` \
         (every generator polled to the end, so its state machine is compiled to code) of the \
         crate alone, its dependencies already built; target: #[async_gen] within 1.2x of \
         async-stream"
    );
}
