//! OL106: a quoted empty (`""`) or whitespace-only `mastery_points` on an outcome with ratings.
//!
//! Ruby's CSV reads an empty unquoted cell as `nil` but `""` as an empty string (and keeps
//! spaces). Canvas's importer (`lib/outcomes/csv_importer.rb`) parses mastery_points only when it
//! is `present?`, so a blank string is passed on unchanged, and
//! `LearningOutcome#rubric_criterion=` (`app/models/learning_outcome.rb`) computes
//! `(mastery_points || top_tier_points).to_f`: the empty string is not `nil`, so the top-tier
//! fallback is skipped and `"".to_f` makes mastery **0.0**, so every rating counts as mastery.
//! Generators that quote every cell (`QUOTE_ALL`) produce exactly this.

use outcomes_csv::Field;

use super::support::Kind;
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

pub(crate) struct MasteryPointsBlankIsZero;

impl Lint for MasteryPointsBlankIsZero {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::MasteryPointsBlankIsZero]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::OUTCOME | RowTraits::TIERS | RowTraits::MASTERY_BLANK)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if cx.kind() != Some(Kind::Outcome) {
            return;
        }
        // An absent cell is not blank: that is OL105's case.
        if !cx.facts.field_blank(Field::MasteryPoints) {
            return;
        }
        let Some(tiers) = cx.tiers() else {
            return;
        };
        let Some(top) = tiers.first() else {
            return;
        };
        let Some(text) = cx.get(Field::MasteryPoints) else {
            return;
        };
        let written = if text.is_empty() {
            "an empty quoted cell (`\"\"`)".to_owned()
        } else {
            format!("only whitespace ({})", show(text))
        };
        out.push(
            view.diagnostic(
                Rule::MasteryPointsBlankIsZero,
                format!("mastery_points is {written}, which Canvas reads as mastery 0: every rating counts as mastery"),
                Some(Field::MasteryPoints),
            )
            .with_note(format!(
                "Only a truly empty cell (no quotes, no spaces) makes mastery the top rating, {}; Canvas turns any other blank text into 0.",
                top.label(view)
            )),
        );
    }
}
