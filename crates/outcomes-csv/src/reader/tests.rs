//! The fast tokenizer against a slow one that reads a byte at a time, on arbitrary bytes made of
//! what matters to CSV (quotes, separators, line breaks, long runs that cross any scanning
//! width), cut anywhere as a stream would be, in every dialect and under any cell limit.

use proptest::prelude::*;

use super::{tokenize, CellEnds, QuotedEnds, ReaderOptions, Step, Window, MAX_RECORD_BYTES};
use crate::dialect::{Dialect, Terminator};
use crate::error::SyntaxErrorKind;
use crate::record::{ByteClasses, Record};

/// A cell as the reference sees it: span, whether quoted, and value.
type RefCell = (usize, usize, bool, Vec<u8>);

/// What tokenizing gives: the step, and on a complete record its cells and line breaks.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    step: Step,
    cells: Vec<RefCell>,
    breaks: Vec<usize>,
}

/// Ruby's strict syntax written as plainly as possible: one byte per step, no scanning tricks.
fn reference(data: &[u8], eof: bool, dialect: Dialect, max_cells: usize) -> Outcome {
    let mut cells: Vec<RefCell> = Vec::new();
    let mut breaks = Vec::new();
    let len = data.len();
    let mut i = 0;
    let step = 'record: loop {
        if cells.len() >= max_cells {
            break Step::TooManyCells;
        }
        let start = i;
        if data.get(i) == Some(&b'"') {
            i += 1;
            let mut value = Vec::new();
            loop {
                let Some(&b) = data.get(i) else {
                    break 'record if eof {
                        Step::Error(SyntaxErrorKind::UnclosedQuote, start)
                    } else {
                        Step::NeedMore
                    };
                };
                let next = data.get(i + 1).copied();
                if (b == b'"' || b == b'\r') && next.is_none() && !eof {
                    break 'record Step::NeedMore;
                }
                match (b, next) {
                    (b'"', Some(b'"')) => {
                        value.push(b'"');
                        i += 2;
                    }
                    (b'"', _) => {
                        i += 1;
                        cells.push((start, i, true, value));
                        break;
                    }
                    (b'\r', Some(b'\n')) => {
                        value.extend_from_slice(b"\r\n");
                        i += 2;
                        breaks.push(i);
                    }
                    (b'\r' | b'\n', _) => {
                        value.push(b);
                        i += 1;
                        breaks.push(i);
                    }
                    _ => {
                        value.push(b);
                        i += 1;
                    }
                }
            }
        } else {
            while i < len && ![b'"', b'\r', b'\n', dialect.delimiter].contains(&data[i]) {
                i += 1;
            }
            if data.get(i) == Some(&b'"') {
                break Step::Error(SyntaxErrorKind::StrayQuote, i);
            }
            cells.push((start, i, false, data[start..i].to_vec()));
        }
        let Some(&b) = data.get(i) else {
            break if eof { complete(&mut cells, i, i) } else { Step::NeedMore };
        };
        if b == dialect.delimiter {
            i += 1;
            continue;
        }
        let first = match dialect.terminator {
            Terminator::Lf => b'\n',
            Terminator::Cr | Terminator::CrLf => b'\r',
        };
        break match b {
            b'\r' | b'\n' if b != first => Step::Error(SyntaxErrorKind::MixedLineEnding, i),
            b'\r' | b'\n' if dialect.terminator != Terminator::CrLf => complete(&mut cells, i, i + 1),
            b'\r' => match data.get(i + 1) {
                Some(b'\n') => complete(&mut cells, i, i + 2),
                None if !eof => Step::NeedMore,
                _ => Step::Error(SyntaxErrorKind::MixedLineEnding, i),
            },
            _ => Step::Error(SyntaxErrorKind::TextAfterQuote, i),
        };
    };
    if matches!(step, Step::Complete { .. }) {
        Outcome { step, cells, breaks }
    } else {
        Outcome { step, cells: Vec::new(), breaks: Vec::new() }
    }
}

