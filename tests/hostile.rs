//! Hostile inputs: each is answered in bounded time and memory, with a clear diagnostic, and
//! never by a panic, a stack overflow or silent truncation.
//!
//! Every case runs through [`check_bytes`] (all in memory) and [`check_reader`] (streamed in
//! pipe-sized chunks), which must agree. The time bounds are loose, for a debug build on a slow
//! machine; `memory_stays_bounded_on_hostile_files` measures the peak memory of a child process
//! (this test binary, re-run on one case) that streams each file from disk, from Linux's
//! `/proc/self/status` (`VmHWM`); elsewhere it says it is skipped. The README's "Reliability"
//! section lists the measured times and peaks. `tests/hostile.rs` also replays the inputs the
//! fuzzers found (`fixtures/regressions/`).
//!
//! The inputs are generated, with sizes as the issue asks (a 20 MB field, a 200,000-column
//! header, 100,000 nested groups, 1,000,000 blank lines, 10 MB of garbage, 10 MB of quotes). Set
//! `OUTCOMES_LINT_HOSTILE_SCALE` to a divisor (e.g. `10`) to run them smaller.

mod invariants;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use invariants::{assert_check_invariants, assert_reader_invariants, french_new_decaying_average, Chunked};
use outcomes_csv::ReaderOptions;
use outcomes_rules::{check_bytes, check_reader, CanvasOptions, CheckError, Checked, Checker, Rule, WorkflowState};

const MB: usize = 1_000_000;

/// How long any one case may take, checked both ways, in a debug build.
const TIME_BOUND: Duration = Duration::from_secs(30);

/// How much memory (peak resident set, the test harness included) checking any one case from
/// disk may take.
const MEMORY_BOUND_KB: u64 = 400_000;

/// `n` divided by `OUTCOMES_LINT_HOSTILE_SCALE` (default 1).
fn scaled(n: usize) -> usize {
    let divisor = std::env::var("OUTCOMES_LINT_HOSTILE_SCALE")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&d| d > 0)
        .unwrap_or(1);
    (n / divisor).max(1)
}

// ---------------------------------------------------------------------------------------------
// The inputs.

/// A 20 MB description, quoted, in an otherwise ordinary row.
fn a_20_mb_field() -> Vec<u8> {
    let mut file = b"vendor_guid,object_type,title,description\no1,outcome,Title,\"".to_vec();
    file.resize(file.len() + scaled(20 * MB), b'x');
    file.extend_from_slice(b"\"\n");
    file
}

/// A header of 200,000 columns: the three required ones and 199,997 unknown ones.
fn a_200_000_column_header() -> Vec<u8> {
    let columns = scaled(200_000);
    let mut file = b"vendor_guid,object_type,title".to_vec();
    for i in 3..columns {
        file.extend_from_slice(format!(",c{i}").as_bytes());
    }
    file.extend_from_slice(b"\ng1,group,Math");
    file.resize(file.len() + columns - 3, b',');
    file.push(b'\n');
    file
}

/// 100,000 groups, each the parent of the next: in order, or children first.
fn a_chain_of_groups(children_first: bool) -> Vec<u8> {
    let n = scaled(100_000);
    let mut rows: Vec<String> = (0..n)
        .map(|i| match i {
            0 => "g0,group,Group 0,\n".to_owned(),
            _ => format!("g{i},group,Group {i},g{}\n", i - 1),
        })
        .collect();
    if children_first {
        rows.reverse();
    }
    let mut file = b"vendor_guid,object_type,title,parent_guids\n".to_vec();
    file.extend(rows.concat().into_bytes());
    file
}

/// A header and 1,000,000 blank lines.
fn a_million_blank_lines() -> Vec<u8> {
    let mut file = b"vendor_guid,object_type,title\n".to_vec();
    file.resize(file.len() + scaled(1_000_000), b'\n');
    file
}

/// 10 MB of pseudo-random bytes (xorshift, fixed seed).
fn binary_garbage() -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..scaled(10 * MB))
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

