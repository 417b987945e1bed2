//! Safe, deterministic repairs of Canvas LMS Outcomes CSV files.
//!
//! The most common reasons Canvas skips rows or fails an outcomes import are mechanical: a group
//! defined below the outcomes that name it, a file saved with two kinds of line ending, trailing
//! separators, `Group` instead of `group`. [`plan`] repairs them and changes nothing else: every
//! byte that no fix had to change — quoting, BOM, separator, untouched cells and rows — comes
//! out as it went in, and a file with nothing to fix comes out identical. The same input and
//! options always give the same output.
//!
//! ```
//! use outcomes_fix::{plan, FixKind, FixOptions};
//!
//! let file = b"title,vendor_guid,object_type,parent_guids\r\n\
//!              Add,add,outcome,math\r\n\
//!              Math,math,Group,\n";
//! let fixed = plan(file, &FixOptions::default()).unwrap();
//! assert_eq!(
//!     fixed.output,
//!     b"title,vendor_guid,object_type,parent_guids\r\n\
//!       Math,math,group,\r\n\
//!       Add,add,outcome,math\r\n"
//! );
//! let kinds: Vec<FixKind> = fixed.fixes.iter().map(|f| f.kind).collect();
//! assert_eq!(kinds, [FixKind::LineEndings, FixKind::ObjectType, FixKind::ParentsFirst]);
//! assert!(fixed.refused.is_empty());
//! ```
//!
//! # The fixes
//!
//! Each is named by the rule whose finding it repairs (so `--select`/`--ignore` take the same
//! codes as `check`) and by its own name; they run in this order, each on the previous one's
//! result.
//!
//! | fix | rule | what it does | refused when |
//! |---|---|---|---|
//! | `line-endings` | OL002 | Rewrites every line break outside quotes that differs from the file's first one (the one Canvas detects) to that one (`\r\n`, a lone `\r` or a lone `\n`, each one break). Breaks inside quoted cells are data and stay. | when the repair would change the separator Canvas detects (only possible if the first line ends in a lone `\r`). Other syntax errors (a stray quote, text after a closing quote, an unclosed quote) cannot be repaired safely: [`plan`] fails with [`FixError`] and nothing may be written |
//! | `header-names` | OL005, OL004 | Rewrites a main header cell that is a known column (or `ratings`) but for its case, surrounding whitespace, or spaces/hyphens for `_` (`Title`, ` vendor_guid`, `Vendor GUID`). | the name is already in the header, two cells would get the same name, or `Ratings` is followed by a named column |
//! | `trailing-header-cells` | OL007 | Drops the empty unquoted cells at the end of a header without `ratings` (Canvas crashes on them). | a data row has a value from the first dropped column on (it would become a rating); an empty header cell is not at the end (the ones at the end are then kept too: Canvas would still crash); the header has no name at all |
//! | `short-rows` | OL008 | Appends separators to a non-blank row with fewer cells than the header has main columns (Canvas crashes on it; a missing cell and an empty one mean the same). | never |
//! | `workflow-state` | OL019 | Rewrites `workflow_state` to `active`/`deleted` when it differs only in case or surrounding whitespace; whitespace alone becomes empty (read as `active`, as an empty cell is). | — (other values are left for a person) |
//! | `object-type` | OL020 | Rewrites `object_type` to `outcome`/`group` when it differs only in case or surrounding whitespace. | — |
//! | `calculation-method` | OL031 | Rewrites `calculation_method` to one of Canvas's methods when it differs only in case, surrounding whitespace, or spaces/hyphens for `_`. | — |
//! | `parents-first` | OL023 | Moves data rows (whole, bytes unchanged) so every parent group comes before the rows that name it, moving the fewest rows possible; the header stays first, blank rows keep their place among the unmoved rows. | a parent no group of the file defines in the right context (nowhere, an outcome, another course, a group Canvas rejects), groups that are each other's parents, and rows that can never be imported wherever they are (not moved) |
//!
//! The enumeration fixes change only the cell Canvas reads and keep its quoting. Numbers, guids,
//! titles and anything else whose meaning a rewrite could change are never touched.
//!
//! After each fix the file is checked to be framed as before (BOM, separator and terminator as
//! Canvas sniffs them from the first line, and the same number of records); a fix that would
//! change that is dropped as a whole and reported as refused.
//!
//! # `parents-first` in detail
//!
//! - **Which row a parent name means** is Canvas's lookup: a group's parent must be a group of
//!   the same context (same `course_id`, or the account when blank); an outcome's parents are
//!   account groups, or groups of any context when the file has a `course_id` column. Of several
//!   such rows, the first that Canvas does not reject for reasons unrelated to order.
//! - **The fewest rows move.** A set of rows can all stay in place exactly when none of them
//!   needs (directly or through other rows) a row that comes after it; these "inversions" form a
//!   partial order, so the largest such set is a maximum antichain, found exactly by bipartite
//!   matching (Dilworth, König, Hopcroft–Karp). Only the other rows move: a parent moved up
//!   lands just above the first row that needs it, a child moved down just below its last
//!   parent. When both are equally few, the parent moves up. (A pathologically deep hierarchy
//!   — millions of ancestor steps — falls back to a stable topological sort, and says so.)
//! - **Nothing else changes meaning.** Rows with the same vendor_guid (groups of one context;
//!   outcomes) keep their relative order, since it decides which one Canvas imports. Blank rows
//!   and rows no parent relation involves keep their order relative to every row that does not
//!   move. Records move whole; the file's terminator follows each record, except that when the
//!   file had no final line break the new last record gets none (unless it is an empty line,
//!   which would otherwise vanish).
//! - **Rows that cannot be imported wherever they are** (a missing parent, a cycle, a parent
//!   that itself cannot be imported, a group Canvas rejects anyway) are not moved, and each is
//!   reported with the reason; moving them would change bytes and not Canvas's result.
//!
//! # Where things are reported
//!
//! [`AppliedFix::row`] and [`Refusal::row`] are Canvas rows of the input (as read once its line
//! endings are repaired, which is the only fix that can change record boundaries);
//! [`AppliedFix::line`] is the physical line of the input where that row starts (line endings
//! are rewritten one for one, so lines do not move).
//!
//! # Writing the result
//!
//! [`unified_diff`] shows what [`plan`] changed; [`write_atomically`] replaces a file so that a
//! crash or a full disk leaves either the old file or the new one, never a mix. A command line
//! `fix FILE [-o OUT | --write | --diff]` reads FILE, calls [`plan`] (on an error: report it,
//! write nothing), reports [`FixPlan::fixes`] and [`FixPlan::refused`], then prints
//! [`unified_diff`] for `--diff`, calls [`write_atomically`] on OUT for `-o` or on FILE for
//! `--write` (only when [`FixPlan::changed`]), or writes [`FixPlan::output`] to standard output.

