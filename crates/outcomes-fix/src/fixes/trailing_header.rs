//! `trailing-header-cells` (OL007): the empty cells a spreadsheet leaves at the end of the header.
//!
//! Canvas turns every main header cell into a field name and crashes on an empty unquoted one
//! ("An unexpected error has occurred"): `title,vendor_guid,object_type,,` fails the whole
//! import. When the header has no `ratings` column (after it, cells are rating columns and
//! need no name), the run of empty unquoted cells at its end is dropped — with the separators
//! before them, nothing else.
//!
//! That is safe only when no data row has a value from the first dropped column on: without a
//! header those cells become rating cells, and Canvas ignores trailing empty unquoted ones but
//! not a value. Refused, with the reason: such a value (which row, which column), an empty
//! header cell that is not at the end (removing it would shift every column after it), and a
//! header with no name at all.

use outcomes_csv::RATINGS;

use super::{assemble_edits, row_of, Input, Output};
use crate::doc::{cell_range, show, Edit};
use crate::FixKind;

pub(crate) fn run(input: &Input<'_>) -> Output {
    let kind = FixKind::TrailingHeaderCells;
    let mut out = Output::default();
    let Some(header) = input.doc.header() else {
        return out;
    };
    let cells: Vec<_> = header.cells().collect();
    if cells.iter().any(|c| c.value() == RATINGS) || cells.is_empty() {
        return out;
    }
    let kept = cells.iter().rposition(|c| !c.is_absent()).map_or(0, |i| i + 1);
    for (index, _) in cells[..kept].iter().enumerate().filter(|(_, c)| c.is_absent()) {
        out.refused.push(input.refuse(
            kind,
            Some(1),
            format!(
                "header cell {} is empty but not at the end of the header: removing it would move every later column one to the left; name the column, or delete it together with its data",
                index + 1
            ),
        ));
    }
    // With an empty cell in the middle Canvas crashes anyway: dropping the ones at the end
    // would change bytes without changing the verdict.
    if kept == cells.len() || !out.refused.is_empty() {
        return out;
    }
    if kept == 0 {
        out.refused.push(input.refuse(
            kind,
            Some(1),
            "the header has no column names at all; this does not look like an outcomes file".into(),
        ));
        return out;
    }
    for (index, record) in input.doc.data().iter().enumerate() {
        if let Some((column, cell)) = record.cells().enumerate().skip(kept).find(|(_, c)| !c.is_absent()) {
            let row = row_of(index + 1);
            out.refused.push(input.refuse(
                kind,
                Some(row),
                format!(
                    "header cells {}-{} are empty, but row {row} has {} in column {}: without a header it would become a rating; name the column (or `ratings`), or remove the value",
                    kept + 1,
                    cells.len(),
                    show(cell.value()),
                    column + 1
                ),
            ));
            return out;
        }
    }
    let last = &cells[kept - 1];
    let end = cell_range(header, last).end;
    let dropped = cells.len() - kept;
    out.bytes = assemble_edits(input.doc, vec![(0, Edit { range: end..header.raw().len(), with: Vec::new() })]);
    out.fixes.push(input.fix(
        kind,
        1,
        format!(
            "dropped {dropped} empty header cell{} after column {kept} ({})",
            if dropped == 1 { "" } else { "s" },
            show(last.value())
        ),
    ));
    out
}
