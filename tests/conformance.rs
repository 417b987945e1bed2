//! Conformance: every case of Canvas's own specs and sample files (copied from
//! `../shared/conformance` into `fixtures/conformance`) gives exactly the expected verdict and
//! `processing_errors`, through the library and through the command line.

use std::path::{Path, PathBuf};

use outcomes_rules::{check_bytes, CanvasOptions};
use serde_json::Value;

fn cases() -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/conformance");
    let mut cases = Vec::new();
    for dir in ["canvas-spec", "canvas-fixtures"] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("conformance directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        entries.sort();
        for csv in entries {
            let expected_path = csv.with_extension("expected.json");
            let expected: Value =
                serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("expected.json")).expect("json");
            cases.push((csv, expected));
        }
    }
    assert!(cases.len() >= 30, "expected the full conformance suite, found {} cases", cases.len());
    cases
}

#[test]
fn every_conformance_case_matches_canvas_through_the_library() {
    let mut failures = Vec::new();
    for (csv, expected) in cases() {
        let bytes = std::fs::read(&csv).expect("read case");
        let actual = check_bytes(&bytes, &CanvasOptions::default()).canvas_report().to_json(None);
        if actual != expected {
            failures.push(format!("{}\n  expected: {expected}\n  actual:   {actual}", csv.display()));
        }
    }
    assert!(failures.is_empty(), "{} case(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_conformance_case_matches_canvas_through_the_cli() {
    for (csv, expected) in cases() {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let args =
            ["outcomes-lint".as_ref(), "check".as_ref(), "--format".as_ref(), "canvas".as_ref(), csv.as_os_str()];
        let code = outcomes_lint::run(args, &mut std::io::empty(), &mut out, &mut err);
        let text = String::from_utf8(out).expect("utf-8 output");
        assert_eq!(text.lines().count(), 1, "{}: one JSON line per file", csv.display());
        let actual: Value = serde_json::from_str(&text).expect("json output");
        assert_eq!(actual, expected, "{}", csv.display());
        let wants_findings = !expected["processing_errors"].as_array().expect("array").is_empty();
        assert_eq!(code, if wants_findings { 1 } else { 0 }, "{}: exit status", csv.display());
        assert!(err.is_empty(), "{}: {}", csv.display(), String::from_utf8_lossy(&err));
    }
}
