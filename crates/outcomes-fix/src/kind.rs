//! The fixes by name, and which of them to apply.
//!
//! Every fix repairs the finding of one rule of [`outcomes_rules::Rule`], and is selected by that
//! rule's code (`OL023`), the rule's name (`parent-not-found`) or the fix's own name
//! (`parents-first`), so `--select`/`--ignore` take the same words for `fix` as for `check`.

use std::collections::BTreeSet;
use std::fmt;

use outcomes_rules::Rule;

/// One kind of repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FixKind {
    /// Rewrites line breaks outside quotes that differ from the file's first one (`OL002`).
    LineEndings,
    /// Fixes the case and stray spaces of known header names (`OL005`, `OL004`).
    HeaderNames,
    /// Drops empty trailing header cells (`OL007`).
    TrailingHeaderCells,
    /// Pads short rows with empty cells up to the header's width (`OL008`).
    ShortRows,
    /// Fixes the case and stray spaces of `workflow_state` (`OL019`).
    WorkflowState,
    /// Fixes the case and stray spaces of `object_type` (`OL020`).
    ObjectType,
    /// Fixes the case, stray spaces and separators of `calculation_method` (`OL031`).
    CalculationMethod,
    /// Moves rows so every parent group comes before the rows that name it (`OL023`).
    ParentsFirst,
}

impl FixKind {
    /// Every fix, in the order they are applied.
    pub const ALL: [FixKind; 8] = [
        FixKind::LineEndings,
        FixKind::HeaderNames,
        FixKind::TrailingHeaderCells,
        FixKind::ShortRows,
        FixKind::WorkflowState,
        FixKind::ObjectType,
        FixKind::CalculationMethod,
        FixKind::ParentsFirst,
    ];

    /// The fix's own kebab-case name, e.g. `parents-first`.
    pub fn name(self) -> &'static str {
        match self {
            FixKind::LineEndings => "line-endings",
            FixKind::HeaderNames => "header-names",
            FixKind::TrailingHeaderCells => "trailing-header-cells",
            FixKind::ShortRows => "short-rows",
            FixKind::WorkflowState => "workflow-state",
            FixKind::ObjectType => "object-type",
            FixKind::CalculationMethod => "calculation-method",
            FixKind::ParentsFirst => "parents-first",
        }
    }

    /// The rule whose finding this fix repairs; its code identifies the fix in output.
    pub fn rule(self) -> Rule {
        match self {
            FixKind::LineEndings => Rule::InvalidCsv,
            FixKind::HeaderNames => Rule::UnknownFields,
            FixKind::TrailingHeaderCells => Rule::EmptyHeaderCell,
            FixKind::ShortRows => Rule::ShortRow,
            FixKind::WorkflowState => Rule::WorkflowStateInvalid,
            FixKind::ObjectType => Rule::ObjectTypeInvalid,
            FixKind::CalculationMethod => Rule::CalculationMethodInvalid,
            FixKind::ParentsFirst => Rule::ParentNotFound,
        }
    }

    /// Every rule whose findings this fix can make disappear: [`FixKind::rule`], and for
    /// [`FixKind::HeaderNames`] also `OL004` (`Title` is a missing `title`).
    pub fn rules(self) -> &'static [Rule] {
        match self {
            FixKind::LineEndings => &[Rule::InvalidCsv],
            FixKind::HeaderNames => &[Rule::UnknownFields, Rule::MissingRequiredFields],
            FixKind::TrailingHeaderCells => &[Rule::EmptyHeaderCell],
            FixKind::ShortRows => &[Rule::ShortRow],
            FixKind::WorkflowState => &[Rule::WorkflowStateInvalid],
            FixKind::ObjectType => &[Rule::ObjectTypeInvalid],
            FixKind::CalculationMethod => &[Rule::CalculationMethodInvalid],
            FixKind::ParentsFirst => &[Rule::ParentNotFound],
        }
    }

    /// One sentence: what the fix does.
    pub fn summary(self) -> &'static str {
        match self {
            FixKind::LineEndings => "Rewrites every line break outside quotes that differs from the file's first one to that one.",
            FixKind::HeaderNames => "Rewrites a header cell that is a known column name but for its case or surrounding spaces (`Title `) to that name.",
            FixKind::TrailingHeaderCells => "Drops empty unquoted cells at the end of the header when no data row has a value under them.",
            FixKind::ShortRows => "Appends separators to a row with fewer cells than the header has columns before `ratings`.",
            FixKind::WorkflowState => "Rewrites `workflow_state` to `active` or `deleted` (or empty) when it differs only in case or surrounding spaces.",
            FixKind::ObjectType => "Rewrites `object_type` to `outcome` or `group` when it differs only in case or surrounding spaces.",
            FixKind::CalculationMethod => "Rewrites `calculation_method` to a method Canvas knows when it differs only in case, surrounding spaces, or spaces or hyphens for underscores.",
            FixKind::ParentsFirst => "Moves as few rows as possible so that every parent group comes before the rows that name it.",
        }
    }

    /// Finds a fix by its name (`parents-first`), or by the code (`OL023`, case-insensitive) or
    /// name (`parent-not-found`) of a rule it repairs.
    ///
    /// ```
    /// use outcomes_fix::FixKind;
    /// assert_eq!(FixKind::find("OL023"), Some(FixKind::ParentsFirst));
    /// assert_eq!(FixKind::find("short-rows"), Some(FixKind::ShortRows));
    /// assert_eq!(FixKind::find("OL010"), None);
    /// ```
    pub fn find(code_or_name: &str) -> Option<FixKind> {
        FixKind::ALL.into_iter().find(|kind| {
            kind.name() == code_or_name
                || kind.rules().iter().any(|r| r.code().eq_ignore_ascii_case(code_or_name) || r.name() == code_or_name)
        })
    }

    /// The fix that repairs `rule`'s findings, if there is one.
    pub fn for_rule(rule: Rule) -> Option<FixKind> {
        FixKind::ALL.into_iter().find(|kind| kind.rules().contains(&rule))
    }
}

