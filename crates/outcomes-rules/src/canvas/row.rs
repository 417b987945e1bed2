//! Row-level checks of one data record, in Canvas's order.
//!
//! Each check either passes or rejects the row with one message (validation failures may add
//! several). The order matters: Canvas reports only the first failing check of a row, so the
//! same row can show a different message after one problem is fixed.
//!
//! The checks come in two halves. [`prepare`] runs every check that depends on the row alone
//! (encoding, blank and short rows, ratings, mastery points, required fields, keywords, lengths,
//! the calculation) and may run on any thread, for many rows at once. [`commit`] then runs, in
//! file order, the checks that depend on earlier rows (parents, duplicates) and records what the
//! row imports. What `prepare` finds that Canvas checks only after the parents and duplicates (a
//! title too long, a bad calculation) is kept and reported by `commit` in Canvas's order.

use outcomes_csv::{Field, Item, Row};

use crate::lints::RowContext;
use crate::view::RowView;

use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::ruby::{has_ruby_space, inspect_array, inspect_utf8};
use crate::text::is_utf8_continuation;

use super::calculation::{self, Calculation};
use super::facts::{Kind, Mastery, RatingsProblem, RowFacts};
use super::guids::{GuidId, Guids};
use super::items;
use super::state::{Context, ImportState};
use super::UNEXPECTED_ERROR;

/// What Canvas does with a data record.
#[derive(Debug)]
pub(crate) enum RowVerdict {
    /// Every cell is blank: skipped silently.
    Blank,
    /// Imported as a group or an outcome (built only when asked for; boxed, so that the verdict
    /// of a row stays a few words).
    Imported(Option<Box<Item>>),
    /// Skipped, with these errors.
    Rejected(Vec<Diagnostic>),
    /// Canvas crashes: the whole import fails. Boxed, as in [`Prepared::Crash`].
    Crash(Box<Diagnostic>),
}

/// What the row-only half of the checks found ([`prepare`]).
#[derive(Debug, Default)]
pub(crate) enum Prepared {
    /// Every cell is blank.
    #[default]
    Blank,
    /// Canvas crashes on the row. Boxed: a diagnostic is a few hundred bytes, and every row's
    /// `Prepared` is moved several times on its way to [`commit`], by `memcpy` when it is large.
    Crash(Box<Diagnostic>),
    /// Rejected before any check that depends on earlier rows.
    Rejected(Vec<Diagnostic>),
    /// A group that passed the row-only checks; `problems` are the length errors Canvas reports
    /// after the parent and duplicate checks.
    Group { problems: Vec<Diagnostic> },
    /// An outcome that passed the row-only checks; `problems` are the length and calculation
    /// errors Canvas reports after the parent and duplicate checks.
    Outcome { problems: Vec<Diagnostic>, calculation: Option<Calculation> },
}

/// The guid ids of a row, interned in file order: its own vendor_guid (for a group or outcome
/// row with one) and its parents, in the order of [`RowFacts::parents`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowIds<'a> {
    pub(crate) guid: Option<GuidId>,
    pub(crate) parents: &'a [GuidId],
}

