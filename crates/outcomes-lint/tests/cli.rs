//! End to end: the built binary on the fixtures, one test per format and per ergonomic, with
//! exit statuses.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_outcomes-lint");

/// Runs the binary in `fixtures/diagnostics/` with a clean environment for colour and width.
fn outcomes_lint(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(common::fixtures())
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .output()
        .expect("run the binary")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

#[test]
fn human_reads_snippets_from_the_file_exactly_as_from_standard_input() {
    for name in [
        "OL023-parent-not-found.csv",
        "OL028-description-too-long.csv",
        "OL002-mixed-line-endings.csv",
        "excel-bom-semicolon-crlf.csv",
    ] {
        let output = outcomes_lint(&["check", name]);
        assert_eq!(code(&output), 1, "{name}");
        let piped = common::check_fixture(&common::fixtures().join(name), "human", &[]);
        assert_eq!(stdout(&output), piped.stdout, "{name}");
    }
}

#[test]
fn human_on_a_clean_file_prints_the_summary_and_exits_0() {
    let output = outcomes_lint(&["check", "clean.csv"]);
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output), "clean.csv: Canvas would import all 2 rows\n");
    assert!(stderr(&output).is_empty());
}

#[test]
fn quiet_prints_nothing_for_a_clean_file_and_no_summary_otherwise() {
    let output = outcomes_lint(&["check", "--quiet", "clean.csv"]);
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output), "");
    let output = outcomes_lint(&["check", "-q", "OL017-title-required.csv"]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("OL017 title-required"));
    assert!(!stdout(&output).contains("Canvas would"));
}

