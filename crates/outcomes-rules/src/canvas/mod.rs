//! Canvas's outcome import, checked offline: the verdict and `processing_errors` it would end with.
//!
//! The driver reproduces how Canvas walks a file: records are taken in slices of 1000 (the header
//! is record 1 of the first), a whole slice is parsed before any of its rows is checked, and a
//! file-level failure discards the errors of the slice it happens in.

mod calculation;
pub(crate) mod facts;
mod group_rows;
pub(crate) mod guids;
mod header;
mod items;
mod number;
mod pipeline;
mod row;
mod state;

use std::io::Read;
use std::sync::Arc;

use outcomes_csv::{Columns, Dialect, Field, Item, ReadError, Reader, ReaderOptions, Record, Row};
use serde::Serialize;

use crate::diagnostic::{CanvasError, Diagnostic, Related};
use crate::lints::support::Place;
use crate::lints::{Called, Engaged, FileEnd, InOrder, Lint, LintSelection, Needs, RowContext, RowFilter};
use crate::options::CanvasOptions;
use crate::registry::Rule;
use crate::view::RowView;
use facts::{Reading, RowFacts};
use guids::{GuidHasher, GuidId, Guids};

pub use calculation::{valid_range, METHODS};
pub use number::parse_number;

/// What Canvas writes when its importer crashes; the real message ends in an error-report id that
/// only Canvas knows, so we leave it out.
pub const UNEXPECTED_ERROR: &str = "An unexpected error has occurred: see error report";

/// How many records Canvas parses before checking them.
pub const BATCH_SIZE: u64 = 1000;

/// How far into an input of known length the check sizes its tables for the whole input
/// ([`Checker::with_size_hint`]): at a 64th of it, and after at least [`PRESIZE_MIN_READ`]
/// bytes. Far enough that the rate of guids and rows per byte is a fair sample of the file's;
/// early enough that nearly all of the tables' doubling is skipped. It also bounds what a wrong
/// hint can cost: no table is sized for more than 64 times what the part read needed.
const PRESIZE_AT_FRACTION: u64 = 64;

/// The least the check reads before it trusts the rate seen for the rest of the input: a few
/// thousand rows (on a smaller file the tables stay small, and growing them costs little).
const PRESIZE_MIN_READ: u64 = 1 << 20;

/// How large an input is expected to be, measured against the part of it read so far: a table
/// that grows with the rows read can size itself for the whole input at once
/// ([`Lint::reserve`]), rather than doubling step by step (each step a new table to fault in
/// and its entries to place again). Given only when the input's length is known
/// ([`Checker::with_size_hint`]); an estimate, at the rate seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// Bytes read so far (more than zero).
    pub(crate) read: u64,
    /// Bytes in the whole input (at least `read`).
    pub(crate) total: u64,
}

impl Expected {
    /// How many entries a table that holds `now` after the part read should expect at the end
    /// of the input, at the same rate.
    pub fn scale(self, now: usize) -> usize {
        let len = now as u128 * u128::from(self.total) / u128::from(self.read.max(1));
        usize::try_from(len).unwrap_or(usize::MAX)
    }
}

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
    /// The report of an import that failed as a whole (when `failed`) or succeeded, with
    /// `processing_errors` as given (Canvas sorts them by row).
    pub fn new(failed: bool, processing_errors: Vec<CanvasError>) -> CanvasReport {
        let workflow_state = if failed { WorkflowState::Failed } else { WorkflowState::Succeeded };
        CanvasReport { workflow_state, processing_errors }
    }

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
    /// A record has more cells than our memory limit allows ([`outcomes_csv::ReaderOptions::max_cells`]).
    #[error("record {row} (line {line}) has more than {limit} cells; the file was not checked")]
    TooManyCells {
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
        CanvasReport::new(self.file_failure().is_some(), errors.into_iter().cloned().collect())
    }

    /// Whether Canvas would report anything at all (a skipped row or a failed import).
    pub fn has_canvas_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.canvas.is_some())
    }

    /// The diagnostic that makes Canvas fail the whole import, if any.
    pub fn file_failure(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.fails_import())
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
/// By default everything runs on the calling thread. [`Checker::with_threads`] checks a file on
/// several threads: records are still parsed in order on the calling thread, and the work on a
/// row that does not depend on earlier rows (most of it) runs in parallel; the result is the
/// same, diagnostic for diagnostic, in the same order.
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
    /// The threads that check rows in parallel; `None` checks on the calling thread.
    pool: Option<Arc<rayon::ThreadPool>>,
    /// The length of the input, when known ([`Checker::with_size_hint`]).
    size_hint: Option<u64>,
}

