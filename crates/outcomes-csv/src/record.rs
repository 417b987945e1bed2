//! One CSV record, with the byte span of every cell.
//!
//! A [`Record`] is a reusable buffer: the reader overwrites it for each record so the hot loop
//! allocates nothing once the buffers have grown to the largest record. Cells are bytes first;
//! the record is checked for UTF-8 once, as a whole ([`Record::validate_utf8`]), and then every
//! cell's text ([`Cell::text`], [`Record::get_str`]) is a slice of it, never validated again.
//! Whether a cell is UTF-8 stays a question the rules ask per cell, because Canvas reports it
//! per cell.

use wide::u8x16;

use crate::position::{count_chars, Position, Row, Span};

/// Where one cell is: as written (for spans) and its value (for reading), in 16 bytes.
///
/// Every value is a plain range of the record's one buffer: an unquoted cell's is the cell
/// itself, a quoted one's lies between the quotes, and one with `""` inside lies unescaped
/// after the record's own bytes. So reading a value is a slice, with no case to tell apart.
/// Whether the cell was quoted needs no field of its own: only a quoted cell's value starts
/// elsewhere than the cell (so an absent cell is one with `vstart == start == end`). Offsets
/// are `u32`, which is why the reader bounds a record's size
/// ([`crate::ReaderOptions::max_record_bytes`]): four of them fit where two `usize`s and a
/// tag did, and the checker reads some 40 cells a row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellBounds {
    /// Start in the record's bytes, including the opening quote.
    pub(crate) start: u32,
    /// End in the record's bytes, including the closing quote.
    pub(crate) end: u32,
    /// Start of the value in the buffer: `start` when unquoted.
    pub(crate) vstart: u32,
    /// End of the value in the buffer.
    pub(crate) vend: u32,
}

impl CellBounds {
    /// An absent cell at the record's start: what the reader fills slots with before it
    /// stores cells into them.
    pub(crate) const ABSENT: CellBounds = CellBounds { start: 0, end: 0, vstart: 0, vend: 0 };
}

/// A set of bytes, told apart only as far as [`Record::may_start_with`] needs: `=`, `+`, `-`
/// and `@` (what a spreadsheet reads as the start of a formula) each on its own, every other
/// byte with its kind (other printable ASCII, ASCII space and control bytes, bytes outside
/// ASCII). So a check looking for cells that start with one of the four passes over a record
/// where none does at one test, without visiting its cells.
///
/// ```
/// use outcomes_csv::ByteClasses;
/// let formula = ByteClasses::of(b"=+-@");
/// assert!(!formula.intersects(ByteClasses::of(b"aZ09\"#,;\r\n \t\xC3")));
/// assert!(formula.intersects(ByteClasses::of(b"-")));
/// // A class answers for all of its bytes:
/// assert!(ByteClasses::of(b"a").intersects(ByteClasses::of(b"7")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ByteClasses(u8);

/// The class of every byte, one bit each. Seven classes, so that the reader's table of cell
/// ends holds a byte's class and whether it ends a cell in one byte.
pub(crate) const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'=' => 1,
            b'+' => 1 << 1,
            b'-' => 1 << 2,
            b'@' => 1 << 3,
            0x21..=0x7E => 1 << 4,
            0x00..=0x20 | 0x7F => 1 << 5,
            0x80..=0xFF => 1 << 6,
        };
        b += 1;
    }
    table
};

/// The bit no class has.
pub(crate) const NO_CLASS: u8 = 1 << 7;

impl ByteClasses {
    /// The empty set.
    pub const NONE: ByteClasses = ByteClasses(0);

    /// The classes of `bytes`: a set with every byte of `bytes`, and the others of their
    /// classes.
    pub const fn of(bytes: &[u8]) -> ByteClasses {
        let mut set = ByteClasses::NONE;
        let mut i = 0;
        while i < bytes.len() {
            set = set.with(bytes[i]);
            i += 1;
        }
        set
    }

