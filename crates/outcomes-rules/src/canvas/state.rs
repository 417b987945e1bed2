//! What the import has created so far: the bookkeeping behind "already appeared" and "not found
//! prior to this row".
//!
//! Memory grows with the number of distinct guids, never with the size of the file.

use std::collections::HashMap;

use outcomes_csv::Row;

/// Where a group lives: the account, or a course named by `course_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Context<'a> {
    Account,
    Course(&'a str),
}

/// Groups and outcomes imported by earlier rows, with the row that imported each.
#[derive(Debug, Default)]
pub(crate) struct ImportState {
    account_groups: HashMap<Box<str>, Row>,
    course_groups: HashMap<Box<str>, HashMap<Box<str>, Row>>,
    /// Every imported group guid, whatever its context (Canvas's lookup for outcomes when the
    /// file has a `course_id` column).
    any_context: HashMap<Box<str>, Row>,
    outcomes: HashMap<Box<str>, Row>,
    /// Groups whose row failed, for explaining a later "not found".
    failed_groups: HashMap<Box<str>, Row>,
}

impl ImportState {
    pub(crate) fn group_row(&self, context: Context<'_>, guid: &str) -> Option<Row> {
        match context {
            Context::Account => self.account_groups.get(guid).copied(),
            Context::Course(course) => self.course_groups.get(course)?.get(guid).copied(),
        }
    }

    pub(crate) fn has_group(&self, context: Context<'_>, guid: &str) -> bool {
        self.group_row(context, guid).is_some()
    }

    pub(crate) fn has_group_in_any_context(&self, guid: &str) -> bool {
        self.any_context.contains_key(guid)
    }

    pub(crate) fn add_group(&mut self, context: Context<'_>, guid: &str, row: Row) {
        let map = match context {
            Context::Account => &mut self.account_groups,
            Context::Course(course) => self.course_groups.entry(course.into()).or_default(),
        };
        map.insert(guid.into(), row);
        self.any_context.entry(guid.into()).or_insert(row);
    }

    pub(crate) fn group_failed(&mut self, guid: &str, row: Row) {
        self.failed_groups.entry(guid.into()).or_insert(row);
    }

    pub(crate) fn failed_group_row(&self, guid: &str) -> Option<Row> {
        self.failed_groups.get(guid).copied()
    }

    pub(crate) fn outcome_row(&self, guid: &str) -> Option<Row> {
        self.outcomes.get(guid).copied()
    }

    pub(crate) fn add_outcome(&mut self, guid: &str, row: Row) {
        self.outcomes.insert(guid.into(), row);
    }
}
