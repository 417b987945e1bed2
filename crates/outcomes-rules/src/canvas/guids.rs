//! One table of every guid a file names, shared by Canvas's bookkeeping and the lints.
//!
//! Each distinct vendor_guid (or parent guid) gets a dense id, [`GuidId`], the first time it is
//! seen; after that, "was this group imported?", "which row first used this guid?" and every
//! lint's per-guid state are plain vectors indexed by id, not maps keyed by copies of the string.
//! The strings themselves live once, end to end, in one growing `String`: a million guids cost a
//! handful of allocations, not a million.
//!
//! Hashing is foldhash's, seeded per process (so a file cannot be crafted to collide), and done
//! where the row is read, possibly on another thread ([`Guids::hasher`]); the in-order pass only
//! probes the table.

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use outcomes_csv::Row;

/// The dense id of a guid in a [`Guids`] table, in order of first appearance from 0.
pub(crate) type GuidId = u32;

/// The hasher of a [`Guids`] table: cheap to copy, the same on every thread.
pub(crate) type GuidHasher = foldhash::fast::RandomState;

/// Interns guids: each distinct string gets a [`GuidId`].
#[derive(Default)]
pub(crate) struct Guids {
    /// Every guid, end to end, in id order.
    text: String,
    /// Where each guid ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    /// The ids, found by the hash of their string.
    table: HashTable<GuidId>,
    /// The hash of each guid, by id: when the table grows it moves every id by its hash, and
    /// hashing the strings again meant reading them all, scattered over memory (7% of the time
    /// of a million-row check).
    hashes: Vec<u64>,
    hasher: GuidHasher,
}

impl std::fmt::Debug for Guids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guids").field("len", &self.ends.len()).finish()
    }
}

impl Guids {
    /// The hasher to hash guids with before [`Guids::find`] and [`Guids::intern`].
    pub(crate) fn hasher(&self) -> GuidHasher {
        self.hasher.clone()
    }

    /// The guid of `id`.
    pub(crate) fn get(&self, id: GuidId) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
    }

    /// The id of `guid`, whose hash (by [`Guids::hasher`]) is `hash`, if it has one.
    pub(crate) fn find(&self, hash: u64, guid: &str) -> Option<GuidId> {
        self.table.find(hash, |&id| self.get(id) == guid).copied()
    }

    /// The id of `guid`, whose hash (by [`Guids::hasher`]) is `hash`, given one if it is new.
    pub(crate) fn intern(&mut self, hash: u64, guid: &str) -> GuidId {
        let Guids { text, ends, table, hashes, hasher: _ } = self;
        let string = |id: GuidId| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            &text[start..ends[id]]
        };
        match table.entry(hash, |&id| string(id) == guid, |&id| hashes.get(id as usize).copied().unwrap_or_default()) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                // Four billion distinct guids would need far more memory than any machine
                // checking them has; the id saturates rather than wrapping.
                let id = GuidId::try_from(ends.len()).unwrap_or(GuidId::MAX);
                entry.insert(id);
                text.push_str(guid);
                ends.push(text.len());
                hashes.push(hash);
                id
            }
        }
    }
}

/// Rows kept per guid in 4 bytes each: `0` is "none", rows that do not fit in a `u32` (beyond
/// four billion records) are kept aside in a map.
#[derive(Debug, Default)]
pub(crate) struct RowsById<const N: usize> {
    rows: Vec<[u32; N]>,
    big: std::collections::HashMap<(GuidId, usize), Row, GuidHasher>,
}

impl<const N: usize> RowsById<N> {
    /// Row number `slot` of `id`, if set.
    pub(crate) fn get(&self, id: GuidId, slot: usize) -> Option<Row> {
        match self.rows.get(id as usize)?[slot] {
            0 => None,
            u32::MAX => self.big.get(&(id, slot)).copied(),
            row => Some(Row::from(row)),
        }
    }

