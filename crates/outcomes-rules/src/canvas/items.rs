//! Building the typed [`Item`]s of rows Canvas imports, for importers that ask for them.
//!
//! Only called after a row passed every check, so every parse here succeeds; values are read
//! through the same [`RowView`] and number parser as the checks, never a second implementation.

use outcomes_csv::{CalculationSettings, Field, Group, Item, Origin, Outcome, Rating, State};

use super::calculation::Calculation;
use super::number::parse_number;
use crate::lints::RowContext;
use crate::view::RowView;

fn origin(view: &RowView<'_>) -> Origin {
    Origin { row: view.row(), line: view.record.line(), span: view.record.span() }
}

/// Deleted exactly when the checks took the row as deleted ([`RowContext::is_deleted`]).
fn state(cx: &RowContext<'_>) -> State {
    if cx.is_deleted() {
        State::Deleted
    } else {
        State::Active
    }
}

fn owned(view: &RowView<'_>, field: Field) -> Option<String> {
    view.present(field).map(str::to_owned)
}

pub(crate) fn group(cx: &RowContext<'_>, guid: &str, title: &str, parent: Option<String>) -> Item {
    let view = &cx.view;
    Item::Group(Group {
        origin: origin(view),
        vendor_guid: guid.to_owned(),
        title: title.to_owned(),
        description: owned(view, Field::Description),
        course_id: owned(view, Field::CourseId),
        parent_guid: parent,
        canvas_id: owned(view, Field::CanvasId),
        state: state(cx),
    })
}

pub(crate) fn outcome(
    cx: &RowContext<'_>,
    guid: &str,
    title: &str,
    parents: Vec<&str>,
    calculation: Calculation,
) -> Item {
    let view = &cx.view;
    let format = &cx.options.number_format;
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
        state: state(cx),
    })
}

#[cfg(test)]
mod tests {
    use outcomes_csv::{Item, State};

    use crate::{CanvasOptions, Checker};

    /// An item is deleted exactly when its row's `workflow_state` is `deleted`; `active` and an
    /// empty cell are active.
    #[test]
    fn items_are_deleted_as_their_rows_say() {
        let file = "vendor_guid,object_type,title,parent_guids,workflow_state\n\
                    math,group,Mathematics,,deleted\n\
                    add,outcome,Addition,,active\n\
                    sub,outcome,Subtraction,,\n\
                    mul,outcome,Multiplication,,deleted\n";
        let import = Checker::new(CanvasOptions::default()).import(file.as_bytes()).expect("in memory");
        let states: Vec<State> = import
            .items
            .iter()
            .map(|item| match item {
                Item::Group(group) => group.state,
                Item::Outcome(outcome) => outcome.state,
            })
            .collect();
        assert_eq!(states, [State::Deleted, State::Active, State::Active, State::Deleted]);
    }
}
