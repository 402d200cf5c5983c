//! A no-panic fuzz test of every entry point, which also checks what the output is, on
//! generated inputs (see [`grammar`]) and on mutations of them (see [`mutate`]).
//!
//! rust-analyzer expands the attributes on every keystroke, so they see every half-typed
//! state of a fn: a panic is an error on the whole item, and an output that does not parse
//! buries the user's real mistake under syntax errors in code they never wrote. For each
//! input, the test checks that:
//!
//! - the expansion does not panic;
//! - if the input parses (as an item for an attribute, as statements for `stream!` and
//!   `iter!`), the output parses, as items (attributes) or as an expression (`stream!`,
//!   `iter!`), whether or not it carries a `compile_error!`: rustc parses the output before it
//!   reports the `compile_error!`s in it;
//! - if the input does not parse, the output parses; or it parses once the statements that do
//!   not parse are taken out, since the macro keeps a statement it cannot parse as written
//!   (see `tolerant.rs`) and rustc then reports that statement's own syntax error (the test
//!   cannot tell those statements from ones the macro broke, which is why this only applies
//!   to inputs that do not parse); or it is `compile_error!`s, followed for an attribute by
//!   the item as written;
//! - an input the grammar made with nothing in it that the macro rejects expands without a
//!   `compile_error!` or a `yield_!(@error ..)`.
//!
//! `ASYNCGEN_FUZZ_CASES` sets the number of inputs (default 3 000: a light run) and
//! `ASYNCGEN_FUZZ_SEED` the seed. Input `n` depends on the seed and `n` only, so
//! `ASYNCGEN_FUZZ_ONLY=n` runs it alone; a failure prints that command. The full run:
//! `ASYNCGEN_FUZZ_CASES=100000 cargo test -p asyncgen-macros --release --lib fuzz -- --nocapture`.

mod grammar;
mod mutate;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use fastrand::Rng;
use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Block, Item, Stmt, Token, TraitItemFn, Type, braced};

use super::{Entry, call};
use crate::model::is_punct;

const DEFAULT_CASES: usize = 3_000;
const DEFAULT_SEED: u64 = 0x5EED_A5E7_6E17;

#[test]
fn expansions_never_panic_and_their_output_parses() {
    let config = Config::from_env();
    let quiet = QuietPanics::install();
    let started = Instant::now();
    let tally = run(&config);
    drop(quiet);
    println!(
        "asyncgen fuzz (seed {:#x}): {} inputs ran in {:.1?}; {tally}",
        config.seed,
        tally.ran,
        started.elapsed()
    );
    if !tally.failures.is_empty() {
        panic!("{}", tally.failure_report());
    }
    assert_eq!(tally.ran, config.indices().len(), "every input must run");
    if config.only.is_none() && config.cases >= 1_000 {
        tally.assert_meaningful();
    }
}

/// What to run, from the environment.
struct Config {
    cases: usize,
    seed: u64,
    /// `ASYNCGEN_FUZZ_ONLY`: a single input, to reproduce a failure.
    only: Option<usize>,
}

impl Config {
    fn from_env() -> Self {
        Config {
            cases: env_number("ASYNCGEN_FUZZ_CASES").unwrap_or(DEFAULT_CASES as u64) as usize,
            seed: env_number("ASYNCGEN_FUZZ_SEED").unwrap_or(DEFAULT_SEED),
            only: env_number("ASYNCGEN_FUZZ_ONLY").map(|n| n as usize),
        }
    }

    fn indices(&self) -> Vec<usize> {
        match self.only {
            Some(index) => vec![index],
            None => (0..self.cases).collect(),
        }
    }
}

/// A decimal or `0x` hexadecimal number from the environment.
fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim().replace('_', "");
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")))
}

/// Runs the inputs on every core: `proc_macro2` tokens are not `Send`, so each thread makes
/// its own inputs, from the seed and their index.
fn run(config: &Config) -> Tally {
    let indices = config.indices();
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(indices.len())
        .max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let mine: Vec<usize> = indices
                    .iter()
                    .copied()
                    .skip(worker)
                    .step_by(workers)
                    .collect();
                scope.spawn(move || run_worker(config.seed, &mine))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("the fuzz workers catch panics"))
            .fold(Tally::default(), Tally::merge)
    })
}

