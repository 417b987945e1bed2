//! Lints: what Canvas accepts silently but users regret. Each lint lives in its own module with
//! its check; its code, severity and texts are declared in [`crate::registry`].
//!
//! Lints never change Canvas's verdict or `processing_errors`; they only add diagnostics (warning
//! or info unless the user asks otherwise).

mod canvas_id_misuse;
mod database_lookup;
mod duplicate_sibling_title;
mod empty_group;
mod formula_injection;
mod guid_group_and_outcome;
mod invisible_whitespace;
mod mastery_points_blank_is_zero;
mod mastery_points_missing;
mod mastery_points_not_a_tier;
mod mastery_points_on_group;
mod mastery_points_out_of_range;
mod mastery_points_without_ratings;
mod nul_character;
mod number_locale;
mod parent_defined_later;
mod parent_deleted;
mod rating_description_missing;
mod rating_points_duplicate;
pub(crate) mod support;
mod surrounding_whitespace;
mod utf16_file;
mod windows_1252_text;

use std::collections::BTreeSet;

use outcomes_csv::{ByteClasses, Columns, Record};

use formula_injection::FORMULA_STARTS;

use crate::canvas::facts::{Kind, Mastery, RowFacts, Tier};
use crate::canvas::guids::{GuidId, Guids};
use crate::canvas::Expected;
use crate::diagnostic::Diagnostic;
use crate::options::CanvasOptions;
use crate::registry::{Rule, Scope};
use crate::text::{not_ascii, not_ascii_and_byte};
use crate::view::RowView;

/// How many bytes of the file's start [`Lint::file_start`] sees.
pub const HEAD_LEN: usize = 4096;

/// What a lint sees of a data row: the row and what it says (its rating tiers, its distinct
/// parents, ...), read once and shared by Canvas's checks and every lint.
#[derive(Debug, Clone, Copy)]
pub struct RowContext<'a> {
    /// The row, through the header.
    pub view: RowView<'a>,
    /// The account settings.
    pub options: &'a CanvasOptions,
    pub(crate) facts: &'a RowFacts,
}

impl<'a> RowContext<'a> {
    /// The distinct guids of `parent_guids`, as Canvas splits them.
    pub(crate) fn parents(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.facts.parents(&self.view)
    }

    /// The rating tiers, or `None` when Canvas rejects them.
    pub(crate) fn tiers(&self) -> Option<&'a [Tier]> {
        self.facts.tiers()
    }

    /// The value of `field` as Ruby sees it ([`RowView::get`]).
    #[inline]
    pub(crate) fn get(&self, field: outcomes_csv::Field) -> Option<&'a str> {
        self.facts.get(&self.view, field)
    }

    /// The value of `field` unless it is blank ([`RowView::present`]).
    #[inline]
    pub(crate) fn present(&self, field: outcomes_csv::Field) -> Option<&'a str> {
        self.facts.present(&self.view, field)
    }

    /// `mastery_points` as Canvas reads it, when it is present and a number.
    pub(crate) fn mastery_points(&self) -> Option<f64> {
        match self.facts.mastery {
            Mastery::Points(points) => Some(points),
            Mastery::Absent | Mastery::Invalid => None,
        }
    }

    /// `group` or `outcome` (exactly as Canvas compares them), or neither.
    pub(crate) fn kind(&self) -> Option<Kind> {
        self.facts.kind
    }

    /// Whether the row is marked `deleted` (exactly, as Canvas compares it), read with the row.
    #[inline]
    pub(crate) fn is_deleted(&self) -> bool {
        self.facts.deleted
    }

    /// Whether every cell is blank (Canvas skips the row silently).
    pub(crate) fn is_blank(&self) -> bool {
        self.facts.blank
    }

    /// Whether the whole record is valid UTF-8 (then so is every cell).
    pub(crate) fn is_utf8(&self) -> bool {
        self.view.record.is_utf8()
    }
}

/// What a data row is, in the few respects that decide whether a lint can find (or, in order,
/// note) anything in it: read once per row (`RowTraits::of`), mostly from its facts, so that the
/// checker calls only the lints whose [`Lint::needs`] the row meets. Nearly every row is an
/// outcome whose guids are ASCII, whose titles have no spaces around them, whose tiers, mastery
/// points and numbers are as they should be: no lint is called on it.
///
/// A set of traits, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowTraits(u32);

