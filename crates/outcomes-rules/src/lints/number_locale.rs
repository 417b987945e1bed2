//! OL100: a number Canvas reads differently from how it looks, because of the account locale.
//!
//! Canvas deletes the locale's thousands delimiter before reading a number, so under `en` the
//! rating points `1,5` become **15** and `2,75` become 275 — silently. A delimiter that is not
//! followed by exactly three digits cannot be a thousands delimiter, so the author almost
//! certainly meant a decimal separator.

use outcomes_csv::Field;

use super::{Lint, Needs, RowContext, RowTraits};
use crate::canvas::parse_number;
use crate::diagnostic::Diagnostic;
use crate::options::{CanvasOptions, NumberFormat};
use crate::registry::Rule;
use crate::ruby::float_to_s;

pub(crate) struct NumberLocale {
    format: NumberFormat,
}

impl NumberLocale {
    pub(crate) fn new(options: &CanvasOptions) -> NumberLocale {
        NumberLocale { format: options.number_format.clone() }
    }

    /// Whether the delimiter in `text` cannot be a thousands delimiter.
    fn misplaced_delimiter(&self, text: &str) -> bool {
        let delimiter = self.format.thousands_delimiter.as_str();
        let found = match delimiter.as_bytes() {
            [] => false,
            // Every locale's delimiter is one byte but one: no substring search for it.
            [b] => text.as_bytes().contains(b),
            _ => text.contains(delimiter),
        };
        if !found {
            return false;
        }
        let number = text.trim();
        let integer_part = match number.find(self.format.decimal_separator.as_str()) {
            Some(i) if !self.format.decimal_separator.is_empty() => &number[..i],
            _ => number,
        };
        let mut groups = integer_part.split(delimiter);
        let first = groups.next().unwrap_or_default();
        let lead_ok = !first.is_empty()
            && first.len() <= 3
            && first.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'+');
        !(lead_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())))
    }

    fn check(&self, cx: &RowContext<'_>, index: usize, field: &'static str, out: &mut Vec<Diagnostic>) {
        // Nearly every number cell has no delimiter at all: say so from its bytes, before
        // reading it as text.
        let delimiter = self.format.thousands_delimiter.as_bytes();
        match (delimiter.first(), cx.view.record.get(index)) {
            // A plain loop: these cells are a few bytes long, too short for `memchr` to pay.
            (Some(first), Some(bytes)) if bytes.iter().any(|b| b == first) => {}
            _ => return,
        }
        let Some(text) = cx.view.record.get_str(index) else {
            return;
        };
        if !self.misplaced_delimiter(text) {
            return;
        }
        let Some(value) = parse_number(text, &self.format) else {
            return;
        };
        let message = format!(
            "`{}` is read as {} because `{}` is the account's thousands delimiter",
            text.trim(),
            float_to_s(value),
            self.format.thousands_delimiter
        );
        let meant =
            text.trim().replacen(self.format.thousands_delimiter.as_str(), self.format.decimal_separator.as_str(), 1);
        out.push(
            cx.view
                .diagnostic_at_cell(Rule::NumberReadDifferently, message, index, field)
                .with_note(format!(
                    "Canvas deletes every `{}` before reading the number (account number format: decimal separator `{}`, thousands delimiter `{}`).",
                    self.format.thousands_delimiter, self.format.decimal_separator, self.format.thousands_delimiter
                ))
                .with_help_text(format!(
                    "If you meant {meant}, write it with `{}` as the decimal separator; if the account uses another locale, check with --locale.",
                    self.format.decimal_separator
                )),
        );
    }
}

impl Lint for NumberLocale {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::NumberReadDifferently]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::UNPLAIN_NUMBERS)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        // Reading the row's numbers saw only plain decimals (nearly every row).
        if cx.facts.plain_numbers {
            return;
        }
        if let Some(column) = cx.view.columns.column(Field::MasteryPoints) {
            self.check(cx, column, "mastery_points", out);
        }
        for index in (cx.view.ratings_start()..cx.view.record.len()).step_by(2) {
            self.check(cx, index, "ratings", out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_delimiters_that_cannot_group_thousands_are_suspicious() {
        let lint = NumberLocale::new(&CanvasOptions::default());
        assert!(lint.misplaced_delimiter("1,5"));
        assert!(lint.misplaced_delimiter("2,75"));
        assert!(lint.misplaced_delimiter("1,5000"));
        assert!(!lint.misplaced_delimiter("1,000"));
        assert!(!lint.misplaced_delimiter("12,345.5"));
        assert!(!lint.misplaced_delimiter("3"));
        assert!(!lint.misplaced_delimiter("3.5"));
    }
}