/// The checks of one data record that depend on nothing but the record.
pub(crate) fn prepare(cx: &RowContext<'_>) -> Prepared {
    let (view, facts) = (&cx.view, cx.facts);
    let record = view.record;

    // 1. Every cell must be UTF-8, left to right. The record was validated once, as a whole;
    //    only a record that is not UTF-8 is searched for its first bad cell.
    if !record.is_utf8() {
        for (index, cell) in record.cells().enumerate() {
            if cell.text().is_some() {
                continue;
            }
            let message = format!("Not a valid utf-8 string: {}", inspect_utf8(cell.value()));
            let field = view.field_name(index);
            let mut note = "Canvas reads the file as UTF-8; this cell has bytes that are not (often a file saved as Windows-1252 or Latin-1).".to_owned();
            if let Some(text) = crate::text::decode_windows_1252(cell.value()) {
                note.push_str(&format!(" Read as Windows-1252 it says {}.", crate::text::show(&text)));
            }
            return Prepared::Rejected(vec![
                canvas_at_cell(view, Rule::InvalidUtf8, message, index, field).with_note(note)
            ]);
        }
    }

    // 2. Blank rows are skipped silently.
    if facts.blank {
        return Prepared::Blank;
    }

    // 3. Short rows crash the import.
    let columns = view.columns;
    if record.len() < columns.main_len() {
        let span = record.span();
        return Prepared::Crash(Box::new(
            Diagnostic::new(Rule::ShortRow, UNEXPECTED_ERROR)
                .with_row(record.row())
                .reported_by_canvas_at(1)
                .at(span, record.position(span.start))
                .with_note(format!(
                    "Row {} has {} cells but the header has {} columns before `ratings`; Canvas crashes on such a row, so the whole import fails.",
                    record.row(),
                    record.len(),
                    columns.main_len()
                )),
        ));
    }

    match prepare_fields(cx) {
        Ok(prepared) => prepared,
        Err(diagnostics) => Prepared::Rejected(diagnostics),
    }
}

type Rejection = Vec<Diagnostic>;

fn reject(d: Diagnostic) -> Rejection {
    vec![d]
}

fn prepare_fields(cx: &RowContext<'_>) -> Result<Prepared, Rejection> {
    let (view, facts) = (&cx.view, cx.facts);
    check_ratings(view, facts)?;
    let has_ratings = facts.has_ratings();

    if facts.mastery == Mastery::Invalid {
        let text = cx.present(Field::MasteryPoints).unwrap_or_default();
        return Err(reject(canvas_error(
            view,
            Rule::MasteryPointsInvalid,
            format!("Invalid value for mastery points: \"{text}\""),
            Some(Field::MasteryPoints),
        )));
    }
    if facts.present_bytes(view, Field::FriendlyDescription).is_some_and(|v| longer_than(v, 255)) {
        return Err(reject(canvas_error(
            view,
            Rule::FriendlyDescriptionTooLong,
            "Friendly description is too long (maximum is 255 characters)".into(),
            Some(Field::FriendlyDescription),
        )));
    }

    let Some(guid) = facts.present_bytes(view, Field::VendorGuid) else {
        return Err(reject(canvas_error(
            view,
            Rule::VendorGuidRequired,
            "The \"vendor_guid\" field is required".into(),
            Some(Field::VendorGuid),
        )));
    };
    let Some(title) = facts.present_bytes(view, Field::Title) else {
        return Err(reject(canvas_error(
            view,
            Rule::TitleRequired,
            "The \"title\" field is required".into(),
            Some(Field::Title),
        )));
    };
    if has_ruby_space(guid) {
        return Err(reject(canvas_error(
            view,
            Rule::VendorGuidSpaces,
            "The \"vendor_guid\" field must have no spaces".into(),
            Some(Field::VendorGuid),
        )));
    }
    if !matches!(facts.get_bytes(view, Field::WorkflowState), None | Some(b"" | b"active" | b"deleted")) {
        return Err(reject(suggest_keyword(
            canvas_error(
                view,
                Rule::WorkflowStateInvalid,
                "\"workflow_state\" must be either \"active\" or \"deleted\"".into(),
                Some(Field::WorkflowState),
            ),
            cx.get(Field::WorkflowState),
            &["active", "deleted"],
        )));
    }
    // The kind was read with the facts, exactly as Canvas compares object_type.
    match facts.kind {
        Some(Kind::Group) => prepare_group(cx, guid, title, has_ratings),
        Some(Kind::Outcome) => prepare_outcome(cx, guid, title),
        None => Err(reject(suggest_keyword(
            canvas_error(
                view,
                Rule::ObjectTypeInvalid,
                format!("Invalid object_type: \"{}\"", cx.get(Field::ObjectType).unwrap_or_default()),
                Some(Field::ObjectType),
            ),
            cx.get(Field::ObjectType),
            &["outcome", "group"],
        ))),
    }
}

