//! Generates realistic, valid Canvas LMS Outcomes CSV files of any size, for benchmarks.
//!
//! A file is a pure function of its [`Config`]: the same rows and seed give the same bytes on
//! every machine (the PRNG is [`Rng`], defined here, not a dependency's). The generator streams:
//! it keeps the current chain of groups (at most five) and the guids of the last few groups, so
//! writing a million rows takes as little memory as writing ten.
//!
//! What a file holds, as a district's outcome bank would:
//!
//! - the header `vendor_guid,object_type,title,description,display_name,calculation_method,
//!   calculation_int,parent_guids,workflow_state,mastery_points,ratings` padded with empty cells
//!   to the width of five rating tiers, and every record padded to the same width, as a
//!   spreadsheet saves it;
//! - groups nested up to five deep (subject, grade, domain, cluster, standard), each defined
//!   before its children;
//! - outcomes with 3–5 rating tiers (points strictly descending, each with a description),
//!   mastery points, every calculation method with a valid `calculation_int`, and some with
//!   several parent groups;
//! - descriptions with commas, doubled quotes, non-ASCII text and, now and then, a line break
//!   inside the quoted cell.
//!
//! Every row is one Canvas imports: checking a generated file reports nothing.
//!
//! ```
//! use outcomes_gen::{generate, Config};
//! let bytes = generate(&Config::new(100, 7));
//! assert!(bytes.starts_with(b"vendor_guid,object_type,title,"));
//! assert_eq!(bytes, generate(&Config::new(100, 7)));
//! ```

pub mod report;
mod rng;
mod words;

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{self, Write};

pub use rng::Rng;

use words::*;

/// The main header cells, in the order Canvas's own export writes them; `ratings` is last.
pub const HEADER: [&str; 11] = [
    "vendor_guid",
    "object_type",
    "title",
    "description",
    "display_name",
    "calculation_method",
    "calculation_int",
    "parent_guids",
    "workflow_state",
    "mastery_points",
    "ratings",
];

/// The most rating tiers an outcome gets.
pub const MAX_TIERS: usize = 5;

/// The deepest a group is nested (a top-level group has depth 1).
pub const MAX_DEPTH: usize = 5;

/// Cells in every record: the main headers, then two per rating tier.
pub const WIDTH: usize = HEADER.len() - 1 + 2 * MAX_TIERS;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Data rows after the header (Canvas rows 2 to `rows + 1`).
    pub rows: u64,
    /// The seed: the same seed gives the same file.
    pub seed: u64,
    /// End records with `\r\n` (as Excel on Windows saves) instead of `\n`.
    pub crlf: bool,
}

impl Config {
    /// `rows` data rows from `seed`, with `\n` line endings.
    pub fn new(rows: u64, seed: u64) -> Config {
        Config { rows, seed, crlf: false }
    }

    /// The same, with `\r\n` line endings.
    pub fn with_crlf(mut self, crlf: bool) -> Config {
        self.crlf = crlf;
        self
    }
}

/// What a generated file holds, for reports and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Records written, the header included.
    pub records: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Group rows.
    pub groups: u64,
    /// Outcome rows.
    pub outcomes: u64,
    /// The deepest group written (1 = top level).
    pub max_depth: usize,
    /// Outcomes with more than one parent.
    pub multi_parent: u64,
    /// Records with a line break inside a quoted cell.
    pub multiline: u64,
    /// Cells holding a doubled quote.
    pub escaped_quotes: u64,
    /// Outcomes per calculation method, in [`METHODS`] order; index 7 counts blank methods.
    pub methods: [u64; 8],
}

/// The calculation methods Canvas accepts, as written in generated files.
pub const METHODS: [&str; 7] =
    ["decaying_average", "weighted_average", "standard_decaying_average", "n_mastery", "highest", "latest", "average"];

/// Writes a file to `out`, streaming: nothing but the current row is held in memory. `out` is
/// buffered internally.
///
/// ```
/// use outcomes_gen::{write_csv, Config};
/// let mut out = Vec::new();
/// let stats = write_csv(&Config::new(10, 1), &mut out).unwrap();
/// assert_eq!(stats.records, 11);
/// assert_eq!(stats.bytes, out.len() as u64);
/// ```
pub fn write_csv<W: Write>(config: &Config, out: W) -> io::Result<Stats> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    let mut generator = Generator::new(config);
    generator.header();
    out.write_all(&generator.line)?;
    for done in 0..config.rows {
        generator.next_row(config.rows - done);
        out.write_all(&generator.line)?;
    }
    out.flush()?;
    Ok(generator.stats)
}

/// Generates a file in memory (for tests and benchmarks of files that fit in memory).
pub fn generate(config: &Config) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_csv(config, &mut out);
    out
}

