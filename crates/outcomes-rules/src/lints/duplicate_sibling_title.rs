//! OL112: two groups, or two outcomes, with the same title in the same parent group.
//!
//! Canvas identifies rows by vendor_guid and never compares titles, so it imports both; in its
//! outcome pages (and in the outcome picker teachers align assignments with) they are then two
//! identical entries side by side. Usually the same outcome entered twice under two guids, or a
//! copy-pasted row whose title was not changed. Titles are compared ignoring case and runs of
//! whitespace, as a reader would. Only rows Canvas imports (and does not delete) count.
//!
//! Every imported row is remembered, so the state is kept small: a 64-bit hash of (parent,
//! kind, title) per row and parent, and the row number; the earlier title and guid are not kept,
//! only pointed at. (Two different keys with the same 64-bit hash would be reported as siblings;
//! among a million rows the chance is about one in 10^7.)

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use outcomes_csv::{Field, Row};

use super::support::Kind;
use super::{Lint, RowContext};
use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::text::show;

#[derive(Default)]
pub(crate) struct DuplicateSiblingTitle {
    /// The first row of each (course, parent, kind, normalized title), by hash.
    first: HashMap<u64, Row, BuildHasherDefault<PassThrough>>,
}

/// The map's keys are already hashes: hashing them again would only cost time.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// 64-bit FNV-1a, fed byte by byte: cheap, and all this lint needs.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }
}

/// Hashes a sibling key without allocating: the course (groups only), the parent guid (empty
/// for the root), the kind, and the title's words lowercased and joined by single spaces.
fn sibling_key(course: &str, parent: &str, kind: Kind, title: &str) -> u64 {
    let mut h = Fnv::new();
    h.bytes(course.as_bytes());
    h.byte(0xFF);
    h.bytes(parent.as_bytes());
    h.byte(0xFF);
    h.byte(kind as u8);
    let mut started = false;
    let mut space = false;
    if title.is_ascii() {
        for &b in title.as_bytes() {
            if b.is_ascii_whitespace() || b == 0x0B {
                space = true;
                continue;
            }
            if space && started {
                h.byte(b' ');
            }
            space = false;
            started = true;
            h.byte(b.to_ascii_lowercase());
        }
    } else {
        let mut utf8 = [0; 4];
        for c in title.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && started {
                h.byte(b' ');
            }
            space = false;
            started = true;
            for lower in c.to_lowercase() {
                h.bytes(lower.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
    h.0
}

impl Lint for DuplicateSiblingTitle {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::DuplicateSiblingTitle]
    }

    fn row(&mut self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        if !cx.imported || cx.is_deleted() {
            return;
        }
        let Some(kind) = cx.kind() else {
            return;
        };
        let Some(title) = cx.present(Field::Title) else {
            return;
        };
        let course = match kind {
            Kind::Group => cx.present(Field::CourseId).unwrap_or_default(),
            Kind::Outcome => "",
        };
        let parents = cx.parents();
        let root = [""];
        let parents = if parents.is_empty() { &root[..] } else { parents };
        for &parent in parents {
            let key = sibling_key(course, parent, kind, title);
            let Some(&row) = self.first.get(&key) else {
                self.first.insert(key, view.row());
                continue;
            };
            let place =
                if parent.is_empty() { "at the top level".to_owned() } else { format!("in group {}", show(parent)) };
            out.push(
                view.diagnostic(
                    Rule::DuplicateSiblingTitle,
                    format!(
                        "another {} {place}, at row {row}, has the same title: {}",
                        kind.name(),
                        show(title.trim())
                    ),
                    Some(Field::Title),
                )
                .with_note("Canvas imports both, so they appear as two identical entries side by side; titles are compared here ignoring case and spacing.")
                .with_related(Related {
                    message: format!("the {} with the same title", kind.name()),
                    row: Some(row),
                    span: None,
                    position: None,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_ignoring_case_and_spacing_only() {
        let key = |title| sibling_key("", "math", Kind::Group, title);
        assert_eq!(key("Algebra"), key("  algebra "));
        assert_eq!(key("Solve equations"), key("solve\t EQUATIONS"));
        assert_eq!(key("Géométrie plane"), key("GÉOMÉTRIE  plane"));
        assert_ne!(key("Algebra"), key("Algebra I"));
        assert_ne!(key("ab"), key("a b"));
        assert_ne!(key("Algebra"), sibling_key("", "math", Kind::Outcome, "Algebra"));
        assert_ne!(key("Algebra"), sibling_key("", "geo", Kind::Group, "Algebra"));
        assert_ne!(key("Algebra"), sibling_key("12", "math", Kind::Group, "Algebra"));
    }
}
