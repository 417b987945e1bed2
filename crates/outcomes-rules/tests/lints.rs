//! Lints: one fixture per rule (`fixtures/lints/<CODE>-<name>.csv`) with an insta snapshot of
//! what the rule reports on it, the Canvas diagnostics our notes enrich
//! (`fixtures/lints/notes/`), and the guarantees every lint keeps: no finding on a clean file, no
//! warning on Canvas's own sample files, and never a change to Canvas's verdict.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use outcomes_rules::{CanvasOptions, Checked, Checker, Diagnostic, LintSelection, Rule, Scope, Severity};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
}

fn check(bytes: &[u8], lints: LintSelection) -> Checked {
    Checker::new(CanvasOptions::default()).with_lints(lints).check(bytes).expect("in-memory check")
}

fn lint_rules() -> impl Iterator<Item = Rule> {
    Rule::ALL.iter().copied().filter(|r| r.scope() == Scope::Lint)
}

/// A compact rendering of a diagnostic for snapshots: everything a person reads.
fn render(d: &Diagnostic, out: &mut String) {
    let at = match (d.row, d.position) {
        (Some(row), Some(p)) => format!("row {row} line {}:{}", p.line, p.column),
        (Some(row), None) => format!("row {row}"),
        _ => "file".to_owned(),
    };
    let field = d.field.as_deref().map(|f| format!(" [{f}]")).unwrap_or_default();
    let _ = writeln!(out, "{} {} {at}{field}", d.rule.code(), d.severity.as_str());
    let _ = writeln!(out, "  message: {}", d.message);
    if let Some(canvas) = &d.canvas {
        let _ = writeln!(out, "  canvas: [{}, {:?}]", canvas.row, canvas.message);
    }
    if let Some(note) = &d.note {
        let _ = writeln!(out, "  note: {note}");
    }
    if d.help != d.rule.help() {
        let _ = writeln!(out, "  help: {}", d.help);
    }
    for related in &d.related {
        let place = match (related.row, related.position) {
            (Some(row), Some(p)) => format!("row {row} line {}:{}", p.line, p.column),
            (Some(row), None) => format!("row {row}"),
            _ => "file".to_owned(),
        };
        let _ = writeln!(out, "  related: {place}: {}", related.message);
    }
    if !d.guids.is_empty() {
        let _ = writeln!(out, "  guids: {:?}", d.guids);
    }
}

/// The findings of `rule` in full, then one line counting everything else the file has.
fn render_rule(checked: &Checked, rule: Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}: {}", rule.code(), rule.name(), rule.summary());
    let _ = writeln!(out, "# help: {}\n", rule.help());
    for d in checked.diagnostics.iter().filter(|d| d.rule == rule) {
        render(d, &mut out);
    }
    let mut others: Vec<&str> = checked.diagnostics.iter().filter(|d| d.rule != rule).map(|d| d.rule.code()).collect();
    others.sort();
    others.dedup_by(|a, b| a == b);
    let _ = writeln!(
        out,
        "\nalso in this file: {}",
        if others.is_empty() { "nothing".to_owned() } else { others.join(", ") }
    );
    out
}

#[test]
fn every_lint_rule_has_a_fixture_that_it_fires_on() {
    let dir = workspace().join("fixtures/lints");
    let mut missing = Vec::new();
    for rule in lint_rules() {
        let path = dir.join(format!("{}-{}.csv", rule.code(), rule.name()));
        let Ok(bytes) = std::fs::read(&path) else {
            missing.push(path.display().to_string());
            continue;
        };
        let checked = check(&bytes, LintSelection::default());
        assert!(checked.diagnostics.iter().any(|d| d.rule == rule), "{} does not fire on its own fixture", rule.code());
        insta::assert_snapshot!(format!("{}-{}", rule.code(), rule.name()), render_rule(&checked, rule));
    }
    assert!(missing.is_empty(), "missing fixtures: {missing:#?}");
    // And no fixture without a rule.
    for path in csv_files(&dir) {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        assert!(lint_rules().any(|r| name == format!("{}-{}", r.code(), r.name())), "{name}.csv names no lint rule");
    }
}

