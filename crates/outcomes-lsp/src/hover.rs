//! Hover on a guid of a `parent_guids` cell: the group it names, or why Canvas will not find it.

use outcomes_csv::{Columns, Field, Reader, Record, Row, Span};
use outcomes_rules::view::RowView;
use outcomes_rules::{Diagnostic, Rule};

use crate::document::{parent_guid_tokens, GuidToken};

/// A row of the file whose vendor_guid is the hovered guid.
#[derive(Debug, Clone)]
struct Definition {
    row: Row,
    /// The physical line of its vendor_guid cell.
    line: u64,
    is_group: bool,
    title: Option<String>,
}

/// The text to show for the guid under `offset`, and the guid's span; `None` when `offset` is
/// not on a guid of a `parent_guids` cell. `diagnostics` are the document's, to say whether
/// Canvas finds the parent.
pub(crate) fn hover(text: &str, offset: u64, diagnostics: &[Diagnostic]) -> Option<(Span, String)> {
    let (row, token) = guid_at(text, offset)?;
    let definitions = definitions(text, &token.guid);
    let not_found = diagnostics
        .iter()
        .find(|d| d.rule == Rule::ParentNotFound && d.row == Some(row) && d.guids.contains(&token.guid));
    Some((token.span, describe(&token.guid, row, &definitions, not_found)))
}

/// The row and parent guid under `offset`.
fn guid_at(text: &str, offset: u64) -> Option<(Row, GuidToken)> {
    let mut reader = Reader::new(text.as_bytes()).ok()?;
    let mut record = Record::new();
    let mut column = None;
    while reader.read_record(&mut record).ok()? {
        if record.row() == 1 {
            column = Some(Columns::from_header(&record).column(Field::ParentGuids)?);
            continue;
        }
        let span = record.span();
        if offset < span.start {
            return None;
        }
        if offset > span.end {
            continue;
        }
        let cell = record.cell(column?)?;
        let cell_span = cell.span();
        if offset < cell_span.start || offset > cell_span.end {
            return None;
        }
        let token = parent_guid_tokens(cell.raw(), cell_span.start)
            .into_iter()
            .find(|t| t.span.start <= offset && offset <= t.span.end)?;
        return Some((record.row(), token));
    }
    None
}

/// Every group or outcome row of the file whose vendor_guid is `guid`, read as Canvas reads it.
fn definitions(text: &str, guid: &str) -> Vec<Definition> {
    let mut found = Vec::new();
    let Ok(mut reader) = Reader::new(text.as_bytes()) else {
        return found;
    };
    let mut record = Record::new();
    let mut columns = None;
    while let Ok(true) = reader.read_record(&mut record) {
        let Some(columns) = &columns else {
            columns = Some(Columns::from_header(&record));
            continue;
        };
        let view = RowView { record: &record, columns };
        if view.present(Field::VendorGuid) != Some(guid) {
            continue;
        }
        let is_group = match view.get(Field::ObjectType) {
            Some("group") => true,
            Some("outcome") => false,
            _ => continue,
        };
        let line =
            columns.column(Field::VendorGuid).and_then(|c| record.cell(c)).map_or(record.line(), |c| c.position().line);
        found.push(Definition { row: record.row(), line, is_group, title: view.get(Field::Title).map(str::to_owned) });
    }
    found
}

fn describe(guid: &str, row: Row, definitions: &[Definition], not_found: Option<&Diagnostic>) -> String {
    let mut text = String::new();
    let group = definitions.iter().find(|d| d.is_group);
    match group {
        Some(g) => {
            text.push_str(&format!("**Group {}**", code(guid)));
            if let Some(title) = &g.title {
                text.push_str(&format!(" — {}", escape(title)));
            }
            text.push_str(&format!("\n\nDefined at row {} (line {})", g.row, g.line));
            if g.row > row {
                text.push_str(&format!(
                    ", **later** than this row ({row}): Canvas reads rows in order, so it \
                     does not find this parent yet. Move the group's row above this one."
                ));
            } else {
                text.push('.');
            }
        }
        None => match definitions.iter().find(|d| !d.is_group) {
            Some(o) => text.push_str(&format!(
                "{} is an **outcome** (row {}, line {}), not a group: only groups can be parents.",
                code(guid),
                o.row,
                o.line
            )),
            None => text.push_str(&format!("No group {} is defined in this file.", code(guid))),
        },
    }
    if let Some(d) = not_found {
        text.push_str(&format!("\n\nCanvas skips row {row}: `{}`", d.message.replace('`', "'")));
        let quoted = format!("\"{guid}\"");
        for related in d.related.iter().filter(|r| r.message.contains(&quoted)) {
            if group.is_some_and(|g| g.row > row) && related.message.contains("defined later") {
                continue;
            }
            text.push_str(&format!("\n\n{}", escape(&related.message)));
        }
    }
    text
}

/// `guid` as inline code, whatever backticks it holds.
fn code(guid: &str) -> String {
    let fence = if guid.contains('`') { "`` " } else { "`" };
    let close = if guid.contains('`') { " ``" } else { "`" };
    format!("{fence}{guid}{close}")
}

/// Text with Markdown's special characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]()<>#+-.!|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcomes_rules::CanvasOptions;

    const FILE: &str = "vendor_guid,object_type,title,parent_guids\n\
                        early,group,Early *bird*,\n\
                        o1,outcome,Add,\"early  late o2 nowhere\"\n\
                        o2,outcome,Sub,early\n\
                        late,group,Late,early\n";

    fn at(needle: &str, nth: usize) -> u64 {
        FILE.match_indices(needle).nth(nth).unwrap().0 as u64
    }

    fn hover_at(offset: u64) -> Option<(Span, String)> {
        let checked = outcomes_rules::check_bytes(FILE.as_bytes(), &CanvasOptions::default());
        hover(FILE, offset, &checked.diagnostics)
    }

    #[test]
    fn a_group_defined_before() {
        let offset = at("early", 1) + 2;
        let (span, text) = hover_at(offset).unwrap();
        assert_eq!(span, Span::new(at("early", 1), at("early", 1) + 5));
        assert!(text.starts_with("**Group `early`** — Early \\*bird\\*"), "{text}");
        assert!(text.contains("Defined at row 2 (line 2)."), "{text}");
        assert!(!text.contains("Canvas skips"), "{text}");
    }

    #[test]
    fn a_group_defined_later() {
        let (_, text) = hover_at(at("late", 0)).unwrap();
        assert!(text.contains("Defined at row 5 (line 5), **later**"), "{text}");
        assert!(text.contains("Canvas skips row 3"), "{text}");
    }

    #[test]
    fn an_outcome_and_nothing() {
        let (_, text) = hover_at(at("o2 nowhere", 0) + 2).unwrap();
        assert!(text.contains("`o2` is an **outcome** (row 4, line 4)"), "{text}");
        let (_, text) = hover_at(at("nowhere", 0) + 7).unwrap();
        assert!(text.starts_with("No group `nowhere` is defined in this file."), "{text}");
    }

    #[test]
    fn nothing_off_a_guid() {
        assert!(hover_at(at("Add", 0)).is_none());
        assert!(hover_at(at("late o2", 0) - 1).is_none(), "between guids");
        assert!(hover_at(0).is_none(), "the header");
    }
}