/// A valid file saved as UTF-16 with its byte-order mark.
fn utf16(big_endian: bool) -> Vec<u8> {
    let text = "vendor_guid,object_type,title\r\ng1,group,Math\r\no1,outcome,Addition\r\n";
    let mut file = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for unit in text.encode_utf16() {
        file.extend_from_slice(&if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    file
}

/// `count` double quotes and nothing else.
fn a_storm_of_quotes(count: usize) -> Vec<u8> {
    vec![b'"'; count]
}

// ---------------------------------------------------------------------------------------------
// Running a case.

/// Checks `bytes` in memory and streamed in 64 KiB chunks (as from a pipe), with the default
/// account and a French one: within the time bound, the invariants hold, and both ways agree.
/// Returns the in-memory result with the default account.
fn check_both_ways(name: &str, bytes: &[u8]) -> Checked {
    let start = Instant::now();
    let checked = check_bytes(bytes, &CanvasOptions::default());
    let in_memory = start.elapsed();
    assert_check_invariants(bytes, &checked);

    let start = Instant::now();
    let streamed = check_reader(Chunked::new(bytes, vec![65_536]), &CanvasOptions::default())
        .unwrap_or_else(|e| panic!("{name}: streaming failed: {e}"));
    let streaming = start.elapsed();
    assert_eq!(checked.diagnostics, streamed.diagnostics, "{name}: streamed differently");

    let french = check_bytes(bytes, &french_new_decaying_average());
    assert_check_invariants(bytes, &french);
    eprintln!(
        "{name}: {} bytes, {} records, {} diagnostics: in memory {in_memory:.2?}, streamed {streaming:.2?}",
        bytes.len(),
        checked.records,
        checked.diagnostics.len()
    );
    assert!(in_memory < TIME_BOUND, "{name}: {in_memory:?} in memory");
    assert!(streaming < TIME_BOUND, "{name}: {streaming:?} streamed");
    checked
}

/// The rules of the diagnostics Canvas reports.
fn canvas_rules(checked: &Checked) -> Vec<Rule> {
    checked.diagnostics.iter().filter(|d| d.canvas.is_some()).map(|d| d.rule).collect()
}

fn has(checked: &Checked, rule: Rule) -> bool {
    checked.diagnostics.iter().any(|d| d.rule == rule)
}

// ---------------------------------------------------------------------------------------------
// The cases.

#[test]
fn a_20_mb_field_is_reported_as_too_long() {
    let bytes = a_20_mb_field();
    let checked = check_both_ways("20 MB field", &bytes);
    assert_eq!(canvas_rules(&checked), [Rule::DescriptionTooLong]);
    assert_eq!(checked.canvas_report().processing_errors[0].row, 2);
}

#[test]
fn a_20_mb_unquoted_field_is_reported_as_too_long() {
    let mut bytes = b"vendor_guid,object_type,title\no1,outcome,".to_vec();
    bytes.resize(bytes.len() + scaled(20 * MB), b'x');
    bytes.push(b'\n');
    let checked = check_both_ways("20 MB unquoted field", &bytes);
    assert_eq!(canvas_rules(&checked), [Rule::TitleTooLong]);
}

#[test]
fn a_200_000_column_header_is_reported_as_invalid_fields() {
    let bytes = a_200_000_column_header();
    let checked = check_both_ways("200,000-column header", &bytes);
    assert_eq!(canvas_rules(&checked), [Rule::UnknownFields]);
    let report = checked.canvas_report();
    assert_eq!(report.workflow_state, WorkflowState::Failed);
    // Canvas's message names every unknown field, and so does ours: no silent truncation.
    let message = &report.processing_errors[0].message;
    assert!(message.starts_with("Invalid fields: [\"c3\", \"c4\""), "{}", &message[..40]);
    assert!(message.ends_with(&format!("\"c{}\"]", scaled(200_000) - 1)));
}

/// One outcome with 100,000 rating tiers of equal points: a diagnostic for every tier, all on
/// one 700 KB line.
fn a_row_of_100_000_tiers() -> Vec<u8> {
    let mut file = b"vendor_guid,object_type,title,ratings\no1,outcome,Title".to_vec();
    for _ in 0..scaled(100_000) {
        file.extend_from_slice(b",1,Good");
    }
    file.push(b'\n');
    file
}

#[test]
fn a_row_of_100_000_rating_tiers_gets_a_diagnostic_per_tier_in_linear_time() {
    let bytes = a_row_of_100_000_tiers();
    let checked = check_both_ways("100,000 rating tiers", &bytes);
    assert!(canvas_rules(&checked).is_empty());
    let duplicates = checked.diagnostics.iter().filter(|d| d.rule == Rule::RatingPointsDuplicate).count();
    assert_eq!(duplicates, scaled(100_000) - 1);
    let last = checked.diagnostics.iter().rfind(|d| d.rule == Rule::RatingPointsDuplicate).expect("one");
    let position = last.position.expect("a place");
    // Every character of the line is ASCII: the column is the byte offset in the line.
    assert_eq!(position.column, position.offset - 38 + 1);
}

#[test]
fn a_chain_of_100_000_nested_groups_is_imported_without_recursion() {
    let bytes = a_chain_of_groups(false);
    let checked = check_both_ways("100,000 nested groups", &bytes);
    assert!(canvas_rules(&checked).is_empty());
    assert_eq!(checked.imported, scaled(100_000) as u64);
}

#[test]
fn a_chain_of_100_000_nested_groups_children_first_says_where_each_parent_is() {
    let bytes = a_chain_of_groups(true);
    let checked = check_both_ways("100,000 nested groups, children first", &bytes);
    let n = scaled(100_000) as u64;
    // Every group but the root names a parent defined further down.
    assert_eq!(checked.skipped, n - 1);
    let not_found: Vec<_> = checked.diagnostics.iter().filter(|d| d.rule == Rule::ParentNotFound).collect();
    assert_eq!(not_found.len() as u64, n - 1);
    assert!(not_found.iter().all(|d| d.related.len() == 1));
}

#[test]
fn a_million_blank_lines_are_skipped() {
    let bytes = a_million_blank_lines();
    let checked = check_both_ways("1,000,000 blank lines", &bytes);
    assert_eq!(checked.records, scaled(1_000_000) as u64 + 1);
    assert!(canvas_rules(&checked).is_empty());
    assert_eq!((checked.imported, checked.blank), (0, scaled(1_000_000) as u64));
}

#[test]
fn binary_garbage_fails_as_canvas_fails() {
    let bytes = binary_garbage();
    let checked = check_both_ways("10 MB of binary garbage", &bytes);
    assert_eq!(checked.canvas_report().workflow_state, WorkflowState::Failed);
    assert!(checked.file_failure().is_some());
}

#[test]
fn utf16_files_are_named_as_such() {
    for (name, big_endian) in [("UTF-16LE", false), ("UTF-16BE", true)] {
        let bytes = utf16(big_endian);
        let checked = check_both_ways(name, &bytes);
        assert!(has(&checked, Rule::Utf16File), "{name}: {:?}", checked.diagnostics);
        assert_eq!(checked.canvas_report().workflow_state, WorkflowState::Failed, "{name}");
    }
}

#[test]
fn a_file_without_a_final_newline_is_read_to_its_end() {
    let checked = check_both_ways("no final newline", b"vendor_guid,object_type,title\ng1,group,Math");
    assert_eq!((checked.records, checked.imported), (2, 1));
    let checked = check_both_ways("a header without newline", b"vendor_guid,object_type,title");
    assert_eq!(canvas_rules(&checked), [Rule::NoOutcomesData]);
    // One 20 MB line and no line break at all: the dialect is sniffed from all of it.
    let mut line = b"vendor_guid,object_type,title,".to_vec();
    line.resize(line.len() + scaled(20 * MB), b'x');
    let checked = check_both_ways("a 20 MB line without newline", &line);
    assert_eq!(canvas_rules(&checked), [Rule::UnknownFields]);
}

#[test]
fn a_storm_of_quotes_is_one_cell_or_an_unclosed_quote() {
    // An even number: one quoted cell of escaped quotes, which is no header Canvas knows.
    let even = a_storm_of_quotes(scaled(10 * MB) & !1);
    let checked = check_both_ways("10 MB of quotes", &even);
    assert_eq!(canvas_rules(&checked), [Rule::MissingRequiredFields]);
    // An odd number: the last quote opens a cell that never closes.
    let odd = a_storm_of_quotes(scaled(10 * MB) | 1);
    let checked = check_both_ways("10 MB of quotes and one more", &odd);
    assert_eq!(canvas_rules(&checked), [Rule::InvalidCsv]);
    let note = checked.diagnostics[0].note.as_deref().unwrap_or_default();
    assert!(note.contains("never closed"), "{note}");
}

/// An endless cell (quoted or not) in the second record, generated as it is read (so the test
/// holds none of it), in pipe-sized chunks.
struct EndlessCell {
    start: &'static [u8],
    sent: usize,
}

impl Read for EndlessCell {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(65_536);
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = self.start.get(self.sent + i).copied().unwrap_or(b'x');
        }
        self.sent += n;
        Ok(n)
    }
}

