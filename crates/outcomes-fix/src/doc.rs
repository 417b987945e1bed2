//! A file as records that can be written back byte for byte, and edits to those records.
//!
//! Every fix works on whole records: it edits bytes inside a record (a cell, the end of the
//! record) or changes the order of records, and the file is then assembled again from the BOM,
//! the records and the file's one terminator. Assembling unedited records gives back the input
//! exactly, which is what makes "untouched bytes stay untouched" hold by construction.

use std::ops::Range;

use outcomes_csv::{Cell, Dialect, ReadError, Reader, Record, SyntaxError, UTF8_BOM};

/// A file that Canvas's strict parser accepts, read into records (the header first).
#[derive(Debug)]
pub(crate) struct Doc {
    /// How the file is framed.
    pub(crate) dialect: Dialect,
    /// Every record, the header first.
    pub(crate) records: Vec<Record>,
    /// Whether the last record is followed by the terminator.
    pub(crate) final_terminator: bool,
}

impl Doc {
    /// Reads a whole file. Fails only on a CSV syntax error (a slice is never too large and
    /// performs no I/O).
    pub(crate) fn parse(bytes: &[u8]) -> Result<Doc, SyntaxError> {
        let limits = outcomes_csv::ReaderOptions { max_record_bytes: usize::MAX };
        let mut reader = Reader::with_options(bytes, limits).map_err(not_syntax)?;
        let dialect = reader.dialect();
        let mut records = Vec::new();
        let mut final_terminator = false;
        loop {
            let mut record = Record::new();
            match reader.read_record(&mut record) {
                Ok(true) => {
                    final_terminator = record.span_with_terminator().len() > record.span().len();
                    records.push(record);
                }
                Ok(false) => break,
                Err(ReadError::Syntax(e)) => return Err(e),
                Err(e) => return Err(not_syntax(e)),
            }
        }
        Ok(Doc { dialect, records, final_terminator })
    }

    /// The header record, if the file has any record.
    pub(crate) fn header(&self) -> Option<&Record> {
        self.records.first()
    }

    /// The data records (everything after the header).
    pub(crate) fn data(&self) -> &[Record] {
        self.records.get(1..).unwrap_or_default()
    }

    /// Assembles a file from records given as bytes (in the order to write them), with this
    /// file's BOM and terminator.
    ///
    /// The terminator follows every record, except the last one when the input had no final
    /// terminator, so whichever record ends up last takes over the missing line break. The one
    /// exception is an empty last record (a blank line): without a terminator it would vanish
    /// and every later row number would change, so it keeps one.
    pub(crate) fn assemble<'r>(&self, records: impl IntoIterator<Item = &'r [u8]>) -> Vec<u8> {
        let terminator = self.dialect.terminator.as_bytes();
        let mut out = Vec::new();
        if self.dialect.bom {
            out.extend_from_slice(UTF8_BOM);
        }
        let mut last: Option<&[u8]> = None;
        for raw in records {
            if last.is_some() {
                out.extend_from_slice(terminator);
            }
            out.extend_from_slice(raw);
            last = Some(raw);
        }
        if let Some(raw) = last {
            if self.final_terminator || raw.is_empty() {
                out.extend_from_slice(terminator);
            }
        }
        out
    }

    /// Assembles the file with the records replaced where `edited` says so.
    pub(crate) fn assemble_edited(&self, edited: &[Option<Vec<u8>>]) -> Vec<u8> {
        self.assemble(self.records.iter().enumerate().map(|(i, r)| match edited.get(i) {
            Some(Some(raw)) => raw.as_slice(),
            _ => r.raw(),
        }))
    }
}

