//! Canvas's outcome import, checked offline: the verdict and `processing_errors` it would end with.
//!
//! The driver reproduces how Canvas walks a file: records are taken in slices of 1000 (the header
//! is record 1 of the first), a whole slice is parsed before any of its rows is checked, and a
//! file-level failure discards the errors of the slice it happens in.

mod calculation;
mod header;
mod items;
mod number;
mod row;
mod state;

use std::io::Read;

use outcomes_csv::{Dialect, Item, ReadError, Reader, ReaderOptions, Record, Row};
use serde::Serialize;

use crate::diagnostic::{CanvasError, Diagnostic, Related};
use crate::lints::{Lint, LintSelection};
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
    /// The file could not be opened.
    #[error("{}: {source}", path.display())]
    Open {
        /// The path given.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
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

/// The result of checking one file: every diagnostic and the summary.
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
    fn new(diagnostics: Vec<Diagnostic>, summary: Summary) -> Checked {
        Checked {
            diagnostics,
            dialect: summary.dialect,
            records: summary.records,
            imported: summary.imported,
            skipped: summary.skipped,
            blank: summary.blank,
        }
    }

    /// Canvas's verdict and `processing_errors`.
    pub fn canvas_report(&self) -> CanvasReport {
        let mut errors: Vec<&CanvasError> = self.diagnostics.iter().filter_map(|d| d.canvas.as_ref()).collect();
        errors.sort_by_key(|e| e.row);
        CanvasReport {
            workflow_state: if self.file_failure().is_some() {
                WorkflowState::Failed
            } else {
                WorkflowState::Succeeded
            },
            processing_errors: errors.into_iter().cloned().collect(),
        }
    }

    /// Whether Canvas would report anything at all (a skipped row or a failed import).
    pub fn has_canvas_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.canvas.is_some())
    }

    /// The diagnostic that makes Canvas fail the whole import, if any.
    pub fn file_failure(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.canvas.is_some() && d.rule.scope() == Scope::File)
    }
}

/// What Canvas would import from a file, with every diagnostic: see [`Checker::import`].
#[derive(Debug, Clone)]
pub struct Import {
    /// The groups and outcomes Canvas would create or update, in file order. When the import
    /// fails part-way, these are the rows of the 1000-record slices Canvas completed before the
    /// failure: they were created before it stopped.
    pub items: Vec<Item>,
    /// Every finding and the counts.
    pub checked: Checked,
}

/// Something the checker found while streaming a file.
#[derive(Debug, Clone)]
pub enum Event {
    /// A group or outcome Canvas would import (only when asked for with
    /// [`Checker::with_items`]). Delivered when its 1000-record slice is complete, because a
    /// syntax error later in the slice means Canvas imports nothing of it.
    Item(Item),
    /// A finding.
    Diagnostic(Diagnostic),
}

/// Counts and verdict of one checked file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
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
    /// Whether Canvas would fail the whole import.
    pub failed: bool,
}

/// Checks files with one set of account options.
///
/// ```
/// use outcomes_rules::{CanvasOptions, Checker, Event};
/// let file = "title,vendor_guid,object_type,parent_guids\nMath,math,group,\nAdd,add,outcome,math\n";
/// let mut items = Vec::new();
/// let summary = Checker::new(CanvasOptions::default())
///     .with_items(true)
///     .run(file.as_bytes(), |event| {
///         if let Event::Item(item) = event {
///             items.push(item);
///         }
///     })
///     .unwrap();
/// assert_eq!(summary.imported, 2);
/// assert_eq!(items[1].vendor_guid(), "add");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Checker {
    options: CanvasOptions,
    build_items: bool,
    lints: LintSelection,
    limits: ReaderOptions,
}

impl Checker {
    /// A checker for an account with these settings; lints on by default, no typed items.
    pub fn new(options: CanvasOptions) -> Checker {
        Checker { options, build_items: false, lints: LintSelection::default(), limits: ReaderOptions::default() }
    }

    /// Memory limits for reading (the largest record buffered).
    pub fn with_limits(mut self, limits: ReaderOptions) -> Checker {
        self.limits = limits;
        self
    }

    /// Whether to build typed [`Item`]s for imported rows.
    pub fn with_items(mut self, build: bool) -> Checker {
        self.build_items = build;
        self
    }

    /// Which lints (rules beyond Canvas's own) run. Canvas's checks always run: its verdict does
    /// not depend on what you choose to see.
    pub fn with_lints(mut self, lints: LintSelection) -> Checker {
        self.lints = lints;
        self
    }

    /// The account options.
    pub fn options(&self) -> &CanvasOptions {
        &self.options
    }