impl RowTraits {
    /// No trait.
    pub const NONE: RowTraits = RowTraits(0);
    /// Every row has this one: what [`Needs::EVERY_ROW`] asks for.
    pub const ROW: RowTraits = RowTraits(1 << 0);
    /// A group row (`object_type` exactly `group`).
    pub const GROUP: RowTraits = RowTraits(1 << 1);
    /// An outcome row (`object_type` exactly `outcome`).
    pub const OUTCOME: RowTraits = RowTraits(1 << 2);
    /// Rating tiers that Canvas accepts, at least one (`RowContext::tiers` is not empty).
    pub const TIERS: RowTraits = RowTraits(1 << 3);
    /// Ratings that Canvas accepts, and no tier at all.
    pub const NO_TIERS: RowTraits = RowTraits(1 << 4);
    /// mastery_points that Canvas reads as a number (`RowContext::mastery_points`).
    pub const MASTERY: RowTraits = RowTraits(1 << 5);
    /// mastery_points that are a number and equal no tier's points (or there are no tiers).
    pub const MASTERY_OFF_TIERS: RowTraits = RowTraits(1 << 6);
    /// A blank mastery_points cell: a quoted empty cell or only whitespace.
    pub const MASTERY_BLANK: RowTraits = RowTraits(1 << 7);
    /// No mastery_points value at all: no column, an absent cell (or one that is not UTF-8).
    pub const MASTERY_NOTHING: RowTraits = RowTraits(1 << 8);
    /// A number cell that is not a plain decimal the account's format reads as it looks
    /// (the opposite of `RowFacts::plain_numbers`).
    pub const UNPLAIN_NUMBERS: RowTraits = RowTraits(1 << 9);
    /// An accepted tier whose description is absent or blank.
    pub const UNDESCRIBED_TIER: RowTraits = RowTraits(1 << 10);
    /// Two accepted tiers next to each other with the same points.
    pub const EQUAL_POINTS: RowTraits = RowTraits(1 << 11);
    /// A vendor_guid cell with a byte outside ASCII.
    pub const GUID_NOT_ASCII: RowTraits = RowTraits(1 << 12);
    /// A vendor_guid cell with a colon, as every Canvas id has.
    pub const GUID_COLON: RowTraits = RowTraits(1 << 13);
    /// A parent_guids cell with a byte outside ASCII.
    pub const PARENTS_NOT_ASCII: RowTraits = RowTraits(1 << 14);
    /// A group row with a course_id cell that is not empty.
    pub const GROUP_COURSE: RowTraits = RowTraits(1 << 15);
    /// A title or display_name cell, not empty, that does not both start and end with
    /// printable ASCII: it may start or end with a space of some kind.
    pub const TITLE_EDGES: RowTraits = RowTraits(1 << 16);
    /// A NUL byte somewhere in the record.
    pub const NUL: RowTraits = RowTraits(1 << 17);
    /// A cell that may start with `=`, `+`, `-` or `@` ([`Record::may_start_with`]).
    pub const FORMULA_START: RowTraits = RowTraits(1 << 18);
    /// A record that is not valid UTF-8: some cell is not.
    pub const NOT_UTF8: RowTraits = RowTraits(1 << 19);
    /// A canvas_id that is present: a cell that is not blank.
    pub const CANVAS_ID: RowTraits = RowTraits(1 << 20);
    /// A row marked deleted (`workflow_state` exactly `deleted`).
    pub const DELETED: RowTraits = RowTraits(1 << 21);
    /// Every trait.
    pub const ALL: RowTraits = RowTraits((1 << 22) - 1);

    /// What an outcome row has when nothing is wrong with it: most rows have these and no other.
    const COMMON: RowTraits = RowTraits(Self::ROW.0 | Self::OUTCOME.0 | Self::TIERS.0 | Self::MASTERY.0);

    /// The traits of `cx`'s row, as far as `wanted` asks: a trait not wanted is left out (the
    /// traits read from the facts cost a load each and are always there; those that look at the
    /// cells are only found when a lint needs them). Inlined into the checker's loop.
    #[inline]
    pub(crate) fn of(cx: &RowContext<'_>, wanted: RowTraits) -> RowTraits {
        use outcomes_csv::Field;
        let facts = cx.facts;
        // Nearly every row is an outcome whose mastery points are one of its tiers', which Canvas
        // accepts, with plain numbers and nothing odd about its tiers: its facts have the common
        // traits and no other, known from a few flags (`of_facts` is the reference).
        let common = facts.kind == Some(Kind::Outcome)
            && facts.mastery_on_tier
            && facts.tiers().is_some()
            && facts.plain_numbers
            && !facts.undescribed_tier
            && !facts.equal_points;
        let mut traits = if common { RowTraits::COMMON } else { RowTraits::of_facts(facts) };
        // The cells as bytes: a filter may admit a row its lints find nothing in (a blank cell,
        // one that is not UTF-8, both rare), and bytes are had without a look at their encoding.
        let cell = |field| cx.view.columns.column(field).and_then(|index| cx.view.record.get(index));
        if wanted.intersects(RowTraits::GUID_NOT_ASCII | RowTraits::GUID_COLON) {
            if let Some(guid) = cell(Field::VendorGuid) {
                // Both in one pass over the guid.
                let (not_ascii, colon) = not_ascii_and_byte(guid, b':');
                traits.set(RowTraits::GUID_NOT_ASCII, not_ascii);
                traits.set(RowTraits::GUID_COLON, colon);
            }
        }
        if wanted.intersects(RowTraits::PARENTS_NOT_ASCII) {
            traits.set(RowTraits::PARENTS_NOT_ASCII, cell(Field::ParentGuids).is_some_and(not_ascii));
        }
        if wanted.intersects(RowTraits::GROUP_COURSE) && facts.kind == Some(Kind::Group) {
            traits.set(RowTraits::GROUP_COURSE, cell(Field::CourseId).is_some_and(|course| !course.is_empty()));
        }
        if wanted.intersects(RowTraits::TITLE_EDGES) {
            // A printable ASCII byte at each end is no space of any kind: two byte tests instead
            // of decoding a character at each end.
            let plain = |field| {
                cell(field).is_none_or(|text| {
                    text.is_empty()
                        || text.first().is_some_and(u8::is_ascii_graphic)
                            && text.last().is_some_and(u8::is_ascii_graphic)
                })
            };
            traits.set(RowTraits::TITLE_EDGES, !(plain(Field::Title) && plain(Field::DisplayName)));
        }
        if wanted.intersects(RowTraits::NOT_UTF8) {
            traits.set(RowTraits::NOT_UTF8, !cx.is_utf8());
        }
        if wanted.intersects(RowTraits::CANVAS_ID) {
            traits.set(RowTraits::CANVAS_ID, facts.field_present(Field::CanvasId));
        }
        if wanted.intersects(RowTraits::DELETED) {
            traits.set(RowTraits::DELETED, facts.deleted);
        }
        if wanted.intersects(RowTraits::NUL) {
            traits.set(RowTraits::NUL, cx.view.record.contains_nul());
        }
        if wanted.intersects(RowTraits::FORMULA_START) {
            let formula = cx.view.record.may_start_with(const { ByteClasses::of(FORMULA_STARTS) });
            traits.set(RowTraits::FORMULA_START, formula);
        }
        traits
    }

