//! Property tests of `plan` on generated outcome files: groups and outcomes with random parent
//! links (missing parents, cycles, another course's groups, duplicates), rows shuffled, blank
//! rows, random quoting, enumerations and header names in random case and spacing, trailing
//! header cells, short rows, mixed `\n`/`\r\n`/`\r`, BOM, `;`.
//!
//! What must hold for every file:
//! - fixing is idempotent, and a fixed file has nothing left to fix;
//! - afterwards Canvas (`check_bytes`'s Canvas checks) reports none of the fixed findings: no OL002, OL004, OL005, OL007,
//!   OL008; OL019/OL020/OL031 only for values no fix can read (`giraffe`); OL023 only for rows
//!   that no order can satisfy (by an independent model of the file), each explained by a refusal;
//! - the reorder keeps the same multiset of records and the header first;
//! - records no fix had to touch come out byte-identical;
//! - a file with nothing to fix comes out identical;
//! - the reorder moves the fewest rows of any order Canvas accepts (brute force on small files).

use std::collections::{BTreeMap, HashMap, HashSet};

use outcomes_csv::{Columns, Field, Reader, ReaderOptions, Record};
use outcomes_fix::{plan, FixKind, FixOptions, FixPlan, FixSet};
use outcomes_rules::{CanvasOptions, Checked, Checker, LintSelection, Rule};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The model of a generated file.

const GARBAGE: [&str; 3] = ["giraffe", "sometimes", "maximal"];

#[derive(Debug, Clone)]
struct Item {
    guid: String,
    group: bool,
    parents: Vec<String>,
    course: Option<&'static str>,
    title: String,
    description: String,
    object_type: String,
    workflow: String,
    method: String,
}

impl Item {
    /// Canvas rejects the row whatever its position (a value no fix can read).
    fn broken(&self) -> bool {
        [&self.object_type, &self.workflow, &self.method].iter().any(|v| GARBAGE.contains(&v.as_str()))
    }
}

/// Which rows some order lets Canvas import, by guid: an independent model of Canvas's lookup.
fn satisfiable(items: &[Item], course_column: bool) -> HashMap<String, bool> {
    let mut groups: HashMap<(&str, Option<&str>), &Item> = HashMap::new();
    let mut any_context: HashMap<&str, &Item> = HashMap::new();
    for item in items.iter().filter(|i| i.group && !i.broken() && i.parents.len() <= 1) {
        groups.entry((&item.guid, item.course)).or_insert(item);
        any_context.entry(&item.guid).or_insert(item);
    }
    fn group_ok(groups: &HashMap<(&str, Option<&str>), &Item>, item: &Item, seen: &mut HashSet<String>) -> bool {
        if !seen.insert(item.guid.clone()) {
            return false; // a cycle
        }
        match item.parents.first() {
            None => true,
            Some(p) => groups.get(&(p.as_str(), item.course)).is_some_and(|parent| group_ok(groups, parent, seen)),
        }
    }
    let mut result = HashMap::new();
    for item in items {
        let ok = if item.broken() {
            false
        } else if item.group {
            item.parents.len() <= 1 && group_ok(&groups, item, &mut HashSet::new())
        } else {
            item.parents.iter().all(|p| {
                let parent = if course_column { any_context.get(p.as_str()) } else { groups.get(&(p.as_str(), None)) };
                parent.is_some_and(|g| group_ok(&groups, g, &mut HashSet::new()))
            })
        };
        result.insert(item.guid.clone(), ok);
    }
    result
}

// ---------------------------------------------------------------------------------------------
// The generator.

#[derive(Debug, Clone)]
struct Spec {
    groups: Vec<(u8, bool)>,          // (parent choice, in course 7)
    outcomes: Vec<Vec<u8>>,           // parent choices
    optional: [bool; 4],              // course_id, workflow_state, calculation_method, description
    column_keys: Vec<u8>,             // shuffles the columns
    row_keys: Vec<u16>,               // shuffles the rows
    spellings: Vec<(u8, u8, u8, u8)>, // object_type, workflow_state, calculation_method, quoting
    blanks: Vec<(u8, u8)>,            // (kind, position)
    duplicate: Option<u8>,
    header_variants: u8, // bit mask
    trailing_header: u8, // empty cells after the header
    short_rows: Vec<u8>, // cells to drop from row i's end (if absent)
    terminator: u8,
    mixed: Vec<u8>, // per-record line break choice
    bom: bool,
    semicolon: bool,
    final_newline: bool,
    messy: bool,
}

