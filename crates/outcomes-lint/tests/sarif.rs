//! The SARIF output validates against the SARIF 2.1.0 JSON schema (vendored in `tests/data/`)
//! and has what GitHub code scanning needs beyond the schema.

mod common;

use outcomes_rules::Rule;
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let text = include_str!("data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(text).expect("schema is JSON");
    jsonschema::draft7::options().should_validate_formats(true).build(&schema).expect("schema compiles")
}

/// One log over every fixture, read from their paths, as a CI job would run it.
fn log_of_all_fixtures() -> (u8, Value) {
    let dir = common::fixtures();
    let mut paths: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path().display().to_string())
        .filter(|p| p.ends_with(".csv"))
        .collect();
    paths.sort();
    let mut args = vec!["outcomes-lint", "check", "--format", "sarif"];
    args.extend(paths.iter().map(String::as_str));
    let run = common::run(&args, b"");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    (run.code, serde_json::from_str(&run.stdout).expect("SARIF is JSON"))
}

#[test]
fn the_log_validates_against_the_sarif_2_1_0_schema() {
    let (code, log) = log_of_all_fixtures();
    assert_eq!(code, 1);
    let validator = schema();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn a_log_with_unreadable_inputs_validates_too() {
    let run = common::run(&["outcomes-lint", "check", "--format", "sarif", "no-such-file.csv", "-"], b"");
    assert_eq!(run.code, 2);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], false);
    let validator = schema();
    assert!(validator.is_valid(&log));
}

#[test]
fn the_log_has_what_github_code_scanning_needs() {
    let (_, log) = log_of_all_fixtures();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), Rule::ALL.len());
    for (rule, entry) in Rule::ALL.iter().zip(rules) {
        assert_eq!(entry["id"], rule.code());
        assert!(entry["shortDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(entry["fullDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(entry["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let results = run["results"].as_array().expect("results");
    assert!(results.len() >= 33, "a result for every fixture");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.contains('\\') && uri.ends_with(".csv"), "{uri}");
        assert!(location["region"]["startLine"].as_u64().is_some_and(|l| l >= 1), "{result}");
        assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
}
