//! Lints: what Canvas accepts silently but users regret. Each lint lives in its own module with
//! its check; its code, severity and texts are declared in [`crate::registry`].
//!
//! Lints never change Canvas's verdict or `processing_errors`; they only add diagnostics (warning
//! or info unless the user asks otherwise).

mod canvas_id_misuse;
mod database_lookup;
mod duplicate_sibling_title;
mod empty_group;
mod formula_injection;
mod guid_group_and_outcome;
mod invisible_whitespace;
mod mastery_points_blank_is_zero;
mod mastery_points_missing;
mod mastery_points_not_a_tier;
mod mastery_points_on_group;
mod mastery_points_out_of_range;
mod mastery_points_without_ratings;
mod nul_character;
mod number_locale;
mod parent_defined_later;
mod parent_deleted;
mod rating_description_missing;
mod rating_points_duplicate;
pub(crate) mod support;
mod surrounding_whitespace;
mod utf16_file;
mod windows_1252_text;

use std::collections::BTreeSet;

use outcomes_csv::{Columns, Record};

use crate::diagnostic::Diagnostic;
use crate::options::CanvasOptions;
use crate::registry::{Rule, Scope};
use crate::view::RowView;

/// How many bytes of the file's start [`Lint::file_start`] sees.
pub const HEAD_LEN: usize = 4096;

/// What a lint sees of a data row.
#[derive(Debug, Clone, Copy)]
pub struct RowContext<'a> {
    /// The row, through the header.
    pub view: RowView<'a>,
    /// The account settings.
    pub options: &'a CanvasOptions,
    /// Whether Canvas imports the row.
    pub imported: bool,
    /// What several lints read from the row, computed once per row.
    pub(crate) facts: &'a RowFacts<'a>,
}

impl<'a> RowContext<'a> {
    /// The distinct guids of `parent_guids`, as Canvas splits them.
    pub(crate) fn parents(&self) -> &[&'a str] {
        self.facts.parents.get_or_init(|| support::parent_guids(&self.view))
    }

    /// The rating tiers, or `None` when Canvas rejects them.
    pub(crate) fn tiers(&self) -> Option<&[support::Tier<'a>]> {
        self.facts.tiers.get_or_init(|| support::tiers(&self.view, &self.options.number_format)).as_deref()
    }

    /// The value of `field` as Ruby sees it ([`RowView::get`]), read once per row.
    pub(crate) fn get(&self, field: outcomes_csv::Field) -> Option<&'a str> {
        *self.facts.fields[field as usize].get_or_init(|| self.view.get(field))
    }

    /// The value of `field` unless it is blank ([`RowView::present`]).
    pub(crate) fn present(&self, field: outcomes_csv::Field) -> Option<&'a str> {
        self.get(field).filter(|v| !crate::ruby::is_blank_utf8(v))
    }

    /// `mastery_points` as Canvas reads it, when it is present and a number.
    pub(crate) fn mastery_points(&self) -> Option<f64> {
        *self.facts.mastery.get_or_init(|| {
            let text = self.present(outcomes_csv::Field::MasteryPoints)?;
            support::read_number(text, &self.options.number_format)
        })
    }

    /// `group` or `outcome` (exactly as Canvas compares them), or neither.
    pub(crate) fn kind(&self) -> Option<support::Kind> {
        *self.facts.kind.get_or_init(|| match self.get(outcomes_csv::Field::ObjectType)? {
            "group" => Some(support::Kind::Group),
            "outcome" => Some(support::Kind::Outcome),
            _ => None,
        })
    }

    /// Whether the row is marked `deleted` (exactly, as Canvas compares it).
    pub(crate) fn is_deleted(&self) -> bool {
        self.get(outcomes_csv::Field::WorkflowState) == Some("deleted")
    }

    /// Whether every cell is blank (Canvas skips the row silently).
    pub(crate) fn is_blank(&self) -> bool {
        *self.facts.blank.get_or_init(|| support::is_blank_row(&self.view))
    }

    /// Whether the whole record is valid UTF-8 (then so is every cell).
    pub(crate) fn is_utf8(&self) -> bool {
        std::str::from_utf8(self.view.record.raw()).is_ok()
    }
}

