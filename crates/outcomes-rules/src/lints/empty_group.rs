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
    /// Imported active groups that no active row names as parent yet.
    childless: Childless,
    /// Every guid any row has named as parent, for groups defined after rows that name them.
    named: IdSet,
}

/// A childless group: where it is defined, and whether deleted rows name it.
#[derive(Clone, Copy)]
struct Group {
    id: GuidId,
    place: Place,
    by_deleted: bool,
}

/// Imported active groups that no active row names as parent yet, by guid: the one defined last
/// in a field of its own, the others in a map.
///
/// Nearly every group's children follow it, so the group defined last is nearly always the one
/// the next row names, and most groups never reach the map. A hash map insert per group was
/// measured (perf, 1M rows) to cost as much wall time as the rest of the lint: the map's insert,
/// out of line, read the new entry back from the stack right after it was written with stores of
/// other widths, and such a load waits until every older store has reached the cache (among them
/// the stores into the guid tables, which miss it at a million rows). Here the last group is
/// written once, and read only when a row names it or another group is defined.
#[derive(Default)]
struct Childless {
    /// The group defined last, until a row names it or another group is defined.
    last: Option<Group>,
    /// The other groups.
    earlier: HashMap<GuidId, (Place, bool), GuidHasher>,
}

impl Childless {
    fn is_empty(&self) -> bool {
        self.last.is_none() && self.earlier.is_empty()
    }

    /// Group `id` is defined at `place` (again, if it was before: the new place replaces the
    /// old, and only deleted rows naming it from now on count).
    fn define(&mut self, id: GuidId, place: Place) {
        if let Some(last) = self.last.take_if(|last| last.id != id) {
            self.earlier.insert(last.id, (last.place, last.by_deleted));
        }
        self.last = Some(Group { id, place, by_deleted: false });
    }

    /// An active row names `id`: it is not childless.
    #[inline(never)]
    fn named(&mut self, id: GuidId) {
        if self.last.is_some_and(|last| last.id == id) {
            self.last = None;
        }
        if !self.earlier.is_empty() {
            self.earlier.remove(&id);
        }
    }

    /// A deleted row names `id`: if it is childless, it stays so, but says why.
    fn named_by_deleted(&mut self, id: GuidId) {
        if let Some(last) = self.last.as_mut().filter(|last| last.id == id) {
            last.by_deleted = true;
        }
        if let Some((_, by_deleted)) = self.earlier.get_mut(&id) {
            *by_deleted = true;
        }
    }

    fn clear(&mut self) {
        self.last = None;
        self.earlier.clear();
    }

    /// Every childless group, in the order of the rows that define them.
    fn take(&mut self) -> Vec<Group> {
        let last = self.last.take();
        let mut groups: Vec<_> = self
            .earlier
            .drain()
            .filter(|(id, _)| last.is_none_or(|last| last.id != *id))
            .map(|(id, (place, by_deleted))| Group { id, place, by_deleted })
            .chain(last)
            .collect();
        groups.sort_by_key(|group| group.place.row);
        groups
    }
}

impl EmptyGroup {
    /// What a row does: it names `parents` (as a deleted row if `deleted`), and defines `group`
    /// at `place` if it is an imported group with a guid. Inlined, for the test most rows end
    /// at: they name only parents named before and define nothing, and then nothing changes.
    /// [`EmptyGroup::take_row`] does the rest, out of line, so that the loop every row runs
    /// saves no registers for it.
    #[inline]
    fn take(&mut self, deleted: bool, parents: &[GuidId], group: Option<GuidId>, place: impl FnOnce() -> Place) {
        if deleted || group.is_some() || !parents.iter().all(|&parent| self.named.contains(parent)) {
            self.take_row(deleted, parents, group, place);
        }
    }

    /// [`EmptyGroup::take`] without its shortcut: the reference.
    #[inline(never)]
    fn take_row(&mut self, deleted: bool, parents: &[GuidId], group: Option<GuidId>, place: impl FnOnce() -> Place) {
        if deleted {
            // A childless group stays so, but says why.
            for &parent in parents {
                self.childless.named_by_deleted(parent);
            }
            return;
        }
        for &parent in parents {
            // Only a group no row named yet can be childless: a parent named before needs
            // no look in the map (most rows name a parent their siblings named already).
            if self.named.insert(parent) && !self.childless.is_empty() {
                self.childless.named(parent);
            }
        }
        if let Some(id) = group.filter(|&id| !self.named.contains(id)) {
            self.childless.define(id, place());
        }
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
        let group = order.guid.filter(|_| order.imported && cx.kind() == Some(Kind::Group));
        self.take(order.deleted, order.parents, group, || Place::of(&cx.view, Field::VendorGuid));
    }