impl fmt::Display for FixKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which fixes to apply. The default is every fix.
///
/// ```
/// use outcomes_fix::{FixKind, FixSet};
/// let set = FixSet::from_select_ignore(&["OL023", "OL008"], &["short-rows"]).unwrap();
/// assert!(set.contains(FixKind::ParentsFirst));
/// assert!(!set.contains(FixKind::ShortRows));
/// assert!(!set.contains(FixKind::LineEndings));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixSet {
    kinds: BTreeSet<FixKind>,
}

impl Default for FixSet {
    fn default() -> Self {
        FixSet::all()
    }
}

/// A `--select`/`--ignore` word that names no fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` names no fix; fixes: {list}", list = fix_list())]
pub struct UnknownFix(pub String);

fn fix_list() -> String {
    FixKind::ALL.iter().map(|k| format!("{} ({})", k.name(), k.rule().code())).collect::<Vec<_>>().join(", ")
}

impl FixSet {
    /// Every fix.
    pub fn all() -> FixSet {
        FixSet { kinds: FixKind::ALL.into_iter().collect() }
    }

    /// No fix at all.
    pub fn none() -> FixSet {
        FixSet { kinds: BTreeSet::new() }
    }

    /// Exactly these fixes.
    pub fn only(kinds: impl IntoIterator<Item = FixKind>) -> FixSet {
        FixSet { kinds: kinds.into_iter().collect() }
    }

    /// `--select` then `--ignore`: the selected fixes (all when `select` is empty) minus the
    /// ignored ones. Each word is a fix name, a rule code or a rule name ([`FixKind::find`]),
    /// or `ALL` for every fix.
    pub fn from_select_ignore<S: AsRef<str>, I: AsRef<str>>(select: &[S], ignore: &[I]) -> Result<FixSet, UnknownFix> {
        let find = |word: &str| -> Result<Vec<FixKind>, UnknownFix> {
            if word.eq_ignore_ascii_case("ALL") {
                return Ok(FixKind::ALL.to_vec());
            }
            FixKind::find(word).map(|k| vec![k]).ok_or_else(|| UnknownFix(word.to_owned()))
        };
        let mut set = if select.is_empty() { FixSet::all() } else { FixSet::none() };
        for word in select {
            set.kinds.extend(find(word.as_ref())?);
        }
        for word in ignore {
            for kind in find(word.as_ref())? {
                set.kinds.remove(&kind);
            }
        }
        Ok(set)
    }

    /// Adds a fix.
    pub fn insert(&mut self, kind: FixKind) {
        self.kinds.insert(kind);
    }

    /// Removes a fix.
    pub fn remove(&mut self, kind: FixKind) {
        self.kinds.remove(&kind);
    }

    /// Whether `kind` is applied.
    pub fn contains(&self, kind: FixKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The fixes, in the order they are applied.
    pub fn iter(&self) -> impl Iterator<Item = FixKind> + '_ {
        self.kinds.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fix_is_found_by_its_name_and_codes() {
        for kind in FixKind::ALL {
            assert_eq!(FixKind::find(kind.name()), Some(kind));
            for rule in kind.rules() {
                assert_eq!(FixKind::find(rule.code()), Some(kind));
                assert_eq!(FixKind::find(&rule.code().to_lowercase()), Some(kind));
                assert_eq!(FixKind::find(rule.name()), Some(kind));
                assert_eq!(FixKind::for_rule(*rule), Some(kind));
            }
        }
    }

    #[test]
    fn unknown_words_are_errors_that_list_the_fixes() {
        let e = FixSet::from_select_ignore(&["OL010"], &[] as &[&str]).unwrap_err();
        assert!(e.to_string().contains("parents-first (OL023)"), "{e}");
    }

    #[test]
    fn all_selects_every_fix() {
        assert_eq!(
            FixSet::from_select_ignore(&["ALL"], &["OL023"]),
            Ok(FixSet::only(FixKind::ALL.into_iter().filter(|k| *k != FixKind::ParentsFirst)))
        );
        assert_eq!(FixSet::from_select_ignore(&[] as &[&str], &["all"]), Ok(FixSet::none()));
    }

    #[test]
    fn fixes_are_applied_in_declaration_order() {
        let mut sorted = FixKind::ALL;
        sorted.sort();
        assert_eq!(sorted, FixKind::ALL);
    }
}
