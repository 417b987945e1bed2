//! Numbers as Canvas reads them: locale delimiters out, separator to `.`, then Ruby's `Float()`.

use std::borrow::Cow;

use crate::options::NumberFormat;
use crate::ruby::parse_float;

/// Reads rating points or mastery points the way Canvas does. `None` when Canvas would say
/// "Invalid value for ...".
pub fn parse_number(text: &str, format: &NumberFormat) -> Option<f64> {
    if crate::ruby::is_blank_utf8(text) {
        return None;
    }
    // Ruby's `gsub` with a literal pattern; `str::replace` agrees with it, even on an empty
    // pattern. Only allocate when there is something to replace.
    let mut normalized = Cow::Borrowed(text);
    if normalized.contains(format.thousands_delimiter.as_str()) {
        normalized = Cow::Owned(normalized.replace(&format.thousands_delimiter, ""));
    }
    if format.decimal_separator != "." && normalized.contains(format.decimal_separator.as_str()) {
        normalized = Cow::Owned(normalized.replace(&format.decimal_separator, "."));
    }
    parse_float(normalized.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr() -> NumberFormat {
        NumberFormat { decimal_separator: ",".into(), thousands_delimiter: " ".into() }
    }

    #[test]
    fn english_removes_commas_so_a_decimal_comma_becomes_thousands() {
        assert_eq!(parse_number(" 0012,34.5678 ", &NumberFormat::en()), Some(1234.5678));
        assert_eq!(parse_number("1,5", &NumberFormat::en()), Some(15.0));
        assert_eq!(parse_number("x", &NumberFormat::en()), None);
        assert_eq!(parse_number("  ", &NumberFormat::en()), None);
    }

    #[test]
    fn french_reads_decimal_commas() {
        assert_eq!(parse_number("1 234,5", &fr()), Some(1234.5));
        assert_eq!(parse_number("1.5", &fr()), Some(1.5));
    }
}