    /// Streams `source`, calling `on_event` for every finding (and item). Memory stays bounded
    /// by the largest record, one slice of findings, and the guids seen.
    pub fn run<R: Read>(&self, source: R, mut on_event: impl FnMut(Event)) -> Result<Summary, CheckError> {
        let mut run = Run::new(self, &mut on_event);
        run.drive(source)?;
        Ok(run.finish())
    }

    /// Checks the file at `path`, streaming it from disk.
    ///
    /// ```
    /// use outcomes_rules::{CanvasOptions, Checker};
    /// let dir = std::env::temp_dir().join(format!("outcomes-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("outcomes.csv");
    /// std::fs::write(&path, "title,vendor_guid,object_type\nMath,math,group\n").unwrap();
    /// let checked = Checker::new(CanvasOptions::default()).check_path(&path).unwrap();
    /// assert!(checked.canvas_report().processing_errors.is_empty());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn check_path(&self, path: impl AsRef<std::path::Path>) -> Result<Checked, CheckError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| CheckError::Open { path: path.to_owned(), source })?;
        self.check(file)
    }

    /// Checks a file already in memory. Cannot fail: no record limit applies to bytes that are
    /// already held.
    ///
    /// ```
    /// use outcomes_rules::{CanvasOptions, Checker, WorkflowState};
    /// let checked = Checker::new(CanvasOptions::default()).check_bytes(b"");
    /// assert_eq!(checked.canvas_report().workflow_state, WorkflowState::Failed);
    /// ```
    pub fn check_bytes(&self, bytes: &[u8]) -> Checked {
        let unlimited = self.clone().with_limits(ReaderOptions { max_record_bytes: usize::MAX });
        let mut diagnostics = Vec::new();
        let mut sink = |event| {
            if let Event::Diagnostic(d) = event {
                diagnostics.push(d);
            }
        };
        let mut run = Run::new(&unlimited, &mut sink);
        // Reading a slice performs no I/O, and no record exceeds an unlimited limit.
        let _ = run.drive(bytes);
        let summary = run.finish();
        Checked::new(diagnostics, summary)
    }

    /// Checks `source` and collects what Canvas would import along with every diagnostic: the
    /// one call an importer needs.
    ///
    /// ```
    /// use outcomes_csv::Item;
    /// use outcomes_rules::{CanvasOptions, Checker};
    /// let file = "vendor_guid,object_type,title,parent_guids,mastery_points,ratings,,,\n\
    ///             math,group,Mathematics,,,,,,\n\
    ///             add,outcome,Addition,math,3,4,Exceeds,3,Meets\n";
    /// let import = Checker::new(CanvasOptions::default()).import(file.as_bytes()).unwrap();
    /// assert!(import.checked.canvas_report().processing_errors.is_empty());
    /// let Item::Outcome(addition) = &import.items[1] else { panic!("an outcome") };
    /// assert_eq!(addition.parent_guids, ["math"]);
    /// assert_eq!(addition.mastery_points, Some(3.0));
    /// assert_eq!(addition.ratings[0].points, 4.0);
    /// ```
    pub fn import<R: Read>(&self, source: R) -> Result<Import, CheckError> {
        let mut diagnostics = Vec::new();
        let mut items = Vec::new();
        let checker = self.clone().with_items(true);
        let summary = checker.run(source, |event| match event {
            Event::Item(item) => items.push(item),
            Event::Diagnostic(d) => diagnostics.push(d),
        })?;
        Ok(Import { items, checked: Checked::new(diagnostics, summary) })
    }

    /// Checks `source` and collects every diagnostic.
    pub fn check<R: Read>(&self, source: R) -> Result<Checked, CheckError> {
        let mut diagnostics = Vec::new();
        let summary = self.run(source, |event| {
            if let Event::Diagnostic(d) = event {
                diagnostics.push(d);
            }
        })?;
        Ok(Checked::new(diagnostics, summary))
    }
}

/// Checks a whole file held in memory with default lints (see [`Checker::check_bytes`]).
///
/// ```
/// use outcomes_rules::{check_bytes, CanvasOptions};
/// let checked = check_bytes(b"title,vendor_guid,object_type\nMath,math,giraffe\n", &CanvasOptions::default());
/// let report = checked.canvas_report();
/// assert_eq!(report.processing_errors[0].message, "Invalid object_type: \"giraffe\"");
/// assert_eq!(report.processing_errors[0].row, 2);
/// ```
pub fn check_bytes(bytes: &[u8], options: &CanvasOptions) -> Checked {
    Checker::new(options.clone()).check_bytes(bytes)
}

