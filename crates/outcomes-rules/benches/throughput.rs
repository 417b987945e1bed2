//! Throughput of checking a large, valid outcome file, against the floor of reading it.
//!
//! ```sh
//! cargo bench -p outcomes-rules --bench throughput
//! OUTCOMES_BENCH_ROWS=1000000 cargo bench -p outcomes-rules --bench throughput
//! ```
//!
//! Every benchmark reads the same file, generated once in memory by `outcomes-gen` (100,000 data
//! rows unless `OUTCOMES_BENCH_ROWS` says otherwise, seed 42), and reports bytes/s and rows/s:
//!
//! - `bare_csv_read`: the csv crate's `read_byte_record` into one reused `ByteRecord`, the floor
//!   that no single-threaded reader of this file beats by much;
//! - `parser`: our Ruby-strict reader alone, `read_record` into one reused `Record`;
//! - `check_one_thread`: the full check (Canvas's checks and the default lints), one thread;
//! - `check_rayon`: the full check with row work in parallel (`Checker::with_threads(0)`).
//!
//! The issue's targets: `check_rayon` at least as fast as `bare_csv_read`, `check_one_thread` at
//! least 0.7× of it. `scripts/bench.sh` measures the same modes on files streamed from disk, in
//! separate processes, with peak RSS.

use std::sync::OnceLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::{black_box, Bencher};
use outcomes_rules::{CanvasOptions, Checker, Event};

fn main() {
    divan::main();
}

/// The csv crate's and our reader's buffer size, so that the two differ in tokenizing only.
const BUFFER: usize = 64 * 1024;

struct Input {
    bytes: Vec<u8>,
    records: u64,
}

fn input() -> &'static Input {
    static INPUT: OnceLock<Input> = OnceLock::new();
    INPUT.get_or_init(|| {
        let rows = std::env::var("OUTCOMES_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
        let bytes = outcomes_gen::generate(&outcomes_gen::Config::new(rows, 42));
        Input { bytes, records: rows + 1 }
    })
}

fn counted<'a, 'b>(bencher: Bencher<'a, 'b>) -> Bencher<'a, 'b> {
    let input = input();
    bencher.counter(BytesCount::new(input.bytes.len())).counter(ItemsCount::new(input.records))
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn bare_csv_read(bencher: Bencher<'_, '_>) {
    let bytes = &input().bytes[..];
    counted(bencher).bench(|| {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).buffer_capacity(BUFFER).from_reader(black_box(bytes));
        let mut record = csv::ByteRecord::new();
        let mut records = 0u64;
        while reader.read_byte_record(&mut record).expect("valid CSV") {
            records += 1;
        }
        records
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn parser(bencher: Bencher<'_, '_>) {
    let bytes = &input().bytes[..];
    counted(bencher).bench(|| {
        let mut reader = outcomes_csv::Reader::new(black_box(bytes)).expect("readable");
        let mut record = outcomes_csv::Record::new();
        let mut records = 0u64;
        while reader.read_record(&mut record).expect("valid CSV") {
            records += 1;
        }
        records
    });
}

/// The full check of the file with `checker`, counting diagnostics.
fn check_with(bencher: Bencher<'_, '_>, checker: &Checker) {
    let bytes = &input().bytes[..];
    counted(bencher).bench(|| {
        let mut diagnostics = 0u64;
        let summary = checker
            .run(black_box(bytes), |event| {
                if let Event::Diagnostic(_) = event {
                    diagnostics += 1;
                }
            })
            .expect("in-memory input");
        (summary.records, diagnostics)
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn check_one_thread(bencher: Bencher<'_, '_>) {
    check_with(bencher, &Checker::new(CanvasOptions::default()));
}

/// One thread per core; the pool is made once, outside the measured runs.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn check_rayon(bencher: Bencher<'_, '_>) {
    check_with(bencher, &Checker::new(CanvasOptions::default()).with_threads(0));
}
