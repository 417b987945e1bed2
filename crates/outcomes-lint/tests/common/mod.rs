//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `fixtures/diagnostics/` of the workspace.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/diagnostics")
}

/// The output of an in-process run.
pub struct Run {
    /// Exit status.
    pub code: u8,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `outcomes-lint check --format FORMAT` on the fixture at `path`, fed through standard
/// input under its file name, so that outputs name the file without any directory.
pub fn check_fixture(path: &Path, format: &str, extra: &[&str]) -> Run {
    let bytes = std::fs::read(path).expect("read fixture");
    let name = path.file_name().expect("file name").to_string_lossy().into_owned();
    let mut args = vec!["outcomes-lint", "check", "--format", format, "--stdin-filename", &name];
    args.extend_from_slice(extra);
    args.push("-");
    run(&args, &bytes)
}

/// Runs the command line in-process with `stdin` as standard input.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = outcomes_lint::run(args, &mut &stdin[..], &mut stdout, &mut stderr);
    Run {
        code,
        stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(stderr).expect("utf-8 stderr"),
    }
}

/// Replaces the tool version in a SARIF log, so snapshots survive releases.
pub fn redact_version(sarif: &mut serde_json::Value) {
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    driver["version"] = "[version]".into();
    driver["semanticVersion"] = "[version]".into();
}