fn spec(messy: bool) -> impl Strategy<Value = Spec> {
    let shape = (
        prop::collection::vec((any::<u8>(), prop::bool::weighted(0.2)), 0..6),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..3), 0..6),
        [any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()],
        prop::collection::vec(any::<u8>(), 8),
        prop::collection::vec(any::<u16>(), 14),
        prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()), 14),
    );
    let noise = (
        prop::collection::vec((any::<u8>(), any::<u8>()), 0..3),
        prop::option::weighted(0.2, any::<u8>()),
        any::<u8>(),
        0u8..3,
        prop::collection::vec(any::<u8>(), 14),
        0u8..10,
        prop::collection::vec(any::<u8>(), 16),
        any::<bool>(),
        prop::bool::weighted(0.2),
        any::<bool>(),
    );
    (shape, noise).prop_map(move |(shape, noise)| Spec {
        groups: shape.0,
        outcomes: shape.1,
        optional: shape.2,
        column_keys: shape.3,
        row_keys: shape.4,
        spellings: shape.5,
        blanks: noise.0,
        duplicate: noise.1,
        header_variants: noise.2,
        trailing_header: noise.3,
        short_rows: noise.4,
        terminator: noise.5,
        mixed: noise.6,
        bom: noise.7,
        semicolon: noise.8,
        final_newline: noise.9,
        messy,
    })
}

/// A generated file: its bytes, its model, and the raw bytes of each record (header first).
#[derive(Debug, Clone)]
struct File {
    bytes: Vec<u8>,
    items: Vec<Item>,
    course_column: bool,
    records: Vec<Vec<u8>>,
}

fn pick<'a>(choices: &[&'a str], n: u8) -> &'a str {
    choices[n as usize % choices.len()]
}