/// How many recent groups an outcome may pick extra parents from.
const RECENT: usize = 16;

/// The state of one file being generated.
struct Generator {
    rng: Rng,
    crlf: bool,
    /// Guids of the current chain of groups, top level first.
    chain: Vec<String>,
    /// Guids of the last groups written, newest last.
    recent: VecDeque<String>,
    /// Guid prefix of the current top-level group.
    subject: &'static str,
    next_id: u64,
    /// Whether the last row was a group, which the next row must go into.
    needs_child: bool,
    /// The record being built.
    line: Vec<u8>,
    cells: usize,
    /// Scratch text for one cell.
    text: String,
    stats: Stats,
}

impl Generator {
    fn new(config: &Config) -> Generator {
        Generator {
            rng: Rng::new(config.seed),
            crlf: config.crlf,
            chain: Vec::with_capacity(MAX_DEPTH),
            recent: VecDeque::with_capacity(RECENT),
            subject: SUBJECTS[0].1,
            next_id: 1,
            needs_child: false,
            line: Vec::with_capacity(4096),
            cells: 0,
            text: String::with_capacity(1024),
            stats: Stats::default(),
        }
    }

    fn header(&mut self) {
        self.begin();
        for name in HEADER {
            self.cell(name.as_bytes());
        }
        self.end();
    }

    /// Writes the next row; `remaining` counts it.
    fn next_row(&mut self, remaining: u64) {
        // The first row is a group; then about one row in nine, except that a new group's next
        // row is always an outcome in it (no group is left empty) and the last row is never a
        // group.
        let group = self.chain.is_empty() || (!self.needs_child && remaining > 1 && self.rng.chance(11));
        if group {
            self.group();
        } else {
            self.outcome();
        }
        self.needs_child = group;
    }

    fn group(&mut self) {
        // Go one level deeper, or start a sibling of a group at some shallower level.
        let keep = if self.chain.len() < MAX_DEPTH && (self.chain.is_empty() || self.rng.chance(55)) {
            self.chain.len()
        } else {
            self.rng.below(self.chain.len())
        };
        self.chain.truncate(keep);
        let depth = keep + 1;
        if depth == 1 {
            let (title, code) = *self.rng.pick(&SUBJECTS);
            self.subject = code;
            let district = self.district();
            self.text.clear();
            let _ = write!(self.text, "{title}, {district} Bank {}", self.next_id);
        } else {
            self.group_title(depth);
        }
        let guid = format!("{}-g{:07}", self.subject, self.next_id);
        self.next_id += 1;

        self.begin();
        self.cell_str(&guid);
        self.cell(b"group");
        self.cell_text();
        self.description();
        self.cell(b""); // display_name
        self.cell(b""); // calculation_method
        self.cell(b""); // calculation_int
        let parent = self.chain.last().cloned().unwrap_or_default();
        self.cell_str(&parent);
        self.workflow_state(false);
        self.cell(b""); // mastery_points
        self.end();

        self.stats.groups += 1;
        self.stats.max_depth = self.stats.max_depth.max(depth);
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(guid.clone());
        self.chain.push(guid);
    }

    fn outcome(&mut self) {
        let id = self.next_id;
        self.next_id += 1;
        let guid = format!("{}-o{:08}-{:04x}", self.subject, id, self.rng.below(0x10000));

        self.begin();
        self.cell_str(&guid);
        self.cell(b"outcome");
        self.outcome_title(id);
        self.cell_text();
        self.description();
        // display_name: a standard code, or nothing.
        if self.rng.chance(60) {
            self.text.clear();
            let _ = write!(
                self.text,
                "{}.{}.{}",
                self.subject.to_ascii_uppercase(),
                self.chain.len() + self.rng.below(9),
                id % 1000
            );
            self.cell_text();
        } else {
            self.cell(b"");
        }
        self.calculation();
        self.parents();
        self.workflow_state(!self.needs_child);

        let tiers = self.rng.range(3, MAX_TIERS);
        let top = *self.rng.pick(&SCALE_TOPS);
        let points = |i: usize| f64::from(top) * (tiers - 1 - i) as f64 / (tiers - 1) as f64;
        // mastery_points: the second tier's points.
        self.number(points(1));
        let names = TIER_NAMES[tiers - 3];
        for (i, name) in names.iter().enumerate() {
            self.number(points(i));
            self.cell(name.as_bytes());
        }
        self.end();
        self.stats.outcomes += 1;
    }

