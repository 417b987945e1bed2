//! How a file is framed: byte-order mark, cell separator and row terminator.
//!
//! Canvas decides all three from the start of the file before it parses anything, and never
//! changes its mind: a later line that ends differently is a syntax error, not a new rule. We
//! reproduce that decision exactly, because a file that "looks fine" in a spreadsheet can still be
//! rejected as a whole by Canvas because of it.

use serde::Serialize;

/// The UTF-8 byte-order mark that Excel's "CSV UTF-8" writes at the start of a file.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The row terminator, detected once from the start of the file (Ruby CSV's `row_sep: :auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Terminator {
    /// `\n`, also the default when the file has no line break at all.
    Lf,
    /// `\r\n`, as written by Excel on Windows.
    CrLf,
    /// A bare `\r`, as written by old Mac software.
    Cr,
}

impl Terminator {
    /// The bytes of the terminator.
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            Terminator::Lf => b"\n",
            Terminator::CrLf => b"\r\n",
            Terminator::Cr => b"\r",
        }
    }

    /// A name a person recognises, used in diagnostics (`\r\n (Windows)`).
    pub fn describe(self) -> &'static str {
        match self {
            Terminator::Lf => "\\n (Unix)",
            Terminator::CrLf => "\\r\\n (Windows)",
            Terminator::Cr => "\\r (classic Mac)",
        }
    }
}

/// Everything about a file's framing that Canvas fixes before reading its first record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dialect {
    /// Whether the file starts with a UTF-8 BOM (skipped, as Canvas does).
    pub bom: bool,
    /// The cell separator: `;` when the first line holds more `;` than `,`, else `,`.
    pub delimiter: u8,
    /// The row terminator every record must end with.
    pub terminator: Terminator,
    /// Byte offset of the first place a line break was seen when detecting the terminator, if any.
    pub terminator_offset: Option<u64>,
}

impl Dialect {
    /// Detects the dialect from the file's first physical line (up to and including its first
    /// `\n`, or the whole file when it has none), exactly as Canvas does.
    ///
    /// ```
    /// use outcomes_csv::{Dialect, Terminator};
    /// let d = Dialect::sniff(b"\xEF\xBB\xBFtitle;vendor_guid;object_type\r\n");
    /// assert!(d.bom);
    /// assert_eq!(d.delimiter, b';');
    /// assert_eq!(d.terminator, Terminator::CrLf);
    /// ```
    pub fn sniff(first_line: &[u8]) -> Dialect {
        let bom = first_line.starts_with(UTF8_BOM);
        let semicolons = memchr::memchr_iter(b';', first_line).count();
        let commas = memchr::memchr_iter(b',', first_line).count();
        let delimiter = if semicolons > commas { b';' } else { b',' };
        let body_start = if bom { UTF8_BOM.len() } else { 0 };
        let body = first_line.get(body_start..).unwrap_or_default();
        // Ruby looks for the first \r or \n anywhere, quotes or not. Every candidate lies in the
        // first line: it ends at the first \n, and a \r before it comes first.
        let (terminator, terminator_offset) = match memchr::memchr2(b'\r', b'\n', body) {
            None => (Terminator::Lf, None),
            Some(i) => {
                let t = if body[i] == b'\n' {
                    Terminator::Lf
                } else if body.get(i + 1) == Some(&b'\n') {
                    Terminator::CrLf
                } else {
                    Terminator::Cr
                };
                (t, Some((body_start + i) as u64))
            }
        };
        Dialect { bom, delimiter, terminator, terminator_offset }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_win_only_when_more_numerous() {
        assert_eq!(Dialect::sniff(b"a;b,c;d\n").delimiter, b';');
        assert_eq!(Dialect::sniff(b"a;b,c\n").delimiter, b',');
        assert_eq!(Dialect::sniff(b"\"a;b;c\"\n").delimiter, b';');
    }

    #[test]
    fn terminator_is_the_first_break_seen_even_inside_quotes() {
        assert_eq!(Dialect::sniff(b"a\r\n").terminator, Terminator::CrLf);
        assert_eq!(Dialect::sniff(b"a\rb\n").terminator, Terminator::Cr);
        assert_eq!(Dialect::sniff(b"\"a\nb\"\r\n").terminator, Terminator::Lf);
        assert_eq!(Dialect::sniff(b"abc").terminator, Terminator::Lf);
        assert_eq!(Dialect::sniff(b"abc\r").terminator, Terminator::Cr);
    }

    #[test]
    fn bom_is_detected_and_skipped_for_terminator_detection() {
        let d = Dialect::sniff(b"\xEF\xBB\xBF\r\n");
        assert!(d.bom);
        assert_eq!(d.terminator, Terminator::CrLf);
        assert_eq!(d.terminator_offset, Some(3));
    }
}