fn run_worker(seed: u64, indices: &[usize]) -> Tally {
    let mut tally = Tally::default();
    for &index in indices {
        let (case, skipped) = Case::make(seed, index);
        tally.skipped_text_mutations += skipped;
        tally.count_input(&case);
        match check(&case) {
            Ok(observed) => tally.count_output(observed),
            Err(problem) => tally.fail(Failure {
                seed,
                index,
                input_len: case.input.to_string().len(),
                case: case.describe(),
                problem,
            }),
        }
    }
    tally
}

/// Where an input comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Origin {
    Generated,
    TokenMutation,
    TextMutation,
}

/// One input to one macro.
struct Case {
    index: usize,
    entry: Entry,
    args: TokenStream,
    input: TokenStream,
    origin: Origin,
    /// A generated input with nothing the macro rejects.
    acceptable: bool,
}

impl Case {
    /// Input `index` for `seed`, and how many text mutations were skipped on the way because
    /// they did not lex. Entries take turns.
    fn make(seed: u64, index: usize) -> (Case, usize) {
        let mut rng = Rng::with_seed(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let entry = Entry::ALL[index % Entry::ALL.len()];
        let generated = grammar::generate(&mut rng, entry);
        let lexed = |text: &str| {
            TokenStream::from_str(text).unwrap_or_else(|error| {
                panic!("the grammar made text that does not lex ({error}): {text}")
            })
        };
        let mut case = Case {
            index,
            entry,
            args: lexed(&generated.args),
            input: lexed(&generated.input),
            origin: Origin::Generated,
            acceptable: generated.acceptable,
        };
        let mut skipped = 0;
        match rng.usize(..3) {
            0 => {}
            1 => case.mutate_tokens(&mut rng),
            _ => skipped = case.mutate_text(&mut rng, &generated.input),
        }
        if rng.usize(..10) == 0 {
            case.args = mutate::mutate_tokens(&mut rng, case.args);
            case.acceptable = false;
        }
        (case, skipped)
    }

    fn mutate_tokens(&mut self, rng: &mut Rng) {
        self.input = mutate::mutate_tokens(rng, std::mem::take(&mut self.input));
        self.origin = Origin::TokenMutation;
        self.acceptable = false;
    }

    /// Edits of the source text that lex, retried (and counted) while they do not; a token
    /// mutation if none does.
    fn mutate_text(&mut self, rng: &mut Rng, text: &str) -> usize {
        const ATTEMPTS: usize = 32;
        self.acceptable = false;
        for skipped in 0..ATTEMPTS {
            if let Ok(input) = TokenStream::from_str(&mutate::mutate_text(rng, text)) {
                self.input = input;
                self.origin = Origin::TextMutation;
                return skipped;
            }
        }
        self.mutate_tokens(rng);
        ATTEMPTS
    }

    fn describe(&self) -> String {
        format!(
            "input #{} ({:?}, {}!):\n  args:  {}\n  input: {}",
            self.index,
            self.origin,
            self.entry.name(),
            self.args,
            self.input
        )
    }
}

/// What a passing input's output showed.
#[derive(Clone, Copy)]
struct Observed {
    compile_error: bool,
    /// `yield_!(@error ..)`: an error reported through the user's `yield_!`.
    yield_error: bool,
    shape: Shape,
}

/// How the output passed the parse check.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Parses,
    /// Only without the statements that do not parse (kept as written, for an input that
    /// does not parse).
    ParsesWithoutKeptStatements,
    /// `compile_error!`s (and the item as written), for an input that does not parse.
    ErrorReport,
}

