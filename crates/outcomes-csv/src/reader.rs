//! A streaming, Ruby-strict CSV reader.
//!
//! It reads from any [`Read`] through one growable buffer, so memory is bounded by the largest
//! record, not the file. Syntax is exactly Ruby's strict CSV parser's, the one Canvas uses:
//! lenient readers (like the `csv` crate) accept files Canvas rejects, and the point of this tool
//! is to say so before upload.

use std::io::Read;

use wide::u8x16;

use crate::dialect::{Dialect, Terminator, UTF8_BOM};
use crate::error::{ReadError, SyntaxError, SyntaxErrorKind};
use crate::position::{count_chars, Position};
use crate::record::{ByteClasses, CellBounds, Record, CLASS, NO_CLASS};

/// Limits that keep memory bounded on hostile input.
#[derive(Debug, Clone, Copy)]
pub struct ReaderOptions {
    /// The largest record (in bytes) the reader will buffer. Default: 64 MiB.
    ///
    /// Whatever it says, a record over 2 GiB (2,147,483,647 bytes) is refused with
    /// [`ReadError::RecordTooLarge`]: a record keeps its cells' places as 32-bit offsets
    /// into one buffer holding its bytes and, after them, its unescaped values (up to as many
    /// bytes again), which is what makes reading a cell cheap.
    pub max_record_bytes: usize,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions { max_record_bytes: 64 << 20 }
    }
}

impl ReaderOptions {
    /// The most cells a record may have: one per 64 bytes of the record limit (1,048,576 by
    /// default; no limit with `usize::MAX` bytes). Each cell costs memory beyond its bytes (its
    /// bounds, and what checks keep per cell): without it, a 64 MiB line of separators would take
    /// gigabytes.
    ///
    /// ```
    /// assert_eq!(outcomes_csv::ReaderOptions::default().max_cells(), 1 << 20);
    /// ```
    pub fn max_cells(&self) -> usize {
        self.max_record_bytes / 64
    }

    /// The limit the reader applies: [`ReaderOptions::max_record_bytes`], but no more than
    /// [`MAX_RECORD_BYTES`].
    fn record_limit(&self) -> usize {
        self.max_record_bytes.min(MAX_RECORD_BYTES)
    }
}

/// The largest record any reader accepts, so that the record's buffer (its bytes, then values
/// no longer than those bytes) stays within `u32` offsets.
const MAX_RECORD_BYTES: usize = (u32::MAX / 2) as usize;

const CHUNK: usize = 64 * 1024;

/// Reads [`Record`]s from a byte stream with Canvas's framing and syntax.
///
/// ```
/// use outcomes_csv::{Reader, Record};
/// let data = "title,vendor_guid,object_type\r\n\"Read, \"\"well\"\"\",r1,group\r\n";
/// let mut reader = Reader::new(data.as_bytes()).unwrap();
/// let mut record = Record::new();
/// assert!(reader.read_record(&mut record).unwrap());
/// assert_eq!(record.row(), 1);
/// assert!(reader.read_record(&mut record).unwrap());
/// assert_eq!(record.get(0), Some(&b"Read, \"well\""[..]));
/// assert_eq!(record.row(), 2);
/// assert!(!reader.read_record(&mut record).unwrap());
/// ```
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    /// Absolute file offset of `buf[0]`.
    base: u64,
    eof: bool,
    dialect: Dialect,
    total_empty: bool,
    rows: u64,
    line: u64,
    cell_ends: CellEnds,
    options: ReaderOptions,
    failed: bool,
}

#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// A record of `raw_len` bytes followed by `consumed - raw_len` terminator bytes.
    Complete {
        raw_len: usize,
        consumed: usize,
    },
    NeedMore,
    Error(SyntaxErrorKind, usize),
    /// The record has more cells than allowed.
    TooManyCells,
    /// The record and its unescaped values do not fit in `u32` offsets.
    TooLarge,
}

