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

/// Reads `bytes` with the strict reader and checks that the records tile the input in order:
/// contiguous, inside it, rows counting up from 1, cells inside their record. Returns the
/// number of records and whether reading ended in a syntax error.
pub fn assert_reader_invariants(bytes: &[u8]) -> (u64, bool) {
    let len = bytes.len() as u64;
    let mut reader = Reader::new(bytes).expect("reading from memory starts");
    let bom = reader.dialect().bom;
    assert_eq!(bom, bytes.starts_with(UTF8_BOM));
    let mut expected = if bom { UTF8_BOM.len() as u64 } else { 0 };
    let mut rows = 0;
    let mut record = Record::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                assert_eq!(expected, len, "the records cover the whole input");
                return (rows, false);
            }
            Err(ReadError::Syntax(e)) => {
                assert!(e.position.offset >= expected && e.position.offset <= len);
                assert_eq!(e.row, rows + 1);
                return (rows, true);
            }
            Err(e) => panic!("reading bytes in memory: {e}"),
        }
        rows += 1;
        assert_eq!(record.row(), rows);
        let span = record.span();
        let whole = record.span_with_terminator();
        assert_eq!(span.start, expected, "records are contiguous and in order");
        assert!(span.end <= whole.end && whole.end <= len && whole.end > span.start);
        let mut previous = span.start;
        for cell in record.cells() {
            let s = cell.span();
            assert!(previous <= s.start && s.start <= s.end && s.end <= span.end);
            previous = s.end;
        }
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
