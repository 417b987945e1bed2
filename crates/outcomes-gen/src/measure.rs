//! One timed pass over a file, in one of the modes `scripts/bench.sh` compares.
//!
//! Every mode streams the file from disk through a 64 KiB buffer (our reader's chunk size, set
//! on the csv crate's reader too) so that the modes differ in what they do with the bytes, not
//! in how many `read` calls they make.

use std::fs::File;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;

use outcomes_rules::{CanvasOptions, Checker, Event, LintSelection, Rule};

/// What to run over the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Mode {
    /// The csv crate: `read_byte_record` into one reused `ByteRecord` (the floor).
    Bare,
    /// Our strict reader alone: `read_record` into one reused `Record`.
    Parser,
    /// The full check on one thread (default options; lints as `--lints` says), diagnostics
    /// counted.
    Check,
    /// The full check with row checks in parallel (`Checker::with_threads`, one thread per
    /// core, or `--threads`), as the CLI runs large files.
    Rayon,
}

/// What one pass saw.
struct Pass {
    records: u64,
    diagnostics: u64,
}

const BUFFER: usize = 64 * 1024;

/// Reads `--lints`: `all`, `none`, or rule codes separated by commas.
fn lint_selection(spec: &str) -> Result<LintSelection, String> {
    match spec {
        "all" => Ok(LintSelection::default()),
        "none" => Ok(LintSelection::none()),
        codes => {
            let rules = codes
                .split(',')
                .map(|code| {
                    let code = code.trim();
                    Rule::ALL
                        .iter()
                        .copied()
                        .find(|r| r.code() == code || r.name() == code)
                        .ok_or_else(|| format!("unknown rule `{code}`"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(LintSelection::only(rules))
        }
    }
}

/// Runs `mode` once over `path` and prints the figures.
pub(crate) fn run(mode: Mode, lints: &str, threads: usize, path: &Path) -> ExitCode {
    let lints = match lint_selection(lints) {
        Ok(lints) => lints,
        Err(e) => {
            eprintln!("outcomes-gen: --lints: {e}");
            return ExitCode::from(2);
        }
    };
    let bytes = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            eprintln!("outcomes-gen: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let pass = match mode {
        Mode::Bare => bare(path),
        Mode::Parser => parser(path),
        Mode::Check => check(path, lints, 1),
        Mode::Rayon => check(path, lints, threads),
    };
    let seconds = start.elapsed().as_secs_f64();
    let pass = match pass {
        Ok(pass) => pass,
        Err(e) => {
            eprintln!("outcomes-gen: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    };
    let mode = format!("{mode:?}").to_lowercase();
    println!(
        "mode={mode} bytes={bytes} records={} diagnostics={} seconds={seconds:.4} mb_per_s={:.1} rows_per_s={:.0} peak_rss_kib={}",
        pass.records,
        pass.diagnostics,
        bytes as f64 / 1e6 / seconds,
        pass.records as f64 / seconds,
        peak_rss_kib().map_or_else(|| "?".to_owned(), |k| k.to_string()),
    );
    ExitCode::SUCCESS
}

fn bare(path: &Path) -> Result<Pass, Box<dyn std::error::Error>> {
    // `flexible` only skips the equal-length check, so ragged files can be measured too.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(BUFFER)
        .from_reader(File::open(path)?);
    let mut record = csv::ByteRecord::new();
    let mut records = 0;
    while reader.read_byte_record(&mut record)? {
        records += 1;
    }
    Ok(Pass { records, diagnostics: 0 })
}

fn parser(path: &Path) -> Result<Pass, Box<dyn std::error::Error>> {
    let mut reader = outcomes_csv::Reader::new(File::open(path)?)?;
    let mut record = outcomes_csv::Record::new();
    let mut records = 0;
    while reader.read_record(&mut record)? {
        records += 1;
    }
    Ok(Pass { records, diagnostics: 0 })
}

fn check(path: &Path, lints: LintSelection, threads: usize) -> Result<Pass, Box<dyn std::error::Error>> {
    let mut diagnostics = 0;
    let checker = Checker::new(CanvasOptions::default()).with_lints(lints).with_threads(threads);
    let summary = checker.run(File::open(path)?, |event| {
        if let Event::Diagnostic(_) = event {
            diagnostics += 1;
        }
    })?;
    Ok(Pass { records: summary.records, diagnostics })
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`), in KiB. Linux only.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
