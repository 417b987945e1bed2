//! Choosing what to show of a file while its check streams, so that `--max-errors N` holds at
//! most N diagnostics in memory, however many the file has.
//!
//! A diagnostic takes about a kilobyte (its message, Canvas's copy of it, a note, related
//! places). Collecting every one before choosing made the memory of checking a file with an
//! error on every row grow with the file: 1.3 GB for a million such rows. The [`Keeper`] sees
//! each diagnostic once, as the checker reports it, keeps the counts and flags the output needs
//! (the exit status, the import's failure), and keeps only the diagnostics that can still be
//! among the first N in the order they are shown.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use outcomes_rules::config::Config;
use outcomes_rules::{Diagnostic, Severity, Summary};

/// What a file's renderers need: the diagnostics to show, in order, and what decides the
/// summary and the exit status.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// The diagnostics to show, in the order shown.
    pub shown: Vec<Diagnostic>,
    /// How many more there were, left out by `--max-errors`.
    pub hidden: usize,
    /// The finding that makes Canvas fail the whole import (the first, as reported), whether it
    /// is shown or not: the summary line names it.
    pub failure: Option<Diagnostic>,
    /// Whether the file makes the exit status 1.
    pub fails_gate: bool,
    /// The check's counts.
    pub summary: Summary,
}

/// Which diagnostics a file's output shows, and in what order.
#[derive(Debug, Clone, Copy)]
pub enum Choice<'c> {
    /// Canvas's `processing_errors` (`--format canvas`): only Canvas's errors, by the row
    /// Canvas reports them at, whatever the configuration says.
    Canvas,
    /// The findings the configuration selects, with its severities, by the row Canvas reports
    /// them at (a file-level failure, reported at row 1, comes first), then by their own row;
    /// only errors when `quiet`.
    Findings {
        /// The configuration that selects rules and sets their severity.
        config: &'c Config,
        /// Show errors only (`--quiet`).
        quiet: bool,
    },
}

/// A diagnostic with its place in the order shown: its sort key, then the order it was found
/// in (the sort is stable).
#[derive(Debug)]
struct Ranked {
    key: (u64, u64, u64),
    diagnostic: Diagnostic,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        self.key == other.key
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Ranked) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// Receives a file's diagnostics one by one and keeps what [`Kept`] says.
#[derive(Debug)]
pub struct Keeper<'c> {
    choice: Choice<'c>,
    max: Option<usize>,
    /// The diagnostics that are among the first `max` so far; the last of them on top.
    best: BinaryHeap<Ranked>,
    seen: u64,
    hidden: usize,
    failure: Option<Diagnostic>,
    fails_gate: bool,
}

