//! OL104: `mastery_points` on a group.
//!
//! Canvas's format documentation says mastery_points "must be blank for learning outcome
//! groups", but its importer neither rejects nor uses it (`Outcomes::Import#import_group` in
//! `lib/outcomes/import.rb` reads only title, description, workflow_state and the parent), unlike
//! calculation_method, calculation_int and ratings, which are errors on a group. The author
//! probably meant it for the group's outcomes, which get nothing from it.

use outcomes_csv::Field;

use super::support::Kind;
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

pub(crate) struct MasteryPointsOnGroup;

impl Lint for MasteryPointsOnGroup {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::MasteryPointsOnGroup]
    }

    fn needs(&self) -> Needs {
        Needs::all(RowTraits::GROUP | RowTraits::MASTERY)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if cx.kind() != Some(Kind::Group) {
            return;
        }
        // A value that is not a number is already Canvas's error (OL014). Mastery points are
        // read only from a present cell; its text is fetched for the message.
        if cx.mastery_points().is_none() {
            return;
        }
        let Some(text) = cx.present(Field::MasteryPoints) else {
            return;
        };
        out.push(
            view.diagnostic(
                Rule::MasteryPointsOnGroup,
                format!(
                    "mastery_points {} on a group is ignored: only outcomes have mastery points",
                    show(text.trim())
                ),
                Some(Field::MasteryPoints),
            )
            .with_note("Canvas imports the group without it; the outcomes in the group keep their own mastery_points (or the top rating tier when they have none)."),
        );
    }
}