/// Per-row values shared by the lints, each computed on first use.
#[derive(Debug, Default)]
pub(crate) struct RowFacts<'a> {
    parents: std::cell::OnceCell<Vec<&'a str>>,
    tiers: std::cell::OnceCell<Option<Vec<support::Tier<'a>>>>,
    blank: std::cell::OnceCell<bool>,
    kind: std::cell::OnceCell<Option<support::Kind>>,
    mastery: std::cell::OnceCell<Option<f64>>,
    fields: [std::cell::OnceCell<Option<&'a str>>; outcomes_csv::Field::ALL.len()],
}

/// A check beyond Canvas's. Called with the first bytes of the file, for the header, every data
/// row, and once at the end.
///
/// Lints see files as Canvas's engine streams them, so they keep only compact state (guids,
/// titles per parent, counts), never copies of records.
pub trait Lint {
    /// The rules this lint can report.
    fn rules(&self) -> &'static [Rule];

    /// Looks at the first bytes of the file (up to [`HEAD_LEN`], BOM included), before anything
    /// is parsed: the only place a lint sees the file's encoding when Canvas cannot even read its
    /// header.
    fn file_start(&mut self, _head: &[u8], _out: &mut Vec<Diagnostic>) {}

    /// Looks at the header record (`columns` is `None` when Canvas rejects the header).
    fn header(&mut self, _header: &Record, _columns: Option<&Columns>, _out: &mut Vec<Diagnostic>) {}

    /// Looks at one data row.
    fn row(&mut self, _cx: &RowContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Told, before [`Lint::finish`], that Canvas fails the whole import (a syntax error, a
    /// header error, a crash): findings about what the import would build are then moot.
    fn import_failed(&mut self) {}

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
        LintSelection { enabled: Rule::ALL.iter().copied().filter(|r| r.scope() == Scope::Lint).collect() }
    }
}

impl LintSelection {
    /// No lint at all: Canvas's checks only.
    pub fn none() -> LintSelection {
        LintSelection { enabled: BTreeSet::new() }
    }

    /// Exactly these rules (non-lint rules are ignored: Canvas's checks always run).
    pub fn only(rules: impl IntoIterator<Item = Rule>) -> LintSelection {
        LintSelection { enabled: rules.into_iter().filter(|r| r.scope() == Scope::Lint).collect() }
    }

    /// Whether `rule` runs.
    pub fn is_enabled(&self, rule: Rule) -> bool {
        self.enabled.contains(&rule)
    }
}

/// The lints that have at least one enabled rule.
pub(crate) fn enabled(selection: &LintSelection, options: &CanvasOptions) -> Vec<Box<dyn Lint>> {
    let all: Vec<Box<dyn Lint>> = vec![
        Box::new(number_locale::NumberLocale::new(options)),
        Box::new(parent_defined_later::ParentDefinedLater::default()),
        Box::new(mastery_points_out_of_range::MasteryPointsOutOfRange),
        Box::new(mastery_points_not_a_tier::MasteryPointsNotATier),
        Box::new(mastery_points_on_group::MasteryPointsOnGroup),
        Box::new(mastery_points_missing::MasteryPointsMissing),
        Box::new(mastery_points_blank_is_zero::MasteryPointsBlankIsZero),
        Box::new(mastery_points_without_ratings::MasteryPointsWithoutRatings),
        Box::new(rating_description_missing::RatingDescriptionMissing),
        Box::new(rating_points_duplicate::RatingPointsDuplicate),
        Box::new(invisible_whitespace::InvisibleWhitespace),
        Box::new(surrounding_whitespace::SurroundingWhitespace),
        Box::new(duplicate_sibling_title::DuplicateSiblingTitle::default()),
        Box::new(empty_group::EmptyGroup::default()),
        Box::new(guid_group_and_outcome::GuidGroupAndOutcome::default()),
        Box::new(parent_deleted::ParentDeleted::default()),
        Box::new(formula_injection::FormulaInjection),
        Box::new(database_lookup::DatabaseLookup::default()),
        Box::new(canvas_id_misuse::CanvasIdMisuse),
        Box::new(nul_character::NulCharacter::default()),
        Box::new(utf16_file::Utf16File),
        Box::new(windows_1252_text::Windows1252Text::default()),
    ];
    all.into_iter().filter(|lint| lint.rules().iter().any(|r| selection.is_enabled(*r))).collect()
}
