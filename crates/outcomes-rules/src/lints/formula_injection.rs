//! OL116: a cell a spreadsheet would run as a formula.
//!
//! Canvas imports `=HYPERLINK("http://…","Click")` as plain text, so the import is fine. The risk
//! is for the next person who opens this CSV (or Canvas's export of these outcomes) in Excel,
//! LibreOffice or Google Sheets: a cell starting with `=`, `+`, `-` or `@` is evaluated as a
//! formula ("CSV injection"), which can show a different value, fetch URLs, or with old DDE
//! tricks run commands. Numbers such as `-1` or `+2.5` are what they look like and are skipped,
//! as are the rating points and mastery_points cells (Canvas rejects anything there that is not
//! a number).

use outcomes_csv::{Cell, Field};

use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::ruby::parse_float;
use crate::text::show;
use crate::view::RowView;

pub(crate) struct FormulaInjection;

/// The bytes a spreadsheet reads as the start of a formula.
pub(crate) const FORMULA_STARTS: &[u8] = b"=+-@";

impl Lint for FormulaInjection {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::FormulaInjection]
    }

    /// The reader notes what the cells start with: nearly every row has no cell to look at.
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::FORMULA_START)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        // Every cell but the numbers: mastery_points and the points of every rating tier.
        let mastery = view.columns.column(Field::MasteryPoints).unwrap_or(usize::MAX);
        let ratings = view.ratings_start();
        let numbers = |index: usize| index == mastery || (index >= ratings && (index - ratings) % 2 == 0);
        // The first byte of the value rules out nearly every cell before anything else is
        // looked at.
        for (index, first) in view.record.first_bytes().enumerate() {
            let Some(first) = first.filter(|b| FORMULA_STARTS.contains(b)) else {
                continue;
            };
            if let Some(cell) = view.record.cell(index).filter(|_| !numbers(index)) {
                check_cell(view, index, cell, first, out);
            }
        }
    }
}

/// Reports cell `index`, which starts with the formula character `first`, unless it is a number.
fn check_cell(view: &RowView<'_>, index: usize, cell: Cell<'_>, first: u8, out: &mut Vec<Diagnostic>) {
    let value = cell.value();
    if value.len() <= 1 || parse_float(value).is_some() {
        return;
    }
    let Some(text) = cell.text() else {
        return;
    };
    out.push(
        view.diagnostic_at_cell(
            Rule::FormulaInjection,
            format!("{} starts with `{}`: a spreadsheet opening this file runs it as a formula", show(text), char::from(first)),
            index,
            view.field_name(index),
        )
        .with_note("Canvas imports the text as it is; the risk is for whoever opens this CSV, or Canvas's export of it, in Excel, LibreOffice or Google Sheets (CSV injection)."),
    );
}