/// The properties in the module's documentation, for one input.
fn check(case: &Case) -> Result<Observed, String> {
    let output = expand_catching_panics(case)?;
    check_grammar(case)?;
    let compile_error = calls_macro(&output, "compile_error");
    let yield_error = has_yield_error(&output);
    if case.acceptable && (compile_error || yield_error) {
        return Err(format!(
            "an input with nothing to reject was rejected:\n  output: {output}"
        ));
    }
    let shape = check_parses(case, &output, compile_error)?;
    Ok(Observed {
        compile_error,
        yield_error,
        shape,
    })
}

/// The strict checks rely on generated inputs being valid syntax.
fn check_grammar(case: &Case) -> Result<(), String> {
    if case.origin != Origin::Generated {
        return Ok(());
    }
    match input_parse_error(case.entry, &case.input) {
        Some(error) => Err(format!(
            "the grammar made an input that does not parse: {error}"
        )),
        None => Ok(()),
    }
}

fn check_parses(case: &Case, output: &TokenStream, compile_error: bool) -> Result<Shape, String> {
    let readable = as_syn_reads_it(output);
    let Some(error) = output_parse_error(case.entry, &readable) else {
        return Ok(Shape::Parses);
    };
    // Generated inputs parse: `check_grammar`.
    if case.origin == Origin::Generated || input_parse_error(case.entry, &case.input).is_none() {
        let carrying = if compile_error {
            "though it carries compile_error"
        } else {
            "and carries no compile_error"
        };
        return Err(format!(
            "the input parses but its output does not ({error}), {carrying}:\n  output: {output}"
        ));
    }
    if output_parse_error(case.entry, &without_unparsable_statements(&readable)).is_none() {
        return Ok(Shape::ParsesWithoutKeptStatements);
    }
    if is_error_report(case, output) {
        return Ok(Shape::ErrorReport);
    }
    Err(format!(
        "the output does not parse ({error}), even without the statements that do not parse, \
         and is not an error report:\n  output: {output}"
    ))
}

/// An output that does not parse is acceptable as the macro's answer to an input it cannot
/// read: `compile_error!`s, then (for an attribute) the item as written, so that rustc
/// reports the item's own syntax errors as well.
fn is_error_report(case: &Case, output: &TokenStream) -> bool {
    if case.entry.is_attribute() {
        let (output, input) = (output.to_string(), case.input.to_string());
        return calls_macro(&before_echoed_item(&output, &input), "compile_error");
    }
    syn::parse2::<syn::File>(output.clone())
        .is_ok_and(|file| !file.items.is_empty() && file.items.iter().all(is_compile_error_item))
}

/// The output without the item echoed at its end, as tokens (empty when it does not end
/// with the item).
fn before_echoed_item(output: &str, input: &str) -> TokenStream {
    output
        .strip_suffix(input)
        .and_then(|prefix| TokenStream::from_str(prefix).ok())
        .unwrap_or_default()
}

fn is_compile_error_item(item: &Item) -> bool {
    matches!(item, Item::Macro(mac) if mac.mac.path.segments.last().is_some_and(|s| s.ident == "compile_error"))
}

// The panic hook: quiet while an expansion runs on this thread, which keeps the panic's
// message and place for the failure report instead.

thread_local! {
    static EXPANDING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn expand_catching_panics(case: &Case) -> Result<TokenStream, String> {
    let (entry, args, input) = (case.entry, case.args.clone(), case.input.clone());
    EXPANDING.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(|| call(entry, args, input)));
    EXPANDING.set(false);
    result.map_err(|payload| {
        let message = CAUGHT
            .take()
            .unwrap_or_else(|| match payload.downcast::<String>() {
                Ok(message) => *message,
                Err(payload) => payload
                    .downcast::<&str>()
                    .map_or_else(|_| "a panic".to_owned(), |message| (*message).to_owned()),
            });
        format!("the expansion panicked: {message}")
    })
}

type Hook = dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static;

/// Installs the quiet hook; dropping it puts the previous hook back (what it calls).
struct QuietPanics {
    previous: Arc<Hook>,
}

