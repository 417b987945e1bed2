//! OL115: a row whose parent group the file marks `deleted`.
//!
//! A group row with `workflow_state` `deleted` is still imported: Canvas saves it and then
//! destroys it (`LearningOutcomeGroup#destroy` deletes its children at that moment and marks it
//! deleted). Parents are looked up by vendor_guid among the groups of this import *whatever their
//! state* (`Outcomes::Import#find_parents`), so a later row naming it is linked into a deleted
//! group: the import reports nothing, and the outcome or subgroup is invisible. This is both
//! "children of a deleted group" and "rows referring to deleted rows": in one file, a child can
//! only come after its parent. A row that is itself deleted is left alone.

use std::collections::HashMap;

use outcomes_csv::{Field, Row};

use super::support::Kind;
use super::{InOrder, Lint, Needs, RowContext, RowTraits};
use crate::canvas::guids::{GuidHasher, GuidId};
use crate::diagnostic::{Diagnostic, Related};
use crate::registry::Rule;
use crate::text::show;

#[derive(Default)]
pub(crate) struct ParentDeleted {
    /// Imported groups marked deleted, with their row.
    deleted: HashMap<GuidId, Row, GuidHasher>,
}

impl Lint for ParentDeleted {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::ParentDeleted]
    }

    fn in_order(&self) -> bool {
        true
    }

    /// A deleted row, until a deleted group is imported: only then can a later row go into
    /// one ([`Lint::engaged`]).
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::DELETED)
    }

    fn engaged(&self) -> bool {
        !self.deleted.is_empty()
    }

    fn row(&mut self, cx: &RowContext<'_>, order: &InOrder<'_>, out: &mut Vec<Diagnostic>) {
        let Some(kind) = cx.kind() else {
            return;
        };
        let deleted = order.deleted;
        if !deleted && !self.deleted.is_empty() {
            self.find(cx, kind, order, out);
        }
        if order.imported && deleted && kind == Kind::Group {
            if let Some(id) = order.guid {
                self.deleted.entry(id).or_insert(cx.view.row());
            }
        }
    }
}

impl ParentDeleted {
    /// Reports each parent of `cx`'s row, of `kind`, that is a group marked deleted. Out of
    /// line: a file without deleted groups (nearly every file) never looks.
    #[inline(never)]
    fn find(&self, cx: &RowContext<'_>, kind: Kind, order: &InOrder<'_>, out: &mut Vec<Diagnostic>) {
        let view = &cx.view;
        for (parent, id) in cx.parents().zip(order.parents) {
            let Some(&row) = self.deleted.get(id) else {
                continue;
            };
            out.push(
                view.diagnostic(
                    Rule::ParentDeleted,
                    format!(
                        "parent group {} is marked deleted (row {row}), so this {} goes into a deleted group",
                        show(parent),
                        kind.name()
                    ),
                    Some(Field::ParentGuids),
                )
                .with_guids([parent])
                .with_note("Canvas finds parents among this import's groups whatever their state, and reports nothing; the row is imported where nobody sees it.")
                .with_related(Related {
                    message: format!("group {} is marked deleted here", show(parent)),
                    row: Some(row),
                    span: None,
                    position: None,
                }),
            );
        }
    }
}
