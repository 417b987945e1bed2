//! What the import has created so far: the bookkeeping behind "already appeared" and "not found
//! prior to this row".
//!
//! Memory grows with the number of distinct guids, never with the size of the file: guids are
//! [`GuidId`]s of the run's guid table, and the rows are kept per id in 4 bytes each.

use std::collections::HashMap;

use outcomes_csv::Row;

use super::guids::{GuidHasher, GuidId, RowsById};

/// Where a group lives: the account, or a course named by `course_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Context<'a> {
    Account,
    Course(&'a str),
}

/// The rows kept per guid id.
const OUTCOME: usize = 0;
const ACCOUNT_GROUP: usize = 1;
/// The first imported group of the guid, whatever its context (Canvas's lookup for outcomes
/// when the file has a `course_id` column).
const ANY_GROUP: usize = 2;
/// The first group row of the guid that failed, for explaining a later "not found".
const FAILED_GROUP: usize = 3;

/// Groups and outcomes imported by earlier rows, with the row that imported each.
#[derive(Debug, Default)]
pub(crate) struct ImportState {
    rows: RowsById<4>,
    course_groups: HashMap<Box<str>, HashMap<GuidId, Row, GuidHasher>, GuidHasher>,
}

impl ImportState {
    /// Makes room for the rows of `guids` guid ids in all.
    pub(crate) fn reserve(&mut self, guids: usize) {
        self.rows.reserve(guids);
    }

    #[inline]
    pub(crate) fn group_row(&self, context: Context<'_>, guid: GuidId) -> Option<Row> {
        match context {
            Context::Account => self.rows.get(guid, ACCOUNT_GROUP),
            Context::Course(course) => self.course_groups.get(course)?.get(&guid).copied(),
        }
    }

    #[inline]
    pub(crate) fn has_group(&self, context: Context<'_>, guid: GuidId) -> bool {
        self.group_row(context, guid).is_some()
    }

    #[inline]
    pub(crate) fn has_group_in_any_context(&self, guid: GuidId) -> bool {
        self.rows.get(guid, ANY_GROUP).is_some()
    }

    pub(crate) fn add_group(&mut self, context: Context<'_>, guid: GuidId, row: Row) {
        match context {
            Context::Account => self.rows.set(guid, ACCOUNT_GROUP, row),
            Context::Course(course) => {
                if !self.course_groups.contains_key(course) {
                    self.course_groups.insert(course.into(), HashMap::default());
                }
                if let Some(groups) = self.course_groups.get_mut(course) {
                    groups.insert(guid, row);
                }
            }
        }
        self.rows.set_first(guid, ANY_GROUP, row);
    }

    pub(crate) fn group_failed(&mut self, guid: GuidId, row: Row) {
        self.rows.set_first(guid, FAILED_GROUP, row);
    }

    pub(crate) fn failed_group_row(&self, guid: GuidId) -> Option<Row> {
        self.rows.get(guid, FAILED_GROUP)
    }

    #[inline]
    pub(crate) fn outcome_row(&self, guid: GuidId) -> Option<Row> {
        self.rows.get(guid, OUTCOME)
    }

    #[inline]
    pub(crate) fn add_outcome(&mut self, guid: GuidId, row: Row) {
        self.rows.set(guid, OUTCOME, row);
    }
}