    /// The traits read from `facts` alone. Each is a bit set from a flag, without a branch or
    /// a table.
    fn of_facts(facts: &RowFacts) -> RowTraits {
        let tiers = facts.tiers();
        let has_tiers = tiers.is_some_and(|t| !t.is_empty());
        let mastery = matches!(facts.mastery, Mastery::Points(_));
        let blank = facts.field_blank(outcomes_csv::Field::MasteryPoints);
        let bit = |has: bool, one: RowTraits| u32::from(has) * one.0;
        RowTraits(
            RowTraits::ROW.0
                | bit(facts.kind == Some(Kind::Group), RowTraits::GROUP)
                | bit(facts.kind == Some(Kind::Outcome), RowTraits::OUTCOME)
                | bit(has_tiers, RowTraits::TIERS)
                | bit(tiers.is_some_and(<[Tier]>::is_empty), RowTraits::NO_TIERS)
                | bit(mastery, RowTraits::MASTERY)
                | bit(mastery && !(has_tiers && facts.mastery_on_tier), RowTraits::MASTERY_OFF_TIERS)
                | bit(blank, RowTraits::MASTERY_BLANK)
                | bit(facts.mastery == Mastery::Absent && !blank, RowTraits::MASTERY_NOTHING)
                | bit(!facts.plain_numbers, RowTraits::UNPLAIN_NUMBERS)
                | bit(has_tiers && facts.undescribed_tier, RowTraits::UNDESCRIBED_TIER)
                | bit(has_tiers && facts.equal_points, RowTraits::EQUAL_POINTS),
        )
    }

    /// Adds `one` when `has`.
    #[inline]
    fn set(&mut self, one: RowTraits, has: bool) {
        self.0 |= u32::from(has) * one.0;
    }

    /// Whether every trait of `other` is one of these.
    #[inline]
    pub fn contains(self, other: RowTraits) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether one trait of `other` is one of these.
    #[inline]
    pub fn intersects(self, other: RowTraits) -> bool {
        self.0 & other.0 != 0
    }
}

impl std::ops::BitOr for RowTraits {
    type Output = RowTraits;

    fn bitor(self, other: RowTraits) -> RowTraits {
        RowTraits(self.0 | other.0)
    }
}

/// The rows a lint can find (or, in order, note) something in ([`Lint::needs`]): those with
/// every trait of one set and at least one trait of another.
///
/// ```
/// use outcomes_rules::lints::{Needs, RowTraits};
/// let needs = Needs::all(RowTraits::GROUP | RowTraits::MASTERY);
/// assert!(needs.admits(RowTraits::ROW | RowTraits::GROUP | RowTraits::MASTERY));
/// assert!(!needs.admits(RowTraits::ROW | RowTraits::GROUP));
/// let needs = Needs::one_of(RowTraits::GUID_COLON | RowTraits::GROUP_COURSE);
/// assert!(needs.admits(RowTraits::ROW | RowTraits::GROUP_COURSE));
/// assert!(!needs.admits(RowTraits::ROW | RowTraits::GROUP));
/// assert!(!Needs::NO_ROW.admits(RowTraits::ALL));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    all: RowTraits,
    one_of: RowTraits,
}

impl Needs {
    /// Every row: what a lint needs unless it says otherwise.
    pub const EVERY_ROW: Needs = Needs { all: RowTraits::NONE, one_of: RowTraits::ROW };
    /// No row: the need of a lint without a [`Lint::check_row`], which is then never called.
    pub const NO_ROW: Needs = Needs { all: RowTraits::NONE, one_of: RowTraits::NONE };

    /// The rows with every trait of `traits`.
    pub const fn all(traits: RowTraits) -> Needs {
        Needs { all: traits, one_of: RowTraits::ROW }
    }

    /// The rows with at least one trait of `traits`.
    pub const fn one_of(traits: RowTraits) -> Needs {
        Needs { all: RowTraits::NONE, one_of: traits }
    }

    /// Whether a row with `traits` is one of these.
    #[inline]
    pub fn admits(self, traits: RowTraits) -> bool {
        traits.contains(self.all) && traits.intersects(self.one_of)
    }

    /// Traits of which a row these needs admit has at least one, as few of the common row's as
    /// can be: so that a row with none of the triggers of any lint is passed over at one test.
    fn triggers(self) -> RowTraits {
        let rare = RowTraits(self.all.0 & !RowTraits::COMMON.0);
        if rare != RowTraits::NONE {
            rare
        } else if self.all != RowTraits::NONE {
            self.all
        } else {
            self.one_of
        }
    }

    /// Every trait these needs ask about.
    fn traits(self) -> RowTraits {
        self.all | self.one_of
    }
}

/// How the checker decides, for each row, which lints to call: from their [`Lint::needs`], asked
/// once per file, the traits worth finding, the triggers of every single-row lint, and which
/// in-order lints can be passed over. The traits are found where the row is prepared (on any
/// thread); the in-order lints are called later, in file order, on the rows they may note.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowFilter {
    /// The traits some lint asks about: the others are not looked for.
    wanted: RowTraits,
    /// A row with none of these is admitted by no single-row lint.
    triggers: RowTraits,
    /// The in-order lints called on every row ([`Called`]).
    always: Called,
    /// The other in-order lints: their index among the in-order lints, and their needs...
    ordered: Vec<(usize, Needs)>,
    /// ...and the triggers of those needs: a row with none of them is called only on `always`.
    ordered_triggers: RowTraits,
}

