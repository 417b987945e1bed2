//! One CSV record, with the byte span of every cell.
//!
//! A [`Record`] is a reusable buffer: the reader overwrites it for each record so the hot loop
//! allocates nothing once the buffers have grown to the largest record. Cells stay bytes; whether
//! they are valid UTF-8 is a question the rules ask, because Canvas reports it per cell.

use crate::position::{count_chars, Position, Row, Span};

/// How a cell was written, which matters to Canvas: an empty *unquoted* cell is "absent"
/// (`nil` in Ruby) while `""` is an empty string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// Written bare.
    Unquoted,
    /// Written in quotes with no doubled quote inside: the value is the raw bytes between them.
    Quoted,
    /// Written in quotes with `""` inside: the value lives unescaped in `Record::unescaped`.
    Escaped { start: usize, end: usize },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct CellBounds {
    /// Start in `Record::raw`, including the opening quote.
    pub(crate) start: usize,
    /// End in `Record::raw`, including the closing quote.
    pub(crate) end: usize,
    pub(crate) quoting: Quoting,
}

/// A CSV record as Canvas sees it: its row number, its cells, and where each came from.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub(crate) raw: Vec<u8>,
    pub(crate) cells: Vec<CellBounds>,
    pub(crate) unescaped: Vec<u8>,
    /// Offsets in `raw` just after each line break inside a quoted cell.
    pub(crate) breaks: Vec<usize>,
    pub(crate) row: Row,
    pub(crate) offset: u64,
    pub(crate) line: u64,
    pub(crate) terminator_len: usize,
}

impl Record {
    /// An empty record, to be filled by [`crate::Reader::read_record`].
    pub fn new() -> Record {
        Record::default()
    }

    /// Canvas's row number of this record (the header is row 1).
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
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the record has no cells at all (an empty line).
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The record's bytes as written, without its terminator.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The span of the record, without its terminator.
    pub fn span(&self) -> Span {
        Span::new(self.offset, self.offset + self.raw.len() as u64)
    }

    /// The span of the record including its terminator, if it has one.
    pub fn span_with_terminator(&self) -> Span {
        Span::new(self.offset, self.offset + (self.raw.len() + self.terminator_len) as u64)
    }

    /// The value of cell `index` (quotes removed, `""` unescaped), or `None` past the end.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        self.cells.get(index).map(|c| self.value_of(c))
    }

    /// Cell `index` with its metadata, or `None` past the end of the record.
    pub fn cell(&self, index: usize) -> Option<Cell<'_>> {
        self.cells.get(index).map(|bounds| Cell { record: self, bounds: *bounds })
    }

    /// All cells in order.
    pub fn cells(&self) -> impl ExactSizeIterator<Item = Cell<'_>> + '_ {
        self.cells.iter().map(move |bounds| Cell { record: self, bounds: *bounds })
    }

    /// The human position of an absolute byte offset inside this record (or just past it).
    pub fn position(&self, offset: u64) -> Position {
        let rel = offset.saturating_sub(self.offset).min(self.raw.len() as u64) as usize;
        let before = self.breaks.partition_point(|&b| b <= rel);
        let line_start = if before == 0 { 0 } else { self.breaks[before - 1] };
        Position { offset, line: self.line + before as u64, column: count_chars(&self.raw[line_start..rel]) + 1 }
    }

    fn value_of(&self, c: &CellBounds) -> &[u8] {
        match c.quoting {
            Quoting::Unquoted => &self.raw[c.start..c.end],
            Quoting::Quoted => &self.raw[c.start + 1..c.end - 1],
            Quoting::Escaped { start, end } => &self.unescaped[start..end],
        }
    }

    pub(crate) fn clear(&mut self) {
        self.cells.clear();
        self.unescaped.clear();
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
    pub fn value(&self) -> &'r [u8] {
        self.record.value_of(&self.bounds)
    }

    /// The cell as written, quotes included.
    pub fn raw(&self) -> &'r [u8] {
        &self.record.raw[self.bounds.start..self.bounds.end]
    }

    /// Whether the cell was written in quotes.
    pub fn is_quoted(&self) -> bool {
        !matches!(self.bounds.quoting, Quoting::Unquoted)
    }

    /// Whether the cell is *absent* in Canvas's sense: empty and unquoted (Ruby's `nil`).
    pub fn is_absent(&self) -> bool {
        !self.is_quoted() && self.bounds.start == self.bounds.end
    }

    /// The span of the cell as written, quotes included.
    pub fn span(&self) -> Span {
        let base = self.record.offset;
        Span::new(base + self.bounds.start as u64, base + self.bounds.end as u64)
    }

    /// The human position where the cell starts.
    pub fn position(&self) -> Position {
        self.record.position(self.span().start)
    }
}