    /// This set and the class of `byte`.
    #[inline]
    pub const fn with(self, byte: u8) -> ByteClasses {
        ByteClasses(self.0 | CLASS[byte as usize])
    }

    /// This set and the classes of `bits` (from [`CLASS`], with maybe [`NO_CLASS`], which
    /// no set asked about has).
    #[inline]
    pub(crate) const fn with_bits(self, bits: u8) -> ByteClasses {
        ByteClasses(self.0 | bits)
    }

    /// Whether the two sets share a class.
    #[inline]
    pub const fn intersects(self, other: ByteClasses) -> bool {
        self.0 & other.0 != 0
    }
}

/// What is known about a record's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Utf8 {
    /// Not checked yet.
    #[default]
    Unknown,
    /// Valid UTF-8: `Record::text` holds the buffer as text.
    Valid,
    /// Not UTF-8.
    Invalid,
}

/// A CSV record as Canvas sees it: its row number, its cells, and where each came from.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The buffer: the record's bytes as written (`..raw_len`), then the unescaped values of
    /// cells that had a `""`. One buffer, so that every value is a range of it and one
    /// validation covers them all.
    pub(crate) raw: Vec<u8>,
    /// A copy of the buffer once validated as UTF-8 (read instead of `raw` then), kept
    /// allocated from record to record.
    text: String,
    /// How many bytes at the start of the buffer are the record as written.
    pub(crate) raw_len: usize,
    utf8: Utf8,
    pub(crate) cells: Vec<CellBounds>,
    /// Where the tokenizer unescapes values before the record's length (and so where they go
    /// in the buffer) is known; copied to the buffer when the record is complete.
    pub(crate) unescaped: Vec<u8>,
    /// Which cells have their value in `unescaped`, so that moving those values into the buffer
    /// visits them alone (a row of 20 cells may have one).
    pub(crate) escapes: Vec<u32>,
    /// The classes of the cells' first bytes, and maybe of others (the byte after an empty
    /// cell): what [`Record::may_start_with`] answers from.
    pub(crate) firsts: ByteClasses,
    /// Offsets in `raw` just after each line break inside a quoted cell.
    pub(crate) breaks: Vec<usize>,
    pub(crate) row: Row,
    pub(crate) offset: u64,
    pub(crate) line: u64,
    pub(crate) terminator_len: usize,
    /// Characters counted at points about every [`INDEX_STEP`] bytes of the record, built on the
    /// first [`Record::position`] far into a long line: a hostile row (100,000 rating tiers, a
    /// diagnostic for each) would otherwise count its line again for every place, in quadratic
    /// time.
    char_index: std::sync::OnceLock<Vec<(usize, u64)>>,
}

/// Whether `bytes` holds a NUL byte: `bytes.contains(&0)` (the reference), for
/// [`Record::contains_nul`]. The smallest byte of each lane is kept over sixteen bytes at a
/// time (`pminub` on x86_64, through `wide`), four vectors a step, and compared with zero once,
/// at the end: about two instructions per sixteen bytes, where `memchr`'s AVX2 search (with
/// its call, its dispatch and its test after every step) cost some 115 a record. The bytes
/// after the last whole block of 64 are taken as the last 64, overlapping the block before, so
/// that a record (some 400 bytes) is one loop with no tail to finish: a tail of vectors after
/// the blocks cost a second loop and its exit, about a fifth of the search. A value shorter
/// than 64 bytes is searched sixteen bytes at a time, and one shorter than sixteen byte by byte.
fn has_nul(bytes: &[u8]) -> bool {
    let no_nul = |low: u8x16| low.cmp_eq(u8x16::ZERO).move_mask() == 0;
    if let Some(last) = bytes.last_chunk::<64>() {
        let mut low = min_of_block(last);
        for block in bytes.chunks_exact(64) {
            low = low.min(min_of_block(block));
        }
        return !no_nul(low);
    }
    let Some(last) = bytes.last_chunk::<16>() else {
        return bytes.contains(&0);
    };
    let mut low = u8x16::from(*last);
    for chunk in bytes.chunks_exact(16) {
        low = low.min(vector(chunk));
    }
    !no_nul(low)
}

