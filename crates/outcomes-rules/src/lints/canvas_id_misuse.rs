//! OL118: a Canvas id written where Canvas will not read it as meant.
//!
//! Canvas's exports name outcomes and groups without a vendor_guid `canvas_outcome:<id>` and
//! `canvas_outcome_group:<id>`, and its documentation reserves both prefixes. The importer
//! (`lib/outcomes/import.rb`) recognises them with unanchored regexps, `/canvas_outcome:(\d+)/`
//! for outcome rows and `/canvas_outcome_group:(\d+)/` for group rows, which gives surprises:
//!
//! - a group id on an outcome row (or the reverse) is an ordinary vendor_guid: Canvas creates a
//!   new object instead of updating the exported one;
//! - the pattern is found anywhere, and only the digits count: `copy-canvas_outcome:12` and
//!   `canvas_outcome:12b` both load outcome 12;
//! - a reserved prefix without digits is an ordinary vendor_guid in a namespace Canvas reserves.
//!
//! And `course_id` is looked up as a Canvas course id, a number: a SIS id or a course code
//! (`MATH-101`) will not find the course.

use outcomes_csv::Field;

use super::database_lookup::{canvas_id_in, may_hold_canvas_id, GROUP_PREFIX, OUTCOME_PREFIX};
use super::support::Kind;
use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

pub(crate) struct CanvasIdMisuse;

impl CanvasIdMisuse {
    /// What is wrong with a guid's Canvas id on a row of `kind`, if anything.
    #[cold]
    #[inline(never)]
    fn guid_problem(guid: &str, kind: Kind) -> Option<(String, String)> {
        let (own, other, other_kind) = match kind {
            Kind::Outcome => (OUTCOME_PREFIX, GROUP_PREFIX, "group"),
            Kind::Group => (GROUP_PREFIX, OUTCOME_PREFIX, "outcome"),
        };
        if !may_hold_canvas_id(guid) {
            return None;
        }
        let shown = show(guid);
        match canvas_id_in(guid, own) {
            Some((at, id)) => {
                let end = at + own.len() + id.len();
                if at == 0 && end == guid.len() {
                    return None;
                }
                let whole = &guid[at..end];
                Some((
                    format!(
                        "vendor_guid {shown} contains {}: Canvas finds it anywhere in the guid and loads {} {id} by its id",
                        show(whole),
                        kind.name()
                    ),
                    format!("Canvas matches the pattern {own}<digits> anywhere in the guid and ignores the rest, so this row updates the {} with Canvas id {id}.", kind.name()),
                ))
            }
            None if canvas_id_in(guid, other).is_some() => Some((
                format!(
                    "vendor_guid {shown} is a Canvas {other_kind} id, but this row is {} {}",
                    if kind == Kind::Outcome { "an" } else { "a" },
                    kind.name()
                ),
                format!(
                    "Canvas recognises {other}<id> only on {other_kind} rows; here it is an ordinary vendor_guid, so Canvas creates or updates the {} with that vendor_guid, not the exported {other_kind}.",
                    kind.name()
                ),
            )),
            None if guid.starts_with("canvas_outcome") && (guid.starts_with(own) || guid.starts_with(other)) => Some((
                format!("vendor_guid {shown} starts with a prefix Canvas reserves for its ids, but has no id"),
                "Canvas's documentation reserves the canvas_outcome: and canvas_outcome_group: prefixes for the ids it assigns on export; without digits after it, Canvas treats this as an ordinary vendor_guid.".to_owned(),
            )),
            None => None,
        }
    }
}

impl Lint for CanvasIdMisuse {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::CanvasIdMisuse]
    }

    /// A Canvas id has a colon, which nearly no guid has; only a group's course_id is looked at.
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::GUID_COLON | RowTraits::GROUP_COURSE)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        let Some(kind) = cx.kind() else {
            return;
        };
        if let Some(guid) = cx.present(Field::VendorGuid) {
            if let Some((message, note)) = Self::guid_problem(guid, kind) {
                out.push(
                    view.diagnostic(Rule::CanvasIdMisuse, message, Some(Field::VendorGuid))
                        .with_guids([guid])
                        .with_note(note),
                );
            }
        }
        // course_id on an outcome is Canvas's error (OL022).
        if kind != Kind::Group {
            return;
        }
        let Some(course) = cx.present(Field::CourseId) else {
            return;
        };
        let trimmed = course.trim();
        if trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        out.push(
            view.diagnostic(
                Rule::CanvasIdMisuse,
                format!(
                    "course_id {} is not a number: Canvas looks courses up by their numeric Canvas id",
                    show(trimmed)
                ),
                Some(Field::CourseId),
            )
            .with_note("A SIS id, course code or name does not find the course; Canvas rejects the row (`Course with canvas id … not found`) or, for text starting with digits, may pick the course with those digits as id.")
            .with_help_text("Use the course's Canvas id: the number in its address, …/courses/<id>."),
        );
    }
}
