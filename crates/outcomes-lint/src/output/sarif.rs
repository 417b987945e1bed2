//! `--format sarif`: one SARIF 2.1.0 log for all the files of a run, as GitHub code scanning
//! (`github/codeql-action/upload-sarif`) and SARIF viewers read it.
//!
//! The log has one run. Its tool lists every rule with its summary, what Canvas does and how to
//! fix it; each result points at the file (a relative URI, forward slashes), the line and column
//! range (`columnKind` is `unicodeCodePoints`) and the bytes of the place, with related places
//! as `relatedLocations`.

use std::io::{self, Write};
use std::path::Path;

use outcomes_rules::{Diagnostic, Rule, Scope, Severity};
use serde_json::{json, Map, Value};

use super::{CheckedFile, Extent};
use crate::source::Source;

/// The JSON schema a SARIF 2.1.0 log names.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A SARIF log being built, one file at a time.
#[derive(Debug, Default)]
pub struct SarifLog {
    artifacts: Vec<String>,
    results: Vec<Value>,
    notifications: Vec<Value>,
}

impl SarifLog {
    /// An empty log.
    pub fn new() -> SarifLog {
        SarifLog::default()
    }

    /// Adds the shown diagnostics of a file as results.
    pub fn add(&mut self, file: &CheckedFile<'_>, source: &mut Source) {
        let uri = artifact_uri(file.name);
        let index = self.artifacts.len();
        self.artifacts.push(uri.clone());
        for d in file.shown {
            self.results.push(result(d, &uri, index, source));
        }
    }

    /// Records that an input could not be checked (the run then did not succeed).
    pub fn add_failure(&mut self, name: &str, message: &str) {
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": format!("{name}: {message}") },
        }));
    }

    /// The whole log.
    pub fn to_json(&self) -> Value {
        json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": driver() },
                "invocations": [{
                    "executionSuccessful": self.notifications.is_empty(),
                    "toolExecutionNotifications": self.notifications,
                }],
                "artifacts": self.artifacts.iter().map(|uri| json!({ "location": { "uri": uri } })).collect::<Vec<_>>(),
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }],
        })
    }

    /// Writes the log, pretty-printed.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.to_json())?;
        out.write_all(b"\n")
    }
}

/// The tool: outcomes-lint and every rule it has.
fn driver() -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code(),
                "name": rule.name(),
                "shortDescription": { "text": rule.summary() },
                "fullDescription": { "text": format!("{} {}", rule.summary(), scope_sentence(rule.scope())) },
                "help": { "text": rule.help() },
                "defaultConfiguration": { "level": level(rule.default_severity()) },
                "properties": { "tags": ["canvas", scope_tag(rule.scope())] },
            })
        })
        .collect();
    json!({
        "name": "outcomes-lint",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    })
}

/// What Canvas does when a rule of this scope fires, as a sentence.
pub fn scope_sentence(scope: Scope) -> &'static str {
    match scope {
        Scope::File => "Canvas fails the whole import and reports it at row 1.",
        Scope::Row => "Canvas skips the row and reports it at the row's number; the other rows still import.",
        Scope::Lint => "Canvas reports nothing; this is outcomes-lint's own finding.",
    }
}

fn scope_tag(scope: Scope) -> &'static str {
    match scope {
        Scope::File => "file-level",
        Scope::Row => "row-level",
        Scope::Lint => "lint",
    }
}

/// SARIF's level for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(d: &Diagnostic, uri: &str, artifact: usize, source: &mut Source) -> Value {
    let rule_index = Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0);
    let mut text = d.message.clone();
    if let Some(note) = &d.note {
        text.push('\n');
        text.push_str(note);
    }
    let extent = Extent::of(source, d.span, d.position);
    let mut region = region_of(d.span, extent);
    if region.is_none() && d.row == Some(1) {
        // File-level findings without a place are about the header line.
        region = Some(json!({ "startLine": 1 }));
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(id, r)| {
            let extent = Extent::of(source, r.span, r.position);
            let mut text = r.message.clone();
            if let (None, Some(row)) = (extent.start, r.row) {
                if !text.contains(&format!("row {row}")) {
                    text.push_str(&format!(" (row {row})"));
                }
            }
            let mut location = json!({ "id": id, "message": { "text": text } });
            let mut physical = json!({ "artifactLocation": { "uri": uri, "index": artifact } });
            if let Some(region) = region_of(r.span, extent) {
                physical["region"] = region;
            }
            location["physicalLocation"] = physical;
            location
        })
        .collect();
    let mut physical = json!({ "artifactLocation": { "uri": uri, "index": artifact } });
    if let Some(region) = region {
        physical["region"] = region;
    }
    let mut properties = Map::new();
    if let Some(row) = d.row {
        properties.insert("row".into(), json!(row));
    }
    if let Some(field) = &d.field {
        properties.insert("field".into(), json!(field));
    }
    if let Some(canvas) = &d.canvas {
        properties.insert("canvas".into(), json!([canvas.row, canvas.message]));
    }
    let mut result = json!({
        "ruleId": d.rule.code(),
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical }],
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    result
}

/// A region with lines and columns (when known) and bytes (when there is a span).
fn region_of(span: Option<outcomes_csv::Span>, extent: Extent) -> Option<Value> {
    let mut region = Map::new();
    if let Some(start) = extent.start {
        region.insert("startLine".into(), json!(start.line));
        region.insert("startColumn".into(), json!(start.column));
        if let Some(end) = extent.end {
            region.insert("endLine".into(), json!(end.line));
            region.insert("endColumn".into(), json!(end.column));
        }
    }
    if let Some(span) = span {
        region.insert("byteOffset".into(), json!(span.start));
        region.insert("byteLength".into(), json!(span.len()));
    }
    (!region.is_empty()).then_some(Value::Object(region))
}

/// The artifact URI for a file name: relative, forward slashes, percent-encoded. An absolute
/// path is made relative to the current directory when it is under it, else a `file:` URI.
pub fn artifact_uri(name: &str) -> String {
    let path = Path::new(name);
    if path.is_absolute() {
        if let Some(relative) =
            std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        {
            return encode(&slashes(&relative.to_string_lossy()));
        }
        let absolute = slashes(name);
        let absolute = if absolute.starts_with('/') { absolute } else { format!("/{absolute}") };
        return format!("file://{}", encode(&absolute));
    }
    let relative = slashes(name);
    encode(relative.strip_prefix("./").unwrap_or(&relative))
}

fn slashes(name: &str) -> String {
    if cfg!(windows) {
        name.replace('\\', "/")
    } else {
        name.to_owned()
    }
}

/// Percent-encodes everything but unreserved characters, `/` and the sub-delimiters that are
/// safe in a path.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_with_forward_slashes_and_encoded() {
        assert_eq!(artifact_uri("./data/my outcomes.csv"), "data/my%20outcomes.csv");
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(artifact_uri("a:b.csv"), "a%3Ab.csv");
        assert_eq!(artifact_uri("/nowhere/x%.csv").strip_prefix("file://"), Some("/nowhere/x%25.csv"));
    }
}