fn complete(cells: &mut Vec<RefCell>, raw_len: usize, consumed: usize) -> Step {
    if raw_len == 0 && cells.len() == 1 {
        cells.clear();
    }
    Step::Complete { raw_len, consumed }
}

/// What the real tokenizer gives, in the reference's terms.
fn fast(data: &[u8], eof: bool, dialect: Dialect, max_cells: usize) -> Outcome {
    fast_into(&mut Record::new(), data, eof, dialect, max_cells)
}

/// [`fast`] into a record that may hold another one (whose cells' slots the tokenizer reuses).
fn fast_into(rec: &mut Record, data: &[u8], eof: bool, dialect: Dialect, max_cells: usize) -> Outcome {
    rec.reclaim();
    let step = tokenize(data, eof, &CellEnds::new(dialect.delimiter), dialect, max_cells, rec);
    if !matches!(step, Step::Complete { .. }) {
        return Outcome { step, cells: Vec::new(), breaks: Vec::new() };
    }
    let cells: Vec<RefCell> = rec
        .cells()
        .map(|c| {
            let span = c.span();
            (span.start as usize, span.end as usize, c.is_quoted(), c.value().to_vec())
        })
        .collect();
    // The record's bytes are the input's, and each cell's text is its value's, before the
    // record is validated and after (when the values share a buffer with the record).
    if let Step::Complete { raw_len, .. } = step {
        assert_eq!(rec.raw(), &data[..raw_len]);
    }
    for validated in [false, true] {
        if validated {
            // The whole buffer (the record, then its unescaped values) is text exactly when the
            // standard library says so.
            assert_eq!(rec.validate_utf8(), std::str::from_utf8(&rec.raw).is_ok());
        }
        for (c, (.., value)) in rec.cells().zip(&cells) {
            assert_eq!(c.text(), std::str::from_utf8(value).ok());
            assert_eq!(c.value(), &value[..]);
        }
    }
    // The classes noted while reading answer for every cell's first byte: a check that skips
    // the record on them misses no cell.
    for (.., value) in &cells {
        if let Some(&first) = value.first() {
            assert!(rec.may_start_with(ByteClasses::of(&[first])), "{first:#x} in {cells:?}");
        }
    }
    Outcome { step, cells, breaks: rec.breaks.clone() }
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    let symbol = prop::sample::select(vec![
        &b"a"[..],
        b"guid-0000001",
        b"a run of plain words that is longer than any scanning width, 70 bytes",
        b",",
        b",",
        b";",
        b"\"",
        b"\"",
        b"\"\"",
        b"\r",
        b"\n",
        b"\r\n",
        b" ",
        "\u{e9}t\u{e9}".as_bytes(),
        b"\xC3",
        b"=",
        b"-1",
        b"+",
        b"@",
        b"\t",
    ]);
    prop::collection::vec(symbol, 0..120).prop_map(|parts| parts.concat())
}

