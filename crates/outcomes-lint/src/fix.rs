//! `outcomes-lint fix`: hands the file to [`outcomes_fix`] and writes the result where asked.
//!
//! The repairs themselves, and every decision about what is safe, live in `outcomes-fix`; this
//! module only reads, reports and writes.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use outcomes_fix::{FixOptions, FixSet};

use crate::args::{FixArgs, RuleArgs};
use crate::settings::{config_dir, Resolver};
use crate::{write_failed, EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE};

/// Runs `fix`; returns the exit status.
pub fn run(args: &FixArgs, stdin: &mut dyn Read, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    match fix(args, stdin, stdout, stderr) {
        Ok(status) => status,
        Err(Trouble::Message(message)) => {
            let _ = writeln!(stderr, "outcomes-lint: {message}");
            EXIT_TROUBLE
        }
        Err(Trouble::Output(e)) => write_failed(&e, EXIT_OK, stderr),
    }
}

enum Trouble {
    Message(String),
    Output(io::Error),
}

impl From<String> for Trouble {
    fn from(message: String) -> Self {
        Trouble::Message(message)
    }
}

fn fix(args: &FixArgs, stdin: &mut dyn Read, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<u8, Trouble> {
    let fixes = FixSet::from_select_ignore(&args.select, &args.ignore).map_err(|e| e.to_string())?;
    let from_stdin = args.file == "-";
    if from_stdin && args.write {
        return Err("--write needs a file, not standard input; use -o OUT".to_owned().into());
    }
    let path = PathBuf::from(&args.file);
    let name = if from_stdin { crate::STDIN_NAME.to_owned() } else { path.display().to_string() };
    let rules = RuleArgs { config: args.config.clone(), ..RuleArgs::default() };
    let mut resolver = Resolver::new(&rules, &args.account)?;
    let dir = if from_stdin { PathBuf::from(".") } else { config_dir(&path) };
    let settings = resolver.for_dir(&dir)?;

    let mut bytes = Vec::new();
    let read = if from_stdin {
        stdin.read_to_end(&mut bytes).map(drop)
    } else {
        crate::open(&path).map_err(|e| format!("{name}: {e}"))?.read_to_end(&mut bytes).map(drop)
    };
    read.map_err(|e| format!("{name}: {e}"))?;

    let plan = outcomes_fix::plan(&bytes, &FixOptions { fixes, canvas: settings.options })
        .map_err(|e| format!("{name}: nothing written: {e}"))?;
    for applied in &plan.fixes {
        let _ = writeln!(stderr, "{name}: fixed {applied}");
    }
    for refusal in &plan.refused {
        let _ = writeln!(stderr, "{name}: {refusal}");
    }

    if args.diff {
        stdout
            .write_all(outcomes_fix::unified_diff(&name, &bytes, &plan.output).as_bytes())
            .map_err(Trouble::Output)?;
    } else if let Some(out) = &args.output {
        write(out, &plan.output)?;
    } else if args.write {
        if plan.changed() {
            write(&path, &plan.output)?;
        }
    } else {
        stdout.write_all(&plan.output).map_err(Trouble::Output)?;
    }
    let _ = writeln!(
        stderr,
        "{name}: {} fix{} applied, {} refused",
        plan.fixes.len(),
        if plan.fixes.len() == 1 { "" } else { "es" },
        plan.refused.len()
    );
    Ok(if plan.refused.is_empty() { EXIT_OK } else { EXIT_FINDINGS })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Trouble> {
    outcomes_fix::write_atomically(path, bytes)
        .map_err(|e| Trouble::Message(format!("cannot write {}: {e} (the original is unchanged)", path.display())))
}
