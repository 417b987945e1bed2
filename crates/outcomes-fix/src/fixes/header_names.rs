//! `header-names` (OL005, OL004): known column names written with another case or stray spaces.
//!
//! Canvas compares header cells exactly, so ` vendor_guid` (after `title, vendor_guid`) or
//! `Title` is an unknown field and, for a required one, a missing one: the whole import fails.
//! A main header cell (before `ratings`) is rewritten when, trimmed of whitespace, lowercased
//! (ASCII) and with inner runs of spaces or hyphens read as `_`, it is exactly a column Canvas
//! knows (`Vendor GUID` → `vendor_guid`) or `ratings`. Its quoting is kept.
//!
//! Refused, with the reason: a cell whose name is already in the header (`title,Title`: which
//! one is meant?), two cells that would get the same name, and `Ratings` when a named column
//! follows it (that column would become a rating column and fail the file differently).

use outcomes_csv::{Field, RATINGS};
use outcomes_rules::ruby::is_blank_binary;

use super::{assemble_edits, rewrite_cell, Input, Output};
use crate::doc::{cell_range, show, Edit};
use crate::FixKind;

/// The name a header cell was meant to have: trimmed, ASCII-lowercased, inner runs of spaces
/// or hyphens read as one `_`.
pub(crate) fn intended_name(value: &str) -> String {
    let mut name = String::with_capacity(value.len());
    let mut pending_separator = false;
    for c in value.trim_matches(char::is_whitespace).chars() {
        if c.is_whitespace() || c == '-' {
            pending_separator = true;
            continue;
        }
        if pending_separator {
            name.push('_');
            pending_separator = false;
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

pub(crate) fn run(input: &Input<'_>) -> Output {
    let kind = FixKind::HeaderNames;
    let mut out = Output::default();
    let Some(header) = input.doc.header() else {
        return out;
    };
    let cells: Vec<_> = header.cells().collect();
    let main_end = cells.iter().position(|c| c.value() == RATINGS).unwrap_or(cells.len());
    let mut proposals: Vec<(usize, String)> = Vec::new();
    for (index, cell) in cells.iter().enumerate().take(main_end) {
        let Ok(value) = std::str::from_utf8(cell.value()) else {
            continue;
        };
        if Field::from_name(value.as_bytes()).is_some() {
            continue;
        }
        let name = intended_name(value);
        if name != value && (Field::from_name(name.as_bytes()).is_some() || name == "ratings") {
            proposals.push((index, name));
        }
    }
    let mut edits = Vec::new();
    for (index, name) in &proposals {
        let cell = &cells[*index];
        let column = index + 1;
        let was = show(cell.value());
        if let Some(other) = cells.iter().position(|c| c.value() == name.as_bytes()) {
            out.refused.push(input.refuse(
                kind,
                Some(1),
                format!(
                    "header cell {column} {was} looks like `{name}`, but cell {} is already `{name}`; rename or remove one of them",
                    other + 1
                ),
            ));
            continue;
        }
        if let Some((other, _)) = proposals.iter().find(|(i, n)| i != index && n == name) {
            out.refused.push(input.refuse(
                kind,
                Some(1),
                format!(
                    "header cells {column} ({was}) and {} ({}) both look like `{name}`; say which one it is",
                    other + 1,
                    show(cells[*other].value())
                ),
            ));
            continue;
        }
        if name == "ratings" {
            if let Some(named) = cells[index + 1..].iter().position(|c| !is_blank_binary(c.value())) {
                out.refused.push(input.refuse(
                    kind,
                    Some(1),
                    format!(
                        "header cell {column} {was} looks like `ratings`, but cell {} ({}) after it is named: as `ratings` it would make every later column a rating column",
                        index + named + 2,
                        show(cells[index + 1 + named].value())
                    ),
                ));
                continue;
            }
        }
        edits.push((0, Edit { range: cell_range(header, cell), with: rewrite_cell(cell.is_quoted(), name) }));
        out.fixes.push(input.fix(kind, 1, format!("header cell {column} {was} is now `{name}`")));
    }
    out.bytes = assemble_edits(input.doc, edits);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_in_case_spaces_or_separators_are_recognised() {
        assert_eq!(intended_name(" Vendor GUID "), "vendor_guid");
        assert_eq!(intended_name("object-type"), "object_type");
        assert_eq!(intended_name("Parent  - GUIDs"), "parent_guids");
        assert_eq!(intended_name("\u{A0}title\t"), "title");
        assert_eq!(intended_name("Ratings"), "ratings");
    }
}
