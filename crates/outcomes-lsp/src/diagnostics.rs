//! Checking a document and turning our diagnostics into LSP's.

use std::collections::BTreeSet;

use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Url};
use outcomes_csv::{ReaderOptions, Span};
use outcomes_rules::{Checker, Diagnostic, Severity};

use crate::document::row_places;
use crate::position::{Encoding, LineIndex};
use crate::settings::Settings;

/// The `source` of every diagnostic we publish.
pub(crate) const SOURCE: &str = "outcomes-lint";

/// Checks `text` as `outcomes-lint check` would with these settings: the selected lints run,
/// hidden rules are dropped, `warn-as-error` raises severities, and the order is the same.
pub(crate) fn check(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let checker = Checker::new(settings.canvas.clone())
        .with_lints(settings.config.lint_selection())
        // The text is in memory already: no record is too large to check.
        .with_limits(ReaderOptions { max_record_bytes: usize::MAX });
    let Ok(checked) = checker.check(text.as_bytes()) else {
        // Reading a slice of memory performs no I/O, and no record exceeds an unlimited limit.
        return Vec::new();
    };
    let mut diagnostics: Vec<Diagnostic> = checked
        .diagnostics
        .into_iter()
        .filter_map(|mut d| {
            d.severity = settings.config.severity_for(d.rule)?;
            Some(d)
        })
        .collect();
    // The command line's order: by the row Canvas reports them at (a failure of the whole file,
    // at row 1, first), then by their own row, then as found.
    diagnostics.sort_by_key(|d| (d.canvas.as_ref().map(|c| c.row).or(d.row).unwrap_or(0), d.row.unwrap_or(0)));
    diagnostics
}

/// What the client can show, which decides how a diagnostic is written.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Presentation {
    /// The client shows `relatedInformation`; otherwise related places go into the message.
    pub(crate) related_information: bool,
}

/// Our diagnostics as LSP diagnostics, in the same order.
///
/// The range is the diagnostic's span (the cell, header cell or record), or the first line for a
/// finding about the whole file that has no place. The message is the diagnostic's message (for
/// Canvas's errors, Canvas's exact text) followed by its note and its help on lines of their own,
/// because editors show nothing else of a diagnostic by default.
pub(crate) fn to_lsp(
    diagnostics: &[Diagnostic],
    text: &str,
    index: &LineIndex<'_>,
    uri: &Url,
    presentation: Presentation,
) -> Vec<lsp_types::Diagnostic> {
    // Related places known only by their row: point at that row's vendor_guid cell.
    let rows: BTreeSet<u64> = diagnostics
        .iter()
        .flat_map(|d| &d.related)
        .filter(|r| r.span.is_none() && r.position.is_none())
        .filter_map(|r| r.row)
        .collect();
    let places = row_places(text, &rows);
    // Places written into a message count columns in characters, as the command line does.
    let chars = (!presentation.related_information).then(|| LineIndex::new(text, Encoding::Chars));
    diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(note) = &d.note {
                message.push_str("\nnote: ");
                message.push_str(note);
            }
            let mut related = Vec::new();
            for r in &d.related {
                let span = r
                    .span
                    .or_else(|| r.position.map(|p| Span::new(p.offset, p.offset)))
                    .or_else(|| r.row.and_then(|row| places.get(&row).copied()));
                match span {
                    Some(span) if presentation.related_information => {
                        related.push(DiagnosticRelatedInformation {
                            location: Location::new(uri.clone(), index.range(span)),
                            message: r.message.clone(),
                        });
                    }
                    Some(span) => {
                        let at = chars.as_ref().unwrap_or(index).position(span.start);
                        message.push_str(&format!(
                            "\n{} (line {}, column {})",
                            r.message,
                            at.line + 1,
                            at.character + 1
                        ));
                    }
                    None => {
                        message.push('\n');
                        message.push_str(&r.message);
                    }
                }
            }
            if !d.help.is_empty() {
                message.push_str("\nhelp: ");
                message.push_str(&d.help);
            }
            lsp_types::Diagnostic {
                range: range_of(d, index),
                severity: Some(severity(d.severity)),
                code: Some(NumberOrString::String(d.rule.code().to_owned())),
                code_description: None,
                source: Some(SOURCE.to_owned()),
                message,
                related_information: presentation.related_information.then_some(related).filter(|r| !r.is_empty()),
                tags: None,
                data: None,
            }
        })
        .collect()
}

/// Where a diagnostic is shown.
pub(crate) fn range_of(d: &Diagnostic, index: &LineIndex<'_>) -> Range {
    match (d.span, d.position) {
        (Some(span), _) => index.range(span),
        (None, Some(p)) => index.range(Span::new(p.offset, p.offset)),
        (None, None) => index.first_line(),
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Position;

    const FILE: &str = "vendor_guid,object_type,title,parent_guids\r\n\
                        o1,outcome,Add,g\r\n\
                        g,group,Numbers,\r\n";

    #[test]
    fn ranges_codes_and_related_places() {
        let diagnostics = check(FILE, &Settings::default());
        let uri = Url::parse("file:///o.csv").unwrap();
        let index = LineIndex::new(FILE, Encoding::Utf16);
        let lsp = to_lsp(&diagnostics, FILE, &index, &uri, Presentation { related_information: true });
        let parent = lsp.iter().find(|d| d.code == Some(NumberOrString::String("OL023".into()))).expect("OL023");
        assert_eq!(parent.range, Range::new(Position::new(1, 15), Position::new(1, 16)));
        assert_eq!(parent.severity, Some(DiagnosticSeverity::ERROR));
        assert!(parent.message.starts_with("Parent references not found prior to this row: [\"g\"]\n"));
        assert!(parent.message.contains("\nhelp: "));
        let related = parent.related_information.as_ref().expect("related");
        assert_eq!(related[0].location.range.start, Position::new(2, 0));

        // Without relatedInformation the place goes into the message.
        let plain = to_lsp(&diagnostics, FILE, &index, &uri, Presentation::default());
        let parent = plain.iter().find(|d| d.code == Some(NumberOrString::String("OL023".into()))).expect("OL023");
        assert!(parent.related_information.is_none());
        assert!(parent.message.contains("at row 3 (line 3, column 1)"), "{}", parent.message);
    }

    #[test]
    fn configuration_hides_and_raises() {
        let settings = Settings {
            config: outcomes_rules::Config::from_toml("ignore = ['OL023']\nwarn-as-error = ['OL101']\n").unwrap(),
            ..Settings::default()
        };
        let diagnostics = check(FILE, &settings);
        assert!(diagnostics.iter().all(|d| d.rule.code() != "OL023"));
        let later = diagnostics.iter().find(|d| d.rule.code() == "OL101").expect("OL101");
        assert_eq!(later.severity, Severity::Error, "an info raised by its code");
        assert_eq!(later.rule.default_severity(), Severity::Info);
    }
}