#[test]
fn a_record_over_the_limit_stops_the_check_with_an_error() {
    // The default limit, 64 MiB, from an endless pipe: an error, never a truncated check.
    for (name, start) in [
        ("quoted", &b"vendor_guid,object_type,title\ng1,group,\""[..]),
        ("unquoted", &b"vendor_guid,object_type,title\ng1,group,"[..]),
    ] {
        let started = Instant::now();
        let result = check_reader(EndlessCell { start, sent: 0 }, &CanvasOptions::default());
        let elapsed = started.elapsed();
        eprintln!("{name} record over 64 MiB, from a pipe: {elapsed:.2?}");
        match result {
            Err(CheckError::RecordTooLarge { row, line, limit }) => {
                assert_eq!((row, line, limit), (2, 2, 64 << 20));
            }
            other => panic!("expected RecordTooLarge, got {other:?}"),
        }
        assert!(elapsed < TIME_BOUND, "{name}: {elapsed:?}");
    }

    // A smaller limit, and a header line over it.
    let checker = Checker::new(CanvasOptions::default()).with_limits(ReaderOptions { max_record_bytes: 1 << 20 });
    let mut long_header = vec![b'x'; 2 << 20];
    long_header.push(b'\n');
    match checker.check(&long_header[..]) {
        Err(e @ CheckError::RecordTooLarge { row: 1, line: 1, limit: 1_048_576 }) => {
            assert_eq!(
                e.to_string(),
                "record 1 (line 1) is larger than the limit of 1048576 bytes; the file was not checked"
            );
        }
        other => panic!("expected RecordTooLarge, got {other:?}"),
    }
}