fn dialect() -> impl Strategy<Value = Dialect> {
    (
        prop::sample::select(vec![b',', b';']),
        prop::sample::select(vec![Terminator::Lf, Terminator::CrLf, Terminator::Cr]),
    )
        .prop_map(|(delimiter, terminator)| Dialect { bom: false, delimiter, terminator, terminator_offset: None })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn tokenize_agrees_with_a_byte_at_a_time_reference(
        data in input(),
        cut in any::<prop::sample::Index>(),
        dialect in dialect(),
        max_cells in prop::sample::select(vec![1, 2, 3, 7, 40, usize::MAX]),
    ) {
        // The whole input at the end of the file, and a prefix of it mid-stream.
        prop_assert_eq!(fast(&data, true, dialect, max_cells), reference(&data, true, dialect, max_cells));
        let prefix = &data[..cut.index(data.len() + 1)];
        prop_assert_eq!(fast(prefix, false, dialect, max_cells), reference(prefix, false, dialect, max_cells));
    }

    #[test]
    fn quoted_ends_are_found_where_memchr3_finds_them(data in input(), from in any::<prop::sample::Index>()) {
        // Short haystacks (under 32 bytes) are searched byte by byte, longer ones by `memchr`.
        let haystack = &data[from.index(data.len() + 1)..];
        prop_assert_eq!(QuotedEnds::new().find(haystack), memchr::memchr3(b'"', b'\r', b'\n', haystack));
    }

    #[test]
    fn windows_find_the_ends_the_table_finds(
        delimiter in prop_oneof![prop::sample::select(vec![b',', b';', b'\t', 0]), any::<u8>()],
        filler in prop::collection::vec(prop::sample::select(FILLER.to_vec()), 0..300),
        ends in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec![b'"', b'\r', b'\n', b','])), 0..12),
        starts in prop::collection::vec(any::<prop::sample::Index>(), 1..8),
    ) {
        // Bytes that end no cell (unless one is the delimiter), with a few ends anywhere (the
        // `,` stands for the delimiter), over up to five windows and a part: from any start,
        // the windows give every end the table gives, in order; and one window asked from
        // starts further and further on (as the tokenizer asks) gives the first end of each.
        let mut data = filler;
        for (at, end) in ends {
            if !data.is_empty() {
                let at = at.index(data.len());
                data[at] = if end == b',' { delimiter } else { end };
            }
        }
        let cell_ends = CellEnds::new(delimiter);
        let mut starts: Vec<usize> = starts.iter().map(|s| s.index(data.len() + 1)).collect();
        starts.sort_unstable();
        let mut window = Window::NONE;
        for &from in &starts {
            prop_assert_eq!(walk(&data, &cell_ends, from), ends_bytewise(&data, &cell_ends, from));
            let first = ends_bytewise(&data, &cell_ends, from).first().copied().unwrap_or(data.len());
            prop_assert_eq!(window.end_from(&cell_ends, &data, from), first);
            let mut fresh = Window::NONE;
            prop_assert_eq!(fresh.end_from(&cell_ends, &data, from), first);
        }
        for block in data.chunks_exact(64) {
            let block = <&[u8; 64]>::try_from(block).unwrap();
            let bytewise = (0..64).filter(|&k| cell_ends.table[block[k] as usize] & CellEnds::END != 0).fold(0, |bits, k| bits | 1 << k);
            prop_assert_eq!(cell_ends.ends_in(block), bytewise);
        }
    }

    #[test]
    fn a_reused_record_reads_as_a_new_one(
        before in input(),
        before_max in prop::sample::select(vec![3, 40, usize::MAX]),
        data in input(),
        dialect in dialect(),
        max_cells in prop::sample::select(vec![1, 2, 3, 7, 40, usize::MAX]),
    ) {
        // The record keeps what the one before left (its cells' slots, maybe more of them than
        // this limit allows), whether that one was complete or not.
        let mut rec = Record::new();
        fast_into(&mut rec, &before, true, dialect, before_max);
        prop_assert_eq!(fast_into(&mut rec, &data, true, dialect, max_cells), reference(&data, true, dialect, max_cells));
        let mut rec = Record::new();
        fast_into(&mut rec, &before, false, dialect, before_max);
        prop_assert_eq!(fast_into(&mut rec, &data, false, dialect, max_cells), reference(&data, false, dialect, max_cells));
    }
}

/// Bytes that end no cell in any of the dialects (nor with a tab or NUL for a delimiter): ASCII, control bytes, and bytes
/// with the high bit set (among them the ends' own bits with it: `0xA2`, `0x8D`, `0x8A`, `0xAC`,
/// `0xBB`, `0x89`), which a comparison of signed lanes or a mask cut short would get wrong.
const FILLER: [u8; 16] =
    [b'a', b'Z', b'0', b' ', b'-', 0x00, 0x0B, 0x7F, 0x80, 0xFF, 0xA2, 0x8D, 0x8A, 0xAC, 0xBB, 0x89];

