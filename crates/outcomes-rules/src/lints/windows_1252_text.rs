//! OL121: cells written in Windows-1252 (Latin-1) instead of UTF-8.
//!
//! Excel's plain "CSV (Comma delimited)" on Windows saves in the system code page, usually
//! Windows-1252: `é` becomes the single byte `E9`. Canvas rejects every row with such a cell
//! (OL010, "Not a valid utf-8 string: \"G\xE9om\xE9trie\""), one error per row, which reads like
//! many problems when there is one: the file's encoding. This lint says it once per file, with
//! what the first cell says when read as Windows-1252, and how many cells look the same. Cells
//! that are not valid Windows-1252 text either (undefined bytes, control characters) are not
//! counted, so binary garbage is not mistaken for it.

use outcomes_csv::Row;

use super::support::Place;
use super::{FileEnd, InOrder, Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::decode_windows_1252;

#[derive(Default)]
pub(crate) struct Windows1252Text {
    /// The first such cell: where, its field, and what it says.
    first: Option<(Place, &'static str, String)>,
    cells: usize,
    rows: usize,
    last_row: Row,
}

impl Lint for Windows1252Text {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::Windows1252Text]
    }

    fn in_order(&self) -> bool {
        true
    }

    /// Only a record that is not UTF-8 has such a cell.
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::NOT_UTF8)
    }

    fn row(&mut self, cx: &RowContext<'_>, _order: &InOrder<'_>, _out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if cx.is_utf8() {
            return;
        }
        for (index, cell) in view.record.cells().enumerate() {
            let Some(text) = decode_windows_1252(cell.value()) else {
                continue;
            };
            if self.first.is_none() {
                self.first = Some((Place::cell(view, index), view.field_name(index), text));
            }
            self.cells += 1;
            if self.last_row != view.row() {
                self.last_row = view.row();
                self.rows += 1;
            }
        }
    }

    fn finish(&mut self, _end: &FileEnd<'_>, out: &mut Vec<Diagnostic>) {
        let Some((place, field, text)) = self.first.take() else {
            return;
        };
        let spread = match (self.cells, self.rows) {
            (1, _) => String::new(),
            (cells, 1) => format!("; {cells} cells of that row look the same"),
            (cells, rows) => format!("; {cells} cells in {rows} rows look the same"),
        };
        out.push(
            place
                .diagnostic(
                    Rule::Windows1252Text,
                    format!(
                        "{field} is not UTF-8 but reads as Windows-1252 text: {}{spread}",
                        crate::text::show(&text)
                    ),
                    field,
                )
                .with_note("The file was probably saved as \"CSV (Comma delimited)\" or \"ANSI\", which writes accented letters in Windows-1252; Canvas reads files as UTF-8 and rejects every row with such a cell."),
        );
    }
}
