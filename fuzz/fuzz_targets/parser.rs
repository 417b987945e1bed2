//! The CSV reader over arbitrary bytes: never panics; records are contiguous, in order and
//! inside the input; cells lie inside their record; reading in small chunks (as from a pipe)
//! gives exactly the same records and error as reading at once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcomes_csv::{ReadError, Reader, Record, UTF8_BOM};
use outcomes_lint_fuzz::{chunk_sizes, Chunked};

/// Everything observable about a read, for comparing two reads of the same bytes.
#[derive(Debug, PartialEq)]
struct Observed {
    records: Vec<ObservedRecord>,
    error: Option<String>,
}

/// One record as read: its row, first line, where it starts, where it ends without and with its
/// terminator, and the unquoted value of each cell.
#[derive(Debug, PartialEq)]
struct ObservedRecord {
    row: u64,
    line: u64,
    start: u64,
    end: u64,
    end_with_terminator: u64,
    cells: Vec<Vec<u8>>,
}

fn read(data: &[u8], source: impl std::io::Read) -> Observed {
    let len = data.len() as u64;
    let mut observed = Observed { records: Vec::new(), error: None };
    let mut reader = match Reader::new(source) {
        Ok(reader) => reader,
        Err(e) => panic!("reading from memory cannot fail to start: {e}"),
    };
    let dialect = reader.dialect();
    assert_eq!(dialect.bom, data.starts_with(UTF8_BOM));
    assert_eq!(reader.is_empty_file(), data.is_empty());
    let mut expected_offset = if dialect.bom { UTF8_BOM.len() as u64 } else { 0 };
    let mut line = 1;
    let mut record = Record::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                assert_eq!(expected_offset, len, "records cover the whole input");
                break;
            }
            Err(ReadError::Syntax(e)) => {
                assert!(e.position.offset >= expected_offset && e.position.offset <= len);
                assert_eq!(e.row, observed.records.len() as u64 + 1);
                assert!(e.position.line >= line && e.position.column >= 1);
                assert_eq!(e.byte, data.get(e.position.offset as usize).copied().filter(|_| e.byte.is_some()));
                observed.error = Some(e.to_string());
                let mut again = Record::new();
                assert!(!reader.read_record(&mut again).expect("after an error: Ok(false)"));
                break;
            }
            Err(e) => panic!("unexpected error on bytes in memory: {e}"),
        }
        let row = observed.records.len() as u64 + 1;
        assert_eq!(record.row(), row);
        assert_eq!(reader.rows_read(), row);
        let span = record.span();
        let with_terminator = record.span_with_terminator();
        assert_eq!(span.start, expected_offset, "records are contiguous and in order");
        assert!(span.end <= with_terminator.end && with_terminator.end <= len);
        assert!(with_terminator.end > span.start, "every record consumes at least one byte");
        assert_eq!(record.raw(), &data[span.start as usize..span.end as usize]);
        assert_eq!(record.line(), line);
        let mut previous_end = span.start;
        for cell in record.cells() {
            let s = cell.span();
            assert!(previous_end <= s.start && s.start <= s.end && s.end <= span.end);
            assert_eq!(cell.raw(), &data[s.start as usize..s.end as usize]);
            let position = cell.position();
            assert!(position.line >= record.line() && position.line < record.line() + record.line_count());
            assert!(position.column >= 1);
            previous_end = s.end;
        }
        line += record.line_count() - 1 + u64::from(with_terminator.end > span.end);
        expected_offset = with_terminator.end;
        observed.records.push(ObservedRecord {
            row: record.row(),
            line: record.line(),
            start: span.start,
            end: span.end,
            end_with_terminator: with_terminator.end,
            cells: record.cells().map(|c| c.value().to_vec()).collect(),
        });
    }
    observed
}

fuzz_target!(|data: &[u8]| {
    let whole = read(data, data);
    let chunked = read(data, Chunked::new(data, chunk_sizes(data)));
    assert_eq!(whole, chunked, "chunk boundaries must not change what is read");
});
