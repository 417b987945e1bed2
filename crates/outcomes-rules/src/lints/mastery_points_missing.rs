//! OL105: an outcome with rating tiers but no `mastery_points`.
//!
//! What Canvas does, read in its source (instructure/canvas-lms): `Outcomes::CSVImporter`
//! (`lib/outcomes/csv_importer.rb`) parses mastery_points only when it is `present?`;
//! `Outcomes::Import#import_outcome` (`lib/outcomes/import.rb`) rebuilds the outcome's rubric
//! criterion whenever the row has ratings, passing mastery_points as read; and
//! `LearningOutcome#rubric_criterion=` (`app/models/learning_outcome.rb`) sorts the tiers by
//! points, highest first, and sets `mastery_points = (mastery_points || ratings[0][:points]).to_f`.
//! So an absent mastery_points makes the **top tier** the mastery threshold: only the best rating
//! counts as mastery. That is sometimes intended, often not (a 4-3-2-1 scale usually has mastery
//! at 3). It is info, not a warning, because Canvas's own sample files rely on it.
//!
//! A quoted empty or whitespace-only cell is not absent in Ruby's CSV (`""` is not `nil`), and
//! gives mastery **0** instead: that is OL106.

use outcomes_csv::Field;

use super::support::Kind;
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;

pub(crate) struct MasteryPointsMissing;

impl Lint for MasteryPointsMissing {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::MasteryPointsMissing]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::OUTCOME | RowTraits::TIERS | RowTraits::MASTERY_NOTHING)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if cx.kind() != Some(Kind::Outcome) {
            return;
        }
        let absent = match view.columns.column(Field::MasteryPoints) {
            None => true,
            Some(i) => view.record.cell(i).is_none_or(|c| c.is_absent()),
        };
        if !absent {
            return;
        }
        let Some(tiers) = cx.tiers() else {
            return;
        };
        let Some(top) = tiers.first() else {
            return;
        };
        let message =
            format!("no mastery_points: Canvas makes the top rating, {}, the mastery threshold", top.label(view));
        let d = view.diagnostic(Rule::MasteryPointsMissing, message, Some(Field::MasteryPoints));
        out.push(
            if view.columns.has(Field::MasteryPoints) {
                d
            } else {
                d.with_note("The file has no mastery_points column.")
            }
            .with_help_text(match tiers.get(1) {
                Some(second) => format!(
                    "If mastery is not only the top rating, write the threshold in mastery_points, e.g. {} for {}.",
                    second.written(view),
                    second.label(view)
                ),
                None => "Write the threshold in mastery_points if mastery is not the top rating.".to_owned(),
            }),
        );
    }
}