impl Checker {
    /// A checker for an account with these settings; lints on by default, no typed items, one
    /// thread.
    pub fn new(options: CanvasOptions) -> Checker {
        Checker {
            options,
            build_items: false,
            lints: LintSelection::default(),
            limits: ReaderOptions::default(),
            pool: None,
            size_hint: None,
        }
    }

    /// Checks on `threads` threads (`0`: one per core; `1`, the default: on the calling thread
    /// only).
    ///
    /// With more than one, the calling thread parses the file a few dozen records at a time and
    /// one thread of a pool of `threads - 1` applies, in file order, what depends on earlier
    /// rows (parents, duplicates, the lints that compare rows, Canvas's slices of 1000
    /// records); the row work that does not (UTF-8, blank and short rows, ratings and mastery
    /// points, field lengths, the calculation, the lints that look at one row) is shared by
    /// every thread. `on_event` is called on the calling thread only.
    /// Diagnostics, items and the summary are exactly those of one thread.
    /// It pays on files of a few megabytes and more; on small files the threads cost more than
    /// they save (the `outcomes-lint` CLI uses one thread below 4 MB). The pool is made here,
    /// once, and shared by clones of this checker; if it cannot be made, checking stays on one
    /// thread.
    ///
    /// ```
    /// use outcomes_rules::{CanvasOptions, Checker};
    /// let file = "title,vendor_guid,object_type,parent_guids\nMath,math,group,\nAdd,add,outcome,nope\n";
    /// let one = Checker::new(CanvasOptions::default()).check_bytes(file.as_bytes());
    /// let two = Checker::new(CanvasOptions::default()).with_threads(2).check_bytes(file.as_bytes());
    /// assert_eq!(one.diagnostics, two.diagnostics);
    /// ```
    pub fn with_threads(mut self, threads: usize) -> Checker {
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        // The calling thread is one of them: it prepares rows too, between its own tasks.
        self.pool = match threads {
            0 | 1 => None,
            n => rayon::ThreadPoolBuilder::new()
                .num_threads(n - 1)
                .thread_name(|i| format!("outcomes-check-{i}"))
                .build()
                .ok()
                .map(Arc::new),
        };
        self
    }

    /// How many threads check rows (1 unless [`Checker::with_threads`] said more), the calling
    /// thread included.
    pub fn threads(&self) -> usize {
        self.pool.as_ref().map_or(1, |p| p.current_num_threads() + 1)
    }

