//! Where something is in a file: byte spans, physical lines and columns.
//!
//! Canvas counts *records* (its "row"); people and editors count *lines*. A quoted cell with a
//! line break makes the two differ, so we keep both and never mix them: [`Row`] is Canvas's
//! record number, [`Position::line`] is the physical line.

use serde::Serialize;

/// Canvas's row number: the 1-based index of a CSV record, the header being row 1.
pub type Row = u64;

/// A half-open byte range `[start, end)` in the file, counted from its first byte (BOM included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: u64, end: u64) -> Span {
        Span { start, end }
    }

    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    /// Whether it covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A human position: 1-based physical line and 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Position {
    /// Byte offset in the file.
    pub offset: u64,
    /// Physical line, 1-based. `\n`, `\r\n` and a lone `\r` each end a line.
    pub line: u64,
    /// Column, 1-based, counted in Unicode characters (an invalid byte counts as one). The BOM
    /// does not count.
    pub column: u64,
}

/// Counts characters the way [`Position::column`] does: each valid UTF-8 character and each
/// invalid byte is one.
pub fn count_chars(bytes: &[u8]) -> u64 {
    bytes.utf8_chunks().map(|chunk| chunk.valid().chars().count() as u64 + chunk.invalid().len() as u64).sum()
}

/// Calls `f` with the offset just past each line break in `bytes` (`\n`, `\r\n`, lone `\r`).
pub(crate) fn for_each_line_start(bytes: &[u8], mut f: impl FnMut(usize)) {
    let mut i = 0;
    while let Some(j) = memchr::memchr2(b'\r', b'\n', &bytes[i..]) {
        let at = i + j;
        let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
        f(next);
        i = next;
        if i >= bytes.len() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_follow_every_kind_of_break() {
        let mut starts = vec![];
        for_each_line_start(b"a\nb\r\nc\rd\r", |s| starts.push(s));
        assert_eq!(starts, vec![2, 5, 7, 9]);
    }

    #[test]
    fn columns_count_characters_and_invalid_bytes() {
        assert_eq!(count_chars("søren".as_bytes()), 5);
        assert_eq!(count_chars(b"a\xFFb"), 3);
    }
}
