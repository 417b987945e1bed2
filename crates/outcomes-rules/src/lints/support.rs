//! What several lints need to know about a row, read exactly as Canvas reads it: the kind of
//! object and its rating tiers (read once per row, see [`crate::canvas::facts`]), and places to
//! point at.

use outcomes_csv::{Field, Position, Row, Span};

pub(crate) use crate::canvas::facts::{Kind, TierDescription};
use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::view::RowView;

/// A place in the file, kept by lints that report at the end or point back at an earlier row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub(crate) row: Row,
    pub(crate) span: Span,
    pub(crate) position: Position,
}

impl Place {
    /// The cell of `field` in this row (the whole record when the column is missing).
    pub(crate) fn of(view: &RowView<'_>, field: Field) -> Place {
        match view.columns.column(field).and_then(|i| view.record.cell(i)) {
            Some(cell) => Place { row: view.row(), span: cell.span(), position: cell.position() },
            None => {
                let span = view.record.span();
                Place { row: view.row(), span, position: view.record.position(span.start) }
            }
        }
    }

    /// Cell `index` of this row.
    pub(crate) fn cell(view: &RowView<'_>, index: usize) -> Place {
        match view.record.cell(index) {
            Some(cell) => Place { row: view.row(), span: cell.span(), position: cell.position() },
            None => Place::of(view, Field::Title),
        }
    }

    /// A diagnostic at this place.
    pub(crate) fn diagnostic(self, rule: Rule, message: String, field: &'static str) -> Diagnostic {
        Diagnostic::new(rule, message).with_row(self.row).at(self.span, self.position).with_field(field)
    }

    /// This place as a related location.
    pub(crate) fn related(self, message: String) -> Related {
        Related { message, row: Some(self.row), span: Some(self.span), position: Some(self.position) }
    }
}

/// `rows 3, 5 and 9` (at most `limit` listed, then `and N more`).
pub(crate) fn list_rows(rows: &[Row], limit: usize) -> String {
    let shown: Vec<String> = rows.iter().take(limit).map(|r| r.to_string()).collect();
    let word = if rows.len() == 1 { "row" } else { "rows" };
    let list = match (shown.len(), rows.len().saturating_sub(limit)) {
        (0, _) => String::new(),
        (1, 0) => shown[0].clone(),
        (n, 0) => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
        (_, more) => format!("{} and {more} more", shown.join(", ")),
    };
    format!("{word} {list}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_lists_read_naturally() {
        assert_eq!(list_rows(&[3], 5), "row 3");
        assert_eq!(list_rows(&[3, 5], 5), "rows 3 and 5");
        assert_eq!(list_rows(&[3, 5, 9], 5), "rows 3, 5 and 9");
        assert_eq!(list_rows(&[1, 2, 3, 4], 2), "rows 1, 2 and 2 more");
    }
}
