//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations on the
//! file and line in the run summary and in pull requests.
//!
//! ```text
//! ::error file=outcomes.csv,line=3,col=32,title=OL023::Parent references not found prior to this row: ["alg.lin"]%0Ahelp: Define each parent group …
//! ```
//!
//! Errors are `::error`, warnings `::warning`, infos `::notice`. The message is Canvas's text,
//! then the note, related places and help on lines of their own.

use std::io::{self, Write};

use outcomes_rules::{Diagnostic, Severity};

use super::CheckedFile;
use crate::source::Source;

/// Writes one workflow command per shown diagnostic of the file; `source` gives the lines and
/// columns of related places that come without them.
pub fn write(out: &mut dyn Write, file: &CheckedFile<'_>, source: &mut Source) -> io::Result<()> {
    for d in file.shown {
        writeln!(out, "{}", command(file.name, d, source))?;
    }
    Ok(())
}

/// The workflow command for one diagnostic.
pub fn command(name: &str, d: &Diagnostic, source: &mut Source) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = vec![format!("file={}", escape_property(&artifact_path(name)))];
    match (d.position, d.row) {
        (Some(p), _) => {
            properties.push(format!("line={}", p.line));
            properties.push(format!("col={}", p.column));
        }
        // File-level findings without a place are about the header line.
        (None, Some(1)) => properties.push("line=1".to_owned()),
        (None, _) => {}
    }
    properties.push(format!("title={}", escape_property(d.rule.code())));

    let mut message = d.message.clone();
    if let Some(note) = &d.note {
        message.push('\n');
        message.push_str(note);
    }
    for related in &d.related {
        message.push('\n');
        message.push_str(&related.message);
        let position = related.position.or_else(|| related.span.and_then(|s| source.locate(s.start)));
        match (position, related.row) {
            (Some(p), _) => message.push_str(&format!(" (line {}, column {})", p.line, p.column)),
            (None, Some(row)) if !related.message.contains(&format!("row {row}")) => {
                message.push_str(&format!(" (row {row})"));
            }
            _ => {}
        }
    }
    message.push_str("\nhelp: ");
    message.push_str(&d.help);
    format!("::{level} {}::{}", properties.join(","), escape_data(&message))
}

/// The path as GitHub wants it: forward slashes, no leading `./`.
fn artifact_path(name: &str) -> String {
    let name = if cfg!(windows) { name.replace('\\', "/") } else { name.to_owned() };
    name.strip_prefix("./").map(str::to_owned).unwrap_or(name)
}

/// Escapes a command's message: `%`, `\r`, `\n`.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property's value: as [`escape_data`], and `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("C:\\a,b.csv"), "C%3A\\a%2Cb.csv");
    }
}
