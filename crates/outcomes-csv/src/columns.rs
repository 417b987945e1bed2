//! The header: which known field lives in which column, and where the ratings start.
//!
//! Canvas names its columns by header cell, compared exactly (case-sensitive, no trimming). The
//! first cell that is exactly `ratings` ends the *main headers*; every cell of a data record from
//! that position on is a rating cell (points, description, points, description, ...).

use crate::record::Record;
use serde::Serialize;

/// A column Canvas knows, named as in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// `title` (required): the outcome's or group's name.
    Title,
    /// `vendor_guid` (required): the row's identifier, which `parent_guids` refer to.
    VendorGuid,
    /// `object_type` (required): `outcome` or `group`.
    ObjectType,
    /// `canvas_id`: an existing Canvas id, looked up by Canvas.
    CanvasId,
    /// `course_id`: groups only; the course the group belongs to.
    CourseId,
    /// `description`: long description (HTML allowed).
    Description,
    /// `friendly_description`: a student-friendly description, at most 255 characters.
    FriendlyDescription,
    /// `display_name`: outcomes only, a short friendly name.
    DisplayName,
    /// `parent_guids`: whitespace-separated guids of the parent groups.
    ParentGuids,
    /// `calculation_method`: how mastery is calculated (outcomes only).
    CalculationMethod,
    /// `calculation_int`: the parameter of the calculation method (outcomes only).
    CalculationInt,
    /// `mastery_points`: the points needed for mastery.
    MasteryPoints,
    /// `workflow_state`: `active` (or empty) or `deleted`.
    WorkflowState,
}

impl Field {
    /// Every field, required ones first, then optional ones in Canvas's documented order.
    pub const ALL: [Field; 13] = [
        Field::Title,
        Field::VendorGuid,
        Field::ObjectType,
        Field::CanvasId,
        Field::CourseId,
        Field::Description,
        Field::FriendlyDescription,
        Field::DisplayName,
        Field::ParentGuids,
        Field::CalculationMethod,
        Field::CalculationInt,
        Field::MasteryPoints,
        Field::WorkflowState,
    ];

    /// The required fields, in the order Canvas lists missing ones.
    pub const REQUIRED: [Field; 3] = [Field::Title, Field::VendorGuid, Field::ObjectType];

    /// The header name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::VendorGuid => "vendor_guid",
            Field::ObjectType => "object_type",
            Field::CanvasId => "canvas_id",
            Field::CourseId => "course_id",
            Field::Description => "description",
            Field::FriendlyDescription => "friendly_description",
            Field::DisplayName => "display_name",
            Field::ParentGuids => "parent_guids",
            Field::CalculationMethod => "calculation_method",
            Field::CalculationInt => "calculation_int",
            Field::MasteryPoints => "mastery_points",
            Field::WorkflowState => "workflow_state",
        }
    }

    /// The field a header cell names, compared exactly as Canvas does.
    pub fn from_name(name: &[u8]) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name().as_bytes() == name)
    }

    /// The field's place in [`Field::ALL`], for tables indexed by field.
    ///
    /// ```
    /// use outcomes_csv::Field;
    /// assert!(Field::ALL.iter().enumerate().all(|(i, f)| f.index() == i));
    /// ```
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The header cell that starts the rating columns.
pub const RATINGS: &[u8] = b"ratings";

/// Where each known field is, read from the header record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Columns {
    main_len: usize,
    ratings: Option<usize>,
    last: [Option<usize>; 13],
    first: [Option<usize>; 13],
}

impl Columns {
    /// Reads the layout of a header record. Never fails: whether the header is acceptable is a
    /// rule's question, not the parser's.
    pub fn from_header(header: &Record) -> Columns {
        let ratings = header.cells().position(|c| c.value() == RATINGS);
        let main_len = ratings.unwrap_or(header.len());
        let mut columns = Columns { main_len, ratings, ..Columns::default() };
        for (i, cell) in header.cells().take(main_len).enumerate() {
            if let Some(field) = Field::from_name(cell.value()) {
                columns.last[field.index()] = Some(i);
                columns.first[field.index()].get_or_insert(i);
            }
        }
        columns
    }

    /// The number of main header cells (those before `ratings`). A data record with fewer cells
    /// crashes Canvas's import.
    pub fn main_len(&self) -> usize {
        self.main_len
    }

    /// The index of the `ratings` header cell, if any.
    pub fn ratings_index(&self) -> Option<usize> {
        self.ratings
    }

    /// The column Canvas reads `field` from: with a repeated header, the last one.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.last[field.index()]
    }

    /// Whether the header has this field at all.
    pub fn has(&self, field: Field) -> bool {
        self.last[field.index()].is_some()
    }

    /// Where the field first appears in the header; Canvas lists fields in that order.
    pub fn first_column(&self, field: Field) -> Option<usize> {
        self.first[field.index()]
    }
}
