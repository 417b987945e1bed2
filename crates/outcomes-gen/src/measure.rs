//! One timed pass over a file, in one of the modes `scripts/bench.sh` compares.
//!
//! Every mode streams the file from disk through our reader's 64 KiB chunks (`outcomes-bare`
//! sets the csv crate's buffer to the same size), so that the modes differ in what they do with
//! the bytes, not in how many `read` calls they make.

use std::fs::File;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;

use outcomes_gen::report::{line, Pass};
use outcomes_rules::{CanvasOptions, Checker, Event, LintSelection, Rule};

/// What to run over the file. (The floor, the csv crate's bare read, is `outcomes-bare`: a
/// binary of its own, so that our code cannot move it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Mode {
    /// Our strict reader alone: `read_record` into one reused `Record`.
    Parser,
    /// The full check on one thread (default options; lints as `--lints` says), diagnostics
    /// counted.
    Check,
    /// The full check with row checks in parallel (`Checker::with_threads`, one thread per
    /// core, or `--threads`), as the CLI runs large files.
    Rayon,
}

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
        Mode::Parser => parser(path),
        Mode::Check => check(path, lints, 1),
        Mode::Rayon => check(path, lints, threads),
    };
    let elapsed = start.elapsed();
    let pass = match pass {
        Ok(pass) => pass,
        Err(e) => {
            eprintln!("outcomes-gen: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    };
    let mode = format!("{mode:?}").to_lowercase();
    println!("{}", line(&mode, bytes, elapsed, pass));
    ExitCode::SUCCESS
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
    let file = File::open(path)?;
    // As the CLI does for a file: the tables are sized for the whole file once a part is read.
    let size = file.metadata().ok().map(|m| m.len());
    let checker = Checker::new(CanvasOptions::default()).with_lints(lints).with_threads(threads).with_size_hint(size);
    let summary = checker.run(file, |event| {
        if let Event::Diagnostic(_) = event {
            diagnostics += 1;
        }
    })?;
    Ok(Pass { records: summary.records, diagnostics })
}