impl RowFilter {
    /// The filter for single-row lints with the needs `single` and in-order lints with the needs
    /// `ordered` (in their order).
    pub(crate) fn new(single: impl IntoIterator<Item = Needs>, ordered: impl IntoIterator<Item = Needs>) -> RowFilter {
        let mut filter =
            single.into_iter().fold(RowFilter { always: Called::NONE, ..RowFilter::default() }, |filter, needs| {
                RowFilter {
                    wanted: filter.wanted | needs.traits(),
                    triggers: filter.triggers | needs.triggers(),
                    ..filter
                }
            });
        for (i, needs) in ordered.into_iter().enumerate() {
            if needs == Needs::EVERY_ROW {
                filter.always.add(i);
            } else {
                filter.wanted = filter.wanted | needs.traits();
                filter.ordered_triggers = filter.ordered_triggers | needs.triggers();
                filter.ordered.push((i, needs));
            }
        }
        filter
    }

    /// The traits of `cx`'s row that the lints ask about (every trait when they ask about none
    /// but [`RowTraits::ROW`], which every row has: then they admit every row alike).
    #[inline]
    pub(crate) fn traits(&self, cx: &RowContext<'_>) -> RowTraits {
        if RowTraits::ROW.contains(self.wanted) {
            return RowTraits::ALL;
        }
        RowTraits::of(cx, self.wanted)
    }

    /// Whether some single-row lint may find something in a row with `traits`: nearly every row
    /// has none of their triggers.
    #[inline]
    pub(crate) fn any_single(&self, traits: RowTraits) -> bool {
        traits.intersects(self.triggers)
    }

    /// The in-order lints worth calling on a row with `traits`.
    #[inline]
    pub(crate) fn called(&self, traits: RowTraits) -> Called {
        let mut called = self.always;
        if !traits.intersects(self.ordered_triggers) {
            return called;
        }
        for &(i, needs) in &self.ordered {
            if needs.admits(traits) {
                called.add(i);
            }
        }
        called
    }
}

/// Which in-order lints a row is worth calling on ([`RowFilter::called`]): one bit each, by their
/// index among the in-order lints. A lint past the 64th is called on every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Called(u64);

impl Default for Called {
    /// Every in-order lint: what a row is called on without a filter.
    fn default() -> Called {
        Called(u64::MAX)
    }
}

impl Called {
    /// No in-order lint (but those past the 64th).
    const NONE: Called = Called(0);

    /// Adds the `i`-th in-order lint.
    fn add(&mut self, i: usize) {
        if let Some(bit) = 1u64.checked_shl(u32::try_from(i).unwrap_or(u32::MAX)) {
            self.0 |= bit;
        }
    }

    /// Whether the `i`-th in-order lint is called.
    #[inline]
    pub(crate) fn has(self, i: usize) -> bool {
        self.0.checked_shr(u32::try_from(i).unwrap_or(u32::MAX)).is_none_or(|bits| bits & 1 != 0)
    }

    /// The first 64 in-order lints, as bits, that are called among the first `len`: the
    /// lints to call are the set bits, then every lint past the 64th. A few instructions per
    /// lint called and none per lint passed over, where [`Called::has`] asked of each index
    /// cost a dozen per lint per row.
    #[inline]
    pub(crate) fn below(self, len: usize) -> u64 {
        self.0 & 1u64.checked_shl(u32::try_from(len).unwrap_or(u32::MAX)).map_or(u64::MAX, |bit| bit - 1)
    }

    /// These lints and those of `engaged` ([`Engaged::called`]).
    #[inline]
    fn with(self, engaged: u64) -> Called {
        Called(self.0 | engaged)
    }

    /// The indices below `len` of the in-order lints called, in order, as the checker reads
    /// them from [`Called::below`]: the reference for it.
    #[cfg(test)]
    fn indices(self, len: usize) -> Vec<usize> {
        let bits = self.below(len);
        (0..64).filter(|i| bits >> i & 1 != 0).chain(64..len.max(64)).collect()
    }
}

/// The in-order lints with needs ([`Lint::needs`]) that now need every row ([`Lint::engaged`]),
/// and those that may yet: kept by the checker through a file, one bit per lint by its index
/// among the in-order lints, as in [`Called`] (a lint past the 64th is called on every row
/// anyway).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Engaged {
    /// The lints called on every row from now on.
    bits: u64,
    /// The lints with needs that have not engaged: asked after each row they are called on.
    open: u64,
}

impl Engaged {
    /// No lint engaged yet, of the in-order lints `filter` calls.
    pub(crate) fn new(filter: &RowFilter) -> Engaged {
        let mut open = Called::NONE;
        for &(i, _) in &filter.ordered {
            open.add(i);
        }
        Engaged { bits: 0, open: open.0 }
    }

    /// The in-order lints to call on a row that the filter calls `called` on: those and the
    /// engaged ones.
    #[inline]
    pub(crate) fn called(self, called: Called) -> Called {
        called.with(self.bits)
    }

    /// After a row on which `called` of the in-order lints `lints` were called, asks those of
    /// them that have not engaged whether they do now. Nearly every row was called on none of
    /// them: then this is one test.
    #[inline]
    pub(crate) fn after(&mut self, called: Called, lints: &[Box<dyn Lint>]) {
        let asked = called.0 & self.open;
        if asked != 0 {
            self.ask(asked, lints);
        }
    }