/// Reading a slice cannot fail with I/O, and no record exceeds an unlimited size; were it ever
/// to happen, the file is reported as unreadable at its start rather than panicking.
fn not_syntax(e: ReadError) -> SyntaxError {
    use outcomes_csv::{Position, SyntaxErrorKind};
    let (row, line) = match e {
        ReadError::RecordTooLarge { row, line, .. } => (row, line),
        _ => (1, 1),
    };
    SyntaxError {
        kind: SyntaxErrorKind::UnclosedQuote,
        position: Position { offset: 0, line, column: 1 },
        row,
        byte: None,
    }
}

/// The first physical line as Canvas sniffs it: up to and including the first `\n`, or the
/// whole file when it has none.
pub(crate) fn first_line(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == b'\n') {
        Some(i) => &bytes[..=i],
        None => bytes,
    }
}

/// Whether two dialects frame a file the same way (the terminator's offset may move).
pub(crate) fn same_framing(a: &Dialect, b: &Dialect) -> bool {
    a.bom == b.bom && a.delimiter == b.delimiter && a.terminator == b.terminator
}

/// Where a cell lies inside its record's raw bytes.
pub(crate) fn cell_range(record: &Record, cell: &Cell<'_>) -> Range<usize> {
    let base = record.span().start;
    let span = cell.span();
    (span.start - base) as usize..(span.end - base) as usize
}

/// A replacement of bytes inside one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    /// The bytes replaced, relative to the record's raw bytes.
    pub(crate) range: Range<usize>,
    /// What they are replaced with.
    pub(crate) with: Vec<u8>,
}

/// Applies non-overlapping edits to a record's raw bytes.
pub(crate) fn apply_edits(raw: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = Vec::with_capacity(raw.len() + 16);
    let mut at = 0;
    for edit in sorted {
        let start = edit.range.start.clamp(at, raw.len());
        out.extend_from_slice(&raw[at..start]);
        out.extend_from_slice(&edit.with);
        at = edit.range.end.clamp(start, raw.len());
    }
    out.extend_from_slice(&raw[at..]);
    out
}

/// A cell value shown in a message: in double quotes, with control characters escaped and
/// invalid UTF-8 replaced.
pub(crate) fn show(bytes: &[u8]) -> String {
    format!("\"{}\"", String::from_utf8_lossy(bytes).escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(bytes: &[u8]) -> Vec<u8> {
        let doc = Doc::parse(bytes).expect("parses");
        doc.assemble(doc.records.iter().map(|r| r.raw()))
    }

    #[test]
    fn assembling_unedited_records_gives_the_input_back() {
        for input in [
            &b""[..],
            b"a",
            b"a\n",
            b"a\r\nb\r\n",
            b"a\rb",
            b"\xEF\xBB\xBFa;b\n\n\"x\ny\";z\n",
            b"a\n\n",
            b"a\n\nb",
            b"\"a\"\"b\",c\r\n,,\r\n",
        ] {
            assert_eq!(roundtrip(input), input, "{}", show(input));
        }
    }

    #[test]
    fn a_moved_last_record_takes_the_missing_final_terminator_with_it() {
        let doc = Doc::parse(b"h\nx\ny").expect("parses");
        let out = doc.assemble([doc.records[0].raw(), doc.records[2].raw(), doc.records[1].raw()]);
        assert_eq!(out, b"h\ny\nx");
    }

    #[test]
    fn an_empty_last_record_keeps_its_terminator() {
        let doc = Doc::parse(b"h\n\nx").expect("parses");
        let out = doc.assemble([doc.records[0].raw(), doc.records[2].raw(), doc.records[1].raw()]);
        assert_eq!(out, b"h\nx\n\n");
        assert_eq!(Doc::parse(&out).expect("parses").records.len(), 3);
    }

    #[test]
    fn edits_replace_ranges_in_order() {
        let edits = [
            Edit { range: 4..5, with: b"X".to_vec() },
            Edit { range: 0..1, with: b"yy".to_vec() },
            Edit { range: 7..7, with: b",,".to_vec() },
        ];
        assert_eq!(apply_edits(b"a,b,c,d", &edits), b"yy,b,X,d,,");
    }
}
