//! Building the typed [`Item`]s of rows Canvas imports, for importers that ask for them.
//!
//! Only called after a row passed every check, so every parse here succeeds; values are read
//! through the same [`RowView`] and number parser as the checks, never a second implementation.

use outcomes_csv::{CalculationSettings, Field, Group, Item, Origin, Outcome, Rating, State};

use super::calculation::Calculation;
use super::number::parse_number;
use crate::options::CanvasOptions;
use crate::view::RowView;

fn origin(view: &RowView<'_>) -> Origin {
    Origin { row: view.row(), line: view.record.line(), span: view.record.span() }
}

fn state(view: &RowView<'_>) -> State {
    if view.get(Field::WorkflowState) == Some("deleted") {
        State::Deleted
    } else {
        State::Active
    }
}

fn owned(view: &RowView<'_>, field: Field) -> Option<String> {
    view.present(field).map(str::to_owned)
}

pub(crate) fn group(view: &RowView<'_>, guid: &str, title: &str, parent: Option<String>) -> Item {
    Item::Group(Group {
        origin: origin(view),
        vendor_guid: guid.to_owned(),
        title: title.to_owned(),
        description: owned(view, Field::Description),
        course_id: owned(view, Field::CourseId),
        parent_guid: parent,
        canvas_id: owned(view, Field::CanvasId),
        state: state(view),
    })
}

pub(crate) fn outcome(
    view: &RowView<'_>,
    guid: &str,
    title: &str,
    parents: Vec<&str>,
    calculation: Calculation,
    options: &CanvasOptions,
) -> Item {
    let format = &options.number_format;
    let record = view.record;
    let mut end = record.len();
    while end > view.ratings_start() && record.cell(end - 1).is_some_and(|c| c.is_absent()) {
        end -= 1;
    }
    let ratings = (view.ratings_start()..end)
        .step_by(2)
        .filter_map(|i| {
            let points = record.get_str(i)?;
            let description =
                record.cell(i + 1).filter(|c| i + 1 < end && !c.is_absent()).and_then(|c| c.text()).map(str::to_owned);
            Some(Rating { points: parse_number(points, format)?, description })
        })
        .collect();
    Item::Outcome(Outcome {
        origin: origin(view),
        vendor_guid: guid.to_owned(),
        title: title.to_owned(),
        description: owned(view, Field::Description),
        display_name: owned(view, Field::DisplayName),
        friendly_description: owned(view, Field::FriendlyDescription),
        parent_guids: parents.into_iter().map(str::to_owned).collect(),
        calculation: CalculationSettings { int: calculation.int, method: calculation.method.to_owned() },
        mastery_points: view.present(Field::MasteryPoints).and_then(|m| parse_number(m, format)),
        ratings,
        canvas_id: owned(view, Field::CanvasId),
        state: state(view),
    })
}