mod diff;
mod doc;
mod fixes;
mod kind;
mod order;
mod write;

use std::fmt;

use outcomes_csv::{Dialect, Row, SyntaxError, SyntaxErrorKind};
use outcomes_rules::CanvasOptions;

pub use diff::{unified_diff, unified_diff_bytes};
pub use kind::{FixKind, FixSet, UnknownFix};
pub use write::write_atomically;

use doc::{first_line, same_framing, Doc};

/// What to fix, and the account the file is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixOptions {
    /// Which fixes to apply (default: all).
    pub fixes: FixSet,
    /// The account settings Canvas will read the file with. They decide, for `parents-first`,
    /// which rows Canvas rejects whatever their position (e.g. mastery points in the account's
    /// number format).
    pub canvas: CanvasOptions,
}

/// One change made to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFix {
    /// Which fix made it.
    pub kind: FixKind,
    /// The Canvas row of the input it concerns (the header is row 1).
    pub row: Option<Row>,
    /// The physical line of the input where that row starts, or of the changed line break.
    pub line: Option<u64>,
    /// What changed, for people: `object_type "Group" is now `group``.
    pub message: String,
}

impl fmt::Display for AppliedFix {
    /// `line 3 (row 2): object_type "Group" is now `group` [OL020 object-type]`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_place(f, self.line, self.row)?;
        write!(f, "{} [{} {}]", self.message, self.kind.rule().code(), self.kind)
    }
}

/// A change a fix would have made but did not, because it could not prove it safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Which fix refused.
    pub kind: FixKind,
    /// The Canvas row of the input it concerns, if it is about one row.
    pub row: Option<Row>,
    /// The physical line of the input where that row starts.
    pub line: Option<u64>,
    /// Why, and what a person can do about it.
    pub message: String,
    /// The vendor_guids concerned: the missing parent, the groups of a cycle.
    pub guids: Vec<String>,
}

