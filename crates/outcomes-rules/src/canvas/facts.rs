//! What a data row says, read once: the facts Canvas's checks and the lints share.
//!
//! Canvas parses a row's rating tiers, mastery points and parents while checking it, and half the
//! lints need the same values; [`RowFacts`] reads them once, exactly as Canvas does. Nothing here
//! depends on earlier rows, so the facts of many rows can be read at once on several threads
//! before the rows are checked in order.
//!
//! The facts own their buffers (ranges and indices into the record, not borrowed strings), so one
//! [`RowFacts`] is reused row after row without allocating.

use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use outcomes_csv::{Columns, Field, Record};
use wide::u8x16;

use super::guids::{hash_guid, GuidHasher};
use super::number::parse_number;
use crate::options::NumberFormat;
use crate::ruby::{is_blank_utf8, ruby_split_uniq};
use crate::text::first_non_ascii;
use crate::view::RowView;

/// Whether a row is a group or an outcome (only the exact values Canvas accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Group = 1,
    Outcome = 2,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Group => "group",
            Kind::Outcome => "outcome",
        }
    }
}

/// How a rating tier's description cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TierDescription {
    /// No description (an empty unquoted cell, or none at all): Ruby's `nil`.
    Absent,
    /// A quoted empty cell or only whitespace: Canvas stores it as written.
    Blank,
    /// Some text.
    Text,
}

/// One rating tier as Canvas reads it. Its texts are read from the row when a message needs
/// them ([`Tier::written`], [`Tier::label`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tier {
    /// 1-based, as Canvas numbers tiers in its messages.
    pub(crate) number: usize,
    /// Index of the points cell in the record.
    pub(crate) index: usize,
    /// The points as Canvas reads them.
    pub(crate) points: f64,
    pub(crate) description: TierDescription,
}

impl Tier {
    /// The points as written (trimmed).
    pub(crate) fn written<'a>(&self, view: &RowView<'a>) -> &'a str {
        view.record.get_str(self.index).unwrap_or_default().trim()
    }

    /// The description, unless it is absent.
    pub(crate) fn description_text<'a>(&self, view: &RowView<'a>) -> Option<&'a str> {
        match self.description {
            TierDescription::Absent => None,
            _ => view.record.get_str(self.index + 1),
        }
    }

    /// `tier 2 (3 points, `Meets`)`: how messages name a tier.
    pub(crate) fn label(&self, view: &RowView<'_>) -> String {
        match (self.description, self.description_text(view)) {
            (TierDescription::Text, Some(text)) => {
                format!("tier {} ({}, {})", self.number, self.points_text(view), crate::text::show(text.trim()))
            }
            _ => format!("tier {} ({})", self.number, self.points_text(view)),
        }
    }

    /// `3 points`, `1 point`, `2,5 points`: the points as written, with the unit.
    pub(crate) fn points_text(&self, view: &RowView<'_>) -> String {
        let unit = if self.points == 1.0 { "point" } else { "points" };
        format!("{} {unit}", self.written(view))
    }
}

/// Why Canvas rejects a row's rating tiers (the first problem, as Canvas finds it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RatingsProblem {
    /// The points cell of tier `tier` (cell `index`) is absent or blank.
    Missing { tier: usize, index: usize },
    /// The points of tier `tier` are not a number.
    Invalid { tier: usize, index: usize },
    /// Tier `tier` has more points (`value`) than the tier before it (`prior`).
    Order { tier: usize, index: usize, value: f64, prior: f64 },
}

/// `mastery_points` as Canvas reads it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) enum Mastery {
    /// Missing or blank.
    #[default]
    Absent,
    /// Present but not a number (Canvas's error).
    Invalid,
    /// A number.
    Points(f64),
}

/// How one field reads in a row, as [`RowView::get`] and [`RowView::present`] read it: found
/// once per row, because Canvas's checks and a dozen lints ask for the same few fields, and each
/// asking would otherwise look the column up, slice the cell and test it for blankness again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum FieldRead {
    /// No value: the column is missing, the cell absent or not UTF-8.
    #[default]
    Nothing,
    /// Only whitespace, in this cell.
    Blank(usize),
    /// A value that is not blank, in this cell.
    Present(usize),
}

impl FieldRead {
    /// How `field` reads in `view`'s row: the reference for [`FieldRead::of_cell`].
    #[cfg(test)]
    fn of(view: &RowView<'_>, field: Field) -> FieldRead {
        match (view.columns.column(field), view.get(field)) {
            (Some(index), Some(text)) if is_blank_utf8(text) => FieldRead::Blank(index),
            (Some(index), Some(_)) => FieldRead::Present(index),
            _ => FieldRead::Nothing,
        }
    }

    /// How cell `index` of `record` reads, as [`FieldRead::of`] says, from the value's first
    /// byte when that settles it: in a UTF-8 record (`utf8`, which [`Record::is_utf8`] says) a
    /// value that starts with printable ASCII is present, and an empty one (quoted, since it is
    /// not absent) is blank. Only the rest are read as text and tested for blankness.
    #[inline]
    fn of_cell(record: &Record, index: usize, utf8: bool) -> FieldRead {
        let Some(cell) = record.cell(index).filter(|c| !c.is_absent()) else {
            return FieldRead::Nothing;
        };
        match cell.value().first() {
            Some(b) if utf8 && b.is_ascii_graphic() => FieldRead::Present(index),
            None => FieldRead::Blank(index),
            _ => match cell.text() {
                Some(text) if is_blank_utf8(text) => FieldRead::Blank(index),
                Some(_) => FieldRead::Present(index),
                None => FieldRead::Nothing,
            },
        }
    }
}

/// What is the same for every row of a file, worked out once for many rows rather than once per
/// row: where the header puts each field, and what the account's number format allows.
#[derive(Debug)]
pub(crate) struct Reading<'f> {
    /// The fields the header has, each with the column Canvas reads it from, in column order
    /// (the first `len`).
    fields: [(usize, Field); Field::ALL.len()],
    len: usize,
    format: &'f NumberFormat,
    /// [`NumberReader::plain_untouched`] under `format`.
    plain_untouched: bool,
}