    /// The length in bytes of the input the next [`Checker::run`] reads, when it is known
    /// before reading (a file's length; standard input has none): `None` by default.
    ///
    /// The tables that grow with the guids and rows (the guid table, what the import has
    /// created, the lints' per-guid and per-row state) otherwise double as they fill, each step
    /// a new allocation to fault in page by page and every entry placed again. With the length,
    /// once the check has read a 64th of the input it sizes them for the whole of it at the
    /// rate of guids and rows seen so far. At a million rows that is a third fewer page faults.
    /// Only a hint: a wrong length changes how memory is used, never what the check finds, and
    /// no table is sized for more than 64 times what the part read needed.
    /// [`Checker::check_path`] and [`Checker::check_bytes`] give it themselves.
    ///
    /// ```
    /// use outcomes_rules::{CanvasOptions, Checker};
    /// let file = "title,vendor_guid,object_type\nMath,math,group\n";
    /// let checker = Checker::new(CanvasOptions::default()).with_size_hint(Some(file.len() as u64));
    /// let checked = checker.check(file.as_bytes()).unwrap();
    /// assert!(checked.canvas_report().processing_errors.is_empty());
    /// ```
    pub fn with_size_hint(mut self, bytes: Option<u64>) -> Checker {
        self.size_hint = bytes;
        self
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
        let mut run = Run::new(self);
        let driven = run.drive(source, &mut on_event);
        // What was found before an error is the caller's too.
        run.flush(&mut on_event);
        driven?;
        Ok(run.finish(&mut on_event))
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
        let size = file.metadata().ok().map(|m| m.len());
        self.clone().with_size_hint(size).check(file)
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
        let unlimited = self
            .clone()
            .with_limits(ReaderOptions { max_record_bytes: usize::MAX })
            .with_size_hint(u64::try_from(bytes.len()).ok());
        let mut diagnostics = Vec::new();
        let mut sink = |event| {
            if let Event::Diagnostic(d) = event {
                diagnostics.push(d);
            }
        };
        let mut run = Run::new(&unlimited);
        // Reading a slice performs no I/O, and no record exceeds an unlimited limit.
        let _ = run.drive(bytes, &mut sink);
        run.flush(&mut sink);
        let summary = run.finish(&mut sink);
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

/// One record and what is learnt from it before it is checked in order: the buffers are reused
/// record after record, so the hot loop allocates nothing on a clean file.
#[derive(Default)]
struct Slot {
    record: Record,
    facts: RowFacts,
    prepared: row::Prepared,
    /// What the lints that look at one row found, in lint order...
    lint_out: Vec<Diagnostic>,
    /// ...and which of those lints found each (an index in `Lints::single`).
    lint_of: Vec<usize>,
    /// The in-order lints worth calling on the row, decided with the single-row lints.
    called: Called,
}

/// A lint that judges each row on its own, with the rows it can find anything in
/// ([`Lint::needs`]), asked once: testing a row against them is then a load, not a dynamic call
/// per lint per row.
struct Single {
    lint: Box<dyn Lint>,
    needs: Needs,
}

/// The lints that judge each row on its own ([`Lint::check_row`] from any thread), and which
/// rows none of them can find anything in, nor some of the in-order lints.
#[derive(Default)]
struct Singles {
    lints: Vec<Single>,
    filter: RowFilter,
    /// No lint is enabled at all, single-row or in-order (Canvas's checks only): a row's traits
    /// are not looked for, as no lint would be called on them.
    none: bool,
}

/// The enabled lints, split by how they run, with their registry order.
struct Lints {
    /// Lints that judge each row on its own.
    single: Singles,
    /// Lints that compare rows ([`Lint::row`] in file order).
    ordered: Vec<Box<dyn Lint>>,
    /// Registry order: `(is ordered, index in its list)`.
    order: Vec<(bool, usize)>,
    /// Which of `ordered` now need every row, whatever their needs.
    engaged: Engaged,
}

impl Lints {
    fn new(all: Vec<Box<dyn Lint>>) -> Lints {
        let mut lints =
            Lints { single: Singles::default(), ordered: Vec::new(), order: Vec::new(), engaged: Engaged::default() };
        for lint in all {
            if lint.in_order() {
                lints.order.push((true, lints.ordered.len()));
                lints.ordered.push(lint);
            } else {
                lints.order.push((false, lints.single.lints.len()));
                lints.single.lints.push(Single { needs: lint.needs(), lint });
            }
        }
        lints.single.filter = RowFilter::new(
            lints.single.lints.iter().map(|single| single.needs),
            lints.ordered.iter().map(|lint| lint.needs()),
        );
        lints.single.none = lints.single.lints.is_empty() && lints.ordered.is_empty();
        lints.engaged = Engaged::new(&lints.single.filter);
        lints
    }

    /// Every lint, in registry order.
    fn for_each(&mut self, mut f: impl FnMut(&mut dyn Lint)) {
        for &(ordered, i) in &self.order {
            let lint = if ordered { &mut self.ordered[i] } else { &mut self.single.lints[i].lint };
            f(lint.as_mut());
        }
    }
}

/// Reads what a data record says and runs every check that depends on it alone: Canvas's
/// ([`row::prepare`]) and the lints that judge one row. Runs on any thread.
fn prepare_slot(
    slot: &mut Slot,
    columns: &Columns,
    reading: &Reading<'_>,
    options: &CanvasOptions,
    single: &Singles,
    hasher: &GuidHasher,
) {
    let Slot { record, facts, prepared, lint_out, lint_of, called } = slot;
    record.validate_utf8();
    let view = RowView { record, columns };
    facts.read_with(&view, reading, hasher);
    let cx = RowContext { view, options, facts };
    // The slot's last verdict was taken in order, leaving `Blank`, which owns nothing: written
    // over without the call to its drop (a call a row) unless it still holds one.
    let old = std::mem::replace(prepared, row::prepare(&cx));
    if matches!(old, row::Prepared::Blank) {
        std::mem::forget(old);
    }
    lint_out.clear();
    lint_of.clear();
    if single.none {
        return;
    }
    // Only the lints that can find something in a row like this one are called: on nearly every
    // row, none here, and not every in-order one later.
    let traits = single.filter.traits(&cx);
    *called = single.filter.called(traits);
    if !single.filter.any_single(traits) {
        return;
    }
    for (i, single) in single.lints.iter().enumerate() {
        if !single.needs.admits(traits) {
            continue;
        }
        single.lint.check_row(&cx, lint_out);
        // Most rows find nothing: then there is nothing to note.
        if lint_out.len() != lint_of.len() {
            lint_of.resize(lint_out.len(), i);
        }
    }
}

/// Records read together, parsed ahead of being checked: a window or a chunk, never across the
/// end of one of Canvas's 1000-record slices.
#[derive(Default)]
struct Batch {
    slots: Vec<Slot>,
    /// How many of `slots` hold records read this time.
    len: usize,
    /// Why reading stopped before `max` records or the end of a slice, if it did.
    end: Option<BatchEnd>,
}

/// Why reading stopped inside a slice.
enum BatchEnd {
    /// The end of the file.
    Eof,
    /// A syntax error: Canvas fails the whole import.
    Syntax(outcomes_csv::SyntaxError),
    /// An I/O error, or a record over the limit: the file cannot be checked.
    Failed(ReadError),
}

impl Batch {
    /// Prepares the records read ([`prepare_slot`]) under the header's columns and what they
    /// say for every row ([`Reading`], worked out once per file, not per batch); without an
    /// accepted header (`header` is `None`) there is nothing to prepare.
    fn prepare(
        &mut self,
        header: Option<(&Columns, &Reading<'_>)>,
        options: &CanvasOptions,
        single: &Singles,
        hasher: &GuidHasher,
    ) {
        if let Some((columns, reading)) = header {
            for slot in &mut self.slots[..self.len] {
                prepare_slot(slot, columns, reading, options, single, hasher);
            }
        }
    }

    /// Reads records up to the end of the current slice (a row that is a multiple of
    /// [`BATCH_SIZE`]), the end of the file, an error, or `max` records. UTF-8 is validated
    /// later, on the pool.
    fn read<R: Read>(&mut self, reader: &mut Reader<R>, max: usize) {
        self.len = 0;
        self.end = None;
        while self.len < max {
            if self.slots.len() == self.len {
                self.slots.push(Slot::default());
            }
            match reader.read_record_raw(&mut self.slots[self.len].record) {
                Ok(true) => {
                    let row = self.slots[self.len].record.row();
                    self.len += 1;
                    if row % BATCH_SIZE == 0 {
                        return;
                    }
                }
                Ok(false) => {
                    self.end = Some(BatchEnd::Eof);
                    return;
                }
                Err(ReadError::Syntax(e)) => {
                    self.end = Some(BatchEnd::Syntax(e));
                    return;
                }
                Err(e) => {
                    self.end = Some(BatchEnd::Failed(e));
                    return;
                }
            }
        }
    }
}

/// How many rows are taken in order at once, after the guid table's slots their probes will
/// read have been prefetched together ([`Run::warm`]). At a million rows the table is far
/// larger than the CPU's caches, and each new guid's probe is a cache miss; made one after the
/// other, each costs the full trip to memory, while many started together cost little more than
/// one. A prefetch holds nothing up, so the window can be as long as a chunk of the parallel
/// check ([`pipeline`]'s 64 records): with loads instead, the first row waited for all of them,
/// and 16 rows was the best trade (at a million rows 16 rows of prefetches took 0.574 s ->
/// 0.565 s, 64 rows 0.552 s, 128 no better).
const WINDOW: usize = 64;

/// Whether the check of a file goes on after a slice, and if not, why.
enum Flow {
    Continue,
    /// The import failed or the file ended: the check is complete.
    Done,
}

/// One check of one file.
struct Run<'c> {
    checker: &'c Checker,
    /// What the check has found and not yet handed to the caller ([`Run::flush`]): the check
    /// itself may run on another thread than the caller's `on_event`.
    out: Vec<Event>,
    summary: Summary,
    state: state::ImportState,
    /// Every guid of the file, for the state, the lints and `group_rows`.
    guids: Guids,
    lints: Lints,
    /// The header layout, once the header is read and accepted. Boxed: [`Run::take_row`] takes
    /// it out of `self` for each row, and moving the layout itself (a few hundred bytes) cost
    /// more than some lints.
    columns: Option<Box<Columns>>,
    /// Row errors and items of the slice being read; they stand only if the slice completes.
    pending: Vec<Event>,
    pending_counts: (u64, u64, u64),
    /// "Parent not found" errors, held to the end to say where the parent really is.
    deferred: Vec<Diagnostic>,
    /// The first group row of every guid, wherever it is in the file.
    group_rows: group_rows::GroupRows,
    /// The first failure of this slice that fails the import (a header error or a crash).
    slice_failure: Option<Diagnostic>,
    /// Scratch space: the diagnostics of the lints for one row, the ids of its parents.
    lint_out: Vec<Diagnostic>,
    parent_ids: Vec<GuidId>,
    /// The input's length, until the tables are sized for it ([`Run::presize`]).
    size_hint: Option<u64>,
}

impl<'c> Run<'c> {
    fn new(checker: &'c Checker) -> Run<'c> {
        Run {
            checker,
            out: Vec::new(),
            summary: Summary::default(),
            state: state::ImportState::default(),
            guids: Guids::default(),
            lints: Lints::new(crate::lints::enabled(&checker.lints, &checker.options)),
            columns: None,
            pending: Vec::new(),
            pending_counts: (0, 0, 0),
            deferred: Vec::new(),
            group_rows: group_rows::GroupRows::default(),
            slice_failure: None,
            lint_out: Vec::new(),
            parent_ids: Vec::new(),
            size_hint: checker.size_hint,
        }
    }

    fn drive<R: Read>(&mut self, source: R, emit: &mut dyn FnMut(Event)) -> Result<(), CheckError> {
        let head = std::cell::RefCell::new(Vec::new());
        let mut reader = Reader::with_options(Head::new(source, &head), self.checker.limits).map_err(read_error)?;
        // The reader has read at least the first line, and so `Head` the file's first
        // `HEAD_LEN` bytes (or all of a shorter file); the lints that judge the encoding look at
        // these bytes before anything is parsed.
        // A copy: `Head` passes the same bytes on to the reader.
        let head = head.borrow().clone();
        let mut out = std::mem::take(&mut self.lint_out);
        self.lints.for_each(|lint| lint.file_start(&head, &mut out));
        self.lint_out = out;
        self.emit_lint_out();
        self.flush(emit);
        if reader.is_empty_file() {
            self.fail(Diagnostic::new(Rule::EmptyFile, "File has no data").with_row(1).reported_by_canvas_at(1));
            return Ok(());
        }
        let dialect = reader.dialect();
        self.summary.dialect = Some(dialect);
        match self.checker.pool.clone() {
            Some(pool) => self.drive_parallel(&mut reader, dialect, &pool, emit),
            None => self.drive_sequential(&mut reader, dialect, emit),
        }
    }

    /// Reads and checks records on the calling thread, a [`WINDOW`] at a time: each record is
    /// prepared, then the window's probes are warmed together, then its records are taken in
    /// order.
    fn drive_sequential<R: Read>(
        &mut self,
        reader: &mut Reader<R>,
        dialect: Dialect,
        emit: &mut dyn FnMut(Event),
    ) -> Result<(), CheckError> {
        if let Flow::Done = self.take_header(reader, dialect)? {
            return Ok(());
        }
        let hasher = self.guids.hasher();
        // The header is settled: what it says for every row is worked out once.
        let checker = self.checker;
        let settled = self.settled_header();
        let header = settled.as_ref().map(|(columns, reading)| (&**columns, reading));
        let mut window = Batch::default();
        loop {
            window.read(reader, WINDOW);
            window.prepare(header, &checker.options, &self.lints.single, &hasher);
            let more = window.end.is_none();
            let flow = self.take_batch(&mut window, dialect)?;
            self.flush(emit);
            if let Flow::Done = flow {
                return Ok(());
            }
            if !more {
                return Ok(());
            }
        }
    }

    /// The header as every data row is read through it, worked out once the header is taken: a
    /// copy of its columns (the run's own are taken in turn by each row) and where its fields
    /// are ([`Reading`]). `None` when Canvas rejected the header.
    fn settled_header(&self) -> Option<(Box<Columns>, Reading<'c>)> {
        let columns = self.columns.clone()?;
        let reading = Reading::new(&columns, &self.checker.options.number_format);
        Some((columns, reading))
    }

    /// Reads and takes the header, alone: every later record is read through it.
    fn take_header<R: Read>(&mut self, reader: &mut Reader<R>, dialect: Dialect) -> Result<Flow, CheckError> {
        let mut header = Slot::default();
        match reader.read_record(&mut header.record) {
            Ok(true) => Ok(self.take(&mut header)),
            Ok(false) => self.end_of_reading(Some(BatchEnd::Eof), dialect).map(|_| Flow::Done),
            Err(e) => self.end_of_reading(Some(BatchEnd::from(e)), dialect).map(|_| Flow::Done),
        }
    }

    /// Reads chunks of records on the calling thread and takes them in file order on a thread
    /// of the pool; any thread prepares them ([`pipeline`]).
    fn drive_parallel<R: Read>(
        &mut self,
        reader: &mut Reader<R>,
        dialect: Dialect,
        pool: &rayon::ThreadPool,
        emit: &mut dyn FnMut(Event),
    ) -> Result<(), CheckError> {
        if let Flow::Done = self.take_header(reader, dialect)? {
            return Ok(());
        }
        self.flush(emit);
        let checker = self.checker;
        let hasher = self.guids.hasher();
        // The single-row lints are shared by every thread while the taker runs the others.
        let single = std::mem::take(&mut self.lints.single);
        let settled = self.settled_header();
        let header = settled.as_ref().map(|(columns, reading)| (&**columns, reading));
        let prepare = |batch: &mut Batch| batch.prepare(header, &checker.options, &single, &hasher);
        let pipeline = pipeline::Pipeline::new();
        let result = pool.in_place_scope(|scope| {
            let (pipeline, prepare, run) = (&pipeline, &prepare, &mut *self);
            scope.spawn(move |_| {
                pipeline::take_all(pipeline, prepare, |batch| {
                    let flow = run.take_batch(batch, dialect);
                    (flow, std::mem::take(&mut run.out))
                });
            });
            for _ in 1..pool.current_num_threads() {
                scope.spawn(move |_| pipeline.work(prepare));
            }
            pipeline::read_all(reader, pipeline, prepare, emit)
        });
        self.lints.single = single;
        result
    }

    /// Checks in order the records of a prepared slice, then ends it as Canvas does.
    fn take_batch(&mut self, batch: &mut Batch, dialect: Dialect) -> Result<Flow, CheckError> {
        for window in batch.slots[..batch.len].chunks_mut(WINDOW) {
            self.warm(window);
            for slot in window {
                if let Flow::Done = self.take(slot) {
                    return Ok(Flow::Done);
                }
            }
        }
        match batch.end.take() {
            None => Ok(Flow::Continue),
            end => self.end_of_reading(end, dialect),
        }
    }

    /// What happens when reading stops inside a slice.
    fn end_of_reading(&mut self, end: Option<BatchEnd>, dialect: Dialect) -> Result<Flow, CheckError> {
        match end {
            None => Ok(Flow::Continue),
            Some(BatchEnd::Eof) => {
                if self.summary.records % BATCH_SIZE != 0 {
                    self.end_slice();
                }
                Ok(Flow::Done)
            }
            Some(BatchEnd::Syntax(e)) => {
                self.discard_slice();
                self.fail(syntax_diagnostic(&e, dialect));
                Ok(Flow::Done)
            }
            Some(BatchEnd::Failed(e)) => Err(read_error(e)),
        }
    }

    /// Prefetches, together, the slots the probes of taking `window` will read first in the
    /// guid table: the slot of each row's own guid, which is nearly always new, so its slot is
    /// anywhere in a table far larger than the caches (a row's parents were seen a few rows up,
    /// their slots are cached). Only a hint: what the rows find is decided when they are taken,
    /// so a slot prefetched in vain (the table grown in between) costs a little time and nothing
    /// else.
    fn warm(&self, window: &[Slot]) {
        let Some(columns) = self.columns.as_deref() else {
            return;
        };
        if !self.guids.is_large() {
            return;
        }
        let hashes = window
            .iter()
            .filter(|slot| slot.record.row() > 1)
            .filter(|slot| slot.facts.guid(&RowView { record: &slot.record, columns }).is_some())
            .map(|slot| slot.facts.guid_hash);
        self.guids.warm(hashes);
    }

    /// Takes one record in file order: the header, or a data row prepared by [`prepare_slot`]
    /// (when the header was accepted). Ends the slice after its last record.
    fn take(&mut self, slot: &mut Slot) -> Flow {
        let row = slot.record.row();
        self.summary.records = row;
        if row == 1 {
            match header::check_header(&slot.record) {
                Ok(c) => self.columns = Some(Box::new(c)),
                Err(d) => self.slice_failure = Some(*d),
            }
            let mut out = std::mem::take(&mut self.lint_out);
            let (record, columns) = (&slot.record, self.columns.as_deref());
            self.lints.for_each(|lint| lint.header(record, columns, &mut out));
            self.lint_out = out;
        } else if self.columns.is_some() {
            self.take_row(slot);
        }
        self.emit_lint_out();
        if row % BATCH_SIZE == 0 {
            if self.size_hint.is_some() {
                self.presize(slot.record.span_with_terminator().end);
            }
            if self.end_slice() {
                return Flow::Done;
            }
        }
        Flow::Continue
    }

    /// The in-order half of a data row: Canvas's checks against earlier rows, where groups are
    /// defined, and the lints that compare rows.
    fn take_row(&mut self, slot: &mut Slot) {
        let Some(columns) = self.columns.take() else {
            return;
        };
        let view = RowView { record: &slot.record, columns: &columns };
        let facts = &slot.facts;
        let guid = facts.guid(&view).map(|guid| self.guids.intern(facts.guid_hash, guid));
        // The parents' ids in the run's own vector, borrowed field by field (not taken out and
        // put back: that cost about 14 instructions a row).
        self.parent_ids.clear();
        for (parent, hash) in facts.parents(&view).zip(&facts.parent_hashes) {
            self.parent_ids.push(self.guids.intern_parent(*hash, parent));
        }
        let mut imported = false;
        let prepared = std::mem::take(&mut slot.prepared);
        let checker = self.checker;
        let cx = RowContext { view, options: &checker.options, facts };
        if self.slice_failure.is_none() {
            let ids = row::RowIds { guid, parents: &self.parent_ids };
            let verdict = row::commit(&cx, prepared, ids, &mut self.state, &self.guids, checker.build_items);
            imported = self.note_verdict(verdict);
        }
        if facts.kind == Some(facts::Kind::Group) {
            self.note_group_definition(&view, guid);
        }
        let order = InOrder { imported, deleted: cx.is_deleted(), guid, parents: &self.parent_ids };
        // An in-order lint has only `row` ([`Lint::in_order`]): one dynamic call, not two, and
        // none on a row it cannot note anything in ([`Lint::needs`]) unless it is engaged.
        let called = self.lints.engaged.called(slot.called);
        let in_order = |i: usize, lint: &mut Box<dyn Lint>, out: &mut Vec<Diagnostic>| {
            if called.has(i) {
                lint.row(&cx, &order, out);
            }
        };
        if slot.lint_out.is_empty() {
            // Nothing was found on the pool (nearly every row): the lints that run here, in
            // their registry order, are all there is.
            // The lints and the output apart, so that the loop keeps them in registers across
            // the calls rather than reading them back from `self` after each.
            let (ordered, out) = (&mut self.lints.ordered[..], &mut self.lint_out);
            let mut bits = called.below(ordered.len());
            while bits != 0 {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(lint) = ordered.get_mut(i) {
                    lint.row(&cx, &order, out);
                }
            }
            for lint in ordered.iter_mut().skip(64) {
                lint.row(&cx, &order, out);
            }
        } else {
            // The lints' findings in registry order: those found on the pool, interleaved
            // with those of the lints that run here.
            let mut found = slot.lint_out.drain(..);
            let mut of = slot.lint_of.iter().peekable();
            for &(ordered, i) in &self.lints.order {
                if ordered {
                    in_order(i, &mut self.lints.ordered[i], &mut self.lint_out);
                } else {
                    let mut count = 0;
                    while of.next_if(|of| **of == i).is_some() {
                        count += 1;
                    }
                    self.lint_out.extend(found.by_ref().take(count));
                }
            }
        }
        self.lints.engaged.after(called, &self.lints.ordered);
        self.columns = Some(columns);
    }

    /// Hands what the check has found so far to the caller.
    fn flush(&mut self, emit: &mut dyn FnMut(Event)) {
        for event in self.out.drain(..) {
            emit(event);
        }
    }

    /// Moves what the lints found into `out`. Nearly every row finds nothing: then the test is
    /// all it costs, not a drain of an empty vector (about 50 instructions a row).
    #[inline]
    fn emit_lint_out(&mut self) {
        if !self.lint_out.is_empty() {
            self.out.extend(self.lint_out.drain(..).map(Event::Diagnostic));
        }
    }

    /// Notes the verdict of the in-order half of Canvas's checks on a data row
    /// ([`row::commit`]); returns whether Canvas imports the row.
    fn note_verdict(&mut self, verdict: row::RowVerdict) -> bool {
        match verdict {
            row::RowVerdict::Blank => self.pending_counts.2 += 1,
            row::RowVerdict::Imported(item) => {
                self.pending_counts.0 += 1;
                // Not `extend` from an `Option<Event>`: that copied an event's worth of bytes
                // (280) for every imported row, item or none.
                if let Some(item) = item {
                    self.pending.push(Event::Item(*item));
                }
                return true;
            }
            row::RowVerdict::Rejected(ds) => {
                self.pending_counts.1 += 1;
                self.pending.extend(ds.into_iter().map(Event::Diagnostic));
            }
            row::RowVerdict::Crash(d) => self.slice_failure = Some(*d),
        }
        false
    }

    /// Once `read` bytes are a fair sample of the input ([`PRESIZE_AT_FRACTION`]), sizes the
    /// tables that grow with the guids and rows for the whole input ([`Expected`]). Asked at
    /// the end of each of Canvas's slices until it has done so.
    fn presize(&mut self, read: u64) {
        let Some(total) = self.size_hint else {
            return;
        };
        if read < PRESIZE_MIN_READ || read < total / PRESIZE_AT_FRACTION {
            return;
        }
        self.size_hint = None;
        if read >= total {
            return;
        }
        let expected = Expected { read, total };
        let guids = expected.scale(self.guids.len());
        self.guids.reserve(guids, expected.scale(self.guids.text_len()));
        self.state.reserve(guids);
        self.group_rows.reserve(expected.scale(self.group_rows.len()));
        // Only the lints that compare rows keep state (and while the check runs in parallel,
        // the others are lent to the pool).
        for lint in &mut self.lints.ordered {
            lint.reserve(expected);
        }
    }

    /// Remembers where each group guid is first defined, imported or not, so that a "parent
    /// not found" can point at a definition further down.
    fn note_group_definition(&mut self, view: &RowView<'_>, guid: Option<GuidId>) {
        let Some(id) = guid else {
            return;
        };
        let Some(cell) = view.columns.column(Field::VendorGuid).and_then(|column| view.record.cell(column)) else {
            return;
        };
        self.group_rows.note_first(id, || Place { row: view.row(), span: cell.span(), position: cell.position() });
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
                event => self.out.push(event),
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
        self.out.push(Event::Diagnostic(diagnostic));
    }

    /// The first group row of `guid`, if any row defines it.
    fn group_row(&self, guid: &str) -> Option<Place> {
        let id = self.guids.lookup(guid)?;
        self.group_rows.get(id)
    }

    fn finish(mut self, emit: &mut dyn FnMut(Event)) -> Summary {
        // Group guids by their folded form, to suggest `math` for a missing `Math`: built only
        // when a parent was not found.
        let mut folded: std::collections::HashMap<String, GuidId> = std::collections::HashMap::new();
        if !self.deferred.is_empty() {
            // In file order of first definition: the first of several that fold alike.
            for id in self.group_rows.ids() {
                folded.entry(fold_guid(self.guids.get(id))).or_insert(id);
            }
        }
        for mut d in std::mem::take(&mut self.deferred) {
            let row = d.row.unwrap_or_default();
            for guid in &d.guids {
                if self.group_row(guid).is_some() {
                    continue;
                }
                let Some(&similar) = folded.get(&fold_guid(guid)) else {
                    continue;
                };
                let Some(place) = self.group_rows.get(similar) else {
                    continue;
                };
                d.related.push(place.related(format!(
                    "did you mean group \"{}\" (row {})? guids are compared exactly: case, invisible characters and all",
                    self.guids.get(similar),
                    place.row
                )));
            }
            let later: Vec<_> = d
                .guids
                .iter()
                .filter_map(|guid| Some((guid.clone(), self.group_row(guid)?)))
                .filter(|(_, place)| place.row > row)
                .collect();
            for (guid, place) in &later {
                d.related.push(place.related(format!("group \"{guid}\" is defined later, at row {}", place.row)));
            }
            if !later.is_empty() {
                d.help = "Move the parent group's row above this one; `outcomes-lint fix` reorders rows so parents come first.".into();
            }
            self.out.push(Event::Diagnostic(d));
        }
        let mut out = Vec::new();
        let failed = self.summary.failed;
        let end = FileEnd { guids: &self.guids };
        self.lints.for_each(|lint| {
            if failed {
                lint.import_failed();
            }
            lint.finish(&end, &mut out);
        });
        for d in out {
            self.out.push(Event::Diagnostic(d));
        }
        self.flush(emit);
        self.summary
    }
}

impl From<ReadError> for BatchEnd {
    fn from(e: ReadError) -> BatchEnd {
        match e {
            ReadError::Syntax(e) => BatchEnd::Syntax(e),
            e => BatchEnd::Failed(e),
        }
    }
}

/// A guid folded for "did you mean": lowercase, without invisible characters.
fn fold_guid(guid: &str) -> String {
    guid.chars().filter(|c| crate::text::invisible_name(*c).is_none()).flat_map(char::to_lowercase).collect()
}

/// A reader that first reads the file's first [`crate::lints::HEAD_LEN`] bytes (all of a
/// shorter file), keeps a copy for the lints that judge the encoding, and then passes them and
/// the rest on. Reading the whole head up front, rather than copying whatever the CSV reader
/// happened to ask for, makes what those lints see independent of how the source delivers its
/// bytes: a pipe that hands over a few bytes at a time gets the same verdict as a file.
struct Head<'h, R> {
    inner: R,
    head: &'h std::cell::RefCell<Vec<u8>>,
    /// Whether the head has been read.
    primed: bool,
    /// How much of the head has been passed on.
    served: usize,
}

impl<'h, R: Read> Head<'h, R> {
    fn new(inner: R, head: &'h std::cell::RefCell<Vec<u8>>) -> Self {
        Head { inner, head, primed: false, served: 0 }
    }

    fn prime(&mut self) -> std::io::Result<()> {
        let mut head = self.head.borrow_mut();
        let mut chunk = [0u8; crate::lints::HEAD_LEN];
        while head.len() < crate::lints::HEAD_LEN {
            let room = crate::lints::HEAD_LEN - head.len();
            match self.inner.read(&mut chunk[..room]) {
                Ok(0) => break,
                Ok(n) => head.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.primed = true;
        Ok(())
    }
}

impl<R: Read> Read for Head<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.primed {
            self.prime()?;
        }
        let head = self.head.borrow();
        if self.served < head.len() {
            let n = buf.len().min(head.len() - self.served);
            buf[..n].copy_from_slice(&head[self.served..self.served + n]);
            self.served += n;
            return Ok(n);
        }
        drop(head);
        self.inner.read(buf)
    }
}

fn read_error(e: ReadError) -> CheckError {
    match e {
        ReadError::Io(e) => CheckError::Io(e),
        ReadError::RecordTooLarge { row, line, limit } => CheckError::RecordTooLarge { row, line, limit },
        ReadError::TooManyCells { row, line, limit } => CheckError::TooManyCells { row, line, limit },
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
