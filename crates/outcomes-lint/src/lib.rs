//! The `outcomes-lint` command line: parses arguments, reads files, and hands them to
//! [`outcomes_rules`] and a renderer. No rule lives here.

pub mod args;
pub mod output;

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use outcomes_rules::{CanvasOptions, Checked, NumberFormat};

use args::{AccountArgs, CheckArgs, Cli, Command, Format};

/// Exit status: nothing Canvas would report.
pub const EXIT_OK: u8 = 0;
/// Exit status: Canvas would report at least one error.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage or I/O error.
pub const EXIT_TROUBLE: u8 = 2;

/// Runs the binary with the process's arguments and standard streams.
pub fn main() -> ExitCode {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let stderr = io::stderr();
    let code = run(std::env::args_os(), &mut stdin.lock(), &mut stdout.lock(), &mut stderr.lock());
    ExitCode::from(code)
}

/// Runs the command line with explicit streams; returns the exit status.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` arrive here too, as "errors" that go to stdout.
            let text = e.render().to_string();
            if e.use_stderr() {
                let _ = write!(stderr, "{text}");
                return EXIT_TROUBLE;
            }
            let _ = write!(stdout, "{text}");
            return EXIT_OK;
        }
    };
    match cli.command {
        Command::Check(args) => check(&args, stdin, stdout, stderr),
    }
}

/// Builds the account options from flags.
pub fn canvas_options(account: &AccountArgs) -> Result<CanvasOptions, String> {
    let mut number_format = match &account.locale {
        None => NumberFormat::en(),
        Some(locale) => NumberFormat::for_locale(locale).ok_or_else(|| {
            format!(
                "unknown locale `{locale}`; known: {} (or give --decimal-separator and --thousands-delimiter)",
                NumberFormat::known_locales().collect::<Vec<_>>().join(", ")
            )
        })?,
    };
    if let Some(s) = &account.decimal_separator {
        if s.is_empty() {
            return Err("--decimal-separator must not be empty".into());
        }
        number_format.decimal_separator = s.clone();
    }
    if let Some(d) = &account.thousands_delimiter {
        number_format.thousands_delimiter = d.clone();
    }
    Ok(CanvasOptions { new_decaying_average: account.new_decaying_average, number_format })
}

fn check(args: &CheckArgs, stdin: &mut dyn Read, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let options = match canvas_options(&args.account) {
        Ok(o) => o,
        Err(message) => {
            let _ = writeln!(stderr, "outcomes-lint: {message}");
            return EXIT_TROUBLE;
        }
    };
    let mut status = EXIT_OK;
    for path in &args.files {
        let name = path.display().to_string();
        let checked = match check_path(path, stdin, &options) {
            Ok(c) => c,
            Err(message) => {
                let _ = writeln!(stderr, "outcomes-lint: {name}: {message}");
                status = EXIT_TROUBLE;
                continue;
            }
        };
        let written = match args.format {
            Format::Canvas => output::canvas::write(stdout, &checked, args.max_errors),
            Format::Human => output::human::write(stdout, &name, &checked, args.max_errors),
        };
        if let Err(e) = written {
            if e.kind() == io::ErrorKind::BrokenPipe {
                // The reader went away (`| head`): stop quietly, as Unix tools do.
                return status;
            }
            let _ = writeln!(stderr, "outcomes-lint: cannot write output: {e}");
            return EXIT_TROUBLE;
        }
        if checked.diagnostics.iter().any(|d| d.canvas.is_some()) && status == EXIT_OK {
            status = EXIT_FINDINGS;
        }
    }
    let _ = stdout.flush();
    status
}

fn check_path(path: &Path, stdin: &mut dyn Read, options: &CanvasOptions) -> Result<Checked, String> {
    if path == Path::new("-") {
        return outcomes_rules::check_reader(stdin, options).map_err(|e| e.to_string());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err("is a directory".into());
    }
    outcomes_rules::check_reader(file, options).map_err(|e| e.to_string())
}