fn build(spec: &Spec) -> File {
    let messy = spec.messy;
    let [course_column, workflow_column, method_column, description_column] = spec.optional;
    let n_groups = spec.groups.len();
    let mut items = Vec::new();
    for (i, &(parent, in_course)) in spec.groups.iter().enumerate() {
        let parents = match parent {
            _ if n_groups == 0 => vec![],
            0..=89 => vec![],
            // Mostly an earlier group (a forest), sometimes any group (cycles), rarely a
            // missing one.
            90..=219 if i > 0 => vec![format!("g{}", parent as usize % i)],
            90..=219 => vec![],
            220..=245 if messy => vec![format!("g{}", parent as usize % n_groups)],
            220..=245 => vec![],
            _ if messy => vec!["nowhere".to_owned()],
            _ => vec![],
        };
        items.push(Item {
            guid: format!("g{i}"),
            group: true,
            parents,
            course: (course_column && in_course && messy).then_some("7"),
            title: format!("Group {i}"),
            description: String::new(),
            object_type: "group".into(),
            workflow: String::new(),
            method: String::new(),
        });
    }
    for (i, choices) in spec.outcomes.iter().enumerate() {
        let mut parents: Vec<String> = Vec::new();
        for &c in choices {
            let p = if n_groups == 0 || (c > 240 && messy) {
                "nowhere".to_owned()
            } else {
                format!("g{}", c as usize % n_groups)
            };
            if !parents.contains(&p) {
                parents.push(p);
            }
        }
        if !messy && n_groups == 0 {
            parents.clear();
        }
        items.push(Item {
            guid: format!("o{i}"),
            group: false,
            parents,
            course: None,
            title: format!("Outcome {i}"),
            description: String::new(),
            object_type: "outcome".into(),
            workflow: String::new(),
            method: String::new(),
        });
    }
    // Spellings.
    for (i, item) in items.iter_mut().enumerate() {
        let (ot, wf, cm, _) = spec.spellings[i % spec.spellings.len()];
        let garbage = messy && ot % 29 == 0;
        item.object_type = if garbage {
            GARBAGE[0].into()
        } else if messy {
            let variants: &[&str] = if item.group {
                &["group", "Group", " group", "GROUP ", "\u{A0}Group"]
            } else {
                &["outcome", "Outcome", "outcome ", " OUTCOME", "outcome"]
            };
            pick(variants, ot).into()
        } else {
            item.object_type.clone()
        };
        if workflow_column {
            let variants: &[&str] = if messy {
                &["", "active", "deleted", " Active", "DELETED ", "  ", "", "sometimes"]
            } else {
                &["", "active", "deleted"]
            };
            item.workflow = pick(variants, wf).into();
        }
        if method_column && !item.group {
            let variants: &[&str] = if messy {
                &["", "highest", "Decaying_Average", " n mastery ", "Latest", "maximal"]
            } else {
                &["", "highest", "decaying_average", "n_mastery"]
            };
            item.method = pick(variants, cm).into();
        }
        if description_column && cm % 3 == 0 {
            item.description = "Two\nlines, \"quoted\"".into();
        }
    }
    if let Some(d) = spec.duplicate.filter(|_| messy && !items.is_empty()) {
        let mut copy = items[d as usize % items.len()].clone();
        copy.title.push_str(" again");
        items.push(copy);
    }

    // Columns, in a random order.
    let mut columns: Vec<&str> = vec!["title", "vendor_guid", "object_type", "parent_guids"];
    for (present, name) in
        spec.optional.iter().zip(["course_id", "workflow_state", "calculation_method", "description"])
    {
        if *present {
            columns.push(name);
        }
    }
    let mut keyed: Vec<(u8, &str)> = columns.iter().enumerate().map(|(i, c)| (spec.column_keys[i], *c)).collect();
    keyed.sort();
    let columns: Vec<&str> = keyed.into_iter().map(|(_, c)| c).collect();
    let delimiter = if spec.semicolon { ";" } else { "," };

    let header_variant = |name: &str| -> &str {
        match name {
            "title" => "Title",
            "vendor_guid" => " vendor_guid",
            "object_type" => "Object Type",
            "parent_guids" => "parent-guids",
            "course_id" => "Course_ID",
            "workflow_state" => "Workflow State",
            "calculation_method" => "calculation method",
            _ => "Description",
        }
    };
    let mut header: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if messy && spec.header_variants & (1 << (i % 8)) != 0 && i % 3 == 0 {
                header_variant(c).to_owned()
            } else {
                (*c).to_owned()
            }
        })
        .collect();
    let extra = if messy { spec.trailing_header as usize } else { 0 };
    header.extend(std::iter::repeat_n(String::new(), extra));

    // Rows: in a random order (parents first when the file must be clean).
    let mut order: Vec<usize> = (0..items.len()).collect();
    if messy {
        order.sort_by_key(|&i| (spec.row_keys[i % spec.row_keys.len()], i));
    } else {
        // Groups (already parent-first: parents are earlier groups), then outcomes.
        order.sort_by_key(|&i| (!items[i].group, spec.row_keys[i % spec.row_keys.len()], i));
        let mut groups: Vec<usize> = order.iter().copied().filter(|&i| items[i].group).collect();
        groups.sort();
        let outcomes: Vec<usize> = order.iter().copied().filter(|&i| !items[i].group).collect();
        order = groups.into_iter().chain(outcomes).collect();
    }
    let mut rows: Vec<Vec<u8>> = Vec::new();
    for (position, &i) in order.iter().enumerate() {
        let item = &items[i];
        let quoting = spec.spellings[i % spec.spellings.len()].3;
        let mut cells: Vec<String> = Vec::new();
        for (c, column) in columns.iter().enumerate() {
            let value = match *column {
                "title" => item.title.clone(),
                "vendor_guid" => item.guid.clone(),
                "object_type" => item.object_type.clone(),
                "parent_guids" => item.parents.join(if quoting % 5 == 0 { "  " } else { " " }),
                "course_id" => item.course.unwrap_or_default().to_owned(),
                "workflow_state" => item.workflow.clone(),
                "calculation_method" => item.method.clone(),
                _ => item.description.clone(),
            };
            let must_quote = value.contains(['"', '\n', ',', ';']);
            let quote = must_quote || (quoting >> (c % 8)) & 1 == 1;
            cells.push(if quote { format!("\"{}\"", value.replace('"', "\"\"")) } else { value });
        }
        cells.extend(std::iter::repeat_n(String::new(), extra));
        if messy {
            let drop = spec.short_rows[position % spec.short_rows.len()] as usize % 4;
            for _ in 0..drop {
                if cells.len() > 1 && cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
            }
        }
        rows.push(cells.join(delimiter).into_bytes());
    }
    if messy {
        for &(kind, at) in &spec.blanks {
            let blank = match kind % 3 {
                0 => String::new(),
                1 => delimiter.repeat(2),
                _ => " ".to_owned(),
            };
            let at = at as usize % (rows.len() + 1);
            rows.insert(at, blank.into_bytes());
        }
    }
    let mut records = vec![header.join(delimiter).into_bytes()];
    records.extend(rows);

    // Line breaks.
    let terminator: &[u8] = match spec.terminator {
        0..=4 => b"\n",
        5..=8 => b"\r\n",
        _ => b"\r",
    };
    let mut bytes = Vec::new();
    if spec.bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut previous: &[u8] = b"";
    for (i, record) in records.iter().enumerate() {
        bytes.extend_from_slice(record);
        let last = i + 1 == records.len();
        if last && !spec.final_newline && !record.is_empty() {
            break;
        }
        let choice = spec.mixed[i % spec.mixed.len()];
        let mut brk: &[u8] = if messy && i > 0 && choice % 4 == 0 {
            match choice % 3 {
                0 => b"\n",
                1 => b"\r\n",
                _ => b"\r",
            }
        } else {
            terminator
        };
        // A lone `\r`, an empty line, then `\n` would read as one `\r\n`: a generator artefact.
        if record.is_empty() && previous == b"\r" && brk.starts_with(b"\n") {
            brk = b"\r";
        }
        bytes.extend_from_slice(brk);
        previous = brk;
    }
    File { bytes, items, course_column, records }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// Canvas's own checks, as `check_bytes` runs them, without lints: the properties are about