impl<R: Read> Reader<R> {
    /// Starts reading: buffers the first physical line to detect the [`Dialect`].
    pub fn new(inner: R) -> Result<Reader<R>, ReadError> {
        Reader::with_options(inner, ReaderOptions::default())
    }

    /// Like [`Reader::new`], with explicit limits.
    pub fn with_options(inner: R, options: ReaderOptions) -> Result<Reader<R>, ReadError> {
        let mut reader = Reader {
            inner,
            buf: vec![0; CHUNK],
            pos: 0,
            filled: 0,
            base: 0,
            eof: false,
            dialect: Dialect::sniff(b""),
            total_empty: false,
            rows: 0,
            line: 1,
            cell_ends: CellEnds::new(b','),
            options,
            failed: false,
        };
        let mut searched = 0;
        let first_line_end = loop {
            if let Some(i) = memchr::memchr(b'\n', &reader.buf[searched..reader.filled]) {
                break searched + i + 1;
            }
            searched = reader.filled;
            if reader.eof {
                break reader.filled;
            }
            if reader.filled > options.record_limit() {
                return Err(ReadError::RecordTooLarge { row: 1, line: 1, limit: options.record_limit() });
            }
            reader.fill()?;
        };
        reader.total_empty = reader.filled == 0;
        reader.dialect = Dialect::sniff(&reader.buf[..first_line_end]);
        if reader.dialect.bom {
            reader.pos = UTF8_BOM.len();
        }
        reader.cell_ends = CellEnds::new(reader.dialect.delimiter);
        Ok(reader)
    }

    /// The framing Canvas will use for this file.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Whether the file has no bytes at all (Canvas: `File has no data`).
    pub fn is_empty_file(&self) -> bool {
        self.total_empty
    }

