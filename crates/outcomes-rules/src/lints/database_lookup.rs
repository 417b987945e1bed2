//! OL117: values whose effect only Canvas's database knows.
//!
//! An offline check cannot see Canvas's database, so it must not pretend; but it can say what
//! Canvas will look up, so that a failure or a surprise after upload is not a mystery. From
//! `lib/outcomes/import.rb` (instructure/canvas-lms):
//!
//! - an outcome whose vendor_guid contains `canvas_outcome:<digits>` (the regexp is not anchored)
//!   is loaded by that **id**, not matched by vendor_guid; when no outcome has it the row fails
//!   with `Outcome with canvas id "…" not found`, the id in quotes being taken from the
//!   `canvas_id` column (often empty);
//! - a group whose vendor_guid contains `canvas_outcome_group:<digits>` is first looked for by
//!   vendor_guid in the import's account or course, then by that id; a missing id fails the row
//!   (`Outcome group with canvas id … not found`), and a group of another context is not reused;
//! - a group's `course_id` is looked up as a course id: it must exist (`Course with canvas id …
//!   not found`), belong to the account imported into (`Target course … is not a child of current
//!   account`), and the import must be an account import (`Cannot import to other courses`);
//! - `canvas_id` is never used to find anything; it only fills those "not found" messages.
//!
//! Reported once per kind and file, at the first row, with a count: exported files carry such
//! ids on every row.

use std::collections::BTreeSet;

use outcomes_csv::Field;

use super::support::{Kind, Place};
use super::{FileEnd, InOrder, Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::{has_byte, show};

/// `canvas_outcome:` followed by digits anywhere in `guid`, as Canvas's unanchored regexp finds it:
/// the byte offset of the match and the id.
/// Inline, so that the colon test is all a guid without one costs; the substring search, with
/// its large frame, is out of line ([`canvas_id_after_colon`]).
#[inline]
pub(crate) fn canvas_id_in<'a>(guid: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    if !may_hold_canvas_id(guid) {
        return None;
    }
    canvas_id_after_colon(guid, prefix)
}

/// [`canvas_id_in`] for a guid that has a colon.
#[inline(never)]
fn canvas_id_after_colon<'a>(guid: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    guid.match_indices(prefix).find_map(|(at, _)| {
        let rest = &guid[at + prefix.len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0).then(|| (at, &rest[..digits]))
    })
}

/// Whether `guid` may hold a Canvas id ([`canvas_id_in`]) or one of its prefixes: whether it
/// has a colon. Most guids have none, and a byte search is much cheaper than a substring
/// search.
#[inline]
pub(crate) fn may_hold_canvas_id(guid: &str) -> bool {
    has_byte(guid.as_bytes(), b':')
}

/// The prefix of Canvas's exported outcome ids.
pub(crate) const OUTCOME_PREFIX: &str = "canvas_outcome:";
/// The prefix of Canvas's exported group ids.
pub(crate) const GROUP_PREFIX: &str = "canvas_outcome_group:";

#[derive(Default)]
struct Seen {
    first: Option<(Place, String)>,
    count: usize,
}

impl Seen {
    fn note(&mut self, place: impl FnOnce() -> Place, example: &str) {
        if self.first.is_none() {
            self.first = Some((place(), example.to_owned()));
        }
        self.count += 1;
    }
}

#[derive(Default)]
pub(crate) struct DatabaseLookup {
    outcomes: Seen,
    groups: Seen,
    courses: Seen,
    course_ids: BTreeSet<String>,
    canvas_ids: Seen,
}

/// `1 group row names` / `3 group rows name`: `verbs` is the verb for one and for several.
fn rows(count: usize, what: &str, verbs: (&str, &str)) -> String {
    if count == 1 {
        format!("1 {what} {}", verbs.0)
    } else {
        format!("{count} {what}s {}", verbs.1)
    }
}