/// what Canvas reports, which lints never change.
fn canvas_check(bytes: &[u8], options: &CanvasOptions) -> Checked {
    Checker::new(options.clone())
        .with_lints(LintSelection::none())
        .with_limits(ReaderOptions { max_record_bytes: usize::MAX })
        .check(bytes)
        .expect("reading memory cannot fail")
}

fn raw_records(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut reader = Reader::new(bytes).expect("reader");
    let mut record = Record::new();
    let mut out = Vec::new();
    while reader.read_record(&mut record).expect("the file parses") {
        out.push(record.raw().to_vec());
    }
    out
}

/// The vendor_guid of a row, read through the header.
fn vendor_guid_of(bytes: &[u8], row: u64) -> String {
    let mut reader = Reader::new(bytes).expect("reader");
    let mut record = Record::new();
    let mut columns = None;
    while reader.read_record(&mut record).expect("the file parses") {
        if record.row() == 1 {
            columns = Some(Columns::from_header(&record));
        }
        if record.row() == row {
            let column = columns.as_ref().and_then(|c| c.column(Field::VendorGuid)).expect("a vendor_guid column");
            return String::from_utf8_lossy(record.get(column).unwrap_or_default()).into_owned();
        }
    }
    String::new()
}

fn multiset(records: &[Vec<u8>]) -> BTreeMap<&[u8], usize> {
    let mut m = BTreeMap::new();
    for r in records {
        *m.entry(r.as_slice()).or_default() += 1;
    }
    m
}

fn canvas_errors(checked: &Checked, rule: Rule) -> Vec<&outcomes_rules::Diagnostic> {
    checked.diagnostics.iter().filter(|d| d.rule == rule && d.canvas.is_some()).collect()
}

/// The value of the cell a diagnostic points at, quotes removed.
fn cell_at(bytes: &[u8], d: &outcomes_rules::Diagnostic) -> String {
    let span = d.span.expect("a span");
    let raw = String::from_utf8_lossy(&bytes[span.start as usize..span.end as usize]).into_owned();
    raw.trim_matches('"').replace("\"\"", "\"")
}

fn without(kind: FixKind) -> FixOptions {
    let mut fixes = FixSet::all();
    fixes.remove(kind);
    FixOptions { fixes, canvas: CanvasOptions::default() }
}