    /// [`Engaged::after`] for the lints of `asked`. Out of line: rare.
    #[cold]
    #[inline(never)]
    fn ask(&mut self, mut asked: u64, lints: &[Box<dyn Lint>]) {
        while asked != 0 {
            let i = asked.trailing_zeros();
            asked &= asked - 1;
            if lints.get(i as usize).is_some_and(|lint| lint.engaged()) {
                self.bits |= 1 << i;
                self.open &= !(1 << i);
            }
        }
    }
}

/// What only the pass over the rows in file order knows of a row: whether Canvas imports it, and
/// the ids of its guids in the file's guid table (so that lints keep per-guid state in vectors
/// indexed by id, not in maps of strings).
#[derive(Debug, Clone, Copy)]
pub struct InOrder<'a> {
    /// Whether Canvas imports the row.
    pub imported: bool,
    /// Whether the row is marked deleted (`RowContext::is_deleted`), asked once per row rather
    /// than by each lint that needs it.
    pub deleted: bool,
    /// The id of the row's vendor_guid, for a group or outcome row that has one.
    pub(crate) guid: Option<GuidId>,
    /// The ids of the row's parents, in the order of [`RowContext::parents`].
    pub(crate) parents: &'a [GuidId],
}

/// What a lint sees at the end of the file.
#[derive(Debug, Clone, Copy)]
pub struct FileEnd<'a> {
    /// The file's guids, for the ids kept in [`InOrder`].
    pub(crate) guids: &'a Guids,
}

/// A check beyond Canvas's. Called with the first bytes of the file, for the header, every data
/// row, and once at the end.
///
/// A lint that judges each row on its own implements [`Lint::check_row`]: it may run on any
/// thread, for rows in any order (the checker runs row work in parallel). A lint that compares
/// rows (duplicates, parents, counts over the file) says so with [`Lint::in_order`] and
/// implements [`Lint::row`], which sees the rows one by one in file order. Either way the
/// diagnostics of a row come out in the order the lints are registered.
///
/// Lints see files as Canvas's engine streams them, so they keep only compact state (guid ids,
/// hashes, counts), never copies of records.
pub trait Lint: Send + Sync {
    /// The rules this lint can report.
    fn rules(&self) -> &'static [Rule];

    /// Whether the lint keeps state across rows: then only its [`Lint::row`] is called, in file
    /// order on the checker's thread, never its [`Lint::check_row`]. Otherwise only `check_row`
    /// is called, on any thread.
    fn in_order(&self) -> bool {
        false
    }

    /// Looks at the first bytes of the file (up to [`HEAD_LEN`], BOM included), before anything
    /// is parsed: the only place a lint sees the file's encoding when Canvas cannot even read its
    /// header.
    fn file_start(&mut self, _head: &[u8], _out: &mut Vec<Diagnostic>) {}

    /// Looks at the header record (`columns` is `None` when Canvas rejects the header).
    fn header(&mut self, _header: &Record, _columns: Option<&Columns>, _out: &mut Vec<Diagnostic>) {}

    /// The rows in which [`Lint::check_row`] can find anything, or [`Lint::row`] find or note
    /// anything: the checker does not call the lint on the others. Only a filter, decided once
    /// per row (`RowTraits::of`, on any thread) instead of in a call per lint; the lint's check
    /// stays its rule, and must find nothing where the filter says there is nothing. An
    /// in-order lint that notes something of every row (to compare later rows with it) keeps
    /// the default, every row.
    fn needs(&self) -> Needs {
        Needs::EVERY_ROW
    }

    /// Whether an in-order lint with [`Lint::needs`] now needs every row, whatever its needs
    /// say: it noted something on a row they admitted (a deleted group, OL115) that any later
    /// row may meet. Asked after each row the needs admitted it to, until it says yes; from
    /// then on the checker calls it on every row. Needs that admit only the rare rows that
    /// start something, and this, spare the lint a call per row in a file without them.
    fn engaged(&self) -> bool {
        false
    }