#[test]
fn a_record_of_more_than_a_million_cells_stops_the_check_with_an_error() {
    // 60 MB of separators: 60 million cells, which would take gigabytes of cell bounds. Streamed,
    // the limit is one cell per 64 bytes of the record limit: 1,048,576.
    let mut bytes = b"vendor_guid,object_type,title".to_vec();
    bytes.resize(bytes.len() + 60 * MB, b',');
    bytes.push(b'\n');
    let started = Instant::now();
    let result = check_reader(Chunked::new(&bytes, vec![65_536]), &CanvasOptions::default());
    let elapsed = started.elapsed();
    eprintln!("60 million cells, streamed: {elapsed:.2?}");
    match result {
        Err(e @ CheckError::TooManyCells { row: 1, line: 1, limit: 1_048_576 }) => {
            assert_eq!(e.to_string(), "record 1 (line 1) has more than 1048576 cells; the file was not checked");
        }
        other => panic!("expected TooManyCells, got {other:?}"),
    }
    assert!(elapsed < TIME_BOUND, "{elapsed:?}");
    // Exactly at the limit is fine.
    let mut bytes = b"vendor_guid,object_type,title".to_vec();
    bytes.resize(bytes.len() + (1 << 20) - 3, b',');
    bytes.push(b'\n');
    let checked = check_reader(&bytes[..], &CanvasOptions::default()).expect("at the limit");
    assert_eq!(canvas_rules(&checked), [Rule::EmptyHeaderCell]);
}

// ---------------------------------------------------------------------------------------------
// Memory, measured in a child process.

/// The environment variable that makes `memory_probe` check a file and report its peak memory.
const PROBE: &str = "OUTCOMES_LINT_MEMORY_PROBE";

/// Not a test on its own: when run by `memory_stays_bounded_on_hostile_files` with [`PROBE`]
/// set to a file, checks it from disk (streamed, as the command line does) and prints its peak
/// resident memory.
#[test]
fn memory_probe() {
    let Some(path) = std::env::var_os(PROBE) else {
        return;
    };
    let outcome = match Checker::new(CanvasOptions::default()).check_path(&path) {
        Ok(checked) => format!("{} diagnostics", checked.diagnostics.len()),
        Err(e) => format!("error: {e}"),
    };
    println!("probe-peak-kb={} {outcome}", peak_kb().unwrap_or(0));
}

/// This process's peak resident memory, from `/proc/self/status` (Linux only).
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `memory_probe` in a child process on `path`; its peak in kB and what it found.
fn probe(path: &Path) -> (u64, String) {
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["memory_probe", "--exact", "--nocapture", "--test-threads=1"])
        .env(PROBE, path)
        .output()
        .expect("run the probe");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| Some(&l[l.find("probe-peak-kb=")? + "probe-peak-kb=".len()..]))
        .unwrap_or_else(|| panic!("probe printed nothing: {stdout}"));
    let (kb, outcome) = line.split_once(' ').unwrap_or((line, ""));
    (kb.parse().expect("a number"), outcome.to_owned())
}

