//! The `outcomes-lint` command line: parses arguments, finds the files, hands them to
//! [`outcomes_rules`] and a renderer, and picks the exit status. No rule lives here.
//!
//! Exit status: [`EXIT_OK`] when Canvas would report nothing for any file, [`EXIT_FINDINGS`]
//! when it would report at least one error (a skipped row or a failed import), [`EXIT_TROUBLE`]
//! on a usage or I/O error (which wins over findings).

pub mod args;
pub mod explain;
pub mod fix;
pub mod inputs;
pub mod output;
pub mod settings;
pub mod source;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use outcomes_rules::{Checker, Event, Rule};

use args::{CheckArgs, Cli, ColorChoice, Command, ExplainArgs, Format};
use inputs::Input;
use output::human::HumanOptions;
use output::sarif::SarifLog;
use output::{CheckedFile, Choice, Keeper, Kept};
use settings::Resolver;
use source::{Source, Tee, STDIN_CAPTURE_LIMIT};

/// Exit status: nothing Canvas would report.
pub const EXIT_OK: u8 = 0;
/// Exit status: Canvas would report at least one error.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage or I/O error.
pub const EXIT_TROUBLE: u8 = 2;

/// The width human output wraps at when it does not go to a terminal.
pub const DEFAULT_WIDTH: usize = 100;

/// The name standard input is shown under without `--stdin-filename`.
pub const STDIN_NAME: &str = "<stdin>";

/// What the process knows about where its output goes, which decides colour and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Environment {
    /// Standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// `NO_COLOR` is set to something other than the empty string.
    pub no_color: bool,
    /// The terminal's width in columns, when known.
    pub terminal_width: Option<usize>,
}

impl Environment {
    /// The environment of this process.
    pub fn detect() -> Environment {
        let stdout_is_terminal = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let terminal_width = terminal_size::terminal_size()
            .map(|(w, _)| usize::from(w.0))
            .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok());
        Environment { stdout_is_terminal, no_color, terminal_width }
    }

    /// The width to wrap human output at.
    pub fn width(&self) -> usize {
        match (self.stdout_is_terminal, self.terminal_width) {
            (true, Some(width)) => width.max(40),
            _ => DEFAULT_WIDTH,
        }
    }

    /// Whether to colour, given `--color`.
    pub fn color(&self, choice: ColorChoice) -> bool {
        match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.stdout_is_terminal && !self.no_color,
        }
    }
}

/// Runs the binary with the process's arguments, standard streams and environment.
pub fn main() -> ExitCode {
    // The language server's own threads read standard input and write standard output: it must
    // start before they are locked below.
    if matches!(Cli::try_parse().map(|cli| cli.command), Ok(Command::Lsp)) {
        return ExitCode::from(lsp(&mut io::stderr()));
    }
    let stdin = io::stdin();
    let stdout = io::stdout();
    let stderr = io::stderr();
    let environment = Environment::detect();
    let code = run_in(std::env::args_os(), &mut stdin.lock(), &mut stdout.lock(), &mut stderr.lock(), &environment);
    ExitCode::from(code)
}

/// Runs the command line with explicit streams, as if output went to a file (no colour unless
/// `--color always`, 100 columns wide); returns the exit status.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    run_in(args, stdin, stdout, stderr, &Environment::default())
}

/// Runs the command line with explicit streams and environment; returns the exit status.
pub fn run_in(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    environment: &Environment,
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
    let status = match cli.command {
        Command::Check(args) => check(&args, stdin, stdout, stderr, environment),
        Command::Explain(args) => explain(&args, stdout, stderr),
        Command::Rules => finish(explain::rules(stdout), EXIT_OK, stderr),
        Command::Fix(args) => fix::run(&args, stdin, stdout, stderr),
        Command::Lsp => lsp(stderr),
    };
    let _ = stdout.flush();
    status
}

