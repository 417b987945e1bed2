//! OL103: `mastery_points` between rating tiers, equal to none of them.
//!
//! Canvas stores mastery points as any number, but its mastery scale (the outcome as the
//! Improved Outcomes Management pages and the outcome API with `add_defaults` show it) marks one
//! tier as *the* mastery level: `LearningOutcome#find_mastery_index` in Canvas's
//! `app/models/learning_outcome.rb` picks the tier whose points equal `mastery_points`, and when
//! none does, falls back to the first tier (the second with five or more tiers). So a threshold
//! between tiers shows a different tier as mastery from the one the number implies. It is info:
//! a threshold between tiers is a legitimate choice in the classic outcome pages.

use outcomes_csv::Field;

use super::support::Kind;
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

pub(crate) struct MasteryPointsNotATier;

impl Lint for MasteryPointsNotATier {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::MasteryPointsNotATier]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::OUTCOME | RowTraits::TIERS | RowTraits::MASTERY_OFF_TIERS)
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
        let Some(tiers) = cx.tiers() else {
            return;
        };
        let (Some(top), Some(bottom)) = (tiers.first(), tiers.last()) else {
            return;
        };
        // Outside the tiers' range is OL102's finding.
        if mastery > top.points || mastery < bottom.points {
            return;
        }
        if tiers.iter().any(|t| t.points == mastery) {
            return;
        }
        let fallback = if tiers.len() >= 5 { &tiers[1] } else { &tiers[0] };
        // The lowest tier that still reaches the threshold is the likeliest meaning.
        let Some(meant) = tiers.iter().rev().find(|t| t.points >= mastery) else {
            return;
        };
        let Some(text) = cx.present(Field::MasteryPoints) else {
            return;
        };
        let points: Vec<&str> = tiers.iter().map(|t| t.written(view)).collect();
        out.push(
            view.diagnostic(
                Rule::MasteryPointsNotATier,
                format!(
                    "mastery_points {} matches no rating tier ({})",
                    show(text.trim()),
                    points.join(", ")
                ),
                Some(Field::MasteryPoints),
            )
            .with_note(format!(
                "Canvas's mastery scale marks the tier whose points equal mastery_points as the mastery level; with none, it marks {}.",
                fallback.label(view)
            ))
            .with_help_text(format!(
                "Did you mean {}, the points of {}? Set mastery_points to the points of the tier that means mastery.",
                meant.written(view),
                meant.label(view)
            )),
        );
    }
}
