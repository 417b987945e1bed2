//! `line-endings` (OL002): one kind of line break throughout, the file's first one.
//!
//! Canvas detects the row terminator once, from the first `\r\n`, `\n` or `\r` of the file, and
//! rejects the whole file (`Invalid CSV File`) at any other bare `\r` or `\n` outside quotes. The
//! strict reader stops at the first such break, so this fix has its own scanner: it follows
//! quotes exactly as the reader does and rewrites each line break outside quotes that differs
//! from the terminator (`\r\n`, a lone `\r` or a lone `\n`, each taken as one break) to the
//! terminator. Line breaks inside quoted cells are data and stay as they are.
//!
//! The scanner stops at the first error it cannot repair (a stray quote, text after a closing
//! quote, an unclosed quote) and copies the rest unchanged; the reader then reports that error
//! and nothing is written. Every line break is replaced by exactly one line break, so physical
//! lines and columns are the same before and after, and [`OffsetMap`] maps byte offsets back.

use outcomes_csv::{Dialect, Row, Terminator, UTF8_BOM};

/// One rewritten line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rewritten {
    /// The physical line the break ends (1-based).
    pub(crate) line: u64,
    /// The row of the record the break ends.
    pub(crate) row: Row,
    /// The break as written.
    pub(crate) was: Terminator,
}

/// Maps offsets in the repaired file back to the input.
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap {
    /// For each rewrite, in order: where it ends in the output, and the input's offset minus
    /// the output's from there on.
    shifts: Vec<(u64, i64)>,
}

impl OffsetMap {
    /// The input offset of byte `offset` of the output.
    pub(crate) fn to_input(&self, offset: u64) -> u64 {
        let delta = match self.shifts.partition_point(|&(end, _)| end <= offset) {
            0 => 0,
            i => self.shifts[i - 1].1,
        };
        offset.saturating_add_signed(delta)
    }
}

/// The result of the scan.
#[derive(Debug, Clone)]
pub(crate) struct Repair {
    /// The file with every foreign line break outside quotes replaced.
    pub(crate) output: Vec<u8>,
    /// What was replaced, in file order.
    pub(crate) rewritten: Vec<Rewritten>,
    /// Offsets of `output` back to the input.
    pub(crate) map: OffsetMap,
}

