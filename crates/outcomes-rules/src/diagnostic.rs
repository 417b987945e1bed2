//! The one diagnostic model every check produces and every output format renders.

use std::borrow::Cow;

use outcomes_csv::{Position, Row, Span};
use serde::Serialize;

use crate::registry::{Rule, Severity};

/// An entry of Canvas's `processing_errors`: the row and the exact message text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanvasError {
    /// Canvas's row (record number; 1 for file-level failures).
    pub row: Row,
    /// The message, byte for byte as Canvas writes it.
    pub message: String,
}

/// Another place that explains a diagnostic: where a duplicate first appeared, where a missing
/// parent is actually defined, which line set the file's line ending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// What this place is.
    pub message: String,
    /// Canvas row, when the place is in a record.
    pub row: Option<Row>,
    /// Bytes of the place.
    pub span: Option<Span>,
    /// Line and column of its start.
    pub position: Option<Position>,
}

/// One finding about a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: Rule,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong. For Canvas's own errors this is Canvas's exact message.
    pub message: String,
    /// What Canvas reports for it in `processing_errors`, if anything.
    pub canvas: Option<CanvasError>,
    /// Canvas row of the record concerned (1 = header).
    pub row: Option<Row>,
    /// Bytes of the cell (or header cell, or record) concerned.
    pub span: Option<Span>,
    /// Line and column where `span` starts.
    pub position: Option<Position>,
    /// The header name of the field concerned, when there is one.
    pub field: Option<Cow<'static, str>>,
    /// Why, in more words than the message, when that helps.
    pub note: Option<Cow<'static, str>>,
    /// How to fix it.
    pub help: Cow<'static, str>,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// The vendor_guids the finding is about: the missing parents, the repeated guid. Lets
    /// tools (fix, the language server) act without parsing messages.
    pub guids: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic for `rule` with its default severity and help.
    pub fn new(rule: Rule, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            canvas: None,
            row: None,
            span: None,
            position: None,
            field: None,
            note: None,
            help: Cow::Borrowed(rule.help()),
            related: Vec::new(),
            guids: Vec::new(),
        }
    }

    /// Whether Canvas fails the whole import for it: a Canvas error about the file, not a row.
    pub fn fails_import(&self) -> bool {
        self.canvas.is_some() && self.rule.scope() == crate::registry::Scope::File
    }

    /// Marks it as a Canvas error reported at `row` with the diagnostic's message.
    pub fn reported_by_canvas_at(mut self, row: Row) -> Diagnostic {
        self.canvas = Some(CanvasError { row, message: self.message.clone() });
        self
    }

    /// Sets the row.
    pub fn with_row(mut self, row: Row) -> Diagnostic {
        self.row = Some(row);
        self
    }

    /// Sets the span and its position.
    pub fn at(mut self, span: Span, position: Position) -> Diagnostic {
        self.span = Some(span);
        self.position = Some(position);
        self
    }

    /// Sets the field name.
    pub fn with_field(mut self, field: impl Into<Cow<'static, str>>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    /// Replaces the rule's default help with advice specific to this finding.
    pub fn with_help_text(mut self, help: impl Into<Cow<'static, str>>) -> Diagnostic {
        self.help = help.into();
        self
    }

    /// Adds a note explaining why.
    pub fn with_note(mut self, note: impl Into<Cow<'static, str>>) -> Diagnostic {
        self.note = Some(note.into());
        self
    }

    /// Names the vendor_guids the finding is about.
    pub fn with_guids<S: Into<String>>(mut self, guids: impl IntoIterator<Item = S>) -> Diagnostic {
        self.guids.extend(guids.into_iter().map(Into::into));
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, related: Related) -> Diagnostic {
        self.related.push(related);
        self
    }
}
