//! The default output, for people: miette's graphical reports, then a summary per file.
//!
//! ```text
//! OL023 parent-not-found
//!
//!   × Parent references not found prior to this row: ["alg.lin"]
//!    ╭─[OL023-parent-not-found.csv:3:32]
//!  3 │ alg.1,outcome,Linear equations,alg.lin
//!    ·                                ───┬───
//!    ·                                   ╰── row 3, parent_guids
//!    ╰────
//!   help: Define each parent group in a row above this one (or fix the guid)
//! ```

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use outcomes_rules::{Diagnostic, Severity, Summary};
use owo_colors::{OwoColorize, Style};

use super::snippet::{self, Place, Snippets};
use super::CheckedFile;
use crate::source::Source;

/// How to draw the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// The width to wrap text at, in columns.
    pub width: usize,
    /// Leave out the summary line of each file.
    pub quiet: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions { color: false, width: 100, quiet: false }
    }
}

/// Writes the diagnostics of one file, then what `--max-errors` left out, then a summary line.
pub fn write(
    out: &mut dyn Write,
    file: &CheckedFile<'_>,
    source: &mut Source,
    options: &HumanOptions,
) -> io::Result<()> {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme.clone())
        .with_width(options.width)
        .with_context_lines(0)
        .with_links(false)
        .without_syntax_highlighting();
    for d in file.shown {
        let text = render(&handler, &theme, file.name, d, source, options.width)
            .map_err(|_| io::Error::other("could not format a diagnostic"))?;
        writeln!(out, "{text}")?;
    }
    if file.hidden > 0 {
        let s = if file.hidden == 1 { "" } else { "s" };
        writeln!(out, "{}: {} more diagnostic{s} not shown (--max-errors)", file.name, file.hidden)?;
    }
    if !options.quiet {
        writeln!(out, "{}: {}", file.name, summary(file.failure, &file.summary))?;
    }
    Ok(())
}

/// One sentence on what Canvas would do with the file.
pub fn summary(failure: Option<&Diagnostic>, checked: &Summary) -> String {
    if let Some(failure) = failure {
        return format!("Canvas would fail the whole import: {}", failure.message);
    }
    let rows = checked.imported + checked.skipped;
    match checked.skipped {
        0 => format!("Canvas would import all {rows} rows"),
        1 => format!("Canvas would import {} of {rows} rows; 1 row would be skipped", checked.imported),
        n => format!("Canvas would import {} of {rows} rows; {n} rows would be skipped", checked.imported),
    }
}

/// A diagnostic as miette sees it: code, message, labels and the source windows.
#[derive(Debug)]
struct Report<'a> {
    code: String,
    message: String,
    severity: miette::Severity,
    labels: Vec<LabeledSpan>,
    snippets: &'a Snippets,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.snippets)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn render(
    handler: &GraphicalReportHandler,
    theme: &GraphicalTheme,
    name: &str,
    d: &Diagnostic,
    source: &mut Source,
    width: usize,
) -> Result<String, fmt::Error> {
    // The places to underline: the diagnostic's own, then related places with bytes.
    let mut places = Vec::new();
    if let (Some(span), Some(position)) = (d.span, d.position) {
        places.push(Place { span, line: position.line, column: position.column, label: place_label(d), primary: true });
    }
    let mut related_places = Vec::new();
    for (index, related) in d.related.iter().enumerate() {
        let Some(span) = related.span else { continue };
        if let Some(position) = related.position.or_else(|| source.locate(span.start)) {
            related_places.push(index);
            places.push(Place {
                span,
                line: position.line,
                column: position.column,
                label: Some(safe(&related.message)),
                primary: false,
            });
        }
    }
    let budget = width.saturating_sub(12).max(40);
    let (snippets, labels) = snippet::build(source, name, &places, budget);
    let primary_shown = d.span.is_some() && d.position.is_some() && labels.first().is_some_and(Option::is_some);

    let report = Report {
        code: format!("{} {}", d.rule.code(), d.rule.name()),
        message: safe(&d.message),
        severity: match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        },
        labels: labels.iter().flatten().cloned().collect(),
        snippets: &snippets,
    };
    let mut text = String::new();
    handler.render_report(&mut text, &report)?;

    // What miette has no place for: where, when there is no snippet; the note; related places
    // not underlined; the help.
    let mut footer = Vec::new();
    if !primary_shown {
        footer.push(("at", location(name, d)));
    }
    if let Some(note) = &d.note {
        footer.push(("note", safe(note)));
    }
    let offset = usize::from(d.span.is_some() && d.position.is_some());
    for (index, related) in d.related.iter().enumerate() {
        let underlined = related_places
            .iter()
            .position(|&i| i == index)
            .is_some_and(|k| labels.get(offset + k).is_some_and(Option::is_some));
        if !underlined {
            let mut message = safe(&related.message);
            match (related.position, related.row) {
                (Some(p), _) => message.push_str(&format!(" ({name}:{}:{})", p.line, p.column)),
                (None, Some(row)) if !message.contains(&format!("row {row}")) => {
                    message.push_str(&format!(" (row {row})"));
                }
                _ => {}
            }
            footer.push(("note", message));
        }
    }
    footer.push(("help", safe(&d.help)));
    for (label, body) in footer {
        let prefix = format!("  {label}: ");
        let options = textwrap::Options::new(width.saturating_sub(2))
            .initial_indent(&prefix)
            .subsequent_indent("        ")
            .break_words(true);
        let wrapped = textwrap::fill(&body, options);
        let styled = wrapped.replacen(&prefix, &format!("  {}: ", label.style(label_style(theme, label))), 1);
        text.push_str(&styled);
        text.push('\n');
    }
    Ok(text)
}

fn label_style(theme: &GraphicalTheme, label: &str) -> Style {
    if label == "at" {
        theme.styles.link
    } else {
        theme.styles.help
    }
}

/// The text under the diagnostic's own underline: which row and which field.
fn place_label(d: &Diagnostic) -> Option<String> {
    let field = d.field.as_deref().filter(|f| !f.is_empty()).map(safe);
    match (d.row, field) {
        (Some(1), None) => Some("header".to_owned()),
        (Some(1), Some(field)) => Some(format!("header, {field}")),
        (Some(row), Some(field)) => Some(format!("row {row}, {field}")),
        (Some(row), None) => Some(format!("row {row}")),
        (None, field) => field,
    }
}

/// Where a diagnostic is, in words, for when no snippet shows it.
fn location(name: &str, d: &Diagnostic) -> String {
    let mut at = name.to_owned();
    if let Some(p) = d.position {
        at.push_str(&format!(":{}:{}", p.line, p.column));
    }
    if let Some(row) = d.row {
        at.push_str(&format!(", row {row}"));
    }
    at
}

/// Text from the file made safe for a terminal: control characters escaped.
fn safe(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}
