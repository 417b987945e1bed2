//! `object-type` (OL020), `workflow-state` (OL019), `calculation-method` (OL031): enumerated
//! values with the wrong case or stray spaces.
//!
//! Canvas compares these values exactly, so `Group`, ` active ` and `Decaying_Average` make it
//! skip the row. A value is rewritten only when exactly one value Canvas accepts is meant:
//!
//! - `object_type`: trimmed of whitespace and lowercased (ASCII), it is `outcome` or `group`;
//! - `workflow_state`: trimmed and lowercased, it is `active` or `deleted`, or nothing at all
//!   (a cell of spaces becomes empty, which Canvas reads as `active`, as it reads an empty cell);
//! - `calculation_method`: trimmed, lowercased, and with inner runs of spaces or hyphens read
//!   as `_`, it is one of Canvas's seven methods (`Decaying Average` → `decaying_average`).
//!
//! Only the cell Canvas reads (the last column of that name) changes, and it keeps its quoting.
//! Blank rows are left alone. Anything else (`groups`, `n-mastery-5`) stays as written for a
//! person to decide; `check` reports it.

use outcomes_csv::{Columns, Field};
use outcomes_rules::canvas::METHODS;

use super::header_names::intended_name;
use super::short_rows::is_blank;
use super::{assemble_edits, rewrite_cell, row_of, Input, Output};
use crate::doc::{cell_range, show, Edit};
use crate::FixKind;

/// The enumerated fields, with their fix.
const FIELDS: [(Field, FixKind); 3] = [
    (Field::WorkflowState, FixKind::WorkflowState),
    (Field::ObjectType, FixKind::ObjectType),
    (Field::CalculationMethod, FixKind::CalculationMethod),
];

/// The value Canvas accepts that `value` unambiguously means, if it differs from `value`.
pub(crate) fn intended_value(field: Field, value: &str) -> Option<&'static str> {
    let trimmed = value.trim_matches(char::is_whitespace).to_ascii_lowercase();
    let intended = match field {
        Field::ObjectType => ["outcome", "group"].into_iter().find(|v| *v == trimmed)?,
        Field::WorkflowState => ["active", "deleted", ""].into_iter().find(|v| *v == trimmed)?,
        Field::CalculationMethod => {
            let name = intended_name(value);
            METHODS.into_iter().find(|m| *m == name)?
        }
        _ => return None,
    };
    (intended != value).then_some(intended)
}

pub(crate) fn run(input: &Input<'_>) -> Output {
    let mut out = Output::default();
    let Some(header) = input.doc.header() else {
        return out;
    };
    let columns = Columns::from_header(header);
    let selected: Vec<(Field, FixKind, usize)> = FIELDS
        .into_iter()
        .filter(|(_, kind)| input.options.fixes.contains(*kind))
        .filter_map(|(field, kind)| Some((field, kind, columns.column(field)?)))
        .collect();
    if selected.is_empty() {
        return out;
    }
    let mut edits = Vec::new();
    for (index, record) in input.doc.data().iter().enumerate() {
        if is_blank(record) {
            continue;
        }
        for &(field, kind, column) in &selected {
            let Some(cell) = record.cell(column) else {
                continue;
            };
            let Ok(value) = std::str::from_utf8(cell.value()) else {
                continue;
            };
            if cell.is_absent() || value.is_empty() {
                continue;
            }
            // A blank calculation_method is the default method, not an error.
            if field == Field::CalculationMethod && value.trim_matches(char::is_whitespace).is_empty() {
                continue;
            }
            let Some(intended) = intended_value(field, value) else {
                continue;
            };
            edits.push((
                index + 1,
                Edit { range: cell_range(record, &cell), with: rewrite_cell(cell.is_quoted(), intended) },
            ));
            let shown = if intended.is_empty() {
                "empty (Canvas reads it as `active`)".to_owned()
            } else {
                format!("`{intended}`")
            };
            out.fixes.push(input.fix(
                kind,
                row_of(index + 1),
                format!("{} {} is now {shown}", field.name(), show(value.as_bytes())),
            ));
        }
    }
    out.bytes = assemble_edits(input.doc, edits);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unambiguous_values_are_rewritten() {
        assert_eq!(intended_value(Field::ObjectType, "Group"), Some("group"));
        assert_eq!(intended_value(Field::ObjectType, " OUTCOME\u{A0}"), Some("outcome"));
        assert_eq!(intended_value(Field::ObjectType, "group"), None);
        assert_eq!(intended_value(Field::ObjectType, "groups"), None);
        assert_eq!(intended_value(Field::ObjectType, "out come"), None);
        assert_eq!(intended_value(Field::WorkflowState, " active "), Some("active"));
        assert_eq!(intended_value(Field::WorkflowState, "Deleted"), Some("deleted"));
        assert_eq!(intended_value(Field::WorkflowState, "  "), Some(""));
        assert_eq!(intended_value(Field::WorkflowState, "inactive"), None);
        assert_eq!(intended_value(Field::CalculationMethod, "Decaying_Average"), Some("decaying_average"));
        assert_eq!(intended_value(Field::CalculationMethod, "n-Mastery"), Some("n_mastery"));
        assert_eq!(
            intended_value(Field::CalculationMethod, " Standard Decaying Average"),
            Some("standard_decaying_average")
        );
        assert_eq!(intended_value(Field::CalculationMethod, "highest"), None);
        assert_eq!(intended_value(Field::CalculationMethod, "max"), None);
    }
}
