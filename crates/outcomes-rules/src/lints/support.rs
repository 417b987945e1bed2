//! What several lints need to know about a row, read exactly as Canvas reads it: the kind of
//! object, whether it is deleted, its parents and its rating tiers.

use outcomes_csv::{Field, Position, Row, Span};

use crate::canvas::parse_number;
use crate::diagnostic::{Diagnostic, Related};
use crate::options::NumberFormat;
use crate::registry::Rule;
use crate::ruby::{is_blank_utf8, ruby_split_whitespace, ruby_strip};
use crate::view::RowView;

/// Whether a row is a group or an outcome (only the exact values Canvas accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Group = 1,
    Outcome = 2,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Group => "group",
            Kind::Outcome => "outcome",
        }
    }
}

/// The distinct guids of `parent_guids` in the order written (Ruby's `strip.split.uniq`).
pub(crate) fn parent_guids<'a>(view: &RowView<'a>) -> Vec<&'a str> {
    let Some(text) = view.present(Field::ParentGuids) else {
        return Vec::new();
    };
    let mut guids: Vec<&str> = Vec::new();
    for guid in ruby_split_whitespace(ruby_strip(text.as_bytes())) {
        // Splitting on ASCII bytes keeps UTF-8 boundaries intact.
        let guid = std::str::from_utf8(guid).unwrap_or_default();
        if !guids.contains(&guid) {
            guids.push(guid);
        }
    }
    guids
}

/// A place in the file, kept by lints that report at the end or point back at an earlier row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub(crate) row: Row,
    pub(crate) span: Span,
    pub(crate) position: Position,
}

impl Place {
    /// The cell of `field` in this row (the whole record when the column is missing).
    pub(crate) fn of(view: &RowView<'_>, field: Field) -> Place {
        match view.columns.column(field).and_then(|i| view.record.cell(i)) {
            Some(cell) => Place { row: view.row(), span: cell.span(), position: cell.position() },
            None => {
                let span = view.record.span();
                Place { row: view.row(), span, position: view.record.position(span.start) }
            }
        }
    }

    /// Cell `index` of this row.
    pub(crate) fn cell(view: &RowView<'_>, index: usize) -> Place {
        match view.record.cell(index) {
            Some(cell) => Place { row: view.row(), span: cell.span(), position: cell.position() },
            None => Place::of(view, Field::Title),
        }
    }

    /// A diagnostic at this place.
    pub(crate) fn diagnostic(self, rule: Rule, message: String, field: &str) -> Diagnostic {
        Diagnostic::new(rule, message).with_row(self.row).at(self.span, self.position).with_field(field)
    }

    /// This place as a related location.
    pub(crate) fn related(self, message: String) -> Related {
        Related { message, row: Some(self.row), span: Some(self.span), position: Some(self.position) }
    }
}

/// How a rating tier's description cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TierDescription<'a> {
    /// No description (an empty unquoted cell, or none at all): Ruby's `nil`.
    Absent,
    /// A quoted empty cell or only whitespace: Canvas stores it as written.
    Blank(&'a str),
    /// Some text.
    Text(&'a str),
}

/// One rating tier as Canvas reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tier<'a> {
    /// 1-based, as Canvas numbers tiers in its messages.
    pub(crate) number: usize,
    /// Index of the points cell in the record.
    pub(crate) index: usize,
    /// The points as written (trimmed).
    pub(crate) written: &'a str,
    /// The points as Canvas reads them.
    pub(crate) points: f64,
    pub(crate) description: TierDescription<'a>,
}

impl Tier<'_> {
    /// `tier 2 (3 points, `Meets`)`: how messages name a tier.
    pub(crate) fn label(&self) -> String {
        match self.description {
            TierDescription::Text(text) => {
                format!("tier {} ({}, {})", self.number, self.points_text(), crate::text::show(text.trim()))
            }
            _ => format!("tier {} ({})", self.number, self.points_text()),
        }
    }

    /// `3 points`, `1 point`, `2,5 points`: the points as written, with the unit.
    pub(crate) fn points_text(&self) -> String {
        let unit = if self.points == 1.0 { "point" } else { "points" };
        format!("{} {unit}", self.written)
    }
}

