//! `parents-first` (OL023): every parent group before the rows that name it, moving as few rows
//! as possible.
//!
//! Canvas imports rows top to bottom and looks each name of `parent_guids` up among the groups
//! imported *so far*; a group defined further down is "not found prior to this row" and the row
//! is skipped. This fix changes only the order of data rows: records move whole, with their
//! bytes, the header stays first, and the number of rows moved is the minimum any valid order
//! needs ([`crate::order`] proves it).
//!
//! # Which row a parent name means
//!
//! Exactly Canvas's lookup: a group's parents are groups of the same context (the same
//! `course_id`, or the account when it is blank); an outcome's parents are account groups, or
//! groups of any context when the file has a `course_id` column. Of several groups with that
//! name, the one Canvas would import: the first in the file that it does not reject for reasons
//! that have nothing to do with order (read from [`outcomes_rules::Checker`]: bad UTF-8,
//! ratings, a missing title, ...; or more than one parent; or an over-long title, vendor_guid or
//! description). When the import fails as a whole (say the header is wrong), Canvas reports no
//! row errors for the failing slice, so then only the row's own fields count (vendor_guid,
//! title, object_type): the result must not depend on which slice a row is in.
//!
//! # What else must keep its order
//!
//! Which of two rows with the same vendor_guid Canvas imports (the other is "already appeared")
//! depends on their order, so same-named groups of one context, and same-named outcomes, keep
//! their relative order. When the file has a `course_id` column, an outcome's parent name means
//! the first group of that name in any context, so that group stays above the other groups of
//! its name. Nothing else depends on order. Blank rows and rows nothing constrains
//! stay where they are relative to each other.
//!
//! # Refused (reported, never invented)
//!
//! - a parent no group of the file defines in the right context: the reason says whether the
//!   name is nowhere, an outcome, a group of another course, or a group Canvas rejects;
//! - groups that are each other's parents (a cycle), or a group that names itself;
//! - rows that can never be imported wherever they go (a parent that is missing or in a cycle,
//!   further up; a group Canvas rejects anyway): they are not moved, since moving them would
//!   change bytes without changing what Canvas imports.

use std::collections::HashMap;

use outcomes_csv::{Columns, Field, ReaderOptions, Record, Row};
use outcomes_rules::ruby::{is_ruby_space, ruby_split_uniq};
use outcomes_rules::view::RowView;
use outcomes_rules::{Checker, LintSelection, Rule};

use super::short_rows::is_blank;
use super::{Input, Output};
use crate::doc::show;
use crate::order::{reorder, DEFAULT_BUDGET};
use crate::{FixKind, Refusal};

const KIND: FixKind = FixKind::ParentsFirst;

/// Where Canvas keeps a group: the account, or a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Context<'a> {
    Account,
    Course(&'a str),
}

impl Context<'_> {
    fn describe(self) -> String {
        match self {
            Context::Account => "the account (no course_id)".into(),
            Context::Course(c) => format!("course {}", show(c.as_bytes())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Group,
    Outcome,
    Other,
}

/// One data row, as far as order is concerned.
#[derive(Debug)]
struct Node<'a> {
    row: Row,
    kind: Kind,
    object_type: Option<&'a str>,
    guid: Option<&'a str>,
    context: Context<'a>,
    parents: Vec<&'a str>,
    /// Canvas gets as far as looking up the row's parents.
    reaches_parents: bool,
    /// Why Canvas never imports this group wherever it is (None: it can define a group).
    not_importable: Option<String>,
}

impl Node<'_> {
    fn describe(&self) -> String {
        match (self.kind, self.guid) {
            (Kind::Group, Some(g)) => format!("group {}", show(g.as_bytes())),
            (Kind::Outcome, Some(g)) => format!("outcome {}", show(g.as_bytes())),
            _ => format!("row {}", self.row),
        }
    }

    fn is_definition(&self) -> bool {
        self.kind == Kind::Group && self.reaches_parents && self.not_importable.is_none()
    }
}

/// Rules that reject a row before Canvas looks at its parents, for reasons the row's position
/// does not change.
fn rejects_before_parents(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::InvalidUtf8
            | Rule::RatingPointsMissing
            | Rule::RatingPointsInvalid
            | Rule::RatingPointsOrder
            | Rule::MasteryPointsInvalid
            | Rule::FriendlyDescriptionTooLong
            | Rule::VendorGuidRequired
            | Rule::TitleRequired
            | Rule::VendorGuidSpaces
            | Rule::WorkflowStateInvalid
            | Rule::ObjectTypeInvalid
            | Rule::GroupInvalidFields
            | Rule::OutcomeInvalidFields
    )
}