#[test]
fn a_rule_reports_nothing_when_it_is_not_selected() {
    for path in csv_files(&workspace().join("fixtures/lints")) {
        let bytes = std::fs::read(&path).expect("fixture");
        for rule in lint_rules() {
            let only = check(&bytes, LintSelection::only([rule]));
            assert!(
                only.diagnostics.iter().all(|d| d.rule == rule || d.rule.scope() != Scope::Lint),
                "{}: selecting only {} reported other lints",
                path.display(),
                rule.code()
            );
        }
        let none = check(&bytes, LintSelection::none());
        assert!(
            none.diagnostics.iter().all(|d| d.rule.scope() != Scope::Lint),
            "{}: lints ran with none selected",
            path.display()
        );
    }
}

#[test]
fn canvas_diagnostics_get_notes_without_changing_canvas_text() {
    let dir = workspace().join("fixtures/lints/notes");
    for path in csv_files(&dir) {
        let bytes = std::fs::read(&path).expect("fixture");
        let checked = check(&bytes, LintSelection::none());
        let mut out = String::new();
        for d in &checked.diagnostics {
            render(d, &mut out);
        }
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        insta::assert_snapshot!(format!("notes-{name}"), out);
    }
}

/// Every file the tests know: the lint fixtures, the samples and Canvas's conformance cases.
fn every_fixture() -> Vec<PathBuf> {
    let root = workspace().join("fixtures");
    let mut files = Vec::new();
    for dir in ["lints", "lints/notes", "samples", "conformance/canvas-spec", "conformance/canvas-fixtures"] {
        files.extend(csv_files(&root.join(dir)));
    }
    files
}

#[test]
fn lints_never_change_canvas_verdict_or_errors() {
    for path in every_fixture() {
        let bytes = std::fs::read(&path).expect("fixture");
        let with = check(&bytes, LintSelection::default());
        let without = check(&bytes, LintSelection::none());
        assert_eq!(with.canvas_report(), without.canvas_report(), "{}", path.display());
        assert_eq!(
            (with.imported, with.skipped, with.blank),
            (without.imported, without.skipped, without.blank),
            "{}",
            path.display()
        );
        // The Canvas diagnostics themselves are identical, notes included.
        let canvas = |c: &Checked| -> Vec<Diagnostic> {
            c.diagnostics.iter().filter(|d| d.rule.scope() != Scope::Lint).cloned().collect()
        };
        assert_eq!(canvas(&with), canvas(&without), "{}", path.display());
    }
}

#[test]
fn no_lint_fires_on_a_clean_file() {
    let bytes = std::fs::read(workspace().join("fixtures/samples/valid.csv")).expect("valid.csv");
    let checked = check(&bytes, LintSelection::default());
    let mut out = String::new();
    for d in &checked.diagnostics {
        render(d, &mut out);
    }
    assert!(out.is_empty(), "valid.csv:\n{out}");
}

#[test]
fn no_warning_fires_on_canvas_sample_files_and_the_infos_are_these() {
    let dir = workspace().join("fixtures/conformance/canvas-fixtures");
    let mut infos = String::new();
    for path in csv_files(&dir) {
        let bytes = std::fs::read(&path).expect("fixture");
        let checked = check(&bytes, LintSelection::default());
        let name = path.file_name().and_then(|s| s.to_str()).unwrap_or_default();
        for d in &checked.diagnostics {
            assert!(d.severity == Severity::Info, "{name}: {} {} {}", d.rule.code(), d.severity.as_str(), d.message);
            let _ = writeln!(infos, "{name} row {}: {} {}", d.row.unwrap_or_default(), d.rule.code(), d.message);
        }
    }
    insta::assert_snapshot!("canvas-fixtures-infos", infos);
}

#[test]
fn every_lint_rule_is_documented() {
    for rule in lint_rules() {
        assert!(rule.summary().ends_with('.'), "{}", rule.code());
        assert!(rule.help().ends_with('.'), "{}", rule.code());
        assert!(rule.code() >= "OL100", "{}: lint codes start at OL100", rule.code());
        // Lints are warnings or info; NUL characters are the one exception, because Canvas's
        // database fails the whole import on them.
        if rule != Rule::NulCharacter {
            assert_ne!(rule.default_severity(), Severity::Error, "{}", rule.code());
        }
    }
}
