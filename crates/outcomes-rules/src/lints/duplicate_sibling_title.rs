//! OL112: two groups, or two outcomes, with the same title in the same parent group.
//!
//! Canvas identifies rows by vendor_guid and never compares titles, so it imports both; in its
//! outcome pages (and in the outcome picker teachers align assignments with) they are then two
//! identical entries side by side. Usually the same outcome entered twice under two guids, or a
//! copy-pasted row whose title was not changed. Titles are compared ignoring case and runs of
//! whitespace, as a reader would. Only rows Canvas imports (and does not delete) count.
//!
//! Every imported row is remembered, so the state is kept small and near at hand. Each parent
//! group has a table of its own children, by a 64-bit hash of (course, kind, title), with the
//! row of the first; the top level has one too. A row's siblings are nearly always close to it
//! in the file (a group's rows follow it), so the table it probes is one its siblings just
//! used, already in the CPU's caches. (One table for the whole file, keyed by parent as well,
//! put every row's probe at a random place in 24 MB at a million rows: a cache miss each, a
//! seventh of the check's time.) The earlier title and guid are not kept, only pointed at. (Two
//! different titles under one parent with the same 64-bit hash would be reported as siblings;
//! the hash is seeded per process, so a file cannot be crafted to collide.)

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use outcomes_csv::{Field, Row};

use super::support::Kind;
use super::{InOrder, Lint, RowContext};
use crate::canvas::guids::{home, place, GuidHasher, GuidId, IdIndex};
use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::text::show;

#[derive(Default)]
pub(crate) struct DuplicateSiblingTitle {
    hasher: GuidHasher,
    /// The children of the top level (rows with no parent).
    top: Table,
    /// The children of each parent group that has any, in the order the parents were first
    /// named.
    tables: Vec<Table>,
    /// For each guid id, where its children are in `tables`.
    table_of: IdIndex,
    /// Every table's slots.
    arena: Arena,
    /// How many entries the parents' tables hold in all.
    children: usize,
    /// Rows past `u32::MAX - 1`, by parent (`None`: the top level) and key.
    big: HashMap<(Option<GuidId>, u64), Row>,
}

/// The children of one parent, the first row of each key: a power of two of slots in the
/// [`Arena`], at most three quarters full, probed linearly from the slot named by the key's top
/// bits. A slot holds the key's two halves and the row (`u32::MAX`: the row is in `big`; `0`, a
/// row no record has: a free slot), so a probe reads one cache line.
#[derive(Debug, Clone, Copy, Default)]
struct Table {
    /// Where its slots start in the arena.
    at: usize,
    /// How many slots it has (`0`: none yet).
    slots: usize,
    /// How many more entries it takes before it grows (to stay at most three quarters full):
    /// one test of a row's probe, where the entries and the slots compared took six
    /// instructions.
    room: usize,
}

/// The slots of every [`Table`], in one vector: a table per parent group, each allocated on
/// its own, cost a `malloc` and a `free` every time one grew, a third of this lint's time.
/// A table that grows leaves its slots for the next table of that size.
#[derive(Default)]
struct Arena {
    slots: Vec<[u32; 3]>,
    /// Where the slots of tables that grew start, by the log2 of their size.
    free: Vec<Vec<usize>>,
}

/// The fewest and the most slots a parent's first table has ([`DuplicateSiblingTitle::first_slots`]).
const FIRST_SLOTS: usize = 4;
const MOST_FIRST_SLOTS: usize = 16;

/// Where the first row of a key is.
enum First {
    /// No earlier row has the key: the new one is now its first.
    New,
    /// The first row has the key.
    At(Row),
    /// The first row is past `u32::MAX - 1`: look it up in `big`.
    Big,
}

impl Arena {
    /// `len` free slots (a power of two) for a table; where they start.
    fn take(&mut self, len: usize) -> usize {
        let class = len.trailing_zeros() as usize;
        if let Some(at) = self.free.get_mut(class).and_then(Vec::pop) {
            self.slots[at..at + len].fill([0; 3]);
            return at;
        }
        let at = self.slots.len();
        self.slots.resize(at + len, [0; 3]);
        at
    }

    /// Leaves the `len` slots at `at` for another table.
    fn give(&mut self, at: usize, len: usize) {
        let class = len.trailing_zeros() as usize;
        if self.free.len() <= class {
            self.free.resize_with(class + 1, Vec::new);
        }
        self.free[class].push(at);
    }
}