    /// Sets row number `slot` of `id`.
    pub(crate) fn set(&mut self, id: GuidId, slot: usize, row: Row) {
        let index = id as usize;
        if self.rows.len() <= index {
            self.rows.resize(index + 1, [0; N]);
        }
        match u32::try_from(row) {
            Ok(small) if small != u32::MAX => {
                self.rows[index][slot] = small;
                if !self.big.is_empty() {
                    self.big.remove(&(id, slot));
                }
            }
            _ => {
                self.rows[index][slot] = u32::MAX;
                self.big.insert((id, slot), row);
            }
        }
    }

    /// Sets row number `slot` of `id` unless it is already set.
    pub(crate) fn set_first(&mut self, id: GuidId, slot: usize, row: Row) {
        if self.get(id, slot).is_none() {
            self.set(id, slot, row);
        }
    }
}

/// A set of guid ids: one bit per id.
#[derive(Debug, Default)]
pub(crate) struct IdSet {
    bits: Vec<u64>,
}

impl IdSet {
    /// Whether `id` is in the set.
    pub(crate) fn contains(&self, id: GuidId) -> bool {
        self.bits.get(id as usize / 64).is_some_and(|word| word & (1 << (id % 64)) != 0)
    }

    /// Adds `id`; returns whether it was not in the set yet.
    pub(crate) fn insert(&mut self, id: GuidId) -> bool {
        let word = id as usize / 64;
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        let bit = 1 << (id % 64);
        let new = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn intern(guids: &mut Guids, guid: &str) -> GuidId {
        let hash = guids.hasher().hash_one(guid);
        guids.intern(hash, guid)
    }

    #[test]
    fn each_distinct_guid_gets_one_dense_id() {
        let mut guids = Guids::default();
        assert_eq!(intern(&mut guids, "math"), 0);
        assert_eq!(intern(&mut guids, "sci"), 1);
        assert_eq!(intern(&mut guids, "math"), 0);
        assert_eq!(intern(&mut guids, ""), 2);
        assert_eq!(intern(&mut guids, "Math"), 3);
        assert_eq!(guids.get(0), "math");
        assert_eq!(guids.get(2), "");
        assert_eq!(guids.get(3), "Math");
        let hash = guids.hasher().hash_one("sci");
        assert_eq!(guids.find(hash, "sci"), Some(1));
        let hash = guids.hasher().hash_one("bio");
        assert_eq!(guids.find(hash, "bio"), None);
    }

    #[test]
    fn many_guids_survive_the_table_growing() {
        let mut guids = Guids::default();
        for i in 0..10_000 {
            assert_eq!(intern(&mut guids, &format!("g{i}")), i);
        }
        for i in 0..10_000 {
            let guid = format!("g{i}");
            let hash = guids.hasher().hash_one(&guid);
            assert_eq!(guids.find(hash, &guid), Some(i));
        }
    }

    #[test]
    fn id_sets_hold_any_id() {
        let mut set = IdSet::default();
        assert!(!set.contains(70));
        assert!(set.insert(70));
        assert!(!set.insert(70));
        assert!(set.contains(70));
        assert!(!set.contains(6));
        assert!(set.insert(0));
        assert!(set.contains(0));
    }

    #[test]
    fn rows_past_u32_are_kept_exactly() {
        let mut rows = RowsById::<2>::default();
        assert_eq!(rows.get(5, 0), None);
        rows.set(5, 0, 7);
        rows.set_first(5, 0, 9);
        assert_eq!(rows.get(5, 0), Some(7));
        let big = u64::from(u32::MAX) + 12;
        rows.set(5, 1, big);
        assert_eq!(rows.get(5, 1), Some(big));
        rows.set(5, 1, u64::from(u32::MAX));
        assert_eq!(rows.get(5, 1), Some(u64::from(u32::MAX)));
        rows.set(5, 1, 3);
        assert_eq!(rows.get(5, 1), Some(3));
        assert_eq!(rows.get(4, 1), None);
    }
}
