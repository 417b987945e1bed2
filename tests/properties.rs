//! Invariants of the reader and the check on any bytes (proptest):
//!
//! - no panic, whatever the bytes;
//! - the reader's records tile the input, in order, and their cells lie inside them;
//! - Canvas's `processing_errors` are sorted by row; every reported row is one the file has;
//!   every span and related span lies inside the file;
//! - the Canvas output (and every diagnostic) is independent of chunk boundaries when the file
//!   is streamed from a pipe ([`outcomes_rules::check_reader`] over a reader that returns random
//!   small chunks) — equal to [`outcomes_rules::check_bytes`]'s.
//!
//! Inputs come from three generators: raw bytes; a soup of CSV tokens, header names and
//! Canvas values (so that headers parse and rows reach the row checks and lints); and outcome
//! files with groups, outcomes, parents (some missing or later), ratings and random framing.
//! The fuzz targets (`fuzz/`) check the same on inputs libFuzzer finds.

mod invariants;

use invariants::{assert_check_invariants, assert_reader_invariants, french_new_decaying_average, Chunked};
use outcomes_rules::{check_bytes, check_reader, CanvasOptions};
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    ",",
    ",",
    ",",
    ";",
    "\"",
    "\"\"",
    "\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "vendor_guid",
    "object_type",
    "title",
    "parent_guids",
    "ratings",
    "mastery_points",
    "calculation_method",
    "calculation_int",
    "workflow_state",
    "course_id",
    "description",
    "display_name",
    "group",
    "outcome",
    "deleted",
    "active",
    "n_mastery",
    "decaying_average",
    "standard_decaying_average",
    "weighted_average",
    "highest",
    "latest",
    "g1",
    "g2",
    "o1",
    "Math",
    "3",
    "2,5",
    "1.5",
    "-1",
    "99",
    "1e3",
    "\u{a0}",
    "\u{200b}",
    "\u{0}",
    "=SUM(A1)",
    "canvas_outcome:1",
    "Group",
];

/// Raw bytes, a soup of CSV-ish tokens, or a generated outcome file.
fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..400), token_soup(), outcome_file(),]
}

fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec(
            prop_oneof![
                8 => prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
                1 => any::<u8>().prop_map(|b| vec![b]),
            ],
            0..120,
        ),
    )
        .prop_map(|(bom, tokens)| {
            let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            bytes.extend(tokens.concat());
            bytes
        })
}

/// One generated row: (group?, parent index, ratings, quoting, method, int).
type RowSpec = (bool, Option<u8>, Vec<(u8, u8)>, bool, u8, u8);

fn outcome_file() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        prop::sample::select(vec![",", ";"]),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(
            (
                any::<bool>(),
                prop::option::of(any::<u8>()),
                prop::collection::vec((0u8..12, 0u8..3), 0..4),
                any::<bool>(),
                0u8..8,
                0u8..120,
            ),
            0..25,
        ),
    )
        .prop_map(|(terminator, sep, course_column, final_break, rows)| {
            outcome_file_text(terminator, sep, course_column, final_break, &rows)
        })
}

fn outcome_file_text(terminator: &str, sep: &str, course_column: bool, final_break: bool, rows: &[RowSpec]) -> Vec<u8> {
    const METHODS: [&str; 8] = [
        "",
        "decaying_average",
        "n_mastery",
        "highest",
        "latest",
        "average",
        "standard_decaying_average",
        "Weighted Average",
    ];
    let mut header = vec![
        "vendor_guid",
        "object_type",
        "title",
        "parent_guids",
        "mastery_points",
        "calculation_method",
        "calculation_int",
    ];
    if course_column {
        header.push("course_id");
    }
    header.push("ratings");
    let mut lines = vec![header.join(sep)];
    for (i, (group, parent, ratings, quoted, method, int)) in rows.iter().enumerate() {
        let guid = format!("{}{i}", if *group { "g" } else { "o" });
        let parent = parent.map(|p| format!("g{}", usize::from(p) % (rows.len() + 2))).unwrap_or_default();
        let title = if *quoted { format!("\"Title {i}{sep} \"\"quoted\"\"\"") } else { format!("Title {i}") };
        let mut cells = vec![
            guid,
            if *group { "group" } else { "outcome" }.to_owned(),
            title,
            parent,
            if *group { String::new() } else { "3".to_owned() },
            METHODS[usize::from(*method)].to_owned(),
            if *int % 3 == 0 { String::new() } else { int.to_string() },
        ];
        if course_column {
            cells.push(if i % 4 == 3 { "42".to_owned() } else { String::new() });
        }
        for (points, description) in ratings {
            cells.push(points.to_string());
            cells.push(["Exceeds", "", "Meets"][usize::from(*description)].to_owned());
        }
        lines.push(cells.join(sep));
    }
    let mut text = lines.join(terminator);
    if final_break {
        text.push_str(terminator);
    }
    text.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_records_tile_the_input_whatever_the_bytes(
        bytes in input(),
        sizes in prop::collection::vec(1usize..300, 1..16),
    ) {
        let in_memory = assert_reader_invariants(&bytes, &bytes[..]);
        let streamed = assert_reader_invariants(&bytes, Chunked::new(&bytes, sizes));
        prop_assert_eq!(in_memory, streamed);
    }

    #[test]
    fn the_check_never_panics_and_reports_only_places_inside_the_file(bytes in input()) {
        for options in [CanvasOptions::default(), french_new_decaying_average()] {
            let checked = check_bytes(&bytes, &options);
            assert_check_invariants(&bytes, &checked);
        }
    }

    #[test]
    fn streaming_in_random_chunks_gives_the_same_output_as_bytes_in_memory(
        bytes in input(),
        sizes in prop::collection::vec(1usize..300, 1..16),
    ) {
        let options = CanvasOptions::default();
        let in_memory = check_bytes(&bytes, &options);
        let streamed = check_reader(Chunked::new(&bytes, sizes), &options)
            .expect("reading from memory cannot fail");
        prop_assert_eq!(in_memory.canvas_report(), streamed.canvas_report());
        prop_assert_eq!(&in_memory.diagnostics, &streamed.diagnostics);
        prop_assert_eq!(
            (in_memory.records, in_memory.imported, in_memory.skipped, in_memory.blank),
            (streamed.records, streamed.imported, streamed.skipped, streamed.blank)
        );
    }
}

