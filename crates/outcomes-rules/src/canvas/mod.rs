//! Canvas's outcome import, checked offline: the verdict and `processing_errors` it would end with.
//!
//! The driver reproduces how Canvas walks a file: records are taken in slices of 1000 (the header
//! is record 1 of the first), a whole slice is parsed before any of its rows is checked, and a
//! file-level failure discards the errors of the slice it happens in.

mod calculation;
mod header;
mod number;
mod row;
mod state;

use std::io::Read;

use outcomes_csv::{Dialect, ReadError, Reader, Record, Row};
use serde::Serialize;

use crate::diagnostic::{CanvasError, Diagnostic, Related};
use crate::options::CanvasOptions;
use crate::registry::{Rule, Scope};

pub use calculation::{valid_range, METHODS};
pub use number::parse_number;

/// What Canvas writes when its importer crashes; the real message ends in an error-report id that
/// only Canvas knows, so we leave it out.
pub const UNEXPECTED_ERROR: &str = "An unexpected error has occurred: see error report";

/// How many records Canvas parses before checking them.
pub const BATCH_SIZE: u64 = 1000;

/// The state an import ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowState {
    /// The import ran; rows with errors were skipped.
    Succeeded,
    /// The import failed as a whole.
    Failed,
}

/// What Canvas's outcome import API would show for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanvasReport {
    /// `succeeded` or `failed`.
    pub workflow_state: WorkflowState,
    /// Every `[row, message]` pair, sorted by row (stable).
    pub processing_errors: Vec<CanvasError>,
}

impl CanvasReport {
    /// The report as Canvas's JSON: `{"workflow_state": ..., "processing_errors": [[row, msg], ...]}`,
    /// cut to the first `limit` errors when given (the API shows 25).
    pub fn to_json(&self, limit: Option<usize>) -> serde_json::Value {
        let errors: Vec<_> = self
            .processing_errors
            .iter()
            .take(limit.unwrap_or(usize::MAX))
            .map(|e| serde_json::json!([e.row, e.message]))
            .collect();
        serde_json::json!({ "workflow_state": self.workflow_state, "processing_errors": errors })
    }
}

/// Why a file could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// Reading failed.
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    /// A record exceeds our memory limit; Canvas's verdict cannot be known without reading it.
    #[error("record {row} (line {line}) is larger than the limit of {limit} bytes; the file was not checked")]
    RecordTooLarge {
        /// The record's row.
        row: Row,
        /// Its first line.
        line: u64,
        /// The limit.
        limit: usize,
    },
}

/// The result of checking one file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every finding, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// How the file is framed (absent for an empty file).
    pub dialect: Option<Dialect>,
    /// How many records were read (the header included).
    pub records: u64,
    /// Data rows Canvas would import.
    pub imported: u64,
    /// Data rows Canvas would skip because of an error.
    pub skipped: u64,
    /// Blank data rows (skipped silently).
    pub blank: u64,
}

impl Checked {
    /// Canvas's verdict and `processing_errors`.
    pub fn canvas_report(&self) -> CanvasReport {
        let mut errors: Vec<&CanvasError> = self.diagnostics.iter().filter_map(|d| d.canvas.as_ref()).collect();
        errors.sort_by_key(|e| e.row);
        CanvasReport {
            workflow_state: if self.file_failure().is_some() { WorkflowState::Failed } else { WorkflowState::Succeeded },
            processing_errors: errors.into_iter().cloned().collect(),
        }
    }

    /// The diagnostic that makes Canvas fail the whole import, if any.
    pub fn file_failure(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.canvas.is_some() && d.rule.scope() == Scope::File)
    }
}

/// Checks a whole file held in memory.
pub fn check_bytes(bytes: &[u8], options: &CanvasOptions) -> Checked {
    match check_reader(bytes, options) {
        Ok(checked) => checked,
        // Reading from a slice cannot fail, and a slice larger than the record limit is the only
        // other error; report it as the file-level finding it is.
        Err(e) => Checked {
            diagnostics: vec![Diagnostic::new(Rule::InvalidCsv, e.to_string())],
            dialect: None,
            records: 0,
            imported: 0,
            skipped: 0,
            blank: 0,
        },
    }
}

/// Checks a file streamed from `source`, holding one record (and the guids seen) in memory.
pub fn check_reader<R: Read>(source: R, options: &CanvasOptions) -> Result<Checked, CheckError> {
    let mut run = Run::new(options);
    run.drive(source)?;
    Ok(run.finish())
}

/// One check of one file.
struct Run<'o> {
    options: &'o CanvasOptions,
    diagnostics: Vec<Diagnostic>,
    dialect: Option<Dialect>,
    records: u64,
    imported: u64,
    skipped: u64,
    blank: u64,
    state: state::ImportState,
    /// Row errors of the slice being read; they stand only if the slice completes.
    pending: Vec<Diagnostic>,
    pending_imported: u64,
    pending_skipped: u64,
    pending_blank: u64,
    /// The first failure of this slice that fails the import (a header error or a crash).
    slice_failure: Option<Diagnostic>,
}

