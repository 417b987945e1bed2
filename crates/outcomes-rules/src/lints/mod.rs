//! Lints: what Canvas accepts silently but users regret. Each lint lives in its own module with
//! its check; its code, severity and texts are declared in [`crate::registry`].
//!
//! Lints never change Canvas's verdict or `processing_errors`; they only add diagnostics (warning
//! or info unless the user asks otherwise).

mod number_locale;

use std::collections::BTreeSet;

use outcomes_csv::{Columns, Record};

use crate::diagnostic::Diagnostic;
use crate::options::CanvasOptions;
use crate::registry::{Rule, Scope};
use crate::view::RowView;

/// What a lint sees of a data row.
#[derive(Debug, Clone, Copy)]
pub struct RowContext<'a> {
    /// The row, through the header.
    pub view: RowView<'a>,
    /// The account settings.
    pub options: &'a CanvasOptions,
    /// Whether Canvas imports the row.
    pub imported: bool,
}

/// A check beyond Canvas's. Called for the header, every data row, and once at the end.
pub trait Lint {
    /// The rules this lint can report.
    fn rules(&self) -> &'static [Rule];

    /// Looks at the header record (`columns` is `None` when Canvas rejects the header).
    fn header(&mut self, _header: &Record, _columns: Option<&Columns>, _out: &mut Vec<Diagnostic>) {
    }

    /// Looks at one data row.
    fn row(&mut self, _cx: &RowContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Reports what needs the whole file.
    fn finish(&mut self, _out: &mut Vec<Diagnostic>) {}
}

/// Which lint rules run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintSelection {
    enabled: BTreeSet<Rule>,
}

impl Default for LintSelection {
    /// Every lint rule.
    fn default() -> Self {
        LintSelection {
            enabled: Rule::ALL
                .iter()
                .copied()
                .filter(|r| r.scope() == Scope::Lint)
                .collect(),
        }
    }
}

impl LintSelection {
    /// No lint at all: Canvas's checks only.
    pub fn none() -> LintSelection {
        LintSelection {
            enabled: BTreeSet::new(),
        }
    }

    /// Exactly these rules (non-lint rules are ignored: Canvas's checks always run).
    pub fn only(rules: impl IntoIterator<Item = Rule>) -> LintSelection {
        LintSelection {
            enabled: rules
                .into_iter()
                .filter(|r| r.scope() == Scope::Lint)
                .collect(),
        }
    }

    /// Whether `rule` runs.
    pub fn is_enabled(&self, rule: Rule) -> bool {
        self.enabled.contains(&rule)
    }
}

/// The lints that have at least one enabled rule.
pub(crate) fn enabled(selection: &LintSelection, options: &CanvasOptions) -> Vec<Box<dyn Lint>> {
    let all: Vec<Box<dyn Lint>> = vec![Box::new(number_locale::NumberLocale::new(options))];
    all.into_iter()
        .filter(|lint| lint.rules().iter().any(|r| selection.is_enabled(*r)))
        .collect()
}