/// Sixteen bytes of a chunk of sixteen as a vector.
#[inline(always)]
fn vector(chunk: &[u8]) -> u8x16 {
    u8x16::from(<[u8; 16]>::try_from(chunk).unwrap_or([u8::MAX; 16]))
}

/// The smallest byte in each lane of a block of 64 bytes.
#[inline(always)]
fn min_of_block(block: &[u8]) -> u8x16 {
    let (a, b) = block.split_at(32);
    let (a0, a1) = a.split_at(16);
    let (b0, b1) = b.split_at(16);
    vector(a0).min(vector(a1)).min(vector(b0).min(vector(b1)))
}

/// How far apart the points of `Record::char_index` are.
const INDEX_STEP: usize = 4096;

/// The points of `Record::char_index`: offsets in `raw`, each at a byte that does not continue
/// a UTF-8 sequence (so that counting characters splits there exactly), with the characters
/// before it.
fn char_index(raw: &[u8]) -> Vec<(usize, u64)> {
    let mut index = vec![(0, 0)];
    let (mut at, mut chars) = (0, 0);
    while at < raw.len() {
        let mut next = (at + INDEX_STEP).min(raw.len());
        while next < raw.len() && raw[next] & 0xC0 == 0x80 {
            next += 1;
        }
        chars += count_chars(&raw[at..next]);
        index.push((next, chars));
        at = next;
    }
    index
}

/// The characters of `raw[..rel]`, from the nearest point of `index` before `rel`.
fn chars_before(raw: &[u8], index: &[(usize, u64)], rel: usize) -> u64 {
    let point = index.partition_point(|&(at, _)| at <= rel).saturating_sub(1);
    let (at, chars) = index.get(point).copied().unwrap_or((0, 0));
    chars + count_chars(&raw[at..rel])
}

impl Record {
    /// An empty record, to be filled by [`crate::Reader::read_record`].
    pub fn new() -> Record {
        Record::default()
    }

    /// Canvas's row number of this record (the header is row 1).
    #[inline]
    pub fn row(&self) -> Row {
        self.row
    }

    /// The physical line the record starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// How many physical lines the record spans (more than one when a quoted cell holds a line
    /// break).
    pub fn line_count(&self) -> u64 {
        self.breaks.len() as u64 + 1
    }

    /// The number of cells. A blank line has none.
    #[inline]
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the record has no cells at all (an empty line).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The record's bytes as written, without its terminator.
    #[inline]
    pub fn raw(&self) -> &[u8] {
        let buf = self.buf();
        buf.get(..self.raw_len).unwrap_or(buf)
    }

    /// The whole buffer: the record's bytes, then the unescaped values.
    #[inline]
    fn buf(&self) -> &[u8] {
        &self.raw
    }

