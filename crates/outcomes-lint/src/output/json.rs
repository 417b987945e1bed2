//! `--format json`: JSON Lines, one object per diagnostic.
//!
//! ```json
//! {"file":"a.csv","code":"OL023","name":"parent-not-found","severity":"error",
//!  "message":"Parent references not found prior to this row: [\"alg.lin\"]",
//!  "canvas":[3,"Parent references not found prior to this row: [\"alg.lin\"]"],
//!  "row":3,"line":3,"column":32,"end_line":3,"end_column":39,"span":{"start":95,"end":102},
//!  "field":"parent_guids","note":null,"help":"Define each parent group …","related":[],
//!  "guids":["alg.lin"]}
//! ```
//!
//! (One line per object in the output; wrapped here.) Lines and columns are 1-based, columns
//! count characters; `end_column` is the column just past the place. `span` is in bytes from
//! the start of the file, a BOM included. The README documents every field.

use std::io::{self, Write};

use outcomes_csv::Span;
use outcomes_rules::Diagnostic;
use serde::Serialize;

use super::{CheckedFile, Extent};
use crate::source::Source;

/// One diagnostic as a JSON object.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// The file's name as shown.
    pub file: &'a str,
    /// The rule's code, e.g. `OL023`.
    pub code: &'static str,
    /// The rule's name, e.g. `parent-not-found`.
    pub name: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// What is wrong; Canvas's exact text for Canvas's errors.
    pub message: &'a str,
    /// Canvas's `[row, message]` entry, or `null` when Canvas reports nothing for it.
    pub canvas: Option<(u64, &'a str)>,
    /// Canvas's row of the record (1 is the header).
    pub row: Option<u64>,
    /// Physical line where the place starts (1-based).
    pub line: Option<u64>,
    /// Column where it starts (1-based, in characters).
    pub column: Option<u64>,
    /// Line where the place ends.
    pub end_line: Option<u64>,
    /// Column just past its last character.
    pub end_column: Option<u64>,
    /// Bytes of the place, from the start of the file.
    pub span: Option<Span>,
    /// The header name of the field concerned.
    pub field: Option<&'a str>,
    /// Why, when there is more to say.
    pub note: Option<&'a str>,
    /// How to fix it.
    pub help: &'a str,
    /// Other places that explain it.
    pub related: Vec<JsonRelated<'a>>,
    /// The vendor_guids it is about (the missing parents, the repeated guid), for tools.
    pub guids: &'a [String],
}

/// A related place as a JSON object.
#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    /// What the place is.
    pub message: &'a str,
    /// Its row, when it is in a record.
    pub row: Option<u64>,
    /// Its line.
    pub line: Option<u64>,
    /// Its column.
    pub column: Option<u64>,
    /// Its bytes.
    pub span: Option<Span>,
}

impl<'a> JsonDiagnostic<'a> {
    /// Builds the object for `d` in the file named `file`, reading `source` for end positions.
    pub fn new(file: &'a str, d: &'a Diagnostic, source: &mut Source) -> JsonDiagnostic<'a> {
        let extent = Extent::of(source, d.span, d.position);
        JsonDiagnostic {
            file,
            code: d.rule.code(),
            name: d.rule.name(),
            severity: d.severity.as_str(),
            message: &d.message,
            canvas: d.canvas.as_ref().map(|c| (c.row, c.message.as_str())),
            row: d.row,
            line: extent.start.map(|p| p.line),
            column: extent.start.map(|p| p.column),
            end_line: extent.end.map(|p| p.line),
            end_column: extent.end.map(|p| p.column),
            span: d.span,
            field: d.field.as_deref(),
            note: d.note.as_deref(),
            help: &d.help,
            related: d
                .related
                .iter()
                .map(|r| {
                    let start = r.position.or_else(|| r.span.and_then(|s| source.locate(s.start)));
                    JsonRelated {
                        message: &r.message,
                        row: r.row,
                        line: start.map(|p| p.line),
                        column: start.map(|p| p.column),
                        span: r.span,
                    }
                })
                .collect(),
            guids: &d.guids,
        }
    }
}

/// Writes one line per shown diagnostic of the file.
pub fn write(out: &mut dyn Write, file: &CheckedFile<'_>, source: &mut Source) -> io::Result<()> {
    for d in file.shown {
        let json = JsonDiagnostic::new(file.name, d, source);
        serde_json::to_writer(&mut *out, &json)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
