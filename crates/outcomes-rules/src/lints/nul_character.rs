//! OL119: a NUL character in a cell.
//!
//! NUL (byte 0) is valid UTF-8, not whitespace, and passes every check Canvas's importer makes,
//! but PostgreSQL, where Canvas saves outcomes, refuses text containing it. The save raises, and
//! Canvas fails the whole import (`Database error (…)`, `lib/outcomes/csv_importer.rb`) instead of
//! skipping the row. We cannot reproduce that message offline (it carries the database's own
//! text), so this is our error, not one of Canvas's `processing_errors`: its severity is error
//! even though it is a lint. NUL bytes usually come from a UTF-16 file; when the file is UTF-16,
//! OL120 says so once and this lint stays quiet.

use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::Utf16;

#[derive(Default)]
pub(crate) struct NulCharacter {
    quiet: bool,
}

impl Lint for NulCharacter {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::NulCharacter]
    }

    fn file_start(&mut self, head: &[u8], _out: &mut Vec<Diagnostic>) {
        self.quiet = Utf16::detect(head).is_some();
    }

    /// A record without NUL has no cell with one.
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::NUL)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        if self.quiet {
            return;
        }
        let view = &cx.view;
        for (index, cell) in view.record.cells().enumerate() {
            let value = cell.value();
            let Some(at) = value.iter().position(|&b| b == 0) else {
                continue;
            };
            let character = outcomes_csv::count_chars(&value[..at]) + 1;
            let count = value.iter().filter(|&&b| b == 0).count();
            let field = view.field_name(index);
            let message = if count == 1 {
                format!("{field} contains a NUL character (character {character})")
            } else {
                format!("{field} contains {count} NUL characters (the first is character {character})")
            };
            out.push(
                view.diagnostic_at_cell(Rule::NulCharacter, message, index, field)
                    .with_note("Canvas's database rejects text with NUL characters, so Canvas fails the whole import with a \"Database error\" rather than skipping this row. That failure cannot be reproduced offline, so it is reported here, not among Canvas's errors."),
            );
        }
    }
}
