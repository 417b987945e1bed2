//! A deterministic generator of Outcomes CSV files for the differential test.
//!
//! Every file is a pure function of its own `u64` seed (splitmix64, no external crates), so a
//! mismatch found in a run of ten thousand files can be regenerated alone. The seed decides the
//! account options too.
//!
//! Files come in a few shapes: mostly *structured* files (a header, then groups and outcomes
//! that reference each other, with values that are right most of the time and wrong in every
//! way the reference names some of the time), *large* files of 1000–3000 records with failures
//! planted around the batch boundaries, *tiny* special files (empty, BOM only, header only...)
//! and *junk* (random bytes over CSV's significant characters). Any of them may then get a few
//! byte-level mutations, so the corpus covers combinations nobody thought of.

use outcomes_rules::{CanvasOptions, NumberFormat};

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The splitmix64 finaliser.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of file `index` of a run with base seed `base`.
pub fn derive_seed(base: u64, index: u64) -> u64 {
    mix(base ^ mix(index.wrapping_add(1).wrapping_mul(GOLDEN)))
}

/// A small, fast, deterministic PRNG (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "below(0)");
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with the given probability, in percent.
    pub fn chance(&mut self, percent: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) * 100.0 < percent
    }

    /// One of `items`.
    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// An index chosen with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// The account settings a file is checked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OptionSet {
    /// Feature off, locale `en` (`.` and `,`).
    Default,
    /// "New decaying average" on, locale `en`.
    NewDecayingAverage,
    /// Feature off, locale `fr` (decimal `,`, thousands delimiter a space).
    French,
    /// Both.
    FrenchNewDecayingAverage,
}

impl OptionSet {
    /// Every option set.
    pub const ALL: [OptionSet; 4] =
        [OptionSet::Default, OptionSet::NewDecayingAverage, OptionSet::French, OptionSet::FrenchNewDecayingAverage];

