//! OL101: a group defined below rows that already named it as their parent.
//!
//! Canvas looks parents up only among the groups imported by *earlier* rows, so every row above
//! the group's definition that names it is rejected (OL023, "Parent references not found prior
//! to this row"). OL023 already points from each rejected row down to the definition; this lint
//! is the other direction, at the definition itself: it lists the rows that came too early, so
//! whoever looks at the group's row (in an editor, or through the language server) sees that it
//! has to move up, and above which row. It is info, not a warning: the rows concerned are
//! already Canvas errors.

use std::collections::HashMap;

use outcomes_csv::{Field, Row};

use super::support::{list_rows, Kind, Place};
use super::{InOrder, Lint, RowContext};
use crate::canvas::guids::{GuidHasher, GuidId, IdSet};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::show;

/// How many early rows a diagnostic points at (the message counts the rest).
const MAX_RELATED: usize = 10;

#[derive(Default)]
pub(crate) struct ParentDefinedLater {
    /// Guids of every group row seen so far, imported or not.
    groups: IdSet,
    /// Guids named as parents before any group row defined them, with the rows (and their
    /// parent_guids cells) that named them: at most `MAX_RELATED` places plus a count.
    early: HashMap<GuidId, (Vec<Place>, usize), GuidHasher>,
}

/// Whether parent number `index` of `cx`'s row, of id `id`, is the row's own vendor_guid. A
/// group or outcome row's guid has an id ([`InOrder::guid`]) and the ids are compared; only
/// another row (an invalid object_type) compares the text.
fn names_itself(cx: &RowContext<'_>, order: &InOrder<'_>, index: usize, id: GuidId) -> bool {
    match order.guid {
        Some(guid) => guid == id,
        None => cx.present(Field::VendorGuid).is_some_and(|own| cx.parents().nth(index) == Some(own)),
    }
}

impl Lint for ParentDefinedLater {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::ParentDefinedLater]
    }

    fn in_order(&self) -> bool {
        true
    }

    fn row(&mut self, cx: &RowContext<'_>, order: &InOrder<'_>, out: &mut Vec<Diagnostic>) {
        // Nearly every row is no group and names only groups defined above: nothing to note,
        // told here inline. The rest is out of line, so that the rows that stop here save no
        // registers for it.
        if cx.kind() != Some(Kind::Group) && order.parents.iter().all(|&id| self.groups.contains(id)) {
            return;
        }
        self.take_row(cx, order, out);
    }
}

impl ParentDefinedLater {
    /// [`Lint::row`] without its shortcut: the reference.
    #[inline(never)]
    fn take_row(&mut self, cx: &RowContext<'_>, order: &InOrder<'_>, out: &mut Vec<Diagnostic>) {
        if cx.is_blank() {
            return;
        }
        for (index, &id) in order.parents.iter().enumerate() {
            if !self.groups.contains(id) && !names_itself(cx, order, index, id) {
                self.note_early(cx, id);
            }
        }
        if cx.kind() != Some(Kind::Group) {
            return;
        }
        // A group row has a guid id exactly when its vendor_guid is present.
        let Some(id) = order.guid else {
            return;
        };
        if self.groups.insert(id) && !self.early.is_empty() {
            self.defined(cx, id, out);
        }
    }

    /// Notes that `cx`'s row names `id` before any group row defines it.
    #[inline(never)]
    fn note_early(&mut self, cx: &RowContext<'_>, id: GuidId) {
        let (places, count) = self.early.entry(id).or_default();
        if places.len() < MAX_RELATED {
            places.push(Place::of(&cx.view, Field::ParentGuids));
        }
        *count += 1;
    }

    /// Reports the rows that named `id` before `cx`'s group row, its first, defined it.
    #[inline(never)]
    fn defined(&mut self, cx: &RowContext<'_>, id: GuidId, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        let Some((places, count)) = self.early.remove(&id) else {
            return;
        };
        let guid = cx.present(Field::VendorGuid).unwrap_or_default();
        let rows: Vec<Row> = places.iter().map(|p| p.row).collect();
        let mut listed = list_rows(&rows, MAX_RELATED);
        if count > places.len() {
            listed = format!("{listed} (and {} more)", count - places.len());
        }
        let mut d = view
            .diagnostic(
                Rule::ParentDefinedLater,
                format!(
                    "group {} is defined at row {}, below {listed} that name it in parent_guids",
                    show(guid),
                    view.row()
                ),
                Some(Field::VendorGuid),
            )
            .with_guids([guid])
            .with_note(format!(
                "Canvas only finds parents among the groups imported by earlier rows, so {} cannot find it (OL023, \"not found prior to this row\").",
                if count == 1 { "that row" } else { "those rows" }
            ))
            .with_help_text(format!(
                "Move this row above row {}; `outcomes-lint fix` reorders rows so parents come first.",
                rows[0]
            ));
        for place in places {
            d = d.with_related(place.related(format!("names {} before it is defined", show(guid))));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::ParentDefinedLater;
    use crate::lints::{take_rows, Lint};

    /// What OL101 reports on `file`, every row taken through [`Lint::row`] or, if `full`, through
    /// [`ParentDefinedLater::take_row`] (no shortcut).
    fn reported(file: &str, full: bool) -> Vec<String> {
        let mut lint = ParentDefinedLater::default();
        take_rows(file, |cx, order, out| if full { lint.take_row(cx, order, out) } else { lint.row(cx, order, out) })
    }

    proptest! {
        /// The shortcut of [`Lint::row`] reports what every step reports, on rows of every kind
        /// (groups, outcomes, neither, blank) naming groups defined above, below, never, or
        /// themselves.
        #[test]
        fn a_row_taken_is_a_row_taken_in_full(
            rows in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["a", "b", "c", "d", ""]),
                    proptest::sample::select(vec!["group", "outcome", "folder", ""]),
                    proptest::sample::select(vec!["", "a", "b", "c d", "a b", " d ", "a a"]),
                ),
                0..30,
            )
        ) {
            let mut file = String::from("vendor_guid,object_type,title,parent_guids\n");
            for (guid, kind, parents) in rows {
                let title = if guid.is_empty() && kind.is_empty() && parents.is_empty() { "" } else { "T" };
                file.push_str(&format!("{guid},{kind},{title},\"{parents}\"\n"));
            }
            let full = reported(&file, true);
            prop_assert_eq!(reported(&file, false), full);
        }
    }

    /// The comparison above compares something: rows that come too early are reported.
    #[test]
    fn early_rows_are_reported() {
        let file = "vendor_guid,object_type,title,parent_guids\no,outcome,O,g\ng,group,G,\n";
        assert_eq!(reported(file, false).len(), 1);
        assert_eq!(reported(file, false), reported(file, true));
    }
}