/// Checks a file streamed from `source` with default lints.
pub fn check_reader<R: Read>(source: R, options: &CanvasOptions) -> Result<Checked, CheckError> {
    Checker::new(options.clone()).check(source)
}

/// One check of one file.
struct Run<'c, 'e> {
    checker: &'c Checker,
    emit: &'e mut dyn FnMut(Event),
    summary: Summary,
    state: state::ImportState,
    lints: Vec<Box<dyn Lint>>,
    /// Row errors and items of the slice being read; they stand only if the slice completes.
    pending: Vec<Event>,
    pending_counts: (u64, u64, u64),
    /// "Parent not found" errors, held to the end to say where the parent really is.
    deferred: Vec<Diagnostic>,
    /// The first group row of every guid, wherever it is in the file.
    group_rows: std::collections::HashMap<Box<str>, (Row, outcomes_csv::Span, outcomes_csv::Position)>,
    /// The first failure of this slice that fails the import (a header error or a crash).
    slice_failure: Option<Diagnostic>,
}

impl<'c, 'e> Run<'c, 'e> {
    fn new(checker: &'c Checker, emit: &'e mut dyn FnMut(Event)) -> Run<'c, 'e> {
        Run {
            checker,
            emit,
            summary: Summary::default(),
            state: state::ImportState::default(),
            lints: crate::lints::enabled(&checker.lints, &checker.options),
            pending: Vec::new(),
            pending_counts: (0, 0, 0),
            deferred: Vec::new(),
            group_rows: std::collections::HashMap::new(),
            slice_failure: None,
        }
    }

