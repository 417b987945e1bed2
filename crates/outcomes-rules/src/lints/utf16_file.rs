//! OL120: a UTF-16 file.
//!
//! Excel's "Unicode Text" and some Windows tools write UTF-16: two bytes per character, ASCII
//! letters followed (or preceded) by a NUL byte. Canvas reads every file as UTF-8, so it sees
//! the header as garbage and fails the import with a header error ("Missing required fields" or
//! "Invalid CSV File") that does not hint at the real cause. The file is recognised from its
//! first bytes, before parsing, because parsing may fail at once.

use outcomes_csv::{Position, Span};

use super::{Lint, Needs};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::Utf16;

pub(crate) struct Utf16File;

impl Lint for Utf16File {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::Utf16File]
    }

    /// Nothing to look for in a row.
    fn needs(&self) -> Needs {
        Needs::NO_ROW
    }

    fn file_start(&mut self, head: &[u8], out: &mut Vec<Diagnostic>) {
        let Some(encoding) = Utf16::detect(head) else {
            return;
        };
        let bom = match encoding {
            Utf16::Le { bom } | Utf16::Be { bom } => bom,
        };
        let span = Span::new(0, if bom { 2 } else { 0 });
        out.push(
            Diagnostic::new(
                Rule::Utf16File,
                format!("the file is {}, not UTF-8", encoding.describe()),
            )
            .with_row(1)
            .at(span, Position { offset: 0, line: 1, column: 1 })
            .with_note("Canvas reads every file as UTF-8, so it sees a NUL byte beside every letter: no header name matches, and the line breaks can even make the file invalid CSV. Canvas's errors for this file come from its encoding, not from its content. Excel writes UTF-16 when you choose \"Unicode Text\"."),
        );
    }
}
