//! Row-level checks of one data record, in Canvas's order.
//!
//! Each check either passes or rejects the row with one message (validation failures may add
//! several). The order matters: Canvas reports only the first failing check of a row, so the
//! same row can show a different message after one problem is fixed.

use outcomes_csv::{Columns, Field, Record, Row};

use crate::view::RowView;

use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::ruby::{inspect_array, inspect_utf8, is_blank_utf8, is_ruby_space, ruby_split_whitespace, ruby_strip};

use super::calculation;
use super::items;
use super::number::parse_number;
use super::state::{Context, ImportState};
use super::UNEXPECTED_ERROR;
use crate::options::CanvasOptions;
use outcomes_csv::Item;

/// What Canvas does with a data record.
#[derive(Debug)]
pub(crate) enum RowVerdict {
    /// Every cell is blank: skipped silently.
    Blank,
    /// Imported as a group or an outcome (built only when asked for).
    Imported(Option<Item>),
    /// Skipped, with these errors.
    Rejected(Vec<Diagnostic>),
    /// Canvas crashes: the whole import fails.
    Crash(Diagnostic),
}

/// Checks one data record against the import so far, and records what it imports.
pub(crate) fn check_row(
    record: &Record,
    columns: &Columns,
    state: &mut ImportState,
    options: &CanvasOptions,
    build_items: bool,
) -> RowVerdict {
    let view = RowView { record, columns };

    // 1. Every cell must be UTF-8, left to right.
    for (index, cell) in record.cells().enumerate() {
        if std::str::from_utf8(cell.value()).is_err() {
            let message = format!("Not a valid utf-8 string: {}", inspect_utf8(cell.value()));
            let field = view.field_name(index);
            let mut note = "Canvas reads the file as UTF-8; this cell has bytes that are not (often a file saved as Windows-1252 or Latin-1).".to_owned();
            if let Some(text) = crate::text::decode_windows_1252(cell.value()) {
                note.push_str(&format!(" Read as Windows-1252 it says {}.", crate::text::show(&text)));
            }
            return RowVerdict::Rejected(vec![
                canvas_at_cell(&view, Rule::InvalidUtf8, message, index, field).with_note(note)
            ]);
        }
    }

    // 2. Blank rows are skipped silently.
    if record.cells().all(|c| is_blank_utf8(std::str::from_utf8(c.value()).unwrap_or_default())) {
        return RowVerdict::Blank;
    }

    // 3. Short rows crash the import.
    if record.len() < columns.main_len() {
        let span = record.span();
        return RowVerdict::Crash(
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
        );
    }

    match check_fields(&view, state, options, build_items) {
        Ok(item) => RowVerdict::Imported(item),
        Err(diagnostics) => RowVerdict::Rejected(diagnostics),
    }
}

type Rejection = Vec<Diagnostic>;

fn reject(d: Diagnostic) -> Rejection {
    vec![d]
}

fn check_fields(
    view: &RowView<'_>,
    state: &mut ImportState,
    options: &CanvasOptions,
    build_items: bool,
) -> Result<Option<Item>, Rejection> {
    let has_ratings = check_ratings(view, options)?;

    if let Some(text) = view.present(Field::MasteryPoints) {
        if parse_number(text, &options.number_format).is_none() {
            return Err(reject(canvas_error(
                view,
                Rule::MasteryPointsInvalid,
                format!("Invalid value for mastery points: \"{text}\""),
                Some(Field::MasteryPoints),
            )));
        }
    }
    if view.present(Field::FriendlyDescription).is_some_and(|v| v.chars().count() > 255) {
        return Err(reject(canvas_error(
            view,
            Rule::FriendlyDescriptionTooLong,
            "Friendly description is too long (maximum is 255 characters)".into(),
            Some(Field::FriendlyDescription),
        )));
    }

    let Some(guid) = view.present(Field::VendorGuid) else {
        return Err(reject(canvas_error(
            view,
            Rule::VendorGuidRequired,
            "The \"vendor_guid\" field is required".into(),
            Some(Field::VendorGuid),
        )));
    };
    let Some(title) = view.present(Field::Title) else {
        return Err(reject(canvas_error(
            view,
            Rule::TitleRequired,
            "The \"title\" field is required".into(),
            Some(Field::Title),
        )));
    };
    if guid.bytes().any(is_ruby_space) {
        return Err(reject(canvas_error(
            view,
            Rule::VendorGuidSpaces,
            "The \"vendor_guid\" field must have no spaces".into(),
            Some(Field::VendorGuid),
        )));
    }
    if !matches!(view.get(Field::WorkflowState), None | Some("" | "active" | "deleted")) {
        return Err(reject(suggest_keyword(
            canvas_error(
                view,
                Rule::WorkflowStateInvalid,
                "\"workflow_state\" must be either \"active\" or \"deleted\"".into(),
                Some(Field::WorkflowState),
            ),
            view.get(Field::WorkflowState),
            &["active", "deleted"],
        )));
    }
    match view.get(Field::ObjectType) {
        Some("group") => {
            let parent = check_group(view, guid, title, has_ratings, state)?;
            Ok(build_items.then(|| items::group(view, guid, title, parent)))
        }
        Some("outcome") => {
            let (parents, calculation) = check_outcome(view, guid, title, state, options)?;
            Ok(build_items.then(|| items::outcome(view, guid, title, parents, calculation, options)))
        }
        other => Err(reject(suggest_keyword(
            canvas_error(
                view,
                Rule::ObjectTypeInvalid,
                format!("Invalid object_type: \"{}\"", other.unwrap_or_default()),
                Some(Field::ObjectType),
            ),
            other,
            &["outcome", "group"],
        ))),
    }
}

