//! Reading back the bytes of a checked file, for source snippets and end positions.
//!
//! The checker streams a file and keeps no copy of it. Renderers that want to show a line, or
//! to say where a cell ends, read the few bytes they need again: from the file by seeking, or
//! from the first [`STDIN_CAPTURE_LIMIT`] bytes of standard input kept while it was checked.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use outcomes_csv::{Position, Span};

/// How much of standard input is kept for snippets; diagnostics further in are shown without one.
pub const STDIN_CAPTURE_LIMIT: usize = 16 << 20;

/// The largest span whose end position is computed (a bigger cell has no end position).
const MAX_SPAN_SCAN: u64 = 1 << 20;

/// The UTF-8 byte-order mark, which takes no column.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Random access to the bytes of a checked input.
#[derive(Debug)]
pub struct Source {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    File(File),
    Memory(Vec<u8>),
    Unavailable,
}

impl Source {
    /// A file, read by seeking.
    pub fn file(file: File) -> Source {
        Source { kind: Kind::File(file) }
    }

    /// Bytes held in memory: the whole input, or its first part (then later spans are not
    /// available).
    pub fn memory(bytes: Vec<u8>) -> Source {
        Source { kind: Kind::Memory(bytes) }
    }

    /// No bytes at all: renderers show positions without snippets.
    pub fn unavailable() -> Source {
        Source { kind: Kind::Unavailable }
    }

    /// Reads up to `len` bytes at `offset`; fewer at the end of the input (or of what is kept),
    /// none when nothing is available.
    pub fn read_at(&mut self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        match &mut self.kind {
            Kind::File(file) => {
                file.seek(SeekFrom::Start(offset))?;
                let mut buf = Vec::with_capacity(len.min(1 << 20));
                file.take(len as u64).read_to_end(&mut buf)?;
                Ok(buf)
            }
            Kind::Memory(bytes) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
                let end = start.saturating_add(len).min(bytes.len());
                Ok(bytes[start..end].to_vec())
            }
            Kind::Unavailable => Ok(Vec::new()),
        }
    }

    /// Reads exactly the bytes of `span`, or `None` when they are not all available.
    pub fn read_span(&mut self, span: Span) -> Option<Vec<u8>> {
        let len = usize::try_from(span.len()).ok()?;
        let bytes = self.read_at(span.start, len).ok()?;
        (bytes.len() == len).then_some(bytes)
    }

    /// The position just past the end of `span`, which starts at `start`: the line and the
    /// 1-based column of the character after the span (SARIF's exclusive `endColumn`).
    ///
    /// `None` when the bytes are not available or the span is larger than 1 MiB.
    pub fn end_position(&mut self, span: Span, start: Position) -> Option<Position> {
        if span.len() > MAX_SPAN_SCAN {
            return None;
        }
        let bytes = self.read_span(span)?;
        let body = if span.start == 0 { bytes.strip_prefix(BOM).unwrap_or(&bytes) } else { &bytes };
        let mut line = start.line;
        let mut line_start = 0;
        let mut i = 0;
        while i < body.len() {
            match body[i] {
                b'\r' if body.get(i + 1) == Some(&b'\n') => {
                    line += 1;
                    i += 2;
                    line_start = i;
                }
                b'\r' | b'\n' => {
                    line += 1;
                    i += 1;
                    line_start = i;
                }
                _ => i += 1,
            }
        }
        let tail = outcomes_csv::count_chars(&body[line_start..]);
        let column = if line == start.line { start.column + tail } else { tail + 1 };
        Some(Position { offset: span.end, line, column })
    }

    /// The line and column of an absolute byte offset, found by scanning from the start of the
    /// input. Used for the rare related places that come without a position.
    pub fn locate(&mut self, offset: u64) -> Option<Position> {
        const CHUNK: usize = 64 * 1024;
        let mut line = 1;
        let mut line_start = 0u64;
        let mut at = 0u64;
        let mut previous_cr = false;
        while at < offset {
            let want = usize::try_from(offset - at).unwrap_or(CHUNK).min(CHUNK);
            let chunk = self.read_at(at, want).ok()?;
            if chunk.is_empty() {
                return None;
            }
            for (i, &b) in chunk.iter().enumerate() {
                let here = at + i as u64;
                match b {
                    b'\n' if previous_cr => line_start = here + 1,
                    b'\n' | b'\r' => {
                        line += 1;
                        line_start = here + 1;
                    }
                    _ => {}
                }
                previous_cr = b == b'\r';
            }
            at += chunk.len() as u64;
        }
        if offset - line_start > MAX_SPAN_SCAN {
            return None;
        }
        let before = self.read_span(Span::new(line_start, offset))?;
        let before = if line_start == 0 { before.strip_prefix(BOM).unwrap_or(&before) } else { &before };
        Some(Position { offset, line, column: outcomes_csv::count_chars(before) + 1 })
    }
}

/// A reader that keeps a copy of the first `limit` bytes it passes on.
#[derive(Debug)]
pub struct Tee<R> {
    inner: R,
    kept: Vec<u8>,
    limit: usize,
}

impl<R: Read> Tee<R> {
    /// Wraps `inner`, keeping up to `limit` bytes.
    pub fn new(inner: R, limit: usize) -> Tee<R> {
        Tee { inner, kept: Vec::new(), limit }
    }

    /// The bytes kept.
    pub fn into_kept(self) -> Vec<u8> {
        self.kept
    }
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = self.limit.saturating_sub(self.kept.len());
        self.kept.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u64, column: u64, offset: u64) -> Position {
        Position { offset, line, column }
    }

    #[test]
    fn end_position_counts_characters_and_line_breaks() {
        let mut source = Source::memory("a,søren,c\r\nd,\"x\ny\",z".as_bytes().to_vec());
        let end = source.end_position(Span::new(2, 8), at(1, 3, 2)).expect("end");
        assert_eq!((end.line, end.column), (1, 8));
        let end = source.end_position(Span::new(14, 19), at(2, 3, 14)).expect("end");
        assert_eq!((end.line, end.column), (3, 3));
    }

    #[test]
    fn locate_skips_the_bom_and_follows_every_line_break() {
        let mut source = Source::memory(b"\xEF\xBB\xBFab\r\ncd\re\nf".to_vec());
        assert_eq!(source.locate(4).map(|p| (p.line, p.column)), Some((1, 2)));
        assert_eq!(source.locate(8).map(|p| (p.line, p.column)), Some((2, 2)));
        assert_eq!(source.locate(10).map(|p| (p.line, p.column)), Some((3, 1)));
        assert_eq!(source.locate(12).map(|p| (p.line, p.column)), Some((4, 1)));
    }

    #[test]
    fn a_partial_copy_has_no_bytes_past_its_end() {
        let mut source = Source::memory(b"abc".to_vec());
        assert_eq!(source.read_span(Span::new(1, 3)), Some(b"bc".to_vec()));
        assert_eq!(source.read_span(Span::new(1, 4)), None);
    }

    #[test]
    fn tee_keeps_only_its_limit() {
        let mut tee = Tee::new(&b"abcdef"[..], 4);
        let mut all = Vec::new();
        tee.read_to_end(&mut all).expect("read");
        assert_eq!(all, b"abcdef");
        assert_eq!(tee.into_kept(), b"abcd");
    }
}