    fn calculation(&mut self) {
        // Weights per method in METHODS order, then blank.
        const WEIGHTS: [usize; 8] = [25, 5, 10, 15, 10, 10, 5, 20];
        let mut roll = self.rng.below(WEIGHTS.iter().sum());
        let mut which = 0;
        while roll >= WEIGHTS[which] {
            roll -= WEIGHTS[which];
            which += 1;
        }
        self.stats.methods[which] += 1;
        // Ints valid whether or not the account has the new decaying average on: a blank
        // method may mean standard_decaying_average (50–99).
        let int = match which {
            0 | 1 => self.rng.chance(80).then(|| self.rng.range(1, 99)),
            2 | 7 => self.rng.chance(70).then(|| self.rng.range(50, 99)),
            3 => self.rng.chance(85).then(|| self.rng.range(1, 10)),
            _ => None,
        };
        self.cell(METHODS.get(which).copied().unwrap_or_default().as_bytes());
        match int {
            Some(v) => {
                self.text.clear();
                let _ = write!(self.text, "{v}");
                self.cell_text();
            }
            None => self.cell(b""),
        }
    }

    fn parents(&mut self) {
        let primary = self.chain.last().cloned().unwrap_or_default();
        self.text.clear();
        self.text.push_str(&primary);
        if self.recent.len() > 1 && self.rng.chance(12) {
            self.stats.multi_parent += 1;
            for _ in 0..self.rng.range(1, 2) {
                let extra = &self.recent[self.rng.below(self.recent.len())];
                if !self.text.split(' ').any(|g| g == extra) {
                    self.text.push(' ');
                    self.text.push_str(extra);
                }
            }
        }
        self.cell_text();
    }

    /// Empty or `active`; one outcome in a hundred is `deleted`, but never a group (its children
    /// would go into a deleted group) nor a group's only child so far.
    fn workflow_state(&mut self, may_delete: bool) {
        let state: &[u8] = match self.rng.below(100) {
            0 if may_delete => b"deleted",
            0..=30 => b"active",
            _ => b"",
        };
        self.cell(state);
    }

