//! What the `fix` fuzz target (`fuzz/fuzz_targets/fix.rs`) checks, on the inputs it once failed
//! on (`fixtures/regressions/fix-*.csv`) and on a hierarchy too deep for recursion:
//! [`plan`] never panics; when it succeeds, its output reads without a syntax error, planning the
//! output again changes nothing, and a plan without fixes leaves the bytes as they were.

use std::path::Path;
use std::time::{Duration, Instant};

use outcomes_csv::{Reader, Record};
use outcomes_fix::{plan, FixKind, FixOptions};
use outcomes_rules::{CanvasOptions, NumberFormat};

/// The two accounts the fuzz target uses.
fn accounts() -> [FixOptions; 2] {
    let french = CanvasOptions {
        new_decaying_average: true,
        number_format: NumberFormat::for_locale("fr").expect("fr is a Canvas locale"),
    };
    [FixOptions::default(), FixOptions { canvas: french, ..FixOptions::default() }]
}

fn assert_plan_invariants(name: &str, input: &[u8], options: &FixOptions) {
    let Ok(fixed) = plan(input, options) else {
        return;
    };
    assert_eq!(fixed.fixes.is_empty(), fixed.output == input, "{name}: fixes reported iff bytes changed");
    let mut reader = Reader::new(&fixed.output[..]).expect("reading from memory");
    let mut record = Record::new();
    while reader.read_record(&mut record).unwrap_or_else(|e| panic!("{name}: the fixed file does not read: {e}")) {}
    let again = plan(&fixed.output, options).unwrap_or_else(|e| panic!("{name}: cannot plan the output again: {e}"));
    assert!(again.fixes.is_empty(), "{name}: not idempotent: {:?}", again.fixes);
    assert_eq!(again.output, fixed.output, "{name}");
}

/// Every `fixtures/regressions/fix-*.csv`: one the fuzzer found, kept once fixed.
///
/// - `fix-any-context-parent-keeps-its-meaning.csv`: with a `course_id` column, `parents-first`
///   moved an account group above a course group of the same name, which changed the group an
///   outcome's parent name means; planning again moved the outcome too.
/// - `fix-framing-refusal-lifted-by-short-rows.csv`: a file whose first line (as Canvas sniffs
///   it, up to the first `\n`) runs past the header: `trailing-header-cells` was refused because
///   it would change the separator, then `short-rows` added separators that made it safe, and
///   planning again applied it.
#[test]
fn the_fuzzers_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures/regressions") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if !(name.starts_with("fix-") && name.ends_with(".csv")) {
            continue;
        }
        let input = std::fs::read(&path).expect("regression input");
        for options in accounts() {
            assert_plan_invariants(&name, &input, &options);
        }
        count += 1;
    }
    assert!(count >= 2, "found the regression inputs in {}", dir.display());
}

/// 100,000 groups, each the parent of the next, children first: the deepest possible hierarchy,
/// every row out of order. Nothing may recurse (a test thread has a 2 MiB stack); the reorder
/// falls back to a stable sort past its work budget, and says so.
#[test]
fn a_100_000_deep_chain_of_groups_is_reordered_without_recursion() {
    let n = 100_000;
    let mut input = b"vendor_guid,object_type,title,parent_guids\n".to_vec();
    for i in (0..n).rev() {
        let parent = if i == 0 { String::new() } else { format!("g{}", i - 1) };
        input.extend(format!("g{i},group,Group {i},{parent}\n").into_bytes());
    }
    let started = Instant::now();
    let fixed = plan(&input, &FixOptions::default()).expect("fixable");
    let elapsed = started.elapsed();
    eprintln!("100,000-deep chain, children first: planned in {elapsed:.2?}");
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    assert!(fixed.fixes.iter().all(|f| f.kind == FixKind::ParentsFirst));
    let mut expected = b"vendor_guid,object_type,title,parent_guids\n".to_vec();
    for i in 0..n {
        let parent = if i == 0 { String::new() } else { format!("g{}", i - 1) };
        expected.extend(format!("g{i},group,Group {i},{parent}\n").into_bytes());
    }
    assert!(fixed.output == expected, "the chain comes out root first");
    assert!(fixed.refused.iter().any(|r| r.message.contains("too deep")), "{:?}", fixed.refused);
    let started = Instant::now();
    let again = plan(&fixed.output, &FixOptions::default()).expect("fixable");
    eprintln!("100,000-deep chain, in order: planned in {:.2?}", started.elapsed());
    assert!(again.fixes.is_empty());
}