    fn drive<R: Read>(&mut self, source: R) -> Result<(), CheckError> {
        let head = std::cell::RefCell::new(Vec::new());
        let mut reader =
            Reader::with_options(Head { inner: source, head: &head }, self.checker.limits).map_err(read_error)?;
        // The reader has read at least the first line; the lints that judge the encoding look at
        // these bytes before anything is parsed.
        let mut lint_out = Vec::new();
        let head = head.take();
        for lint in &mut self.lints {
            lint.file_start(&head, &mut lint_out);
        }
        for d in lint_out.drain(..) {
            (self.emit)(Event::Diagnostic(d));
        }
        if reader.is_empty_file() {
            self.fail(Diagnostic::new(Rule::EmptyFile, "File has no data").with_row(1).reported_by_canvas_at(1));
            return Ok(());
        }
        let dialect = reader.dialect();
        self.summary.dialect = Some(dialect);
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
            self.summary.records = record.row();
            if record.row() == 1 {
                match header::check_header(&record) {
                    Ok(c) => columns = Some(c),
                    Err(d) => self.slice_failure = Some(*d),
                }
                for lint in &mut self.lints {
                    lint.header(&record, columns.as_ref(), &mut lint_out);
                }
            } else if let Some(columns) = &columns {
                let view = crate::view::RowView { record: &record, columns };
                let mut imported = false;
                if self.slice_failure.is_none() {
                    imported = self.check_row(&view);
                }
                self.note_group_definition(&view);
                if !self.lints.is_empty() {
                    let facts = crate::lints::RowFacts::default();
                    let cx = crate::lints::RowContext { view, options: &self.checker.options, imported, facts: &facts };
                    for lint in &mut self.lints {
                        lint.row(&cx, &mut lint_out);
                    }
                }
            }
            for d in lint_out.drain(..) {
                (self.emit)(Event::Diagnostic(d));
            }
            if record.row() % BATCH_SIZE == 0 && self.end_slice() {
                return Ok(());
            }
        }
        if self.summary.records % BATCH_SIZE != 0 {
            self.end_slice();
        }
        Ok(())
    }

    /// Runs Canvas's checks on a data row; returns whether Canvas imports it.
    fn check_row(&mut self, view: &crate::view::RowView<'_>) -> bool {
        let verdict =
            row::check_row(view.record, view.columns, &mut self.state, &self.checker.options, self.checker.build_items);
        match verdict {
            row::RowVerdict::Blank => self.pending_counts.2 += 1,
            row::RowVerdict::Imported(item) => {
                self.pending_counts.0 += 1;
                self.pending.extend(item.map(Event::Item));
                return true;
            }
            row::RowVerdict::Rejected(ds) => {
                self.pending_counts.1 += 1;
                self.pending.extend(ds.into_iter().map(Event::Diagnostic));
            }
            row::RowVerdict::Crash(d) => self.slice_failure = Some(d),
        }
        false
    }

    /// Remembers where each group guid is first defined, imported or not, so that a "parent
    /// not found" can point at a definition further down.
    fn note_group_definition(&mut self, view: &crate::view::RowView<'_>) {
        use outcomes_csv::Field;
        if view.get(Field::ObjectType) != Some("group") {
            return;
        }
        let Some(column) = view.columns.column(Field::VendorGuid) else {
            return;
        };
        let (Some(guid), Some(cell)) = (view.present(Field::VendorGuid), view.record.cell(column)) else {
            return;
        };
        if !self.group_rows.contains_key(guid) {
            self.group_rows.insert(guid.into(), (view.row(), cell.span(), cell.position()));
        }
    }

    /// Ends a slice as Canvas does. Returns whether the import has failed.
    fn end_slice(&mut self) -> bool {
        if let Some(failure) = self.slice_failure.take() {
            self.discard_slice();
            self.fail(failure);
            return true;
        }
        if self.summary.records == 1 {
            self.fail(
                Diagnostic::new(Rule::NoOutcomesData, "File has no outcomes data").with_row(1).reported_by_canvas_at(1),
            );
            return true;
        }
        for event in self.pending.drain(..) {
            match event {
                Event::Diagnostic(d) if d.rule == Rule::ParentNotFound => self.deferred.push(d),
                event => (self.emit)(event),
            }
        }
        let (imported, skipped, blank) = std::mem::take(&mut self.pending_counts);
        self.summary.imported += imported;
        self.summary.skipped += skipped;
        self.summary.blank += blank;
        false
    }

    fn discard_slice(&mut self) {
        self.pending.clear();
        self.pending_counts = (0, 0, 0);
    }

    fn fail(&mut self, diagnostic: Diagnostic) {
        self.summary.failed = true;
        (self.emit)(Event::Diagnostic(diagnostic));
    }

    fn finish(mut self) -> Summary {
        // Group guids by their folded form, to suggest `math` for a missing `Math`: built only
        // when a parent was not found.
        let mut folded: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        if !self.deferred.is_empty() {
            for guid in self.group_rows.keys() {
                folded.entry(fold_guid(guid)).or_insert(guid);
            }
        }
        for mut d in std::mem::take(&mut self.deferred) {
            let row = d.row.unwrap_or_default();
            for guid in &d.guids {
                if self.group_rows.contains_key(guid.as_str()) {
                    continue;
                }
                let Some(similar) = folded.get(&fold_guid(guid)) else {
                    continue;
                };
                let Some((defined, span, position)) = self.group_rows.get(*similar) else {
                    continue;
                };
                d.related.push(Related {
                    message: format!(
                        "did you mean group \"{similar}\" (row {defined})? guids are compared exactly: case, invisible characters and all"
                    ),
                    row: Some(*defined),
                    span: Some(*span),
                    position: Some(*position),
                });
            }
            let later: Vec<_> = d
                .guids
                .iter()
                .filter_map(|guid| Some((guid.clone(), *self.group_rows.get(guid.as_str())?)))
                .filter(|(_, (defined, _, _))| *defined > row)
                .collect();
            for (guid, (defined, span, position)) in &later {
                d.related.push(Related {
                    message: format!("group \"{guid}\" is defined later, at row {defined}"),
                    row: Some(*defined),
                    span: Some(*span),
                    position: Some(*position),
                });
            }
            if !later.is_empty() {
                d.help = "Move the parent group's row above this one; `outcomes-lint fix` reorders rows so parents come first.".into();
            }
            (self.emit)(Event::Diagnostic(d));
        }
        let mut out = Vec::new();
        for lint in &mut self.lints {
            if self.summary.failed {
                lint.import_failed();
            }
            lint.finish(&mut out);
        }
        for d in out {
            (self.emit)(Event::Diagnostic(d));
        }
        self.summary
    }
}

/// A guid folded for "did you mean": lowercase, without invisible characters.
fn fold_guid(guid: &str) -> String {
    guid.chars().filter(|c| crate::text::invisible_name(*c).is_none()).flat_map(char::to_lowercase).collect()
}

/// A reader that keeps a copy of the first [`crate::lints::HEAD_LEN`] bytes it reads.
struct Head<'h, R> {
    inner: R,
    head: &'h std::cell::RefCell<Vec<u8>>,
}

impl<R: Read> Read for Head<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut head = self.head.borrow_mut();
        let room = crate::lints::HEAD_LEN.saturating_sub(head.len());
        head.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
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
        .with_note(format!(
            "{} at line {}, column {}. {note}",
            capitalize(e.kind.describe()),
            e.position.line,
            e.position.column
        ));
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
