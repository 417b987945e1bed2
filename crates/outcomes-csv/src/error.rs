//! Errors from reading a file: I/O, CSV syntax, and our own size limits.

use crate::position::{Position, Row};
use thiserror::Error;

/// Which rule of Ruby's strict CSV syntax a file breaks. Any of them makes Canvas reject the whole
/// file with `Invalid CSV File`; we say which one and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyntaxErrorKind {
    /// A `"` inside a cell that does not start with one (`ab"c`).
    StrayQuote,
    /// Something other than a separator or a line end right after a closing quote (`"ab"c`).
    TextAfterQuote,
    /// A quoted cell that is never closed.
    UnclosedQuote,
    /// A line break outside quotes that differs from the file's row terminator.
    MixedLineEnding,
}

impl SyntaxErrorKind {
    /// A one-line description for people.
    pub fn describe(self) -> &'static str {
        match self {
            SyntaxErrorKind::StrayQuote => "a quote inside a cell that is not quoted",
            SyntaxErrorKind::TextAfterQuote => "text after a closing quote",
            SyntaxErrorKind::UnclosedQuote => "a quoted cell that is never closed",
            SyntaxErrorKind::MixedLineEnding => "a line ending that differs from the file's first one",
        }
    }
}

/// A CSV syntax error: what, where (byte, line, column) and in which record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} at line {}, column {}", kind.describe(), position.line, position.column)]
pub struct SyntaxError {
    /// What is wrong.
    pub kind: SyntaxErrorKind,
    /// Where: for an unclosed quote, the opening quote; otherwise the offending byte.
    pub position: Position,
    /// The Canvas row of the record the error is in.
    pub row: Row,
    /// The offending byte, when there is one (the stray quote, the stray `\r`...).
    pub byte: Option<u8>,
}

/// Why a record could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// Reading the underlying source failed.
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The file breaks Ruby's strict CSV syntax; Canvas rejects it as a whole.
    #[error("invalid CSV: {0}")]
    Syntax(#[from] SyntaxError),
    /// One record is larger than [`crate::ReaderOptions::max_record_bytes`]. We stop rather than
    /// hold an unbounded amount of memory; the limit can be raised.
    #[error("record {row} starting at line {line} is larger than the limit of {limit} bytes")]
    RecordTooLarge {
        /// The row the record would have.
        row: Row,
        /// The line it starts on.
        line: u64,
        /// The limit in force.
        limit: usize,
    },
    /// One record has more cells than [`crate::ReaderOptions::max_cells`]. We stop rather than
    /// hold gigabytes of cell bounds; the limit grows with the record limit.
    #[error("record {row} starting at line {line} has more than {limit} cells")]
    TooManyCells {
        /// The row the record would have.
        row: Row,
        /// The line it starts on.
        line: u64,
        /// The limit in force.
        limit: usize,
    },
}
