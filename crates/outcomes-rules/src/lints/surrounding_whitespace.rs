//! OL111: a title or display name that starts or ends with whitespace.
//!
//! Canvas stores `title` and `display_name` exactly as written (`Outcomes::Import` assigns them
//! without `strip`), so ` Algebra` sorts before every other title, and `Algebra ` looks like
//! `Algebra` but is not equal to it when searched or compared. Guids are not checked here: ASCII
//! whitespace in a vendor_guid is already Canvas's error (OL018), parent_guids are stripped by
//! Canvas, and the invisible characters Canvas keeps in guids are OL110's.

use outcomes_csv::Field;

use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::{invisible_name, show};

pub(crate) struct SurroundingWhitespace;

fn is_space(c: char) -> bool {
    c.is_whitespace() || invisible_name(c).is_some()
}

impl Lint for SurroundingWhitespace {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::SurroundingWhitespace]
    }

    /// Nearly every title starts and ends with printable ASCII, which is no space of any kind.
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::TITLE_EDGES)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        for field in [Field::Title, Field::DisplayName] {
            // Blank values are Canvas's concern ("title" is required) or nothing at all.
            if let Some(text) = cx.present(field) {
                check_ends(cx, field, text, out);
            }
        }
    }
}

/// Reports `text`, the value of `field`, if it starts or ends with whitespace.
fn check_ends(cx: &RowContext<'_>, field: Field, text: &str, out: &mut Vec<Diagnostic>) {
    let leading = text.starts_with(is_space);
    let trailing = text.ends_with(is_space);
    let which = match (leading, trailing) {
        (false, false) => return,
        (true, false) => "starts",
        (false, true) => "ends",
        (true, true) => "starts and ends",
    };
    let trimmed = text.trim_matches(is_space);
    out.push(
        cx.view
            .diagnostic(
                Rule::SurroundingWhitespace,
                format!("{} {} {which} with whitespace", field.name(), show(text)),
                Some(field),
            )
            .with_note(
                "Canvas keeps the whitespace: the text sorts, searches and compares differently from how it looks.",
            )
            .with_help_text(format!("Did you mean {}? Remove the whitespace around it.", show(trimmed))),
    );
}