    /// Checks once whether the whole record is UTF-8 and remembers it; afterwards the text of
    /// every cell is a slice of the record, without validating again. (The unescaped values
    /// are validated with it, at no loss: they are pieces of the record cut at quotes, UTF-8
    /// exactly when the record is.) [`crate::Reader::read_record`]
    /// calls it; a caller of [`crate::Reader::read_record_raw`] calls it when it wants (on
    /// another thread, say). Returns what [`Record::is_utf8`] returns.
    ///
    /// ```
    /// use outcomes_csv::{Reader, Record};
    /// let mut reader = Reader::new(&b"caf\xC3\xA9,x\n\xE9t\xE9,y\n"[..]).unwrap();
    /// let mut record = Record::new();
    /// reader.read_record_raw(&mut record).unwrap();
    /// assert!(record.validate_utf8());
    /// assert_eq!(record.get_str(0), Some("caf\u{e9}"));
    /// reader.read_record_raw(&mut record).unwrap();
    /// assert!(!record.validate_utf8());
    /// assert_eq!(record.get_str(0), None);
    /// assert_eq!(record.get_str(1), Some("y"));
    /// ```
    #[inline]
    pub fn validate_utf8(&mut self) -> bool {
        if self.utf8 == Utf8::Unknown {
            // `simdutf8` checks 32 bytes at a time, also where the text is not ASCII (most
            // records hold an `é` or a `°` somewhere, which sends the standard library's check
            // byte by byte): a third of the cost even with the copy into `text` that follows,
            // the only way to get a `String` from bytes checked elsewhere without `unsafe`.
            match simdutf8::basic::from_utf8(&self.raw) {
                Ok(text) => {
                    self.text.clear();
                    self.text.push_str(text);
                    self.utf8 = Utf8::Valid;
                }
                Err(_) => self.utf8 = Utf8::Invalid,
            }
        }
        self.utf8 == Utf8::Valid
    }

    /// Whether every byte of the record is UTF-8 (then so is every cell). Free once
    /// [`Record::validate_utf8`] has run; otherwise it validates the bytes (without remembering).
    #[inline]
    pub fn is_utf8(&self) -> bool {
        match self.utf8 {
            Utf8::Valid => true,
            Utf8::Invalid => false,
            Utf8::Unknown => std::str::from_utf8(self.raw()).is_ok(),
        }
    }

    /// Whether any byte of the record is NUL (then some cell's value holds it). One pass
    /// over the record's bytes, a couple of instructions per sixteen, so a check looking for NUL
    /// passes over a clean record without visiting its cells.
    ///
    /// ```
    /// use outcomes_csv::{Reader, Record};
    /// let mut reader = Reader::new(&b"a,b\nx\0y,z\n"[..]).unwrap();
    /// let mut record = Record::new();
    /// reader.read_record(&mut record).unwrap();
    /// assert!(!record.contains_nul());
    /// reader.read_record(&mut record).unwrap();
    /// assert!(record.contains_nul());
    /// ```
    pub fn contains_nul(&self) -> bool {
        has_nul(self.raw())
    }

    /// The span of the record, without its terminator.
    pub fn span(&self) -> Span {
        Span::new(self.offset, self.offset + self.raw().len() as u64)
    }

    /// The span of the record including its terminator, if it has one.
    pub fn span_with_terminator(&self) -> Span {
        Span::new(self.offset, self.offset + (self.raw().len() + self.terminator_len) as u64)
    }