    fn import_failed(&mut self) {
        // Canvas builds nothing (or not all of it): "empty" would be noise.
        self.childless.clear();
    }

    fn finish(&mut self, end: &FileEnd<'_>, out: &mut Vec<Diagnostic>) {
        for Group { id, place, by_deleted } in self.childless.take() {
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use outcomes_csv::{Position, Row, Span};
    use proptest::prelude::*;

    use super::{Childless, EmptyGroup, Place};
    use crate::canvas::guids::GuidId;

    #[derive(Debug, Clone, Copy)]
    enum Op {
        Define(GuidId),
        Named(GuidId),
        NamedByDeleted(GuidId),
        Clear,
    }

    fn op() -> impl Strategy<Value = Op> {
        let id = 0..5u32;
        prop_oneof![
            4 => id.clone().prop_map(Op::Define),
            4 => id.clone().prop_map(Op::Named),
            2 => id.prop_map(Op::NamedByDeleted),
            1 => Just(Op::Clear),
        ]
    }

    fn place(row: Row) -> Place {
        Place { row, span: Span::new(row, row + 1), position: Position { offset: row, line: row, column: 1 } }
    }

    proptest! {
        /// The last group in a field of its own keeps what one map kept (the plain version):
        /// the same groups, places and reasons, whichever groups are defined again, named,
        /// named by deleted rows or cleared, in any order.
        #[test]
        fn childless_is_one_map(ops in proptest::collection::vec(op(), 0..40)) {
            let mut fast = Childless::default();
            let mut plain: HashMap<GuidId, (Row, bool)> = HashMap::new();
            for (row, op) in (2..).zip(ops) {
                match op {
                    Op::Define(id) => {
                        fast.define(id, place(row));
                        plain.insert(id, (row, false));
                    }
                    Op::Named(id) => {
                        fast.named(id);
                        plain.remove(&id);
                    }
                    Op::NamedByDeleted(id) => {
                        fast.named_by_deleted(id);
                        if let Some((_, by_deleted)) = plain.get_mut(&id) {
                            *by_deleted = true;
                        }
                    }
                    Op::Clear => {
                        fast.clear();
                        plain.clear();
                    }
                }
                prop_assert_eq!(fast.is_empty(), plain.is_empty());
            }
            let fast: Vec<_> = fast.take().into_iter().map(|g| (g.id, g.place.row, g.by_deleted)).collect();
            let mut plain: Vec<_> = plain.into_iter().map(|(id, (row, by_deleted))| (id, row, by_deleted)).collect();
            plain.sort_by_key(|&(_, row, _)| row);
            prop_assert_eq!(fast, plain);
        }

        /// A row's shortcut changes nothing that taking every step of the row would: after any
        /// rows (deleted or not, naming guids named before or not, defining groups or not), the
        /// same guids are named and the same groups childless.
        #[test]
        fn a_row_taken_is_a_row_taken_in_full(
            rows in proptest::collection::vec(
                (any::<bool>(), proptest::collection::vec(0..6u32, 0..3), proptest::option::of(0..6u32)),
                0..40,
            )
        ) {
            let (mut fast, mut full) = (EmptyGroup::default(), EmptyGroup::default());
            for (row, (deleted, parents, group)) in (2..).zip(rows) {
                fast.take(deleted, &parents, group, || place(row));
                full.take_row(deleted, &parents, group, || place(row));
            }
            for id in 0..6 {
                prop_assert_eq!(fast.named.contains(id), full.named.contains(id));
            }
            let taken = |e: &mut EmptyGroup| -> Vec<_> {
                e.childless.take().into_iter().map(|g| (g.id, g.place.row, g.by_deleted)).collect()
            };
            prop_assert_eq!(taken(&mut fast), taken(&mut full));
        }
    }
}