    /// A short name, used in file names and reports.
    pub fn name(self) -> &'static str {
        match self {
            OptionSet::Default => "default",
            OptionSet::NewDecayingAverage => "nda",
            OptionSet::French => "fr",
            OptionSet::FrenchNewDecayingAverage => "fr-nda",
        }
    }

    fn french(self) -> bool {
        matches!(self, OptionSet::French | OptionSet::FrenchNewDecayingAverage)
    }

    fn new_decaying_average(self) -> bool {
        matches!(self, OptionSet::NewDecayingAverage | OptionSet::FrenchNewDecayingAverage)
    }

    /// The options for our checker.
    pub fn canvas_options(self) -> CanvasOptions {
        let number_format = if self.french() {
            NumberFormat { decimal_separator: ",".into(), thousands_delimiter: " ".into() }
        } else {
            NumberFormat { decimal_separator: ".".into(), thousands_delimiter: ",".into() }
        };
        CanvasOptions { new_decaying_average: self.new_decaying_average(), number_format }
    }

    /// The same options as command-line arguments (identical for the oracle and our binary).
    pub fn args(self) -> Vec<&'static str> {
        let mut args = Vec::new();
        if self.new_decaying_average() {
            args.push("--new-decaying-average");
        }
        if self.french() {
            args.extend(["--decimal-separator", ",", "--thousands-delimiter", " "]);
        }
        args
    }

    /// The arguments quoted for a shell command line.
    pub fn shell_args(self) -> String {
        self.args()
            .iter()
            .map(|a| if *a == " " { "' '".to_string() } else { a.to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    /// The seed it was generated from.
    pub seed: u64,
    /// The account options to check it with.
    pub options: OptionSet,
    /// What kind of file it is (`structured`, `large`, `tiny`, `junk`) and the mutations applied.
    pub shape: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// Generates the file of `seed`.
pub fn generate(seed: u64) -> GeneratedFile {
    let mut rng = Rng::new(seed);
    let options = match rng.weighted(&[65, 15, 15, 5]) {
        0 => OptionSet::Default,
        1 => OptionSet::NewDecayingAverage,
        2 => OptionSet::French,
        _ => OptionSet::FrenchNewDecayingAverage,
    };
    let (mut shape, mut bytes, mutation_chance) = match rng.weighted(&[82, 6, 6, 6]) {
        0 => ("structured".to_string(), Gen::new(&mut rng, options, false).file(), 15.0),
        1 => ("large".to_string(), Gen::new(&mut rng, options, true).file(), 10.0),
        2 => ("tiny".to_string(), tiny(&mut rng), 30.0),
        _ => ("junk".to_string(), junk(&mut rng), 50.0),
    };
    if rng.chance(mutation_chance) {
        let n = rng.range(1, 3);
        for _ in 0..n {
            let name = mutate(&mut rng, &mut bytes);
            shape.push('+');
            shape.push_str(name);
        }
    }
    GeneratedFile { seed, options, shape, bytes }
}

// ---------------------------------------------------------------------------------------------
// Cells, lines and how they are written.

/// A cell as it will be written.
#[derive(Debug, Clone)]
enum Cell {
    /// Nothing between the separators: Ruby's `nil`.
    Absent,
    /// A value, quoted when it has to be (or by chance); an empty value is written `""`.
    Text(Vec<u8>),
    /// A value that is always quoted.
    Quoted(Vec<u8>),
    /// Bytes written as they are, quotes and all (to break the syntax on purpose).
    Raw(Vec<u8>),
}

fn text(s: &str) -> Cell {
    Cell::Text(s.as_bytes().to_vec())
}

impl Cell {
    fn value(&self) -> Option<&[u8]> {
        match self {
            Cell::Absent => None,
            Cell::Text(v) | Cell::Quoted(v) | Cell::Raw(v) => Some(v),
        }
    }
}

/// A record as it will be written.
#[derive(Debug, Clone)]
enum Body {
    Cells(Vec<Cell>),
    /// A whole line written as is (blank or whitespace lines, broken lines).
    Raw(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Line {
    body: Body,
    /// A terminator other than the file's, to mix line endings on purpose.
    terminator: Option<&'static [u8]>,
}

impl Line {
    fn cells(cells: Vec<Cell>) -> Line {
        Line { body: Body::Cells(cells), terminator: None }
    }

    fn raw(bytes: &[u8]) -> Line {
        Line { body: Body::Raw(bytes.to_vec()), terminator: None }
    }
}

struct Writer {
    separator: u8,
    quote_chance: f64,
}

impl Writer {
    fn cell(&self, rng: &mut Rng, cell: &Cell, out: &mut Vec<u8>) {
        match cell {
            Cell::Absent => {}
            Cell::Raw(v) => out.extend_from_slice(v),
            Cell::Text(v) | Cell::Quoted(v) => {
                let must =
                    v.is_empty() || v.iter().any(|&b| b == self.separator || b == b'"' || b == b'\r' || b == b'\n');
                if must || matches!(cell, Cell::Quoted(_)) || rng.chance(self.quote_chance) {
                    out.push(b'"');
                    for &b in v {
                        if b == b'"' {
                            out.push(b'"');
                        }
                        out.push(b);
                    }
                    out.push(b'"');
                } else {
                    out.extend_from_slice(v);
                }
            }
        }
    }

    fn body(&self, rng: &mut Rng, body: &Body, out: &mut Vec<u8>) {
        match body {
            Body::Raw(v) => out.extend_from_slice(v),
            Body::Cells(cells) => {
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        out.push(self.separator);
                    }
                    self.cell(rng, c, out);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Value pools.

const REQUIRED: [&str; 3] = ["title", "vendor_guid", "object_type"];
#[rustfmt::skip]
const OPTIONAL: [&str; 10] = [
    "canvas_id", "course_id", "description", "friendly_description", "display_name", "parent_guids",
    "calculation_method", "calculation_int", "mastery_points", "workflow_state",
];
#[rustfmt::skip]
const UNKNOWN_HEADERS: [&str; 10] = [
    "spanish_inquisition", "Title", "title ", " vendor_guid", "OBJECT_TYPE", "parent_guid", "rating",
    "ratings ", "Ratings", "#{x}",
];
#[rustfmt::skip]
const METHODS: [&str; 7] = [
    "decaying_average", "weighted_average", "standard_decaying_average", "n_mastery", "highest", "latest",
    "average",
];
#[rustfmt::skip]
const BAD_METHODS: [&str; 7] = [
    "median", "Highest", " latest", "decaying average", "n_mastery ", "mode", "#{x}",
];
#[rustfmt::skip]
const INTS: [&str; 30] = [
    "0", "1", "5", "10", "11", "49", "50", "65", "99", "100", "-1", "abc", "3.7", " 7", "1e2", "65abc",
    "0x10", "+5", "  ", "\u{3000}", "99999999999999999999", "-0", "\u{663}", "1_0", "1__0", "_10", "\t8",
    "\n9", "5\u{a0}", "0b11",
];
/// Numbers that are valid in both locales the generator uses, descending.
const GOOD_POINTS_EN: [&str; 12] = ["100", "10", "5", "4.5", "4", "3", "2.5", "2", "1", "0.5", "0", "-1"];
const GOOD_POINTS_FR: [&str; 12] = ["1 000", "10", "5", "4,5", "4", "3", "2,5", "2", "1", "0,5", "0", "-1"];
/// Numbers and not-numbers for Ruby's `Float()` after the locale's substitutions.
#[rustfmt::skip]
const TRICKY_NUMBERS: [&str; 62] = [
    "1,5", "1.", ".5", "+.5", "-.5", "0x1A", "0X1a", "0x1.8p1", "0x", "0x_1", "0x1_0", "1_000", "1__000",
    "_1", "1_", "1e3", "1E3", "1e", "1e_3", "1.e5", "1.5e+3", "abc", "", " ", "\u{a0}", "\u{3000}", " 4 ",
    "\t3\n", "inf", "Infinity", "NaN", "\u{ff11}", "\u{663}", "1.2.3", "--1", "1 2", "1\u{a0}000", "0b101",
    "0o17", "1e400", "-1e400", "1e-400", " 0012,34.5678 ", "1,000.5", "1 000,5", "0.1",
    "0.30000000000000004", "1e15", "1e16", "123456789012345680", "0.0001", "0.00001", "1e22", "1e23",
    "9007199254740993", "5e-324", "1.7976931348623157e308", "-0", "3\0", "1,5,0", "12345.678", "2,5",
];
/// Characters whose `String#inspect` is interesting.
#[rustfmt::skip]
const INSPECT_PIECES: [&str; 34] = [
    "a", "Z", "0", " ", "\"", "\\", "#", "#{", "#$", "#@", "#a", "\n", "\t", "\r", "\x0c", "\x0b", "\x08",
    "\x07", "\x1b", "\x01", "\x7f", "\u{85}", "\u{a0}", "\u{ad}", "\u{200b}", "\u{2028}", "\u{feff}",
    "\u{e000}", "\u{10ffff}", "\u{fffe}", "\u{301}", "\u{1f600}", "é", "中",
];
#[rustfmt::skip]
const INVALID_UTF8: [&[u8]; 8] = [
    b"\xFF", b"\xC3", b"\xE2\x80", b"\xED\xA0\x80", b"\xF4\x90\x80\x80", b"\xC0\x80", b"\x80",
    b"\xF0\x9F\x98",
];
/// Whitespace for "blank" rows: all of it is `[[:space:]]` for Ruby (Unicode `White_Space`).
#[rustfmt::skip]
const WHITESPACE: [&str; 17] = [
    " ", "  ", "\t", "\u{a0}", "\u{3000}", "\u{85}", "\u{2028}", "\u{2029}", "\u{1680}", "\u{2000}",
    "\u{200a}", "\u{202f}", "\u{205f}", "\x0b", "\x0c", " \u{a0}\t", "\r\n",
];
/// Characters that look blank but are not Unicode whitespace.
const NOT_WHITESPACE: [&str; 7] = ["\u{200b}", "\u{feff}", "\u{180e}", "\x1c", "\x1f", "\0", "\u{2060}"];
const MULTIBYTE: [&str; 6] = ["é", "中", "😀", "e\u{301}", "\u{a0}", "ß"];

fn bytes_of(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// A string of exactly `chars` Unicode scalar values, mixing ASCII and multibyte characters so
/// that counting bytes instead of characters gives a different answer.
fn long_text(rng: &mut Rng, chars: usize, multibyte_percent: f64) -> Vec<u8> {
    if multibyte_percent <= 0.0 {
        return (0..chars).map(|n| b'a' + (n % 26) as u8).collect();
    }
    let mut out = String::with_capacity(chars * 2);
    let mut n = 0;
    while n < chars {
        if rng.chance(multibyte_percent) {
            let piece = rng.pick(&MULTIBYTE);
            let count = piece.chars().count();
            if n + count <= chars {
                out.push_str(piece);
                n += count;
                continue;
            }
        }
        out.push((b'a' + (n % 26) as u8) as char);
        n += 1;
    }
    out.into_bytes()
}

/// A cell that is not valid UTF-8, with pieces around it that `String#inspect` must escape.
fn invalid_utf8_cell(rng: &mut Rng) -> Vec<u8> {
    let mut v = Vec::new();
    let n = rng.range(0, 4);
    let bad_at = rng.range(0, n);
    for i in 0..=n {
        if i == bad_at {
            v.extend_from_slice(rng.pick(&INVALID_UTF8));
        } else if rng.below(3) == 0 {
            v.extend_from_slice(fuzz_char(rng).encode_utf8(&mut [0; 4]).as_bytes());
        } else {
            v.extend_from_slice(rng.pick(&INSPECT_PIECES).as_bytes());
        }
    }
    v
}

/// Random text for Ruby's `Float()`: digits, mostly, and the characters that change its mind.
fn fuzz_number(rng: &mut Rng) -> Vec<u8> {
    const PIECES: [&str; 34] = [
        "0", "1", "2", "5", "9", "0", "1", "7", "3", "8", ".", ".", "_", "e", "E", "+", "-", "x", "X", "p", " ", ",",
        "a", "b", "f", "\t", "\n", "\u{a0}", "0x", "1_0", "e-", "e+", "00", "\u{3000}",
    ];
    let mut v = Vec::new();
    for _ in 0..rng.range(1, 9) {
        v.extend_from_slice(rng.pick(&PIECES).as_bytes());
    }
    v
}

/// A random finite number in a form both Ruby's `Float()` and Rust read the same way, so that
/// the "(2.0 is greater than 1.0)" messages exercise `Float#to_s` on all kinds of values.
fn fuzz_float(rng: &mut Rng) -> Vec<u8> {
    let digits =
        |rng: &mut Rng, n: usize| -> String { (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect() };
    let sign = if rng.below(6) == 0 { "-" } else { "" };
    let text = match rng.below(5) {
        0 => {
            let n = rng.range(1, 20);
            format!("{sign}{}", digits(rng, n))
        }
        1 => {
            let (a, b) = (rng.range(1, 4), rng.range(1, 18));
            format!("{sign}{}.{}", digits(rng, a), digits(rng, b))
        }
        2 => {
            let (a, b) = (rng.range(1, 2), rng.range(0, 17));
            let exp = rng.range(0, 640) as i64 - 330;
            format!("{sign}{}.{}e{exp}", digits(rng, a), digits(rng, b)).replace(".e", ".0e")
        }
        3 => {
            // Values near the switch to scientific notation (1e16 and 1e-4).
            let exp = rng.pick(&[-6i64, -5, -4, -3, 14, 15, 16, 17]);
            let n = rng.range(1, 17);
            format!("{sign}{}e{exp}", digits(rng, n))
        }
        _ => loop {
            let f = f64::from_bits(rng.next_u64());
            if f.is_finite() {
                break format!("{f:e}");
            }
        },
    };
    text.into_bytes()
}

/// Random text for Ruby's `String#to_i`.
fn fuzz_int(rng: &mut Rng) -> Vec<u8> {
    #[rustfmt::skip]
    const PIECES: [&str; 22] = [
        "0", "1", "5", "9", "6", "99", " ", "\t", "\n", "+", "-", "_", "a", "x", ".", "e", "0x", "\u{a0}",
        "\u{3000}", "\u{663}", "12345678901234567890", "\x0b",
    ];
    let mut v = Vec::new();
    for _ in 0..rng.range(1, 6) {
        v.extend_from_slice(rng.pick(&PIECES).as_bytes());
    }
    v
}

/// A random code point from ranges where `String#inspect` is hard to get right: controls, C1,
/// combining marks, format characters, noncharacters, private use, and characters assigned after
/// Unicode 13.0 (Ruby 3.1's version), which Ruby escapes and a newer table would not.
fn fuzz_char(rng: &mut Rng) -> char {
    #[rustfmt::skip]
    const RANGES: [(u32, u32); 22] = [
        (0x00, 0x7F), (0x80, 0x9F), (0xA0, 0xFF), (0x300, 0x36F), (0x370, 0x3FF), (0x600, 0x6FF),
        (0x870, 0x89F), (0x1680, 0x180F), (0x2000, 0x206F), (0x2FF0, 0x3040), (0xD7F0, 0xD7FF),
        (0xE000, 0xE010), (0xFDD0, 0xFDEF), (0xFE00, 0xFE0F), (0xFFF0, 0xFFFF), (0x11F00, 0x11F5F),
        (0x1E290, 0x1E2FF), (0x1E4D0, 0x1E4FF), (0x1F000, 0x1FAFF), (0x30000, 0x323AF), (0xE0000, 0xE01EF),
        (0xF0000, 0x10FFFF),
    ];
    loop {
        let (lo, hi) = rng.pick(&RANGES);
        if let Some(c) = char::from_u32(lo + rng.below((hi - lo + 1) as usize) as u32) {
            return c;
        }
    }
}

fn fuzz_unicode(rng: &mut Rng) -> Vec<u8> {
    let mut s = String::new();
    for _ in 0..rng.range(1, 6) {
        s.push(fuzz_char(rng));
    }
    s.into_bytes()
}

fn inspect_text(rng: &mut Rng) -> Vec<u8> {
    if rng.below(3) == 0 {
        return fuzz_unicode(rng);
    }
    let mut v = Vec::new();
    for _ in 0..rng.range(1, 5) {
        v.extend_from_slice(rng.pick(&INSPECT_PIECES).as_bytes());
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Structured files.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    VendorGuid,
    ObjectType,
    CanvasId,
    CourseId,
    Description,
    FriendlyDescription,
    DisplayName,
    ParentGuids,
    CalculationMethod,
    CalculationInt,
    MasteryPoints,
    WorkflowState,
    Unknown,
}

fn field_of(name: &[u8]) -> Field {
    match name {
        b"title" => Field::Title,
        b"vendor_guid" => Field::VendorGuid,
        b"object_type" => Field::ObjectType,
        b"canvas_id" => Field::CanvasId,
        b"course_id" => Field::CourseId,
        b"description" => Field::Description,
        b"friendly_description" => Field::FriendlyDescription,
        b"display_name" => Field::DisplayName,
        b"parent_guids" => Field::ParentGuids,
        b"calculation_method" => Field::CalculationMethod,
        b"calculation_int" => Field::CalculationInt,
        b"mastery_points" => Field::MasteryPoints,
        b"workflow_state" => Field::WorkflowState,
        _ => Field::Unknown,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Group,
    Outcome,
}

struct GroupInfo {
    guid: Vec<u8>,
    course: Option<Vec<u8>>,
}

struct Gen<'r> {
    rng: &'r mut Rng,
    options: OptionSet,
    large: bool,
    /// Base chance (percent) that a value is wrong.
    mess: f64,
    /// Chance in effect for the row being generated.
    row_mess: f64,
    tiers: usize,
    next_id: usize,
    groups: Vec<GroupInfo>,
    outcomes: Vec<Vec<u8>>,
    long_description_left: usize,
    /// Whether "blank" rows may hold characters that only look blank (and so crash the import
    /// as short rows): rare in large files, where one such row would fail every one of them.
    lookalike_blanks: bool,
}

impl<'r> Gen<'r> {
    fn new(rng: &'r mut Rng, options: OptionSet, large: bool) -> Gen<'r> {
        let mess =
            if large { rng.pick(&[0.0, 0.3, 1.0, 3.0]) } else { rng.pick(&[0.0, 0.0, 2.0, 5.0, 10.0, 20.0, 40.0]) };
        let tiers = rng.pick(&[0, 0, 1, 2, 3, 3, 4, 5]);
        let rng_lookalikes = rng.chance(if large { 3.0 } else { 40.0 });
        Gen {
            rng,
            options,
            large,
            mess,
            row_mess: mess,
            tiers,
            next_id: 1,
            groups: Vec::new(),
            outcomes: Vec::new(),
            long_description_left: 1,
            lookalike_blanks: rng_lookalikes,
        }
    }

    fn bad(&mut self) -> bool {
        let m = self.row_mess;
        self.rng.chance(m)
    }

    fn file(mut self) -> Vec<u8> {
        let separator = if self.rng.chance(15.0) { b';' } else { b',' };
        let writer = Writer { separator, quote_chance: self.rng.pick(&[0.0, 5.0, 30.0, 100.0]) };
        let terminator: &'static [u8] = match self.rng.weighted(&[50, 35, 15]) {
            0 => b"\n",
            1 => b"\r\n",
            _ => b"\r",
        };
        let (header, fields, main_len) = self.header();
        let rows = if self.large {
            self.rng.range(999, 3000)
        } else if self.rng.chance(2.0) {
            0
        } else {
            self.rng.pick(&[1, 2, 3, 5, 8, 12, 20, 40])
        };
        let short_row_at =
            if self.rng.chance(if self.large { 15.0 } else { 4.0 }) { Some(self.boundary_row(rows)) } else { None };
        let mut lines = vec![Line::cells(header)];
        for r in 0..rows {
            let record = r as u64 + 2;
            self.row_mess = self.mess;
            if self.large && [999, 1000, 1001, 1999, 2000, 2001].iter().any(|b| record.abs_diff(*b) <= 3) {
                self.row_mess = self.mess.max(30.0);
            }
            let line =
                if short_row_at == Some(record) { self.short_row(main_len) } else { self.data_row(&fields, main_len) };
            lines.push(line);
        }
        // Planted syntax errors, around the batch boundaries in large files.
        let plants = if self.large {
            self.rng.pick(&[0, 0, 1, 1, 2])
        } else if self.rng.chance(5.0) {
            1
        } else {
            0
        };
        for _ in 0..plants {
            if lines.len() < 2 {
                break;
            }
            let record = self.boundary_row(lines.len() - 1).min(lines.len() as u64);
            let index = (record - 1) as usize;
            self.plant_syntax_error(&mut lines[index], separator, terminator);
        }
        if self.rng.chance(3.0) && lines.len() > 1 {
            // A line ending that differs from the file's.
            let index = self.rng.range(0, lines.len() - 1);
            let other: &'static [u8] = self.rng.pick(&[&b"\n"[..], b"\r\n", b"\r"]);
            lines[index].terminator = Some(other);
        }
        let mut out = Vec::new();
        if self.rng.chance(12.0) {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        let trailing = self.rng.chance(80.0);
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            writer.body(self.rng, &line.body, &mut out);
            if i < last || trailing {
                out.extend_from_slice(line.terminator.unwrap_or(terminator));
            }
        }
        if self.rng.chance(2.0) {
            out.extend_from_slice(terminator);
            out.extend_from_slice(terminator);
        }
        if !out.contains(&b'\n') && self.rng.chance(20.0) {
            // The whole file is the "first line": separators anywhere in it decide the sniffing.
            // Add a record that makes the other separator as frequent, or one more.
            let (mine, other) = if separator == b',' { (b',', b';') } else { (b';', b',') };
            let count = |b: u8| out.iter().filter(|&&x| x == b).count();
            let (have_mine, have_other) = (count(mine), count(other));
            let k = (have_mine + self.rng.pick(&[0, 0, 1])).saturating_sub(have_other).max(1);
            if !out.ends_with(terminator) {
                out.extend_from_slice(terminator);
            }
            out.push(b'"');
            out.resize(out.len() + k, other);
            out.push(b'"');
            out.extend_from_slice(terminator);
        }
        out
    }

    /// A record number near a batch boundary (or anywhere), at most `rows + 1`.
    fn boundary_row(&mut self, rows: usize) -> u64 {
        let last = rows as u64 + 1;
        let early = if self.large { self.rng.range(900, 1100) } else { self.rng.range(2, 12) };
        let candidates = [
            early as u64,
            self.rng.range(995, 1005) as u64,
            self.rng.range(1995, 2005) as u64,
            self.rng.range(2, rows.max(2) + 1) as u64,
        ];
        let pick = self.rng.pick(&candidates);
        pick.clamp(2, last.max(2))
    }

    fn header(&mut self) -> (Vec<Cell>, Vec<Field>, usize) {
        let mut names: Vec<Vec<u8>> = REQUIRED.iter().map(|s| bytes_of(s)).collect();
        let all_optional = self.rng.chance(25.0);
        for o in OPTIONAL {
            if all_optional || self.rng.chance(45.0) {
                names.push(bytes_of(o));
            }
        }
        if self.rng.chance(70.0) {
            self.rng.shuffle(&mut names);
        }
        let mut cells: Vec<Cell> = names.into_iter().map(Cell::Text).collect();
        // Header faults; each makes the import fail (or crash).
        if self.rng.chance(3.0) {
            let n = self.rng.range(1, 3);
            for _ in 0..n {
                let victim = self.rng.pick(&REQUIRED);
                cells.retain(|c| c.value() != Some(victim.as_bytes()));
            }
        }
        if self.rng.chance(3.0) {
            let name = self.rng.pick(&UNKNOWN_HEADERS);
            let at = self.rng.range(0, cells.len());
            cells.insert(at, text(name));
        }
        if self.rng.chance(4.0) && !cells.is_empty() {
            let dup = cells[self.rng.below(cells.len())].clone();
            let at = self.rng.range(0, cells.len());
            cells.insert(at, dup);
        }
        if self.rng.chance(1.0) {
            let at = self.rng.range(0, cells.len());
            cells.insert(at, Cell::Absent);
        }
        if self.rng.chance(2.0) {
            let at = self.rng.range(0, cells.len());
            cells.insert(at, Cell::Quoted(Vec::new()));
        }
        if self.rng.chance(2.0) {
            let name: &[u8] = self.rng.pick(&[
                &b"t\xC3\xAFtle"[..],
                b"title\xFF",
                b"\xEF\xBB\xBFtitle",
                b"\xE2\x80\x8Btitle",
                b"vendor_guid\xC3",
                b"#{title}",
                b"ti\"tle",
                b"ti\\tle",
                b"title\x01",
            ]);
            if self.rng.chance(50.0) {
                let i = self.rng.below(cells.len().max(1)).min(cells.len().saturating_sub(1));
                if !cells.is_empty() {
                    cells[i] = Cell::Text(name.to_vec());
                }
            } else {
                let at = self.rng.range(0, cells.len());
                cells.insert(at, Cell::Text(name.to_vec()));
            }
        }
        if self.rng.chance(1.0) {
            // A header cell with a line break in it.
            let at = self.rng.range(0, cells.len());
            let name = self.rng.pick(&["title\n", "x\r\ny", "\r", "a\nb"]);
            cells.insert(at, Cell::Quoted(bytes_of(name)));
        }
        let ratings_in_header = self.rng.chance(if self.tiers > 0 { 60.0 } else { 20.0 });
        if ratings_in_header {
            if self.rng.chance(1.5) && !cells.is_empty() {
                // `ratings` in the middle: what follows is "after ratings".
                let at = self.rng.range(0, cells.len() - 1);
                cells.insert(at, text("ratings"));
            } else {
                cells.push(text("ratings"));
            }
            if self.rng.chance(50.0) {
                for _ in 0..(self.tiers * 2).saturating_sub(1) {
                    cells.push(Cell::Absent);
                }
            }
            if self.rng.chance(4.0) {
                let after: Vec<Cell> = match self.rng.below(9) {
                    0 => vec![text("vendor_guid"), text("blagh")],
                    1 => vec![text("ratings")],
                    2 => vec![text(" ")],
                    3 => vec![Cell::Quoted(Vec::new())],
                    4 => vec![text("\u{a0}")],
                    5 => vec![text("\u{3000}"), Cell::Absent],
                    6 => vec![Cell::Text(b"r\xFF".to_vec())],
                    7 => vec![Cell::Text(
                        self.rng.pick(&[&b"\x85"[..], b"\x0b", b"\x0c \t", b"\xC2\x85", b"\xE2\x80\xA8"]).to_vec(),
                    )],
                    _ => vec![Cell::Absent, text("points"), Cell::Absent],
                };
                cells.extend(after);
            }
        }
        if self.rng.chance(1.0) {
            // Trailing empty header cells (Excel's trailing commas).
            for _ in 0..self.rng.range(1, 3) {
                cells.push(Cell::Absent);
            }
        }
        if self.rng.chance(3.0) {
            self.sniff_bait(&mut cells);
        }
        let main_len = cells
            .iter()
            .position(|c| matches!(c, Cell::Text(v) | Cell::Quoted(v) if v == b"ratings"))
            .unwrap_or(cells.len());
        let fields = cells[..main_len].iter().map(|c| c.value().map_or(Field::Unknown, field_of)).collect();
        (cells, fields, main_len)
    }

    /// Adds a quoted header cell full of the other separator, so the first line holds as many or
    /// one more `;` than `,` (or the reverse) and the sniffing decides the whole file.
    fn sniff_bait(&mut self, cells: &mut Vec<Cell>) {
        // Count the separators the header would have with `,` and with `;` written between cells
        // plus the ones inside names; only the difference matters, so use a simple estimate.
        let inner_commas: usize =
            cells.iter().filter_map(|c| c.value()).map(|v| v.iter().filter(|&&b| b == b',').count()).sum();
        let inner_semis: usize =
            cells.iter().filter_map(|c| c.value()).map(|v| v.iter().filter(|&&b| b == b';').count()).sum();
        let between = cells.len(); // separators once the bait cell is added
        let (ch, base) =
            if self.rng.chance(50.0) { (b';', between + inner_commas) } else { (b',', between + inner_semis) };
        let have = if ch == b';' { inner_semis } else { inner_commas };
        let target = base + self.rng.pick(&[0usize, 0, 1, 2]);
        let k = target.saturating_sub(have).max(1);
        let mut v = b"x".to_vec();
        v.resize(v.len() + k, ch);
        let at = self.rng.range(0, cells.len());
        cells.insert(at, Cell::Quoted(v));
    }

    fn short_row(&mut self, main_len: usize) -> Line {
        let n = if main_len == 0 { 0 } else { self.rng.range(1, main_len.max(2) - 1) };
        let mut cells: Vec<Cell> = (0..n).map(|i| Cell::Text(format!("s{i}").into_bytes())).collect();
        if cells.is_empty() {
            cells.push(text("x"));
        }
        Line::cells(cells)
    }

    fn blank_row(&mut self, main_len: usize) -> Line {
        match self.rng.below(7) {
            0 => Line::raw(b""),
            1 => Line::cells(vec![Cell::Absent; self.rng.range(2, main_len.max(2) + 3)]),
            2 => {
                let n = self.rng.range(1, main_len.max(1) + 2);
                let cells = (0..n)
                    .map(|_| match self.rng.below(4) {
                        0 => Cell::Absent,
                        1 => Cell::Quoted(Vec::new()),
                        _ => text(self.rng.pick(&WHITESPACE)),
                    })
                    .collect();
                Line::cells(cells)
            }
            3 if self.lookalike_blanks && self.rng.chance(20.0) => {
                Line::cells(vec![text(self.rng.pick(&NOT_WHITESPACE))])
            }
            3 => Line::cells(vec![text(self.rng.pick(&WHITESPACE))]),
            4 => Line::raw(b"\"\""),
            5 => {
                // Whitespace everywhere but one cell that is not valid UTF-8.
                let n = self.rng.range(1, main_len.max(1) + 1);
                let bad = self.rng.below(n);
                let cells = (0..n)
                    .map(|i| if i == bad { Cell::Text(invalid_utf8_cell(self.rng)) } else { text(" ") })
                    .collect();
                Line::cells(cells)
            }
            _ => Line::cells(vec![Cell::Absent; main_len.max(1)]),
        }
    }

    fn data_row(&mut self, fields: &[Field], main_len: usize) -> Line {
        if self.rng.chance(5.0) {
            return self.blank_row(main_len);
        }
        let kind = if (self.groups.is_empty() && self.rng.chance(70.0)) || self.rng.chance(30.0) {
            Kind::Group
        } else {
            Kind::Outcome
        };
        let guid = self.guid(kind);
        let course = if kind == Kind::Group && self.rng.chance(10.0) {
            Some(bytes_of(self.rng.pick(&["1", "2", "2", " 3"])))
        } else if kind == Kind::Outcome && self.bad() {
            Some(bytes_of(self.rng.pick(&["1", " ", "x"])))
        } else {
            None
        };
        let mut cells = Vec::with_capacity(fields.len() + self.tiers * 2);
        for &field in fields {
            let cell = match field {
                Field::Title => self.title(),
                Field::VendorGuid => Cell::Text(guid.clone()),
                Field::ObjectType => self.object_type(kind),
                Field::CanvasId => match self.rng.below(10) {
                    0 => text("123"),
                    1 => text("abc"),
                    2 => Cell::Quoted(Vec::new()),
                    _ => Cell::Absent,
                },
                Field::CourseId => course.clone().map_or(Cell::Absent, Cell::Text),
                Field::Description => self.description(),
                Field::FriendlyDescription => self.limited_text(255, 4.0),
                Field::DisplayName => self.limited_text(255, 4.0),
                Field::ParentGuids => self.parent_guids(kind, course.as_deref()),
                Field::CalculationMethod => self.calculation_method(kind),
                Field::CalculationInt => self.calculation_int(kind),
                Field::MasteryPoints => self.mastery_points(),
                Field::WorkflowState => self.workflow_state(),
                Field::Unknown => {
                    if self.rng.chance(50.0) {
                        Cell::Absent
                    } else {
                        text("junk")
                    }
                }
            };
            cells.push(cell);
        }
        if self.bad() {
            // A cell that is not valid UTF-8 anywhere in the row.
            if !cells.is_empty() {
                let at = self.rng.below(cells.len());
                cells[at] = Cell::Text(invalid_utf8_cell(self.rng));
            }
        }
        if self.bad() && !cells.is_empty() {
            let at = self.rng.below(cells.len());
            let mut v = cells[at].value().map(<[u8]>::to_vec).unwrap_or_default();
            v.insert(self.rng.range(0, v.len()), 0);
            cells[at] = Cell::Text(v);
        }
        debug_assert_eq!(cells.len(), main_len);
        self.ratings(kind, &mut cells);
        self.remember(kind, guid, course);
        Line::cells(cells)
    }

    fn remember(&mut self, kind: Kind, guid: Vec<u8>, course: Option<Vec<u8>>) {
        match kind {
            Kind::Group => self.groups.push(GroupInfo { guid, course }),
            Kind::Outcome => self.outcomes.push(guid),
        }
    }

    fn some_group(&mut self) -> Option<Vec<u8>> {
        (!self.groups.is_empty()).then(|| self.groups[self.rng.below(self.groups.len())].guid.clone())
    }

    fn some_outcome(&mut self) -> Option<Vec<u8>> {
        (!self.outcomes.is_empty()).then(|| self.outcomes[self.rng.below(self.outcomes.len())].clone())
    }

    /// A group a parent reference can name: for a group, one in the same context (account or
    /// course); for an outcome, any. Mostly a recent one, as real files nest locally.
    fn group_in(&mut self, kind: Kind, course: Option<&[u8]>) -> Option<Vec<u8>> {
        for _ in 0..12 {
            let n = self.groups.len();
            if n == 0 {
                return None;
            }
            let i = if self.rng.chance(70.0) { n - 1 - self.rng.below(n.min(8)) } else { self.rng.below(n) };
            let g = &self.groups[i];
            if kind == Kind::Outcome || g.course.as_deref() == course {
                return Some(g.guid.clone());
            }
        }
        None
    }

    fn fresh_guid(&mut self, kind: Kind) -> Vec<u8> {
        let n = self.next_id;
        self.next_id += 1;
        let prefix = match (kind, self.rng.below(12)) {
            (_, 0) => "Ö-",
            (_, 1) => "canvas_outcome:",
            (_, 2) => "canvas_outcome_group:",
            (_, 3) => "#{",
            (_, 4) => "a\"b",
            (_, 5) => "nb\u{a0}sp",
            (Kind::Group, _) => "g",
            (Kind::Outcome, _) => "o",
        };
        format!("{prefix}{n}").into_bytes()
    }

    fn guid(&mut self, kind: Kind) -> Vec<u8> {
        if !self.bad() {
            return self.fresh_guid(kind);
        }
        match self.rng.below(14) {
            0 => Vec::new(),
            1 => bytes_of(self.rng.pick(&WHITESPACE)),
            2 => bytes_of(self.rng.pick(&[
                "has space",
                "tab\there",
                "ff\x0cx",
                "vt\x0bx",
                "nl\nx",
                "cr\rx",
                " lead",
                "trail ",
            ])),
            3 => {
                let chars = self.rng.pick(&[254, 255, 256, 300]);
                long_text(self.rng, chars, 0.0)
            }
            4 => {
                let chars = self.rng.pick(&[200, 255, 256]);
                long_text(self.rng, chars, 40.0)
            }
            5..=7 => {
                // A duplicate, of the same kind or the other.
                let groups = self.rng.chance(70.0) == (kind == Kind::Group);
                let found = if groups { self.some_group() } else { self.some_outcome() };
                found.unwrap_or_else(|| self.fresh_guid(kind))
            }
            8 => {
                let mut g = self.fresh_guid(kind);
                g.push(0);
                g
            }
            9 => {
                let mut g = self.fresh_guid(kind);
                g.extend_from_slice(self.rng.pick(&INVALID_UTF8));
                g
            }
            10 => inspect_text(self.rng),
            _ => {
                let mut g = self.fresh_guid(kind);
                g.extend_from_slice(self.rng.pick(&INSPECT_PIECES).as_bytes());
                g
            }
        }
    }

    fn title(&mut self) -> Cell {
        if !self.bad() {
            let n = self.next_id;
            return Cell::Text(
                self.rng
                    .pick(&["Reading", "Fractions, decimals", "Say \"hi\"", "Résumé", "Line\nbreak", "a;b"])
                    .as_bytes()
                    .to_vec(),
            )
            .with_suffix(format!(" {n}").as_bytes());
        }
        match self.rng.below(6) {
            0 => Cell::Absent,
            1 => Cell::Quoted(Vec::new()),
            2 => text(self.rng.pick(&WHITESPACE)),
            _ => {
                let chars = self.rng.pick(&[254, 255, 256, 260]);
                let multi = self.rng.pick(&[0.0, 30.0, 90.0]);
                Cell::Text(long_text(self.rng, chars, multi))
            }
        }
    }

    fn limited_text(&mut self, limit: usize, chance: f64) -> Cell {
        if self.rng.chance(chance) || self.bad() {
            let chars = self.rng.pick(&[limit - 1, limit, limit + 1, limit / 2 + 10]);
            let multi = self.rng.pick(&[0.0, 50.0, 100.0]);
            return Cell::Text(long_text(self.rng, chars, multi));
        }
        match self.rng.below(5) {
            0 => Cell::Absent,
            1 => text(self.rng.pick(&WHITESPACE)),
            _ => text(self.rng.pick(&["Friendly", "Nom affiché", "a,b;c", "multi\r\nline", "x\"y"])),
        }
    }

    fn description(&mut self) -> Cell {
        if self.long_description_left > 0 && self.rng.chance(if self.large { 0.05 } else { 1.0 }) {
            self.long_description_left -= 1;
            let chars = self.rng.pick(&[65_534, 65_535, 65_536, 40_000]);
            let multi = self.rng.pick(&[0.0, 5.0, 60.0]);
            let mut v = long_text(self.rng, chars, multi);
            if self.rng.chance(30.0) && v.len() > 10 {
                // Line breaks inside the quoted description count as characters.
                v[3] = b'\r';
                v[4] = b'\n';
                v[7] = b'\n';
            }
            return Cell::Text(v);
        }
        match self.rng.below(8) {
            0 => Cell::Absent,
            1 => Cell::Quoted(Vec::new()),
            2 => text("<p>Students can <b>read</b></p>"),
            3 => text("Uses \"quotes\", commas; and semicolons"),
            4 => text(self.rng.pick(&["line one\nline two", "crlf\r\nline", "cr\ronly", "\n", "a\r\n\r\nb"])),
            5 => Cell::Text(inspect_text(self.rng)),
            _ => text("A description"),
        }
    }

    fn object_type(&mut self, kind: Kind) -> Cell {
        if !self.bad() {
            return text(if kind == Kind::Group { "group" } else { "outcome" });
        }
        match self.rng.below(4) {
            0 => Cell::Absent,
            1 => Cell::Quoted(Vec::new()),
            _ => text(self.rng.pick(&[
                "Outcome",
                "GROUP",
                " group",
                "outcome ",
                "giraffe",
                "outcome\u{a0}",
                "#{x}\"q\\",
                "group\t",
                "\u{3000}",
            ])),
        }
    }

    fn workflow_state(&mut self) -> Cell {
        if !self.bad() {
            return match self.rng.below(10) {
                0..=2 => Cell::Absent,
                3 => Cell::Quoted(Vec::new()),
                4 | 5 => text("deleted"),
                _ => text("active"),
            };
        }
        text(self.rng.pick(&["Active", " active", "archived", "deleted ", "\u{a0}", " ", "DELETED", "active\n"]))
    }

    fn calculation_method(&mut self, kind: Kind) -> Cell {
        let bad = self.bad();
        if kind == Kind::Group && !bad {
            return if self.rng.chance(50.0) { Cell::Absent } else { text(self.rng.pick(&WHITESPACE)) };
        }
        if bad && self.rng.chance(50.0) {
            return text(self.rng.pick(&BAD_METHODS));
        }
        match self.rng.below(3) {
            0 => Cell::Absent,
            _ => text(self.rng.pick(&METHODS)),
        }
    }

    fn calculation_int(&mut self, kind: Kind) -> Cell {
        let bad = self.bad();
        if kind == Kind::Group && !bad {
            return Cell::Absent;
        }
        if bad && self.rng.chance(40.0) {
            return Cell::Text(fuzz_int(self.rng));
        }
        if bad || self.rng.chance(30.0) {
            return text(self.rng.pick(&INTS));
        }
        match self.rng.below(3) {
            0 => Cell::Absent,
            _ => text(self.rng.pick(&["1", "5", "50", "65", "75", "99"])),
        }
    }

    fn number(&mut self) -> Vec<u8> {
        let pool = if self.options.french() { GOOD_POINTS_FR } else { GOOD_POINTS_EN };
        bytes_of(self.rng.pick(&pool))
    }

    fn mastery_points(&mut self) -> Cell {
        if self.bad() {
            return match self.rng.below(3) {
                0 => Cell::Text(fuzz_number(self.rng)),
                _ => text(self.rng.pick(&TRICKY_NUMBERS)),
            };
        }
        match self.rng.below(3) {
            0 => Cell::Absent,
            _ => Cell::Text(self.number()),
        }
    }

    fn ratings(&mut self, kind: Kind, cells: &mut Vec<Cell>) {
        let tiers = if kind == Kind::Group && !self.bad() {
            0
        } else if self.rng.chance(20.0) {
            self.rng.range(0, 5)
        } else {
            self.tiers
        };
        let pool: Vec<&str> = if self.options.french() { GOOD_POINTS_FR.to_vec() } else { GOOD_POINTS_EN.to_vec() };
        // Descending points: an increasing walk through the descending pool. Sometimes random
        // numbers instead, in random order, for `Float#to_s` in the ordering message.
        let random_floats = tiers >= 2 && self.rng.chance(self.row_mess / 2.0);
        let mut at = self.rng.below(pool.len());
        for tier in 0..tiers {
            let points = if random_floats {
                Cell::Text(fuzz_float(self.rng))
            } else if self.bad() {
                match self.rng.below(6) {
                    0 => Cell::Absent,
                    1 => Cell::Quoted(Vec::new()),
                    2 => Cell::Text(fuzz_number(self.rng)),
                    _ => text(self.rng.pick(&TRICKY_NUMBERS)),
                }
            } else {
                Cell::Text(bytes_of(pool[at.min(pool.len() - 1)]))
            };
            if self.rng.chance(70.0) {
                at += 1;
            }
            cells.push(points);
            let last = tier + 1 == tiers;
            if last && self.rng.chance(10.0) {
                break; // an odd number of rating cells
            }
            let description = match self.rng.below(8) {
                0 => Cell::Absent,
                1 => Cell::Quoted(Vec::new()),
                2 => text("Exceeds, \"well\"\nand more"),
                _ => text(self.rng.pick(&["Exceeds", "Meets", "Near", "Below", "Insuffisant"])),
            };
            cells.push(description);
        }
        if self.rng.chance(20.0) {
            for _ in 0..self.rng.range(1, 4) {
                cells.push(Cell::Absent);
            }
        }
        if self.bad() {
            cells.push(self.rng.pick(&[Cell::Quoted(Vec::new()), text(" "), Cell::Absent, text("1")]));
        }
    }

    fn parent_guids(&mut self, kind: Kind, course: Option<&[u8]>) -> Cell {
        if self.rng.chance(if kind == Kind::Group { 35.0 } else { 25.0 }) || (self.groups.is_empty() && !self.bad()) {
            return match self.rng.below(4) {
                0 => Cell::Quoted(Vec::new()),
                1 => text(self.rng.pick(&WHITESPACE)),
                _ => Cell::Absent,
            };
        }
        let count = if kind == Kind::Group {
            if self.bad() {
                self.rng.range(2, 3)
            } else {
                1
            }
        } else {
            self.rng.pick(&[1, 1, 1, 2, 3])
        };
        let mut guids: Vec<Vec<u8>> = Vec::new();
        for _ in 0..count {
            let bad = self.bad();
            let same_context = if bad { None } else { self.group_in(kind, course) };
            let g = if let Some(g) = same_context {
                g
            } else {
                match self.rng.below(6) {
                    0 if !self.outcomes.is_empty() => self.some_outcome().unwrap_or_default(),
                    1 if !self.groups.is_empty() => self.some_group().unwrap_or_default(),
                    2 => {
                        // A group that appears later in the file (or never).
                        format!("g{}", self.next_id + self.rng.range(0, 3)).into_bytes()
                    }
                    3 => inspect_text(self.rng),
                    4 if !guids.is_empty() => guids[0].clone(),
                    _ => format!("missing-{}", self.rng.below(5)).into_bytes(),
                }
            };
            guids.push(g);
        }
        let mut v = Vec::new();
        if self.rng.chance(10.0) {
            v.extend_from_slice(self.rng.pick(&[&b" "[..], b"\t", b"\n", b"\x00", b"\x0b"]));
        }
        for (i, g) in guids.iter().enumerate() {
            if i > 0 {
                let sep: &[u8] = if self.rng.chance(80.0) {
                    b" "
                } else {
                    self.rng.pick(&[&b"  "[..], b"\t", b"\n", b"\r\n", b"\x0c", b"\x0b", b"\xC2\xA0", b",", b"\x00"])
                };
                v.extend_from_slice(sep);
            }
            v.extend_from_slice(g);
        }
        if self.rng.chance(10.0) {
            v.extend_from_slice(self.rng.pick(&[&b" "[..], b"\t", b"\r\n", b"\x00", b"\xC2\xA0"]));
        }
        Cell::Text(v)
    }

    /// Breaks the syntax of `line` in one of the ways Ruby's strict parser rejects.
    fn plant_syntax_error(&mut self, line: &mut Line, separator: u8, terminator: &'static [u8]) {
        let sep = separator as char;
        match self.rng.below(7) {
            0 => push_raw_cell(line, b"ab\"c".to_vec()),
            1 => push_raw_cell(line, b"\"ab\"c".to_vec()),
            2 => push_raw_cell(line, b"\"never closed".to_vec()),
            3 => push_raw_cell(line, b"\"ab\" ".to_vec()),
            4 => push_raw_cell(line, format!("x{sep}\"q\"\"\"z").into_bytes()),
            5 => {
                let other: &'static [u8] = match terminator {
                    b"\n" => b"\r\n",
                    b"\r\n" => b"\n",
                    _ => b"\n",
                };
                line.terminator = Some(other);
            }
            _ => {
                // A bare line break inside an unquoted cell.
                let other: &[u8] = if terminator == b"\r" { b"a\nb" } else { b"a\rb" };
                push_raw_cell(line, other.to_vec());
            }
        }
    }
}

fn push_raw_cell(line: &mut Line, raw: Vec<u8>) {
    match &mut line.body {
        Body::Cells(cells) => {
            if cells.is_empty() {
                cells.push(Cell::Raw(raw));
            } else {
                let i = cells.len() / 2;
                cells[i] = Cell::Raw(raw);
            }
        }
        Body::Raw(v) => v.extend_from_slice(&raw),
    }
}

impl Cell {
    fn with_suffix(self, suffix: &[u8]) -> Cell {
        match self {
            Cell::Text(mut v) => {
                v.extend_from_slice(suffix);
                Cell::Text(v)
            }
            other => other,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tiny and junk files.

const HEADERS: [&[u8]; 4] = [
    b"title,vendor_guid,object_type",
    b"title;vendor_guid;object_type",
    b"vendor_guid,object_type,title,parent_guids,ratings",
    b"title,vendor_guid,object_type,,",
];

fn tiny(rng: &mut Rng) -> Vec<u8> {
    let header = rng.pick(&HEADERS);
    let term: &[u8] = rng.pick(&[&b"\n"[..], b"\r\n", b"\r"]);
    let cat = |parts: &[&[u8]]| parts.concat();
    match rng.below(22) {
        0 => Vec::new(),
        1 => b"\xEF\xBB\xBF".to_vec(),
        2 => cat(&[b"\xEF\xBB\xBF", term]),
        3 => term.to_vec(),
        4 => cat(&[term, term]),
        5 => header.to_vec(),
        6 => cat(&[header, term]),
        7 => cat(&[header, term, term]),
        8 => cat(&[b"\xEF\xBB\xBF", header]),
        9 => cat(&[b"\xEF\xBB\xBF", header, term, b"T,g1,group", term]),
        10 => b"\0".to_vec(),
        11 => cat(&[header, b"\0", term, b"T,g,group", term]),
        12 => b"\"\"".to_vec(),
        13 => b" ".to_vec(),
        14 => cat(&[header, term, b" "]),
        15 => cat(&[header, term, b",,"]),
        16 => cat(&[header, term, b"T,g1,group"]),
        17 => cat(&[header, term, b"\xC2\xA0", term, b"\xE3\x80\x80"]),
        18 => cat(&[b"\xEF\xBB\xBF\xEF\xBB\xBF", header, term, b"T,g1,group", term]),
        19 => cat(&[b"\"title\",\"vendor_guid\",\"object_type\"", term, b"\"T\",\"o1\",\"outcome\"", term]),
        20 => cat(&[header, term, b"T,o1,outcome,\"\"", term, b"T,o2,outcome,,", term]),
        _ => cat(&[b"title,vendor_guid,object_type,ratings", term, b"T,o1,outcome,3,a,2", term]),
    }
}

fn junk(rng: &mut Rng) -> Vec<u8> {
    #[rustfmt::skip]
    const ALPHABET: [&[u8]; 14] = [
        b"a", b"b", b",", b",", b";", b"\"", b"\r", b"\n", b"\n", b" ", b"\xC3\xA9", b"\xFF", b"\0", b"\t",
    ];
    let mut v = Vec::new();
    if rng.chance(60.0) {
        v.extend_from_slice(rng.pick(&HEADERS));
        v.extend_from_slice(rng.pick(&[&b"\n"[..], b"\r\n", b"\r"]));
        if rng.chance(50.0) {
            v.extend_from_slice(b"T,g1,group\n");
        }
    }
    for _ in 0..rng.range(0, 60) {
        v.extend_from_slice(rng.pick(&ALPHABET));
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Mutations.

fn line_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            spans.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < bytes.len() {
        spans.push((start, bytes.len()));
    }
    spans
}

/// Applies one random mutation to `bytes` and says which.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) -> &'static str {
    let len = bytes.len();
    let pos = rng.range(0, len);
    match rng.below(16) {
        0 if len > 0 => {
            bytes[pos.min(len - 1)] = b'"';
            "quote"
        }
        1 => {
            bytes.insert(pos, b'\r');
            "cr"
        }
        2 => {
            bytes.insert(pos, b'\n');
            "lf"
        }
        3 => {
            bytes.splice(pos..pos, *b"\r\n");
            "crlf"
        }
        4 => {
            let seps: Vec<usize> =
                bytes.iter().enumerate().filter(|(_, &b)| b == b',' || b == b';').map(|(i, _)| i).collect();
            if seps.is_empty() {
                return "nosep";
            }
            let i = rng.pick(&seps);
            bytes.remove(i);
            "delsep"
        }
        5 => {
            let sep = rng.pick(b",;");
            bytes.insert(pos, sep);
            "addsep"
        }
        6 | 7 => {
            let spans = line_spans(bytes);
            if spans.is_empty() {
                return "noline";
            }
            let (s, e) = rng.pick(&spans);
            let copy = bytes[s..e].to_vec();
            let at = rng.pick(&spans).1;
            bytes.splice(at..at, copy);
            "dupline"
        }
        8 => {
            let spans = line_spans(bytes);
            if spans.len() < 2 {
                return "noswap";
            }
            let a = rng.below(spans.len());
            let b = rng.below(spans.len());
            let (a, b) = (a.min(b), a.max(b));
            if a == b {
                return "noswap";
            }
            let (a, b) = (spans[a], spans[b]);
            let mut out = Vec::with_capacity(len);
            out.extend_from_slice(&bytes[..a.0]);
            out.extend_from_slice(&bytes[b.0..b.1]);
            out.extend_from_slice(&bytes[a.1..b.0]);
            out.extend_from_slice(&bytes[a.0..a.1]);
            out.extend_from_slice(&bytes[b.1..]);
            *bytes = out;
            "swap"
        }
        9 => {
            bytes.truncate(pos);
            "truncate"
        }
        10 if len > 0 => {
            bytes.remove(pos.min(len - 1));
            "delbyte"
        }
        11 => {
            bytes.insert(pos, 0);
            "nul"
        }
        12 => {
            let bad = rng.pick(&INVALID_UTF8);
            bytes.splice(pos..pos, bad.iter().copied());
            "badutf8"
        }
        13 => {
            let at = if rng.chance(50.0) { 0 } else { pos };
            bytes.splice(at..at, *b"\xEF\xBB\xBF");
            "bom"
        }
        14 => {
            let spans = line_spans(bytes);
            let at = spans.get(rng.below(spans.len().max(1))).map_or(0, |s| s.0);
            let ws = rng.pick(&WHITESPACE);
            let mut line = ws.as_bytes().to_vec();
            line.push(b'\n');
            bytes.splice(at..at, line);
            "wsline"
        }
        _ => {
            let spans = line_spans(bytes);
            if spans.is_empty() {
                return "noline";
            }
            let (s, e) = rng.pick(&spans);
            bytes.drain(s..e);
            "delline"
        }
    }
}
