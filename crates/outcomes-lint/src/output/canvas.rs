//! `--format canvas`: Canvas's own JSON, one object per file, one per line.

use std::io::Write;

use outcomes_rules::Checked;

/// Writes `{"workflow_state": ..., "processing_errors": [...]}` for one file.
pub fn write(out: &mut dyn Write, checked: &Checked, max_errors: Option<usize>) -> std::io::Result<()> {
    let json = checked.canvas_report().to_json(max_errors);
    writeln!(out, "{json}")
}