impl Table {
    /// The first row of `key`, remembering `row` (`u32::MAX` for a big one) for it if there is
    /// none.
    #[inline]
    fn first_row(&mut self, arena: &mut Arena, key: u64, row: u32) -> First {
        if self.room == 0 {
            self.grow(arena);
        }
        let halves = [key as u32, (key >> 32) as u32];
        let mask = self.slots - 1;
        let mut i = home(key, self.slots);
        loop {
            let entry = arena.slots[self.at + i];
            match entry[2] {
                0 => break,
                _ if entry[..2] != halves => i = (i + 1) & mask,
                u32::MAX => return First::Big,
                first => return First::At(Row::from(first)),
            }
        }
        // Row 0 is no record's (the header is row 1): it cannot be taken for a free slot.
        arena.slots[self.at + i] = [halves[0], halves[1], row.max(1)];
        self.room -= 1;
        First::New
    }

    /// Moves the entries to a table twice the size (or makes the first). Out of line, so that
    /// [`Table::first_row`] stays small.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, arena: &mut Arena) {
        self.resize(arena, (self.slots * 2).max(FIRST_SLOTS));
    }

    /// Moves the entries to a table of `len` slots, a power of two they fit in.
    fn resize(&mut self, arena: &mut Arena, len: usize) {
        let at = arena.take(len);
        if self.slots != 0 {
            // The old slots and the new are apart in the arena.
            let (old, new) = if at > self.at {
                let (low, high) = arena.slots.split_at_mut(at);
                (&low[self.at..self.at + self.slots], &mut high[..len])
            } else {
                let (low, high) = arena.slots.split_at_mut(self.at);
                (&high[..self.slots], &mut low[at..at + len])
            };
            place(new, old.iter().copied().filter(|entry| entry[2] != 0), |entry| entry[2] == 0, key_of);
            arena.give(self.at, self.slots);
        }
        // The entries it holds are three quarters of the old slots less the room that was left.
        let entries = self.slots * 3 / 4 - self.room;
        self.at = at;
        self.slots = len;
        self.room = len * 3 / 4 - entries;
    }
}

fn key_of(entry: [u32; 3]) -> u64 {
    u64::from(entry[0]) | (u64::from(entry[1]) << 32)
}

/// The course a row's siblings are counted in: a group's course_id (groups of two courses are
/// not siblings), none for an outcome.
#[inline]
fn course<'a>(cx: &RowContext<'a>, kind: Kind) -> &'a str {
    match kind {
        Kind::Group => cx.present(Field::CourseId).unwrap_or_default(),
        Kind::Outcome => "",
    }
}

/// The key of a row among its siblings: the hash of the kind and normalized title read with
/// the row ([`RowFacts::title_hash`]), with the course hashed in for a group that has one.
/// Nearly every row has none: then the title's hash is the key.
///
/// [`RowFacts::title_hash`]: crate::canvas::facts::RowFacts
fn sibling_key(hasher: &impl BuildHasher, course: &str, title_hash: u64) -> u64 {
    if course.is_empty() {
        return title_hash;
    }
    let mut h = hasher.build_hasher();
    h.write_u64(title_hash);
    // The course's length comes first, so the bytes after it cannot be read another way.
    h.write_usize(course.len());
    h.write(course.as_bytes());
    h.finish()
}

impl DuplicateSiblingTitle {
    /// The first row of `key` under `parent` (`None`: the top level), remembering `row` for it
    /// if there is none. Always inlined into [`Lint::row`]: a call per parent per row saved and
    /// restored six registers, and `#[inline]` alone did not inline it.
    #[inline(always)]
    fn first_row(&mut self, parent: Option<GuidId>, key: u64, row: Row) -> Option<Row> {
        let small = u32::try_from(row).ok().filter(|r| *r != u32::MAX);
        let table = match parent {
            None => &mut self.top,
            Some(id) => {
                let table = match self.table_of.get(id) {
                    Some(table) => table,
                    None => self.new_table(id),
                };
                &mut self.tables[table]
            }
        };
        match table.first_row(&mut self.arena, key, small.unwrap_or(u32::MAX)) {
            First::At(first) => Some(first),
            First::Big => self.big.get(&(parent, key)).copied(),
            First::New => {
                self.children += usize::from(parent.is_some());
                if small.is_none() {
                    self.big.insert((parent, key), row);
                }
                None
            }
        }
    }