    /// The value of cell `index` (quotes removed, `""` unescaped), or `None` past the end.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        self.cells.get(index).map(|c| self.value_of(c))
    }

    /// The value of cell `index` as text, or `None` past the end or when the cell is not UTF-8.
    /// Costs no validation once the record is validated ([`Record::validate_utf8`]).
    #[inline]
    pub fn get_str(&self, index: usize) -> Option<&str> {
        self.cells.get(index).and_then(|c| self.text_of(c))
    }

    /// Cell `index` with its metadata, or `None` past the end of the record.
    #[inline]
    pub fn cell(&self, index: usize) -> Option<Cell<'_>> {
        self.cells.get(index).map(|bounds| Cell { record: self, bounds: *bounds })
    }

    /// The cells of `range` in order, or fewer where the record ends before it: one slice of
    /// the cells, so a reader of many cells in a row (a row's rating tiers) tests the bounds
    /// once, not once per cell as [`Record::cell`] does.
    ///
    /// ```
    /// use outcomes_csv::{Reader, Record};
    /// let mut reader = Reader::new(&b"a,b,c\n"[..]).unwrap();
    /// let mut record = Record::new();
    /// reader.read_record(&mut record).unwrap();
    /// let values: Vec<_> = record.cells_in(1..5).map(|c| c.value()).collect();
    /// assert_eq!(values, [&b"b"[..], &b"c"[..]]);
    /// assert_eq!(record.cells_in(4..6).len(), 0);
    /// ```
    #[inline]
    pub fn cells_in(&self, range: std::ops::Range<usize>) -> impl ExactSizeIterator<Item = Cell<'_>> + '_ {
        let end = range.end.min(self.cells.len());
        let cells = self.cells.get(range.start.min(end)..end).unwrap_or_default();
        cells.iter().map(move |bounds| Cell { record: self, bounds: *bounds })
    }

    /// All cells in order.
    #[inline]
    pub fn cells(&self) -> impl ExactSizeIterator<Item = Cell<'_>> + '_ {
        self.cells.iter().map(move |bounds| Cell { record: self, bounds: *bounds })
    }

    /// The first byte of every cell's value, in order (`None` for an empty value): what a check
    /// that looks for cells starting in a certain way needs, at a few instructions a cell.
    ///
    /// ```
    /// use outcomes_csv::{Reader, Record};
    /// let mut reader = Reader::new(&b"=1,\"\",\"\"\"q\"\"\",x\n"[..]).unwrap();
    /// let mut record = Record::new();
    /// reader.read_record(&mut record).unwrap();
    /// let firsts: Vec<_> = record.first_bytes().collect();
    /// assert_eq!(firsts, [Some(b'='), None, Some(b'"'), Some(b'x')]);
    /// ```
    pub fn first_bytes(&self) -> impl ExactSizeIterator<Item = Option<u8>> + '_ {
        let buf = self.buf();
        self.cells.iter().map(move |c| if c.vstart < c.vend { buf.get(c.vstart as usize).copied() } else { None })
    }

    /// Whether the value of some cell may start with a byte of `set`: when it says no, none does
    /// (it may say yes when none does). Free: the reader notes the classes of the first bytes
    /// as it reads the record, so a check looking for cells that start in a certain way tests
    /// this before it visits the cells ([`Record::first_bytes`]).
    ///
    /// ```
    /// use outcomes_csv::{ByteClasses, Reader, Record};
    /// let formula = ByteClasses::of(b"=+-@");
    /// let mut reader = Reader::new(&b"a,\"b\"\n1,\"=2\"\n"[..]).unwrap();
    /// let mut record = Record::new();
    /// reader.read_record(&mut record).unwrap();
    /// assert!(!record.may_start_with(formula));
    /// reader.read_record(&mut record).unwrap();
    /// assert!(record.may_start_with(formula));
    /// ```
    #[inline]
    pub fn may_start_with(&self, set: ByteClasses) -> bool {
        self.firsts.intersects(set)
    }

    /// The human position of an absolute byte offset inside this record (or just past it).
    ///
    /// Inlined, with the counting out of line in a function that returns the line and column in
    /// registers, so that a caller that keeps the position stores it straight where it goes.
    /// Returned through memory (a `Position` is too large for registers), it was copied from
    /// the stack right after the callee wrote it there, by loads wider than the stores; such a
    /// load waits until every older store has reached the cache, hundreds of cycles when those
    /// stores miss it (measured in a checker of a million rows).
    #[inline]
    pub fn position(&self, offset: u64) -> Position {
        let (line, column) = self.line_and_column(offset);
        Position { offset, line, column }
    }

    /// The line and column of [`Record::position`].
    fn line_and_column(&self, offset: u64) -> (u64, u64) {
        let raw = self.raw();
        let rel = offset.saturating_sub(self.offset).min(raw.len() as u64) as usize;
        let before = self.breaks.partition_point(|&b| b <= rel);
        let line_start = if before == 0 { 0 } else { self.breaks[before - 1] };
        let column = if rel - line_start <= INDEX_STEP {
            count_chars(&raw[line_start..rel])
        } else {
            // `line_start` follows a line break, where counting splits exactly.
            let index = self.char_index.get_or_init(|| char_index(raw));
            chars_before(raw, index, rel) - chars_before(raw, index, line_start)
        };
        (self.line + before as u64, column + 1)
    }

    #[inline]
    fn value_of(&self, c: &CellBounds) -> &[u8] {
        self.buf().get(c.vstart as usize..c.vend as usize).unwrap_or_default()
    }

    #[inline]
    fn text_of(&self, c: &CellBounds) -> Option<&str> {
        let value = c.vstart as usize..c.vend as usize;
        if self.utf8 == Utf8::Valid {
            // Values start and end at ASCII bytes (separators, quotes, line breaks) or where
            // one appended value meets another, so on character boundaries of the text.
            self.text.get(value)
        } else {
            std::str::from_utf8(self.raw.get(value)?).ok()
        }
    }

    /// Forgets what was known of the encoding before the reader refills the buffer.
    pub(crate) fn reclaim(&mut self) {
        self.utf8 = Utf8::Unknown;
    }

    /// Forgets the cells' places before the reader tokenizes a record. The cells themselves
    /// are left for the tokenizer, which overwrites them in place.
    pub(crate) fn clear(&mut self) {
        self.char_index = std::sync::OnceLock::new();
        self.unescaped.clear();
        self.escapes.clear();
        self.breaks.clear();
    }
}