impl<'f> Reading<'f> {
    pub(crate) fn new(columns: &Columns, format: &'f NumberFormat) -> Reading<'f> {
        let mut fields = [(0, Field::Title); Field::ALL.len()];
        let mut len = 0;
        for field in Field::ALL {
            if let Some(index) = columns.column(field) {
                fields[len] = (index, field);
                len += 1;
            }
        }
        // Distinct columns, since each is the last of its header name.
        fields[..len].sort_unstable();
        let outside_plain =
            |pattern: &str| pattern.is_empty() || pattern.bytes().any(|b| !b.is_ascii_digit() && b != b'.');
        let plain_untouched = outside_plain(&format.thousands_delimiter)
            && (format.decimal_separator == "." || outside_plain(&format.decimal_separator));
        Reading { fields, len, format, plain_untouched }
    }

    /// The fields the header has, with their columns, in column order.
    fn fields(&self) -> &[(usize, Field)] {
        self.fields.get(..self.len).unwrap_or_default()
    }
}

/// What a data row says, read once (see the module documentation).
#[derive(Debug)]
pub(crate) struct RowFacts {
    /// Every field's value, indexed by [`Field::index`].
    fields: [FieldRead; Field::ALL.len()],
    /// Every cell is blank (and UTF-8): Canvas skips the row silently.
    pub(crate) blank: bool,
    /// `group` or `outcome`, exactly as Canvas compares them, or neither.
    pub(crate) kind: Option<Kind>,
    /// Whether `workflow_state` is exactly `deleted`, as Canvas compares it: read here, with
    /// the row, rather than where it is taken in file order (by Canvas's bookkeeping and the
    /// in-order lints, on the one thread that cannot share its work).
    pub(crate) deleted: bool,
    /// The rating tiers read so far: all of them when `ratings` is `Ok`.
    tiers: Vec<Tier>,
    /// Whether Canvas accepts the rating tiers.
    pub(crate) ratings: Result<(), RatingsProblem>,
    /// Whether every description cell of the tiers is UTF-8 (lints read them).
    descriptions_utf8: bool,
    /// Whether a tier read has no description (absent or blank).
    pub(crate) undescribed_tier: bool,
    /// Whether a tier read has the same points as the tier before it.
    pub(crate) equal_points: bool,
    /// Whether mastery_points is a number that a tier read has as its points.
    pub(crate) mastery_on_tier: bool,
    pub(crate) mastery: Mastery,
    /// Whether every number cell (mastery_points, each tier's points) is absent, not text, or a
    /// plain decimal that the account's format reads as it looks: then none holds the thousands
    /// delimiter, and OL100 has nothing to look at.
    pub(crate) plain_numbers: bool,
    /// The distinct parent guids (Ruby's `strip.split.uniq`), as ranges of the parent_guids
    /// value, in the order written.
    parents: Vec<Range<usize>>,
    /// The hashes of the parents, for the guid table, in the same order.
    pub(crate) parent_hashes: Vec<u64>,
    /// The hash of [`RowFacts::guid`], for the guid table (0 when there is none).
    pub(crate) guid_hash: u64,
    /// The hash of the kind and normalized title of a group or outcome row ([`title_hash`]).
    pub(crate) title_hash: u64,
}

impl Default for RowFacts {
    fn default() -> Self {
        RowFacts {
            fields: [FieldRead::Nothing; Field::ALL.len()],
            blank: false,
            kind: None,
            deleted: false,
            tiers: Vec::new(),
            ratings: Ok(()),
            descriptions_utf8: true,
            undescribed_tier: false,
            equal_points: false,
            mastery_on_tier: false,
            mastery: Mastery::Absent,
            plain_numbers: false,
            parents: Vec::new(),
            parent_hashes: Vec::new(),
            guid_hash: 0,
            title_hash: 0,
        }
    }
}

impl RowFacts {
    /// Reads the facts of `view`'s row (replacing the previous row's). `hasher` hashes guids for
    /// the guid table. [`RowFacts::read_with`] reads many rows of a file.
    #[cfg(test)]
    pub(crate) fn read(&mut self, view: &RowView<'_>, format: &NumberFormat, hasher: &GuidHasher) {
        self.read_with(view, &Reading::new(view.columns, format), hasher);
    }

    /// Reads the facts of `view`'s row (replacing the previous row's), with what `reading` worked
    /// out for the file: `view.columns` must be the columns `reading` was made from.
    pub(crate) fn read_with(&mut self, view: &RowView<'_>, reading: &Reading<'_>, hasher: &GuidHasher) {
        let record = view.record;
        let utf8 = record.is_utf8();
        // The first bytes of the cells, in one pass over the record up to the last field's
        // column: most fields are settled by theirs.
        self.fields = [FieldRead::Nothing; Field::ALL.len()];
        let mut firsts = record.first_bytes();
        let mut next = 0;
        for &(index, field) in reading.fields() {
            // Columns in order: skip the cells between the previous field's and this one.
            let first = firsts.nth(index.saturating_sub(next));
            next = index + 1;
            self.fields[field.index()] = match first {
                Some(Some(b)) if utf8 && b.is_ascii_graphic() => FieldRead::Present(index),
                Some(_) => FieldRead::of_cell(record, index, utf8),
                // Past the end of the record.
                None => FieldRead::Nothing,
            };
        }
        // A present field is a cell that is not blank, so its row is not: known from the fields
        // just read (the first, title, nearly always), without a look at the cells.
        let present = self.fields.iter().any(|f| matches!(f, FieldRead::Present(_)));
        self.blank = !present && record.cells().all(|c| c.text().is_some_and(is_blank_utf8));
        self.kind = match self.get_bytes(view, Field::ObjectType) {
            Some(b"group") => Some(Kind::Group),
            Some(b"outcome") => Some(Kind::Outcome),
            _ => None,
        };
        // The bytes of a cell read as text: "deleted" is ASCII, so it is its text exactly when
        // they are its bytes.
        self.deleted = self.get_bytes(view, Field::WorkflowState) == Some(b"deleted");
        let mut numbers = NumberReader::new(reading);
        self.read_tiers(view, &mut numbers);
        // Read as the tiers' points are: a plain decimal from its bytes, anything else as text.
        let mastery = self.present_bytes(view, Field::MasteryPoints).map(|bytes| {
            numbers
                .read_plain(bytes)
                .or_else(|| self.present(view, Field::MasteryPoints).and_then(|text| numbers.read_general(text)))
        });
        self.mastery = match mastery {
            None => Mastery::Absent,
            Some(Some(points)) => Mastery::Points(points),
            Some(None) => Mastery::Invalid,
        };
        self.mastery_on_tier = match self.mastery {
            Mastery::Points(points) => self.tiers.iter().any(|t| t.points == points),
            Mastery::Absent | Mastery::Invalid => false,
        };
        // A blank mastery cell is not read, but a delimiter could be all it holds.
        let mastery_plain = !matches!(self.fields[Field::MasteryPoints.index()], FieldRead::Blank(_));
        self.plain_numbers = numbers.all_plain() && self.ratings.is_ok() && mastery_plain;
        // The parents, and their hashes from the same text.
        let parents = self.present(view, Field::ParentGuids).unwrap_or_default();
        ruby_split_uniq(parents, &mut self.parents);
        self.parent_hashes.clear();
        for range in &self.parents {
            self.parent_hashes.push(hash_guid(hasher, parents.get(range.clone()).unwrap_or_default()));
        }
        self.guid_hash = self.guid(view).map_or(0, |guid| hash_guid(hasher, guid));
        self.title_hash = match (self.kind, self.present(view, Field::Title)) {
            (Some(kind), Some(title)) => title_hash(hasher, kind, title),
            _ => 0,
        };
    }

