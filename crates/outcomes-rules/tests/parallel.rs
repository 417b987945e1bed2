//! The parallel check ([`Checker::with_threads`]) finds exactly what the one-thread check finds:
//! the same diagnostics in the same order, the same items, the same summary.
//!
//! Two corpora: the differential test's generated files (`tests/differential/generator.rs`:
//! every shape Canvas's reference names, broken in every way, multi-slice files with failures
//! planted around the 1000-record boundaries), and realistic files from `outcomes-gen`, a few
//! slices long, with rows moved, repeated, broken and cut so that every order-dependent check
//! (parents, duplicates, crashes and syntax errors in any slice, the lints that compare rows)
//! fires. Each file is checked in memory and streamed in small uneven chunks, with 2 and 3
//! threads.
//!
//! Neither does a size hint ([`Checker::with_size_hint`]), right or wrong: it only sizes the
//! tables.
//!
//! `OUTCOMES_LINT_DIFF_FILES` sets how many differential files (default 300, like the
//! differential test).

#[allow(dead_code)]
#[path = "../../../tests/differential/generator.rs"]
mod generator;
#[path = "../../../tests/invariants/mod.rs"]
mod invariants;

use invariants::Chunked;
use outcomes_rules::{CanvasOptions, Checked, Checker, Event, Import};

const DEFAULT_SEED: u64 = 0x0C7C_0E5D_1FF5_EED0;

fn same_check(name: &str, one: &Checked, many: &Checked) {
    assert_eq!(one.diagnostics.len(), many.diagnostics.len(), "{name}: how many diagnostics");
    for (i, (a, b)) in one.diagnostics.iter().zip(&many.diagnostics).enumerate() {
        assert_eq!(a, b, "{name}: diagnostic {i}");
    }
    assert_eq!(
        (one.dialect, one.records, one.imported, one.skipped, one.blank),
        (many.dialect, many.records, many.imported, many.skipped, many.blank),
        "{name}: summary"
    );
}

fn same_import(name: &str, one: &Import, many: &Import) {
    same_check(name, &one.checked, &many.checked);
    assert_eq!(one.items, many.items, "{name}: items");
}

/// Checks `bytes` on one thread and on several, in memory and streamed, with items.
fn compare(name: &str, bytes: &[u8], options: &CanvasOptions) {
    let one = Checker::new(options.clone());
    let expected = one.check_bytes(bytes);
    let expected_import = one.import(bytes).expect("in memory");
    for threads in [2, 3] {
        let many = Checker::new(options.clone()).with_threads(threads);
        assert_eq!(many.threads(), threads);
        let name = format!("{name} ({threads} threads)");
        same_check(&format!("{name}, in memory"), &expected, &many.check_bytes(bytes));
        let streamed = Chunked::new(bytes, vec![1, 4096, 70_000, 333, 65_536]);
        same_check(&format!("{name}, streamed"), &expected, &many.check(streamed).expect("readable"));
        same_import(&format!("{name}, import"), &expected_import, &many.import(bytes).expect("in memory"));
    }
}

#[test]
fn the_differential_corpus_is_checked_alike_on_any_number_of_threads() {
    let count: u64 = std::env::var("OUTCOMES_LINT_DIFF_FILES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let mut multi_slice = 0;
    for i in 0..count {
        let seed = generator::derive_seed(DEFAULT_SEED, i);
        let file = generator::generate(seed);
        if file.bytes.iter().filter(|b| **b == b'\n').count() > 1000 {
            multi_slice += 1;
        }
        compare(&format!("file {seed:#x} ({})", file.shape), &file.bytes, &file.options.canvas_options());
    }
    assert!(count < 100 || multi_slice > 0, "the corpus has multi-slice files");
}

/// The lines of a generated file, to rearrange.
fn lines(rows: u64, seed: u64) -> Vec<Vec<u8>> {
    let bytes = outcomes_gen::generate(&outcomes_gen::Config::new(rows, seed));
    // Generated descriptions may hold a line break inside quotes: split records, not lines.
    let mut records = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                records.push(bytes[start..=i].to_vec());
                start = i + 1;
            }
            _ => {}
        }
    }
    records
}

