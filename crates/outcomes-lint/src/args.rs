//! Command-line arguments.

use std::ffi::OsString;

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
    /// Explain a rule: what it finds, what Canvas does, and how to fix it.
    ///
    /// Exit status: 0, or 2 when no rule has that code or name.
    Explain(ExplainArgs),
    /// List every rule with its code, name, severity and what Canvas does.
    Rules,
    /// Repair what can be repaired safely: parents first, line endings, header, short rows,
    /// enumeration case. Everything else stays byte-identical.
    ///
    /// Without -o, --write or --diff the repaired file goes to standard output. Exit status: 0
    /// when the file needed nothing or was repaired, 1 when some findings could not be repaired
    /// (they are listed), 2 on a usage or I/O error or a syntax error that cannot be repaired
    /// safely (nothing is written).
    Fix(FixArgs),
    /// Run the language server over standard input and output, for editors: Canvas's errors as
    /// you type, quick fixes, and hover on parent guids (see the README, "In your editor").
    ///
    /// Exit status: 0 after the editor's `shutdown` and `exit`, 1 otherwise.
    Lsp,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (searched for `*.csv`) or glob patterns (`data/**/*.csv`) to check;
    /// `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<OsString>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Show at most N diagnostics per file (Canvas's API shows 25 errors).
    #[arg(long, value_name = "N")]
    pub max_errors: Option<usize>,

    /// Show only errors, and no summary line: a file without errors prints nothing.
    #[arg(long, short)]
    pub quiet: bool,

    /// The name to show for standard input (`-`), e.g. the path it was read from.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// When to colour the human output: `auto` colours a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Threads to check a file with. `0` (the default) chooses: one thread for files under
    /// 4 MB and standard input, one per core for larger files (where the threads pay for
    /// themselves). The output is the same whatever the number.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// The account settings to read the file with.
    #[command(flatten)]
    pub account: AccountArgs,

    /// Which rules to show.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Arguments of `fix`.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// The file to repair; `-` reads standard input (then only stdout or -o).
    #[arg(value_name = "FILE")]
    pub file: OsString,

    /// Write the repaired file here (atomically) instead of standard output.
    #[arg(short, long, value_name = "OUT", conflicts_with_all = ["write", "diff"])]
    pub output: Option<std::path::PathBuf>,

    /// Replace FILE with the repaired file, atomically, keeping its permissions.
    #[arg(long, conflicts_with = "diff")]
    pub write: bool,

    /// Show a unified diff of the repairs and write nothing.
    #[arg(long)]
    pub diff: bool,

    /// Only these fixes (fix names, rule codes or names, or ALL); comma-separated or repeated.
    #[arg(long, value_name = "FIX", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Not these fixes.
    #[arg(long, value_name = "FIX", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Read account settings from this configuration file instead of the nearest
    /// `outcomes-lint.toml`.
    #[arg(long, value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,

    /// The account settings to read the file with.
    #[command(flatten)]
    pub account: AccountArgs,
}

/// Rule selection, as in `outcomes-lint.toml`; flags apply on top of the file.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Show only these rules: codes (`OL023`), prefixes (`OL1`), names, `canvas`, `lints` or
    /// `ALL`; comma-separated or repeated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Hide these rules (same forms as --select).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Report these lints as errors, which makes the exit status 1 when they fire.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub warn_as_error: Vec<String>,

    /// Use this configuration file instead of the nearest `outcomes-lint.toml` found from each
    /// file's directory upward.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,

    /// Ignore every `outcomes-lint.toml`.
    #[arg(long)]
    pub no_config: bool,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (`OL023`) or name (`parent-not-found`).
    #[arg(value_name = "CODE")]
    pub rule: String,
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
    /// For people: each problem with its place in the file, why, and how to fix it.
    Human,
    /// JSON Lines: one object per diagnostic.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations.
    Github,
    /// One SARIF 2.1.0 log for all files, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// Exactly what Canvas's API would show: one JSON object per file, one per line.
    Canvas,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