    /// Makes the (empty) table of `parent`'s children; returns where it is in `tables`. Out of
    /// line: a parent's first child only.
    #[cold]
    #[inline(never)]
    fn new_table(&mut self, parent: GuidId) -> usize {
        let mut table = Table::default();
        let slots = self.first_slots();
        table.resize(&mut self.arena, slots);
        self.table_of.set(parent, self.tables.len());
        self.tables.push(table);
        self.tables.len() - 1
    }

    /// The slots of a new parent's table: enough for as many children as the parents so far
    /// have on average, within [`FIRST_SLOTS`] and [`MOST_FIRST_SLOTS`]. Growing a table costs
    /// more than its probes (about 50 ns, the entries placed again at unforeseeable places),
    /// and a table always as large as the most common groups need (16 slots, 192 bytes) would
    /// take 192 bytes for each group of a file of one outcome a group.
    fn first_slots(&self) -> usize {
        let average = self.children / self.tables.len().max(1);
        (average * 4 / 3 + 1).next_power_of_two().clamp(FIRST_SLOTS, MOST_FIRST_SLOTS)
    }
}

impl Lint for DuplicateSiblingTitle {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::DuplicateSiblingTitle]
    }

    fn in_order(&self) -> bool {
        true
    }

    fn row(&mut self, cx: &RowContext<'_>, order: &InOrder<'_>, out: &mut Vec<Diagnostic>) {
        let Some(kind) = cx.kind() else {
            return;
        };
        // A group or outcome row with a title has a title hash; the title itself is read only
        // to report.
        if !order.imported || cx.facts.title_hash == 0 && cx.present(Field::Title).is_none() || order.deleted {
            return;
        }
        let key = sibling_key(&self.hasher, course(cx, kind), cx.facts.title_hash);
        let row = cx.view.row();
        if order.parents.is_empty() {
            if let Some(first) = self.first_row(None, key, row) {
                report(cx, kind, None, first, out);
            }
        }
        for (index, &id) in order.parents.iter().enumerate() {
            if let Some(first) = self.first_row(Some(id), key, row) {
                report(cx, kind, Some(index), first, out);
            }
        }
    }
}

