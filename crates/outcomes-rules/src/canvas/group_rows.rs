//! Where each group guid is first defined, for the "parent not found" diagnostics' pointers
//! down the file and their "did you mean" suggestions.
//!
//! Every group row notes its place, and at a million rows a map from guid id to place (100,000
//! groups) put each note at a random place in several megabytes: a cache miss for its control
//! byte and another for its entry, about 2% of the check's time. Group ids are given in file
//! order, so an index by id and the places in the order they were noted are both written
//! nearly in order, and their cache lines are still at hand from the group before.

use super::guids::{GuidId, IdIndex};
use crate::lints::support::Place;

#[derive(Debug, Default)]
pub(crate) struct GroupRows {
    /// For each guid id, where its place is in `places`.
    index: IdIndex,
    /// The groups' places, in the order they were first defined (file order).
    places: Vec<(GuidId, Place)>,
}

impl GroupRows {
    /// Notes `place` (the row and its vendor_guid cell) as where `id` is defined, unless a row
    /// before defined it. `place` is worked out only then.
    #[inline]
    pub(crate) fn note_first(&mut self, id: GuidId, place: impl FnOnce() -> Place) {
        if self.index.get(id).is_some() {
            return;
        }
        self.insert(id, place());
    }

    /// Adds `id`'s first place. Out of line: once per group.
    #[inline(never)]
    fn insert(&mut self, id: GuidId, place: Place) {
        self.index.set(id, self.places.len());
        self.places.push((id, place));
    }

    /// Where `id` is first defined, if any row defines it.
    pub(crate) fn get(&self, id: GuidId) -> Option<Place> {
        let (_, place) = self.places.get(self.index.get(id)?)?;
        Some(*place)
    }

    /// How many groups are defined.
    pub(crate) fn len(&self) -> usize {
        self.places.len()
    }

    /// Makes room for `groups` groups in all.
    pub(crate) fn reserve(&mut self, groups: usize) {
        self.places.reserve(groups.saturating_sub(self.places.len()));
    }

    /// The defined groups' ids, in the order of their first definitions.
    pub(crate) fn ids(&self) -> impl Iterator<Item = GuidId> + '_ {
        self.places.iter().map(|(id, _)| *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcomes_csv::{Position, Row, Span};
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn place(row: Row) -> Place {
        Place { row, span: Span::new(row, row + 1), position: Position { offset: row, line: row, column: 1 } }
    }

    /// What a test compares of a place (`Place` has no equality of its own).
    fn parts(place: Option<Place>) -> Option<(Row, Span, Position)> {
        place.map(|p| (p.row, p.span, p.position))
    }

    proptest! {
        /// The first place noted for each id is the one kept, as a map's `entry().or_insert`
        /// keeps it; the ids come back in the order they were first noted.
        #[test]
        fn the_first_definition_is_kept(ids in proptest::collection::vec(0u32..300, 0..200)) {
            let mut rows = GroupRows::default();
            let mut plain: HashMap<GuidId, Place> = HashMap::new();
            let mut order = Vec::new();
            for (row, id) in (2u64..).zip(ids) {
                rows.note_first(id, || place(row));
                if let std::collections::hash_map::Entry::Vacant(entry) = plain.entry(id) {
                    entry.insert(place(row));
                    order.push(id);
                }
            }
            prop_assert_eq!(rows.len(), plain.len());
            for id in 0..310 {
                prop_assert_eq!(parts(rows.get(id)), parts(plain.get(&id).copied()));
            }
            prop_assert_eq!(rows.ids().collect::<Vec<_>>(), order);
        }
    }
}
