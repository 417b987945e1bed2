//! File-level checks of the header record, in Canvas's order.

use outcomes_csv::{Columns, Field, Record};

use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::ruby::{inspect_array, inspect_binary, is_blank_binary};

use super::UNEXPECTED_ERROR;

/// Checks the header. Canvas stops at the first failing check and fails the whole import.
///
/// Header cells are never re-encoded by Canvas, so names are inspected as binary strings
/// (`"t\xC3\xAFtle"`).
pub(crate) fn check_header(header: &Record) -> Result<Columns, Box<Diagnostic>> {
    let columns = Columns::from_header(header);
    let main = columns.main_len();

    if let Some((index, cell)) = header.cells().take(main).enumerate().find(|(_, c)| c.is_absent()) {
        return Err(Box::new(file_error(Rule::EmptyHeaderCell, UNEXPECTED_ERROR.to_owned())
            .at(cell.span(), cell.position())
            .with_note(format!(
                "Header cell {} is empty. Canvas turns every header cell into a field name and crashes on an empty one, so it reports only \"An unexpected error has occurred\".",
                index + 1
            ))));
    }

    if let Some(ratings) = columns.ratings_index() {
        let after: Vec<_> = header.cells().skip(ratings + 1).filter(|c| !is_blank_binary(c.value())).collect();
        if let Some(first) = after.first() {
            let list = inspect_array(after.iter().map(|c| inspect_binary(c.value())));
            let ratings_cell = header.cell(ratings);
            let mut d = file_error(Rule::FieldsAfterRatings, format!("Invalid fields after ratings: {list}"))
                .at(first.span(), first.position());
            if let Some(r) = ratings_cell {
                d = d.with_related(Related {
                    message: "the rating columns start here".into(),
                    row: Some(1),
                    span: Some(r.span()),
                    position: Some(r.position()),
                });
            }
            return Err(Box::new(d));
        }
    }

    let missing: Vec<Field> = Field::REQUIRED.into_iter().filter(|f| !columns.has(*f)).collect();
    if !missing.is_empty() {
        let list = inspect_array(missing.iter().map(|f| inspect_binary(f.name().as_bytes())));
        let span = header.span();
        let mut d = file_error(Rule::MissingRequiredFields, format!("Missing required fields: {list}"))
            .at(span, header.position(span.start));
        let mut notes = Vec::new();
        if let Some(i) = columns.ratings_index() {
            notes.push(format!("Only the header cells before `ratings` (column {}) name fields.", i + 1));
        }
        notes.extend(missing_field_hints(header, &missing));
        if !notes.is_empty() {
            d = d.with_note(notes.join(" "));
        }
        return Err(Box::new(d));
    }

    let unknown: Vec<_> = header.cells().take(main).filter(|c| Field::from_name(c.value()).is_none()).collect();
    if let Some(first) = unknown.first() {
        let list = inspect_array(unknown.iter().map(|c| inspect_binary(c.value())));
        let mut d =
            file_error(Rule::UnknownFields, format!("Invalid fields: {list}")).at(first.span(), first.position());
        if let Some(guess) = suggest_field(first.value()) {
            d = d.with_note(format!("Did you mean `{}`?", guess.name()));
        }
        return Err(Box::new(d));
    }
    Ok(columns)
}

/// Why required fields may look present but are not: a header cell that is one of them but for
/// case or spaces, or a header that is one cell holding tabs or another separator (a file
/// separated by something Canvas does not split on).
fn missing_field_hints(header: &Record, missing: &[Field]) -> Vec<String> {
    let mut hints = Vec::new();
    for (index, cell) in header.cells().enumerate() {
        if let Some(field) = suggest_field(cell.value()).filter(|f| missing.contains(f)) {
            hints.push(format!(
                "Header cell {} is {}: did you mean `{}`?",
                index + 1,
                inspect_binary(cell.value()),
                field.name()
            ));
        }
    }
    if !hints.is_empty() {
        hints.push("Canvas compares header names exactly (case-sensitive, no spaces around them).".to_owned());
    }
    if header.len() == 1 {
        let cell = header.get(0).unwrap_or_default();
        let separator = [(b'\t', "tabs"), (b'|', "`|`")].into_iter().find(|(b, _)| cell.contains(b));
        if let Some((_, name)) = separator {
            hints.push(format!(
                "The header is a single cell separated by {name}: Canvas splits cells only on `,` (or on `;` when the first line has more of them than commas). Save the file as CSV with commas."
            ));
        }
    }
    hints
}

/// A known field that `name` was probably meant as: equal but for case, surrounding spaces,
/// `-` or spaces for `_`, or a typo or two (`Object Type`, `vendorguid`, `titel`).
fn suggest_field(name: &[u8]) -> Option<Field> {
    let name = String::from_utf8_lossy(name);
    let names = Field::ALL.map(Field::name);
    let meant = crate::text::suggest(&name, &names)?;
    Field::ALL.into_iter().find(|f| f.name() == meant)
}

fn file_error(rule: Rule, message: String) -> Diagnostic {
    Diagnostic::new(rule, message).with_row(1).reported_by_canvas_at(1)
}
