//! What must hold for every input, whatever its bytes: shared by `tests/properties.rs` (proptest)
//! and `tests/hostile.rs` (hostile inputs and the fuzzers' regressions). The fuzz targets in
//! `fuzz/fuzz_targets/` check the same.

#![allow(dead_code)]

use std::io::{self, Read};

use outcomes_csv::{ReadError, Reader, Record, UTF8_BOM};
use outcomes_rules::{CanvasOptions, Checked, NumberFormat, Rule};

/// The second account the checks run with: French numbers and the new decaying average.
pub fn french_new_decaying_average() -> CanvasOptions {
    CanvasOptions {
        new_decaying_average: true,
        number_format: NumberFormat::for_locale("fr").expect("fr is a Canvas locale"),
    }
}

/// Canvas's `processing_errors` are sorted by row; every row is one the file has (a syntax
/// error is in the record after the last one read, an empty file's failure at row 1); every
/// span, position and related span lies inside the file.
pub fn assert_check_invariants(bytes: &[u8], checked: &Checked) {
    let len = bytes.len() as u64;
    let report = checked.canvas_report();
    assert!(
        report.processing_errors.windows(2).all(|w| w[0].row <= w[1].row),
        "processing_errors not sorted by row: {:?}",
        report.processing_errors
    );
    let next_row = checked.records + 1;
    for e in &report.processing_errors {
        assert!((1..=next_row).contains(&e.row), "Canvas row {} in a file of {} records", e.row, checked.records);
    }
    for d in &checked.diagnostics {
        if let Some(row) = d.row {
            // `utf16-file` is said of the file's first bytes, at row 1, even when not one record
            // could be read (an unclosed quote in the header).
            let file_level = matches!(d.rule, Rule::InvalidCsv | Rule::EmptyFile | Rule::Utf16File);
            let bound = if file_level { next_row } else { checked.records };
            assert!(
                (1..=bound).contains(&row),
                "{} at row {row} in a file of {} records",
                d.rule.code(),
                checked.records
            );
        }
        if let Some(span) = d.span {
            assert!(span.start <= span.end && span.end <= len, "{} span {span:?} in {len} bytes", d.rule.code());
        }
        if let Some(position) = d.position {
            assert!(position.offset <= len && position.line >= 1 && position.column >= 1);
            if let Some(span) = d.span {
                assert_eq!(position.offset, span.start, "{} position is its span's start", d.rule.code());
            }
        }
        for related in &d.related {
            if let Some(span) = related.span {
                assert!(
                    span.start <= span.end && span.end <= len,
                    "{} related span {span:?} in {len} bytes",
                    d.rule.code()
                );
            }
            if let Some(row) = related.row {
                assert!((1..=checked.records.max(1)).contains(&row));
            }
        }
    }
}

/// What a read saw, for comparing two reads of the same bytes (in memory and from a pipe): how
/// many records, a digest of every record's row, line, spans and cell values, and the error it
/// ended with. A digest rather than the records keeps a million-record input cheap to compare.
#[derive(Debug, PartialEq, Eq)]
pub struct ReadSummary {
    pub records: u64,
    pub digest: u64,
    pub error: Option<String>,
}

/// Reads `bytes`, delivered by `source`, with the strict reader and checks that the records tile
/// the input in order: contiguous, inside it, rows counting up from 1, lines counted, cells
/// inside their record with their raw bytes and positions; a syntax error after the last record
/// read, at the byte it names, and nothing read after it.
pub fn assert_reader_invariants(bytes: &[u8], source: impl Read) -> ReadSummary {
    use std::hash::{Hash, Hasher};
    let len = bytes.len() as u64;
    let mut reader = Reader::new(source).expect("reading from memory starts");
    let bom = reader.dialect().bom;
    assert_eq!(bom, bytes.starts_with(UTF8_BOM));
    assert_eq!(reader.is_empty_file(), bytes.is_empty());
    let mut expected = if bom { UTF8_BOM.len() as u64 } else { 0 };
    let mut line = 1;
    let mut rows = 0;
    // Fixed keys: the same records give the same digest in every read.
    let mut digest = std::collections::hash_map::DefaultHasher::new();
    let mut record = Record::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                assert_eq!(expected, len, "the records cover the whole input");
                return ReadSummary { records: rows, digest: digest.finish(), error: None };
            }
            Err(ReadError::Syntax(e)) => {
                assert!(e.position.offset >= expected && e.position.offset <= len);
                assert_eq!(e.row, rows + 1);
                assert!(e.position.line >= line && e.position.column >= 1);
                assert_eq!(e.byte, bytes.get(e.position.offset as usize).copied().filter(|_| e.byte.is_some()));
                let mut again = Record::new();
                assert!(!reader.read_record(&mut again).expect("after an error: Ok(false)"));
                return ReadSummary { records: rows, digest: digest.finish(), error: Some(e.to_string()) };
            }
            Err(e) => panic!("reading bytes in memory: {e}"),
        }
        rows += 1;
        assert_eq!(record.row(), rows);
        assert_eq!(reader.rows_read(), rows);
        let span = record.span();
        let whole = record.span_with_terminator();
        assert_eq!(span.start, expected, "records are contiguous and in order");
        assert!(span.end <= whole.end && whole.end <= len && whole.end > span.start);
        assert_eq!(record.raw(), &bytes[span.start as usize..span.end as usize]);
        assert_eq!(record.line(), line);
        (rows, line, span.start, span.end, whole.end).hash(&mut digest);
        let mut previous = span.start;
        for cell in record.cells() {
            let s = cell.span();
            assert!(previous <= s.start && s.start <= s.end && s.end <= span.end);
            assert_eq!(cell.raw(), &bytes[s.start as usize..s.end as usize]);
            let position = cell.position();
            assert!(position.line >= record.line() && position.line < record.line() + record.line_count());
            assert!(position.column >= 1);
            cell.value().hash(&mut digest);
            previous = s.end;
        }
        line += record.line_count() - 1 + u64::from(whole.end > span.end);
        expected = whole.end;
    }
}

/// A reader that returns its bytes in chunks of the given sizes (cycled), as a pipe does.
pub struct Chunked<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl<'a> Chunked<'a> {
    /// Reads `data` in chunks of `sizes` bytes, cycled (each at least 1).
    pub fn new(data: &'a [u8], sizes: Vec<usize>) -> Chunked<'a> {
        let sizes = if sizes.is_empty() { vec![1] } else { sizes };
        Chunked { data, sizes, next: 0 }
    }
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()].max(1);
        self.next += 1;
        let n = size.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}
