//! One table of every guid a file names, shared by Canvas's bookkeeping and the lints.
//!
//! Each distinct vendor_guid (or parent guid) gets a dense id, [`GuidId`], the first time it is
//! seen; after that, "was this group imported?", "which row first used this guid?" and every
//! lint's per-guid state are plain vectors indexed by id, not maps keyed by copies of the string.
//! The strings themselves live once, end to end, in one growing `String`: a million guids cost a
//! handful of allocations, not a million.
//!
//! Hashing is foldhash's ([`hash_guid`]), seeded per process (so a file cannot be crafted to
//! collide), and done where the row is read, possibly on another thread ([`Guids::hasher`]); the
//! in-order pass only probes the table.

use outcomes_csv::Row;

/// The dense id of a guid in a [`Guids`] table, in order of first appearance from 0.
pub(crate) type GuidId = u32;

/// The hasher of a [`Guids`] table: cheap to copy, the same on every thread.
pub(crate) type GuidHasher = foldhash::fast::RandomState;

/// The hash of `guid` for a [`Guids`] table: foldhash's `hash_one`, but for guids of 17 to 32
/// bytes (an outcome's guid is often a few bytes over 16), which are hashed here as two 16-byte
/// words, the first and the last (overlapping), and the length: three folded multiplies inlined
/// where foldhash calls its long-string function through the GOT (some 40 instructions a guid).
/// The length tells apart guids whose words overlap differently, and two guids of one length
/// with the same first and last sixteen bytes are the same guid. Every guid hashed for the
/// table goes through here, so any two equal guids hash alike.
#[inline]
pub(crate) fn hash_guid(hasher: &GuidHasher, guid: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let bytes = guid.as_bytes();
    match (bytes.first_chunk::<16>(), bytes.last_chunk::<16>()) {
        (Some(first), Some(last)) if (17..=32).contains(&bytes.len()) => {
            let mut h = hasher.build_hasher();
            h.write_u128(u128::from_le_bytes(*first));
            h.write_u128(u128::from_le_bytes(*last));
            h.write_usize(bytes.len());
            h.finish()
        }
        _ => hasher.hash_one(guid),
    }
}

/// Interns guids: each distinct string gets a [`GuidId`].
///
/// The table is open addressing with linear probing, one `u64` per slot: the top half of the
/// guid's hash and its id. At a million guids the table is far larger than the CPU's caches, and
/// every new guid's probe is a cache miss; the layout keeps it to one. A slot holds enough of the
/// hash to tell nearly every other guid apart without reading its string (which lies anywhere in
/// `text`, another miss), and to place it again when the table grows (no second array of hashes
/// to read in id order, scattered over the table). A probe starts at the slot named by the top
/// bits of the hash, so growing the table moves entries in nearly sequential order.
pub(crate) struct Guids {
    /// Every guid, end to end, in id order.
    text: String,
    /// Where each guid ends in `text` (it starts where the previous one ends), after a leading
    /// 0: guid `id` is `text[ends[id]..ends[id + 1]]`, with no case for the first.
    ends: Vec<usize>,
    /// `hash >> 32 << 32 | id`, or [`EMPTY`]; a power of two long, at most three
    /// quarters full.
    slots: Vec<u64>,
    /// How many more guids `slots` takes before it grows (to stay at most three quarters
    /// full): one test of each [`Guids::intern`], where the guids and the slots compared took
    /// four instructions.
    room: usize,
    hasher: GuidHasher,
    /// The hash and id of the last guid [`Guids::intern_parent`] interned.
    last_parent: (u64, GuidId),
}

/// A free slot of [`Guids::slots`]: the one value no guid's slot has, since ids stop short of
/// `u32::MAX`.
const EMPTY: u64 = u64::MAX;

/// How large the table must be for [`Guids::warm`] to be worth its work: about the size of a
/// core's own cache. A smaller table is mostly cached already, and warming it only repeats the
/// work of finding the slots (3% more instructions on a file of 12,000 rows).
const WARM_FROM_BYTES: usize = 1 << 20;

/// The slots of an open-addressing table's first allocation.
pub(crate) const MIN_SLOTS: usize = 64;

/// The slots the guid table (at most three quarters full) needs for `len` entries: a power of
/// two, at least [`MIN_SLOTS`].
pub(crate) fn slots_for(len: usize) -> usize {
    (len.saturating_mul(4) / 3 + 1).max(MIN_SLOTS).checked_next_power_of_two().unwrap_or(usize::MAX / 2 + 1)
}