/// Rewrites every line break outside quotes that differs from `dialect.terminator`.
pub(crate) fn repair(input: &[u8], dialect: Dialect) -> Repair {
    let terminator = dialect.terminator.as_bytes();
    let delimiter = dialect.delimiter;
    let len = input.len();
    let mut out = Vec::with_capacity(len);
    let mut rewritten = Vec::new();
    let mut map = OffsetMap::default();
    let mut copied = 0; // input bytes before this are in `out`
    let mut line: u64 = 1;
    let mut row: Row = 1;
    let mut i = if dialect.bom && input.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
    'cells: while i < len {
        // One cell.
        if input[i] == b'"' {
            i += 1;
            loop {
                let Some(j) = input[i..].iter().position(|&b| matches!(b, b'"' | b'\r' | b'\n')) else {
                    break 'cells; // unclosed quote: the reader reports it
                };
                let k = i + j;
                match input[k] {
                    b'"' if input.get(k + 1) == Some(&b'"') => i = k + 2,
                    b'"' => {
                        i = k + 1;
                        break;
                    }
                    b'\r' if input.get(k + 1) == Some(&b'\n') => {
                        line += 1;
                        i = k + 2;
                    }
                    _ => {
                        line += 1;
                        i = k + 1;
                    }
                }
            }
        } else {
            while i < len && !matches!(input[i], b'"' | b'\r' | b'\n') && input[i] != delimiter {
                i += 1;
            }
            if i < len && input[i] == b'"' {
                break; // stray quote: the reader reports it
            }
        }
        // After a cell: the end of the file, a separator, a line break, or an error.
        let Some(&b) = input.get(i) else {
            break;
        };
        if b == delimiter {
            i += 1;
            continue;
        }
        let (was, width) = match (b, input.get(i + 1)) {
            (b'\r', Some(b'\n')) => (Terminator::CrLf, 2),
            (b'\r', _) => (Terminator::Cr, 1),
            (b'\n', _) => (Terminator::Lf, 1),
            _ => break, // text after a closing quote: the reader reports it
        };
        if was != dialect.terminator {
            out.extend_from_slice(&input[copied..i]);
            out.extend_from_slice(terminator);
            copied = i + width;
            rewritten.push(Rewritten { line, row, was });
            let shift = (i + width) as i64 - out.len() as i64;
            map.shifts.push((out.len() as u64, shift));
        }
        line += 1;
        row += 1;
        i += width;
    }
    out.extend_from_slice(&input[copied..]);
    Repair { output: out, rewritten, map }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcomes_csv::Reader;

    fn fix(input: &[u8]) -> Vec<u8> {
        let dialect = Dialect::sniff(crate::doc::first_line(input));
        repair(input, dialect).output
    }

    #[test]
    fn foreign_breaks_outside_quotes_become_the_first_one() {
        assert_eq!(fix(b"a,b\r\nc,d\ne,f\rg\r\n"), b"a,b\r\nc,d\r\ne,f\r\ng\r\n");
        assert_eq!(fix(b"a\nb\r\nc\rd"), b"a\nb\nc\nd");
        assert_eq!(fix(b"a\rb\r\nc\nd\r"), b"a\rb\rc\rd\r");
    }

    #[test]
    fn breaks_inside_quotes_are_data() {
        assert_eq!(fix(b"a,b\r\n\"x\ny\r\nz\rw\",\"\"\"\n\"\nq\r\n"), b"a,b\r\n\"x\ny\r\nz\rw\",\"\"\"\n\"\r\nq\r\n");
    }

    #[test]
    fn a_first_break_inside_quotes_sets_the_terminator() {
        // Canvas takes the first break anywhere, quotes or not: here `\n`.
        assert_eq!(fix(b"\"a\nb\",c\r\nd\r\n"), b"\"a\nb\",c\nd\n");
    }

    #[test]
    fn the_scan_stops_at_an_error_it_cannot_repair() {
        assert_eq!(fix(b"a\r\nb\"c\nd\n"), b"a\r\nb\"c\nd\n");
        assert_eq!(fix(b"a\r\n\"b\"c\nd\n"), b"a\r\n\"b\"c\nd\n");
        assert_eq!(fix(b"a\r\nb\n\"c\nd\n"), b"a\r\nb\r\n\"c\nd\n");
    }

    #[test]
    fn rewrites_say_where_and_what() {
        let input = b"h\r\n\"x\ny\"\nz\rw\r\n";
        let r = repair(input, Dialect::sniff(crate::doc::first_line(input)));
        assert_eq!(
            r.rewritten,
            vec![
                Rewritten { line: 3, row: 2, was: Terminator::Lf },
                Rewritten { line: 4, row: 3, was: Terminator::Cr },
            ]
        );
        // `w` is at 11 in the input and 13 in the output.
        assert_eq!(r.output[13], b'w');
        assert_eq!(r.map.to_input(13), 11);
        assert_eq!(r.map.to_input(2), 2);
        let mut reader = Reader::new(&r.output[..]).expect("reader");
        let mut rec = outcomes_csv::Record::new();
        let mut rows = 0;
        while reader.read_record(&mut rec).expect("parses after the repair") {
            rows += 1;
        }
        assert_eq!(rows, 4);
    }

    #[test]
    fn the_bom_is_not_a_cell() {
        assert_eq!(fix(b"\xEF\xBB\xBF\"a\"\r\nb\n"), b"\xEF\xBB\xBF\"a\"\r\nb\r\n");
    }
}
