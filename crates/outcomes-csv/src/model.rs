//! Typed records for importers: the groups and outcomes Canvas would create, with their place in
//! the file.
//!
//! These are what a program that imports outcomes wants instead of raw cells: ratings parsed with
//! the account's number format, parents split, calculation settings resolved with Canvas's
//! defaults. The checker builds them only for rows Canvas would import.

use serde::Serialize;

use crate::position::{Row, Span};

/// `workflow_state` as Canvas reads it: empty means active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Created or updated as active (empty or `active`).
    Active,
    /// Marked deleted.
    Deleted,
}

/// Where a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// Canvas's row number.
    pub row: Row,
    /// The physical line it starts on.
    pub line: u64,
    /// Its bytes in the file.
    pub span: Span,
}

/// An outcome group: a folder of outcomes and groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Where it is in the file.
    pub origin: Origin,
    /// Its identifier; `parent_guids` of other rows refer to it.
    pub vendor_guid: String,
    /// Its name.
    pub title: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// The course it belongs to, when not the account.
    pub course_id: Option<String>,
    /// Its parent group's guid; `None` is the root group.
    pub parent_guid: Option<String>,
    /// An existing Canvas id to update, if given.
    pub canvas_id: Option<String>,
    /// Active or deleted.
    pub state: State,
}

/// One rating tier of an outcome, highest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    /// The points for reaching this tier.
    pub points: f64,
    /// Its description; Canvas shows "No Comment" when there is none.
    pub description: Option<String>,
}

/// How mastery is calculated, after Canvas's defaults and renaming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalculationSettings {
    /// `decaying_average`, `n_mastery`, `highest`, ...
    pub method: String,
    /// The method's parameter, when it takes one.
    pub int: Option<i64>,
}

/// A learning outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Where it is in the file.
    pub origin: Origin,
    /// Its identifier.
    pub vendor_guid: String,
    /// Its title (Canvas's "short description").
    pub title: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// Its display name, if any.
    pub display_name: Option<String>,
    /// Its student-friendly description, if any.
    pub friendly_description: Option<String>,
    /// The groups it is placed in; empty means the root group.
    pub parent_guids: Vec<String>,
    /// How mastery is calculated.
    pub calculation: CalculationSettings,
    /// Points needed for mastery, if given.
    pub mastery_points: Option<f64>,
    /// Rating tiers, as written (highest first).
    pub ratings: Vec<Rating>,
    /// An existing Canvas id to update, if given.
    pub canvas_id: Option<String>,
    /// Active or deleted.
    pub state: State,
}

/// A row Canvas would import.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "object_type", rename_all = "lowercase")]
pub enum Item {
    /// An outcome group.
    Group(Group),
    /// An outcome.
    Outcome(Outcome),
}

impl Item {
    /// Where the item is in the file.
    pub fn origin(&self) -> Origin {
        match self {
            Item::Group(g) => g.origin,
            Item::Outcome(o) => o.origin,
        }
    }

    /// Its vendor_guid.
    pub fn vendor_guid(&self) -> &str {
        match self {
            Item::Group(g) => &g.vendor_guid,
            Item::Outcome(o) => &o.vendor_guid,
        }
    }
}