impl fmt::Display for Refusal {
    /// `line 2 (row 2): not fixed: ... [OL023 parents-first]`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_place(f, self.line, self.row)?;
        write!(f, "not fixed: {} [{} {}]", self.message, self.kind.rule().code(), self.kind)
    }
}

fn write_place(f: &mut fmt::Formatter<'_>, line: Option<u64>, row: Option<Row>) -> fmt::Result {
    match (line, row) {
        (Some(line), Some(row)) => write!(f, "line {line} (row {row}): "),
        (None, Some(row)) => write!(f, "row {row}: "),
        (Some(line), None) => write!(f, "line {line}: "),
        (None, None) => Ok(()),
    }
}

/// The result of [`plan`]: the fixed file and an account of every change made or refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixPlan {
    /// Every change made, by fix (in [`FixKind::ALL`] order), then by row.
    pub fixes: Vec<AppliedFix>,
    /// Every change not made, and why.
    pub refused: Vec<Refusal>,
    /// The fixed file. Equal to the input exactly when `fixes` is empty.
    pub output: Vec<u8>,
}

impl FixPlan {
    /// Whether the output differs from the input.
    pub fn changed(&self) -> bool {
        !self.fixes.is_empty()
    }
}

/// Why a file cannot be fixed at all. Nothing should be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixError {
    /// A CSV syntax error that no fix repairs safely (a stray quote, text after a closing quote,
    /// an unclosed quote): Canvas rejects the whole file, and guessing what was meant could
    /// change data. The position is in the input.
    #[error(
        "{0}: Canvas rejects the whole file (Invalid CSV File), and this cannot be repaired safely; fix it by hand"
    )]
    Syntax(SyntaxError),
    /// Mixed line endings, which `line-endings` would repair, but it is not selected.
    #[error("{0}: Canvas rejects the whole file (Invalid CSV File); the `line-endings` fix (OL002) repairs this but is not selected")]
    LineEndingsNotSelected(SyntaxError),
    /// Mixed line endings whose repair would change the separator Canvas detects. Only possible
    /// when the first line ends in a lone `\r`: Canvas counts separators up to the first `\n`,
    /// wherever it is, and the repair removes that `\n`.
    #[error("{0}: Canvas rejects the whole file (Invalid CSV File); making the line endings uniform would change the separator Canvas detects, so fix them by hand")]
    LineEndingsChangeFraming(SyntaxError),
}

impl FixError {
    /// The syntax error, with its position in the input.
    pub fn syntax_error(&self) -> &SyntaxError {
        match self {
            FixError::Syntax(e) | FixError::LineEndingsNotSelected(e) | FixError::LineEndingsChangeFraming(e) => e,
        }
    }
}

