//! The fixes, one module each, and what they share.
//!
//! A fix reads the file as a [`Doc`] and returns the new bytes (or none when it changes
//! nothing), what it did, and what it refused to do. The driver in `lib.rs` runs them in
//! [`crate::FixKind::ALL`] order, each on the previous one's output, and checks after each that
//! Canvas still frames the file the same way.

pub(crate) mod enums;
pub(crate) mod header_names;
pub(crate) mod line_endings;
pub(crate) mod parents_first;
pub(crate) mod short_rows;
pub(crate) mod trailing_header;

use outcomes_csv::Row;

use crate::doc::{apply_edits, Doc, Edit};
use crate::{AppliedFix, FixKind, FixOptions, Refusal};

/// What a fix gets to look at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input<'a> {
    /// The file, parsed.
    pub(crate) doc: &'a Doc,
    /// The file's bytes.
    pub(crate) bytes: &'a [u8],
    /// The options of the run.
    pub(crate) options: &'a FixOptions,
    /// The physical line (in the input file) where each record starts, by record index.
    pub(crate) lines: &'a [u64],
}

impl Input<'_> {
    /// An applied fix at `row`, with the line the row starts on in the input.
    pub(crate) fn fix(&self, kind: FixKind, row: Row, message: String) -> AppliedFix {
        AppliedFix { kind, row: Some(row), line: self.line_of(row), message }
    }

    /// A refusal at `row` (if any).
    pub(crate) fn refuse(&self, kind: FixKind, row: Option<Row>, message: String) -> Refusal {
        Refusal { kind, row, line: row.and_then(|r| self.line_of(r)), message, guids: Vec::new() }
    }

    fn line_of(&self, row: Row) -> Option<u64> {
        let index = usize::try_from(row).ok()?.checked_sub(1)?;
        self.lines.get(index).copied()
    }
}

/// What a fix did.
#[derive(Debug, Default)]
pub(crate) struct Output {
    /// The new file, when anything changed.
    pub(crate) bytes: Option<Vec<u8>>,
    /// The changes made.
    pub(crate) fixes: Vec<AppliedFix>,
    /// The changes not made, and why.
    pub(crate) refused: Vec<Refusal>,
}

/// Applies edits given as `(record index, edit)` and assembles the file; `None` when there
/// are none.
pub(crate) fn assemble_edits(doc: &Doc, edits: Vec<(usize, Edit)>) -> Option<Vec<u8>> {
    if edits.is_empty() {
        return None;
    }
    let mut per_record: Vec<Vec<Edit>> = vec![Vec::new(); doc.records.len()];
    for (index, edit) in edits {
        if let Some(list) = per_record.get_mut(index) {
            list.push(edit);
        }
    }
    let edited: Vec<Option<Vec<u8>>> = doc
        .records
        .iter()
        .zip(&per_record)
        .map(|(record, edits)| (!edits.is_empty()).then(|| apply_edits(record.raw(), edits)))
        .collect();
    Some(doc.assemble_edited(&edited))
}

/// A cell rewritten to `value`, keeping its quoting: quoted cells stay quoted (`value` never
/// needs escaping: it is a name Canvas knows), bare cells stay bare.
pub(crate) fn rewrite_cell(quoted: bool, value: &str) -> Vec<u8> {
    if quoted {
        format!("\"{value}\"").into_bytes()
    } else {
        value.as_bytes().to_vec()
    }
}

/// Canvas's row of record `index` (the header is row 1).
pub(crate) fn row_of(index: usize) -> Row {
    index as Row + 1
}