impl<'c> Keeper<'c> {
    /// Keeps what `choice` shows, at most `max` diagnostics when given.
    pub fn new(choice: Choice<'c>, max: Option<usize>) -> Keeper<'c> {
        Keeper { choice, max, best: BinaryHeap::new(), seen: 0, hidden: 0, failure: None, fails_gate: false }
    }

    /// Takes the next diagnostic the checker reports.
    pub fn push(&mut self, mut d: Diagnostic) {
        // The sort key, or `None` for a diagnostic that counts (for the gate and the summary)
        // but is not shown.
        let key = match self.choice {
            Choice::Canvas => {
                let Some(canvas) = &d.canvas else {
                    return;
                };
                self.fails_gate = true;
                Some((canvas.row, 0))
            }
            Choice::Findings { config, quiet } => {
                let Some(severity) = config.severity_for(d.rule) else {
                    return;
                };
                d.severity = severity;
                self.fails_gate |= severity == Severity::Error;
                (!quiet || severity == Severity::Error)
                    .then(|| (d.canvas.as_ref().map(|c| c.row).or(d.row).unwrap_or(0), d.row.unwrap_or(0)))
            }
        };
        if self.failure.is_none() && d.fails_import() {
            self.failure = Some(d.clone());
        }
        let Some(key) = key else {
            return;
        };
        let ranked = Ranked { key: (key.0, key.1, self.seen), diagnostic: d };
        self.seen += 1;
        let Some(max) = self.max else {
            self.best.push(ranked);
            return;
        };
        if self.best.len() < max {
            self.best.push(ranked);
            return;
        }
        self.hidden += 1;
        match self.best.peek_mut() {
            // It comes before the last kept one: that one is left out instead.
            Some(mut last) if ranked < *last => *last = ranked,
            _ => {}
        }
    }

    /// What to show, once the check is done; `summary` is what it returned.
    pub fn finish(self, summary: Summary) -> Kept {
        let shown = self.best.into_sorted_vec().into_iter().map(|r| r.diagnostic).collect();
        Kept { shown, hidden: self.hidden, failure: self.failure, fails_gate: self.fails_gate, summary }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcomes_rules::Rule;
    use proptest::prelude::*;

    /// What the CLI did before keeping as it goes: collect everything, then choose.
    fn choose_at_the_end(all: &[Diagnostic], choice: Choice<'_>, max: Option<usize>) -> (Vec<Diagnostic>, usize) {
        let mut chosen: Vec<Diagnostic> = match choice {
            Choice::Canvas => all.iter().filter(|d| d.canvas.is_some()).cloned().collect(),
            Choice::Findings { config, quiet } => all
                .iter()
                .filter_map(|d| {
                    let severity = config.severity_for(d.rule)?;
                    let mut d = d.clone();
                    d.severity = severity;
                    Some(d)
                })
                .filter(|d| !quiet || d.severity == Severity::Error)
                .collect(),
        };
        match choice {
            Choice::Canvas => chosen.sort_by_key(|d| d.canvas.as_ref().map(|c| c.row)),
            Choice::Findings { .. } => {
                chosen.sort_by_key(|d| (d.canvas.as_ref().map(|c| c.row).or(d.row).unwrap_or(0), d.row.unwrap_or(0)))
            }
        }
        let hidden = max.map_or(0, |max| chosen.len().saturating_sub(max));
        chosen.truncate(chosen.len() - hidden);
        (chosen, hidden)
    }

    fn diagnostic((rule, row, canvas, n): (usize, Option<u64>, Option<u64>, usize)) -> Diagnostic {
        let rule = Rule::ALL[rule % Rule::ALL.len()];
        let mut d = Diagnostic::new(rule, format!("finding {n}"));
        if let Some(row) = row {
            d = d.with_row(row);
        }
        if let Some(at) = canvas {
            d = d.reported_by_canvas_at(at);
        }
        d
    }

    fn keep(all: &[Diagnostic], choice: Choice<'_>, max: Option<usize>) -> Kept {
        let mut keeper = Keeper::new(choice, max);
        for d in all {
            keeper.push(d.clone());
        }
        keeper.finish(Summary::default())
    }

    proptest! {
        /// Keeping at most `max` as the diagnostics arrive shows exactly what choosing among all
        /// of them at the end showed, in the same order, and counts the rest.
        #[test]
        fn keeping_as_they_come_shows_what_choosing_at_the_end_showed(
            specs in proptest::collection::vec(
                (any::<usize>(), proptest::option::of(1u64..6), proptest::option::of(1u64..6)),
                0..40,
            ),
            max in proptest::option::of(0usize..12),
            quiet: bool,
            canvas: bool,
        ) {
            let all: Vec<Diagnostic> =
                specs.into_iter().enumerate().map(|(n, (r, row, at))| diagnostic((r, row, at, n))).collect();
            // Hides one rule and raises the warnings: both change what is shown.
            let config = Config::from_toml("ignore = [\"OL112\", \"OL001\"]\nwarn-as-error = [\"lints\"]\n")
                .expect("a valid configuration");
            let choice = if canvas { Choice::Canvas } else { Choice::Findings { config: &config, quiet } };
            let kept = keep(&all, choice, max);
            let (expected, hidden) = choose_at_the_end(&all, choice, max);
            prop_assert_eq!(&kept.shown, &expected);
            prop_assert_eq!(kept.hidden, hidden);
            let failure = all.iter().find(|d| d.fails_import() && (canvas || config.severity_for(d.rule).is_some()));
            prop_assert_eq!(kept.failure.as_ref().map(|d| &d.message), failure.map(|d| &d.message));
        }
    }

    #[test]
    fn the_gate_counts_what_max_errors_hides() {
        let config = Config::default();
        let error = diagnostic((0, Some(9), Some(9), 0));
        assert_eq!(error.severity, Severity::Error, "{:?} is a Canvas error", error.rule);
        let kept = keep(std::slice::from_ref(&error), Choice::Findings { config: &config, quiet: false }, Some(0));
        assert!(kept.shown.is_empty());
        assert_eq!(kept.hidden, 1);
        assert!(kept.fails_gate);
        let kept = keep(&[error], Choice::Canvas, Some(0));
        assert!(kept.fails_gate);
    }
}