#[test]
fn chunks_of_one_byte_give_the_same_output_on_every_fixture() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixtures directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "csv") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 50, "found the fixtures");
    for path in files {
        let bytes = std::fs::read(&path).expect("fixture");
        for options in [CanvasOptions::default(), french_new_decaying_average()] {
            let in_memory = check_bytes(&bytes, &options);
            assert_check_invariants(&bytes, &in_memory);
            let streamed = check_reader(Chunked::new(&bytes, vec![1, 2, 3, 5, 8]), &options)
                .expect("reading from memory cannot fail");
            assert_eq!(in_memory.diagnostics, streamed.diagnostics, "{}", path.display());
        }
    }
}

/// Pieces of a long record: text in several scripts, bytes that are not UTF-8 (stray
/// continuation bytes, a truncated sequence), separators, and quoted cells holding line breaks.
const PIECES: &[&[u8]] = &[
    b"abcdefghij",
    b"abcdefghijklmnopqrstuvwxyz0123456789",
    "\u{e9}t\u{e9}".as_bytes(),
    "\u{20ac}".as_bytes(),
    "\u{1d11e}".as_bytes(),
    b"\xFF",
    b"\x80\x80",
    b"\xE2\x82",
    b",",
    b",",
];

/// Quoted cells with line breaks, rarer, so that most lines are longer than the index's step.
const BREAKS: &[&[u8]] = &[b",\"a\nb\",", b",\"c\r\nd\",", b",\"e\rf\","];

/// The position of `offset` in `record` counted naively from its line's start, as
/// `Record::position` did before it kept an index.
fn naive_column(record: &outcomes_csv::Record, offset: u64) -> (u64, u64) {
    let raw = record.raw();
    let rel = (offset - record.span().start) as usize;
    let (mut line, mut line_start, mut i) = (record.line(), 0, 0);
    while i < rel {
        let next = match raw[i] {
            b'\r' if raw.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' | b'\n' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        if next > rel {
            break;
        }
        line += 1;
        line_start = next;
        i = next;
    }
    (line, outcomes_csv::count_chars(&raw[line_start..rel]) + 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `Record::position` answers from an index on long lines; it must say exactly what
    /// counting from the line's start says, for every cell and for arbitrary offsets.
    #[test]
    fn positions_in_long_records_are_counted_exactly(
        pieces in prop::collection::vec(
            prop_oneof![200 => prop::sample::select(PIECES), 1 => prop::sample::select(BREAKS)],
            200..3000,
        ),
        step in 1usize..5000,
    ) {
        let mut file = b"h\n".to_vec();
        file.extend(pieces.concat());
        file.push(b'\n');
        let mut reader = outcomes_csv::Reader::new(&file[..]).expect("reading from memory");
        let mut record = outcomes_csv::Record::new();
        prop_assert!(reader.read_record(&mut record).expect("the header"));
        prop_assert!(reader.read_record(&mut record).expect("the long record"));
        let span = record.span();
        let mut offsets: Vec<u64> = record.cells().map(|c| c.span().start).collect();
        offsets.extend((span.start..=span.end).step_by(step));
        for offset in offsets {
            let position = record.position(offset);
            prop_assert_eq!((position.line, position.column), naive_column(&record, offset), "offset {}", offset);
        }
    }
}