/// The ends from `from` on, as the tokenizer's loop over cells takes them: from the window at
/// `from`, a bit at a time, moving on while `data` goes on.
fn walk(data: &[u8], cell_ends: &CellEnds, from: usize) -> Vec<usize> {
    let mut found = Vec::new();
    if from >= data.len() {
        return found;
    }
    let mut window = cell_ends.window_at(data, from);
    let mut bits = window.ends_from(from);
    loop {
        if bits == 0 {
            if !window.advance(cell_ends, data) {
                return found;
            }
            bits = window.bits;
            continue;
        }
        found.push(window.anchor + bits.trailing_zeros() as usize);
        bits &= bits - 1;
    }
}

/// The ends from `from` on, by the table, a byte at a time.
fn ends_bytewise(data: &[u8], cell_ends: &CellEnds, from: usize) -> Vec<usize> {
    (from..data.len()).filter(|&k| cell_ends.table[data[k] as usize] & CellEnds::END != 0).collect()
}

#[test]
fn ends_are_found_at_every_place_in_and_across_windows() {
    // Each end at each place of the data (or none), from each start, for lengths around one,
    // two and three windows: a window made at the start, one made earlier and one asked
    // before give the first end at or after the start, or the length.
    for delimiter in [b',', b';', b'\t', 0] {
        let cell_ends = CellEnds::new(delimiter);
        for len in [0, 1, 2, 15, 16, 17, 63, 64, 65, 100, 127, 128, 129, 191, 192, 193, 200] {
            let mut data: Vec<u8> =
                (0..len).map(|k| FILLER[(k * 7 + len) % FILLER.len()]).filter(|&b| b != delimiter).collect();
            data.resize(len, b'a');
            for end in [b'"', b'\r', b'\n', delimiter] {
                for at in 0..=len {
                    let mut data = data.clone();
                    if at < len {
                        data[at] = end;
                    }
                    for from in 0..=len {
                        let expected = if from <= at { at } else { len };
                        let context = format!("{delimiter} {len} {end} {at} {from}");
                        let mut fresh = Window::NONE;
                        assert_eq!(fresh.end_from(&cell_ends, &data, from), expected, "{context}");
                        let mut earlier = Window::NONE;
                        earlier.end_from(&cell_ends, &data, from / 2);
                        assert_eq!(earlier.end_from(&cell_ends, &data, from), expected, "{context}");
                        let walked = if from <= at && at < len { vec![at] } else { vec![] };
                        assert_eq!(walk(&data, &cell_ends, from), walked, "{context}");
                    }
                }
            }
        }
    }
}

#[test]
fn the_reference_reads_escapes_and_breaks() {
    let dialect = Dialect { bom: false, delimiter: b',', terminator: Terminator::Lf, terminator_offset: None };
    let out = reference(b"\"a\"\"b\r\nc\",d\n", true, dialect, usize::MAX);
    assert_eq!(out.step, Step::Complete { raw_len: 11, consumed: 12 });
    assert_eq!(out.cells, vec![(0, 9, true, b"a\"b\r\nc".to_vec()), (10, 11, false, b"d".to_vec())]);
    assert_eq!(out.breaks, vec![7]);
    assert_eq!(fast(b"\"a\"\"b\r\nc\",d\n", true, dialect, usize::MAX), out);
}

#[test]
fn records_stay_within_u32_offsets_whatever_the_limit() {
    // The buffer holds the record and then its unescaped values, at most as long again.
    assert!(MAX_RECORD_BYTES.saturating_mul(2).saturating_add(1) <= u32::MAX as usize);
    assert_eq!(ReaderOptions { max_record_bytes: usize::MAX }.record_limit(), MAX_RECORD_BYTES);
    assert_eq!(ReaderOptions { max_record_bytes: MAX_RECORD_BYTES + 1 }.record_limit(), MAX_RECORD_BYTES);
    assert_eq!(ReaderOptions::default().record_limit(), 64 << 20);
    assert_eq!(ReaderOptions { max_record_bytes: 10 }.record_limit(), 10);
}