impl QuietPanics {
    fn install() -> Self {
        let previous: Arc<Hook> = Arc::from(panic::take_hook());
        let fallback = Arc::clone(&previous);
        panic::set_hook(Box::new(move |info| {
            if EXPANDING.get() {
                CAUGHT.set(Some(info.to_string()));
            } else {
                fallback(info);
            }
        }));
        QuietPanics { previous }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return; // the hook cannot be set then; the quiet one calls the previous one anyway
        }
        let previous = Arc::clone(&self.previous);
        drop(panic::take_hook());
        panic::set_hook(Box::new(move |info| previous(info)));
    }
}

// Reading the tokens.

/// Whether `tokens` call the macro `name` (`name!`) anywhere.
fn calls_macro(tokens: &TokenStream, name: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Ident(ident) => {
            ident == name
                && matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!')
        }
        TokenTree::Group(group) => calls_macro(&group.stream(), name),
        _ => false,
    })
}

/// Whether `tokens` hold an `@error` (as in `yield_!(@error "..")`) anywhere.
fn has_yield_error(tokens: &TokenStream) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Punct(p) if p.as_char() == '@' => {
            matches!(trees.get(i + 1), Some(TokenTree::Ident(ident)) if ident == "error")
        }
        TokenTree::Group(group) => has_yield_error(&group.stream()),
        _ => false,
    })
}

/// Why the input is not what the macro can read as a whole, if it is not: an item (or a trait
/// method declaration) for an attribute, the statements (maybe after `-> Type`) for `stream!`
/// and `iter!`, with `for await` read as `for`.
fn input_parse_error(entry: Entry, input: &TokenStream) -> Option<syn::Error> {
    // `syn` takes `'yield` and `'for` for lifetimes, rustc does not ("lifetimes cannot use
    // keyword names"), and the desugaring of `stream!` and `iter!` reads the keyword in them
    // (`break 'yield x;` becomes `break '::asyncgen::yield_!(..)`): such an input is not
    // valid Rust, and its output is only held to the checks of other invalid inputs.
    if let Some(keyword) = keyword_lifetime(input) {
        return Some(syn::Error::new(
            keyword.span(),
            "a lifetime named by a keyword",
        ));
    }
    let input = &as_syn_reads_it(input);
    if entry.is_attribute() {
        let error = syn::parse2::<Item>(input.clone()).err()?;
        return syn::parse2::<TraitItemFn>(input.clone())
            .err()
            .map(|_| error);
    }
    block_macro_body.parse2(for_await_as_for(input)).err()
}

/// The name of the first lifetime (`'` then an identifier) named by a keyword, at any depth.
fn keyword_lifetime(tokens: &TokenStream) -> Option<proc_macro2::Ident> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().find_map(|(i, tree)| match tree {
        TokenTree::Punct(quote) if quote.as_char() == '\'' => match trees.get(i + 1) {
            Some(TokenTree::Ident(name)) if is_keyword(&name.to_string()) => Some(name.clone()),
            _ => None,
        },
        TokenTree::Group(group) => keyword_lifetime(&group.stream()),
        _ => None,
    })
}

/// Rust's keywords, strict and reserved, but `static` (`'static` is a lifetime).
fn is_keyword(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "Self", "struct", "super", "trait", "true",
        "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final",
        "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    KEYWORDS.contains(&word)
}

/// `-> Type { stmts }` or `stmts`.
fn block_macro_body(input: ParseStream<'_>) -> syn::Result<()> {
    if input.peek(Token![->]) {
        input.parse::<Token![->]>()?;
        input.parse::<Type>()?;
        let content;
        braced!(content in input);
        content.call(Block::parse_within)?;
        return if input.is_empty() {
            Ok(())
        } else {
            Err(input.error("tokens after the body"))
        };
    }
    input.call(Block::parse_within).map(drop)
}