    /// Canvas's `parse_ratings`: tiers are (points, description) pairs from the first rating
    /// cell, trailing absent cells (empty and unquoted) left out; a quoted `""` makes a tier.
    fn read_tiers(&mut self, view: &RowView<'_>, numbers: &mut NumberReader<'_>) {
        let record = view.record;
        let start = view.ratings_start();
        let mut end = record.len();
        while end > start && record.cell(end - 1).is_some_and(|c| c.is_absent()) {
            end -= 1;
        }
        self.tiers.clear();
        self.ratings = Ok(());
        self.descriptions_utf8 = true;
        self.undescribed_tier = false;
        self.equal_points = false;
        let utf8 = record.is_utf8();
        let mut prior: Option<f64> = None;
        // The (points, description) pairs through one slice of the cells: no bounds test per
        // cell, and a description is there exactly when the pair is whole.
        let mut cells = record.cells_in(start..end);
        let mut index = start;
        let mut tier = 0;
        while let Some(cell) = cells.next() {
            tier += 1;
            // Read as `FieldRead::of_cell` reads a field: most points are plain decimals in a
            // UTF-8 record, read from their bytes without fetching them as text.
            if cell.is_absent() {
                self.ratings = Err(RatingsProblem::Missing { tier, index });
                return;
            }
            // A plain decimal is ASCII, so UTF-8 and not blank in any record: read first,
            // before the first byte is looked at.
            let bytes = cell.value();
            let value = match numbers.read_plain(bytes) {
                Some(value) => Some(value),
                None if utf8 && bytes.first().is_some_and(u8::is_ascii_graphic) => {
                    cell.text().and_then(|text| numbers.read_general(text))
                }
                None => match cell.text().filter(|text| !is_blank_utf8(text)) {
                    Some(text) => numbers.read(text),
                    None => {
                        self.ratings = Err(RatingsProblem::Missing { tier, index });
                        return;
                    }
                },
            };
            let Some(value) = value else {
                self.ratings = Err(RatingsProblem::Invalid { tier, index });
                return;
            };
            if let Some(prior) = prior.filter(|p| *p < value) {
                self.ratings = Err(RatingsProblem::Order { tier, index, value, prior });
                return;
            }
            self.equal_points |= prior == Some(value);
            prior = Some(value);
            let description = match cells.next() {
                None => TierDescription::Absent,
                Some(cell) if cell.is_absent() => TierDescription::Absent,
                // Text that starts with printable ASCII, known without fetching it as text.
                Some(cell) if utf8 && cell.value().first().is_some_and(u8::is_ascii_graphic) => TierDescription::Text,
                Some(cell) => match cell.text() {
                    None => {
                        self.descriptions_utf8 = false;
                        TierDescription::Absent
                    }
                    Some(text) if is_blank_utf8(text) => TierDescription::Blank,
                    Some(_) => TierDescription::Text,
                },
            };
            self.undescribed_tier |= description != TierDescription::Text;
            self.tiers.push(Tier { number: tier, index, points: value, description });
            index += 2;
        }
    }

    /// The rating tiers, or `None` when Canvas rejects them (missing or invalid points, wrong
    /// order) or a description is not UTF-8: those rows already have a Canvas error, and a lint
    /// would only repeat it.
    pub(crate) fn tiers(&self) -> Option<&[Tier]> {
        (self.ratings.is_ok() && self.descriptions_utf8).then_some(&self.tiers[..])
    }

    /// Whether the row has rating tiers (when Canvas accepts them).
    pub(crate) fn has_ratings(&self) -> bool {
        !self.tiers.is_empty()
    }

    /// The value of `field` in `view`'s row (the row these facts were read from), as
    /// [`RowView::get`] reads it.
    #[inline]
    pub(crate) fn get<'a>(&self, view: &RowView<'a>, field: Field) -> Option<&'a str> {
        match self.fields[field.index()] {
            FieldRead::Nothing => None,
            FieldRead::Blank(index) | FieldRead::Present(index) => view.record.get_str(index),
        }
    }

    /// The bytes of `field`'s value, as [`RowFacts::get`] reads it, without fetching it as text:
    /// a field is read only when its cell is UTF-8 (in a record that is not, cell by cell), so
    /// these are the bytes of `get`'s text, had without the test that they start and end on
    /// characters.
    #[inline]
    pub(crate) fn get_bytes<'a>(&self, view: &RowView<'a>, field: Field) -> Option<&'a [u8]> {
        match self.fields[field.index()] {
            FieldRead::Nothing => None,
            FieldRead::Blank(index) | FieldRead::Present(index) => view.record.get(index),
        }
    }

    /// The bytes of `field`'s value unless it is blank: [`RowFacts::present`] as bytes, as
    /// [`RowFacts::get_bytes`] reads them.
    #[inline]
    pub(crate) fn present_bytes<'a>(&self, view: &RowView<'a>, field: Field) -> Option<&'a [u8]> {
        match self.fields[field.index()] {
            FieldRead::Present(index) => view.record.get(index),
            FieldRead::Nothing | FieldRead::Blank(_) => None,
        }
    }

    /// The vendor_guid the row goes into the guid table under: the present value of a group or
    /// outcome row. Its hash is [`RowFacts::guid_hash`].
    #[inline]
    pub(crate) fn guid<'a>(&self, view: &RowView<'a>) -> Option<&'a str> {
        self.kind.and(self.present(view, Field::VendorGuid))
    }

    /// Whether `field` has a value that is blank (a quoted empty cell, or only whitespace): what
    /// `get` and `is_blank_utf8` would say together, known without fetching the text.
    #[inline]
    pub(crate) fn field_blank(&self, field: Field) -> bool {
        matches!(self.fields[field.index()], FieldRead::Blank(_))
    }

    /// Whether `field` has a value that is not blank: whether `present` has one, known without
    /// fetching it.
    #[inline]
    pub(crate) fn field_present(&self, field: Field) -> bool {
        matches!(self.fields[field.index()], FieldRead::Present(_))
    }

    /// The value of `field` unless it is blank, as [`RowView::present`] reads it.
    #[inline]
    pub(crate) fn present<'a>(&self, view: &RowView<'a>, field: Field) -> Option<&'a str> {
        match self.fields[field.index()] {
            FieldRead::Present(index) => view.record.get_str(index),
            FieldRead::Nothing | FieldRead::Blank(_) => None,
        }
    }

    /// How many distinct parent guids the row names.
    pub(crate) fn parent_count(&self) -> usize {
        self.parents.len()
    }

    /// The distinct parent guids of `view`'s row (the row these facts were read from). Inlined:
    /// the iterator is small, and several checks of the in-order pass ask for it every row.
    #[inline]
    pub(crate) fn parents<'a>(&'a self, view: &RowView<'a>) -> impl Iterator<Item = &'a str> + 'a {
        let text =
            if self.parents.is_empty() { "" } else { self.present(view, Field::ParentGuids).unwrap_or_default() };
        self.parents.iter().map(move |r| text.get(r.clone()).unwrap_or_default())
    }
}