fn check_properties(file: &File) -> Result<(), TestCaseError> {
    let fixed: FixPlan =
        plan(&file.bytes, &FixOptions::default()).map_err(|e| TestCaseError::fail(format!("plan failed: {e}")))?;
    let out = &fixed.output;

    // Idempotent, and nothing left to fix.
    let again =
        plan(out, &FixOptions::default()).map_err(|e| TestCaseError::fail(format!("second plan failed: {e}")))?;
    prop_assert_eq!(&again.output, out, "fixing twice changed more");
    prop_assert!(again.fixes.is_empty(), "left to fix: {:?}", again.fixes);
    prop_assert_eq!(fixed.changed(), out != &file.bytes);

    // Canvas reports none of the fixed findings.
    let checked = canvas_check(out, &CanvasOptions::default());
    for rule in
        [Rule::InvalidCsv, Rule::MissingRequiredFields, Rule::UnknownFields, Rule::EmptyHeaderCell, Rule::ShortRow]
    {
        prop_assert!(
            canvas_errors(&checked, rule).is_empty(),
            "{} after fixing: {:?}",
            rule.code(),
            canvas_errors(&checked, rule)
        );
    }
    for rule in [Rule::WorkflowStateInvalid, Rule::ObjectTypeInvalid, Rule::CalculationMethodInvalid] {
        for d in canvas_errors(&checked, rule) {
            let value = cell_at(out, d);
            prop_assert!(
                GARBAGE.contains(&value.as_str()),
                "{} for {:?}, which a fix should have read",
                rule.code(),
                value
            );
        }
    }
    // OL023 only where no order helps, and each explained by a refusal.
    let sat = satisfiable(&file.items, file.course_column);
    let out_records = raw_records(out);
    let refused_guids: HashSet<&str> = fixed
        .refused
        .iter()
        .filter(|r| r.kind == FixKind::ParentsFirst)
        .flat_map(|r| r.guids.iter().map(String::as_str))
        .collect();
    for d in canvas_errors(&checked, Rule::ParentNotFound) {
        let row = d.row.expect("a row");
        let guid = vendor_guid_of(out, row);
        prop_assert!(
            !sat.get(&guid).copied().unwrap_or(false),
            "row {row} ({guid}) could be imported in some order but was left with {}",
            d.message
        );
        for g in &d.guids {
            prop_assert!(
                refused_guids.contains(g.as_str()),
                "row {row}: parent {g} missing without a refusal saying so ({:?})",
                fixed.refused
            );
        }
    }

    // The reorder only permutes records: compare with everything but the reorder.
    let unordered = plan(&file.bytes, &without(FixKind::ParentsFirst))
        .map_err(|e| TestCaseError::fail(format!("plan failed: {e}")))?;
    let unordered_records = raw_records(&unordered.output);
    prop_assert_eq!(out_records.first(), unordered_records.first(), "header first");
    prop_assert_eq!(multiset(&out_records), multiset(&unordered_records));

    // Records no fix had to touch are byte-identical.
    let touched: HashSet<u64> = fixed
        .fixes
        .iter()
        .filter(|f| !matches!(f.kind, FixKind::LineEndings | FixKind::ParentsFirst))
        .filter_map(|f| f.row)
        .collect();
    let output_set = multiset(&out_records);
    for (i, record) in file.records.iter().enumerate() {
        let row = i as u64 + 1;
        if !touched.contains(&row) {
            prop_assert!(
                output_set.contains_key(record.as_slice()),
                "row {row} was not fixed but changed: {:?}\ninput: {:?}\nrecords: {:?}\noutput: {:?}\nfixes: {:#?}",
                String::from_utf8_lossy(record),
                String::from_utf8_lossy(&file.bytes),
                file.records.iter().map(|r| String::from_utf8_lossy(r)).collect::<Vec<_>>(),
                String::from_utf8_lossy(out),
                fixed.fixes
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn fixing_a_messy_file_leaves_only_what_no_fix_may_touch(spec in spec(true)) {
        let file = build(&spec);
        check_properties(&file)?;
    }

    #[test]
    fn any_selection_of_fixes_is_idempotent_and_applies_only_what_is_selected(
        spec in spec(true),
        mask in any::<u8>(),
    ) {
        let file = build(&spec);
        let options = FixOptions {
            fixes: FixSet::only(
                FixKind::ALL.into_iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, k)| k),
            ),
            canvas: CanvasOptions::default(),
        };
        let Ok(fixed) = plan(&file.bytes, &options) else {
            // Only mixed line endings, with their fix not selected.
            prop_assert!(!options.fixes.contains(FixKind::LineEndings));
            return Ok(());
        };
        for f in &fixed.fixes {
            prop_assert!(options.fixes.contains(f.kind), "{} applied but not selected", f.kind);
        }
        let again = plan(&fixed.output, &options)
            .map_err(|e| TestCaseError::fail(format!("second plan failed: {e}")))?;
        prop_assert_eq!(&again.output, &fixed.output, "fixing twice changed more");
        prop_assert!(again.fixes.is_empty(), "left to fix: {:?}", again.fixes);
    }

    #[test]
    fn a_file_with_nothing_to_fix_comes_out_identical(spec in spec(false)) {
        let file = build(&spec);
        let fixed = plan(&file.bytes, &FixOptions::default())
            .map_err(|e| TestCaseError::fail(format!("plan failed: {e}")))?;
        prop_assert!(fixed.fixes.is_empty(), "{:?}", fixed.fixes);
        prop_assert!(fixed.refused.is_empty(), "{:?}", fixed.refused);
        prop_assert_eq!(fixed.output, file.bytes);
    }
}

// ---------------------------------------------------------------------------------------------
// Minimality against brute force: every order of the data rows that Canvas accepts.

/// A small clean forest: `(is_group, parent index among earlier groups)` per row, shuffled.
fn small_file() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec((any::<bool>(), any::<u8>()), 1..7), Just(()))
        .prop_flat_map(|(rows, ())| {
            let n = rows.len();
            (Just(rows), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        })
        .prop_map(|(rows, order)| {
            let mut lines: Vec<String> = Vec::new();
            let mut groups: Vec<usize> = Vec::new();
            for (i, &(group, parent)) in rows.iter().enumerate() {
                let parent = if groups.is_empty() || parent % 3 == 0 {
                    String::new()
                } else {
                    format!("r{}", groups[parent as usize % groups.len()])
                };
                let kind = if group { "group" } else { "outcome" };
                lines.push(format!("T{i},r{i},{kind},{parent}"));
                if group {
                    groups.push(i);
                }
            }
            let mut text = String::from("title,vendor_guid,object_type,parent_guids\n");
            for &i in &order {
                text.push_str(&lines[i]);
                text.push('\n');
            }
            text.into_bytes()
        })
}

