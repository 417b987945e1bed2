//! Every rule, declared once: code, name, default severity, summary, and how to fix it.
//!
//! Codes never change meaning and are never reused. `outcomes-lint rules` and `explain` and the
//! SARIF rule table all read this one declaration.

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Canvas accepts it, but the result is probably not what the author meant.
    Warning,
    /// Canvas rejects the row or the whole file.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether Canvas fails the whole import or skips one row when a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The import fails; nothing (more) is imported.
    File,
    /// The row is skipped; the rest still imports.
    Row,
    /// Not a Canvas error at all: one of our own findings.
    Lint,
}

macro_rules! declare_rules {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $code:literal, $name:literal, $severity:ident, $scope:ident,
            summary: $summary:literal, help: $help:literal;
    )*) => {
        /// A rule: one kind of finding with a stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in code order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable code, e.g. `OL023`.
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)* }
            }

            /// A short kebab-case name, e.g. `parent-not-found`.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// The severity the rule has unless configured otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// What Canvas does when the rule fires.
            pub fn scope(self) -> Scope {
                match self { $(Rule::$variant => Scope::$scope,)* }
            }

            /// One sentence: what the rule finds.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// One sentence: how to fix it.
            pub fn help(self) -> &'static str {
                match self { $(Rule::$variant => $help,)* }
            }
        }
    };
}