/// Canvas's verdict on the rating tiers, read into the row's facts.
fn check_ratings(view: &RowView<'_>, facts: &RowFacts) -> Result<(), Rejection> {
    let Err(problem) = facts.ratings else {
        return Ok(());
    };
    let d = match problem {
        RatingsProblem::Missing { tier, index } => canvas_at_cell(
            view,
            Rule::RatingPointsMissing,
            format!("Points for rating tier {tier} not present"),
            index,
            "ratings",
        ),
        RatingsProblem::Invalid { tier, index } => {
            let text = view.record.get_str(index).unwrap_or_default();
            canvas_at_cell(
                view,
                Rule::RatingPointsInvalid,
                format!("Invalid value for rating tier {tier} threshold: \"{text}\""),
                index,
                "ratings",
            )
        }
        RatingsProblem::Order { tier, index, value, prior } => {
            let message = format!(
                "Points for tier {tier} must be less than points for prior tier ({} is greater than {})",
                crate::ruby::float_to_s(value),
                crate::ruby::float_to_s(prior)
            );
            canvas_at_cell(view, Rule::RatingPointsOrder, message, index, "ratings")
        }
    };
    Err(reject(note_ratings_without_header(view, d)))
}

fn prepare_group(cx: &RowContext<'_>, guid: &[u8], title: &[u8], has_ratings: bool) -> Result<Prepared, Rejection> {
    let view = &cx.view;
    let mut invalid: Vec<(usize, &str)> = [Field::CalculationMethod, Field::CalculationInt]
        .into_iter()
        .filter(|f| cx.present(*f).is_some())
        .filter_map(|f| Some((view.columns.first_column(f)?, f.name())))
        .collect();
    invalid.sort();
    let mut names: Vec<&str> = invalid.into_iter().map(|(_, n)| n).collect();
    if has_ratings {
        names.push("ratings");
    }
    if !names.is_empty() {
        let list = inspect_array(names.iter().map(|n| inspect_utf8(n.as_bytes())));
        let first = Field::ALL.into_iter().find(|f| f.name() == names[0]);
        let d = canvas_error(view, Rule::GroupInvalidFields, format!("Invalid fields for a group: {list}"), first);
        return Err(reject(if has_ratings { note_ratings_without_header(view, d) } else { d }));
    }

    let problems = too_long(
        view,
        [
            (Field::VendorGuid, Some(guid), "Vendor guid", 255, Rule::VendorGuidTooLong),
            // A blank description counts here: Canvas validates the group's as written.
            (
                Field::Description,
                cx.facts.get_bytes(view, Field::Description),
                "Description",
                65_535,
                Rule::DescriptionTooLong,
            ),
            (Field::Title, Some(title), "Title", 255, Rule::TitleTooLong),
        ],
    );
    Ok(Prepared::Group { problems })
}

fn prepare_outcome(cx: &RowContext<'_>, guid: &[u8], title: &[u8]) -> Result<Prepared, Rejection> {
    let view = &cx.view;
    if cx.facts.field_present(Field::CourseId) {
        return Err(reject(canvas_error(
            view,
            Rule::OutcomeInvalidFields,
            "Invalid fields for an outcome: [\"course_id\"]".into(),
            Some(Field::CourseId),
        )));
    }
    let mut problems = too_long(
        view,
        [
            (
                Field::Description,
                cx.facts.present_bytes(view, Field::Description),
                "Description",
                65_535,
                Rule::DescriptionTooLong,
            ),
            (Field::Title, Some(title), "Short description", 255, Rule::TitleTooLong),
            (Field::VendorGuid, Some(guid), "Vendor guid", 255, Rule::VendorGuidTooLong),
            (
                Field::DisplayName,
                cx.facts.present_bytes(view, Field::DisplayName),
                "Display name",
                255,
                Rule::DisplayNameTooLong,
            ),
        ],
    );
    // As bytes: the record is UTF-8 here (checked first), and Canvas compares the method with
    // its list byte for byte.
    let calculation = calculation::resolve(
        cx.facts.present_bytes(view, Field::CalculationMethod),
        cx.facts.present_bytes(view, Field::CalculationInt),
        cx.options,
    );
    let calculation = match calculation {
        Ok(calculation) => Some(calculation),
        Err(e) => {
            let field =
                if e.rule == Rule::CalculationMethodInvalid { Field::CalculationMethod } else { Field::CalculationInt };
            let mut d = canvas_error(view, e.rule, e.message, Some(field));
            if e.rule == Rule::CalculationMethodInvalid {
                d = suggest_keyword(d, cx.present(Field::CalculationMethod), &calculation::METHODS);
            }
            problems.push(d);
            None
        }
    };
    Ok(Prepared::Outcome { problems, calculation })
}

