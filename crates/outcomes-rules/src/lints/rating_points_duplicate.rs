//! OL109: two rating tiers with the same points.
//!
//! Canvas rejects tiers in increasing order but allows equal points (OL013 only fires when a
//! tier has *more* points than the one before). `LearningOutcome#rubric_criterion=` then sorts
//! tiers by points with Ruby's `sort_by`, which is not stable, so the tied tiers may swap; and a
//! score of that many points matches both, so results cannot say which was meant. Usually a
//! copy-paste slip in the points.

use super::support::{Kind, Place};
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;

pub(crate) struct RatingPointsDuplicate;

impl Lint for RatingPointsDuplicate {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::RatingPointsDuplicate]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::OUTCOME | RowTraits::EQUAL_POINTS)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if cx.kind() != Some(Kind::Outcome) {
            return;
        }
        let Some(tiers) = cx.tiers() else {
            return;
        };
        // Tiers are in non-increasing order here, so equal points are neighbours.
        for pair in tiers.windows(2) {
            let (first, second) = (&pair[0], &pair[1]);
            if first.points != second.points {
                continue;
            }
            out.push(
                Place::cell(view, second.index)
                    .diagnostic(
                        Rule::RatingPointsDuplicate,
                        format!(
                            "rating {} has the same points as {}",
                            second.label(view),
                            first.label(view)
                        ),
                        "ratings",
                    )
                    .with_note("Canvas accepts equal points, but a score of that many points matches both tiers, and Canvas may list them in either order.")
                    .with_related(Place::cell(view, first.index).related(format!(
                        "rating tier {} has the same points",
                        first.number
                    ))),
            );
        }
    }
}