#[test]
fn max_errors_says_how_many_were_left_out() {
    // Four errors (three OL023, one OL029); --quiet leaves out warnings and the summary.
    let output = outcomes_lint(&["check", "--quiet", "--max-errors", "1", "OL023-parent-not-found.csv"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert_eq!(text.matches("  × ").count(), 1);
    assert!(text.ends_with("\nOL023-parent-not-found.csv: 3 more diagnostics not shown (--max-errors)\n"), "{text}");
}

#[test]
fn colour_follows_color_and_no_color() {
    let plain = outcomes_lint(&["check", "OL017-title-required.csv"]);
    assert!(!stdout(&plain).contains('\x1b'));
    let always = outcomes_lint(&["check", "--color", "always", "OL017-title-required.csv"]);
    assert!(stdout(&always).contains("\x1b["));
    let no_color = Command::new(BIN)
        .args(["check", "--color", "auto", "OL017-title-required.csv"])
        .current_dir(common::fixtures())
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert!(!stdout(&no_color).contains('\x1b'));
}

#[test]
fn json_writes_one_object_per_diagnostic_for_every_file_of_a_directory() {
    let output = Command::new(BIN)
        .args(["check", "--format", "json", "diagnostics"])
        .current_dir(common::fixtures().join(".."))
        .output()
        .expect("run");
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    let objects: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert!(objects.len() >= 33);
    for key in ["file", "code", "severity", "message", "row", "line", "column", "field", "help"] {
        assert!(objects.iter().all(|o| o.get(key).is_some()), "every object has `{key}`");
    }
    let first = &objects[0];
    assert_eq!(first["file"], Path::new("diagnostics").join("OL001-empty-file.csv").display().to_string());
    assert_eq!(first["code"], "OL001");
}

#[test]
fn github_writes_workflow_commands() {
    let output = outcomes_lint(&["check", "--format", "github", "OL025-group-duplicate.csv", "clean.csv"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(
        text.lines().any(|l| l.starts_with(
            "::error file=OL025-group-duplicate.csv,line=4,col=1,title=OL025::Group \"alg\" has already appeared in this import%0A"
        )),
        "{text}"
    );
    assert!(text.lines().all(|l| l.starts_with("::") && l.contains("file=OL025-group-duplicate.csv,")), "{text}");
}

#[test]
fn sarif_covers_every_file_matched_by_a_glob_in_one_log() {
    let output = outcomes_lint(&["check", "--format", "sarif", "OL02*.csv"]);
    assert_eq!(code(&output), 1);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF");
    let artifacts = log["runs"][0]["artifacts"].as_array().expect("artifacts");
    let uris: Vec<&str> = artifacts.iter().map(|a| a["location"]["uri"].as_str().expect("uri")).collect();
    assert_eq!(uris.len(), 10, "{uris:?}");
    assert!(uris.windows(2).all(|w| w[0] < w[1]), "in name order: {uris:?}");
    assert_eq!(uris[3], "OL023-parent-not-found.csv");
}

#[test]
fn canvas_is_canvas_s_own_json_per_file() {
    let output = outcomes_lint(&["check", "--format", "canvas", "OL006-no-outcomes-data.csv", "clean.csv"]);
    assert_eq!(code(&output), 1);
    assert_eq!(
        stdout(&output),
        "{\"workflow_state\":\"failed\",\"processing_errors\":[[1,\"File has no outcomes data\"]]}\n\
         {\"workflow_state\":\"succeeded\",\"processing_errors\":[]}\n"
    );
}

#[test]
fn standard_input_takes_its_name_from_stdin_filename() {
    let mut child = Command::new(BIN)
        .args(["check", "--format", "github", "--stdin-filename", "upload/outcomes.csv", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"vendor_guid,object_type,title\na,group,\n").expect("write");
    }
    let output = child.wait_with_output().expect("wait");
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).starts_with("::error file=upload/outcomes.csv,line=2,col=9,title=OL017::"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn unreadable_inputs_exit_2_and_win_over_findings() {
    let output = outcomes_lint(&["check", "OL017-title-required.csv", "missing.csv", "nothing-*.csv"]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(err.contains("outcomes-lint: missing.csv: "), "{err}");
    assert!(err.contains("outcomes-lint: nothing-*.csv: no files match this pattern"), "{err}");
    assert!(stdout(&output).contains("OL017"));
}

#[test]
fn usage_errors_exit_2() {
    let output = outcomes_lint(&["check", "--format", "xml", "clean.csv"]);
    assert_eq!(code(&output), 2);
    let output = outcomes_lint(&["check"]);
    assert_eq!(code(&output), 2);
}

#[test]
fn explain_prints_a_rule_by_code_or_name() {
    let by_code = outcomes_lint(&["explain", "OL023"]);
    assert_eq!(code(&by_code), 0);
    let by_name = outcomes_lint(&["explain", "parent-not-found"]);
    assert_eq!(stdout(&by_code), stdout(&by_name));
    insta::assert_snapshot!(stdout(&by_code));
}

#[test]
fn explain_suggests_a_rule_for_an_unknown_code() {
    let output = outcomes_lint(&["explain", "OL23"]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        "outcomes-lint: no rule has the code or name `OL23`; did you mean OL023 (parent-not-found)?\n"
    );
    let output = outcomes_lint(&["explain", "giraffe"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("`outcomes-lint rules` lists them all"));
}

#[test]
fn rules_lists_every_rule() {
    let output = outcomes_lint(&["rules"]);
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output).lines().count(), outcomes_rules::Rule::ALL.len());
    assert!(stdout(&output).lines().next().is_some_and(|l| l.starts_with("OL001  error  ")));
}

/// A file of `rows` outcomes over several of Canvas's 1000-record slices, with a row Canvas skips
/// (an unknown parent), a duplicate and a blank row now and then.
fn many_slices(rows: usize) -> String {
    let mut text = String::from("vendor_guid,object_type,title,description,parent_guids\ng,group,Group,,\n");
    for i in 0..rows {
        let parent = if i % 997 == 0 { "missing" } else { "g" };
        let guid = if i % 1_499 == 0 { "o-dup".to_owned() } else { format!("o{i}") };
        text.push_str(&format!(
            "{guid},outcome,Outcome {i},\"A description, long enough to matter: {i:>40}\",{parent}\n"
        ));
        if i % 2_003 == 0 {
            text.push('\n');
        }
    }
    text
}

#[test]
fn threads_never_change_the_output() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("threads");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    // Small (one thread unless asked) and over 4 MB (one per core by default).
    for (name, rows) in [("small.csv", 3_500), ("large.csv", 40_000)] {
        let path = dir.join(name);
        std::fs::write(&path, many_slices(rows)).expect("write");
        let path = path.to_str().expect("utf-8 path");
        let one = outcomes_lint(&["check", "--format", "json", "--threads", "1", path]);
        assert_eq!(code(&one), 1, "{name}: Canvas skips rows");
        assert!(stdout(&one).lines().count() >= 5, "{name}: {}", stdout(&one));
        for threads in ["0", "2", "3"] {
            let many = outcomes_lint(&["check", "--format", "json", "--threads", threads, path]);
            assert_eq!(stdout(&one), stdout(&many), "{name} with --threads {threads}");
            assert_eq!(code(&one), code(&many));
        }
    }
}