/// The checks of one data record that depend on earlier rows, in file order: finishes what
/// [`prepare`] found, and records what the row imports in `state`.
pub(crate) fn commit(
    cx: &RowContext<'_>,
    prepared: Prepared,
    ids: RowIds<'_>,
    state: &mut ImportState,
    guids: &Guids,
    build_items: bool,
) -> RowVerdict {
    let result = match prepared {
        Prepared::Blank => return RowVerdict::Blank,
        Prepared::Crash(d) => return RowVerdict::Crash(d),
        Prepared::Rejected(ds) => return RowVerdict::Rejected(ds),
        Prepared::Group { problems } => commit_group(cx, problems, ids, state, guids, build_items),
        Prepared::Outcome { problems, calculation } => {
            commit_outcome(cx, problems, calculation, ids, state, guids, build_items)
        }
    };
    match result {
        Ok(item) => RowVerdict::Imported(item),
        Err(diagnostics) => RowVerdict::Rejected(diagnostics),
    }
}

/// The item of an imported group row, built out of line and boxed: built inline, an [`Item`]
/// of a few hundred bytes made [`commit`]'s frame 1.7 KB and its result as large, on every row
/// (nearly none builds one).
#[inline(never)]
fn group_item(cx: &RowContext<'_>, guid: &str) -> Box<Item> {
    let title = cx.present(Field::Title).unwrap_or_default();
    let parent = cx.facts.parents(&cx.view).next().map(str::to_owned);
    Box::new(items::group(cx, guid, title, parent))
}

/// The item of an imported outcome row, out of line and boxed as [`group_item`] is.
#[inline(never)]
fn outcome_item(cx: &RowContext<'_>, guid: &str, calculation: Calculation) -> Box<Item> {
    let title = cx.present(Field::Title).unwrap_or_default();
    let parents = cx.facts.parents(&cx.view).collect();
    Box::new(items::outcome(cx, guid, title, parents, calculation))
}

/// Rejects the row when a parent is not a group imported earlier.
fn check_parents(
    view: &RowView<'_>,
    ids: RowIds<'_>,
    state: &ImportState,
    guids: &Guids,
    found: impl Fn(GuidId) -> bool,
) -> Result<(), Rejection> {
    if ids.parents.iter().all(|id| found(*id)) {
        return Ok(());
    }
    Err(parents_not_found(view, ids, state, guids, &found))
}

