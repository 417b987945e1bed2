//! OL108: a rating tier without a description.
//!
//! `LearningOutcome#rubric_criterion=` (`app/models/learning_outcome.rb` in instructure/canvas-lms)
//! stores `rating[:description] || "No Comment"`: a tier whose description cell is absent (an
//! empty unquoted cell, or the row ends after the points) is shown to teachers and students as
//! "No Comment". A quoted empty or whitespace-only description is not `nil`, so Canvas stores it
//! as written and shows a blank label. Neither is an error, and Canvas's own sample files have
//! such tiers, so this is info.

use super::support::{Kind, Place, TierDescription};
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;

pub(crate) struct RatingDescriptionMissing;

impl Lint for RatingDescriptionMissing {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::RatingDescriptionMissing]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::OUTCOME | RowTraits::UNDESCRIBED_TIER)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        // Ratings on a group are Canvas's error (OL021).
        if cx.kind() != Some(Kind::Outcome) {
            return;
        }
        let Some(tiers) = cx.tiers() else {
            return;
        };
        for tier in tiers {
            let shown = match tier.description {
                TierDescription::Text => continue,
                TierDescription::Absent => "as \"No Comment\"",
                TierDescription::Blank => "with an empty label",
            };
            // Point at the description cell when there is one, else at the points.
            let place = match view.record.cell(tier.index + 1) {
                Some(_) => Place::cell(view, tier.index + 1),
                None => Place::cell(view, tier.index),
            };
            out.push(place.diagnostic(
                Rule::RatingDescriptionMissing,
                format!(
                    "rating tier {} ({}) has no description; Canvas shows it {shown}",
                    tier.number,
                    tier.points_text(view)
                ),
                "ratings",
            ));
        }
    }
}
