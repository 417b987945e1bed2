//! OL107: an outcome with `mastery_points` but no rating tiers.
//!
//! `Outcomes::Import#import_outcome` (`lib/outcomes/import.rb` in instructure/canvas-lms) rebuilds
//! the outcome's rubric criterion when the row's ratings or its mastery_points are present and
//! differ from the outcome's current ones, from both: with mastery_points alone,
//! `LearningOutcome#rubric_criterion=` stores the mastery points with an **empty list of
//! ratings** (and no points possible). A new outcome (whose current scale is Canvas's default,
//! 5/3/0 with mastery 3) loses that default unless mastery_points is 3; an existing one loses the
//! ratings it had. Authors who write mastery_points usually forgot the ratings columns.

use outcomes_csv::Field;

use super::support::Kind;
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

pub(crate) struct MasteryPointsWithoutRatings;

impl Lint for MasteryPointsWithoutRatings {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::MasteryPointsWithoutRatings]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::OUTCOME | RowTraits::NO_TIERS | RowTraits::MASTERY)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if cx.kind() != Some(Kind::Outcome) {
            return;
        }
        // Mastery points are read only from a present cell; its text is fetched for a message.
        let Some(mastery) = cx.mastery_points() else {
            return;
        };
        if !cx.tiers().is_some_and(|t| t.is_empty()) {
            return;
        }
        let Some(text) = cx.present(Field::MasteryPoints) else {
            return;
        };
        let mut note = String::new();
        if view.columns.ratings_index().is_none() {
            note.push_str("The file has no `ratings` column. ");
        }
        note.push_str("Canvas rebuilds the outcome's scale from the row whenever mastery_points differs from the outcome's current value, and with no tiers it saves an empty list of ratings: a new outcome gets no rating scale at all, an existing one loses its ratings.");
        if mastery == 3.0 {
            note.push_str(" (3 is the mastery of Canvas's default scale, so a new outcome keeps that default, 5/3/0; an existing outcome with another mastery value still loses its ratings.)");
        }
        out.push(
            view.diagnostic(
                Rule::MasteryPointsWithoutRatings,
                format!(
                    "mastery_points {} without rating tiers: Canvas keeps the mastery points and drops the outcome's ratings",
                    show(text.trim())
                ),
                Some(Field::MasteryPoints),
            )
            .with_note(note),
        );
    }
}
