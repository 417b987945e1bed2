//! OL102: `mastery_points` above the outcome's top rating tier, or below its lowest.
//!
//! Canvas accepts any number as mastery points. Above the top tier, no rating a teacher can give
//! reaches mastery, so no student ever masters the outcome; below the lowest tier, every rating,
//! even the worst, counts as mastery. Both are almost always a typo or points on another scale
//! (a percentage, a 10-point scale against 4-point tiers).

use outcomes_csv::Field;

use super::support::Kind;
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

pub(crate) struct MasteryPointsOutOfRange;

impl Lint for MasteryPointsOutOfRange {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::MasteryPointsOutOfRange]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::OUTCOME | RowTraits::TIERS | RowTraits::MASTERY_OFF_TIERS)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if cx.kind() != Some(Kind::Outcome) {
            return;
        }
        // Mastery points are read only from a present cell, so the text is there whenever they
        // are; it is fetched only for a message.
        let Some(mastery) = cx.mastery_points() else {
            return;
        };
        let Some(tiers) = cx.tiers() else {
            return;
        };
        let (Some(top), Some(bottom)) = (tiers.first(), tiers.last()) else {
            return;
        };
        if mastery <= top.points && mastery >= bottom.points {
            return;
        }
        let Some(text) = cx.present(Field::MasteryPoints) else {
            return;
        };
        let (message, note) = if mastery > top.points {
            (
                format!("mastery_points {} is above the top rating, {}", show(text.trim()), top.label(view)),
                "No rating reaches mastery, so no student can master this outcome.",
            )
        } else if mastery < bottom.points {
            (
                format!("mastery_points {} is below the lowest rating, {}", show(text.trim()), bottom.label(view)),
                "Every rating, even the lowest, counts as mastery.",
            )
        } else {
            return;
        };
        out.push(view.diagnostic(Rule::MasteryPointsOutOfRange, message, Some(Field::MasteryPoints)).with_note(note));
    }
}
