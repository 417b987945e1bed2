//! OL116: a cell a spreadsheet would run as a formula.
//!
//! Canvas imports `=HYPERLINK("http://…","Click")` as plain text, so the import is fine. The risk
//! is for the next person who opens this CSV (or Canvas's export of these outcomes) in Excel,
//! LibreOffice or Google Sheets: a cell starting with `=`, `+`, `-` or `@` is evaluated as a
//! formula ("CSV injection"), which can show a different value, fetch URLs, or with old DDE
//! tricks run commands. Numbers such as `-1` or `+2.5` are what they look like and are skipped,
//! as are the rating points and mastery_points cells (Canvas rejects anything there that is not
//! a number).

use outcomes_csv::Field;

use super::{Lint, RowContext};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::ruby::parse_float;
use crate::text::show;

pub(crate) struct FormulaInjection;

impl Lint for FormulaInjection {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::FormulaInjection]
    }

    fn row(&mut self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        let mastery = view.columns.column(Field::MasteryPoints);
        let ratings = view.ratings_start();
        for (index, cell) in view.record.cells().enumerate() {
            if Some(index) == mastery || (index >= ratings && (index - ratings) % 2 == 0) {
                continue;
            }
            let value = cell.value();
            let Some(&first) = value.first() else {
                continue;
            };
            if !matches!(first, b'=' | b'+' | b'-' | b'@') || value.len() == 1 {
                continue;
            }
            if parse_float(value).is_some() {
                continue;
            }
            let Ok(text) = std::str::from_utf8(value) else {
                continue;
            };
            out.push(
                view.diagnostic_at_cell(
                    Rule::FormulaInjection,
                    format!(
                        "{} starts with `{}`: a spreadsheet opening this file runs it as a formula",
                        show(text),
                        char::from(first)
                    ),
                    index,
                    view.field_name(index),
                )
                .with_note("Canvas imports the text as it is; the risk is for whoever opens this CSV, or Canvas's export of it, in Excel, LibreOffice or Google Sheets (CSV injection)."),
            );
        }
    }
}