/// `for await` → `for`, at any depth: the same syntax, without the `#[for_await]` that the
/// macro puts in front (and before a label).
fn for_await_as_for(tokens: &TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    for (i, tree) in trees.iter().enumerate() {
        let after_for = i > 0 && matches!(&trees[i - 1], TokenTree::Ident(f) if f == "for");
        match tree {
            TokenTree::Ident(ident) if after_for && ident == "await" => {}
            TokenTree::Group(group) => {
                out.push(regroup(group, for_await_as_for(&group.stream())));
            }
            other => out.push(other.clone()),
        }
    }
    out.into_iter().collect()
}

/// Why the output does not parse as items (attributes) or an expression, if it does not.
fn output_parse_error(entry: Entry, output: &TokenStream) -> Option<syn::Error> {
    if entry.is_attribute() {
        syn::parse2::<syn::File>(output.clone()).err()
    } else {
        syn::parse2::<syn::Expr>(output.clone()).err()
    }
}

/// `tokens` with `break 'label ::path` written `break 'label path`: `syn` reads `'label ::` as
/// the `'label:` of a loop, where rustc reads a path (the macro's errors are
/// `::core::compile_error!`, so `break 'a x.await` in `iter!` gives one).
fn as_syn_reads_it(tokens: &TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        let after_break_label = matches!(out.as_slice(),
            [.., TokenTree::Ident(keyword), quote, TokenTree::Ident(_)]
                if keyword == "break" && is_punct(quote, '\''));
        let path_colons =
            is_punct(&trees[i], ':') && trees.get(i + 1).is_some_and(|next| is_punct(next, ':'));
        if after_break_label && path_colons {
            i += 2;
            continue;
        }
        out.push(match &trees[i] {
            TokenTree::Group(group) => regroup(group, as_syn_reads_it(&group.stream())),
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// `tokens` without the statements of `{ .. }` groups that do not parse (each up to and
/// including its `;`): what is left of an output once the statements the macro kept as
/// written are taken out. Only what does not parse is looked into, so only the statements
/// that do not parse themselves go.
fn without_unparsable_statements(tokens: &TokenStream) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                regroup(&group, parsable_statements(&group.stream()))
            }
            TokenTree::Group(group) => {
                regroup(&group, without_unparsable_statements(&group.stream()))
            }
            other => other,
        })
        .collect()
}

/// The `;`-terminated pieces of `tokens` that parse as statements (the last may end with a
/// tail expression), once what is inside them is mended.
fn parsable_statements(tokens: &TokenStream) -> TokenStream {
    let mut kept = TokenStream::new();
    let mut piece = TokenStream::new();
    for tree in tokens.clone() {
        let ends_piece = is_punct(&tree, ';');
        piece.extend([tree]);
        if ends_piece {
            kept.extend(mended_statement(std::mem::take(&mut piece)));
        }
    }
    kept.extend(mended_statement(piece));
    kept
}

/// `piece` if it parses as statements, else what parses once the groups in it are mended.
fn mended_statement(piece: TokenStream) -> Option<TokenStream> {
    let parses = |piece: &TokenStream| {
        (|input: ParseStream<'_>| {
            while !input.is_empty() {
                input.parse::<Stmt>()?;
            }
            Ok(())
        })
        .parse2(piece.clone())
        .is_ok()
    };
    if parses(&piece) {
        return Some(piece);
    }
    let mended = without_unparsable_statements(&piece);
    parses(&mended).then_some(mended)
}

fn regroup(group: &Group, stream: TokenStream) -> TokenTree {
    let mut new = Group::new(group.delimiter(), stream);
    new.set_span(group.span());
    TokenTree::Group(new)
}

// Counting.

/// A failing input, with what reproduces it.
struct Failure {
    seed: u64,
    index: usize,
    /// Of the input as text: the shortest failing input of a kind is the one reported.
    input_len: usize,
    case: String,
    problem: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.problem)?;
        writeln!(f, "{}", self.case)?;
        write!(
            f,
            "reproduce with: ASYNCGEN_FUZZ_SEED={:#x} ASYNCGEN_FUZZ_ONLY={} \
             cargo test -p asyncgen-macros --lib fuzz",
            self.seed, self.index
        )
    }
}