    /// How many records have been read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows
    }

    /// Reads the next record into `record`. Returns `Ok(false)` at the end of the file. After an
    /// error, every further call returns `Ok(false)`: Ruby's parser stops at the first one too.
    ///
    /// The record is checked for UTF-8 once, as a whole ([`Record::validate_utf8`]).
    pub fn read_record(&mut self, record: &mut Record) -> Result<bool, ReadError> {
        let read = self.read_record_raw(record)?;
        if read {
            record.validate_utf8();
        }
        Ok(read)
    }

    /// [`Reader::read_record`] without the UTF-8 check, for a caller that runs
    /// [`Record::validate_utf8`] itself, later or on another thread. Every accessor of the record
    /// works either way; only the cost of [`Cell::text`](crate::Cell::text) differs.
    pub fn read_record_raw(&mut self, record: &mut Record) -> Result<bool, ReadError> {
        if self.failed {
            return Ok(false);
        }
        record.reclaim();
        loop {
            if self.pos == self.filled && self.eof {
                return Ok(false);
            }
            let data = &self.buf[self.pos..self.filled];
            match tokenize(data, self.eof, &self.cell_ends, self.dialect, self.options.max_cells(), record) {
                Step::Complete { raw_len, consumed } => {
                    record.terminator_len = consumed - raw_len;
                    self.rows += 1;
                    record.row = self.rows;
                    record.offset = self.base + self.pos as u64;
                    record.line = self.line;
                    self.line += record.breaks.len() as u64 + u64::from(consumed > raw_len);
                    self.pos += consumed;
                    return Ok(true);
                }
                Step::NeedMore => {
                    let pending = self.filled - self.pos;
                    if pending > self.options.record_limit() {
                        return Err(self.too_large());
                    }
                    // Tokenizing starts again from the record's first byte, so past one chunk
                    // read until the pending bytes have doubled (or passed the limit, or the
                    // input ends): the work stays linear in the record's size however little
                    // each read returns (a pipe gives at most 64 KiB).
                    let wanted = if pending < CHUNK {
                        pending + 1
                    } else {
                        pending.saturating_mul(2).min(self.options.record_limit().saturating_add(1))
                    };
                    while !self.eof && self.filled - self.pos < wanted {
                        if let Err(e) = self.fill() {
                            self.failed = true;
                            return Err(e.into());
                        }
                    }
                }
                Step::Error(kind, at) => {
                    self.failed = true;
                    let position = self.position_in_pending(at);
                    return Err(SyntaxError { kind, position, row: self.rows + 1, byte: data.get(at).copied() }.into());
                }
                Step::TooLarge => return Err(self.too_large()),
                Step::TooManyCells => {
                    self.failed = true;
                    let limit = self.options.max_cells();
                    return Err(ReadError::TooManyCells { row: self.rows + 1, line: self.line, limit });
                }
            }
        }
    }

    /// Fails on the record being read for being over the size limit.
    fn too_large(&mut self) -> ReadError {
        self.failed = true;
        ReadError::RecordTooLarge { row: self.rows + 1, line: self.line, limit: self.options.record_limit() }
    }

    /// The position of byte `at` of the record being read (relative to `pos`).
    fn position_in_pending(&self, at: usize) -> Position {
        let data = &self.buf[self.pos..self.filled];
        let before = &data[..at.min(data.len())];
        let mut line = self.line;
        let mut line_start = 0;
        crate::position::for_each_line_start(before, |s| {
            if s <= before.len() {
                line += 1;
                line_start = s;
            }
        });
        Position { offset: self.base + (self.pos + at) as u64, line, column: count_chars(&before[line_start..]) + 1 }
    }

    /// Makes room and reads more bytes, keeping the unconsumed part of the buffer.
    fn fill(&mut self) -> std::io::Result<()> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.base += self.pos as u64;
            self.filled -= self.pos;
            self.pos = 0;
        }
        if self.filled == self.buf.len() {
            // Double, but never far past the limit: a record over it is an error anyway.
            let cap = self.options.record_limit().saturating_add(1);
            let grown = (self.buf.len() * 2).min(cap.max(self.buf.len() + 1));
            self.buf.resize(grown, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.filled += n;
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

/// Tokenizes one record at the start of `data`. Restartable: on `NeedMore` the caller refills
/// and calls again from the same record start, so chunk boundaries never change the result.
///
/// Cells that end at a delimiter are taken from a [`Window`] of the cell ends among 64 bytes,
/// a few instructions each; a quoted cell, the record's last cell and a stray quote go through
/// the loop's second half, a cell at a time.
///
/// The loop over cells is kept small enough for its values to stay in registers: a quoted
/// cell and the record's end are read out of line (a call per quoted cell or record, against
/// spills on every cell), and cells are stored into the slots the record before left (or
/// [`more_slots`]) rather than pushed, so that the test that a slot is left is also the cell
/// limit's.
fn tokenize(
    data: &[u8],
    eof: bool,
    cell_ends: &CellEnds,
    dialect: Dialect,
    max_cells: usize,
    rec: &mut Record,
) -> Step {
    rec.clear();
    let Record { cells, unescaped, escapes, breaks, .. } = rec;
    let delimiter = dialect.delimiter;
    let table = &cell_ends.table;
    let mut window = Window::NONE;
    // The classes of the cells' first bytes ([`Record::may_start_with`]).
    let mut firsts = 0u8;
    // The slots the last record filled are ready; more are made when they run out.
    let ready = cells.len().min(max_cells);
    let mut slots = &mut cells[..ready];
    let mut n = 0;
    let mut i: usize = 0;
    let step = loop {
        // The cells from `i` on that end at a delimiter (most cells: numbers, ratings, guids,
        // words, empty ones) are stored by a loop of their own, a bit of the window, a look at
        // the byte there and one at the cell's first byte each. The window moves to `i` when
        // it does not hold it (at the record's start, after a quoted cell), and on to the next
        // 64 bytes when a cell goes on past it, unless the cell is quoted.
        if !window.holds(i) && data.get(i).is_some_and(|&b| b != b'"') {
            window = cell_ends.window_at(data, i);
        }
        if window.holds(i) {
            // The ends from `i` on; after each move, all of the window's (its first byte
            // follows `i`, or is `i`).
            let mut bits = window.ends_from(i);
            while n < slots.len() {
                if bits == 0 {
                    if data.get(i) == Some(&b'"') || !window.advance(cell_ends, data) {
                        break;
                    }
                    bits = window.bits;
                    continue;
                }
                let end = window.anchor + bits.trailing_zeros() as usize;
                if data.get(end) != Some(&delimiter) {
                    break;
                }
                // An empty cell adds the class of the delimiter, which only widens the set.
                firsts |= data.get(i).map_or(CellEnds::END, |&b| table[b as usize]);
                // Offsets are cut to `u32` here and checked once in `finish`.
                slots[n] = CellBounds { start: i as u32, end: end as u32, vstart: i as u32, vend: end as u32 };
                n += 1;
                i = end + 1;
                bits &= bits - 1;
            }
        }
        // One cell that ends otherwise: quoted, at a line break or a stray quote, at the end
        // of `data`; or the first one past the slots.
        let Some(slot) = slots.get_mut(n) else {
            if n >= max_cells {
                break Step::TooManyCells;
            }
            slots = more_slots(cells, n, max_cells);
            continue;
        };
        let start = i;
        let first = data.get(i).copied();
        if first == Some(b'"') {
            match quoted(data, start, eof, cell_ends, unescaped, breaks) {
                Ok(cell) => {
                    firsts |= cell.first;
                    if cell.escaped {
                        escapes.push(n as u32);
                    }
                    i = cell.end;
                    *slot = CellBounds { start: start as u32, end: i as u32, vstart: cell.vstart, vend: cell.vend };
                }
                Err(step) => break step,
            }
        } else {
            // One look at the first byte tells its class and whether the cell ends there,
            // which spares the search.
            let class = first.map_or(CellEnds::END, |b| table[b as usize]);
            firsts |= class;
            if class & CellEnds::END == 0 {
                i = window.end_from(cell_ends, data, i + 1);
            }
            // A `"` here is a stray quote, found below with the cell's end.
            *slot = CellBounds { start: start as u32, end: i as u32, vstart: start as u32, vend: i as u32 };
        }
        n += 1;
        match data.get(i) {
            Some(&b) if b == delimiter => i += 1,
            _ => break record_end(data, i, eof, dialect.terminator, first == Some(b'"')),
        }
    };
    cells.truncate(n);
    rec.firsts = ByteClasses::NONE.with_bits(firsts);
    match step {
        Step::Complete { raw_len, consumed } => finish(rec, data, raw_len, consumed),
        step => step,
    }
}

/// Makes more slots ready for a record's cells, the first `n` of which are stored: twice as
/// many (and at least 16), but never more than `max_cells`. Returns them all. Out of line: the
/// slots a record leaves are enough for the next one, unless it is longer.
#[inline(never)]
fn more_slots(cells: &mut Vec<CellBounds>, n: usize, max_cells: usize) -> &mut [CellBounds] {
    cells.truncate(n);
    cells.resize(n.saturating_mul(2).max(16).min(max_cells), CellBounds::ABSENT);
    &mut cells[..]
}

/// A quoted cell, as [`quoted`] reads it.
struct Quoted {
    /// Just past the closing quote.
    end: usize,
    /// Where the value lies: between the quotes, or (when it had a `""`) in `unescaped`, at
    /// offsets `finish` moves into the record's buffer.
    vstart: u32,
    vend: u32,
    /// Whether the value is in `unescaped`.
    escaped: bool,
    /// The class of the byte after the opening quote ([`Record::may_start_with`]).
    first: u8,
}

/// Reads the quoted cell that starts at `data[start]` (a `"`): up to its closing quote, noting
/// the line breaks inside it and unescaping its `""` into `unescaped`. Out of line: a quoted
/// cell is long and rare enough (one cell in ten) for a call, and its values would crowd the
/// registers of the loop over cells.
#[inline(never)]
fn quoted(
    data: &[u8],
    start: usize,
    eof: bool,
    cell_ends: &CellEnds,
    unescaped: &mut Vec<u8>,
    breaks: &mut Vec<usize>,
) -> Result<Quoted, Step> {
    let mut i = start + 1;
    let mut escaped: Option<usize> = None;
    let mut chunk_start = i;
    loop {
        let Some(j) = cell_ends.quoted.find(&data[i..]) else {
            return Err(if eof { Step::Error(SyntaxErrorKind::UnclosedQuote, start) } else { Step::NeedMore });
        };
        let k = i + j;
        match data[k] {
            b'"' => {
                match data.get(k + 1) {
                    None if !eof => return Err(Step::NeedMore),
                    Some(b'"') => {
                        escaped.get_or_insert(unescaped.len());
                        unescaped.extend_from_slice(&data[chunk_start..=k]);
                        i = k + 2;
                        chunk_start = i;
                        continue;
                    }
                    _ => {}
                }
                // The value's first byte is the one after the opening quote, whether it is
                // written once or (a quote) twice; when the value is empty, it is the closing
                // quote, which only widens the set.
                let first = cell_ends.table[data[start + 1] as usize];
                let (vstart, vend, escaped) = match escaped {
                    None => (start + 1, k, false),
                    Some(from) => {
                        unescaped.extend_from_slice(&data[chunk_start..k]);
                        (from, unescaped.len(), true)
                    }
                };
                // Offsets are cut to `u32` here and checked once in `finish`.
                return Ok(Quoted { end: k + 1, vstart: vstart as u32, vend: vend as u32, escaped, first });
            }
            b'\r' => match data.get(k + 1) {
                None if !eof => return Err(Step::NeedMore),
                Some(b'\n') => {
                    breaks.push(k + 2);
                    i = k + 2;
                }
                _ => {
                    breaks.push(k + 1);
                    i = k + 1;
                }
            },
            _ => {
                breaks.push(k + 1);
                i = k + 1;
            }
        }
    }
}

/// What follows the last cell of a record at `data[i]`: the end of the input, the file's
/// terminator, or a syntax error (`after_quote`: the cell was quoted). Returns the step:
/// complete, more input needed, or the error.
#[inline(never)]
fn record_end(data: &[u8], i: usize, eof: bool, terminator: Terminator, after_quote: bool) -> Step {
    let consumed = match data.get(i) {
        None if eof => i,
        None => return Step::NeedMore,
        Some(&b) => match (terminator, b) {
            (Terminator::Lf, b'\n') | (Terminator::Cr, b'\r') => i + 1,
            (Terminator::CrLf, b'\r') => match data.get(i + 1) {
                Some(b'\n') => i + 2,
                None if !eof => return Step::NeedMore,
                _ => return Step::Error(SyntaxErrorKind::MixedLineEnding, i),
            },
            (_, b'\r' | b'\n') => return Step::Error(SyntaxErrorKind::MixedLineEnding, i),
            // After a quoted cell, anything; an unquoted one ends here only at a `"`.
            _ if after_quote => return Step::Error(SyntaxErrorKind::TextAfterQuote, i),
            _ => return Step::Error(SyntaxErrorKind::StrayQuote, i),
        },
    };
    Step::Complete { raw_len: i, consumed }
}

/// The bytes that end an unquoted cell: the delimiter, `"`, `\r` and `\n`.
#[derive(Debug, Clone)]
struct CellEnds {
    /// For each byte value, its class ([`ByteClasses`]) and whether it ends an unquoted cell
    /// ([`CellEnds::END`]).
    table: [u8; 256],
    /// The same bytes that end a cell, each in all sixteen lanes of a vector.
    vectors: [u8x16; 4],
    /// What ends a run of text inside a quoted cell.
    quoted: QuotedEnds,
}

impl CellEnds {
    /// The bit of a byte that ends an unquoted cell.
    const END: u8 = NO_CLASS;

    fn new(delimiter: u8) -> CellEnds {
        let ends = [b'"', b'\r', b'\n', delimiter];
        let mut table = CLASS;
        for b in ends {
            table[b as usize] |= CellEnds::END;
        }
        CellEnds { table, vectors: ends.map(u8x16::splat), quoted: QuotedEnds::new() }
    }

    /// A bit for each byte of `block` that ends a cell, the first byte's lowest: four times
    /// sixteen bytes compared with the four bytes and reduced to a bit per byte, about fifty
    /// instructions (SSE2 on x86_64, NEON on aarch64, scalar elsewhere, through `wide`).
    #[inline]
    fn ends_in(&self, block: &[u8; 64]) -> u64 {
        let [quote, cr, lf, delimiter] = self.vectors;
        let mut bits = 0;
        for (k, lane) in block.chunks_exact(16).enumerate() {
            let lane = u8x16::from(<[u8; 16]>::try_from(lane).unwrap_or_default());
            let ends = lane.cmp_eq(quote) | lane.cmp_eq(cr) | lane.cmp_eq(lf) | lane.cmp_eq(delimiter);
            // Only the low 16 bits can be set.
            bits |= u64::from(ends.move_mask() as u16) << (16 * k);
        }
        bits
    }

    /// The window of the 64 bytes of `data` from `at`.
    #[inline]
    fn window_at(&self, data: &[u8], at: usize) -> Window {
        match data.get(at..).and_then(<[u8]>::first_chunk::<64>) {
            Some(block) => Window { anchor: at, bits: self.ends_in(block) },
            None => self.tail_window(data, at),
        }
    }

    /// [`CellEnds::window_at`] within 64 bytes of the end of `data` (once per 64 KiB read):
    /// the bytes left, padded. Out of line, with the copy that pads them.
    #[cold]
    #[inline(never)]
    fn tail_window(&self, data: &[u8], at: usize) -> Window {
        let rest = data.get(at..).unwrap_or_default();
        let mut block = [0; 64];
        let Some(head) = block.get_mut(..rest.len()) else {
            return Window { anchor: at, bits: 0 };
        };
        head.copy_from_slice(rest);
        // What follows `rest` (under 64 bytes) is padding, whatever the delimiter.
        Window { anchor: at, bits: self.ends_in(&block) & ((1 << rest.len()) - 1) }
    }
}

/// The cell ends ([`CellEnds`]) among 64 bytes of the data being tokenized, from which the
/// ends of the cells in them are taken one bit at a time.
///
/// Cells are short (8 bytes on average when unquoted, a quarter of them empty): looking for
/// each cell's end on its own compared sixteen bytes a cell, and cost some fifty instructions
/// a cell with the work around it; a window compares each byte once, and a cell costs a
/// `trailing_zeros`, a look at the byte there and the store. Bytes inside quoted cells are not
/// compared here: [`QuotedEnds`] skips them faster, and the window moves past them.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// The offset of the window's first byte.
    anchor: usize,
    /// A bit for each cell end of `data[anchor..anchor + 64]`, the first byte's lowest.
    bits: u64,
}

impl Window {
    /// No window yet: placed so that it holds no offset.
    const NONE: Window = Window { anchor: 0usize.wrapping_sub(64), bits: 0 };

    /// Whether the window holds offset `i`.
    #[inline]
    fn holds(&self, i: usize) -> bool {
        i.wrapping_sub(self.anchor) < 64
    }

    /// The window's cell ends from offset `i` on: none when it does not hold `i`.
    #[inline]
    fn ends_from(&self, i: usize) -> u64 {
        let rel = i.wrapping_sub(self.anchor);
        if rel < 64 {
            self.bits & (u64::MAX << rel)
        } else {
            0
        }
    }

    /// Moves on to the next 64 bytes, if `data` goes on past the window.
    #[inline]
    fn advance(&mut self, cell_ends: &CellEnds, data: &[u8]) -> bool {
        let next = self.anchor.wrapping_add(64);
        if next >= data.len() {
            return false;
        }
        *self = cell_ends.window_at(data, next);
        true
    }

    /// Where the unquoted cell whose bytes go on at `data[i]` ends: the offset of the first
    /// cell end from `i` on, or the end of `data`. The window moves as it must: to `i` when it
    /// does not hold it, then on until it holds an end or `data` ends.
    #[inline]
    fn end_from(&mut self, cell_ends: &CellEnds, data: &[u8], i: usize) -> usize {
        if !self.holds(i) {
            *self = cell_ends.window_at(data, i);
        }
        let mut bits = self.ends_from(i);
        while bits == 0 {
            if !self.advance(cell_ends, data) {
                return data.len();
            }
            bits = self.bits;
        }
        self.anchor + bits.trailing_zeros() as usize
    }
}

/// The bytes that end a run of text inside a quoted cell: `"`, `\r` and `\n`.
///
/// Built once per reader: `memchr::memchr3` builds its vectors of the three bytes again on each
/// call (about thirty instructions), and it is called once per quoted cell and once more per
/// `""` or line break in it.
#[derive(Debug, Clone, Copy)]
struct QuotedEnds {
    /// The AVX2 searcher, where the CPU has AVX2.
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::Three>,
}

impl QuotedEnds {
    fn new() -> QuotedEnds {
        QuotedEnds {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::Three::new(b'"', b'\r', b'\n'),
        }
    }

    /// The offset of the first `"`, `\r` or `\n` in `haystack`.
    #[inline]
    fn find(&self, haystack: &[u8]) -> Option<usize> {
        // Under 32 bytes the AVX2 searcher hands over to one for shorter haystacks, whose
        // vectors the caller's loop would keep on its stack and reload after every call; the
        // few bytes are looked at one by one here instead.
        if haystack.len() < 32 {
            return haystack.iter().position(|&b| matches!(b, b'"' | b'\r' | b'\n'));
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(three) = &self.avx2 {
            return three.find(haystack);
        }
        memchr::memchr3(b'"', b'\r', b'\n', haystack)
    }
}

/// Completes a record: its bytes, then the values unescaped while tokenizing, go into the
/// record's buffer, and those values' ranges move there. An empty line has no cells at all
/// (Ruby yields `[]`, not `[nil]`).
fn finish(rec: &mut Record, data: &[u8], raw_len: usize, consumed: usize) -> Step {
    // Every offset the cells hold is at most the buffer's length: if that fits in `u32`,
    // none was cut. The reader's limit (`record_limit`, half of `u32::MAX`) keeps this from
    // failing, since unescaped values are shorter than the record; this makes it certain.
    if raw_len.saturating_add(rec.unescaped.len()) > u32::MAX as usize {
        return Step::TooLarge;
    }
    if raw_len == 0 && rec.cells.len() == 1 {
        rec.cells.clear();
    }
    rec.raw.clear();
    rec.raw.extend_from_slice(&data[..raw_len]);
    rec.raw_len = raw_len;
    if !rec.escapes.is_empty() {
        rec.raw.extend_from_slice(&rec.unescaped);
        // `raw_len` fits in `u32`: checked above.
        let shift = raw_len as u32;
        for &index in &rec.escapes {
            if let Some(cell) = rec.cells.get_mut(index as usize) {
                cell.vstart += shift;
                cell.vend += shift;
            }
        }
    }
    Step::Complete { raw_len, consumed }
}

#[cfg(test)]
mod tests;
