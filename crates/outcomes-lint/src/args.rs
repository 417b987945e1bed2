//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Check a Canvas LMS Outcomes CSV before you upload it.
#[derive(Debug, Parser)]
#[command(name = "outcomes-lint", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and report what Canvas would say about them (and more).
    ///
    /// Exit status: 0 when Canvas would report nothing, 1 when it would report any error,
    /// 2 on a usage or I/O error.
    Check(CheckArgs),
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Show at most N Canvas errors per file (Canvas's API shows 25).
    #[arg(long, value_name = "N")]
    pub max_errors: Option<usize>,

    /// The account settings to read the file with.
    #[command(flatten)]
    pub account: AccountArgs,
}

/// The account settings Canvas reads the file with.
#[derive(Debug, Args, Clone)]
pub struct AccountArgs {
    /// The account has "Outcomes New Decaying Average Calculation Method" enabled.
    #[arg(long)]
    pub new_decaying_average: bool,

    /// The account locale, which decides how numbers are read (default `en`: `1,5` is 15).
    #[arg(long, value_name = "LOCALE")]
    pub locale: Option<String>,

    /// The decimal separator, overriding the locale's.
    #[arg(long, value_name = "S")]
    pub decimal_separator: Option<String>,

    /// The thousands delimiter, overriding the locale's.
    #[arg(long, value_name = "D")]
    pub thousands_delimiter: Option<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: each problem with its place and how to fix it.
    Human,
    /// Exactly what Canvas's API would show: one JSON object per file, one per line.
    Canvas,
}
