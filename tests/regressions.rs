//! Regressions: inputs that once made the checker misbehave, kept so they never do again.

use outcomes_rules::{check_bytes, CanvasOptions, Rule};

/// A short row (fewer cells than the main headers) made the rating lints compute a negative
/// number of rating cells and panic; Canvas crashes on such a row, and we must report it.
#[test]
fn a_short_row_with_lints_on_is_reported_not_a_panic() {
    let file = b"title,vendor_guid,object_type,mastery_points\nAdd,add,outcome\n";
    let checked = check_bytes(file, &CanvasOptions::default());
    assert_eq!(checked.file_failure().map(|d| d.rule), Some(Rule::ShortRow));
    let report = checked.canvas_report().to_json(None);
    assert_eq!(
        report,
        serde_json::json!({
            "workflow_state": "failed",
            "processing_errors": [[1, "An unexpected error has occurred: see error report"]]
        })
    );
}