/// The distinct guids of `parent_guids`, in the order written (Ruby's `strip.split.uniq`).
fn parent_guids<'a>(view: &RowView<'a>) -> Vec<&'a str> {
    let Some(text) = view.present(Field::ParentGuids) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    ruby_split_uniq(text, &mut ranges);
    ranges.into_iter().map(|range| &text[range]).collect()
}

fn node<'a>(record: &'a Record, columns: &'a Columns, rejected: &HashMap<Row, Rule>) -> Node<'a> {
    let view = RowView { record, columns };
    let row = record.row();
    let object_type = view.get(Field::ObjectType);
    let kind = if is_blank(record) {
        Kind::Other
    } else {
        match object_type {
            Some("group") => Kind::Group,
            Some("outcome") => Kind::Outcome,
            _ => Kind::Other,
        }
    };
    let guid = view.present(Field::VendorGuid);
    let rejected = rejected.get(&row).copied();
    let reaches_parents = kind != Kind::Other
        && rejected.is_none()
        && guid.is_some_and(|g| !g.bytes().any(is_ruby_space))
        && view.present(Field::Title).is_some();
    let parents = parent_guids(&view);
    let too_long = |field: Field, max: usize| {
        view.get(field)
            .is_some_and(|v| v.chars().count() > max)
            .then(|| format!("its {} is longer than {max} characters", field.name()))
    };
    let not_importable = if let Some(rule) = rejected {
        Some(format!("{} ({})", rule.summary().trim_end_matches('.'), rule.code()))
    } else if !reaches_parents {
        Some("it has no usable vendor_guid or title".to_owned())
    } else if kind == Kind::Group && parents.len() > 1 {
        Some(format!(
            "it names {} parents and a group can have only one ({})",
            parents.len(),
            Rule::GroupMultipleParents.code()
        ))
    } else if kind == Kind::Group {
        too_long(Field::VendorGuid, 255)
            .or_else(|| too_long(Field::Description, 65_535))
            .or_else(|| too_long(Field::Title, 255))
    } else {
        None
    };
    Node {
        row,
        kind,
        object_type,
        guid,
        context: view.present(Field::CourseId).map_or(Context::Account, Context::Course),
        parents,
        reaches_parents,
        not_importable,
    }
}

/// Why a parent row can never be imported, for messages.
#[derive(Debug, Clone)]
enum Doom {
    /// A parent name that no importable group of the right context has.
    Missing,
    /// Part of a cycle of groups.
    Cycle,
    /// A group Canvas rejects whatever its position.
    NotImportable,
    /// A parent (this group) that can never be imported.
    Parent(usize),
}