    /// Looks at one data row on its own (only for a lint that is not [`Lint::in_order`]).
    fn check_row(&self, _cx: &RowContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Looks at one data row, in file order (only for a lint that is [`Lint::in_order`]).
    fn row(&mut self, _cx: &RowContext<'_>, _order: &InOrder<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Told once, part way into an input whose length is known
    /// ([`Checker::with_size_hint`](crate::Checker::with_size_hint)), how large the whole input
    /// is expected to be: a lint whose state grows with the rows or guids may size it for the
    /// whole input now ([`Expected::scale`]), rather than grow it step by step. Only a hint: it
    /// must not change what the lint finds.
    fn reserve(&mut self, _expected: Expected) {}

    /// Told, before [`Lint::finish`], that Canvas fails the whole import (a syntax error, a
    /// header error, a crash): findings about what the import would build are then moot.
    fn import_failed(&mut self) {}

    /// Reports what needs the whole file.
    fn finish(&mut self, _end: &FileEnd<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Which lint rules run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintSelection {
    enabled: BTreeSet<Rule>,
}

impl Default for LintSelection {
    /// Every lint rule.
    fn default() -> Self {
        LintSelection { enabled: Rule::ALL.iter().copied().filter(|r| r.scope() == Scope::Lint).collect() }
    }
}

impl LintSelection {
    /// No lint at all: Canvas's checks only.
    pub fn none() -> LintSelection {
        LintSelection { enabled: BTreeSet::new() }
    }

    /// Exactly these rules (non-lint rules are ignored: Canvas's checks always run).
    pub fn only(rules: impl IntoIterator<Item = Rule>) -> LintSelection {
        LintSelection { enabled: rules.into_iter().filter(|r| r.scope() == Scope::Lint).collect() }
    }

    /// Whether `rule` runs.
    pub fn is_enabled(&self, rule: Rule) -> bool {
        self.enabled.contains(&rule)
    }
}

/// The lints that have at least one enabled rule.
pub(crate) fn enabled(selection: &LintSelection, options: &CanvasOptions) -> Vec<Box<dyn Lint>> {
    let all: Vec<Box<dyn Lint>> = vec![
        Box::new(number_locale::NumberLocale::new(options)),
        Box::new(parent_defined_later::ParentDefinedLater::default()),
        Box::new(mastery_points_out_of_range::MasteryPointsOutOfRange),
        Box::new(mastery_points_not_a_tier::MasteryPointsNotATier),
        Box::new(mastery_points_on_group::MasteryPointsOnGroup),
        Box::new(mastery_points_missing::MasteryPointsMissing),
        Box::new(mastery_points_blank_is_zero::MasteryPointsBlankIsZero),
        Box::new(mastery_points_without_ratings::MasteryPointsWithoutRatings),
        Box::new(rating_description_missing::RatingDescriptionMissing),
        Box::new(rating_points_duplicate::RatingPointsDuplicate),
        Box::new(invisible_whitespace::InvisibleWhitespace),
        Box::new(surrounding_whitespace::SurroundingWhitespace),
        Box::new(duplicate_sibling_title::DuplicateSiblingTitle::default()),
        Box::new(empty_group::EmptyGroup::default()),
        Box::new(guid_group_and_outcome::GuidGroupAndOutcome::default()),
        Box::new(parent_deleted::ParentDeleted::default()),
        Box::new(formula_injection::FormulaInjection),
        Box::new(database_lookup::DatabaseLookup::default()),
        Box::new(canvas_id_misuse::CanvasIdMisuse),
        Box::new(nul_character::NulCharacter::default()),
        Box::new(utf16_file::Utf16File),
        Box::new(windows_1252_text::Windows1252Text::default()),
    ];
    all.into_iter().filter(|lint| lint.rules().iter().any(|r| selection.is_enabled(*r))).collect()
}

/// Takes every data row of `file` (a header first) through `take`, as the checker hands rows to
/// an in-order lint: default options, every row imported and active, guid ids interned as the
/// checker interns them. Returns what `take` reported, as text. For the tests that hold an
/// in-order lint's shortcut to its full row.
#[cfg(test)]
pub(crate) fn take_rows(
    file: &str,
    mut take: impl FnMut(&RowContext<'_>, &InOrder<'_>, &mut Vec<Diagnostic>),
) -> Vec<String> {
    use crate::canvas::guids::GuidHasher;
    let options = CanvasOptions::default();
    let Ok(mut reader) = outcomes_csv::Reader::new(file.as_bytes()) else { return Vec::new() };
    let (mut header, mut record, mut facts) = (Record::new(), Record::new(), RowFacts::default());
    if !matches!(reader.read_record(&mut header), Ok(true)) {
        return Vec::new();
    }
    let columns = Columns::from_header(&header);
    let (mut guids, mut parents, hasher) = (Guids::default(), Vec::new(), GuidHasher::default());
    let mut out = Vec::new();
    while let Ok(true) = reader.read_record(&mut record) {
        record.validate_utf8();
        let view = RowView { record: &record, columns: &columns };
        facts.read(&view, &options.number_format, &hasher);
        let cx = RowContext { view, options: &options, facts: &facts };
        let guid = facts.guid(&view).map(|guid| guids.intern(facts.guid_hash, guid));
        parents.clear();
        for (parent, hash) in facts.parents(&view).zip(&facts.parent_hashes) {
            parents.push(guids.intern(*hash, parent));
        }
        take(&cx, &InOrder { imported: true, deleted: false, guid, parents: &parents }, &mut out);
    }
    out.iter().map(|d| format!("{d:?}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canvas::guids::GuidHasher;
    use crate::options::NumberFormat;
    use crate::registry::Rule;
    use outcomes_csv::Reader;
    use proptest::prelude::*;

    /// Checks every data row of `file` with every lint whose [`Lint::check_row`] the checker
    /// skips on it (an in-order lint's on every row, a single-row lint's where its
    /// [`Lint::needs`] do not admit the row's [`RowTraits`], or on every row the [`RowFilter`]
    /// passes over), and returns what they found: nothing, if each lint's needs are only a filter
    /// and no in-order lint has a `check_row`. Runs each in-order lint twice, called on every row
    /// and only where the filter calls it ([`RowFilter::called`]), and notes where the two find
    /// different things, on a row or at the end: a lint passed over where it would have noted
    /// something finds less later. Also notes where the traits found for the filter admit
    /// another set of lints than all the traits do, or the traits of the facts' fast path differ
    /// from the plain reading.
    fn found_on_skipped_rows(file: &[u8], options: &CanvasOptions) -> Vec<String> {
        let lints = enabled(&LintSelection::default(), options);
        let in_order = || enabled(&LintSelection::default(), options).into_iter().filter(|l| l.in_order());
        let (mut every, mut called): (Vec<_>, Vec<_>) = (in_order().collect(), in_order().collect());
        let filter =
            RowFilter::new(lints.iter().filter(|l| !l.in_order()).map(|l| l.needs()), every.iter().map(|l| l.needs()));
        let Ok(mut reader) = Reader::new(file) else { return Vec::new() };
        let mut header = Record::new();
        if !matches!(reader.read_record(&mut header), Ok(true)) {
            return Vec::new();
        }
        let columns = Columns::from_header(&header);
        let head = &file[..file.len().min(HEAD_LEN)];
        for lint in every.iter_mut().chain(&mut called) {
            lint.file_start(head, &mut Vec::new());
            lint.header(&header, Some(&columns), &mut Vec::new());
        }
        let (mut record, mut facts, mut found) = (Record::new(), RowFacts::default(), Vec::new());
        // One hasher for the file, as the checker has: a guid's hash is the same on every row.
        let (mut guids, mut parents, hasher) = (Guids::default(), Vec::new(), GuidHasher::default());
        let mut engaged = Engaged::new(&filter);
        while let Ok(true) = reader.read_record(&mut record) {
            record.validate_utf8();
            let view = RowView { record: &record, columns: &columns };
            facts.read(&view, &options.number_format, &hasher);
            let cx = RowContext { view, options, facts: &facts };
            let row = record.row();
            let traits = RowTraits::of(&cx, RowTraits::ALL);
            if RowTraits::of(&cx, RowTraits::NONE) != RowTraits::of_facts(&facts) {
                found.push(format!("row {row}: the facts' traits are not {:?}", RowTraits::of_facts(&facts)));
            }
            let filtered = filter.traits(&cx);
            let single = filter.any_single(filtered).then_some(filtered);
            for lint in lints.iter() {
                let needs = lint.needs();
                if needs.admits(filtered) != needs.admits(traits) {
                    found.push(format!("row {row}: {:?} is told apart by the traits the filter found", lint.rules()));
                }
            }
            let skipped =
                |lint: &dyn Lint| lint.in_order() || single.is_none_or(|filtered| !lint.needs().admits(filtered));
            for lint in lints.iter().map(AsRef::as_ref).filter(|l| skipped(*l)) {
                let mut out = Vec::new();
                lint.check_row(&cx, &mut out);
                found.extend(out.iter().map(|d| format!("row {row}: {:?} on a row with {traits:?}", d.rule)));
            }
            // The in-order lints, as the checker calls them, with ids as it interns them; every
            // other row imported, so that both kinds of row are seen.
            let guid = facts.guid(&view).map(|guid| guids.intern(facts.guid_hash, guid));
            parents.clear();
            for (parent, hash) in facts.parents(&view).zip(&facts.parent_hashes) {
                parents.push(guids.intern(*hash, parent));
            }
            let order = InOrder { imported: row % 2 == 0, deleted: cx.is_deleted(), guid, parents: &parents };
            let calls = engaged.called(filter.called(filtered));
            for (i, (every, called)) in every.iter_mut().zip(&mut called).enumerate() {
                let (mut all, mut some) = (Vec::new(), Vec::new());
                every.row(&cx, &order, &mut all);
                if calls.has(i) {
                    called.row(&cx, &order, &mut some);
                }
                if format!("{all:?}") != format!("{some:?}") {
                    found
                        .push(format!("row {row}: {:?} finds {all:?} where it is called on {traits:?}", every.rules()));
                }
            }
            engaged.after(calls, &called);
        }
        let end = FileEnd { guids: &guids };
        for (every, called) in every.iter_mut().zip(&mut called) {
            let (mut all, mut some) = (Vec::new(), Vec::new());
            every.finish(&end, &mut all);
            called.finish(&end, &mut some);
            if format!("{all:?}") != format!("{some:?}") {
                found.push(format!("end: {:?} finds {all:?}, and {some:?} where it is passed over", every.rules()));
            }
        }
        found
    }

    #[test]
    fn lints_find_nothing_on_the_fixture_rows_they_skip() {
        let dirs = ["lints", "lints/notes", "regressions", "samples", "diagnostics"];
        let mut files = 0;
        for dir in dirs {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(dir);
            let Ok(entries) = std::fs::read_dir(&path) else { continue };
            for entry in entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "csv")) {
                let bytes = std::fs::read(entry.path()).expect("a fixture");
                for locale in ["en", "de", "fr"] {
                    let options = CanvasOptions {
                        number_format: NumberFormat::for_locale(locale).expect("known"),
                        ..CanvasOptions::default()
                    };
                    let found = found_on_skipped_rows(&bytes, &options);
                    assert!(found.is_empty(), "{}: {found:?}", entry.path().display());
                }
                files += 1;
            }
        }
        assert!(files > 20, "only {files} fixtures read");
    }

    proptest! {
        #[test]
        fn called_indices_are_the_indices_called(bits: u64, len in 0usize..80) {
            let called = Called(bits);
            let plain: Vec<usize> = (0..len).filter(|&i| called.has(i)).collect();
            prop_assert_eq!(called.indices(len), plain);
        }
    }

    /// A cell as written: absent, quoted, blank, a number in several styles, text, not UTF-8.
    fn cell(choices: &'static [&'static str]) -> impl Strategy<Value = String> {
        proptest::sample::select(choices).prop_map(str::to_owned)
    }

    /// Cells of the columns the traits look at, each from `choices`: what every lint's filter is
    /// decided from, and the odd values each lint looks for.
    fn other_cells() -> impl Strategy<Value = Vec<String>> {
        (
            cell(&[
                "g",
                "canvas_outcome:12",
                "x-canvas_outcome_group:3",
                "a:b",
                "g\u{a0}1",
                "\u{200b}g",
                "\"\"",
                " ",
                "g\u{e9}",
            ]),
            cell(&["T", " T", "T ", "\u{a0}T", "T\u{200b}", "\"\"", "\" \"", "\u{e9}", "T\u{e9} ", "\"\tT\""]),
            cell(&["", "D", "D ", "\u{3000}D", "\"\"", "\" \""]),
            cell(&["", "a b", "a\u{a0}b", "\"\"", "\u{e9}", " a "]),
            cell(&["", "12", "MATH-101", " 7 ", "\"\"", "\" \""]),
            cell(&["", "plain", "=1+2", "-x", "@a", "-1", "a\0b", "\0", "+", "\"=\"\"q\"\"\""]),
            cell(&["", "7", "\"\"", " ", "\" \""]),
        )
            .prop_map(|(guid, title, display, parents, course, description, canvas_id)| {
                vec![guid, title, display, parents, course, description, canvas_id]
            })
    }

    proptest! {
        #[test]
        fn lints_find_nothing_on_the_rows_they_skip(
            kind in cell(&["group", "outcome", "Outcome"]),
            mastery in cell(&["", "\"\"", " ", "\" \"", "3", "2.5", "\"1,5\"", "1.000", "x", "10", "0", "-1"]),
            tiers in proptest::collection::vec(
                (cell(&["4", "3", "3", "2", "2.5", "\"1,5\"", "", "x", "0", "\" \"", "-1"]),
                 cell(&["", "\"\"", " ", "Good", "\"Meets, mostly\"", "\u{e9}", "=x", "\0"])),
                0..5,
            ),
            others in other_cells(),
            mastery_column: bool,
            ratings_column: bool,
            locale in cell(&["en", "de", "fr"]),
        ) {
            let mut header =
                vec!["vendor_guid", "object_type", "title", "display_name", "parent_guids", "course_id", "description", "canvas_id"];
            let mut row = vec![others[0].clone(), kind];
            row.extend(others[1..].iter().cloned());
            if mastery_column {
                header.push("mastery_points");
                row.push(mastery);
            }
            if ratings_column {
                header.push("ratings");
            }
            for (points, description) in tiers {
                row.push(points);
                row.push(description);
            }
            let file = format!("{}\n{}\n", header.join(","), row.join(","));
            let options = CanvasOptions {
                number_format: NumberFormat::for_locale(&locale).expect("known"),
                ..CanvasOptions::default()
            };
            let found = found_on_skipped_rows(file.as_bytes(), &options);
            prop_assert!(found.is_empty(), "{file:?}: {found:?}");
        }
    }

    /// A file with rows on which the in-order lints with needs are called and rows on which they
    /// are passed over, so that the comparison in [`found_on_skipped_rows`] compares something.
    #[test]
    fn in_order_lints_are_passed_over_on_some_rows_and_called_on_others() {
        let options = CanvasOptions::default();
        let file: &[u8] = b"vendor_guid,object_type,title,parent_guids,canvas_id\n\
                    a,group,A,,\n\
                    canvas_outcome:12,outcome,B,a,\n\
                    c,outcome,C,a,7\n\
                    d,outcome,D\xe9,a,\n";
        let lints: Vec<_> = enabled(&LintSelection::default(), &options).into_iter().filter(|l| l.in_order()).collect();
        let filter = RowFilter::new([], lints.iter().map(|l| l.needs()));
        let lookup = lints.iter().position(|l| l.rules() == [Rule::DatabaseLookup]).expect("OL117");
        let windows = lints.iter().position(|l| l.rules() == [Rule::Windows1252Text]).expect("OL121");
        let mut reader = Reader::new(file).expect("a file");
        let (mut header, mut record, mut facts) = (Record::new(), Record::new(), RowFacts::default());
        assert!(matches!(reader.read_record(&mut header), Ok(true)));
        let columns = Columns::from_header(&header);
        let mut seen = Vec::new();
        while let Ok(true) = reader.read_record(&mut record) {
            record.validate_utf8();
            let view = RowView { record: &record, columns: &columns };
            facts.read(&view, &options.number_format, &GuidHasher::default());
            let called = filter.called(filter.traits(&RowContext { view, options: &options, facts: &facts }));
            seen.push((called.has(lookup), called.has(windows)));
        }
        assert_eq!(seen, [(false, false), (true, false), (true, false), (false, true)]);
        let found = found_on_skipped_rows(file, &options);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_filter_admits_what_the_needs_admit() {
        let needs = [
            Needs::all(RowTraits::GROUP | RowTraits::MASTERY),
            Needs::one_of(RowTraits::NUL | RowTraits::GUID_COLON),
            Needs::NO_ROW,
        ];
        let filter = RowFilter::new(needs, []);
        assert_eq!(filter.triggers, RowTraits::GROUP | RowTraits::NUL | RowTraits::GUID_COLON);
        assert_eq!(
            filter.wanted,
            RowTraits::ROW | RowTraits::GROUP | RowTraits::MASTERY | RowTraits::NUL | RowTraits::GUID_COLON
        );
        // A lint that looks at every row makes every row worth a look.
        let filter = RowFilter::new([Needs::all(RowTraits::OUTCOME), Needs::EVERY_ROW], []);
        assert_eq!(filter.triggers, RowTraits::OUTCOME | RowTraits::ROW);
        assert_eq!(RowFilter::new([Needs::NO_ROW], []).triggers, RowTraits::NONE);
        // An in-order lint that sees every row is always called; one with needs only on the rows
        // they admit; past the 64th, every lint is called.
        let filter = RowFilter::new([], [Needs::EVERY_ROW, Needs::one_of(RowTraits::NOT_UTF8)]);
        assert_eq!(filter.wanted, RowTraits::NOT_UTF8);
        assert_eq!(filter.triggers, RowTraits::NONE);
        let common = filter.called(RowTraits::COMMON);
        assert!(common.has(0) && !common.has(1) && common.has(64));
        let odd = filter.called(RowTraits::COMMON | RowTraits::NOT_UTF8);
        assert!(odd.has(0) && odd.has(1) && !odd.has(2));
        assert!(Called::default().has(1));
        assert_eq!(odd.indices(2), [0, 1]);
        assert_eq!(common.indices(66), [0, 64, 65]);
        // Asked about nothing but the row, the filter reads no trait and admits every row.
        let filter = RowFilter::new([Needs::EVERY_ROW], [Needs::EVERY_ROW]);
        assert!(filter.wanted == RowTraits::ROW && filter.ordered.is_empty());
    }
}