/// Feeds the normalized title to a hasher through a small buffer: no allocation, and the same
/// words ([`hash_words`], [`finish_words`]) for the same normalized text as
/// [`hash_title_words`] hashes straight from a title that needs no normalizing but case.
struct Normalized<H> {
    hasher: H,
    buf: [u8; 128],
    len: usize,
    total: usize,
}

impl<H: Hasher> Normalized<H> {
    fn byte(&mut self, b: u8) {
        self.write(&[b], false);
    }

    /// Appends `bytes`, ASCII letters lowercased if asked, in bulk. A full buffer goes to the
    /// hasher as eight whole words, so the words (and the hash) do not depend on how the text
    /// was fed.
    fn write(&mut self, mut bytes: &[u8], lowercase: bool) {
        while !bytes.is_empty() {
            if self.len == self.buf.len() {
                hash_words(&mut self.hasher, &self.buf);
                self.total += self.len;
                self.len = 0;
            }
            let n = (self.buf.len() - self.len).min(bytes.len());
            let room = &mut self.buf[self.len..self.len + n];
            room.copy_from_slice(&bytes[..n]);
            if lowercase {
                room.make_ascii_lowercase();
            }
            self.len += n;
            bytes = &bytes[n..];
        }
    }

    fn finish(mut self) -> u64 {
        let rest = hash_words(&mut self.hasher, &self.buf[..self.len]);
        finish_words(self.hasher, rest, self.total + self.len)
    }
}

/// Hashes the whole 16-byte words of `bytes`, as little-endian `u128`s: one folded multiply
/// each, read straight from the text. Returns the bytes after the last whole word.
fn hash_words<'b>(hasher: &mut impl Hasher, bytes: &'b [u8]) -> &'b [u8] {
    let mut words = bytes.chunks_exact(16);
    for word in &mut words {
        let mut sixteen = [0; 16];
        sixteen.copy_from_slice(word);
        hasher.write_u128(u128::from_le_bytes(sixteen));
    }
    words.remainder()
}

/// Ends a text hashed by [`hash_words`]: its last bytes (`rest`, under 16) as one word padded
/// with zeros, then its length in bytes, `len`.
fn finish_words(mut hasher: impl Hasher, rest: &[u8], len: usize) -> u64 {
    if !rest.is_empty() {
        let mut word = [0; 16];
        word[..rest.len()].copy_from_slice(rest);
        hasher.write_u128(u128::from_le_bytes(word));
    }
    hasher.write_usize(len);
    hasher.finish()
}

/// ASCII whitespace, which is exactly the ASCII part of Unicode's White_Space.
fn is_ascii_white_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0B
}

/// The fast path of [`title_hash`] in one pass over the title, sixteen bytes at a time: hashes
/// `bytes` as 16-byte little-endian words with their ASCII letters lowercased, the last padded
/// with zeros, then the length (what [`hash_words`] and [`finish_words`] hash), and finds from
/// the same words whether the title is spaced (no ASCII white space but single spaces between
/// words, and no control byte) and all ASCII. The hash is the normalized title's when the title
/// is spaced and has no case to fold but ASCII's ([`title_hash`] says when).
fn hash_title_words(mut hasher: impl Hasher, bytes: &[u8]) -> (u64, (bool, bool)) {
    let below_space = u8x16::splat(b' ' - 1);
    let space = u8x16::splat(b' ');
    let (a, letters, case) = (u8x16::splat(b'A'), u8x16::splat(25), u8x16::splat(0x20));
    // Bit `i` of each mask is byte `i` of the word: `spacing` gathers control bytes (white
    // space among them) and spaces after spaces; `high`, bytes beyond ASCII.
    let (mut spacing, mut high, mut spaces_before) = (0, 0, 0);
    let mut take = |word: [u8; 16], len: usize| {
        let v = u8x16::from(word);
        let valid = if len == 16 { 0xFFFF } else { (1 << len) - 1 };
        let controls = v.min(below_space).cmp_eq(v).move_mask() & valid;
        let spaces = v.cmp_eq(space).move_mask();
        spacing |= controls | (spaces & (spaces << 1 | spaces_before >> 15));
        spaces_before = spaces;
        high |= v.move_mask();
        // `A`..=`Z` are the bytes that are at most 25 past `A`.
        let from_a = v - a;
        let upper = from_a.min(letters).cmp_eq(from_a);
        hasher.write_u128(u128::from_le_bytes((v | (upper & case)).to_array()));
    };
    let mut words = bytes.chunks_exact(16);
    for word in &mut words {
        let mut sixteen = [0; 16];
        sixteen.copy_from_slice(word);
        take(sixteen, 16);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        // The last bytes, padded with zeros: from the last 16 bytes, shifted down, when the
        // title has them (no copy of a few bytes into a buffer).
        let word = match bytes.last_chunk::<16>() {
            Some(last) => (u128::from_le_bytes(*last) >> (8 * (16 - rest.len()))).to_le_bytes(),
            None => {
                let mut word = [0; 16];
                word[..rest.len()].copy_from_slice(rest);
                word
            }
        };
        take(word, rest.len());
    }
    hasher.write_usize(bytes.len());
    let spaced = spacing == 0 && bytes.first() != Some(&b' ') && bytes.last() != Some(&b' ');
    (hasher.finish(), (spaced, high == 0))
}

/// Whether lowercasing `title` changes only ASCII letters and it has no white space but ASCII:
/// every character beyond ASCII (`é`, `°` in most titles that have any) is left as it is by
/// lowercasing and is not white space. Only those characters are decoded; the ASCII between them
/// is skipped.
fn only_ascii_case_to_fold(title: &str) -> bool {
    let mut rest = title;
    while let Some(i) = first_non_ascii(rest.as_bytes()) {
        let Some(c) = rest.get(i..).and_then(|tail| tail.chars().next()) else {
            return false;
        };
        if !surely_lower_not_space(c) {
            let mut lower = c.to_lowercase();
            if c.is_whitespace() || lower.next() != Some(c) || lower.next().is_some() {
                return false;
            }
        }
        rest = rest.get(i + c.len_utf8()..).unwrap_or_default();
    }
    true
}

/// Whether `c` is certainly left as it is by lowercasing and is not white space, told from its
/// block with a few comparisons: the fast path of [`only_ascii_case_to_fold`] for the characters
/// beyond ASCII that titles hold most (`é`, `°`, `’`, `π`, `–`). `char::to_lowercase` searches
/// a table for every character, with branches that mispredict at a million rows. `false` says
/// nothing: `to_lowercase` and `is_whitespace` decide (and stay the reference, in an exhaustive
/// test). The blocks: Latin-1's symbols after the no-break space, `×`, and its lowercase letters
/// with `÷`; the Greek and Cyrillic lowercase letters; general punctuation but its spaces
/// (U+2028 to U+202F, U+205F); super- and subscripts, currency signs and symbols' combining
/// marks; arrows, mathematical and technical signs up to the enclosed alphanumerics (which have
/// capitals); box drawing, shapes, dingbats and other symbols up to the Glagolitic letters; CJK
/// and the scripts after it up to Cyrillic Extended-B; Hangul; emoji and pictographs.
fn surely_lower_not_space(c: char) -> bool {
    matches!(
        c,
        '\u{A1}'..='\u{BF}'
            | '\u{D7}'
            | '\u{DF}'..='\u{FF}'
            | '\u{3AC}'..='\u{3CE}'
            | '\u{430}'..='\u{45F}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205E}'
            | '\u{2070}'..='\u{20FF}'
            | '\u{2190}'..='\u{245F}'
            | '\u{2500}'..='\u{2BFF}'
            | '\u{3001}'..='\u{A63F}'
            | '\u{AC00}'..='\u{D7FF}'
            | '\u{1F000}'..='\u{1FAFF}'
    )
}