/// The error of a row with a parent not `found` ([`check_parents`]). Out of line: built inline,
/// this rare error's strings and diagnostic made the frame of [`commit`] (which every row
/// calls) a kilobyte.
#[cold]
#[inline(never)]
fn parents_not_found(
    view: &RowView<'_>,
    ids: RowIds<'_>,
    state: &ImportState,
    guids: &Guids,
    found: &dyn Fn(GuidId) -> bool,
) -> Rejection {
    let missing: Vec<GuidId> = ids.parents.iter().copied().filter(|id| !found(*id)).collect();
    let list = inspect_array(missing.iter().map(|id| inspect_utf8(guids.get(*id).as_bytes())));
    let mut d = canvas_error(
        view,
        Rule::ParentNotFound,
        format!("Parent references not found prior to this row: {list}"),
        Some(Field::ParentGuids),
    )
    .with_guids(missing.iter().map(|id| guids.get(*id)));
    for &id in &missing {
        let guid = guids.get(id);
        if let Some(row) = state.outcome_row(id) {
            d = d.with_related(Related {
                message: format!("\"{guid}\" is an outcome (row {row}), not a group"),
                row: Some(row),
                span: None,
                position: None,
            });
        } else if let Some(row) = state.failed_group_row(id) {
            d = d.with_related(Related {
                message: format!("group \"{guid}\" (row {row}) was not imported because its row has errors"),
                row: Some(row),
                span: None,
                position: None,
            });
        }
    }
    vec![d]
}

fn commit_group(
    cx: &RowContext<'_>,
    problems: Vec<Diagnostic>,
    ids: RowIds<'_>,
    state: &mut ImportState,
    guids: &Guids,
    build_items: bool,
) -> Result<Option<Box<Item>>, Rejection> {
    let (view, facts) = (&cx.view, cx.facts);
    let context = match cx.present(Field::CourseId) {
        Some(course) => Context::Course(course),
        None => Context::Account,
    };
    check_parents(view, ids, state, guids, |g| state.has_group(context, g))?;
    if facts.parent_count() > 1 {
        return Err(reject(canvas_error(
            view,
            Rule::GroupMultipleParents,
            "An outcome group can only have one parent".into(),
            Some(Field::ParentGuids),
        )));
    }
    // A group row that gets this far has a present vendor_guid, interned by the caller.
    let Some(id) = ids.guid else {
        return Ok(None);
    };
    if let Some(first) = state.group_row(context, id) {
        return Err(duplicate(view, Rule::GroupDuplicate, "Group", guids.get(id), first));
    }
    if !problems.is_empty() {
        state.group_failed(id, view.row());
        return Err(problems);
    }
    let_go(problems);
    state.add_group(context, id, view.row());
    Ok(build_items.then(|| group_item(cx, guids.get(id))))
}

/// Lets go of a row's `problems` once they are known to be none. An empty vector that never
/// allocated (as [`too_long`] returns on nearly every row) owns nothing: it is let go without
/// the call to its drop, a call a row.
#[inline]
fn let_go(problems: Vec<Diagnostic>) {
    if problems.capacity() == 0 {
        std::mem::forget(problems);
    }
}

fn commit_outcome(
    cx: &RowContext<'_>,
    problems: Vec<Diagnostic>,
    calculation: Option<Calculation>,
    ids: RowIds<'_>,
    state: &mut ImportState,
    guids: &Guids,
    build_items: bool,
) -> Result<Option<Box<Item>>, Rejection> {
    let view = &cx.view;
    // With a course_id column, Canvas looks an outcome's parents up in any context.
    let any_context = view.columns.has(Field::CourseId);
    check_parents(view, ids, state, guids, |g| {
        if any_context {
            state.has_group_in_any_context(g)
        } else {
            state.has_group(Context::Account, g)
        }
    })?;
    let Some(id) = ids.guid else {
        return Ok(None);
    };
    if let Some(first) = state.outcome_row(id) {
        return Err(duplicate(view, Rule::OutcomeDuplicate, "Outcome", guids.get(id), first));
    }
    match calculation {
        Some(calculation) if problems.is_empty() => {
            let_go(problems);
            state.add_outcome(id, view.row());
            Ok(build_items.then(|| outcome_item(cx, guids.get(id), calculation)))
        }
        _ => Err(problems),
    }
}

/// A length Canvas limits: the field, the bytes of its value (if any), the label of Canvas's
/// message, the most characters allowed, and the rule.
type Limit<'a> = (Field, Option<&'a [u8]>, &'static str, usize, Rule);