    fn district(&mut self) -> &'static str {
        const DISTRICTS: [&str; 4] = ["District", "Springfield USD", "Région Île-de-France", "Northside"];
        let district = *self.rng.pick(&DISTRICTS);
        district
    }

    fn group_title(&mut self, depth: usize) {
        self.text.clear();
        match depth {
            2 => {
                let grade = *self.rng.pick(&GRADES);
                let _ = write!(self.text, "{grade} (course {})", self.next_id);
            }
            3 => {
                let domain = *self.rng.pick(&DOMAINS);
                let _ = write!(self.text, "{domain} ({})", self.next_id);
            }
            4 => {
                let letter = (b'A' + self.rng.below(6) as u8) as char;
                let cluster = *self.rng.pick(&CLUSTERS);
                let _ = write!(self.text, "Cluster {letter}{}: {cluster}", self.next_id);
            }
            _ => {
                let _ = write!(
                    self.text,
                    "Standard {}.{}.{}",
                    self.subject.to_ascii_uppercase(),
                    self.rng.range(1, 12),
                    self.next_id
                );
            }
        }
    }

    /// A title led by the outcome's code, so that no two outcomes of a group share a title.
    fn outcome_title(&mut self, id: u64) {
        self.text.clear();
        let verb = *self.rng.pick(&VERBS);
        let object = *self.rng.pick(&OBJECTS);
        let qualifier = *self.rng.pick(&QUALIFIERS);
        let code = self.subject.to_ascii_uppercase();
        let _ = write!(self.text, "{code}.{id}: {verb} {object}{qualifier}");
    }

    /// A description of one to four sentences; sometimes HTML, sometimes with a quoted phrase,
    /// now and then with a line break.
    fn description(&mut self) {
        self.text.clear();
        let html = self.rng.chance(25);
        if html {
            self.text.push_str("<p>");
        }
        // One sentence usually, up to four.
        let sentences = match self.rng.below(20) {
            0..=7 => 1,
            8..=14 => 2,
            15..=18 => 3,
            _ => 4,
        };
        let multiline = self.rng.chance(3);
        for s in 0..sentences {
            if s > 0 {
                self.text.push_str(if multiline && s == 1 { "\n" } else { " " });
            }
            let opening = *self.rng.pick(&OPENINGS);
            let verb = self.rng.pick(&VERBS).to_ascii_lowercase();
            let object = *self.rng.pick(&OBJECTS);
            let ending = *self.rng.pick(&ENDINGS);
            let _ = write!(self.text, "{opening} {verb} {object} {ending}");
            if self.rng.chance(12) {
                let _ = write!(self.text, " Look for \"{}\" in student work.", self.rng.pick(&QUOTED));
            }
        }
        if html {
            self.text.push_str("</p>");
        }
        if multiline && sentences > 1 {
            self.stats.multiline += 1;
        }
        self.cell_text();
    }

    /// Writes a number the way a spreadsheet shows it: at most two decimals, no trailing zeros.
    fn number(&mut self, value: f64) {
        self.text.clear();
        let _ = write!(self.text, "{value:.2}");
        let trimmed = self.text.trim_end_matches('0').trim_end_matches('.').len();
        self.text.truncate(trimmed);
        self.cell_text();
    }

    fn begin(&mut self) {
        self.line.clear();
        self.cells = 0;
    }

    fn cell_text(&mut self) {
        let text = std::mem::take(&mut self.text);
        self.cell(text.as_bytes());
        self.text = text;
    }

    fn cell_str(&mut self, value: &str) {
        self.cell(value.as_bytes());
    }

    /// Appends a cell, quoted only when it must be (a comma, a quote or a line break).
    fn cell(&mut self, value: &[u8]) {
        if self.cells > 0 {
            self.line.push(b',');
        }
        self.cells += 1;
        if !value.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            self.line.extend_from_slice(value);
            return;
        }
        self.line.push(b'"');
        let mut escaped = false;
        for &b in value {
            if b == b'"' {
                self.line.push(b'"');
                escaped = true;
            }
            self.line.push(b);
        }
        self.line.push(b'"');
        self.stats.escaped_quotes += u64::from(escaped);
    }

    /// Pads the record to [`WIDTH`] cells and ends it.
    fn end(&mut self) {
        while self.cells < WIDTH {
            self.cell(b"");
        }
        self.line.extend_from_slice(if self.crlf { b"\r\n" } else { b"\n" });
        self.stats.records += 1;
        self.stats.bytes += self.line.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcomes_csv::{Reader, Record};
    use outcomes_rules::{check_bytes, CanvasOptions, WorkflowState};

    fn records(bytes: &[u8]) -> u64 {
        let mut reader = Reader::new(bytes).unwrap();
        let mut record = Record::new();
        let mut n = 0;
        while reader.read_record(&mut record).unwrap() {
            assert_eq!(record.len(), WIDTH, "row {}", record.row());
            n += 1;
        }
        n
    }

    #[test]
    fn a_seed_names_one_file() {
        let a = generate(&Config::new(2_000, 42));
        assert_eq!(a, generate(&Config::new(2_000, 42)));
        assert_ne!(a, generate(&Config::new(2_000, 43)));
    }

    #[test]
    fn a_generated_file_checks_clean_and_has_the_rows_asked_for() {
        for crlf in [false, true] {
            let config = Config::new(5_000, 2024).with_crlf(crlf);
            let mut bytes = Vec::new();
            let stats = write_csv(&config, &mut bytes).unwrap();
            let checked = check_bytes(&bytes, &CanvasOptions::default());
            let report = checked.canvas_report();
            assert!(
                report.processing_errors.is_empty(),
                "{:?}",
                &report.processing_errors[..report.processing_errors.len().min(5)]
            );
            assert_eq!(report.workflow_state, WorkflowState::Succeeded);
            // No lint fires either, so that benchmarks measure the happy path. A new lint that
            // fires here means the generator should learn to avoid it (or the lint is noisy).
            let lints: Vec<String> = checked
                .diagnostics
                .iter()
                .take(5)
                .map(|d| format!("{:?} at row {:?}: {}", d.rule, d.row, d.message))
                .collect();
            assert!(lints.is_empty(), "{} diagnostics: {lints:#?}", checked.diagnostics.len());
            assert_eq!(checked.records, 5_001);
            assert_eq!(checked.imported, 5_000);
            assert_eq!(stats.records, 5_001);
            assert_eq!(stats.groups + stats.outcomes, 5_000);
            assert_eq!(records(&bytes), 5_001);
            assert_eq!(bytes.ends_with(b"\r\n"), crlf);
        }
    }

    #[test]
    fn it_is_valid_with_the_new_decaying_average_too() {
        let bytes = generate(&Config::new(3_000, 5));
        let options = CanvasOptions { new_decaying_average: true, ..CanvasOptions::default() };
        let report = check_bytes(&bytes, &options).canvas_report();
        assert!(report.processing_errors.is_empty(), "{report:?}");
    }

    #[test]
    fn it_covers_what_real_files_hold() {
        let stats = write_csv(&Config::new(5_000, 9), io::sink()).unwrap();
        assert_eq!(stats.max_depth, MAX_DEPTH);
        assert!(stats.groups > 300 && stats.outcomes > 4_000, "{stats:?}");
        assert!(stats.multi_parent > 100, "{stats:?}");
        assert!(stats.multiline > 10, "{stats:?}");
        assert!(stats.escaped_quotes > 100, "{stats:?}");
        assert!(stats.methods.iter().all(|&n| n > 0), "{stats:?}");
    }
}
