//! OL112: two groups, or two outcomes, with the same title in the same parent group.
//!
//! Canvas identifies rows by vendor_guid and never compares titles, so it imports both; in its
//! outcome pages (and in the outcome picker teachers align assignments with) they are then two
//! identical entries side by side. Usually the same outcome entered twice under two guids, or a
//! copy-pasted row whose title was not changed. Titles are compared ignoring case and runs of
//! whitespace, as a reader would. Only rows Canvas imports (and does not delete) count.
//!
//! Every imported row is remembered, so the state is kept small: a 64-bit hash of (course,
//! parent, kind, title) per row and parent, and the row number, 12 bytes in all; the earlier
//! title and guid are not kept, only pointed at. (Two different keys with the same 64-bit hash
//! would be reported as siblings; among a million rows the chance is about one in 10^7. The
//! hash is seeded per process, so a file cannot be crafted to collide.)

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use outcomes_csv::{Field, Row};

use super::support::Kind;
use super::{InOrder, Lint, RowContext, WARM_FROM_BYTES};
use crate::canvas::guids::{home, rehash, slots_for, GuidHasher, GuidId, MIN_SLOTS};
use crate::canvas::Expected;
use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::text::show;

#[derive(Default)]
pub(crate) struct DuplicateSiblingTitle {
    hasher: GuidHasher,
    /// The first row of each (course, parent, kind, normalized title), by 64-bit hash: the
    /// hash's two halves and the row (`u32::MAX`: the row is in `big`; `0`, a row no record has:
    /// a free slot). Open addressing, probed linearly from the slot named by the hash's top
    /// bits, at most three quarters full: one entry per imported row and parent, so at a million
    /// rows the table is far larger than the CPU's caches and each new key costs a cache miss;
    /// with the key and row in the slot it is one line, where hashbrown's control bytes and
    /// entries were two. (Half full probed no faster here, and took twice the memory whenever
    /// the entries passed a power of two: 48 MB rather than 24 at a million rows.)
    first: Vec<[u32; 3]>,
    /// How many entries `first` holds.
    len: usize,
    /// Rows past `u32::MAX - 1`, by key.
    big: HashMap<u64, Row>,
}

/// How many keys one [`Lint::warm`] reads at most: two per row of a window is plenty.
const WARM_KEYS: usize = 64;

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

/// The sibling key of a row under one of its parents (`None` for the root): the course (groups
/// only), the hash of the kind and normalized title read with the row
/// ([`RowFacts::title_hash`]), and the parent, in one hash. Nearly every row has one parent
/// and no course: then the key is one 16-byte write.
///
/// [`RowFacts::title_hash`]: crate::canvas::facts::RowFacts
fn sibling_key(hasher: &impl BuildHasher, course: &str, title_hash: u64, parent: Option<GuidId>) -> u64 {
    let mut h = hasher.build_hasher();
    h.write_u128(u128::from(title_hash) | u128::from(parent.map_or(u64::MAX, u64::from)) << 64);
    // The course's length comes first, so the bytes after it cannot be read another way (and
    // an empty course, every outcome's, needs no bytes at all).
    if !course.is_empty() {
        h.write_usize(course.len());
        h.write(course.as_bytes());
    }
    h.finish()
}

impl DuplicateSiblingTitle {
    /// The first row of `key`, remembering `row` for it if there is none.
    fn first_row(&mut self, key: u64, row: Row) -> Option<Row> {
        if 3 * self.first.len() <= 4 * self.len {
            self.grow();
        }
        let halves = [key as u32, (key >> 32) as u32];
        let mask = self.first.len() - 1;
        let mut i = home(key, self.first.len());
        loop {
            let entry = self.first[i];
            match entry[2] {
                0 => break,
                _ if entry[..2] != halves => i = (i + 1) & mask,
                u32::MAX => return self.big.get(&key).copied(),
                first => return Some(Row::from(first)),
            }
        }
        let small = u32::try_from(row).ok().filter(|r| *r != u32::MAX);
        if small.is_none() {
            self.big.insert(key, row);
        }
        // Row 0 is no record's (the header is row 1): it cannot be taken for a free slot.
        self.first[i] = [halves[0], halves[1], small.unwrap_or(u32::MAX).max(1)];
        self.len += 1;
        None
    }

    /// Doubles the table. Out of line, so that [`DuplicateSiblingTitle::first_row`] stays
    /// small.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        self.resize((self.first.len() * 2).max(MIN_SLOTS));
    }

    /// Moves the entries to a table of `len` slots ([`rehash`]).
    fn resize(&mut self, len: usize) {
        self.first = rehash(std::mem::take(&mut self.first), len, [0; 3], |entry| entry[2] == 0, key_of);
    }
}

