//! Which documents the server speaks about, and reading places out of them.

use std::collections::{BTreeSet, HashMap};

use lsp_types::Url;
use outcomes_csv::{Columns, Field, Reader, Record, Row, Span};
use outcomes_rules::ruby::is_ruby_space;

/// Whether a document is a CSV file at all: its language is `csv` (whatever extension or plugin
/// set it), or its URI's path ends in `.csv` (any case), for editors that know no CSV language.
pub(crate) fn is_csv(uri: &Url, language_id: &str) -> bool {
    language_id.eq_ignore_ascii_case("csv") || uri.path().to_ascii_lowercase().ends_with(".csv")
}

/// Whether `text` starts with an outcomes header: its first line (up to the first `\n` or `\r`,
/// after a BOM), lower-cased with spaces and hyphens read as underscores, contains `vendor_guid`
/// or `object_type`.
///
/// Deliberately looser than Canvas (which wants those names exactly) so that a header with
/// `Vendor GUID` still gets its diagnostics and the quick fix that renames it; deliberately
/// textual (not parsed) so that a header with a stray quote still counts. Every other CSV file
/// gets nothing from the server.
pub(crate) fn has_outcomes_header(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    let line: String = text[..end]
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    line.contains("vendor_guid") || line.contains("object_type")
}

/// Where to point for each of `rows` (Canvas rows): the record's `vendor_guid` cell, or the
/// whole record when it has none. Reads no further than the last row asked for.
pub(crate) fn row_places(text: &str, rows: &BTreeSet<Row>) -> HashMap<Row, Span> {
    let mut places = HashMap::new();
    let Some(&last) = rows.last() else {
        return places;
    };
    let Ok(mut reader) = Reader::new(text.as_bytes()) else {
        return places;
    };
    let mut record = Record::new();
    let mut guid_column = None;
    while let Ok(true) = reader.read_record(&mut record) {
        if record.row() == 1 {
            guid_column = Columns::from_header(&record).column(Field::VendorGuid);
        }
        if rows.contains(&record.row()) {
            let span = guid_column.and_then(|c| record.cell(c)).map_or_else(|| record.span(), |cell| cell.span());
            places.insert(record.row(), span);
        }
        if record.row() >= last {
            break;
        }
    }
    places
}

/// One guid of a `parent_guids` cell and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GuidToken {
    pub(crate) guid: String,
    pub(crate) span: Span,
}

/// The guids of a `parent_guids` cell as Canvas splits them (Ruby's `strip.split`: ASCII
/// whitespace separates, NULs at the ends are stripped), each with its span in the document.
/// `raw` is the cell as written and `start` its offset; quotes are looked through, and a `""`
/// inside a guid is read as `"`.
pub(crate) fn parent_guid_tokens(raw: &[u8], start: u64) -> Vec<GuidToken> {
    let (inner, base) = match raw {
        [b'"', inner @ .., b'"'] => (inner, start + 1),
        _ => (raw, start),
    };
    let strippable = |b: u8| b == 0 || is_ruby_space(b);
    let lead = inner.iter().position(|b| !strippable(*b)).unwrap_or(inner.len());
    let trail = inner.iter().rposition(|b| !strippable(*b)).map_or(lead, |i| i + 1);
    let mut tokens = Vec::new();
    let mut i = lead;
    while i < trail {
        if is_ruby_space(inner[i]) {
            i += 1;
            continue;
        }
        let from = i;
        while i < trail && !is_ruby_space(inner[i]) {
            i += 1;
        }
        let bytes = &inner[from..i];
        tokens.push(GuidToken {
            guid: String::from_utf8_lossy(bytes).replace("\"\"", "\""),
            span: Span::new(base + from as u64, base + i as u64),
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_by_language_or_extension() {
        let csv = Url::parse("file:///x/Outcomes.CSV").unwrap();
        let txt = Url::parse("file:///x/outcomes.txt").unwrap();
        assert!(is_csv(&csv, "plaintext"));
        assert!(is_csv(&txt, "csv"));
        assert!(!is_csv(&txt, "plaintext"));
    }

    #[test]
    fn the_outcomes_header_rule() {
        assert!(has_outcomes_header("title,vendor_guid,object_type\n"));
        assert!(has_outcomes_header("\u{feff}\"Object Type\";Title\r\n"));
        assert!(has_outcomes_header("Vendor-GUID"));
        assert!(!has_outcomes_header("name,email\nvendor_guid,x\n"));
        assert!(!has_outcomes_header("name,email\rvendor_guid"));
        assert!(!has_outcomes_header(""));
    }

    #[test]
    fn parent_guids_split_like_ruby() {
        let tokens = parent_guid_tokens(b"\" a  b\tc \"", 10);
        let found: Vec<(&str, u64, u64)> = tokens.iter().map(|t| (t.guid.as_str(), t.span.start, t.span.end)).collect();
        assert_eq!(found, [("a", 12, 13), ("b", 15, 16), ("c", 17, 18)]);
        assert!(parent_guid_tokens(b"", 0).is_empty());
        assert!(parent_guid_tokens(b"\"\"", 0).is_empty());
        let tokens = parent_guid_tokens(b"\0x\0", 0);
        assert_eq!(tokens[0].guid, "x");
        assert_eq!(tokens[0].span, Span::new(1, 2));
    }

    #[test]
    fn row_places_point_at_the_vendor_guid_cell() {
        let text = "title,vendor_guid\nA,a\nB,b\n";
        let places = row_places(text, &[3].into_iter().collect());
        assert_eq!(places[&3], Span::new(24, 25));
        assert_eq!(&text[24..25], "b");
    }
}
