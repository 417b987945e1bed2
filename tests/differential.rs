//! Differential test of the whole checker against the executable Ruby model of Canvas
//! (`../shared/oracle/canvas_outcomes_model.rb`).
//!
//! A deterministic generator (`differential/generator.rs`) writes files of many shapes, valid
//! and broken in every way `../shared/REFERENCE.md` names; each file is checked by our library
//! (`outcomes_rules::check_bytes`) and by the Ruby model (`--batch`, one process per chunk of
//! files sharing the same account options), and the two reports are compared as JSON values.
//!
//! Environment:
//! - `OUTCOMES_LINT_DIFF_FILES`: how many files (default 300).
//! - `OUTCOMES_LINT_DIFF_SEED`: the base seed, decimal or `0x` hex (default fixed).
//! - `OUTCOMES_LINT_DIFF_FILE_SEED`: check only the file of this seed (as printed on a mismatch).
//! - `OUTCOMES_LINT_ORACLE`: the model's path (default `../shared/oracle/canvas_outcomes_model.rb`).
//! - `OUTCOMES_LINT_DIFF_VERBOSE`: also print which messages the corpus produced.
//! - `OUTCOMES_LINT_DIFF_DUMP`: a directory to copy every generated file to (for inspection).
//! - `CI=true`: a missing `ruby` or model fails the test instead of skipping it.
//!
//! The model runs as `ruby -E UTF-8`, as Canvas does: under a non-UTF-8 locale (`LANG` unset,
//! common in containers) Ruby's `String#inspect` escapes every non-ASCII character.
//!
//! Mismatching files are saved in `target/differential-failures/` with both outputs, so that
//! `ruby -E UTF-8 ../shared/oracle/canvas_outcomes_model.rb FILE` and
//! `cargo run -p outcomes-lint -- check --format canvas FILE` can be rerun by hand.

#[path = "differential/generator.rs"]
mod generator;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use generator::{derive_seed, generate, OptionSet};
use outcomes_rules::check_bytes;
use serde_json::Value;

const DEFAULT_SEED: u64 = 0x0C7C_0E5D_1FF5_EED0;
const DEFAULT_FILES: usize = 300;
/// At most this many files, or this many bytes, per Ruby process.
const CHUNK_FILES: usize = 200;
const CHUNK_BYTES: usize = 8 << 20;
const MAX_SHOWN: usize = 10;

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn parse_u64(text: &str) -> Option<u64> {
    let t = text.trim().replace('_', "");
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok().filter(|v| !v.trim().is_empty())?;
    Some(parse_u64(&value).unwrap_or_else(|| panic!("{name}={value:?} is not a number")))
}

/// The model's path, or `None` (after saying why) when the test must be skipped.
fn oracle() -> Option<PathBuf> {
    let path = std::env::var_os("OUTCOMES_LINT_ORACLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/oracle/canvas_outcomes_model.rb"));
    let problem = if !path.is_file() {
        Some(format!("the Ruby model is not at {}", path.display()))
    } else {
        match Command::new("ruby").arg("--version").output() {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(format!("`ruby --version` failed: {}", String::from_utf8_lossy(&out.stderr))),
            Err(e) => Some(format!("`ruby` cannot be run: {e}")),
        }
    };
    match problem {
        None => Some(path),
        Some(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("differential test cannot run in CI: {why}")
        }
        Some(why) => {
            eprintln!("skipped: differential test against the Ruby model: {why} (set CI=true to make this a failure)");
            None
        }
    }
}

/// A directory under the system temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("outcomes-lint-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("create temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get()).clamp(1, 16)
}

/// One generated file, written to disk and checked by our library.
struct Case {
    index: usize,
    seed: u64,
    options: OptionSet,
    shape: String,
    len: usize,
    path: PathBuf,
    ours: Value,
}