/// A new open-addressing table of `len` slots, all `free`. Filled by writing, never taken as
/// zeroed memory (`vec![0; len]` does): a large table then comes as untouched pages, and since
/// a probe reads a slot before it is written, each page would fault twice, once to map the
/// shared zero page and once more to copy it on the first write (a TLB flush on every core the
/// process runs on). Written, each page faults once.
fn table<T: Clone>(len: usize, free: T) -> Vec<T> {
    let mut table = Vec::with_capacity(len);
    table.resize(len, free);
    table
}

/// The entries of `old` in a new table of `len` slots (a power of two, more than the entries
/// need), all `free` but for them ([`place`]). How the guid table grows.
fn rehash<T: Copy>(old: Vec<T>, len: usize, free: T, is_free: impl Fn(&T) -> bool, key: impl Fn(T) -> u64) -> Vec<T> {
    let mut new = table(len, free);
    place(&mut new, old.into_iter().filter(|e| !is_free(e)), &is_free, key);
    new
}

/// Writes `entries` into `table`, an open-addressing table (a power of two of slots, more than
/// the entries need), each in the first free slot from its key's [`home`] on: `is_free` tells a
/// free slot from an entry, `key` says where an entry belongs. Entries taken in slot order are
/// nearly in the order of their keys, so they are written nearly in order too. How both
/// open-addressing tables (the guid table and a parent's table of children, OL112) grow.
/// Inlined into each, where it compiles as each table's own loop did (a shared call cost 0.15 M
/// instructions more on the 12k-row slice).
#[inline]
pub(crate) fn place<T: Copy>(
    table: &mut [T],
    entries: impl Iterator<Item = T>,
    is_free: impl Fn(&T) -> bool,
    key: impl Fn(T) -> u64,
) {
    let mask = table.len() - 1;
    for entry in entries {
        let mut i = home(key(entry), table.len());
        while !is_free(&table[i]) {
            i = (i + 1) & mask;
        }
        table[i] = entry;
    }
}

/// Starts loading `slot`'s cache line, to be written (a new guid's slot is): a prefetch, which
/// the processor does not wait for, so the work after it goes on while the line comes. A load
/// instead, as this did before, holds every later instruction back from completing until the
/// line is in: at a million rows the prefetches took the check from 0.574 s to 0.565 s.
#[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
#[inline(always)]
fn prefetch(slot: &u64) {
    safe_arch::prefetch_et0(slot);
}

/// Elsewhere, a load: the misses of several loads in a row still overlap.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
#[inline(always)]
fn prefetch(slot: &u64) {
    std::hint::black_box(*slot);
}

impl Default for Guids {
    fn default() -> Self {
        Guids {
            text: String::new(),
            ends: vec![0],
            slots: Vec::new(),
            room: 0,
            hasher: GuidHasher::default(),
            last_parent: (0, GuidId::MAX),
        }
    }
}

impl std::fmt::Debug for Guids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guids").field("len", &self.len()).finish()
    }
}

/// Where the probe for a key starts in an open-addressing table of `len` slots, a power of two:
/// the key's top bits, so that entries lie in the order of their keys and growing the table
/// moves them nearly in order. Shared by the guid table (the key is a hash's top half, in the
/// top half of a `u64`) and the tables of children of OL112 (duplicate sibling titles).
pub(crate) fn home(key: u64, len: usize) -> usize {
    // `len` is at least 2, so the shift is below 64; the result is below `len`.
    (key >> (64 - len.trailing_zeros())) as usize
}

impl Guids {
    /// The hasher to hash guids with before [`Guids::find`] and [`Guids::intern`].
    pub(crate) fn hasher(&self) -> GuidHasher {
        self.hasher.clone()
    }

    /// The guid of `id`.
    pub(crate) fn get(&self, id: GuidId) -> &str {
        let id = id as usize;
        &self.text[self.ends[id]..self.ends[id + 1]]
    }

    /// Whether the guid of `id` is `guid`: [`Guids::get`] compared, as bytes, inlined into the
    /// probe (a call and the text's character-boundary tests cost a third of a probe that
    /// finds its guid).
    #[inline]
    fn is(&self, id: GuidId, guid: &str) -> bool {
        let id = id as usize;
        match (self.ends.get(id), self.ends.get(id + 1)) {
            (Some(&start), Some(&end)) => self.text.as_bytes().get(start..end) == Some(guid.as_bytes()),
            _ => false,
        }
    }