impl Lint for DatabaseLookup {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::DatabaseLookup]
    }

    fn in_order(&self) -> bool {
        true
    }

    /// A Canvas id in a guid has a colon, a course_id noted is a group's and not empty, and a
    /// canvas_id noted is present: nearly every row has none of these, and is not noted.
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::GUID_COLON | RowTraits::GROUP_COURSE | RowTraits::CANVAS_ID)
    }

    fn row(&mut self, cx: &RowContext<'_>, _order: &InOrder<'_>, _out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        let kind = cx.kind();
        if let Some(guid) = cx.present(Field::VendorGuid) {
            match kind {
                Some(Kind::Outcome) if canvas_id_in(guid, OUTCOME_PREFIX).is_some() => {
                    self.outcomes.note(|| Place::of(view, Field::VendorGuid), guid);
                }
                Some(Kind::Group) if canvas_id_in(guid, GROUP_PREFIX).is_some() => {
                    self.groups.note(|| Place::of(view, Field::VendorGuid), guid);
                }
                _ => {}
            }
        }
        if kind == Some(Kind::Group) {
            if let Some(course) = cx.present(Field::CourseId) {
                self.courses.note(|| Place::of(view, Field::CourseId), course);
                if self.course_ids.len() < 6 {
                    self.course_ids.insert(course.trim().to_owned());
                }
            }
        }
        if let Some(id) = cx.present(Field::CanvasId) {
            self.canvas_ids.note(|| Place::of(view, Field::CanvasId), id);
        }
    }

    fn finish(&mut self, _end: &FileEnd<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        self.report(out);
        out[start..].sort_by_key(|d| (d.row, d.position.map(|p| p.offset)));
    }
}

impl DatabaseLookup {
    fn report(&mut self, out: &mut Vec<Diagnostic>) {
        if let Some((place, guid)) = self.outcomes.first.take() {
            let id = canvas_id_in(&guid, OUTCOME_PREFIX).map(|(_, id)| id).unwrap_or_default();
            out.push(
                place
                    .diagnostic(
                        Rule::DatabaseLookup,
                        format!(
                            "{} an existing outcome by its Canvas id (first {}): Canvas loads outcome {id} from its database instead of matching the vendor_guid",
                            rows(self.outcomes.count, "outcome row", ("names", "name")),
                            show(&guid)
                        ),
                        "vendor_guid",
                    )
                    .with_note("If no outcome has that id, Canvas rejects the row with `Outcome with canvas id \"…\" not found` (the id in quotes comes from the canvas_id column); if it belongs to an unrelated account or course, the row is rejected too. Only Canvas can tell."),
            );
        }
        if let Some((place, guid)) = self.groups.first.take() {
            let id = canvas_id_in(&guid, GROUP_PREFIX).map(|(_, id)| id).unwrap_or_default();
            out.push(
                place
                    .diagnostic(
                        Rule::DatabaseLookup,
                        format!(
                            "{} an existing group by its Canvas id (first {}): Canvas looks for a group with that vendor_guid, then for group {id} in its database",
                            rows(self.groups.count, "group row", ("names", "name")),
                            show(&guid)
                        ),
                        "vendor_guid",
                    )
                    .with_note("If no group has that id, Canvas rejects the row with `Outcome group with canvas id … not found`; a group with that id in another account or course is not reused, and a new group is created instead."),
            );
        }
        if let Some((place, _)) = self.courses.first.take() {
            let mut ids: Vec<String> = self.course_ids.iter().take(5).map(|c| show(c)).collect();
            if self.course_ids.len() > 5 {
                ids.push("…".into());
            }
            out.push(
                place
                    .diagnostic(
                        Rule::DatabaseLookup,
                        format!(
                            "{} into courses by course_id ({}): Canvas looks each course up by its Canvas id",
                            rows(self.courses.count, "group row", ("goes", "go")),
                            ids.join(", ")
                        ),
                        "course_id",
                    )
                    .with_note("The course must exist (`Course with canvas id … not found`), belong to the account you import into (`Target course … is not a child of current account`), and the import must be an account import, not a course import (`Cannot import to other courses`)."),
            );
        }
        if let Some((place, id)) = self.canvas_ids.first.take() {
            out.push(
                place
                    .diagnostic(
                        Rule::DatabaseLookup,
                        format!(
                            "{} a canvas_id (first {}), which Canvas does not use to find anything",
                            rows(self.canvas_ids.count, "row", ("has", "have")),
                            show(id.trim())
                        ),
                        "canvas_id",
                    )
                    .with_note("Canvas matches rows by vendor_guid (or by the id in a canvas_outcome:/canvas_outcome_group: guid); canvas_id only appears in its \"not found\" messages.")
                    .with_help_text("To update an existing outcome or group, keep the vendor_guid Canvas exported for it."),
            );
        }
    }
}