/// Hashes a row's kind and title as OL112 (duplicate sibling titles) compares them, without
/// allocating: the title's words lowercased and joined by single spaces.
pub(crate) fn title_hash(hasher: &impl BuildHasher, kind: Kind, title: &str) -> u64 {
    let start = || {
        let mut h = hasher.build_hasher();
        h.write_u8(kind as u8);
        h
    };
    let bytes = title.as_bytes();
    // Most titles: only the ASCII case to fold, word by word, read straight from the title, and
    // found to be so in the same pass.
    let (hash, (spaced, ascii)) = hash_title_words(start(), bytes);
    if spaced && (ascii || only_ascii_case_to_fold(title)) {
        return hash;
    }
    let h = start();
    let mut text = Normalized { hasher: h, buf: [0; 128], len: 0, total: 0 };
    let mut started = false;
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if is_ascii_white_space(b) {
                i += 1;
                space = true;
                continue;
            }
            // A run of ASCII that is not white space (most of a title) goes in at once.
            let run =
                bytes[i..].iter().position(|&b| !b.is_ascii() || is_ascii_white_space(b)).unwrap_or(bytes.len() - i);
            if space && started {
                text.byte(b' ');
            }
            space = false;
            started = true;
            text.write(&bytes[i..i + run], true);
            i += run;
            continue;
        }
        let Some(c) = title.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && started {
            text.byte(b' ');
        }
        space = false;
        started = true;
        let mut utf8 = [0; 4];
        for lower in c.to_lowercase() {
            for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                text.byte(b);
            }
        }
    }
    text.finish()
}

/// Reads numbers exactly as [`parse_number`] does (Canvas's locale handling, then Ruby's
/// `Float()`), with a fast path for the plain decimals that make up nearly every file: digits
/// with at most one `.` between digits, which no locale rewrites unless its thousands delimiter
/// is `.`, and which Rust and Ruby both round correctly to the same `f64`. What the account's
/// format allows is worked out once per row, not per number.
pub(crate) struct NumberReader<'f> {
    format: &'f NumberFormat,
    /// Whether no plain decimal can hold the thousands delimiter, nor a decimal separator other
    /// than `.`: then Canvas's `gsub`s leave every plain decimal alone, unsearched.
    plain_untouched: bool,
    /// Whether every number read so far took the fast path: a plain decimal that the format's
    /// `gsub`s leave alone (known from `plain_untouched`, or found by searching it).
    only_fast_path: bool,
}

impl<'f> NumberReader<'f> {
    pub(crate) fn new(reading: &Reading<'f>) -> NumberReader<'f> {
        NumberReader { format: reading.format, plain_untouched: reading.plain_untouched, only_fast_path: true }
    }

    /// Whether every number read so far was a plain decimal that the account's format cannot
    /// touch (so none of them holds the thousands delimiter).
    pub(crate) fn all_plain(&self) -> bool {
        self.plain_untouched && self.only_fast_path
    }

    /// Reads `text`. The fast path is inlined into the callers (a tier's points are read 4 or 5
    /// times a row); [`NumberReader::read_general`] does the rest.
    #[inline]
    pub(crate) fn read(&mut self, text: &str) -> Option<f64> {
        self.read_plain(text.as_bytes()).or_else(|| self.read_general(text))
    }

    /// [`NumberReader::read`]'s fast path alone, from the bytes of the text: `None` when it does
    /// not apply (then [`NumberReader::read_general`] reads the text).
    #[inline]
    fn read_plain(&self, bytes: &[u8]) -> Option<f64> {
        if !self.plain_untouched {
            return None;
        }
        short_decimal(bytes).or_else(|| plain_decimal(bytes).and_then(|(digits, scale)| exact_decimal(digits, scale)))
    }

    /// What [`NumberReader::read`] reads, without its inlined fast path.
    #[inline(never)]
    fn read_general(&mut self, text: &str) -> Option<f64> {
        let format = self.format;
        match plain_decimal(text.as_bytes()) {
            Some((digits, scale))
                if self.plain_untouched
                    || (absent_from_plain(&format.thousands_delimiter, text)
                        && (format.decimal_separator == "." || absent_from_plain(&format.decimal_separator, text))) =>
            {
                exact_decimal(digits, scale).or_else(|| text.parse().ok())
            }
            _ => {
                self.only_fast_path = false;
                parse_number(text, format)
            }
        }
    }
}

/// The short decimals that make up nearly all points (`0`, `10`, `100`, `2.5`, `3.33`, `66.67`)
/// as their value, from a match on their shape: [`plain_decimal`] and [`exact_decimal`] read them
/// alike, with a loop over the bytes. Under 10^4 over 1, 10 or 100, both exact, so the division
/// is correctly rounded as theirs is. `None` for any other text. Always inlined (into the tiers'
/// loop and the mastery's reading): called, it cost some ten instructions a number more, passing
/// an `Option<f64>` back, and a tier's points are read 4 or 5 times a row.
#[inline(always)]
fn short_decimal(bytes: &[u8]) -> Option<f64> {
    // A digit's value; 10 or more for any other byte, and the largest tells.
    let d = |b: u8| b.wrapping_sub(b'0');
    let n = |b: u8| u32::from(d(b));
    let (value, largest, divisor) = match *bytes {
        [a] => (n(a), d(a), 1.0),
        [a, b] => (n(a) * 10 + n(b), d(a).max(d(b)), 1.0),
        [a, b'.', c] => (n(a) * 10 + n(c), d(a).max(d(c)), 10.0),
        [a, b, c] => (n(a) * 100 + n(b) * 10 + n(c), d(a).max(d(b)).max(d(c)), 1.0),
        [a, b'.', c, e] => (n(a) * 100 + n(c) * 10 + n(e), d(a).max(d(c)).max(d(e)), 100.0),
        [a, b, b'.', c, e] => (n(a) * 1000 + n(b) * 100 + n(c) * 10 + n(e), d(a).max(d(b)).max(d(c)).max(d(e)), 100.0),
        _ => return None,
    };
    (largest < 10).then(|| f64::from(value) / divisor)
}

/// A plain decimal: at most 17 bytes of digits, with at most one `.`, between digits. Returns
/// its digits as an integer (below 10^17, so it cannot overflow) and how many follow the point.
fn plain_decimal(bytes: &[u8]) -> Option<(u64, usize)> {
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if bytes.len() <= 17 && first.is_ascii_digit() && last.is_ascii_digit() => {}
        _ => return None,
    }
    let mut digits = 0;
    let mut point = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => digits = digits * 10 + u64::from(b - b'0'),
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    Some((digits, point.map_or(0, |p| bytes.len() - 1 - p)))
}