/// The rating tiers of a row, read as Canvas's `parse_ratings` does, or `None` when Canvas
/// rejects them (missing or invalid points, wrong order, a cell that is not UTF-8): those rows
/// already have a Canvas error, and a lint would only repeat it.
pub(crate) fn tiers<'a>(view: &RowView<'a>, format: &NumberFormat) -> Option<Vec<Tier<'a>>> {
    let record = view.record;
    let start = view.ratings_start();
    let mut end = record.len();
    while end > start && record.cell(end - 1).is_some_and(|c| c.is_absent()) {
        end -= 1;
    }
    let mut tiers: Vec<Tier<'a>> = Vec::with_capacity(end.saturating_sub(start).div_ceil(2));
    for (n, index) in (start..end).step_by(2).enumerate() {
        let text = std::str::from_utf8(record.get(index)?).ok()?;
        if is_blank_utf8(text) {
            return None;
        }
        let points = read_number(text, format)?;
        if tiers.last().is_some_and(|prior| prior.points < points) {
            return None;
        }
        let description = match record.cell(index + 1).filter(|_| index + 1 < end) {
            None => TierDescription::Absent,
            Some(cell) if cell.is_absent() => TierDescription::Absent,
            Some(cell) => {
                let text = std::str::from_utf8(cell.value()).ok()?;
                if is_blank_utf8(text) {
                    TierDescription::Blank(text)
                } else {
                    TierDescription::Text(text)
                }
            }
        };
        tiers.push(Tier { number: n + 1, index, written: text.trim(), points, description });
    }
    Some(tiers)
}

/// Reads a number exactly as [`parse_number`] does (Canvas's locale handling, then Ruby's
/// `Float()`), with a fast path for the plain decimals that make up nearly every file: digits
/// with at most one `.` between digits, which no locale rewrites unless its thousands delimiter
/// is `.`, and which Rust and Ruby both round correctly to the same `f64`.
pub(crate) fn read_number(text: &str, format: &NumberFormat) -> Option<f64> {
    let bytes = text.as_bytes();
    let plain = !bytes.is_empty()
        && bytes.len() <= 17
        && bytes[0].is_ascii_digit()
        && bytes[bytes.len() - 1].is_ascii_digit()
        && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'.')
        && bytes.iter().filter(|b| **b == b'.').count() <= 1;
    let untouched = |pattern: &str| pattern.is_empty() || !text.contains(pattern);
    if plain
        && untouched(&format.thousands_delimiter)
        && (format.decimal_separator == "." || untouched(&format.decimal_separator))
    {
        return text.parse().ok();
    }
    parse_number(text, format)
}

/// Whether every cell of the record is blank (Canvas skips such rows silently).
pub(crate) fn is_blank_row(view: &RowView<'_>) -> bool {
    view.record.cells().all(|c| std::str::from_utf8(c.value()).is_ok_and(is_blank_utf8))
}

/// `rows 3, 5 and 9` (at most `limit` listed, then `and N more`).
pub(crate) fn list_rows(rows: &[Row], limit: usize) -> String {
    let shown: Vec<String> = rows.iter().take(limit).map(|r| r.to_string()).collect();
    let word = if rows.len() == 1 { "row" } else { "rows" };
    let list = match (shown.len(), rows.len().saturating_sub(limit)) {
        (0, _) => String::new(),
        (1, 0) => shown[0].clone(),
        (n, 0) => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
        (_, more) => format!("{} and {more} more", shown.join(", ")),
    };
    format!("{word} {list}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_reads_numbers_exactly_as_canvas() {
        let formats = [
            NumberFormat::en(),
            NumberFormat::for_locale("de").expect("de"),
            NumberFormat::for_locale("fr").expect("fr"),
        ];
        let cases = [
            "3",
            "0",
            "007",
            "2.5",
            "4.75",
            "0.1",
            "12345678901234567",
            "1.0000000000000002",
            "99999999999999999",
            "1.5",
            "10.25",
            "3.",
            ".5",
            "1,5",
            "1 000",
            " 3",
            "1e3",
        ];
        for format in &formats {
            for text in cases {
                assert_eq!(
                    read_number(text, format).map(f64::to_bits),
                    parse_number(text, format).map(f64::to_bits),
                    "{text:?} with {format:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_decimals_agree_with_ruby(int in 0u64..1_000_000_000, frac in 0u64..100_000_000, dot: bool) {
            let text = if dot { format!("{int}.{frac}") } else { int.to_string() };
            let format = NumberFormat::en();
            proptest::prop_assert_eq!(
                read_number(&text, &format).map(f64::to_bits),
                parse_number(&text, &format).map(f64::to_bits)
            );
        }
    }

    #[test]
    fn row_lists_read_naturally() {
        assert_eq!(list_rows(&[3], 5), "row 3");
        assert_eq!(list_rows(&[3, 5], 5), "rows 3 and 5");
        assert_eq!(list_rows(&[3, 5, 9], 5), "rows 3, 5 and 9");
        assert_eq!(list_rows(&[1, 2, 3, 4], 2), "rows 1, 2 and 2 more");
    }
}
