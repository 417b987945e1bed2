//! Every diagnostic kind, in every format: one fixture per kind in `fixtures/diagnostics/`
//! (named after the rule it triggers), one snapshot per fixture and format.
//!
//! The human form is drawn without colour, 100 columns wide, as when output goes to a file.

mod common;

use common::{check_fixture, redact_version};

#[test]
fn human() {
    insta::glob!("../../../fixtures/diagnostics", "*.csv", |path| {
        let run = check_fixture(path, "human", &[]);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        insta::assert_snapshot!(run.stdout);
    });
}

#[test]
fn json() {
    insta::glob!("../../../fixtures/diagnostics", "*.csv", |path| {
        let run = check_fixture(path, "json", &[]);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        for line in run.stdout.lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("each line is a JSON object");
        }
        insta::assert_snapshot!(run.stdout);
    });
}

#[test]
fn github() {
    insta::glob!("../../../fixtures/diagnostics", "*.csv", |path| {
        let run = check_fixture(path, "github", &[]);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        insta::assert_snapshot!(run.stdout);
    });
}

/// The results of each fixture; the rule table is the same for all of them and is snapshotted
/// once, in `sarif_log`.
#[test]
fn sarif() {
    insta::glob!("../../../fixtures/diagnostics", "*.csv", |path| {
        let run = check_fixture(path, "sarif", &[]);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
        insta::assert_json_snapshot!(log["runs"][0]["results"]);
    });
}

/// A whole SARIF log, rule table included.
#[test]
fn sarif_log() {
    let run = check_fixture(&common::fixtures().join("OL002-mixed-line-endings.csv"), "sarif", &[]);
    let mut log: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    redact_version(&mut log);
    insta::assert_json_snapshot!(log);
}