/// Reports `cx`'s row: an earlier row of the same kind and title, `first`, is in its parent
/// number `parent` (or at the top level, for `None`). Out of line: nearly every row has no
/// such sibling, and building the message would weigh on every row's call.
#[cold]
#[inline(never)]
fn report(cx: &RowContext<'_>, kind: Kind, parent: Option<usize>, first: Row, out: &mut Vec<Diagnostic>) {
    let view = &cx.view;
    let title = cx.present(Field::Title).unwrap_or_default();
    let place = match parent {
        None => "at the top level".to_owned(),
        Some(index) => format!("in group {}", show(cx.parents().nth(index).unwrap_or_default())),
    };
    out.push(
        view.diagnostic(
            Rule::DuplicateSiblingTitle,
            format!("another {} {place}, at row {first}, has the same title: {}", kind.name(), show(title.trim())),
            Some(Field::Title),
        )
        .with_note("Canvas imports both, so they appear as two identical entries side by side; titles are compared here ignoring case and spacing.")
        .with_related(Related {
            message: format!("the {} with the same title", kind.name()),
            row: Some(first),
            span: None,
            position: None,
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn siblings_differ_by_course_and_title() {
        let hasher = GuidHasher::default();
        let title = |title: &str| crate::canvas::facts::title_hash(&hasher, Kind::Group, title);
        let key = |course, title| sibling_key(&hasher, course, title);
        let algebra = title("Algebra");
        assert_eq!(key("", algebra), key("", title(" algebra ")));
        assert_ne!(key("", algebra), key("12", algebra));
        assert_ne!(key("1", algebra), key("12", algebra));
        assert_ne!(algebra, crate::canvas::facts::title_hash(&hasher, Kind::Outcome, "Algebra"));
    }

    #[test]
    fn parents_keep_their_children_apart() {
        let mut lint = DuplicateSiblingTitle::default();
        assert_eq!(lint.first_row(Some(7), 1, 2), None);
        assert_eq!(lint.first_row(Some(8), 1, 3), None);
        assert_eq!(lint.first_row(None, 1, 4), None);
        assert_eq!(lint.first_row(Some(7), 1, 5), Some(2));
        assert_eq!(lint.first_row(Some(8), 1, 6), Some(3));
        assert_eq!(lint.first_row(None, 1, 7), Some(4));
        assert_eq!(lint.first_row(Some(0), 1, 8), None);
        assert_eq!(lint.tables.len(), 3);
    }

    #[test]
    fn first_rows_are_kept_past_u32() {
        let mut lint = DuplicateSiblingTitle::default();
        let big = u64::from(u32::MAX) + 5;
        assert_eq!(lint.first_row(Some(3), 1, big), None);
        assert_eq!(lint.first_row(Some(3), 1, 9), Some(big));
        assert_eq!(lint.first_row(Some(4), 1, 9), None);
        assert_eq!(lint.first_row(None, 1, big + 1), None);
        assert_eq!(lint.first_row(None, 1, 10), Some(big + 1));
        assert_eq!(lint.first_row(Some(3), 2, 9), None);
        assert_eq!(lint.first_row(Some(3), 2, 10), Some(9));
    }

    #[test]
    fn first_rows_survive_the_tables_growing() {
        let mut lint = DuplicateSiblingTitle::default();
        // Keys that share their top bits (one home slot) and keys spread over the table.
        let keys = |i: u64| [i, i << 40, i.wrapping_mul(0x9e37_79b9_7f4a_7c15)];
        let mut entries = 0;
        for i in 1..5000 {
            for key in keys(i) {
                let before = lint.tables.first().map_or(0, |table| table.slots);
                assert_eq!(lint.first_row(Some(1), key, i + 2), None, "key {key}");
                entries += 1;
                // Grown exactly when a new key would make it more than three quarters full,
                // with the room counted down that the entries and the slots say.
                // (The table is made at its first key, of its first size.)
                let table = lint.tables[0];
                let full = 4 * (entries - 1) >= 3 * before;
                let grown = if before == 0 {
                    table.slots
                } else if full {
                    before * 2
                } else {
                    before
                };
                assert_eq!(table.slots, grown, "key {key}");
                assert!(4 * entries <= 3 * table.slots);
                assert_eq!(table.room, 3 * table.slots / 4 - entries);
            }
        }
        for i in 1..5000 {
            for key in keys(i) {
                assert_eq!(lint.first_row(Some(1), key, 1), Some(i + 2), "key {key}");
            }
        }
    }

    #[test]
    fn grown_tables_leave_their_slots_to_others() {
        let mut lint = DuplicateSiblingTitle::default();
        // A group of nine children: its table grows from 4 slots to 8, then 16.
        let key = |child: u64| (child + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for child in 0..9 {
            assert_eq!(lint.first_row(Some(0), key(child), 2 + child), None);
        }
        assert_eq!(lint.arena.slots.len(), 4 + 8 + 16);
        // A second group: its table starts at 16 slots, the first's average, and grows to 32,
        // leaving its 16 to the third.
        for child in 0..20 {
            assert_eq!(lint.first_row(Some(1), key(child), 2 + child), None);
        }
        assert_eq!(lint.arena.slots.len(), 4 + 8 + 16 + 16 + 32);
        assert_eq!(lint.first_row(Some(2), key(0), 40), None);
        assert_eq!(lint.tables[2].slots, 16);
        assert_eq!(lint.arena.slots.len(), 4 + 8 + 16 + 16 + 32);
    }

    proptest! {
        /// The tables find what a plain map of (parent, key) to first row finds, whatever the
        /// parents, keys and their order.
        #[test]
        fn tables_agree_with_a_plain_map(rows in proptest::collection::vec((proptest::option::of(0u32..40), 0u64..60), 0..400)) {
            let mut lint = DuplicateSiblingTitle::default();
            let mut plain: HashMap<(Option<GuidId>, u64), Row> = HashMap::new();
            for (row, (parent, key)) in (2u64..).zip(rows) {
                // Keys whose top bits collide often, as well as spread ones.
                let key = if key % 2 == 0 { key << 58 } else { key.wrapping_mul(0x9e37_79b9_7f4a_7c15) };
                let expected = plain.get(&(parent, key)).copied();
                plain.entry((parent, key)).or_insert(row);
                prop_assert_eq!(lint.first_row(parent, key, row), expected);
            }
        }
    }
}