/// Canvas's length validations of a group or an outcome, in the order Canvas runs them: for each
/// `(field, value, label, max, rule)` whose value has more than `max` characters, the error
/// Canvas reports with that label.
fn too_long<const N: usize>(view: &RowView<'_>, limits: [Limit<'_>; N]) -> Vec<Diagnostic> {
    let long = |(_, value, _, max, _): &Limit<'_>| value.is_some_and(|v| longer_than(v, *max));
    // Nearly every row has nothing too long: answered in place, without moving the limits into
    // an iterator and collecting nothing.
    if !limits.iter().any(long) {
        return Vec::new();
    }
    limits
        .into_iter()
        .filter(long)
        .map(|(field, _, label, max, rule)| {
            canvas_error(view, rule, format!("{label} is too long (maximum is {max} characters)"), Some(field))
        })
        .collect()
}

/// Whether `text` (the bytes of a field's text, [`RowFacts::get_bytes`]) has more than `max`
/// characters. A text of at most `max` bytes cannot, so nearly every cell is answered without
/// counting; the others count the bytes that start a character.
fn longer_than(text: &[u8], max: usize) -> bool {
    text.len() > max && text.iter().filter(|&&b| !is_utf8_continuation(b)).count() > max
}

/// Adds "Did you mean `group`?" to a Canvas error about a keyword Canvas compares exactly, when
/// the value is one of `candidates` but for case, spaces or a small typo. Canvas's message is
/// left as it is.
fn suggest_keyword(d: Diagnostic, value: Option<&str>, candidates: &[&str]) -> Diagnostic {
    let field = d.field.clone().unwrap_or_default();
    match value.and_then(|v| crate::text::suggest(v, candidates)) {
        Some(meant) => d.with_note(format!(
            "Did you mean `{meant}`? Canvas compares {field} exactly: lowercase, no spaces around it."
        )),
        None => d,
    }
}

/// Explains rating errors in a file whose header has no `ratings` column: Canvas still reads
/// every cell past the header's columns as ratings.
fn note_ratings_without_header(view: &RowView<'_>, d: Diagnostic) -> Diagnostic {
    if view.columns.ratings_index().is_some() {
        return d;
    }
    d.with_note(format!(
        "The header has no `ratings` column, but this row has {} cells for its {} columns: Canvas reads every cell past the header's columns as rating points and descriptions.",
        view.record.len(),
        view.columns.main_len()
    ))
}

/// The error of a group or outcome (`what`) whose `guid` was imported before, at row `first`.
/// Out of line, as [`parents_not_found`] is.
#[cold]
#[inline(never)]
fn duplicate(view: &RowView<'_>, rule: Rule, what: &str, guid: &str, first: Row) -> Rejection {
    reject(
        canvas_error(
            view,
            rule,
            format!("{what} \"{guid}\" has already appeared in this import"),
            Some(Field::VendorGuid),
        )
        .with_guids([guid])
        .with_related(first_appearance(first)),
    )
}

fn first_appearance(row: Row) -> Related {
    Related { message: format!("first imported at row {row}"), row: Some(row), span: None, position: None }
}

/// A Canvas row error: Canvas reports `message` at this row.
fn canvas_error(view: &RowView<'_>, rule: Rule, message: String, field: Option<Field>) -> Diagnostic {
    let row = view.row();
    view.diagnostic(rule, message, field).reported_by_canvas_at(row)
}

fn canvas_at_cell(view: &RowView<'_>, rule: Rule, message: String, index: usize, field: &'static str) -> Diagnostic {
    let row = view.row();
    view.diagnostic_at_cell(rule, message, index, field).reported_by_canvas_at(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Characters counted from the bytes of a text are its characters.
        #[test]
        fn lengths_are_counted_in_characters(text in "[a\u{E9}\u{20AC}\u{1F600}]{0,12}", max in 0usize..14) {
            proptest::prop_assert_eq!(longer_than(text.as_bytes(), max), text.chars().count() > max);
        }
    }
}