/// Parses the rating cells. Returns whether there are any ratings.
fn check_ratings(view: &RowView<'_>, options: &CanvasOptions) -> Result<bool, Rejection> {
    let record = view.record;
    let start = view.columns.main_len();
    // Trailing absent cells (empty and unquoted) do not make tiers; a quoted "" does.
    let mut end = record.len();
    while end > start && record.cell(end - 1).is_some_and(|c| c.is_absent()) {
        end -= 1;
    }
    let mut prior: Option<f64> = None;
    for (tier, index) in (start..end).step_by(2).enumerate() {
        let tier = tier + 1;
        let points = record
            .cell(index)
            .filter(|c| !c.is_absent())
            .and_then(|c| std::str::from_utf8(c.value()).ok())
            .filter(|v| !is_blank_utf8(v));
        let Some(text) = points else {
            return Err(reject(note_ratings_without_header(
                view,
                canvas_at_cell(
                    view,
                    Rule::RatingPointsMissing,
                    format!("Points for rating tier {tier} not present"),
                    index,
                    "ratings",
                ),
            )));
        };
        let Some(value) = parse_number(text, &options.number_format) else {
            return Err(reject(note_ratings_without_header(
                view,
                canvas_at_cell(
                    view,
                    Rule::RatingPointsInvalid,
                    format!("Invalid value for rating tier {tier} threshold: \"{text}\""),
                    index,
                    "ratings",
                ),
            )));
        };
        if let Some(p) = prior {
            if p < value {
                let message = format!(
                    "Points for tier {tier} must be less than points for prior tier ({} is greater than {})",
                    crate::ruby::float_to_s(value),
                    crate::ruby::float_to_s(p)
                );
                return Err(reject(note_ratings_without_header(
                    view,
                    canvas_at_cell(view, Rule::RatingPointsOrder, message, index, "ratings"),
                )));
            }
        }
        prior = Some(value);
    }
    Ok(end > start)
}

/// The distinct guids of `parent_guids`, in the order written (Ruby: `strip.split.uniq`).
fn parent_guids<'a>(view: &RowView<'a>) -> Vec<&'a str> {
    let Some(text) = view.present(Field::ParentGuids) else {
        return Vec::new();
    };
    let mut guids: Vec<&str> = Vec::new();
    for guid in ruby_split_whitespace(ruby_strip(text.as_bytes())) {
        // Splitting on ASCII bytes keeps UTF-8 boundaries intact.
        let guid = std::str::from_utf8(guid).unwrap_or_default();
        if !guids.contains(&guid) {
            guids.push(guid);
        }
    }
    guids
}

/// Rejects the row when a parent is not a group imported earlier.
fn check_parents<'a>(
    view: &RowView<'a>,
    state: &ImportState,
    found: impl Fn(&str) -> bool,
) -> Result<Vec<&'a str>, Rejection> {
    let guids = parent_guids(view);
    let missing: Vec<&str> = guids.iter().copied().filter(|g| !found(g)).collect();
    if missing.is_empty() {
        return Ok(guids);
    }
    let list = inspect_array(missing.iter().map(|g| inspect_utf8(g.as_bytes())));
    let mut d = canvas_error(
        view,
        Rule::ParentNotFound,
        format!("Parent references not found prior to this row: {list}"),
        Some(Field::ParentGuids),
    )
    .with_guids(missing.iter().copied());
    for guid in &missing {
        if let Some(row) = state.outcome_row(guid) {
            d = d.with_related(Related {
                message: format!("\"{guid}\" is an outcome (row {row}), not a group"),
                row: Some(row),
                span: None,
                position: None,
            });
        } else if let Some(row) = state.failed_group_row(guid) {
            d = d.with_related(Related {
                message: format!("group \"{guid}\" (row {row}) was not imported because its row has errors"),
                row: Some(row),
                span: None,
                position: None,
            });
        }
    }
    Err(vec![d])
}

