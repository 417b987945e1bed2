//! OL114: the same vendor_guid on a group row and on an outcome row.
//!
//! Canvas keeps groups and outcomes in separate tables and looks each kind up separately, so it
//! imports both without complaint. But parent_guids can only ever mean the group, every tool and
//! person reading the file (or Canvas's next export) sees one id for two things, and a later
//! change of object_type on either row turns it into a duplicate. Reported once per guid, at the
//! second kind's first row.

use outcomes_csv::{Field, Row};

use super::support::Kind;
use super::{InOrder, Lint, RowContext};
use crate::canvas::guids::{GuidId, RowsById};
use crate::canvas::Expected;
use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::text::show;

/// `kinds` value of a guid already reported.
const REPORTED: u8 = 3;

#[derive(Default)]
pub(crate) struct GuidGroupAndOutcome {
    /// The first row of every guid, by guid id.
    first_row: RowsById<1>,
    /// The kind of that first row (`Kind as u8`), or `REPORTED`; 0 for a guid not seen yet.
    kinds: Vec<u8>,
}

impl Lint for GuidGroupAndOutcome {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::GuidGroupAndOutcome]
    }

    fn in_order(&self) -> bool {
        true
    }

    fn reserve(&mut self, expected: Expected) {
        let len = expected.scale(self.kinds.len());
        self.first_row.reserve(len);
        self.kinds.reserve_exact(len.saturating_sub(self.kinds.len()));
    }

    fn row(&mut self, cx: &RowContext<'_>, order: &InOrder<'_>, out: &mut Vec<Diagnostic>) {
        // A group or outcome row has a guid id exactly when its vendor_guid is present; the
        // text is read only to report.
        let (Some(kind), Some(id)) = (cx.kind(), order.guid) else {
            return;
        };
        // Nearly every row: a guid not seen yet, in tables with room for it. Inlined and
        // calling nothing; the rest (the reference) is a tail call, so that the rows that end
        // here save no registers for it.
        let index = id as usize;
        if self.kinds.get(index) == Some(&0) && self.first_row.set_in_place(id, 0, cx.view.row()) {
            self.kinds[index] = kind as u8;
            return;
        }
        self.take_row(cx, kind, id, out);
    }
}

impl GuidGroupAndOutcome {
    /// [`Lint::row`] without its shortcut, for `cx`'s row, of `kind` and guid `id`.
    #[inline(never)]
    fn take_row(&mut self, cx: &RowContext<'_>, kind: Kind, id: GuidId, out: &mut Vec<Diagnostic>) {
        let index = id as usize;
        if self.kinds.len() <= index {
            // Room for the ids that come next too: grown every few dozen new guids, not at each.
            self.kinds.resize(index + 64, 0);
        }
        let first_kind = match self.kinds[index] {
            0 => {
                self.kinds[index] = kind as u8;
                self.first_row.set(id, 0, cx.view.row());
                return;
            }
            REPORTED => return,
            k if k == kind as u8 => return,
            _ => match kind {
                Kind::Group => Kind::Outcome,
                Kind::Outcome => Kind::Group,
            },
        };
        self.kinds[index] = REPORTED;
        report(cx, kind, first_kind, self.first_row.get(id, 0).unwrap_or_default(), out);
    }
}

/// Reports `cx`'s row, of `kind`, whose vendor_guid the row `first_row`, of `first_kind`, has
/// too. Out of line: nearly no row has one, and building the message would weigh on every
/// row's call.
#[cold]
#[inline(never)]
fn report(cx: &RowContext<'_>, kind: Kind, first_kind: Kind, first_row: Row, out: &mut Vec<Diagnostic>) {
    let view = &cx.view;
    let guid = cx.present(Field::VendorGuid).unwrap_or_default();
    out.push(
        view.diagnostic(
            Rule::GuidGroupAndOutcome,
            format!(
                "vendor_guid {} is used by this {} and by the {} at row {first_row}",
                show(guid),
                kind.name(),
                first_kind.name()
            ),
            Some(Field::VendorGuid),
        )
        .with_guids([guid])
        .with_note("Canvas imports both (groups and outcomes are looked up separately), but parent_guids naming it always means the group, and anyone reading the file sees one id for two things.")
        .with_related(Related {
            message: format!("the {} with the same vendor_guid", first_kind.name()),
            row: Some(first_row),
            span: None,
            position: None,
        }),
    );
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::GuidGroupAndOutcome;
    use crate::lints::{take_rows, Lint};

    /// What OL114 reports on `file`, every row taken through [`Lint::row`] or, if `full`, through
    /// [`GuidGroupAndOutcome::take_row`] (no shortcut); with room reserved or not.
    fn reported(file: &str, full: bool, reserved: bool) -> Vec<String> {
        let mut lint = GuidGroupAndOutcome::default();
        if reserved {
            lint.first_row.reserve(8);
        }
        take_rows(file, |cx, order, out| match (full, cx.kind(), order.guid) {
            (true, Some(kind), Some(id)) => lint.take_row(cx, kind, id, out),
            (true, _, _) => {}
            (false, _, _) => lint.row(cx, order, out),
        })
    }

    proptest! {
        /// The shortcut of [`Lint::row`] reports what every step reports, on groups, outcomes
        /// and other rows, of guids new, seen with the same kind, seen with the other, or
        /// reported already.
        #[test]
        fn a_row_taken_is_a_row_taken_in_full(
            rows in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["a", "b", "c", ""]),
                    proptest::sample::select(vec!["group", "outcome", "folder"]),
                ),
                0..30,
            ),
            reserved in any::<bool>(),
        ) {
            let mut file = String::from("vendor_guid,object_type,title\n");
            for (guid, kind) in rows {
                file.push_str(&format!("{guid},{kind},T\n"));
            }
            let full = reported(&file, true, reserved);
            prop_assert_eq!(reported(&file, false, reserved), full);
        }
    }

    /// The comparison above compares something: a guid on both kinds is reported.
    #[test]
    fn a_guid_on_both_kinds_is_reported() {
        let file = "vendor_guid,object_type,title\ng,group,G\ng,outcome,O\ng,group,G\n";
        assert_eq!(reported(file, false, false).len(), 1);
        assert_eq!(reported(file, false, false), reported(file, true, false));
    }
}