/// Computes the fixed file and what was fixed and refused. Never writes anything.
///
/// Fails only when the file has a CSV syntax error that cannot be repaired safely; then nothing
/// should be written. Deterministic, and idempotent: planning the output again changes nothing.
pub fn plan(input: &[u8], options: &FixOptions) -> Result<FixPlan, FixError> {
    let mut fixes = Vec::new();
    let mut refused = Vec::new();

    // Line endings first: until they are uniform the strict reader cannot read the file.
    let dialect = Dialect::sniff(first_line(input));
    let repair = fixes::line_endings::repair(input, dialect);
    let use_repair = options.fixes.contains(FixKind::LineEndings) && !repair.rewritten.is_empty();
    let mut current: Vec<u8> = if use_repair { repair.output.clone() } else { input.to_vec() };
    let doc = match Doc::parse(&current) {
        Ok(doc) => doc,
        Err(mut e) => {
            if use_repair {
                e.position.offset = repair.map.to_input(e.position.offset);
            }
            return Err(match e.kind {
                SyntaxErrorKind::MixedLineEnding => FixError::LineEndingsNotSelected(e),
                _ => FixError::Syntax(e),
            });
        }
    };
    if use_repair {
        if same_framing(&doc.dialect, &dialect) {
            fixes.extend(repair.rewritten.iter().map(|r| AppliedFix {
                kind: FixKind::LineEndings,
                row: Some(r.row),
                line: Some(r.line),
                message: format!(
                    "the line ended with {}; it now ends with {}, like the first line",
                    r.was.describe(),
                    dialect.terminator.describe()
                ),
            }));
        } else {
            // Only in a file whose first line ends in a lone `\r`: Canvas's first "line" then
            // runs to the first `\n`, and rewriting that `\n` changes what it counts.
            return Err(FixError::LineEndingsChangeFraming(original_error(input)));
        }
    }
    let lines: Vec<u64> = doc.records.iter().map(|r| r.line()).collect();
    let records = doc.records.len();
    drop(doc);

    type Stage = fn(&fixes::Input<'_>) -> fixes::Output;
    let stages: [(&[FixKind], Stage); 5] = [
        (&[FixKind::HeaderNames], fixes::header_names::run),
        (&[FixKind::TrailingHeaderCells], fixes::trailing_header::run),
        (&[FixKind::ShortRows], fixes::short_rows::run),
        (&[FixKind::WorkflowState, FixKind::ObjectType, FixKind::CalculationMethod], fixes::enums::run),
        (&[FixKind::ParentsFirst], fixes::parents_first::run),
    ];
    // Each stage's refusals, replaced when a stage is tried again.
    let mut stage_refused: Vec<Vec<Refusal>> = vec![Vec::new(); stages.len()];
    let mut framing_refused = Vec::new();
    for (index, (kinds, stage)) in stages.iter().enumerate() {
        if !kinds.iter().any(|k| options.fixes.contains(*k)) {
            continue;
        }
        let Ok(doc) = Doc::parse(&current) else {
            // Every stage's output was parsed before it was accepted.
            break;
        };
        let input = fixes::Input { doc: &doc, bytes: &current, options, lines: &lines };
        let out = stage(&input);
        stage_refused[index] = out.refused;
        let Some(next) = out.bytes else {
            continue;
        };
        if next == current {
            continue;
        }
        let keeps_framing =
            Doc::parse(&next).is_ok_and(|new| same_framing(&new.dialect, &doc.dialect) && new.records.len() == records);
        if keeps_framing {
            fixes.extend(out.fixes);
            drop(doc);
            current = next;
        } else {
            framing_refused.push(index);
            for kind in kinds.iter().filter(|k| options.fixes.contains(**k)) {
                stage_refused[index].push(framing_refusal(*kind));
            }
        }
    }
    // A stage refused because it would change the framing may keep it once later stages have
    // run: when Canvas's first line (up to the first `\n`) runs past the header, `short-rows`
    // can add more separators than `trailing-header-cells` drops. Planning the output again
    // would then apply it; try such stages again now, so that `plan` stays idempotent. (Their
    // rows are those of the file fixed so far, the input's unless `parents-first` moved rows.)
    // Only stages still refused are tried again, and only while one of them applies; the bound
    // makes sure this ends even if two stages were ever to undo each other.
    let mut progress = true;
    let mut rounds = 0;
    while progress && rounds < stages.len() {
        progress = false;
        rounds += 1;
        for &index in &framing_refused {
            let (_, stage) = stages[index];
            let Ok(doc) = Doc::parse(&current) else {
                break;
            };
            let input = fixes::Input { doc: &doc, bytes: &current, options, lines: &lines };
            let out = stage(&input);
            let Some(next) = out.bytes.filter(|next| *next != current) else {
                continue;
            };
            let keeps_framing = Doc::parse(&next)
                .is_ok_and(|new| same_framing(&new.dialect, &doc.dialect) && new.records.len() == records);
            if keeps_framing {
                fixes.extend(out.fixes);
                stage_refused[index] = out.refused;
                drop(doc);
                current = next;
                progress = true;
            }
        }
        framing_refused
            .retain(|&index| stage_refused[index].iter().any(|r| r.message == framing_refusal(r.kind).message));
    }
    refused.extend(stage_refused.into_iter().flatten());
    fixes.sort_by_key(|f| f.kind);
    Ok(FixPlan { fixes, refused, output: current })
}

fn framing_refusal(kind: FixKind) -> Refusal {
    Refusal {
        kind,
        row: None,
        line: None,
        message: "these changes would change how Canvas detects the file's separator or line ending from its first line, so none of them was made".into(),
        guids: Vec::new(),
    }
}

/// The reader's error for `input`, which has one (mixed line endings at least).
fn original_error(input: &[u8]) -> SyntaxError {
    match Doc::parse(input) {
        Err(e) => e,
        Ok(_) => SyntaxError {
            kind: SyntaxErrorKind::MixedLineEnding,
            position: outcomes_csv::Position { offset: 0, line: 1, column: 1 },
            row: 1,
            byte: None,
        },
    }
}