fn check_group(
    view: &RowView<'_>,
    guid: &str,
    title: &str,
    has_ratings: bool,
    state: &mut ImportState,
) -> Result<Option<String>, Rejection> {
    let mut invalid: Vec<(usize, &str)> = [Field::CalculationMethod, Field::CalculationInt]
        .into_iter()
        .filter(|f| view.present(*f).is_some())
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

    let context = match view.present(Field::CourseId) {
        Some(course) => Context::Course(course),
        None => Context::Account,
    };
    let parents = check_parents(view, state, |g| state.has_group(context, g))?;
    if parents.len() > 1 {
        return Err(reject(canvas_error(
            view,
            Rule::GroupMultipleParents,
            "An outcome group can only have one parent".into(),
            Some(Field::ParentGuids),
        )));
    }
    if let Some(first) = state.group_row(context, guid) {
        return Err(reject(
            canvas_error(
                view,
                Rule::GroupDuplicate,
                format!("Group \"{guid}\" has already appeared in this import"),
                Some(Field::VendorGuid),
            )
            .with_guids([guid])
            .with_related(first_appearance(first)),
        ));
    }

    let mut problems = Vec::new();
    if guid.chars().count() > 255 {
        problems.push(canvas_error(
            view,
            Rule::VendorGuidTooLong,
            "Vendor guid is too long (maximum is 255 characters)".into(),
            Some(Field::VendorGuid),
        ));
    }
    if view.get(Field::Description).unwrap_or_default().chars().count() > 65_535 {
        problems.push(canvas_error(
            view,
            Rule::DescriptionTooLong,
            "Description is too long (maximum is 65535 characters)".into(),
            Some(Field::Description),
        ));
    }
    if title.chars().count() > 255 {
        problems.push(canvas_error(
            view,
            Rule::TitleTooLong,
            "Title is too long (maximum is 255 characters)".into(),
            Some(Field::Title),
        ));
    }
    if !problems.is_empty() {
        state.group_failed(guid, view.row());
        return Err(problems);
    }
    state.add_group(context, guid, view.row());
    Ok(parents.first().map(|p| (*p).to_owned()))
}

fn check_outcome<'a>(
    view: &RowView<'a>,
    guid: &str,
    title: &str,
    state: &mut ImportState,
    options: &CanvasOptions,
) -> Result<(Vec<&'a str>, calculation::Calculation), Rejection> {
    if view.present(Field::CourseId).is_some() {
        return Err(reject(canvas_error(
            view,
            Rule::OutcomeInvalidFields,
            "Invalid fields for an outcome: [\"course_id\"]".into(),
            Some(Field::CourseId),
        )));
    }
    // With a course_id column, Canvas looks an outcome's parents up in any context.
    let any_context = view.columns.has(Field::CourseId);
    let parents = check_parents(view, state, |g| {
        if any_context {
            state.has_group_in_any_context(g)
        } else {
            state.has_group(Context::Account, g)
        }
    })?;
    if let Some(first) = state.outcome_row(guid) {
        return Err(reject(
            canvas_error(
                view,
                Rule::OutcomeDuplicate,
                format!("Outcome \"{guid}\" has already appeared in this import"),
                Some(Field::VendorGuid),
            )
            .with_guids([guid])
            .with_related(first_appearance(first)),
        ));
    }

    let mut problems = Vec::new();
    let limits = [
        (Field::Description, "Description", 65_535, Rule::DescriptionTooLong),
        (Field::Title, "Short description", 255, Rule::TitleTooLong),
        (Field::VendorGuid, "Vendor guid", 255, Rule::VendorGuidTooLong),
        (Field::DisplayName, "Display name", 255, Rule::DisplayNameTooLong),
    ];
    for (field, label, max, rule) in limits {
        let value = if field == Field::Title { Some(title) } else { view.present(field) };
        if value.is_some_and(|v| v.chars().count() > max) {
            problems.push(canvas_error(
                view,
                rule,
                format!("{label} is too long (maximum is {max} characters)"),
                Some(field),
            ));
        }
    }
    let calculation =
        calculation::resolve(view.present(Field::CalculationMethod), view.present(Field::CalculationInt), options);
    if let Err(e) = &calculation {
        let field =
            if e.rule == Rule::CalculationMethodInvalid { Field::CalculationMethod } else { Field::CalculationInt };
        let mut d = canvas_error(view, e.rule, e.message.clone(), Some(field));
        if e.rule == Rule::CalculationMethodInvalid {
            d = suggest_keyword(d, view.present(Field::CalculationMethod), &calculation::METHODS);
        }
        problems.push(d);
    }
    match calculation {
        Ok(calculation) if problems.is_empty() => {
            state.add_outcome(guid, view.row());
            Ok((parents, calculation))
        }
        _ => Err(problems),
    }
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

fn first_appearance(row: Row) -> Related {
    Related { message: format!("first imported at row {row}"), row: Some(row), span: None, position: None }
}

/// A Canvas row error: Canvas reports `message` at this row.
fn canvas_error(view: &RowView<'_>, rule: Rule, message: String, field: Option<Field>) -> Diagnostic {
    let row = view.row();
    view.diagnostic(rule, message, field).reported_by_canvas_at(row)
}

fn canvas_at_cell(view: &RowView<'_>, rule: Rule, message: String, index: usize, field: &str) -> Diagnostic {
    let row = view.row();
    view.diagnostic_at_cell(rule, message, index, field).reported_by_canvas_at(row)
}
