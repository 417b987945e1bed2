//! OL110: a no-break space or another invisible character inside a guid.
//!
//! Canvas rejects a vendor_guid with ASCII whitespace (OL018: `match?(/\s/)`, which in Ruby only
//! matches ASCII), and splits parent_guids on ASCII whitespace only (`String#split`). A no-break
//! space (what Excel and Word insert after pasting from the web), a typographic space or a
//! zero-width character passes both: it silently becomes part of the guid. The row imports, but
//! under a guid nobody can type, so later rows (and later imports) that name the guid without it
//! do not find it, and a parent_guids cell like `a<NBSP>b` names one group `a b` instead of two.

use outcomes_csv::Field;

use super::{Lint, Needs, RowContext, RowTraits};
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::text::{invisible_name, show};
use crate::view::RowView;

pub(crate) struct InvisibleWhitespace;

/// The first invisible character of `text`: its name, its 1-based character position, and
/// whether it is white space (which an author meant as a separator) rather than zero-width.
fn first_invisible(text: &str) -> Option<(&'static str, usize, bool)> {
    // Every character `invisible_name` names is outside ASCII, and nearly every guid is ASCII:
    // answered without decoding a character.
    if text.is_ascii() {
        return None;
    }
    text.chars().enumerate().find_map(|(i, c)| Some((invisible_name(c)?, i + 1, c.is_whitespace())))
}

fn place(at: usize, len: usize) -> &'static str {
    if at == 1 {
        "at the start"
    } else if at == len {
        "at the end"
    } else {
        "in the middle"
    }
}

impl Lint for InvisibleWhitespace {
    fn rules(&self) -> &'static [Rule] {
        &[Rule::InvisibleWhitespace]
    }

    /// Every character this lint looks for is outside ASCII, and nearly every guid is ASCII.
    fn needs(&self) -> Needs {
        Needs::one_of(RowTraits::GUID_NOT_ASCII | RowTraits::PARENTS_NOT_ASCII)
    }

    fn check_row(&self, cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
        if let Some(guid) = cx.present(Field::VendorGuid) {
            check_vendor_guid(cx, guid, out);
        }
        check_parents(cx, out);
    }
}

/// Reports an invisible character in `guid`, the row's vendor_guid.
fn check_vendor_guid(cx: &RowContext<'_>, guid: &str, out: &mut Vec<Diagnostic>) {
    let view = &cx.view;
    let Some((name, at, _)) = first_invisible(guid) else {
        return;
    };
    let visible: String = guid.chars().filter(|c| invisible_name(*c).is_none()).collect();
    out.push(
        report(view, Field::VendorGuid, "vendor_guid", guid, (name, at))
        .with_note("Canvas rejects only ASCII spaces in vendor_guid; this character is kept as part of the guid, so a parent_guids (or a later import) that names the guid as it looks will not find it.")
        .with_help_text(format!("Did you mean {}? Retype the guid without the invisible character.", show(&visible))),
    );
}

/// Reports an invisible character in each of the row's parent guids.
fn check_parents(cx: &RowContext<'_>, out: &mut Vec<Diagnostic>) {
    let view = &cx.view;
    for guid in cx.parents() {
        let Some((name, at, is_space)) = first_invisible(guid) else {
            continue;
        };
        let len = guid.chars().count();
        let pieces: Vec<String> =
            guid.split(|c: char| invisible_name(c).is_some()).filter(|p| !p.is_empty()).map(show).collect();
        let (note, help) = if is_space && at != 1 && at != len && pieces.len() > 1 {
            (
                format!(
                    "Canvas splits parent_guids only on ASCII spaces, so it looks for one group named {}, not for {}.",
                    show(guid),
                    pieces.join(" and ")
                ),
                "Separate parent guids with ordinary spaces.".to_owned(),
            )
        } else {
            (
                format!("Canvas splits parent_guids only on ASCII spaces and keeps this character as part of the guid, so it looks for a group named {}.", show(guid)),
                format!("Did you mean {}? Retype the guid without the invisible character.", pieces.join(" ")),
            )
        };
        out.push(
            report(view, Field::ParentGuids, "parent_guids entry", guid, (name, at))
                .with_note(note)
                .with_help_text(help),
        );
    }
}

/// The finding on `guid`, in `field` (`what` names it in the message): its first invisible
/// character is `name`, at character `at`. The note and help are the caller's.
fn report(view: &RowView<'_>, field: Field, what: &str, guid: &str, (name, at): (&str, usize)) -> Diagnostic {
    let place = place(at, guid.chars().count());
    view.diagnostic(
        Rule::InvisibleWhitespace,
        format!("{what} {} contains a {name} {place} (character {at})", show(guid)),
        Some(field),
    )
    .with_guids([guid])
}
