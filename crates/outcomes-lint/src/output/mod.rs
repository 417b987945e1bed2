//! Renderers: each turns checked files into one output format. None of them decides anything.
//!
//! Every format shows the same diagnostics of a file, chosen once, while the file is checked, by
//! a [`Keeper`]: sorted by the row Canvas reports them at, only errors under `--quiet`, at most
//! `--max-errors` of them.

pub mod canvas;
pub mod github;
pub mod human;
pub mod json;
pub mod keep;
pub mod sarif;
pub mod snippet;

use outcomes_csv::{Position, Span};
use outcomes_rules::{Diagnostic, Summary};

use crate::source::Source;
pub use keep::{Choice, Keeper, Kept};

/// One checked input, as the renderers see it.
#[derive(Debug, Clone, Copy)]
pub struct CheckedFile<'a> {
    /// The name to show: the path as given on the command line (or found in a directory or by
    /// a glob), or the `--stdin-filename` for standard input.
    pub name: &'a str,
    /// The diagnostics to show, in order.
    pub shown: &'a [Diagnostic],
    /// How many diagnostics `--max-errors` left out.
    pub hidden: usize,
    /// The finding that makes Canvas fail the whole import, shown or not.
    pub failure: Option<&'a Diagnostic>,
    /// The check's counts.
    pub summary: Summary,
}

impl<'a> CheckedFile<'a> {
    /// What the renderers show of `kept`, under `name`.
    pub fn new(name: &'a str, kept: &'a Kept) -> CheckedFile<'a> {
        CheckedFile {
            name,
            shown: &kept.shown,
            hidden: kept.hidden,
            failure: kept.failure.as_ref(),
            summary: kept.summary,
        }
    }
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
