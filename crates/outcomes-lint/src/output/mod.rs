//! Renderers: each turns checked files into one output format. None of them decides anything.
//!
//! Every format shows the same diagnostics of a file, chosen once by [`select`]: sorted by the
//! row Canvas reports them at, only errors under `--quiet`, at most `--max-errors` of them.

pub mod canvas;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod snippet;

use outcomes_csv::{Position, Span};
use outcomes_rules::{Checked, Diagnostic, Severity};

use crate::source::Source;

/// One checked input, as the renderers see it.
#[derive(Debug)]
pub struct CheckedFile<'a> {
    /// The name to show: the path as given on the command line (or found in a directory or by
    /// a glob), or the `--stdin-filename` for standard input.
    pub name: &'a str,
    /// What the checker found.
    pub checked: &'a Checked,
    /// The diagnostics to show, in order.
    pub shown: Vec<&'a Diagnostic>,
    /// How many diagnostics `--max-errors` left out.
    pub hidden: usize,
}

impl<'a> CheckedFile<'a> {
    /// Chooses the diagnostics of `checked` to show; see [`select`].
    pub fn new(name: &'a str, checked: &'a Checked, quiet: bool, max: Option<usize>) -> CheckedFile<'a> {
        let (shown, hidden) = select(checked, quiet, max);
        CheckedFile { name, checked, shown, hidden }
    }
}

/// The diagnostics to show and how many were left out by `max`.
///
/// Order: by the row Canvas reports them at (a file-level failure, reported at row 1, comes
/// first), then by their own row, then as found. `quiet` keeps only errors.
pub fn select(checked: &Checked, quiet: bool, max: Option<usize>) -> (Vec<&Diagnostic>, usize) {
    let mut diagnostics: Vec<&Diagnostic> =
        checked.diagnostics.iter().filter(|d| !quiet || d.severity == Severity::Error).collect();
    diagnostics.sort_by_key(|d| (d.canvas.as_ref().map(|c| c.row).or(d.row).unwrap_or(0), d.row.unwrap_or(0)));
    let hidden = max.map_or(0, |max| diagnostics.len().saturating_sub(max));
    diagnostics.truncate(diagnostics.len() - hidden);
    (diagnostics, hidden)
}

/// Where a place starts and ends, in lines and columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    /// Where it starts.
    pub start: Option<Position>,
    /// Just past its end (line, and the column after its last character), when it is known.
    pub end: Option<Position>,
}

impl Extent {
    /// Finds the start (given, or computed from the bytes) and the end of a place.
    pub fn of(source: &mut Source, span: Option<Span>, position: Option<Position>) -> Extent {
        let Some(span) = span else {
            return Extent { start: position, end: None };
        };
        let start = position.or_else(|| source.locate(span.start));
        let end = start.and_then(|start| source.end_position(span, start));
        Extent { start, end }
    }
}
