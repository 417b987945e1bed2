//! A data record seen through the header: fields by name, as Ruby sees them.

use outcomes_csv::{Columns, Field, Record, Row};

use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::ruby::is_blank_utf8;

/// One data record with its header layout. Shared by Canvas's checks and the lints so that both
/// read fields exactly the same way.
#[derive(Debug, Clone, Copy)]
pub struct RowView<'a> {
    /// The record.
    pub record: &'a Record,
    /// The header layout.
    pub columns: &'a Columns,
}

impl<'a> RowView<'a> {
    /// The value of `field` as Ruby sees it: `None` for a missing column, an absent cell (empty and
    /// unquoted) or a cell that is not UTF-8.
    #[inline]
    pub fn get(&self, field: Field) -> Option<&'a str> {
        let cell = self.record.cell(self.columns.column(field)?)?;
        if cell.is_absent() {
            return None;
        }
        cell.text()
    }

    /// The value of `field` unless it is blank (ActiveSupport's `present?`).
    pub fn present(&self, field: Field) -> Option<&'a str> {
        self.get(field).filter(|v| !is_blank_utf8(v))
    }

    /// Canvas's row number.
    pub fn row(&self) -> Row {
        self.record.row()
    }

    /// Index of the first rating cell.
    pub fn ratings_start(&self) -> usize {
        self.columns.main_len()
    }

    /// A diagnostic of `rule` pointing at `field`'s cell, or at the whole record when the column
    /// is missing.
    pub fn diagnostic(&self, rule: Rule, message: String, field: Option<Field>) -> Diagnostic {
        let mut d = Diagnostic::new(rule, message).with_row(self.row());
        match field.and_then(|f| Some((f, self.record.cell(self.columns.column(f)?)?))) {
            Some((f, cell)) => d = d.at(cell.span(), cell.position()).with_field(f.name()),
            None => {
                let span = self.record.span();
                d = d.at(span, self.record.position(span.start));
                if let Some(f) = field {
                    d = d.with_field(f.name());
                }
            }
        }
        d
    }

    /// A diagnostic of `rule` pointing at cell `index`, named `field`.
    pub fn diagnostic_at_cell(&self, rule: Rule, message: String, index: usize, field: &'static str) -> Diagnostic {
        let mut d = Diagnostic::new(rule, message).with_row(self.row());
        if let Some(cell) = self.record.cell(index) {
            d = d.at(cell.span(), cell.position());
        }
        d.with_field(field)
    }

    /// The header name of column `index` (`ratings` for rating cells, empty when unnamed).
    pub fn field_name(&self, index: usize) -> &'static str {
        if index >= self.columns.main_len() {
            return "ratings";
        }
        Field::ALL.into_iter().find(|f| self.columns.column(*f) == Some(index)).map(Field::name).unwrap_or_default()
    }
}