#[test]
fn memory_stays_bounded_on_hostile_files() {
    if peak_kb().is_none() {
        eprintln!("skipped: no /proc/self/status (VmHWM) on this platform");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("20-mb-field", a_20_mb_field()),
        ("200k-column-header", a_200_000_column_header()),
        ("100k-nested-groups", a_chain_of_groups(false)),
        ("100k-rating-tiers", a_row_of_100_000_tiers()),
        ("100k-nested-groups-children-first", a_chain_of_groups(true)),
        ("1m-blank-lines", a_million_blank_lines()),
        ("binary-garbage", binary_garbage()),
        ("quote-storm", a_storm_of_quotes(scaled(10 * MB) & !1)),
        ("60m-cells", {
            let mut bytes = b"vendor_guid,object_type,title".to_vec();
            bytes.resize(bytes.len() + scaled(60 * MB), b',');
            bytes
        }),
    ];
    let (baseline, _) = {
        let path = dir.join("tiny.csv");
        std::fs::write(&path, b"vendor_guid,object_type,title\ng1,group,Math\n").expect("write");
        probe(&path)
    };
    eprintln!("baseline (a tiny file): {baseline} kB");
    for (name, bytes) in cases {
        let path = dir.join(format!("{name}.csv"));
        std::fs::write(&path, &bytes).expect("write the case");
        drop(bytes);
        let (kb, outcome) = probe(&path);
        eprintln!("{name}: peak {kb} kB ({outcome})");
        assert!(kb < MEMORY_BOUND_KB, "{name}: peak {kb} kB");
        let _ = std::fs::remove_file(&path);
    }
}

// ---------------------------------------------------------------------------------------------
// What the fuzzers found.

/// `fixtures/regressions/*`: every input a fuzz target failed on, kept once fixed. The reader
/// and the check must keep their invariants on each (the `fix` inputs are replayed by
/// `crates/outcomes-fix/tests/regressions.rs`).
#[test]
fn the_fuzzers_findings_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures/regressions") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("regression input");
        assert_reader_invariants(&bytes, &bytes[..]);
        let name = path.display().to_string();
        let checked = check_both_ways(&name, &bytes);
        // The inputs are small: also as a pipe that hands over a few bytes at a time.
        for sizes in [vec![1], vec![7, 64, 3]] {
            let trickled = check_reader(Chunked::new(&bytes, sizes.clone()), &CanvasOptions::default())
                .unwrap_or_else(|e| panic!("{name}: streaming in chunks of {sizes:?} failed: {e}"));
            assert_eq!(checked.diagnostics, trickled.diagnostics, "{name}: chunks of {sizes:?} changed the check");
        }
        count += 1;
    }
    assert!(count > 0, "no regression inputs in {}", dir.display());
}

/// The encoding lints judge the file's first 4 KiB however its bytes arrive. They were given
/// whatever the CSV reader had read by the end of the first line, so a file whose first line
/// looked like UTF-16 (a byte-order mark after `vendor_guid,`) but whose first 4 KiB did not got
/// `utf16-file` from a pipe and not from disk. Found by the `check` fuzz target.
#[test]
fn the_encoding_is_judged_the_same_however_the_bytes_arrive() {
    let mut bytes = b"vendor_guid,\xFF\xFE".to_vec();
    bytes.extend("vendor_guid\tobject_type\ttitle\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend(b"object_type,title\nalg,group,Algebra\nalg.1,outcome,Linear equations\n".repeat(20));
    let checked = check_both_ways("utf-16 first line", &bytes);
    assert!(!has(&checked, Rule::Utf16File), "the first 4 KiB are mostly UTF-8");
    for sizes in [vec![1], vec![13]] {
        let trickled = check_reader(Chunked::new(&bytes, sizes), &CanvasOptions::default()).expect("in memory");
        assert_eq!(checked.diagnostics, trickled.diagnostics);
    }

    let utf16: Vec<u8> =
        "\u{FEFF}vendor_guid,object_type,title\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let whole = check_both_ways("utf-16", &utf16);
    let trickled = check_reader(Chunked::new(&utf16, vec![1]), &CanvasOptions::default()).expect("in memory");
    assert!(has(&whole, Rule::Utf16File));
    assert_eq!(whole.diagnostics, trickled.diagnostics);
}

/// A short row under a header without ratings: the rating lints computed `cells - main columns`
/// and overflowed (a panic in debug builds, "capacity overflow" in release). Found by the
/// `check` fuzz target on `fixtures/fix/short-rows.csv`.
#[test]
fn a_short_row_has_no_rating_tiers() {
    let checked =
        check_both_ways("short row", b"vendor_guid,object_type,title,mastery_points,calculation_method\no1,outcome\n");
    assert_eq!(canvas_rules(&checked), [Rule::ShortRow]);
}
