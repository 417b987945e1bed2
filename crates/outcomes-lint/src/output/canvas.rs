//! `--format canvas`: Canvas's own JSON, one object per file, one per line.

use std::io::Write;

use outcomes_rules::CanvasReport;

use super::CheckedFile;

/// Writes `{"workflow_state": ..., "processing_errors": [...]}` for one file, from what a
/// [`Choice::Canvas`](super::Choice::Canvas) keeper kept: Canvas's errors, by row, at most
/// `--max-errors` of them.
pub fn write(out: &mut dyn Write, file: &CheckedFile<'_>) -> std::io::Result<()> {
    let errors = file.shown.iter().filter_map(|d| d.canvas.clone()).collect();
    let report = CanvasReport::new(file.failure.is_some(), errors);
    writeln!(out, "{}", report.to_json(None))
}