/// One cell of a [`Record`].
#[derive(Debug, Clone, Copy)]
pub struct Cell<'r> {
    record: &'r Record,
    bounds: CellBounds,
}

impl<'r> Cell<'r> {
    /// The value: quotes removed and `""` turned into `"`.
    #[inline]
    pub fn value(&self) -> &'r [u8] {
        self.record.value_of(&self.bounds)
    }

    /// The value as text, or `None` when it is not UTF-8. Costs no validation once the record
    /// is validated ([`Record::validate_utf8`]).
    #[inline]
    pub fn text(&self) -> Option<&'r str> {
        self.record.text_of(&self.bounds)
    }

    /// The cell as written, quotes included.
    #[inline]
    pub fn raw(&self) -> &'r [u8] {
        self.record.raw().get(self.bounds.start as usize..self.bounds.end as usize).unwrap_or_default()
    }

    /// Whether the cell was written in quotes.
    #[inline]
    pub fn is_quoted(&self) -> bool {
        self.bounds.vstart != self.bounds.start
    }

    /// Whether the cell is *absent* in Canvas's sense: empty and unquoted (Ruby's `nil`).
    #[inline]
    pub fn is_absent(&self) -> bool {
        !self.is_quoted() && self.bounds.start == self.bounds.end
    }

    /// The span of the cell as written, quotes included.
    pub fn span(&self) -> Span {
        let base = self.record.offset;
        Span::new(base + self.bounds.start as u64, base + self.bounds.end as u64)
    }

    /// The human position where the cell starts.
    #[inline]
    pub fn position(&self) -> Position {
        self.record.position(self.span().start)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::has_nul;

    proptest! {
        /// The vector search agrees with the plain one, at every length (whole blocks of 64,
        /// vectors of 16 after them, the overlapping last 16, under 16) and wherever a NUL is.
        #[test]
        fn has_nul_is_contains_nul(
            bytes in proptest::collection::vec(prop_oneof![Just(0u8), Just(1u8), Just(b'a'), Just(0x80u8), Just(0xFFu8), any::<u8>()], 0..300),
        ) {
            prop_assert_eq!(has_nul(&bytes), bytes.contains(&0));
        }
    }

    /// One NUL at each place of values of many lengths, among bytes that are not NUL.
    #[test]
    fn has_nul_finds_a_nul_anywhere() {
        for len in 0..200 {
            let clean = vec![0xFF; len];
            assert!(!has_nul(&clean), "{len}");
            for at in 0..len {
                let mut bytes = clean.clone();
                bytes[at] = 0;
                assert!(has_nul(&bytes), "{len} {at}");
            }
        }
    }
}
