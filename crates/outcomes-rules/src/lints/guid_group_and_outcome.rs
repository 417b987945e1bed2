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
use crate::canvas::guids::RowsById;
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
        let view = &cx.view;
        let Some(kind) = cx.kind() else {
            return;
        };
        // A group or outcome row has a guid id exactly when its vendor_guid is present; the
        // text is read only to report.
        let Some(id) = order.guid else {
            return;
        };
        let index = id as usize;
        if self.kinds.len() <= index {
            // Room for the ids that come next too: grown every few dozen new guids, not at each.
            self.kinds.resize(index + 64, 0);
        }
        let first_kind = match self.kinds[index] {
            0 => {
                self.kinds[index] = kind as u8;
                self.first_row.set(id, 0, view.row());
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
