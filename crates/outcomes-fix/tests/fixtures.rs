//! Snapshot tests: every file in `fixtures/fix/` with what `fix` does to it — the changes, the
//! refusals, the diff, and Canvas's verdict before and after — so a reviewer reads the output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use outcomes_csv::ReaderOptions;
use outcomes_fix::{plan, unified_diff, FixOptions};
use outcomes_rules::{CanvasOptions, Checked, Checker, LintSelection, WorkflowState};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fix");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/fix exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "expected the fix fixtures, found {files:?}");
    files
}

/// Canvas's own checks, as `check_bytes` runs them, without lints: the properties are about
/// what Canvas reports, which lints never change.
fn canvas_check(bytes: &[u8], options: &CanvasOptions) -> Checked {
    Checker::new(options.clone())
        .with_lints(LintSelection::none())
        .with_limits(ReaderOptions { max_record_bytes: usize::MAX })
        .check(bytes)
        .expect("reading memory cannot fail")
}

/// Canvas's verdict and its errors counted by rule, e.g. `failed: OL002×1`.
fn verdict(bytes: &[u8]) -> String {
    let checked = canvas_check(bytes, &CanvasOptions::default());
    let state = match checked.canvas_report().workflow_state {
        WorkflowState::Succeeded => "succeeded",
        WorkflowState::Failed => "failed",
    };
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    for d in checked.diagnostics.iter().filter(|d| d.canvas.is_some()) {
        *rules.entry(d.rule.code()).or_default() += 1;
    }
    let rules: Vec<String> = rules.iter().map(|(r, n)| format!("{r}×{n}")).collect();
    if rules.is_empty() {
        format!("{state}, no errors")
    } else {
        format!("{state}: {}", rules.join(" "))
    }
}

/// Makes carriage returns visible: insta normalises line endings, and a reader cannot see them.
fn visible(text: &str) -> String {
    text.replace('\r', "\\r")
}

fn report(name: &str, input: &[u8]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Canvas before: {}", verdict(input));
    match plan(input, &FixOptions::default()) {
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
            let _ = writeln!(out, "(nothing is written)");
        }
        Ok(fixed) => {
            let _ = writeln!(out, "Canvas after:  {}", verdict(&fixed.output));
            let _ = writeln!(out, "\nfixes:");
            for f in &fixed.fixes {
                let _ = writeln!(out, "  {f}");
            }
            let _ = writeln!(out, "\nrefused:");
            for r in &fixed.refused {
                let _ = writeln!(out, "  {r}");
            }
            let _ = writeln!(out, "\ndiff:");
            out.push_str(&visible(&unified_diff(name, input, &fixed.output)));
            // The two properties every fixture shows: a second run changes nothing, and the
            // output differs from the input exactly when something was fixed.
            let again = plan(&fixed.output, &FixOptions::default()).expect("the output parses");
            assert_eq!(again.output, fixed.output, "{name}: fixing twice");
            assert!(again.fixes.is_empty(), "{name}: {:?}", again.fixes);
            assert_eq!(fixed.changed(), fixed.output != input, "{name}");
        }
    }
    out
}

#[test]
fn every_fixture_is_fixed_as_the_snapshot_shows() {
    for path in fixtures() {
        let input = std::fs::read(&path).expect("read fixture");
        let name = path.file_name().expect("file name").to_string_lossy().into_owned();
        let stem = name.trim_end_matches(".csv");
        insta::assert_snapshot!(stem, report(&name, &input));
    }
}

#[test]
fn a_clean_file_comes_out_identical() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fix/clean.csv");
    let input = std::fs::read(path).expect("read");
    let fixed = plan(&input, &FixOptions::default()).expect("fixes");
    assert_eq!(fixed.output, input);
    assert!(fixed.fixes.is_empty() && fixed.refused.is_empty());
}
