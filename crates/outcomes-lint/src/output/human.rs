//! The default, human-readable output.

use std::io::Write;

use outcomes_rules::{Checked, Severity};

/// Writes every diagnostic of one file, then a summary line.
pub fn write(out: &mut dyn Write, name: &str, checked: &Checked, max_errors: Option<usize>) -> std::io::Result<()> {
    let mut diagnostics: Vec<_> = checked.diagnostics.iter().collect();
    diagnostics.sort_by_key(|d| (d.canvas.as_ref().map(|c| c.row), d.row));
    for d in diagnostics.iter().take(max_errors.unwrap_or(usize::MAX)) {
        let place = match (d.position, d.row) {
            (Some(p), Some(row)) => format!("{name}:{}:{} (row {row})", p.line, p.column),
            (Some(p), None) => format!("{name}:{}:{}", p.line, p.column),
            (None, _) => name.to_owned(),
        };
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        writeln!(out, "{place}: {severity}[{}]: {}", d.rule.code(), d.message)?;
        if let Some(note) = &d.note {
            writeln!(out, "  = note: {note}")?;
        }
        writeln!(out, "  = help: {}", d.help)?;
    }
    writeln!(out, "{name}: {}", summary(checked))
}

/// One sentence on what Canvas would do with the file.
pub fn summary(checked: &Checked) -> String {
    if let Some(failure) = checked.file_failure() {
        return format!("Canvas would fail the whole import: {}", failure.message);
    }
    let rows = checked.imported + checked.skipped;
    match checked.skipped {
        0 => format!("Canvas would import all {rows} rows"),
        1 => format!("Canvas would import {} of {rows} rows; 1 row would be skipped", checked.imported),
        n => format!("Canvas would import {} of {rows} rows; {n} rows would be skipped", checked.imported),
    }
}
