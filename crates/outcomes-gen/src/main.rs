//! `outcomes-gen`: writes a generated Outcomes CSV file, or measures one way of reading a file.
//!
//! ```text
//! outcomes-gen --rows 100000 --seed 42 [--crlf] [-o FILE]
//! outcomes-gen measure --mode parser|check|rayon [--lints all|none|CODE,...] [--threads N] FILE
//! ```
//!
//! `measure` runs one mode once, in this process, over the file streamed from disk, and prints
//! one line of `key=value` pairs: elapsed time, MB/s, rows/s and the process's peak RSS. Each
//! mode runs in its own process so that peak RSS is that mode's alone; `scripts/bench.sh` runs
//! each several times and keeps the best time. The floor they are compared with, the csv crate's
//! bare read, is measured by `outcomes-bare FILE`, which prints the same line.

mod measure;

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use outcomes_gen::{write_csv, Config};

#[derive(Debug, Parser)]
#[command(
    name = "outcomes-gen",
    about = "Generate realistic, valid Canvas Outcomes CSV files; measure readers on them",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Data rows to write after the header.
    #[arg(long)]
    rows: Option<u64>,
    /// The seed: the same seed gives the same file.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// End records with CRLF instead of LF.
    #[arg(long)]
    crlf: bool,
    /// Where to write (standard output when absent).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read FILE once in one mode and print time, throughput and peak RSS.
    Measure {
        /// What to run over the file.
        #[arg(long, value_enum)]
        mode: measure::Mode,
        /// Which lints the check runs: `all` (the default, as the CLI), `none` (Canvas's checks
        /// only) or a comma-separated list of rule codes (`OL105,OL112`).
        #[arg(long, default_value = "all")]
        lints: String,
        /// Threads for `--mode rayon` (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// The CSV file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Measure { mode, lints, threads, file }) => measure::run(mode, &lints, threads, &file),
        None => {
            let Some(rows) = cli.rows else {
                eprintln!("outcomes-gen: --rows N is required (or use `outcomes-gen measure`)");
                return ExitCode::from(2);
            };
            let config = Config::new(rows, cli.seed).with_crlf(cli.crlf);
            let result = match &cli.output {
                Some(path) => File::create(path).and_then(|f| write_csv(&config, f)),
                None => write_csv(&config, io::stdout().lock()),
            };
            match result {
                Ok(stats) => {
                    if cli.output.is_some() {
                        let _ = writeln!(
                            io::stderr(),
                            "wrote {} records ({} groups, {} outcomes, {} bytes)",
                            stats.records,
                            stats.groups,
                            stats.outcomes,
                            stats.bytes
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("outcomes-gen: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