fn generate_and_check(seeds: &[u64], dir: &Path) -> Vec<Case> {
    let per_thread = seeds.len().div_ceil(threads()).max(1);
    let mut cases: Vec<Case> = std::thread::scope(|scope| {
        let handles: Vec<_> = seeds
            .chunks(per_thread)
            .enumerate()
            .map(|(chunk, seeds)| {
                scope.spawn(move || {
                    seeds
                        .iter()
                        .enumerate()
                        .map(|(i, &seed)| {
                            let index = chunk * per_thread + i;
                            let file = generate(seed);
                            let path = dir.join(format!("{index:05}-{seed:016x}-{}.csv", file.options.name()));
                            std::fs::write(&path, &file.bytes).expect("write generated file");
                            let ours =
                                check_bytes(&file.bytes, &file.options.canvas_options()).canvas_report().to_json(None);
                            Case {
                                index,
                                seed: file.seed,
                                options: file.options,
                                shape: file.shape,
                                len: file.bytes.len(),
                                path,
                                ours,
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("generator thread")).collect()
    });
    cases.sort_by_key(|c| c.index);
    cases
}

/// What the model said about each file (by path), or why it said nothing.
type Answers = HashMap<PathBuf, Result<Value, String>>;

/// Runs the model once on `paths` (`--batch`) and records its answers.
fn run_oracle(oracle: &Path, options: OptionSet, paths: &[&Path], answers: &Mutex<Answers>) {
    // `-E UTF-8`: Canvas (Rails) runs with UTF-8 as the default external encoding, and
    // `String#inspect` depends on it: under `LANG=C` Ruby would escape `é` as `\u00E9`.
    let output =
        Command::new("ruby").args(["-E", "UTF-8"]).arg(oracle).arg("--batch").args(options.args()).args(paths).output();
    let mut found: Answers = HashMap::new();
    let failure = match output {
        Err(e) => Some(format!("could not run ruby: {e}")),
        Ok(out) => {
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let Ok(Value::Object(mut object)) = serde_json::from_str::<Value>(line) else {
                    continue;
                };
                if let Some(Value::String(file)) = object.remove("file") {
                    found.insert(PathBuf::from(file), Ok(Value::Object(object)));
                }
            }
            (!out.status.success()).then(|| {
                format!("the model exited with {}: {}", out.status, tail(&String::from_utf8_lossy(&out.stderr)))
            })
        }
    };
    let missing: Vec<&Path> = paths.iter().copied().filter(|p| !found.contains_key(*p)).collect();
    if !missing.is_empty() {
        if paths.len() > 1 {
            // Something crashed the batch: ask about each remaining file alone.
            for p in missing {
                run_oracle(oracle, options, &[p], answers);
            }
        } else {
            let why = failure.unwrap_or_else(|| "the model printed no answer".to_string());
            found.insert(paths[0].to_path_buf(), Err(why));
        }
    }
    answers.lock().expect("answers lock").extend(found);
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(8)..].join("\n")
}

fn ask_oracle(oracle: &Path, cases: &[Case]) -> Answers {
    let mut jobs: Vec<(OptionSet, Vec<&Path>)> = Vec::new();
    for options in OptionSet::ALL {
        let mut chunk: Vec<&Path> = Vec::new();
        let mut bytes = 0;
        for case in cases.iter().filter(|c| c.options == options) {
            if !chunk.is_empty() && (chunk.len() >= CHUNK_FILES || bytes + case.len > CHUNK_BYTES) {
                jobs.push((options, std::mem::take(&mut chunk)));
                bytes = 0;
            }
            chunk.push(&case.path);
            bytes += case.len;
        }
        if !chunk.is_empty() {
            jobs.push((options, chunk));
        }
    }
    let queue = Mutex::new(jobs);
    let answers = Mutex::new(HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..threads() {
            scope.spawn(|| loop {
                let Some((options, paths)) = queue.lock().expect("queue lock").pop() else {
                    break;
                };
                run_oracle(oracle, options, &paths, &answers);
            });
        }
    });
    answers.into_inner().expect("answers lock")
}

/// Where mismatching files are kept for people to rerun.
fn failures_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace().join("target"), PathBuf::from);
    let target = if target.is_absolute() { target } else { workspace().join(target) };
    target.join("differential-failures")
}

/// A compact account of how two reports differ.
fn describe_difference(expected: &Value, actual: &Value) -> String {
    let full = |v: &Value| v.to_string();
    if full(expected).len() + full(actual).len() < 3000 {
        return format!("    oracle: {}\n    ours:   {}", full(expected), full(actual));
    }
    let errors = |v: &Value| v.get("processing_errors").and_then(Value::as_array).cloned().unwrap_or_default();
    let (e, a) = (errors(expected), errors(actual));
    let first = (0..e.len().max(a.len())).find(|&i| e.get(i) != a.get(i)).unwrap_or(0);
    let window = |list: &[Value]| {
        list.iter().skip(first.saturating_sub(2)).take(5).map(Value::to_string).collect::<Vec<_>>().join(", ")
    };
    format!(
        "    oracle: workflow_state {}, {} errors; from error #{}: [{}]\n    ours:   workflow_state {}, {} errors; from error #{}: [{}]",
        expected["workflow_state"],
        e.len(),
        first.saturating_sub(2),
        window(&e),
        actual["workflow_state"],
        a.len(),
        first.saturating_sub(2),
        window(&a)
    )
}

/// A short label for the first point where two reports differ, to count distinct mismatches.
fn signature(expected: &Value, actual: &Value) -> String {
    let errors = |v: &Value| v.get("processing_errors").and_then(Value::as_array).cloned().unwrap_or_default();
    let (e, a) = (errors(expected), errors(actual));
    let strip = |v: Option<&Value>| {
        v.and_then(|p| p.get(1)).and_then(Value::as_str).map_or("-".to_string(), |m| {
            let m: String = m.chars().filter(|c| !c.is_ascii_digit()).collect();
            m.chars().take(70).collect()
        })
    };
    match (0..e.len().max(a.len())).find(|&i| e.get(i) != a.get(i)) {
        Some(i) => format!("oracle {:?} / ours {:?}", strip(e.get(i)), strip(a.get(i))),
        None => format!("workflow_state oracle {} / ours {}", expected["workflow_state"], actual["workflow_state"]),
    }
}

/// How often each message (digits dropped, cut short) and verdict appears in our reports: what
/// the corpus exercised. Printed with `OUTCOMES_LINT_DIFF_VERBOSE=1`.
fn coverage(cases: &[Case]) -> String {
    let mut messages: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for case in cases {
        let failed = case.ours["workflow_state"] == "failed";
        let mut seen = std::collections::BTreeSet::new();
        for pair in case.ours["processing_errors"].as_array().into_iter().flatten() {
            let message = pair.get(1).and_then(Value::as_str).unwrap_or("");
            let key: String = message.chars().filter(|c| !c.is_ascii_digit()).take(60).collect();
            let key = format!("{} {key}", if failed { "F" } else { "S" });
            let entry = messages.entry(key.clone()).or_default();
            entry.0 += 1;
            if seen.insert(key) {
                entry.1 += 1;
            }
        }
    }
    let mut shapes: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for case in cases {
        let entry = shapes.entry(case.shape.split('+').next().unwrap_or("")).or_default();
        entry.0 += 1;
        if case.ours["workflow_state"] == "failed" {
            entry.1 += 1;
        }
    }
    let mut out = format!("failed imports per shape (files, failed): {shapes:?}\n");
    out.push_str("messages (count, files), F = in failed imports:\n");
    for (m, (n, files)) in messages {
        out.push_str(&format!("  {n:7} {files:6}  {m}\n"));
    }
    out
}

#[test]
fn the_checker_agrees_with_the_ruby_model_on_generated_files() {
    let Some(oracle) = oracle() else {
        return;
    };
    let started = Instant::now();
    let base_seed = env_u64("OUTCOMES_LINT_DIFF_SEED").unwrap_or(DEFAULT_SEED);
    let count = env_u64("OUTCOMES_LINT_DIFF_FILES").map_or(DEFAULT_FILES, |n| n as usize);
    let seeds: Vec<u64> = match env_u64("OUTCOMES_LINT_DIFF_FILE_SEED") {
        Some(seed) => vec![seed],
        None => (0..count as u64).map(|i| derive_seed(base_seed, i)).collect(),
    };
    let dir = TempDir::new("differential");
    let cases = generate_and_check(&seeds, &dir.0);
    let generated = started.elapsed();
    let answers = ask_oracle(&oracle, &cases);

    let mut mismatches = Vec::new();
    for case in &cases {
        let expected = match answers.get(&case.path) {
            Some(Ok(v)) => v.clone(),
            Some(Err(why)) => Value::String(format!("no answer from the model: {why}")),
            None => Value::String("no answer from the model".to_string()),
        };
        if expected != case.ours {
            mismatches.push((case, expected));
        }
    }

    let mut per_options: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
    for case in &cases {
        *per_options.entry(case.options.name()).or_default() += 1;
        *per_shape.entry(case.shape.split('+').next().unwrap_or("").to_string()).or_default() += 1;
    }
    let failed = cases.iter().filter(|c| c.ours["workflow_state"] == "failed").count();
    let with_errors =
        cases.iter().filter(|c| c.ours["processing_errors"].as_array().is_some_and(|a| !a.is_empty())).count();
    eprintln!(
        "differential: compared {} files against the Ruby model (base seed {base_seed:#018x}) in {:.1?} \
         (generation and our checks {:.1?}); options {per_options:?}; shapes {per_shape:?}; \
         {failed} failed imports, {with_errors} with errors; {} mismatches",
        cases.len(),
        started.elapsed(),
        generated,
        mismatches.len()
    );
    if let Some(dump) = std::env::var_os("OUTCOMES_LINT_DIFF_DUMP") {
        std::fs::create_dir_all(&dump).expect("create dump directory");
        for case in &cases {
            let name = case.path.file_name().expect("file name");
            std::fs::copy(&case.path, Path::new(&dump).join(name)).expect("dump generated file");
        }
    }
    if std::env::var_os("OUTCOMES_LINT_DIFF_VERBOSE").is_some() {
        eprintln!("{}", coverage(&cases));
    }
    if mismatches.is_empty() {
        return;
    }

    let saved = failures_dir();
    std::fs::create_dir_all(&saved).expect("create target/differential-failures");
    let mut kinds: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for (case, expected) in &mismatches {
        let stem = format!("{:016x}-{}", case.seed, case.options.name());
        let csv = saved.join(format!("{stem}.csv"));
        std::fs::copy(&case.path, &csv).expect("save failing file");
        let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
        std::fs::write(saved.join(format!("{stem}.oracle.json")), pretty(expected)).expect("save oracle output");
        std::fs::write(saved.join(format!("{stem}.ours.json")), pretty(&case.ours)).expect("save our output");
        kinds.entry(signature(expected, &case.ours)).or_insert((0, case.seed)).0 += 1;
    }
    let mut report = format!(
        "{} of {} generated files differ from the Ruby model (base seed {base_seed:#018x}); saved in {}\n\
         distinct first differences (count, example seed):\n",
        mismatches.len(),
        cases.len(),
        saved.display()
    );
    for (kind, (n, seed)) in &kinds {
        report.push_str(&format!("  {n:5} × {kind}  (e.g. {seed:#018x})\n"));
    }
    for (i, (case, expected)) in mismatches.iter().take(MAX_SHOWN).enumerate() {
        let stem = format!("{:016x}-{}", case.seed, case.options.name());
        let csv = saved.join(format!("{stem}.csv"));
        let args = case.options.shell_args();
        let args = if args.is_empty() { String::new() } else { format!("{args} ") };
        report.push_str(&format!(
            "\nmismatch {}/{}: file seed {:#018x} (file #{} of the run), options {}, shape {}, {} bytes\n\
             \x20   rerun alone: OUTCOMES_LINT_DIFF_FILE_SEED={:#018x} cargo test --test differential\n\
             \x20   ruby -E UTF-8 ../shared/oracle/canvas_outcomes_model.rb {args}{}\n\
             \x20   cargo run -p outcomes-lint -- check --format canvas {args}{}\n{}\n",
            i + 1,
            mismatches.len(),
            case.seed,
            case.index,
            case.options.name(),
            case.shape,
            case.len,
            case.seed,
            csv.display(),
            csv.display(),
            describe_difference(expected, &case.ours)
        ));
    }
    panic!("{report}");
}

#[test]
fn the_generator_is_deterministic_and_covers_every_shape_and_option_set() {
    let base = env_u64("OUTCOMES_LINT_DIFF_SEED").unwrap_or(DEFAULT_SEED);
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let mut options: BTreeMap<&str, usize> = BTreeMap::new();
    let mut largest = 0;
    for i in 0..DEFAULT_FILES as u64 {
        let seed = derive_seed(base, i);
        let file = generate(seed);
        if i % 37 == 0 {
            assert_eq!(generate(seed).bytes, file.bytes, "file {seed:#x} is not a function of its seed");
        }
        *shapes.entry(file.shape.split('+').next().unwrap_or("").to_string()).or_default() += 1;
        *options.entry(file.options.name()).or_default() += 1;
        if file.shape.starts_with("large") {
            let records = file.bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
            largest = largest.max(records);
        }
    }
    for shape in ["structured", "large", "tiny", "junk"] {
        assert!(shapes.contains_key(shape), "no {shape} file among {DEFAULT_FILES}: {shapes:?}");
    }
    for o in OptionSet::ALL {
        assert!(options.contains_key(o.name()), "no file with options {}: {options:?}", o.name());
    }
    assert!(largest >= 1000, "no file crosses the first batch boundary (largest has {largest} line breaks)");
    assert_ne!(generate(derive_seed(base, 0)).bytes, generate(derive_seed(base, 1)).bytes);
}