#[test]
fn realistic_files_broken_in_order_dependent_ways_are_checked_alike() {
    let options = CanvasOptions::default();
    let base = lines(4_500, 7);
    let join = |records: &[Vec<u8>]| records.concat();

    compare("clean", &join(&base), &options);

    // Children before their parents, a group repeated, an outcome repeated, guids reused
    // across kinds, a deleted parent, titles repeated among siblings.
    let mut moved = base.clone();
    move_first_group(&mut moved, [2_500, 3_100]);
    let outcome = moved[40].clone();
    moved.insert(1_999, outcome.clone());
    moved.insert(2_001, outcome);
    compare("parents later, repeats", &join(&moved), &options);

    // A short row (Canvas crashes) in the third slice, and blank and non-UTF-8 rows.
    let mut crashed = base.clone();
    crashed.insert(1_500, b"\n".to_vec());
    crashed.insert(2_200, b"x,outcome\n".to_vec());
    crashed.insert(2_300, b"caf\xE9,outcome,Caf\xE9,,,,,,,,,,,,,,,,,\n".to_vec());
    compare("a crash in slice 3", &join(&crashed), &options);

    // A syntax error in the middle of a slice, and at the last record of one.
    for at in [1_234, 2_999, 3_000, 4_000] {
        let mut broken = base.clone();
        broken.insert(at, b"bad \"quote,outcome\n".to_vec());
        compare(&format!("a syntax error at record {}", at + 1), &join(&broken), &options);
    }

    // A header Canvas rejects: no data row is checked, the lints still see the file.
    let mut headless = base.clone();
    headless[0] = b"vendor_guid,object_type,title,,ratings\n".to_vec();
    compare("a rejected header", &join(&headless), &options);

    // Exactly one and two slices, and one record more.
    for n in [999, 1_000, 1_999, 2_000, 2_001] {
        compare(&format!("{n} records"), &join(&base[..n]), &options);
    }

    // Another locale and calculation default.
    let french = CanvasOptions {
        new_decaying_average: true,
        number_format: outcomes_rules::NumberFormat::for_locale("fr").expect("fr"),
    };
    compare("French", &join(&moved), &french);
}

#[test]
fn a_size_hint_right_or_wrong_changes_nothing() {
    // Over a MiB, so that the tables are sized part way (at a 64th of the hint, and after at
    // least 1 MiB), with a group and an outcome repeated on either side of that point and
    // children before their parents, so that the tables sized there are asked about rows
    // remembered before.
    let mut records = lines(6_000, 11);
    move_first_group(&mut records, [2_300, 5_500]);
    let outcome = records[40].clone();
    records.insert(4_000, outcome.clone());
    // The same outcome under another guid: the same title in the same group (OL112).
    records.insert(4_500, [b"copy-".as_slice(), &outcome].concat());
    let bytes = records.concat();
    let len = bytes.len() as u64;
    assert!(len > 2 << 20, "{len} bytes: the tables are sized before the end");
    let options = CanvasOptions::default();
    let expected = Checker::new(options.clone()).check(&bytes[..]).expect("in memory");
    for rule in ["OL026", "OL101", "OL112"] {
        assert!(expected.diagnostics.iter().any(|d| d.rule.code() == rule), "{rule}: the repeats are found");
    }
    for threads in [1, 2] {
        for hint in [len, len / 2, len / 64, len * 3, len * 64, 1, 0, u64::MAX] {
            let checker = Checker::new(options.clone()).with_threads(threads).with_size_hint(Some(hint));
            let streamed = Chunked::new(&bytes, vec![4096, 70_000, 333]);
            same_check(
                &format!("hint {hint}, {threads} threads"),
                &expected,
                &checker.check(streamed).expect("readable"),
            );
        }
    }
}

#[test]
fn events_stream_in_the_same_order() {
    // A clean file with a row Canvas skips (an unknown parent) every 250 records, so that items
    // and diagnostics interleave across the slices.
    let mut records = lines(2_600, 3);
    for at in (250..records.len()).step_by(250).rev() {
        records.insert(at, format!("orphan-{at},outcome,Orphan {at},,,,,no-such-group,,,\n").into_bytes());
    }
    let bytes = records.concat();
    let collect = |checker: Checker| {
        let mut events = Vec::new();
        checker
            .with_items(true)
            .run(&bytes[..], |event| {
                events.push(match event {
                    Event::Item(item) => format!("item {}", item.vendor_guid()),
                    Event::Diagnostic(d) => format!("{} {:?}", d.rule.code(), d.row),
                })
            })
            .expect("in memory");
        events
    };
    let one = collect(Checker::new(CanvasOptions::default()));
    let items = one.iter().filter(|e| e.starts_with("item ")).count();
    assert_eq!(items, 2_600, "every generated row is imported");
    assert!(one.len() >= items + 10, "and the ten orphans are reported: {one:?}");
    assert_eq!(one, collect(Checker::new(CanvasOptions::default()).with_threads(2)));
}

/// Moves the first group record of `records` below its children, defined twice: at both places
/// of `to`.
fn move_first_group(records: &mut Vec<Vec<u8>>, to: [usize; 2]) {
    let group = records.iter().position(|r| r.windows(7).any(|w| w == b",group,")).expect("a group");
    let record = records.remove(group);
    records.insert(to[0], record.clone());
    records.insert(to[1], record);
}