#[derive(Default)]
struct Tally {
    ran: usize,
    by_entry: [usize; Entry::ALL.len()],
    generated: usize,
    token_mutations: usize,
    text_mutations: usize,
    skipped_text_mutations: usize,
    compile_errors: usize,
    yield_errors: usize,
    parsed_outputs: usize,
    kept_as_written: usize,
    error_reports: usize,
    acceptable: usize,
    failed: usize,
    /// The shortest failing input for each kind of problem.
    failures: BTreeMap<String, Failure>,
}

impl Tally {
    fn count_input(&mut self, case: &Case) {
        self.ran += 1;
        self.by_entry[case.entry as usize] += 1;
        match case.origin {
            Origin::Generated => self.generated += 1,
            Origin::TokenMutation => self.token_mutations += 1,
            Origin::TextMutation => self.text_mutations += 1,
        }
        self.acceptable += usize::from(case.acceptable);
    }

    fn count_output(&mut self, observed: Observed) {
        self.compile_errors += usize::from(observed.compile_error);
        self.yield_errors += usize::from(observed.yield_error);
        match observed.shape {
            Shape::Parses => self.parsed_outputs += 1,
            Shape::ParsesWithoutKeptStatements => self.kept_as_written += 1,
            Shape::ErrorReport => self.error_reports += 1,
        }
    }

    fn fail(&mut self, failure: Failure) {
        self.failed += 1;
        self.keep_failure(failure);
    }

    fn keep_failure(&mut self, failure: Failure) {
        let kind = failure
            .problem
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        match self.failures.get(&kind) {
            Some(kept) if kept.input_len <= failure.input_len => {}
            _ => {
                self.failures.insert(kind, failure);
            }
        }
    }

    fn failure_report(&self) -> String {
        let shortest: Vec<String> = self.failures.values().map(ToString::to_string).collect();
        format!(
            "{} inputs failed; the shortest of each kind of failure:\n\n{}",
            self.failed,
            shortest.join("\n\n")
        )
    }

    fn merge(mut self, other: Tally) -> Tally {
        self.ran += other.ran;
        for (mine, theirs) in self.by_entry.iter_mut().zip(other.by_entry) {
            *mine += theirs;
        }
        self.generated += other.generated;
        self.token_mutations += other.token_mutations;
        self.text_mutations += other.text_mutations;
        self.skipped_text_mutations += other.skipped_text_mutations;
        self.compile_errors += other.compile_errors;
        self.yield_errors += other.yield_errors;
        self.parsed_outputs += other.parsed_outputs;
        self.kept_as_written += other.kept_as_written;
        self.error_reports += other.error_reports;
        self.acceptable += other.acceptable;
        self.failed += other.failed;
        for failure in other.failures.into_values() {
            self.keep_failure(failure);
        }
        self
    }

    /// Guards against a vacuous run: every entry ran, most outputs parsed, and many inputs had
    /// nothing to reject (and expanded without an error).
    fn assert_meaningful(&self) {
        for (entry, count) in Entry::ALL.iter().zip(self.by_entry) {
            assert!(count > 0, "no input for {}", entry.name());
        }
        assert!(
            self.acceptable * 10 >= self.ran,
            "too few acceptable inputs: {self}"
        );
        assert!(
            self.parsed_outputs * 2 >= self.ran,
            "too few outputs parse: {self}"
        );
        assert!(
            self.compile_errors < self.ran,
            "every output is an error: {self}"
        );
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} generated, {} token-mutated, {} text-mutated ({} text mutations that did not \
             lex skipped); {} outputs carried compile_error, {} a `yield_!(@error ..)`; {} \
             outputs parsed, {} only without the statements kept as written, {} were error \
             reports; {} inputs had nothing to reject (and expanded without an error); {} \
             failed",
            self.generated,
            self.token_mutations,
            self.text_mutations,
            self.skipped_text_mutations,
            self.compile_errors,
            self.yield_errors,
            self.parsed_outputs,
            self.kept_as_written,
            self.error_reports,
            self.acceptable,
            self.failed
        )
    }
}