declare_rules! {
    /// `File has no data`.
    EmptyFile = "OL001", "empty-file", Error, File,
        summary: "The file is empty; Canvas fails the import with \"File has no data\".",
        help: "Export the outcomes again; the file has no bytes at all.";
    /// `Invalid CSV File`.
    InvalidCsv = "OL002", "invalid-csv", Error, File,
        summary: "The file breaks Ruby's strict CSV syntax, so Canvas rejects all of it with \"Invalid CSV File\".",
        help: "Quote any cell that contains a quote, separator or line break, double the quotes inside it, and use one kind of line ending throughout.";
    /// `Invalid fields after ratings: [...]`.
    FieldsAfterRatings = "OL003", "fields-after-ratings", Error, File,
        summary: "The header has named columns after `ratings`; every column from `ratings` on must be a rating column.",
        help: "Move these columns before the `ratings` column, or leave their header cells empty.";
    /// `Missing required fields: [...]`.
    MissingRequiredFields = "OL004", "missing-required-fields", Error, File,
        summary: "The header lacks `title`, `vendor_guid` or `object_type` (before `ratings`).",
        help: "Add the missing columns to the header; names are case-sensitive and must have no spaces around them.";
    /// `Invalid fields: [...]`.
    UnknownFields = "OL005", "unknown-fields", Error, File,
        summary: "A header cell before `ratings` is not a column Canvas knows.",
        help: "Rename or remove the column; Canvas compares header names exactly (case-sensitive, no trimming).";
    /// `File has no outcomes data`.
    NoOutcomesData = "OL006", "no-outcomes-data", Error, File,
        summary: "The file has a header and nothing else.",
        help: "Add at least one outcome or group row under the header.";
    /// An empty unquoted header cell crashes Canvas (`An unexpected error has occurred`).
    EmptyHeaderCell = "OL007", "empty-header-cell", Error, File,
        summary: "An empty header cell before `ratings` makes Canvas crash with \"An unexpected error has occurred\".",
        help: "Delete the empty header cell (often trailing separators left by a spreadsheet), or name the column.";
    /// A short row crashes Canvas (`An unexpected error has occurred`).
    ShortRow = "OL008", "short-row", Error, File,
        summary: "A row has fewer cells than the header has columns before `ratings`, which makes Canvas crash with \"An unexpected error has occurred\".",
        help: "Add the missing separators so the row has a cell for every header column.";
    /// `Not a valid utf-8 string: ...`.
    InvalidUtf8 = "OL010", "invalid-utf8", Error, Row,
        summary: "A cell is not valid UTF-8; Canvas skips the row.",
        help: "Save the file as \"CSV UTF-8\" (Excel) or re-encode it to UTF-8.";
    /// `Points for rating tier N not present`.
    RatingPointsMissing = "OL011", "rating-points-missing", Error, Row,
        summary: "A rating tier has a description but no points.",
        help: "Give every rating tier its points, or remove the tier's description.";
    /// `Invalid value for rating tier N threshold: "..."`.
    RatingPointsInvalid = "OL012", "rating-points-invalid", Error, Row,
        summary: "A rating tier's points are not a number in the account's number format.",
        help: "Write the points as a plain number, e.g. 3 or 2.5 (with the account locale's decimal separator).";
    /// `Points for tier N must be less than points for prior tier (...)`.
    RatingPointsOrder = "OL013", "rating-points-order", Error, Row,
        summary: "Rating tiers must go from the most points to the fewest.",
        help: "Order the rating tiers from highest to lowest points.";
    /// `Invalid value for mastery points: "..."`.
    MasteryPointsInvalid = "OL014", "mastery-points-invalid", Error, Row,
        summary: "`mastery_points` is not a number in the account's number format.",
        help: "Write mastery points as a plain number, e.g. 3 or 2.5, or leave the cell empty.";
    /// `Friendly description is too long (maximum is 255 characters)`.
    FriendlyDescriptionTooLong = "OL015", "friendly-description-too-long", Error, Row,
        summary: "`friendly_description` is longer than 255 characters.",
        help: "Shorten the friendly description to 255 characters or fewer.";
    /// `The "vendor_guid" field is required`.
    VendorGuidRequired = "OL016", "vendor-guid-required", Error, Row,
        summary: "The row has no `vendor_guid`.",
        help: "Give every row a unique vendor_guid; other rows refer to groups by it.";
    /// `The "title" field is required`.
    TitleRequired = "OL017", "title-required", Error, Row,
        summary: "The row has no `title`.",
        help: "Give the row a title.";
    /// `The "vendor_guid" field must have no spaces`.
    VendorGuidSpaces = "OL018", "vendor-guid-spaces", Error, Row,
        summary: "`vendor_guid` contains a space, tab or line break.",
        help: "Remove the whitespace from the vendor_guid, e.g. replace spaces with `-` or `_`, and update parent_guids that refer to it.";
    /// `"workflow_state" must be either "active" or "deleted"`.
    WorkflowStateInvalid = "OL019", "workflow-state-invalid", Error, Row,
        summary: "`workflow_state` is neither empty, `active` nor `deleted` (exactly, lowercase).",
        help: "Write `active`, `deleted`, or leave the cell empty.";
    /// `Invalid object_type: "..."`.
    ObjectTypeInvalid = "OL020", "object-type-invalid", Error, Row,
        summary: "`object_type` is not exactly `outcome` or `group`.",
        help: "Write `outcome` or `group` (lowercase, no spaces).";
    /// `Invalid fields for a group: [...]`.
    GroupInvalidFields = "OL021", "group-invalid-fields", Error, Row,
        summary: "A group row has a calculation method, calculation int or ratings, which only outcomes take.",
        help: "Clear these cells on group rows, or change object_type to `outcome` if the row is an outcome.";
    /// `Invalid fields for an outcome: ["course_id"]`.
    OutcomeInvalidFields = "OL022", "outcome-invalid-fields", Error, Row,
        summary: "An outcome row has a `course_id`, which only groups take.",
        help: "Clear course_id on outcome rows; put the outcome in a group that has the course_id instead.";
    /// `Parent references not found prior to this row: [...]`.
    ParentNotFound = "OL023", "parent-not-found", Error, Row,
        summary: "`parent_guids` names a group that was not imported by an earlier row.",
        help: "Define each parent group in a row above this one (or fix the guid); `outcomes-lint fix` can reorder rows.";
    /// `An outcome group can only have one parent`.
    GroupMultipleParents = "OL024", "group-multiple-parents", Error, Row,
        summary: "A group names more than one parent group.",
        help: "Give the group a single parent guid; only outcomes may have several parents.";
    /// `Group "..." has already appeared in this import`.
    GroupDuplicate = "OL025", "group-duplicate", Error, Row,
        summary: "A group with this vendor_guid was already imported by an earlier row.",
        help: "Give each group its own vendor_guid, or delete the repeated row.";
    /// `Outcome "..." has already appeared in this import`.
    OutcomeDuplicate = "OL026", "outcome-duplicate", Error, Row,
        summary: "An outcome with this vendor_guid was already imported by an earlier row.",
        help: "Give each outcome its own vendor_guid; to put one outcome in several groups, list them all in its parent_guids.";
    /// `Vendor guid is too long (maximum is 255 characters)`.
    VendorGuidTooLong = "OL027", "vendor-guid-too-long", Error, Row,
        summary: "`vendor_guid` is longer than 255 characters.",
        help: "Shorten the vendor_guid to 255 characters or fewer.";
    /// `Description is too long (maximum is 65535 characters)`.
    DescriptionTooLong = "OL028", "description-too-long", Error, Row,
        summary: "`description` is longer than 65535 characters.",
        help: "Shorten the description to 65535 characters or fewer.";
    /// `Title is too long` / `Short description is too long` (maximum is 255 characters).
    TitleTooLong = "OL029", "title-too-long", Error, Row,
        summary: "`title` is longer than 255 characters.",
        help: "Shorten the title to 255 characters or fewer; put the rest in description.";
    /// `Display name is too long (maximum is 255 characters)`.
    DisplayNameTooLong = "OL030", "display-name-too-long", Error, Row,
        summary: "`display_name` is longer than 255 characters.",
        help: "Shorten the display name to 255 characters or fewer.";
    /// `Calculation method calculation_method must be one of the following: [...]`.
    CalculationMethodInvalid = "OL031", "calculation-method-invalid", Error, Row,
        summary: "`calculation_method` is not one Canvas knows.",
        help: "Use one of decaying_average, weighted_average, standard_decaying_average, n_mastery, highest, latest, average (lowercase), or leave it empty for the default.";
    /// `Calculation int A calculation value is not used with this calculation method`.
    CalculationIntNotUsed = "OL032", "calculation-int-not-used", Error, Row,
        summary: "`calculation_int` is set for a method that takes none (highest, latest, average).",
        help: "Clear calculation_int for this calculation method.";
    /// `Calculation int '...' is not a valid value for this calculation method...`.
    CalculationIntOutOfRange = "OL033", "calculation-int-out-of-range", Error, Row,
        summary: "`calculation_int` is outside the range the calculation method accepts.",
        help: "Use 1-99 for decaying_average and weighted_average, 50-99 for standard_decaying_average, 1-10 for n_mastery.";

    // Lints: Canvas accepts these, but the result is probably not what the author meant.

    /// A number that the account locale reads differently from how it looks (`1,5` is 15).
    NumberReadDifferently = "OL100", "number-read-differently", Warning, Lint,
        summary: "A rating or mastery_points value contains the locale's thousands delimiter where it cannot group thousands, so Canvas reads another number than the one written (under `en`, `1,5` is 15).",
        help: "Write the number with the account locale's decimal separator, or check the account locale with --locale.";
    /// A group defined below rows that already named it as their parent.
    ParentDefinedLater = "OL101", "parent-defined-later", Info, Lint,
        summary: "A group is defined after rows that name it in parent_guids; Canvas rejected those rows because parents must come first.",
        help: "Move the group's row above the first row that names it; `outcomes-lint fix` reorders rows so parents come first.";
    /// `mastery_points` outside the range of the outcome's rating tiers.
    MasteryPointsOutOfRange = "OL102", "mastery-points-out-of-range", Warning, Lint,
        summary: "An outcome's mastery_points is above its top rating tier (no rating reaches mastery) or below its lowest (every rating is mastery).",
        help: "Set mastery_points to the points of the rating tier that means mastery.";
    /// `mastery_points` between tiers, equal to none of them.
    MasteryPointsNotATier = "OL103", "mastery-points-not-a-tier", Info, Lint,
        summary: "An outcome's mastery_points equals no rating tier's points, so Canvas's mastery scale marks another tier as mastery.",
        help: "Set mastery_points to the points of the rating tier that means mastery.";
    /// `mastery_points` on a group, which Canvas ignores.
    MasteryPointsOnGroup = "OL104", "mastery-points-on-group", Warning, Lint,
        summary: "A group has mastery_points; Canvas ignores it (only outcomes have mastery points).",
        help: "Clear mastery_points on group rows and set it on the group's outcomes.";
    /// An outcome with ratings and no `mastery_points`: mastery becomes the top tier.
    MasteryPointsMissing = "OL105", "mastery-points-missing", Info, Lint,
        summary: "An outcome has rating tiers but no mastery_points, so Canvas makes the top tier's points the mastery threshold.",
        help: "Write the mastery threshold in mastery_points; leave it empty only if mastery really means the top tier.";
    /// A quoted-empty or whitespace `mastery_points` with ratings: Canvas makes mastery 0.
    MasteryPointsBlankIsZero = "OL106", "mastery-points-blank-is-zero", Warning, Lint,
        summary: "mastery_points is an empty quoted cell or only spaces, which Canvas turns into mastery 0 (every rating is mastery) instead of the top tier.",
        help: "Write the mastery points, or leave the cell truly empty (no quotes, no spaces) to make mastery the top tier.";
    /// `mastery_points` without rating tiers: the outcome ends with no ratings.
    MasteryPointsWithoutRatings = "OL107", "mastery-points-without-ratings", Warning, Lint,
        summary: "An outcome has mastery_points but no rating tiers; Canvas then replaces its rating scale with an empty one.",
        help: "Add the outcome's rating tiers in the ratings columns, or leave mastery_points empty to keep its current scale.";
    /// A rating tier without a description.
    RatingDescriptionMissing = "OL108", "rating-description-missing", Info, Lint,
        summary: "A rating tier has no description; Canvas shows it as \"No Comment\" (or as an empty label for a quoted empty cell).",
        help: "Write a description after the tier's points.";
    /// Two rating tiers with the same points.
    RatingPointsDuplicate = "OL109", "rating-points-duplicate", Warning, Lint,
        summary: "Two rating tiers of an outcome have the same points; Canvas accepts it, but a score cannot tell them apart.",
        help: "Give every rating tier different points, or merge the tiers.";
    /// Non-ASCII or zero-width whitespace inside a guid.
    InvisibleWhitespace = "OL110", "invisible-whitespace", Warning, Lint,
        summary: "A vendor_guid or parent_guids entry contains a no-break space or another invisible character that Canvas keeps as part of the guid.",
        help: "Delete the invisible character (retype the guid); Canvas only treats ASCII spaces as separators.";
    /// Leading or trailing whitespace in a title.
    SurroundingWhitespace = "OL111", "surrounding-whitespace", Warning, Lint,
        summary: "A title or display_name starts or ends with whitespace, which Canvas keeps.",
        help: "Remove the spaces around the text.";
    /// Sibling groups or outcomes with the same title.
    DuplicateSiblingTitle = "OL112", "duplicate-sibling-title", Warning, Lint,
        summary: "Two groups (or two outcomes) in the same parent group have the same title, so they look identical in Canvas.",
        help: "Give siblings distinct titles, or remove the repeated row if it is the same thing twice.";
    /// A group that nothing in the file goes into.
    EmptyGroup = "OL113", "empty-group", Info, Lint,
        summary: "A group has no outcome or group in this file that names it as parent.",
        help: "Add its outcomes (parent_guids naming this group), or remove the row if the group is not needed.";
    /// One vendor_guid for a group and an outcome.
    GuidGroupAndOutcome = "OL114", "guid-group-and-outcome", Warning, Lint,
        summary: "The same vendor_guid is used by a group row and an outcome row.",
        help: "Give the group and the outcome different vendor_guids.";
    /// A row whose parent group is marked deleted.
    ParentDeleted = "OL115", "parent-deleted", Warning, Lint,
        summary: "A row names as parent a group that this file marks deleted, so Canvas puts it inside a deleted group where nobody sees it.",
        help: "Point parent_guids at an active group, or mark this row deleted too.";
    /// A cell a spreadsheet would run as a formula.
    FormulaInjection = "OL116", "formula-injection", Warning, Lint,
        summary: "A cell starts with =, +, - or @ and is not a number, so a spreadsheet opening the file runs it as a formula.",
        help: "Reword the text so it does not start with =, +, - or @ (a leading apostrophe would be imported by Canvas as part of the text).";
    /// Values Canvas resolves against its database.
    DatabaseLookup = "OL117", "database-lookup", Info, Lint,
        summary: "The file names Canvas ids (canvas_outcome:N or canvas_outcome_group:N guids, course_id, canvas_id) whose effect depends on Canvas's database, which an offline check cannot see.",
        help: "Make sure the ids exist in the Canvas instance and account you import into.";
    /// A Canvas id used where Canvas will not read it as intended.
    CanvasIdMisuse = "OL118", "canvas-id-misuse", Warning, Lint,
        summary: "A canvas_outcome:/canvas_outcome_group: guid on the wrong kind of row, inside a longer guid, or without a number, or a course_id that is not a number.",
        help: "Keep Canvas's exported ids exactly as exported, on the rows they came from; use numeric Canvas course ids in course_id.";
    /// A NUL character, which Canvas's database rejects.
    NulCharacter = "OL119", "nul-character", Error, Lint,
        summary: "A cell contains a NUL character; Canvas's database rejects it and the whole import fails.",
        help: "Remove the NUL characters; save the file as \"CSV UTF-8\".";
    /// A UTF-16 file.
    Utf16File = "OL120", "utf16-file", Warning, Lint,
        summary: "The file is encoded as UTF-16 (Excel's \"Unicode Text\"), but Canvas reads files as UTF-8.",
        help: "Save the file as \"CSV UTF-8 (Comma delimited)\" (Excel) or convert it: iconv -f UTF-16 -t UTF-8 in.csv > out.csv.";
    /// Cells in Windows-1252 / Latin-1.
    Windows1252Text = "OL121", "windows-1252-text", Warning, Lint,
        summary: "Cells are not UTF-8 but read as Windows-1252 (Latin-1) text: the file was saved as \"ANSI\".",
        help: "Save the file as \"CSV UTF-8 (Comma delimited)\" (Excel) or convert it: iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv.";
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Rule {
    /// Finds a rule by code (`OL023`, case-insensitive) or name (`parent-not-found`).
    pub fn find(code_or_name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.code().eq_ignore_ascii_case(code_or_name) || r.name() == code_or_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let codes: HashSet<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        let names: HashSet<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(names.len(), Rule::ALL.len());
        for rule in Rule::ALL {
            assert!(rule.code().starts_with("OL") && rule.code().len() == 5, "{rule:?}");
            assert_eq!(Rule::find(rule.code()), Some(*rule));
            assert_eq!(Rule::find(rule.name()), Some(*rule));
        }
    }
}