impl Lint for DuplicateSiblingTitle {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::DuplicateSiblingTitle]
    }

    fn in_order(&self) -> bool {
        true
    }

    fn reserve(&mut self, expected: Expected) {
        let slots = slots_for(expected.scale(self.len));
        if slots > self.first.len() {
            self.resize(slots);
        }
    }

    fn warm(&self, rows: &mut dyn Iterator<Item = (RowContext<'_>, &[GuidId])>) -> u64 {
        if std::mem::size_of_val(&self.first[..]) < WARM_FROM_BYTES {
            return 0;
        }
        // The keys first, then the slots one right after the other: hashing a key between two
        // reads would keep only a couple of misses in flight.
        let mut keys = [0u64; WARM_KEYS];
        let mut len = 0;
        let mut push = |key| {
            if len < WARM_KEYS {
                keys[len] = key;
                len += 1;
            }
        };
        for (cx, parents) in rows {
            let Some(kind) = cx.kind() else {
                continue;
            };
            if cx.is_deleted() {
                continue;
            }
            let (course, title) = (course(&cx, kind), cx.facts.title_hash);
            if parents.is_empty() {
                push(sibling_key(&self.hasher, course, title, None));
            }
            for &id in parents {
                push(sibling_key(&self.hasher, course, title, Some(id)));
            }
        }
        keys[..len].iter().fold(0, |warmed, key| warmed ^ u64::from(self.first[home(*key, self.first.len())][2]))
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
        let (course, title) = (course(cx, kind), cx.facts.title_hash);
        let row = cx.view.row();
        if order.parents.is_empty() {
            if let Some(first) = self.first_row(sibling_key(&self.hasher, course, title, None), row) {
                report(cx, kind, None, first, out);
            }
        }
        for (index, &id) in order.parents.iter().enumerate() {
            if let Some(first) = self.first_row(sibling_key(&self.hasher, course, title, Some(id)), row) {
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

    #[test]
    fn siblings_differ_by_course_parent_and_title() {
        let hasher = GuidHasher::default();
        let title = |title: &str| crate::canvas::facts::title_hash(&hasher, Kind::Group, title);
        let key = |course, parent, title| sibling_key(&hasher, course, title, parent);
        let algebra = title("Algebra");
        assert_eq!(key("", Some(7), algebra), key("", Some(7), title(" algebra ")));
        assert_ne!(key("", Some(7), algebra), key("", Some(8), algebra));
        assert_ne!(key("", Some(7), algebra), key("", None, algebra));
        assert_ne!(key("", Some(7), algebra), key("12", Some(7), algebra));
        assert_ne!(algebra, crate::canvas::facts::title_hash(&hasher, Kind::Outcome, "Algebra"));
    }

    #[test]
    fn first_rows_are_kept_past_u32() {
        let mut lint = DuplicateSiblingTitle::default();
        let big = u64::from(u32::MAX) + 5;
        assert_eq!(lint.first_row(1, big), None);
        assert_eq!(lint.first_row(1, 9), Some(big));
        assert_eq!(lint.first_row(2, 9), None);
        assert_eq!(lint.first_row(2, 10), Some(9));
    }

    #[test]
    fn first_rows_survive_the_table_growing() {
        let mut lint = DuplicateSiblingTitle::default();
        // Keys that share their top bits (one home slot) and keys spread over the table.
        let keys = |i: u64| [i, i << 40, i.wrapping_mul(0x9e37_79b9_7f4a_7c15)];
        for i in 1..5000 {
            for key in keys(i) {
                assert_eq!(lint.first_row(key, i + 2), None, "key {key}");
            }
        }
        for i in 1..5000 {
            for key in keys(i) {
                assert_eq!(lint.first_row(key, 1), Some(i + 2), "key {key}");
            }
        }
    }

    #[test]
    fn first_rows_survive_the_table_being_sized_ahead() {
        let mut lint = DuplicateSiblingTitle::default();
        let key = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for i in 1..3000 {
            assert_eq!(lint.first_row(key(i), i + 2), None);
            if i == 1000 {
                // A 64th of the file read: the table is sized for 64 times as many entries.
                lint.reserve(Expected { read: 1, total: 64 });
                assert_eq!(lint.first.len(), slots_for(64_000));
            }
        }
        for i in 1..3000 {
            assert_eq!(lint.first_row(key(i), 1), Some(i + 2));
        }
    }
}