pub(crate) fn run(input: &Input<'_>) -> Output {
    let mut out = Output::default();
    let Some(header) = input.doc.header() else {
        return out;
    };
    let columns = Columns::from_header(header);
    if !columns.has(Field::ParentGuids) || !columns.has(Field::VendorGuid) || !columns.has(Field::ObjectType) {
        return out;
    }
    // Canvas's own checks only: lints say nothing about what Canvas imports.
    let checker = Checker::new(input.options.canvas.clone())
        .with_lints(LintSelection::none())
        .with_limits(ReaderOptions { max_record_bytes: usize::MAX });
    // Reading a slice cannot fail; if it did, every row would count as importable.
    let checked = checker.check(input.bytes).ok();
    let mut rejected: HashMap<Row, Rule> = HashMap::new();
    // When the import fails as a whole, Canvas drops the row errors of the failing slice, so
    // which rows have them would depend on the order; then only the row's own content counts.
    let row_errors = match &checked {
        Some(checked) if checked.file_failure().is_none() => &checked.diagnostics[..],
        _ => &[][..],
    };
    for d in row_errors {
        if let (Some(_), Some(row)) = (&d.canvas, d.row) {
            if rejects_before_parents(d.rule) {
                rejected.entry(row).or_insert(d.rule);
            }
        }
    }
    let records = input.doc.data();
    let hierarchy = Hierarchy::new(records, &columns, &rejected);
    let Some(reordered) = reorder(&hierarchy.constraints(), DEFAULT_BUDGET) else {
        // Cycles of parents are left out of the constraints; only keeping the first group of a
        // name first (`anchor`) can still close one, in a contrived file with same-named groups
        // in two courses that are each other's parents' names. Never guess.
        out.refused.push(input.refuse(
            KIND,
            None,
            "the rows could not be put in an order that satisfies every parent; nothing was moved".into(),
        ));
        return out;
    };
    let mut position = vec![0usize; records.len()];
    for (p, &v) in reordered.order.iter().enumerate() {
        position[v] = p;
    }
    out.refused = hierarchy.refusals(input, &position);
    if !reordered.minimal {
        out.refused.push(input.refuse(
            KIND,
            None,
            "the parent hierarchy is too deep to prove the fewest moves in reasonable time; the rows were ordered by a stable sort instead, which may move more rows than needed".into(),
        ));
    }
    if reordered.order.iter().enumerate().all(|(p, &v)| p == v) {
        return out;
    }
    for v in (0..records.len()).filter(|&v| reordered.moved[v]) {
        let message = hierarchy.describe_move(v, &position, &reordered.moved);
        out.fixes.push(input.fix(KIND, hierarchy.nodes[v].row, message));
    }
    out.bytes = Some(
        input.doc.assemble(std::iter::once(header.raw()).chain(reordered.order.iter().map(|&v| records[v].raw()))),
    );
    out
}

/// The data rows with everything order depends on: which row each parent name means, what
/// must keep its order, the cycles, and the rows that can never be imported.
struct Hierarchy<'a> {
    nodes: Vec<Node<'a>>,
    /// For each row, the rows its parent names mean (with the name).
    deps: Vec<Vec<(usize, &'a str)>>,
    /// For each row, the parent names that mean no row.
    missing: Vec<Vec<&'a str>>,
    /// For each row, the previous row with the same name whose order matters.
    chain: Vec<Option<usize>>,
    /// For a group, the first group of the same name in another context when an outcome names
    /// that name in a file with `course_id`: the outcome means the first, which must stay first.
    anchor: Vec<Option<usize>>,
    /// Groups that are each other's parents, in parent order.
    cycles: Vec<Vec<usize>>,
    /// Why a row can never be imported, if so.
    doom: Vec<Option<Doom>>,
    /// The rows that name each parent, among rows that can be imported.
    children: Vec<Vec<usize>>,
    /// Every row by vendor_guid.
    by_guid: HashMap<&'a str, Vec<usize>>,
    /// Whether outcomes look their parents up in any context (the file has `course_id`).
    any_context: bool,
}

