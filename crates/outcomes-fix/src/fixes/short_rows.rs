//! `short-rows` (OL008): rows with fewer cells than the header has columns before `ratings`.
//!
//! Canvas crashes on such a row ("An unexpected error has occurred") and fails the whole import.
//! A missing cell and an empty unquoted cell mean the same to Canvas (both are *absent*), so
//! appending separators until the row has a cell for every main column changes nothing but the
//! crash. Blank rows (every cell empty or whitespace, including empty lines) are skipped by
//! Canvas before this check and are left alone. Never refused.

use outcomes_csv::{Columns, Record};
use outcomes_rules::ruby::is_blank_utf8;

use super::{assemble_edits, row_of, Input, Output};
use crate::doc::Edit;
use crate::FixKind;

/// Whether Canvas skips the record silently as blank (after its UTF-8 check).
pub(crate) fn is_blank(record: &Record) -> bool {
    record.cells().all(|c| std::str::from_utf8(c.value()).is_ok_and(is_blank_utf8))
}

pub(crate) fn run(input: &Input<'_>) -> Output {
    let mut out = Output::default();
    let Some(header) = input.doc.header() else {
        return out;
    };
    let width = Columns::from_header(header).main_len();
    let delimiter = input.doc.dialect.delimiter;
    let mut edits = Vec::new();
    for (index, record) in input.doc.data().iter().enumerate() {
        if record.len() >= width || is_blank(record) {
            continue;
        }
        let missing = width - record.len();
        let end = record.raw().len();
        edits.push((index + 1, Edit { range: end..end, with: vec![delimiter; missing] }));
        out.fixes.push(input.fix(
            FixKind::ShortRows,
            row_of(index + 1),
            format!(
                "row {} has {} cell{} but the header has {width} columns before `ratings`: added {missing} empty cell{}",
                row_of(index + 1),
                record.len(),
                if record.len() == 1 { "" } else { "s" },
                if missing == 1 { "" } else { "s" },
            ),
        ));
    }
    out.bytes = assemble_edits(input.doc, edits);
    out
}