    /// How many guids the table holds.
    pub(crate) fn len(&self) -> usize {
        self.ends.len() - 1
    }

    /// Whether the table has outgrown a core's own cache, so that warming probes pays
    /// ([`WARM_FROM_BYTES`]).
    pub(crate) fn is_large(&self) -> bool {
        std::mem::size_of_val(&self.slots[..]) >= WARM_FROM_BYTES
    }

    /// The slot where `guid` is, or the free slot where it would go.
    fn probe(&self, hash: u64, guid: &str) -> usize {
        let tag = hash & !u64::from(u32::MAX);
        let mask = self.slots.len() - 1;
        let mut i = home(tag, self.slots.len());
        loop {
            let slot = self.slots[i];
            if slot == EMPTY || (slot & !u64::from(u32::MAX) == tag && self.is(slot as GuidId, guid)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of `guid`, whose hash (by [`Guids::hasher`]) is `hash`, if it has one.
    pub(crate) fn find(&self, hash: u64, guid: &str) -> Option<GuidId> {
        if self.slots.is_empty() {
            return None;
        }
        match self.slots[self.probe(hash, guid)] {
            EMPTY => None,
            slot => Some(slot as GuidId),
        }
    }

    /// The id of `guid`, if it has one, hashed here as the table's guids are ([`hash_guid`]):
    /// for a lookup away from the rows, which have their guids' hashes read with them.
    pub(crate) fn lookup(&self, guid: &str) -> Option<GuidId> {
        self.find(hash_guid(&self.hasher, guid), guid)
    }

    /// [`Guids::intern`] for a parent's guid: nearly always the parent the row before named
    /// (siblings follow one another), which is told from the last one's hash and bytes without
    /// a probe of the table (about half the cost of [`Guids::intern`] that finds its guid).
    #[inline]
    pub(crate) fn intern_parent(&mut self, hash: u64, guid: &str) -> GuidId {
        let (last_hash, last) = self.last_parent;
        if hash == last_hash && self.is(last, guid) {
            return last;
        }
        let id = self.intern(hash, guid);
        self.last_parent = (hash, id);
        id
    }

    /// The id of `guid`, whose hash (by [`Guids::hasher`]) is `hash`, given one if it is new.
    pub(crate) fn intern(&mut self, hash: u64, guid: &str) -> GuidId {
        if self.room == 0 {
            self.grow();
        }
        let i = self.probe(hash, guid);
        match self.slots[i] {
            EMPTY => {
                // Four billion distinct guids would need far more memory than any machine
                // checking them has; the id saturates rather than wrapping (short of
                // `u32::MAX`, which would make the slot read as free).
                let id = GuidId::try_from(self.len()).unwrap_or(GuidId::MAX).min(GuidId::MAX - 1);
                self.slots[i] = hash & !u64::from(u32::MAX) | u64::from(id);
                self.room -= 1;
                self.text.push_str(guid);
                self.ends.push(self.text.len());
                id
            }
            slot => slot as GuidId,
        }
    }

    /// Starts loading into the caches the slot where the probe for each of `hashes` starts,
    /// one right after the other, so that their cache misses overlap rather than follow one
    /// another (see [`super::Run::warm`]).
    pub(crate) fn warm(&self, hashes: impl Iterator<Item = u64>) {
        if self.slots.is_empty() {
            return;
        }
        for hash in hashes {
            prefetch(&self.slots[home(hash, self.slots.len())]);
        }
    }

    /// Doubles the table. Out of line, so that [`Guids::intern`] stays small.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        self.resize((self.slots.len() * 2).max(MIN_SLOTS));
    }

    /// Makes room for `len` guids in all, the length of their text `text` bytes: the table
    /// takes its size for them at once, rather than doubling step by step on the way (each
    /// step a new table to fault in and every entry placed again), and the text and ends
    /// their capacity (pages not yet written cost no memory).
    pub(crate) fn reserve(&mut self, len: usize, text: usize) {
        let slots = slots_for(len);
        if slots > self.slots.len() {
            self.resize(slots);
        }
        self.text.reserve_exact(text.saturating_sub(self.text.len()));
        self.ends.reserve_exact((len + 1).saturating_sub(self.ends.len()));
    }

    /// How many bytes of guid text the table holds.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Moves the entries to a table of `len` slots ([`rehash`]).
    fn resize(&mut self, len: usize) {
        self.slots = rehash(std::mem::take(&mut self.slots), len, EMPTY, |slot| *slot == EMPTY, |slot| slot);
        self.room = (3 * len / 4).saturating_sub(self.len());
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
    #[inline]
    pub(crate) fn get(&self, id: GuidId, slot: usize) -> Option<Row> {
        match self.rows.get(id as usize)?[slot] {
            0 => None,
            u32::MAX => self.get_big(id, slot),
            row => Some(Row::from(row)),
        }
    }

    /// A row kept aside ([`RowsById::get`] of a row beyond four billion). Out of line: the
    /// map lookup inlined made each caller too large to inline in turn (the parent lookup of
    /// every row in `row::commit` was a call).
    #[cold]
    #[inline(never)]
    fn get_big(&self, id: GuidId, slot: usize) -> Option<Row> {
        self.big.get(&(id, slot)).copied()
    }

    /// Makes room for the rows of `len` ids in all (pages not yet written cost no memory).
    pub(crate) fn reserve(&mut self, len: usize) {
        self.rows.reserve_exact(len.saturating_sub(self.rows.len()));
    }

    /// Sets row number `slot` of `id`.
    #[inline]
    pub(crate) fn set(&mut self, id: GuidId, slot: usize, row: Row) {
        if !self.set_in_place(id, slot, row) {
            self.set_slow(id, slot, row);
        }
    }

    /// [`RowsById::set`] where it needs no allocation, which is nearly always: a row that fits,
    /// of an id that has its entry or is the next one (ids are dense) with room for it, with
    /// nothing kept aside. Returns whether it did (if not, nothing changed). Calls nothing, so
    /// a caller whose other paths are tail calls keeps no registers for them.
    #[inline]
    pub(crate) fn set_in_place(&mut self, id: GuidId, slot: usize, row: Row) -> bool {
        let index = id as usize;
        let Ok(small) = u32::try_from(row) else {
            return false;
        };
        if small == u32::MAX || !self.big.is_empty() {
            return false;
        }
        if index == self.rows.len() && self.rows.len() < self.rows.capacity() {
            self.rows.push([0; N]);
        }
        match self.rows.get_mut(index) {
            Some(rows) => {
                rows[slot] = small;
                true
            }
            None => false,
        }
    }

    /// [`RowsById::set`] for the rest: the reference it must agree with.
    #[cold]
    #[inline(never)]
    fn set_slow(&mut self, id: GuidId, slot: usize, row: Row) {
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

/// For each guid id, a place in a vector of the caller's that holds entries for some ids (a
/// parent's table of children, a group's first row), in 4 bytes an id: `0` for none, `n` for
/// place `n - 1`. A map from id to place put every entry at a random place in megabytes; ids
/// are dense and given in file order, so this index is written nearly in order.
#[derive(Debug, Default)]
pub(crate) struct IdIndex {
    index: Vec<u32>,
}

impl IdIndex {
    /// The place of `id`, if it has one.
    #[inline]
    pub(crate) fn get(&self, id: GuidId) -> Option<usize> {
        match self.index.get(id as usize) {
            Some(&n) if n != 0 => Some(n as usize - 1),
            _ => None,
        }
    }

    /// Gives `id` the place `at` (below `u32::MAX`: there are fewer entries than guids, whose
    /// ids fit in a `u32`).
    pub(crate) fn set(&mut self, id: GuidId, at: usize) {
        let id = id as usize;
        if self.index.len() <= id {
            // Ids are dense and given in file order: grow in steps, as a vector does.
            let len = (id + 1).max(self.index.len() * 2);
            self.index.resize(len, 0);
        }
        self.index[id] = u32::try_from(at + 1).unwrap_or(u32::MAX);
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
            self.grow(word + 1);
        }
        let bit = 1 << (id % 64);
        let new = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        new
    }

    /// Makes room for `words` words, out of line: once per 64 new ids at most, and inlined it
    /// made every caller's loop save and restore registers it only needs here.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, words: usize) {
        self.bits.resize(words, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::Just;
    use std::hash::BuildHasher;

    fn intern(guids: &mut Guids, guid: &str) -> GuidId {
        let hash = hash_guid(&guids.hasher(), guid);
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
        let hash = hash_guid(&guids.hasher(), "sci");
        assert_eq!(guids.find(hash, "sci"), Some(1));
        let hash = hash_guid(&guids.hasher(), "bio");
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
            let hash = hash_guid(&guids.hasher(), &guid);
            assert_eq!(guids.find(hash, &guid), Some(i));
        }
    }

    #[test]
    fn guids_keep_their_ids_when_the_table_is_sized_ahead() {
        let mut guids = Guids::default();
        for i in 0..3000 {
            assert_eq!(intern(&mut guids, &format!("g{i}")), i);
            if i == 1000 {
                guids.reserve(50_000, 1 << 20);
                assert_eq!(guids.slots.len(), slots_for(50_000));
                // Never smaller.
                guids.reserve(10, 10);
                assert_eq!(guids.slots.len(), slots_for(50_000));
            }
        }
        for i in 0..3000 {
            assert_eq!(intern(&mut guids, &format!("g{i}")), i);
            assert_eq!(guids.get(i), format!("g{i}"));
        }
        assert_eq!(guids.len(), 3000);
    }

    proptest::proptest! {
        #[test]
        fn sized_tables_hold_their_entries_without_growing(len in 0usize..10_000_000) {
            let slots = slots_for(len);
            proptest::prop_assert!(slots.is_power_of_two() && slots >= MIN_SLOTS);
            // `intern` grows a table when 3 * slots <= 4 * len: the last of `len` entries is
            // added to a table holding `len - 1`, which must not grow.
            proptest::prop_assert!(3 * slots > 4 * len.saturating_sub(1));
            // And no larger than needed: half as many slots would not do.
            proptest::prop_assert!(slots == MIN_SLOTS || 3 * (slots / 2) <= 4 * len);
        }
    }

    #[test]
    fn guids_with_the_same_hash_stay_apart() {
        let mut guids = Guids::default();
        assert_eq!(guids.find(7, "a"), None);
        // The hash only places a guid; its string decides.
        assert_eq!(guids.intern(7, "a"), 0);
        assert_eq!(guids.intern(7, "b"), 1);
        assert_eq!(guids.intern(7 | 1 << 40, "c"), 2);
        for i in 0..1000 {
            guids.intern(i << 32, &format!("g{i}"));
        }
        assert_eq!(guids.find(7, "b"), Some(1));
        assert_eq!(guids.find(7, "a"), Some(0));
        assert_eq!(guids.find(7, "c"), None);
        assert_eq!(guids.intern(7 | 1 << 40, "c"), 2);
        // Nor does the last parent's hash alone.
        assert_eq!(guids.intern_parent(7, "a"), 0);
        assert_eq!(guids.intern_parent(7, "b"), 1);
        assert_eq!(guids.intern_parent(7, "b"), 1);
        assert_eq!(guids.intern_parent(7, "d"), 1003);
        assert_eq!(guids.intern_parent(7, "a"), 0);
    }

    /// A guid interned with the hash its row reads ([`hash_guid`]) is found by [`Guids::lookup`],
    /// at every length: the lookup away from the rows must hash as the rows do (it hashed with
    /// `hash_one` once, and missed every guid of 17 to 32 bytes).
    #[test]
    fn lookup_hashes_as_the_rows_do() {
        let mut guids = Guids::default();
        let hasher = guids.hasher();
        let all: Vec<String> = (0..48).map(|len| "g".repeat(len)).collect();
        for guid in &all {
            guids.intern(hash_guid(&hasher, guid), guid);
        }
        for (id, guid) in all.iter().enumerate() {
            assert_eq!(guids.lookup(guid), Some(id as GuidId), "{} bytes", guid.len());
        }
        assert_eq!(guids.lookup("h"), None);
    }

    /// The table grows when a new guid would make it more than three quarters full, and only
    /// then, whether it grew by itself or was made room for ([`Guids::reserve`]): the room
    /// counted down is what the guids and the slots say.
    #[test]
    fn the_table_grows_at_three_quarters_full() {
        let hasher = GuidHasher::default();
        let mut guids = Guids::default();
        for i in 0..3000 {
            if i == 1000 {
                guids.reserve(2500, 0);
            }
            let before = guids.slots.len();
            let guid = format!("g{i}");
            guids.intern(hasher.hash_one(&guid), &guid);
            // It grew exactly when it was three quarters full, to twice its size.
            let full = 4 * (guids.len() - 1) >= 3 * before;
            assert_eq!(guids.slots.len(), if full { (before * 2).max(MIN_SLOTS) } else { before }, "guid {i}");
            assert!(4 * guids.len() <= 3 * guids.slots.len());
            assert_eq!(guids.room, 3 * guids.slots.len() / 4 - guids.len());
        }
    }

    proptest::proptest! {
        /// Parents interned through the one-guid memory get the ids `intern` gives, whatever
        /// the order, the repeats and the hashes (here as few as 4, so that guids share them).
        #[test]
        fn parents_get_the_ids_intern_gives(
            calls in proptest::collection::vec(("[ab]{0,2}", proptest::bool::ANY), 0..40),
        ) {
            let (mut guids, mut plain) = (Guids::default(), Guids::default());
            // A hash per guid, as a hasher would give (some shared), fixed for the run.
            let hash = |guid: &str| ((guid.len() as u64 * 5 + guid.bytes().map(u64::from).sum::<u64>()) % 4) << 40;
            for (guid, as_parent) in &calls {
                let id = if *as_parent { guids.intern_parent(hash(guid), guid) } else { guids.intern(hash(guid), guid) };
                proptest::prop_assert_eq!(id, plain.intern(hash(guid), guid));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn is_compares_as_get_does(
            guids_in in proptest::collection::vec("[ab\u{e9}]{0,3}", 1..12),
            other in "[ab\u{e9}]{0,3}",
        ) {
            let mut guids = Guids::default();
            for guid in &guids_in {
                intern(&mut guids, guid);
            }
            for id in 0..=guids.len() as GuidId {
                for guid in guids_in.iter().chain([&other]) {
                    let plain = (id as usize) < guids.len() && guids.get(id) == guid;
                    proptest::prop_assert_eq!(guids.is(id, guid), plain);
                }
            }
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

    proptest::proptest! {
        #[test]
        fn rows_set_as_the_slow_path_sets_them(
            ops in proptest::collection::vec(
                (0u32..12, 0usize..2, proptest::prop_oneof![1u64..20, Just(u64::from(u32::MAX)), Just(u64::from(u32::MAX) + 3)]),
                0..40,
            ),
        ) {
            let (mut fast, mut slow) = (RowsById::<2>::default(), RowsById::<2>::default());
            let mut in_place = RowsById::<2>::default();
            let all = |rows: &RowsById<2>| -> Vec<_> {
                (0..12).flat_map(|id| (0..2).map(move |slot| (id, slot))).map(|(id, slot)| rows.get(id, slot)).collect()
            };
            for (id, slot, row) in ops {
                fast.set(id, slot, row);
                slow.set_slow(id, slot, row);
                proptest::prop_assert_eq!(all(&fast), all(&slow));
                // Where it declines, it leaves everything as it was.
                let before = all(&in_place);
                if !in_place.set_in_place(id, slot, row) {
                    proptest::prop_assert_eq!(all(&in_place), before);
                    in_place.set_slow(id, slot, row);
                }
                proptest::prop_assert_eq!(all(&in_place), all(&slow));
            }
        }
    }

    proptest::proptest! {
        /// A guid of 17 to 32 bytes hashes as its first and last sixteen bytes and its length
        /// (written out here the plain way), any other as foldhash hashes a string; and guids
        /// that differ in one byte, or by one byte at the end, hash apart.
        #[test]
        fn guids_hash_as_words_or_as_foldhash_strings(
            guid in "[a-z0-9-]{0,40}|[a-z]{2}-o[0-9]{8}-[0-9a-f]{4}",
            at in 0usize..40,
            byte in 0u8..0x80,
        ) {
            use std::hash::Hasher;
            let hasher = GuidHasher::default();
            let bytes = guid.as_bytes();
            let plain = if (17..=32).contains(&bytes.len()) {
                let mut h = hasher.build_hasher();
                let word = |b: &[u8]| u128::from_le_bytes(b.try_into().unwrap_or([0; 16]));
                h.write_u128(word(&bytes[..16]));
                h.write_u128(word(&bytes[bytes.len() - 16..]));
                h.write_usize(bytes.len());
                h.finish()
            } else {
                hasher.hash_one(&guid)
            };
            proptest::prop_assert_eq!(hash_guid(&hasher, &guid), plain);
            let mut other = guid.clone().into_bytes();
            if let Some(b) = other.get_mut(at) {
                *b = byte;
            }
            if other != bytes {
                let other = String::from_utf8(other).unwrap_or_default();
                proptest::prop_assert_ne!(hash_guid(&hasher, &other), plain);
            }
            proptest::prop_assert_ne!(hash_guid(&hasher, &format!("{guid}{}", byte as char)), plain);
        }
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