impl<'a> Hierarchy<'a> {
    fn new(records: &'a [Record], columns: &'a Columns, rejected: &HashMap<Row, Rule>) -> Self {
        let nodes: Vec<Node<'a>> = records.iter().map(|r| node(r, columns, rejected)).collect();
        let n = nodes.len();
        let any_context = columns.has(Field::CourseId);
        let mut by_guid: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (i, node) in nodes.iter().enumerate() {
            if let Some(guid) = node.guid {
                by_guid.entry(guid).or_default().push(i);
            }
        }

        // The group each (context, name) means, and each name in any context.
        let mut definitions: HashMap<(Context<'a>, &'a str), usize> = HashMap::new();
        let mut in_any_context: HashMap<&'a str, usize> = HashMap::new();
        for (i, node) in nodes.iter().enumerate() {
            if let (true, Some(guid)) = (node.is_definition(), node.guid) {
                definitions.entry((node.context, guid)).or_insert(i);
                in_any_context.entry(guid).or_insert(i);
            }
        }
        let mut deps: Vec<Vec<(usize, &'a str)>> = vec![Vec::new(); n];
        let mut missing: Vec<Vec<&'a str>> = vec![Vec::new(); n];
        for (i, node) in nodes.iter().enumerate() {
            if !node.reaches_parents {
                continue;
            }
            for &guid in &node.parents {
                let found = match node.kind {
                    Kind::Group => definitions.get(&(node.context, guid)),
                    Kind::Outcome if any_context => in_any_context.get(guid),
                    Kind::Outcome => definitions.get(&(Context::Account, guid)),
                    Kind::Other => None,
                };
                match found {
                    Some(&d) => deps[i].push((d, guid)),
                    None => missing[i].push(guid),
                }
            }
        }

        // Same-named rows keep their relative order.
        let mut chain: Vec<Option<usize>> = vec![None; n];
        let mut last_group: HashMap<(Context<'a>, &'a str), usize> = HashMap::new();
        let mut last_outcome: HashMap<&'a str, usize> = HashMap::new();
        for (i, node) in nodes.iter().enumerate() {
            let Some(guid) = node.guid else { continue };
            if node.is_definition() {
                chain[i] = last_group.insert((node.context, guid), i);
            } else if node.kind == Kind::Outcome && node.reaches_parents {
                chain[i] = last_outcome.insert(guid, i);
            }
        }
        // With a `course_id` column an outcome's parent name means the first group of that name
        // in any context: moving another one above it would change which group that is (and
        // fixing again would move more), so it stays first.
        let mut anchor: Vec<Option<usize>> = vec![None; n];
        if any_context {
            let named_by_outcomes: std::collections::HashSet<&str> = nodes
                .iter()
                .filter(|node| node.kind == Kind::Outcome && node.reaches_parents)
                .flat_map(|node| node.parents.iter().copied())
                .collect();
            for (i, node) in nodes.iter().enumerate() {
                if let (true, Some(guid)) = (node.is_definition(), node.guid) {
                    if named_by_outcomes.contains(guid) {
                        anchor[i] = in_any_context.get(guid).copied().filter(|&first| first != i);
                    }
                }
            }
        }

        let mut hierarchy = Hierarchy {
            nodes,
            deps,
            missing,
            chain,
            anchor,
            cycles: Vec::new(),
            doom: vec![None; n],
            children: vec![Vec::new(); n],
            by_guid,
            any_context,
        };
        hierarchy.find_cycles();
        hierarchy.find_doomed();
        for v in 0..n {
            if hierarchy.doom[v].is_none() {
                for &(d, _) in &hierarchy.deps[v] {
                    hierarchy.children[d].push(v);
                }
            }
        }
        hierarchy
    }

    /// The parent of a group that can define one (it has at most one).
    fn parent_of(&self, v: usize) -> Option<usize> {
        if self.nodes[v].is_definition() {
            self.deps[v].first().map(|&(d, _)| d)
        } else {
            None
        }
    }

    /// Definitions have at most one parent, so cycles are those of a functional graph: walk
    /// each parent chain until it ends or meets itself.
    fn find_cycles(&mut self) {
        let n = self.nodes.len();
        let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 done
        for start in 0..n {
            let mut path = Vec::new();
            let mut next = Some(start);
            while let Some(v) = next.filter(|&v| state[v] == 0) {
                state[v] = 1;
                path.push(v);
                next = self.parent_of(v);
            }
            if let Some(v) = next.filter(|&v| state[v] == 1) {
                if let Some(at) = path.iter().position(|&x| x == v) {
                    self.cycles.push(path[at..].to_vec());
                }
            }
            for x in path {
                state[x] = 2;
            }
        }
    }

    /// Why `v` itself can never be imported, apart from its parents.
    fn own_doom(&self, v: usize, in_cycle: &[bool]) -> Option<Doom> {
        let node = &self.nodes[v];
        if !node.reaches_parents {
            None
        } else if !self.missing[v].is_empty() {
            Some(Doom::Missing)
        } else if in_cycle[v] {
            Some(Doom::Cycle)
        } else if node.kind == Kind::Group && node.not_importable.is_some() {
            Some(Doom::NotImportable)
        } else {
            None
        }
    }

    /// Marks the rows that can never be imported: their own reasons, or a parent's.
    fn find_doomed(&mut self) {
        let n = self.nodes.len();
        let mut in_cycle = vec![false; n];
        for &v in self.cycles.iter().flatten() {
            in_cycle[v] = true;
        }
        // Definitions first, along their parent chains (acyclic once cycles stop the walk).
        let mut resolved = vec![false; n];
        for start in 0..n {
            let mut path = Vec::new();
            let mut v = start;
            while !resolved[v] && self.nodes[v].is_definition() {
                path.push(v);
                match (self.own_doom(v, &in_cycle), self.parent_of(v)) {
                    (None, Some(p)) => v = p,
                    _ => break,
                }
            }
            for &x in path.iter().rev() {
                self.doom[x] = self
                    .own_doom(x, &in_cycle)
                    .or_else(|| self.parent_of(x).filter(|&p| self.doom[p].is_some()).map(Doom::Parent));
                resolved[x] = true;
            }
        }
        for v in 0..n {
            if !self.nodes[v].is_definition() {
                self.doom[v] = self.own_doom(v, &in_cycle).or_else(|| {
                    self.deps[v].iter().find(|&&(d, _)| self.doom[d].is_some()).map(|&(d, _)| Doom::Parent(d))
                });
            }
        }
    }

    /// What must come before each row: the parents of rows that can be imported, and the
    /// previous row of the same name.
    fn constraints(&self) -> Vec<Vec<usize>> {
        (0..self.nodes.len())
            .map(|v| {
                let mut list: Vec<usize> =
                    if self.doom[v].is_none() { self.deps[v].iter().map(|&(d, _)| d).collect() } else { Vec::new() };
                list.extend(self.chain[v]);
                list.extend(self.anchor[v]);
                list.sort_unstable();
                list.dedup();
                list
            })
            .collect()
    }

    /// The message for a moved row.
    fn describe_move(&self, v: usize, position: &[usize], moved: &[bool]) -> String {
        let node = &self.nodes[v];
        let new_row = row_of_data(position[v]);
        let same_name = "the other row with the same vendor_guid (which one Canvas imports depends on their order)";
        if position[v] < v {
            let needed_by: Vec<String> =
                self.children[v].iter().filter(|&&u| u < v || moved[u]).map(|&u| self.nodes[u].describe()).collect();
            if needed_by.is_empty() {
                return format!(
                    "moved {} from row {} up to row {new_row}, to stay above {same_name}",
                    node.describe(),
                    node.row
                );
            }
            format!(
                "moved {} from row {} up to row {new_row}, above {} that name{} it as a parent",
                node.describe(),
                node.row,
                list(&needed_by),
                if needed_by.len() == 1 { "s" } else { "" }
            )
        } else {
            let parents: Vec<String> = if self.doom[v].is_none() {
                self.deps[v].iter().map(|&(d, _)| self.nodes[d].describe()).collect()
            } else {
                Vec::new()
            };
            if parents.is_empty() {
                return format!(
                    "moved {} from row {} down to row {new_row}, to stay below {same_name}",
                    node.describe(),
                    node.row
                );
            }
            format!(
                "moved {} from row {} down to row {new_row}, below its parent {}",
                node.describe(),
                node.row,
                list(&parents)
            )
        }
    }

    /// The refusals, by row: missing parents, rows that can never be imported but name a
    /// parent below them or one that can never be imported, and cycles.
    fn refusals(&self, input: &Input<'_>, position: &[usize]) -> Vec<Refusal> {
        let mut refusals: Vec<Refusal> = Vec::new();
        for (v, node) in self.nodes.iter().enumerate() {
            // The parents Canvas will not find before this row: below it in the output, or
            // never imported at all.
            let unmet: Vec<String> = self.deps[v]
                .iter()
                .filter(|&&(d, _)| position[d] > position[v] || self.doom[d].is_some())
                .map(|&(_, g)| g.to_owned())
                .collect();
            let message = match &self.doom[v] {
                Some(Doom::Missing) => {
                    for (i, &guid) in self.missing[v].iter().enumerate() {
                        let mut r = input.refuse(
                            KIND,
                            Some(node.row),
                            format!(
                                "{} names the parent {}, but {}; the row was not moved (Canvas skips it until that parent exists)",
                                node.describe(),
                                show(guid.as_bytes()),
                                self.why_missing(v, guid)
                            ),
                        );
                        r.guids.push(guid.to_owned());
                        if i == 0 {
                            r.guids.extend(unmet.iter().cloned());
                        }
                        refusals.push(r);
                    }
                    continue;
                }
                Some(Doom::Parent(p)) => {
                    let guid = self.deps[v].iter().find(|&&(d, _)| d == *p).map_or("", |&(_, g)| g);
                    format!(
                        "{} names the parent {}, which can never be imported: {}; the row was not moved",
                        node.describe(),
                        show(guid.as_bytes()),
                        self.doom_reason(*p)
                    )
                }
                Some(Doom::NotImportable) if !unmet.is_empty() => format!(
                    "{} was not moved below its parent {}: Canvas rejects it wherever it is ({})",
                    node.describe(),
                    unmet.iter().map(|g| show(g.as_bytes())).collect::<Vec<_>>().join(", "),
                    node.not_importable.as_deref().unwrap_or("it cannot be imported")
                ),
                // Cycles are reported once, below.
                _ => continue,
            };
            let mut r = input.refuse(KIND, Some(node.row), message);
            r.guids = unmet;
            refusals.push(r);
        }
        for cycle in &self.cycles {
            let members: Vec<String> = cycle
                .iter()
                .map(|&v| {
                    let guid = self.nodes[v].guid.unwrap_or_default();
                    format!("{} (row {})", show(guid.as_bytes()), self.nodes[v].row)
                })
                .collect();
            let message = if let [only] = members.as_slice() {
                format!("group {only} names itself as its parent; no order can satisfy that, so it was not moved")
            } else {
                format!(
                    "groups {} are each other's parents (a cycle); no order can satisfy that, so none of them was moved",
                    members.join(" → ")
                )
            };
            let first = cycle.iter().map(|&v| self.nodes[v].row).min();
            let mut r = input.refuse(KIND, first, message);
            r.guids = cycle.iter().filter_map(|&v| self.nodes[v].guid).map(str::to_owned).collect();
            refusals.push(r);
        }
        refusals.sort_by_key(|r| r.row);
        refusals
    }

    /// Why the group at `p` can never be imported, for messages about its children.
    fn doom_reason(&self, p: usize) -> String {
        match &self.doom[p] {
            Some(Doom::Missing) => format!(
                "its own parent {} is not a group of this file it can have",
                show(self.missing[p].first().copied().unwrap_or_default().as_bytes())
            ),
            Some(Doom::Cycle) => "it is in a cycle of groups that are each other's parents".into(),
            Some(Doom::NotImportable) => format!(
                "Canvas rejects it ({})",
                self.nodes[p].not_importable.as_deref().unwrap_or("it cannot be imported")
            ),
            Some(Doom::Parent(q)) => format!(
                "its parent {} (row {}) can never be imported either",
                self.nodes[*q].describe(),
                self.nodes[*q].row
            ),
            None => "it cannot be imported".into(),
        }
    }

    /// Why `guid` names no group row `v` can have as a parent.
    fn why_missing(&self, v: usize, guid: &str) -> String {
        let node = &self.nodes[v];
        let shown = show(guid.as_bytes());
        let named: Vec<&Node<'a>> =
            self.by_guid.get(guid).map(|rows| rows.iter().map(|&i| &self.nodes[i]).collect()).unwrap_or_default();
        let groups: Vec<&Node<'a>> = named.iter().copied().filter(|n| n.kind == Kind::Group).collect();
        let Some(first_group) = groups.first() else {
            return match named.first() {
                None => format!("no row of this file has the vendor_guid {shown}"),
                Some(n) if n.kind == Kind::Outcome => {
                    format!("row {} with that vendor_guid is an outcome, not a group", n.row)
                }
                Some(n) => format!(
                    "row {} with that vendor_guid has object_type {}, not `group`",
                    n.row,
                    show(n.object_type.unwrap_or_default().as_bytes())
                ),
            };
        };
        let wanted = match node.kind {
            Kind::Outcome if self.any_context => None,
            Kind::Outcome => Some(Context::Account),
            _ => Some(node.context),
        };
        let in_context = groups.iter().find(|g| wanted.is_none_or(|c| g.context == c));
        match (in_context, wanted) {
            (Some(g), _) => format!(
                "group {shown} (row {}) is rejected by Canvas wherever it is: {}",
                g.row,
                g.not_importable.as_deref().unwrap_or("it cannot be imported")
            ),
            (None, Some(context)) => format!(
                "group {shown} (row {}) is in {}, and this row looks its parents up in {}",
                first_group.row,
                first_group.context.describe(),
                context.describe()
            ),
            (None, None) => format!("group {shown} (row {}) cannot be imported", first_group.row),
        }
    }
}

/// Canvas's row of the data record at `position` (the header is row 1).
fn row_of_data(position: usize) -> Row {
    position as Row + 2
}

/// `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if init.len() < 3 => format!("{} and {last}", init.join(", ")),
        _ => format!("{} and {} more", items[..3].join(", "), items.len() - 3),
    }
}
