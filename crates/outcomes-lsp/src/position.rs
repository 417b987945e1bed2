//! Byte offsets ↔ LSP positions.
//!
//! Diagnostics carry byte spans into the document (a BOM included); LSP wants a 0-based line and a
//! column counted in the negotiated encoding's code units (UTF-16 unless the client offers
//! UTF-8). Lines end at `\n`, `\r\n` or a lone `\r`, as LSP says — not at the one terminator
//! Canvas detects, which is why we do not reuse the CSV reader's lines here.

use lsp_types::{Position, PositionEncodingKind, Range};
use outcomes_csv::Span;

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8 code units (bytes): offered by Helix, Neovim and others.
    Utf8,
    /// UTF-16 code units: LSP's default, and what every client supports.
    Utf16,
    /// Characters, as the command line counts columns: for places written into messages.
    Chars,
}

impl Encoding {
    /// The encoding to use given what the client offers: UTF-8 when it can, UTF-16 otherwise
    /// (LSP makes UTF-16 mandatory, so it is always a valid answer).
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The LSP name of the encoding.
    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Chars => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Chars => 1,
        }
    }

    fn len(self, text: &str) -> usize {
        match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
            Encoding::Chars => text.chars().count(),
        }
    }
}

/// Where each line of a document starts, for converting in both directions.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of the first byte of every line; `starts[0] == 0`.
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str, encoding: Encoding) -> LineIndex<'t> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 1;
                    starts.push(i + 1);
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, starts, encoding }
    }

    /// The byte range of line `line`'s content, without its terminator.
    fn line_bounds(&self, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let end = match self.starts.get(line + 1) {
            Some(&next) => {
                let bytes = self.text.as_bytes();
                if next >= 2 && bytes[next - 2] == b'\r' && bytes[next - 1] == b'\n' {
                    next - 2
                } else {
                    next - 1
                }
            }
            None => self.text.len(),
        };
        (start, end)
    }

    /// The LSP position of a byte offset. Offsets past the end clamp to the end, offsets inside a
    /// character to its start, offsets inside a line terminator to the end of that line.
    pub(crate) fn position(&self, offset: u64) -> Position {
        let mut offset = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (start, end) = self.line_bounds(line);
        let column = self.encoding.len(&self.text[start..offset.min(end)]);
        Position::new(saturate(line), saturate(column))
    }

    /// The LSP range of a byte span.
    pub(crate) fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of an LSP position. A line past the end means the end of the document; a
    /// column past the end of its line, the end of the line; a column inside a character (half a
    /// surrogate pair), that character's start.
    pub(crate) fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let (start, end) = self.line_bounds(line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            let next = units + self.encoding.units(c);
            if next > wanted {
                return start + i;
            }
            units = next;
        }
        end
    }

    /// The range of the first line, for findings about the whole file that have no place.
    pub(crate) fn first_line(&self) -> Range {
        let (_, end) = self.line_bounds(0);
        Range::new(Position::new(0, 0), self.position(end as u64))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn every_kind_of_line_ending_ends_a_line() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.position(0), pos(0, 0));
        assert_eq!(index.position(2), pos(1, 0));
        assert_eq!(index.position(5), pos(2, 0));
        assert_eq!(index.position(7), pos(3, 0));
        assert_eq!(index.position(8), pos(3, 1));
        // Inside `\r\n`: the end of the line.
        assert_eq!(index.position(4), pos(1, 1));
        assert_eq!(index.offset(pos(1, 1)), 3);
        assert_eq!(index.offset(pos(1, 9)), 3, "past the end of the line");
        assert_eq!(index.offset(pos(9, 0)), text.len(), "past the last line");
        assert_eq!(index.position(99), pos(3, 1), "past the end");
    }

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        // BOM (3 bytes, 1 unit), é (2 bytes, 1 unit), 😀 (4 bytes, 2 units).
        let text = "\u{feff}é😀x";
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf16.position(3), pos(0, 1));
        assert_eq!(utf16.position(5), pos(0, 2));
        assert_eq!(utf16.position(9), pos(0, 4));
        assert_eq!(utf8.position(9), pos(0, 9));
        // Inside a character: its start.
        assert_eq!(utf16.position(7), pos(0, 2));
        assert_eq!(utf16.offset(pos(0, 4)), 9);
        // Half a surrogate pair: the character's start.
        assert_eq!(utf16.offset(pos(0, 3)), 5);
        assert_eq!(utf8.offset(pos(0, 5)), 5);
        assert_eq!(utf8.offset(pos(0, 6)), 5);
    }

    #[test]
    fn negotiation_prefers_utf8_and_falls_back_to_utf16() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF16, PositionEncodingKind::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])), Encoding::Utf16);
    }

    #[test]
    fn the_first_line_range_excludes_its_terminator() {
        let index = LineIndex::new("title,x\r\nrow", Encoding::Utf16);
        assert_eq!(index.first_line(), Range::new(pos(0, 0), pos(0, 7)));
    }
}
