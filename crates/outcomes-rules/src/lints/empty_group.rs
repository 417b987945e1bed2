//! OL113: a group that no row of the file puts anything into.
//!
//! A group with no outcomes and no subgroups shows up in Canvas as an empty folder. Usually its
//! children were forgotten, name it with a typo, or were moved elsewhere and the group left
//! behind. It is info: a file may deliberately update only a group's title or description, and
//! its children in Canvas stay where they are. Reported at the end of the file, for imported,
//! active groups that **no** row names in parent_guids, or only deleted rows do. A group named
//! by rows that Canvas rejects is not reported: those rows already have Canvas's errors, and
//! fixing them fills the group. Nor is anything reported when Canvas fails the whole import.

use std::collections::HashMap;

use outcomes_csv::Field;

use super::support::{Kind, Place};
use super::{FileEnd, InOrder, Lint, RowContext};
use crate::canvas::guids::{GuidHasher, GuidId, IdSet};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

#[derive(Default)]
pub(crate) struct EmptyGroup {
    /// Imported active groups that no active row names as parent yet, and whether deleted rows
    /// name them.
    childless: HashMap<GuidId, (Place, bool), GuidHasher>,
    /// Every guid any row has named as parent, for groups defined after rows that name them.
    named: IdSet,
}

/// The rare rows, out of line, so that the loop every row runs keeps a small frame.
impl EmptyGroup {
    /// `parents` are named by a deleted row: a childless group stays so, but says why.
    #[inline(never)]
    fn named_by_deleted(&mut self, parents: &[GuidId]) {
        for parent in parents {
            if let Some((_, by_deleted)) = self.childless.get_mut(parent) {
                *by_deleted = true;
            }
        }
    }

    /// `cx`'s row, an imported active group no row has named yet, defines `id`.
    #[inline(never)]
    fn defined(&mut self, cx: &RowContext<'_>, id: GuidId) {
        self.childless.insert(id, (Place::of(&cx.view, Field::VendorGuid), false));
    }
}

impl Lint for EmptyGroup {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::EmptyGroup]
    }

    fn in_order(&self) -> bool {
        true
    }

    fn row(&mut self, cx: &RowContext<'_>, order: &InOrder<'_>, _out: &mut Vec<Diagnostic>) {
        let deleted = order.deleted;
        if deleted {
            self.named_by_deleted(order.parents);
        } else {
            for &parent in order.parents {
                // Only a group no row named yet can be childless: a parent named before needs
                // no look in the map (most rows name a parent their siblings named already).
                if self.named.insert(parent) && !self.childless.is_empty() {
                    self.childless.remove(&parent);
                }
            }
        }
        if !order.imported || deleted || cx.kind() != Some(Kind::Group) {
            return;
        }
        if let Some(id) = order.guid {
            if !self.named.contains(id) {
                self.defined(cx, id);
            }
        }
    }

    fn import_failed(&mut self) {
        // Canvas builds nothing (or not all of it): "empty" would be noise.
        self.childless.clear();
    }

    fn finish(&mut self, end: &FileEnd<'_>, out: &mut Vec<Diagnostic>) {
        let mut groups: Vec<_> = self.childless.drain().collect();
        groups.sort_by_key(|(_, (place, _))| place.row);
        for (id, (place, by_deleted)) in groups {
            let guid = end.guids.get(id);
            let why = if by_deleted {
                "only rows marked deleted name it in parent_guids"
            } else {
                "no row of this file names it in parent_guids"
            };
            out.push(
                place
                    .diagnostic(
                        Rule::EmptyGroup,
                        format!("group {} has no outcomes or groups: {why}", show(guid)),
                        "vendor_guid",
                    )
                    .with_guids([guid])
                    .with_note("Canvas creates (or updates) it as an empty group; groups and outcomes it already has in Canvas stay in it."),
            );
        }
    }
}