fn check(
    args: &CheckArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    environment: &Environment,
) -> u8 {
    let mut resolver = match Resolver::new(&args.rules, &args.account) {
        Ok(r) => r,
        Err(message) => {
            let _ = writeln!(stderr, "outcomes-lint: {message}");
            return EXIT_TROUBLE;
        }
    };
    let human = HumanOptions { color: environment.color(args.color), width: environment.width(), quiet: args.quiet };
    let mut sarif = (args.format == Format::Sarif).then(SarifLog::new);
    let mut status = EXIT_OK;
    let trouble = |stderr: &mut dyn Write, sarif: &mut Option<SarifLog>, name: &str, message: &str| {
        let _ = writeln!(stderr, "outcomes-lint: {name}: {message}");
        if let Some(log) = sarif {
            log.add_failure(name, message);
        }
    };
    for input in inputs::expand(&args.files) {
        let input = match input {
            Ok(input) => input,
            Err(e) => {
                trouble(stderr, &mut sarif, &e.name, &e.message);
                status = EXIT_TROUBLE;
                continue;
            }
        };
        let name = match &input {
            Input::Stdin => args.stdin_filename.clone().unwrap_or_else(|| STDIN_NAME.to_owned()),
            Input::Path(path) => path.display().to_string(),
        };
        let dir = match &input {
            Input::Stdin => PathBuf::from("."),
            Input::Path(path) => settings::config_dir(path),
        };
        let settings = match resolver.for_dir(&dir) {
            Ok(settings) => settings,
            Err(message) => {
                trouble(stderr, &mut sarif, &name, &message);
                status = EXIT_TROUBLE;
                continue;
            }
        };
        let checker = Checker::new(settings.options.clone()).with_lints(settings.config.lint_selection());
        let choice = match args.format {
            Format::Canvas => Choice::Canvas,
            _ => Choice::Findings { config: &settings.config, quiet: args.quiet },
        };
        let keeper = Keeper::new(choice, args.max_errors);
        let (kept, mut source) = match check_input(&input, stdin, checker, args.threads, keeper) {
            Ok(c) => c,
            Err(message) => {
                trouble(stderr, &mut sarif, &name, &message);
                status = EXIT_TROUBLE;
                continue;
            }
        };
        // Before writing: if the reader goes away mid-file (`| head`), the status still counts
        // this file's findings.
        if kept.fails_gate && status == EXIT_OK {
            status = EXIT_FINDINGS;
        }
        let file = CheckedFile::new(&name, &kept);
        let written = match args.format {
            Format::Canvas => output::canvas::write(stdout, &file),
            Format::Human => output::human::write(stdout, &file, &mut source, &human),
            Format::Json => output::json::write(stdout, &file, &mut source),
            Format::Github => output::github::write(stdout, &file, &mut source),
            Format::Sarif => {
                if let Some(log) = &mut sarif {
                    log.add(&file, &mut source);
                }
                Ok(())
            }
        };
        if let Err(e) = written {
            return write_failed(&e, status, stderr);
        }
    }
    if let Some(log) = sarif {
        if let Err(e) = log.write(stdout) {
            return write_failed(&e, status, stderr);
        }
    }
    status
}

/// Checks one input, handing each diagnostic to `keeper` as it is found; returns what it kept
/// and the bytes to show snippets from.
fn check_input(
    input: &Input,
    stdin: &mut dyn Read,
    checker: Checker,
    threads: usize,
    mut keeper: Keeper<'_>,
) -> Result<(Kept, Source), String> {
    let mut keep = |event| {
        if let Event::Diagnostic(d) = event {
            keeper.push(d);
        }
    };
    let (summary, source) = match input {
        Input::Stdin => {
            let checker = checker.with_threads(threads_for(threads, None));
            let mut tee = Tee::new(stdin, STDIN_CAPTURE_LIMIT);
            let summary = checker.run(&mut tee, &mut keep).map_err(|e| e.to_string())?;
            (summary, Source::memory(tee.into_kept()))
        }
        Input::Path(path) => {
            let file = open(path)?;
            let size = file.metadata().ok().map(|m| m.len());
            let checker = checker.with_threads(threads_for(threads, size)).with_size_hint(size);
            let summary = checker.run(&file, &mut keep).map_err(|e| e.to_string())?;
            (summary, Source::file(file))
        }
    };
    Ok((keeper.finish(summary), source))
}

/// Below this size a file is checked on one thread: starting the pool and handing slices
/// between threads costs more than the second core saves (see README, "Performance").
const PARALLEL_FROM_BYTES: u64 = 4_000_000;

/// The threads for a file of `size` bytes (`None`: unknown, as standard input) when `--threads`
/// said `requested`: what was asked, or with `0`, one per core for a large file and one
/// otherwise.
fn threads_for(requested: usize, size: Option<u64>) -> usize {
    match (requested, size) {
        (0, Some(size)) if size >= PARALLEL_FROM_BYTES => 0,
        (0, _) => 1,
        (n, _) => n,
    }
}

/// Opens a file for reading, refusing directories with a clear message.
pub fn open(path: &Path) -> Result<File, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("is a directory".into());
    }
    Ok(file)
}

/// Serves the language server on the process's standard input and output (never on the streams
/// given: the protocol owns the real ones). 0 after the client's `shutdown` and `exit`, 1
/// otherwise, as LSP asks.
fn lsp(stderr: &mut dyn Write) -> u8 {
    match outcomes_lsp::serve_stdio() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(stderr, "outcomes-lint lsp: {e}");
            1
        }
    }
}

fn explain(args: &ExplainArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    if let Some(rule) = Rule::find(args.rule.trim()) {
        return finish(explain::explain(stdout, rule), EXIT_OK, stderr);
    }
    let hint = match explain::suggest(&args.rule) {
        Some(rule) => format!("; did you mean {} ({})?", rule.code(), rule.name()),
        None => "; `outcomes-lint rules` lists them all".to_owned(),
    };
    let _ = writeln!(stderr, "outcomes-lint: no rule has the code or name `{}`{hint}", args.rule);
    EXIT_TROUBLE
}

fn finish(written: io::Result<()>, status: u8, stderr: &mut dyn Write) -> u8 {
    match written {
        Ok(()) => status,
        Err(e) => write_failed(&e, status, stderr),
    }
}

/// Reports a failed write; a closed pipe is not an error.
pub fn write_failed(e: &io::Error, status: u8, stderr: &mut dyn Write) -> u8 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        // The reader went away (`| head`): stop quietly, as Unix tools do, with the status of
        // what was checked so far.
        return status;
    }
    let _ = writeln!(stderr, "outcomes-lint: cannot write output: {e}");
    EXIT_TROUBLE
}
