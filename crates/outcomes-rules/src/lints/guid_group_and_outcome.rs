//! OL114: the same vendor_guid on a group row and on an outcome row.
//!
//! Canvas keeps groups and outcomes in separate tables and looks each kind up separately, so it
//! imports both without complaint. But parent_guids can only ever mean the group, every tool and
//! person reading the file (or Canvas's next export) sees one id for two things, and a later
//! change of object_type on either row turns it into a duplicate. Reported once per guid, at the
//! second kind's first row.

use std::collections::HashMap;

use outcomes_csv::{Field, Row};

use super::support::Kind;
use super::{Lint, RowContext};
use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::text::show;

#[derive(Default)]
pub(crate) struct GuidGroupAndOutcome {
    /// The first row and kind of every guid; `None` once reported.
    first: HashMap<Box<str>, Option<(Kind, Row)>>,
}

impl Lint for GuidGroupAndOutcome {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::GuidGroupAndOutcome]
    }

    fn row(&mut self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        let Some(kind) = cx.kind() else {
            return;
        };
        let Some(guid) = cx.present(Field::VendorGuid) else {
            return;
        };
        let Some(entry) = self.first.get_mut(guid) else {
            self.first.insert(guid.into(), Some((kind, view.row())));
            return;
        };
        let Some((first_kind, first_row)) = *entry else {
            return;
        };
        if first_kind == kind {
            return;
        }
        *entry = None;
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
}