/// Whether Canvas's `gsub` of `pattern` leaves the plain decimal `text` alone. A plain text holds
/// only digits and `.`, so a pattern with any other byte (`,`, a space: every locale's but one)
/// is known to be absent without searching.
fn absent_from_plain(pattern: &str, text: &str) -> bool {
    pattern.is_empty() || pattern.bytes().any(|b| !b.is_ascii_digit() && b != b'.') || !text.contains(pattern)
}

/// Powers of ten that an `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// `digits / 10^scale` without the general parser, when Clinger's fast path applies: when
/// `digits` is at most 2^53 and `scale` at most 22, both are exact `f64`s and one division,
/// correctly rounded, gives the correctly rounded value, the one Ruby and Rust give. `None`
/// otherwise.
fn exact_decimal(digits: u64, scale: usize) -> Option<f64> {
    if digits > 1 << 53 {
        return None;
    }
    Some(digits as f64 / EXACT_POWERS_OF_TEN.get(scale)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcomes_csv::{Columns, Reader, Record};

    fn read_number(text: &str, format: &NumberFormat) -> Option<f64> {
        NumberReader::new(&Reading::new(&Columns::default(), format)).read(text)
    }

    fn facts_of(file: &str, format: &NumberFormat) -> (Record, Columns, RowFacts) {
        let mut reader = Reader::new(file.as_bytes()).expect("readable");
        let mut header = Record::new();
        assert!(reader.read_record(&mut header).expect("a header"));
        let columns = Columns::from_header(&header);
        let mut record = Record::new();
        assert!(reader.read_record(&mut record).expect("a row"));
        let mut facts = RowFacts::default();
        let view = RowView { record: &record, columns: &columns };
        facts.read(&view, format, &GuidHasher::default());
        (record, columns, facts)
    }

    #[test]
    fn tiers_mastery_and_parents_are_read_as_canvas_reads_them() {
        let (record, columns, facts) = facts_of(
            "vendor_guid,object_type,title,parent_guids,mastery_points,ratings\n\
             a,outcome,A,\" p  q p \",3,4,Exceeds,3,\"\",1,,,\n",
            &NumberFormat::en(),
        );
        let view = RowView { record: &record, columns: &columns };
        assert_eq!(facts.kind, Some(Kind::Outcome));
        assert!(!facts.blank);
        assert_eq!(facts.mastery, Mastery::Points(3.0));
        assert_eq!(facts.parents(&view).collect::<Vec<_>>(), ["p", "q"]);
        let tiers = facts.tiers().expect("valid tiers");
        assert_eq!(tiers.len(), 3);
        assert_eq!(tiers[0].label(&view), "tier 1 (4 points, `Exceeds`)");
        assert_eq!(tiers[1].description, TierDescription::Blank);
        assert_eq!(tiers[2].description, TierDescription::Absent);
        assert_eq!(tiers[2].written(&view), "1");
    }

    #[test]
    fn titles_hash_alike_ignoring_case_and_spacing_only() {
        let hasher = GuidHasher::default();
        let key = |title: &str| title_hash(&hasher, Kind::Group, title);
        assert_eq!(key("Algebra"), key("  algebra "));
        assert_eq!(key("Solve equations"), key("solve\t EQUATIONS"));
        assert_eq!(key("Géométrie plane"), key("GÉOMÉTRIE  plane"));
        assert_eq!(key("Géométrie plane"), key("GÉOMÉTRIE\u{3000}plane"));
        assert_eq!(key(&"Long title ".repeat(40)), key(&"LONG  TITLE ".repeat(40)));
        assert_eq!(key(&"x".repeat(200)), key(&"X".repeat(200)));
        assert_ne!(key(&"x".repeat(200)), key(&"x".repeat(201)));
        assert_ne!(key("Algebra"), key("Algebra I"));
        assert_ne!(key("ab"), key("a b"));
        assert_ne!(key("Algebra"), title_hash(&hasher, Kind::Outcome, "Algebra"));
    }

    /// What [`title_hash`] promises, the slow way: the words lowercased (character by
    /// character) and joined by single spaces, hashed as 16-byte little-endian words (the last
    /// padded with zeros), then the length.
    fn title_hash_reference(hasher: &GuidHasher, kind: Kind, title: &str) -> u64 {
        let words: Vec<String> = title
            .split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let text = words.join(" ");
        let mut h = hasher.build_hasher();
        h.write_u8(kind as u8);
        for chunk in text.as_bytes().chunks(16) {
            let mut word = [0; 16];
            word[..chunk.len()].copy_from_slice(chunk);
            h.write_u128(u128::from_le_bytes(word));
        }
        h.write_usize(text.len());
        h.finish()
    }

    proptest::proptest! {
        #[test]
        // ASCII titles (most take the bulk path), ASCII white space of every kind, non-ASCII
        // letters and spaces, and non-ASCII characters that lowercasing leaves alone (`é`, `°`),
        // changes (`É`), lengthens (`İ`) or makes ASCII (the Kelvin sign).
        fn title_hash_is_the_hash_of_the_normalized_title(
            title in "[a-zA-Z0-9 .,:()]{1,300}|[aB \t\r\n\u{B}\u{C}x]{0,20}|[aB \t\u{A0}\u{3000}\u{C9}\u{3A3}x.]{0,300}|[aB \u{E9}\u{F6}\u{B0}\u{C9}\u{130}\u{212A}]{0,60}"
        ) {
            let hasher = GuidHasher::default();
            proptest::prop_assert_eq!(
                title_hash(&hasher, Kind::Outcome, &title),
                title_hash_reference(&hasher, Kind::Outcome, &title)
            );
        }
    }

    /// The fast path never says "unchanged, not white space" where `to_lowercase` and
    /// `is_whitespace` disagree, over every `char`; and it takes the characters it is for.
    #[test]
    fn surely_lower_not_space_agrees_with_to_lowercase_everywhere() {
        let mut taken = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if surely_lower_not_space(c) {
                let mut lower = c.to_lowercase();
                assert!(!c.is_whitespace(), "{c:?} is white space");
                assert_eq!((lower.next(), lower.next()), (Some(c), None), "{c:?} changes");
                taken += 1;
            }
        }
        assert!(taken > 40_000, "{taken}");
        for c in
            ['é', 'ö', 'ï', 'ç', 'ñ', 'ß', '°', '®', '×', '’', '–', '—', '…', '€', 'π', 'ж', '→', '≤', '中', '한', '😀']
        {
            assert!(surely_lower_not_space(c), "{c:?} takes the slow path");
        }
        for c in [
            '\u{A0}', '\u{85}', 'É', 'Î', 'Σ', 'Ж', '\u{2028}', '\u{202F}', '\u{205F}', '\u{3000}', 'Ⅳ', 'Ⓐ', 'Ａ',
            '\u{212A}',
        ] {
            assert!(!surely_lower_not_space(c), "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        /// The shape found with the hash, against the bytes: spaced when no byte is a control
        /// byte (ASCII white space but the space among them) and no space starts, ends or
        /// follows a space; long titles cross words, short ones are padded.
        fn title_shape_is_spacing_and_ascii(title in "[a \t\n\u{1}\u{B}\u{C}\r\u{1F}\u{E9}\u{A0}!]{0,40}") {
            let bytes = title.as_bytes();
            let control = bytes.iter().any(|b| *b < b' ');
            let spaced = !control
                && !title.contains("  ")
                && !title.starts_with(' ')
                && !title.ends_with(' ');
            let (_, shape) = hash_title_words(GuidHasher::default().build_hasher(), bytes);
            proptest::prop_assert_eq!(shape, (spaced, title.is_ascii()));
        }
    }

    /// Cells of every kind a field's reading tells apart: absent, quoted empty, blank (ASCII and
    /// Unicode white space), text starting with printable ASCII or not, and bytes that are not
    /// UTF-8.
    fn any_cell() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::strategy::Strategy;
        proptest::sample::select(vec![
            &b""[..],
            b"\"\"",
            b" ",
            b"\" \t\"",
            "\u{3000}".as_bytes(),
            b"x",
            b"\"a,b\"",
            b" x",
            "\u{e9}t\u{e9}".as_bytes(),
            b"\xe9t\xe9",
            b"\"\xff\"",
            b"3",
            b"deleted",
        ])
        .prop_map(<[u8]>::to_vec)
    }

    /// The header and the first record of `file`, if it has both.
    fn header_and_record(file: &[u8]) -> Option<(Record, Record)> {
        let mut reader = Reader::new(file).ok()?;
        let (mut header, mut record) = (Record::new(), Record::new());
        matches!(reader.read_record(&mut header), Ok(true)).then_some(())?;
        matches!(reader.read_record(&mut record), Ok(true)).then_some(())?;
        Some((header, record))
    }

    proptest::proptest! {
        /// The fields read from first bytes are the fields read one by one as text, whatever
        /// the order of the header's columns, with other columns between them and names repeated.
        #[test]
        fn fields_read_as_their_text_reads(
            cells in proptest::collection::vec(any_cell(), 0..16),
            names in proptest::collection::vec(
                proptest::sample::select(Field::ALL.iter().map(|f| f.name()).chain(["other"]).collect::<Vec<_>>()),
                1..14,
            ),
        ) {
            use proptest::prelude::*;
            let mut file = names.join(",").into_bytes();
            file.push(b'\n');
            file.extend(cells.join(&b","[..]));
            file.push(b'\n');
            let read = header_and_record(&file);
            prop_assume!(read.is_some());
            let Some((header, record)) = read else { return Ok(()) };
            let columns = Columns::from_header(&header);
            let view = RowView { record: &record, columns: &columns };
            let mut facts = RowFacts::default();
            facts.read(&view, &NumberFormat::en(), &GuidHasher::default());
            for field in Field::ALL {
                prop_assert_eq!(facts.fields[field.index()], FieldRead::of(&view, field), "{:?}", field);
                prop_assert_eq!(facts.get_bytes(&view, field), view.get(field).map(str::as_bytes), "{:?}", field);
                prop_assert_eq!(facts.present_bytes(&view, field), view.present(field).map(str::as_bytes), "{:?}", field);
            }
            prop_assert_eq!(facts.deleted, view.get(Field::WorkflowState) == Some("deleted"));
        }
    }

    /// Canvas's `parse_ratings` read cell by cell as text: the reference for
    /// [`RowFacts::read_tiers`], which reads most cells from their bytes. The tiers (number,
    /// cell, points, description), why they are rejected, and whether every description is text.
    type TiersRead = (Vec<(usize, usize, u64, TierDescription)>, Result<(), RatingsProblem>, bool);

    fn tiers_by_text(view: &RowView<'_>, format: &NumberFormat) -> TiersRead {
        let record = view.record;
        let start = view.ratings_start();
        let mut end = record.len();
        while end > start && record.cell(end - 1).is_some_and(|c| c.is_absent()) {
            end -= 1;
        }
        let (mut tiers, mut utf8) = (Vec::new(), true);
        let mut prior: Option<f64> = None;
        for (n, index) in (start..end).step_by(2).enumerate() {
            let tier = n + 1;
            let points =
                record.cell(index).filter(|c| !c.is_absent()).and_then(|c| c.text()).filter(|v| !is_blank_utf8(v));
            let Some(text) = points else {
                return (tiers, Err(RatingsProblem::Missing { tier, index }), utf8);
            };
            let Some(value) = parse_number(text, format) else {
                return (tiers, Err(RatingsProblem::Invalid { tier, index }), utf8);
            };
            if let Some(prior) = prior.filter(|p| *p < value) {
                return (tiers, Err(RatingsProblem::Order { tier, index, value, prior }), utf8);
            }
            prior = Some(value);
            let description = match record.cell(index + 1).filter(|c| index + 1 < end && !c.is_absent()) {
                None => TierDescription::Absent,
                Some(cell) => match cell.text() {
                    None => {
                        utf8 = false;
                        TierDescription::Absent
                    }
                    Some(text) if is_blank_utf8(text) => TierDescription::Blank,
                    Some(_) => TierDescription::Text,
                },
            };
            tiers.push((tier, index, value.to_bits(), description));
        }
        (tiers, Ok(()), utf8)
    }

    /// Rating cells of every kind the tiers' reading tells apart: numbers plain or not, and
    /// every kind of [`any_cell`].
    fn any_rating_cell() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::strategy::Strategy;
        let numbers = proptest::sample::select(vec!["3", "2.5", "10", "0", "1,5", "\" 4\"", "\"7\"", "1e1", "x3"])
            .prop_map(|n| n.as_bytes().to_vec());
        proptest::prop_oneof![numbers, any_cell()]
    }

    proptest::proptest! {
        /// The tiers read from bytes are the tiers read as text.
        #[test]
        fn tiers_read_as_their_text_reads(
            cells in proptest::collection::vec(any_rating_cell(), 0..10),
            locale in proptest::sample::select(vec!["en", "de", "fr"]),
        ) {
            use proptest::prelude::*;
            let format = NumberFormat::for_locale(locale).unwrap_or_else(NumberFormat::en);
            let mut file = b"vendor_guid,object_type,title,ratings\na,outcome,A,".to_vec();
            file.extend(cells.join(&b","[..]));
            file.push(b'\n');
            let read = header_and_record(&file);
            prop_assume!(read.is_some());
            let Some((header, mut record)) = read else { return Ok(()) };
            record.validate_utf8();
            let columns = Columns::from_header(&header);
            let view = RowView { record: &record, columns: &columns };
            let mut facts = RowFacts::default();
            facts.read(&view, &format, &GuidHasher::default());
            let tiers = facts.tiers.iter().map(|t| (t.number, t.index, t.points.to_bits(), t.description)).collect();
            prop_assert_eq!((tiers, facts.ratings, facts.descriptions_utf8), tiers_by_text(&view, &format));
        }
    }

    #[test]
    fn rejected_tiers_say_why() {
        let (_, _, facts) =
            facts_of("vendor_guid,object_type,title,ratings\na,outcome,A,3,x,4,y\n", &NumberFormat::en());
        assert_eq!(facts.ratings, Err(RatingsProblem::Order { tier: 2, index: 5, value: 4.0, prior: 3.0 }));
        assert!(facts.tiers().is_none());
        let (_, _, facts) = facts_of("vendor_guid,object_type,title,ratings\na,outcome,A, ,x\n", &NumberFormat::en());
        assert_eq!(facts.ratings, Err(RatingsProblem::Missing { tier: 1, index: 3 }));
    }

    #[test]
    fn the_fast_path_reads_numbers_exactly_as_canvas() {
        let formats = [
            NumberFormat::en(),
            NumberFormat::for_locale("de").expect("de"),
            NumberFormat::for_locale("fr").expect("fr"),
        ];
        let cases = [
            "3",
            "0",
            "007",
            "2.5",
            "4.75",
            "0.1",
            "12345678901234567",
            "1.0000000000000002",
            "99999999999999999",
            "1.5",
            "10.25",
            "3.",
            ".5",
            "1,5",
            "1 000",
            " 3",
            "1e3",
            "9007199254740992",
            "9007199254740993",
            "900719925474099.3",
            "0.0000000000000001",
            "1234567.891",
        ];
        for format in &formats {
            for text in cases {
                assert_eq!(
                    read_number(text, format).map(f64::to_bits),
                    parse_number(text, format).map(f64::to_bits),
                    "{text:?} with {format:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn long_plain_decimals_agree_with_ruby(text in "[0-9]{1,17}|[0-9]{1,8}\\.[0-9]{1,8}") {
            let format = NumberFormat::en();
            proptest::prop_assert_eq!(
                read_number(&text, &format).map(f64::to_bits),
                parse_number(&text, &format).map(f64::to_bits)
            );
        }

        #[test]
        fn plain_decimals_agree_with_ruby(int in 0u64..1_000_000_000, frac in 0u64..100_000_000, dot: bool) {
            let text = if dot { format!("{int}.{frac}") } else { int.to_string() };
            let format = NumberFormat::en();
            proptest::prop_assert_eq!(
                read_number(&text, &format).map(f64::to_bits),
                parse_number(&text, &format).map(f64::to_bits)
            );
        }

        /// The short decimals read from their shape are what the general plain reading and
        /// Ruby make of them, and every text of those shapes is read so.
        #[test]
        fn short_decimals_read_as_plain_decimals(text in "[0-9.x ]{0,6}") {
            let bytes = text.as_bytes();
            let plain = plain_decimal(bytes).and_then(|(digits, scale)| exact_decimal(digits, scale));
            let short = short_decimal(bytes);
            let shape: Vec<bool> = bytes.iter().map(u8::is_ascii_digit).collect();
            let shaped = matches!(
                (bytes, &shape[..]),
                (_, [true] | [true, true] | [true, true, true])
                    | ([_, b'.', _], [true, false, true])
                    | ([_, b'.', _, _], [true, false, true, true])
                    | ([_, _, b'.', _, _], [true, true, false, true, true])
            );
            proptest::prop_assert_eq!(short.is_some(), shaped);
            if let Some(value) = short {
                proptest::prop_assert_eq!(Some(value.to_bits()), plain.map(f64::to_bits));
                let ruby = parse_number(&text, &NumberFormat::en()).map(f64::to_bits);
                proptest::prop_assert_eq!(Some(value.to_bits()), ruby);
            }
        }

        /// What OL100 relies on to skip a row: when the facts say its numbers are plain, no
        /// number cell holds the account's thousands delimiter.
        #[test]
        fn plain_numbers_hold_no_thousands_delimiter(
            locale in proptest::sample::select(NumberFormat::known_locales().collect::<Vec<_>>()),
            mastery in "[0-9., \u{a0}']{0,5}",
            points in proptest::collection::vec("[0-9., \u{a0}']{0,5}", 0..4),
            quote: bool,
        ) {
            let format = NumberFormat::for_locale(locale).unwrap_or_else(NumberFormat::en);
            let cell = |text: &str| if quote { format!("\"{text}\"") } else { text.to_owned() };
            let ratings: Vec<String> = points.iter().map(|p| format!("{},Tier", cell(p))).collect();
            let file = format!(
                "vendor_guid,object_type,title,mastery_points,ratings\na,outcome,A,{},{}\n",
                cell(&mastery),
                ratings.join(",")
            );
            let (record, columns, facts) = facts_of(&file, &format);
            let view = RowView { record: &record, columns: &columns };
            // Mastery points, read from their bytes when plain, are what their text reads.
            let mastery = match view.present(Field::MasteryPoints).map(|text| read_number(text, &format)) {
                None => Mastery::Absent,
                Some(Some(points)) => Mastery::Points(points),
                Some(None) => Mastery::Invalid,
            };
            proptest::prop_assert_eq!(facts.mastery, mastery);
            if facts.plain_numbers {
                let mut numbers = vec![columns.column(Field::MasteryPoints).unwrap_or_default()];
                numbers.extend((view.ratings_start()..record.len()).step_by(2));
                for index in numbers {
                    let value = String::from_utf8_lossy(record.get(index).unwrap_or_default()).into_owned();
                    proptest::prop_assert!(
                        format.thousands_delimiter.is_empty() || !value.contains(&format.thousands_delimiter),
                        "{value:?} in {file:?} under {locale}"
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_are_plain_only_when_every_one_is_a_plain_decimal() {
        let plain = |row: &str, format: &NumberFormat| {
            let file = format!("vendor_guid,object_type,title,mastery_points,ratings\n{row}\n");
            facts_of(&file, format).2.plain_numbers
        };
        let en = NumberFormat::en();
        assert!(plain("a,outcome,A,3,4,Exceeds,2.5,Meets,0,", &en));
        assert!(plain("a,outcome,A,,4,Exceeds", &en));
        assert!(!plain("a,outcome,A,3,\"1,5\",Exceeds", &en));
        assert!(!plain("a,outcome,A,\"1,5\",4,Exceeds", &en));
        assert!(!plain("a,outcome,A, ,4,Exceeds", &en));
        assert!(!plain("a,outcome,A,3,,Exceeds", &en), "missing points: Canvas rejects the tiers");
        let de = NumberFormat::for_locale("de").expect("de is known");
        assert!(!plain("a,outcome,A,3,2.5,Exceeds", &de), "`.` groups thousands in de");
    }
}