impl<'o> Run<'o> {
    fn new(options: &'o CanvasOptions) -> Run<'o> {
        Run {
            options,
            diagnostics: Vec::new(),
            dialect: None,
            records: 0,
            imported: 0,
            skipped: 0,
            blank: 0,
            state: state::ImportState::default(),
            pending: Vec::new(),
            pending_imported: 0,
            pending_skipped: 0,
            pending_blank: 0,
            slice_failure: None,
        }
    }

    fn drive<R: Read>(&mut self, source: R) -> Result<(), CheckError> {
        let mut reader = Reader::new(source).map_err(read_error)?;
        if reader.is_empty_file() {
            self.fail(Diagnostic::new(Rule::EmptyFile, "File has no data").with_row(1).reported_by_canvas_at(1));
            return Ok(());
        }
        let dialect = reader.dialect();
        self.dialect = Some(dialect);
        let mut record = Record::new();
        let mut columns = None;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(ReadError::Syntax(e)) => {
                    self.discard_slice();
                    self.fail(syntax_diagnostic(&e, dialect));
                    return Ok(());
                }
                Err(e) => return Err(read_error(e)),
            }
            self.records = record.row();
            if record.row() == 1 {
                match header::check_header(&record) {
                    Ok(c) => columns = Some(c),
                    Err(d) => self.slice_failure = Some(d),
                }
            } else if let (Some(columns), None) = (&columns, &self.slice_failure) {
                match row::check_row(&record, columns, &mut self.state, self.options) {
                    row::RowVerdict::Blank => self.pending_blank += 1,
                    row::RowVerdict::Imported => self.pending_imported += 1,
                    row::RowVerdict::Rejected(ds) => {
                        self.pending_skipped += 1;
                        self.pending.extend(ds);
                    }
                    row::RowVerdict::Crash(d) => self.slice_failure = Some(d),
                }
            }
            if record.row() % BATCH_SIZE == 0 && self.end_slice() {
                return Ok(());
            }
        }
        if self.records % BATCH_SIZE != 0 {
            self.end_slice();
        }
        Ok(())
    }

    /// Ends a slice as Canvas does. Returns whether the import has failed.
    fn end_slice(&mut self) -> bool {
        if let Some(failure) = self.slice_failure.take() {
            self.discard_slice();
            self.fail(failure);
            return true;
        }
        if self.records == 1 {
            self.fail(
                Diagnostic::new(Rule::NoOutcomesData, "File has no outcomes data").with_row(1).reported_by_canvas_at(1),
            );
            return true;
        }
        self.diagnostics.append(&mut self.pending);
        self.imported += std::mem::take(&mut self.pending_imported);
        self.skipped += std::mem::take(&mut self.pending_skipped);
        self.blank += std::mem::take(&mut self.pending_blank);
        false
    }

    fn discard_slice(&mut self) {
        self.pending.clear();
        self.pending_imported = 0;
        self.pending_skipped = 0;
        self.pending_blank = 0;
    }

    fn fail(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn finish(self) -> Checked {
        Checked {
            diagnostics: self.diagnostics,
            dialect: self.dialect,
            records: self.records,
            imported: self.imported,
            skipped: self.skipped,
            blank: self.blank,
        }
    }
}

fn read_error(e: ReadError) -> CheckError {
    match e {
        ReadError::Io(e) => CheckError::Io(e),
        ReadError::RecordTooLarge { row, line, limit } => CheckError::RecordTooLarge { row, line, limit },
        // Syntax errors are handled where records are read; this arm keeps the match total.
        ReadError::Syntax(e) => CheckError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
    }
}

fn syntax_diagnostic(e: &outcomes_csv::SyntaxError, dialect: Dialect) -> Diagnostic {
    use outcomes_csv::SyntaxErrorKind as K;
    let span = outcomes_csv::Span::new(e.position.offset, e.position.offset + 1);
    let note = match e.kind {
        K::StrayQuote => "Ruby's CSV parser allows a quote only at the start of a cell; Canvas rejects the whole file.".to_owned(),
        K::TextAfterQuote => "After a closing quote, only the separator or the end of the line may follow; Canvas rejects the whole file.".to_owned(),
        K::UnclosedQuote => "This quote opens a quoted cell that runs to the end of the file; Canvas rejects the whole file.".to_owned(),
        K::MixedLineEnding => format!(
            "The file's first line ends with {}, so every line must; Canvas rejects the whole file.",
            dialect.terminator.describe()
        ),
    };
    let mut d = Diagnostic::new(Rule::InvalidCsv, "Invalid CSV File")
        .with_row(e.row)
        .reported_by_canvas_at(1)
        .at(span, e.position)
        .with_note(format!("{} at line {}, column {}. {note}", capitalize(e.kind.describe()), e.position.line, e.position.column));
    if e.kind == K::MixedLineEnding {
        if let Some(offset) = dialect.terminator_offset {
            d = d.with_related(Related {
                message: format!("the first line ending, {}, is here", dialect.terminator.describe()),
                row: Some(1),
                span: Some(outcomes_csv::Span::new(offset, offset + dialect.terminator.as_bytes().len() as u64)),
                position: None,
            });
        }
    }
    d
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