/// Rows moved between two orders of the same distinct records: n − LCS.
fn moves(before: &[Vec<u8>], after: &[Vec<u8>]) -> usize {
    let index: HashMap<&[u8], usize> = before.iter().enumerate().map(|(i, r)| (r.as_slice(), i)).collect();
    let seq: Vec<usize> = after.iter().map(|r| index[r.as_slice()]).collect();
    // Longest increasing subsequence.
    let mut tails: Vec<usize> = Vec::new();
    for v in seq {
        let k = tails.partition_point(|&t| t < v);
        if k == tails.len() {
            tails.push(v);
        } else {
            tails[k] = v;
        }
    }
    before.len() - tails.len()
}

fn fewest_moves_by_brute_force(bytes: &[u8]) -> usize {
    let records = raw_records(bytes);
    let header = records[0].clone();
    let data: Vec<Vec<u8>> = records[1..].to_vec();
    let mut best = usize::MAX;
    let mut perm: Vec<usize> = (0..data.len()).collect();
    // Heap's algorithm over every permutation.
    fn visit(k: usize, perm: &mut Vec<usize>, data: &[Vec<u8>], header: &[u8], best: &mut usize) {
        if k == 1 {
            let ordered: Vec<Vec<u8>> = perm.iter().map(|&i| data[i].clone()).collect();
            let mut file = header.to_vec();
            file.push(b'\n');
            for r in &ordered {
                file.extend_from_slice(r);
                file.push(b'\n');
            }
            let checked = canvas_check(&file, &CanvasOptions::default());
            if canvas_errors(&checked, Rule::ParentNotFound).is_empty() {
                *best = (*best).min(moves(data, &ordered));
            }
            return;
        }
        for i in 0..k {
            visit(k - 1, perm, data, header, best);
            let j = if k % 2 == 0 { i } else { 0 };
            perm.swap(j, k - 1);
        }
    }
    let n = perm.len();
    visit(n.max(1), &mut perm, &data, &header, &mut best);
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn the_reorder_moves_the_fewest_rows_any_accepted_order_needs(bytes in small_file()) {
        let fixed = plan(&bytes, &FixOptions::default()).expect("plan");
        let before = raw_records(&bytes);
        let after = raw_records(&fixed.output);
        let checked = canvas_check(&fixed.output, &CanvasOptions::default());
        prop_assert!(canvas_errors(&checked, Rule::ParentNotFound).is_empty());
        let ours = moves(&before[1..], &after[1..]);
        let moved = fixed.fixes.iter().filter(|f| f.kind == FixKind::ParentsFirst).count();
        prop_assert_eq!(ours, moved, "one AppliedFix per moved row");
        prop_assert_eq!(ours, fewest_moves_by_brute_force(&bytes));
    }
}
