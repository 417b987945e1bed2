//! Code actions: the repairs of `outcomes-lint fix` ([`outcomes_fix::plan`]), offered on the
//! diagnostics they repair and for the whole document.

use std::collections::HashMap;
use std::ops::Range;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    TextDocumentEdit, TextEdit, Url, WorkspaceEdit,
};
use outcomes_csv::{Reader, Record, Row, Span};
use outcomes_fix::{plan, FixKind, FixOptions, FixPlan, FixSet};
use outcomes_rules::{CanvasOptions, Diagnostic, Rule};

use crate::position::LineIndex;

/// The kind of the action that applies every safe fix. Under `source.fixAll`, so that editors
/// can run it on save (VS Code: `"editor.codeActionsOnSave": {"source.fixAll.outcomes-lint":
/// "explicit"}`).
pub(crate) const FIX_ALL: &str = "source.fixAll.outcomes-lint";

/// The plans of one version of a document, computed on demand and kept until it changes:
/// editors ask for code actions at every move of the cursor.
#[derive(Debug, Default)]
pub(crate) struct Plans {
    /// By the one fix applied, or `None` for every fix.
    plans: HashMap<Option<FixKind>, Option<FixPlan>>,
}

impl Plans {
    /// The plan applying only `kind` (or every fix), or `None` when the text cannot be fixed
    /// (a syntax error no fix repairs) or is not UTF-8 afterwards.
    fn get(&mut self, text: &str, canvas: &CanvasOptions, kind: Option<FixKind>) -> Option<&FixPlan> {
        self.plans
            .entry(kind)
            .or_insert_with(|| {
                let options =
                    FixOptions { fixes: kind.map_or_else(FixSet::all, |k| FixSet::only([k])), canvas: canvas.clone() };
                plan(text.as_bytes(), &options).ok().filter(|p| p.changed() && std::str::from_utf8(&p.output).is_ok())
            })
            .as_ref()
    }
}

/// What a code action request is about.
pub(crate) struct Request<'a> {
    pub(crate) uri: &'a Url,
    pub(crate) version: i32,
    pub(crate) text: &'a str,
    pub(crate) index: &'a LineIndex<'a>,
    pub(crate) canvas: &'a CanvasOptions,
    /// The diagnostics at the requested range, ours and as published.
    pub(crate) diagnostics: Vec<(&'a Diagnostic, lsp_types::Diagnostic)>,
    /// The kinds the client asked for (`context.only`), if it said.
    pub(crate) only: Option<&'a [CodeActionKind]>,
    /// Whether the client takes versioned `documentChanges`.
    pub(crate) document_changes: bool,
}

/// A replacement of the bytes `range` of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ByteEdit {
    range: Range<usize>,
    new_text: String,
}

/// The actions for a request: a quick fix for each diagnostic at the range that a fix repairs,
/// "fix all of this kind" when the fix repairs other rows too, and "apply all safe fixes".
pub(crate) fn code_actions(request: &Request<'_>, plans: &mut Plans) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let mut all_of_kind_offered = Vec::new();
    let mut whole_file_offered = Vec::new();
    if wanted(request.only, &CodeActionKind::QUICKFIX) {
        for (d, published) in &request.diagnostics {
            let Some(kind) = fix_for(d.rule) else {
                continue;
            };
            if !row_local(kind) {
                // One edit of the whole file, whichever of its findings it is asked for.
                if whole_file_offered.contains(&kind) {
                    continue;
                }
                whole_file_offered.push(kind);
            }
            let Some(fix_plan) = plans.get(request.text, request.canvas, Some(kind)) else {
                continue;
            };
            if let Some((title, edit)) = quick_fix(request.text, d, kind, fix_plan) {
                actions.push(action(request, title, CodeActionKind::QUICKFIX, edit, Some(published), true));
            }
            // The fix also repairs other rows: offer them all at once too.
            let count = fix_plan.fixes.len();
            let elsewhere = fix_plan.fixes.iter().any(|f| f.row != d.row);
            if elsewhere && row_local(kind) && !all_of_kind_offered.contains(&kind) {
                all_of_kind_offered.push(kind);
                if let Some(edit) = whole_document_edit(request.text, &fix_plan.output) {
                    let title = format!("Fix all {count} {} findings", kind.rule().name());
                    actions.push(action(request, title, CodeActionKind::QUICKFIX, edit, Some(published), false));
                }
            }
        }
    }
    let fix_all = CodeActionKind::from(FIX_ALL);
    if wanted(request.only, &fix_all) {
        if let Some(fix_plan) = plans.get(request.text, request.canvas, None) {
            if let Some(edit) = whole_document_edit(request.text, &fix_plan.output) {
                let n = fix_plan.fixes.len();
                let title = format!("Apply all safe fixes ({n} change{})", if n == 1 { "" } else { "s" });
                actions.push(action(request, title, fix_all, edit, None, false));
            }
        }
    }
    actions
}

/// The fix that repairs `rule`'s findings: the one `outcomes-lint fix` names after it, and
/// `parents-first` for the info about a parent defined later, which the same move repairs.
fn fix_for(rule: Rule) -> Option<FixKind> {
    match rule {
        Rule::ParentDefinedLater => Some(FixKind::ParentsFirst),
        rule => FixKind::for_rule(rule),
    }
}

/// Whether the client wants actions of `kind`: `only` names it or a kind above it.
fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let Some(only) = only else {
        return true;
    };
    only.iter().any(|o| {
        let o = o.as_str();
        kind.as_str() == o || kind.as_str().strip_prefix(o).is_some_and(|rest| rest.starts_with('.'))
    })
}

fn action(
    request: &Request<'_>,
    title: String,
    kind: CodeActionKind,
    edit: ByteEdit,
    diagnostic: Option<&lsp_types::Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    let edits = vec![TextEdit {
        range: lsp_types::Range::new(
            request.index.position(edit.range.start as u64),
            request.index.position(edit.range.end as u64),
        ),
        new_text: edit.new_text,
    }];
    let edit = if request.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: request.uri.clone(),
                    version: Some(request.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some([(request.uri.clone(), edits)].into_iter().collect()),
            ..WorkspaceEdit::default()
        }
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d.clone()]),
        edit: Some(edit),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

/// Whether a fix changes only the rows it reports (so one finding's repair is that row's
/// change), rather than the file's line breaks or the order of its rows.
fn row_local(kind: FixKind) -> bool {
    !matches!(kind, FixKind::LineEndings | FixKind::ParentsFirst)
}

/// The repair of one diagnostic: its title and edit. `fix_plan` applies `kind` only.
fn quick_fix(text: &str, d: &Diagnostic, kind: FixKind, fix_plan: &FixPlan) -> Option<(String, ByteEdit)> {
    match kind {
        FixKind::LineEndings => {
            let edit = whole_document_edit(text, &fix_plan.output)?;
            Some(("Make every line end like the first line".to_owned(), edit))
        }
        FixKind::ParentsFirst => {
            // Not when the fix refused to move this row: moving others would not help it.
            if let Some(row) = d.row {
                if fix_plan.refused.iter().any(|r| r.row == Some(row)) {
                    return None;
                }
            }
            let edit = whole_document_edit(text, &fix_plan.output)?;
            let title = match fix_plan.fixes.as_slice() {
                [one] => one
                    .message
                    .strip_prefix("moved ")
                    .map_or_else(|| one.message.clone(), |rest| format!("Move {rest}")),
                many => format!("Move {} rows so that parent groups come before the rows that name them", many.len()),
            };
            Some((title, edit))
        }
        _ => {
            // The fix changes rows in place: this finding's repair is its row's change.
            let row = d.row?;
            fix_plan.fixes.iter().find(|f| f.row == Some(row))?;
            let output = std::str::from_utf8(&fix_plan.output).ok()?;
            let before = record(text, row)?;
            let after = record(output, row)?;
            let title = row_fix_title(d, kind, &before, &after)?;
            let old = text.get(byte_range(before.span()))?;
            let new = output.get(byte_range(after.span()))?;
            let start = before.span().start as usize;
            Some((title, minimal_edit(old, new, start, Granularity::Chars)))
        }
    }
}

/// What a fix that changes rows in place does to this diagnostic's row, for people.
fn row_fix_title(d: &Diagnostic, kind: FixKind, before: &Record, after: &Record) -> Option<String> {
    let value = |r: &Record, i: usize| String::from_utf8_lossy(r.get(i).unwrap_or_default()).into_owned();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    Some(match kind {
        FixKind::WorkflowState | FixKind::ObjectType | FixKind::CalculationMethod => {
            let span = d.span?;
            let column = before.cells().position(|c| c.span() == span)?;
            let (old, new) = (value(before, column), value(after, column));
            let field = match kind {
                FixKind::WorkflowState => "workflow_state",
                FixKind::ObjectType => "object_type",
                _ => "calculation_method",
            };
            if new.is_empty() {
                format!("Empty {field} \"{old}\" (Canvas reads an empty {field} as `active`)")
            } else {
                format!("Change {field} \"{old}\" to \"{new}\"")
            }
        }
        FixKind::ShortRows => {
            let added = after.len().saturating_sub(before.len());
            format!("Add the {added} missing cell{} to row {}", plural(added), before.row())
        }
        FixKind::TrailingHeaderCells => {
            let dropped = before.len().saturating_sub(after.len());
            format!("Remove the {dropped} empty cell{} at the end of the header", plural(dropped))
        }
        FixKind::HeaderNames => {
            let renamed: Vec<String> = (0..before.len().min(after.len()))
                .filter(|i| before.get(*i) != after.get(*i))
                .map(|i| format!("\"{}\" to \"{}\"", value(before, i), value(after, i)))
                .collect();
            format!("Rename header cell{} {}", plural(renamed.len()), renamed.join(", "))
        }
        FixKind::LineEndings | FixKind::ParentsFirst => return None,
    })
}

/// Record `row` of `text`, if the text reads that far.
fn record(text: &str, row: Row) -> Option<Record> {
    let mut reader = Reader::new(text.as_bytes()).ok()?;
    let mut record = Record::new();
    while reader.read_record(&mut record).ok()? {
        if record.row() == row {
            return Some(record);
        }
    }
    None
}

fn byte_range(span: Span) -> Range<usize> {
    span.start as usize..span.end as usize
}

/// One edit turning `text` into `output`. In effect a whole-document replacement, but one that
/// leaves out the common beginning and end, so the editor keeps the cursor, folds and marks of
/// the untouched parts.
fn whole_document_edit(text: &str, output: &[u8]) -> Option<ByteEdit> {
    let output = std::str::from_utf8(output).ok()?;
    (text != output).then(|| minimal_edit(text, output, 0, Granularity::Lines))
}

/// Where an edit may start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Granularity {
    /// At any character: one cell's repair touches only the characters that change.
    Chars,
    /// At line starts: moved rows and repaired line endings replace whole lines, which is how
    /// people (and editors' previews) read such a change.
    Lines,
}

/// The part of `old` (found at offset `base` in the document) that differs from `new`, and what
/// replaces it. Never splits a character or a `\r\n` pair, so both ends are LSP positions.
fn minimal_edit(old: &str, new: &str, base: usize, granularity: Granularity) -> ByteEdit {
    let (o, n) = (old.as_bytes(), new.as_bytes());
    let mut prefix = o.iter().zip(n).take_while(|(a, b)| a == b).count();
    let mut suffix =
        o.iter().rev().zip(n.iter().rev()).take(o.len().min(n.len()) - prefix).take_while(|(a, b)| a == b).count();
    let splits = |s: &str, at: usize| {
        !s.is_char_boundary(at) || (at > 0 && s.as_bytes()[at - 1] == b'\r' && s.as_bytes().get(at) == Some(&b'\n'))
    };
    while prefix > 0 && (splits(old, prefix) || splits(new, prefix)) {
        prefix -= 1;
    }
    while suffix > 0 && (splits(old, old.len() - suffix) || splits(new, new.len() - suffix)) {
        suffix -= 1;
    }
    if granularity == Granularity::Lines {
        // A line starts after `\n`, or after a `\r` that no `\n` follows.
        let line_start = |s: &[u8], at: usize| {
            at == 0 || at == s.len() || s[at - 1] == b'\n' || (s[at - 1] == b'\r' && s[at] != b'\n')
        };
        while prefix > 0 && !(line_start(o, prefix) && line_start(n, prefix)) {
            prefix -= 1;
        }
        while suffix > 0 && !(line_start(o, o.len() - suffix) && line_start(n, n.len() - suffix)) {
            suffix -= 1;
        }
    }
    ByteEdit { range: base + prefix..base + old.len() - suffix, new_text: new[prefix..new.len() - suffix].to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edit: &ByteEdit) -> String {
        let mut out = text.to_owned();
        out.replace_range(edit.range.clone(), &edit.new_text);
        out
    }

    #[test]
    fn minimal_edits_keep_characters_and_crlf_whole() {
        let e = minimal_edit("a,Group,b", "a,group,b", 0, Granularity::Chars);
        assert_eq!((e.range.clone(), e.new_text.as_str()), (2..3, "g"));
        // é and è share their first byte: the edit takes the whole character.
        let e = minimal_edit("xéy", "xèy", 10, Granularity::Chars);
        assert_eq!((e.range.clone(), e.new_text.as_str()), (11..13, "è"));
        // \n to \r\n: never between a \r and its \n.
        let old = "a\r\nb\nc";
        let new = "a\r\nb\r\nc";
        let e = minimal_edit(old, new, 0, Granularity::Chars);
        assert_eq!(apply(old, &e), new);
        assert!(!(old.as_bytes()[e.range.start - 1] == b'\r' && old.as_bytes()[e.range.start] == b'\n'));
        let old = "a\nb";
        let new = "a\r\nb";
        let e = minimal_edit(old, new, 0, Granularity::Chars);
        assert_eq!(apply(old, &e), new);
        assert_eq!(minimal_edit("same", "same", 0, Granularity::Chars).range, 4..4);
    }

    #[test]
    fn whole_document_edits_replace_whole_lines() {
        let old = "h\r\nsci.1,x\r\nsci.lab,y\r\n";
        let new = "h\r\nsci.lab,y\r\nsci.1,x\r\n";
        let e = minimal_edit(old, new, 0, Granularity::Lines);
        assert_eq!(e.range, 3..old.len());
        assert_eq!(apply(old, &e), new);
        // A lone `\r` ends a line too; `\r\n` is one line break.
        let old = "a\rb\rc";
        let new = "a\rB\rc";
        let e = minimal_edit(old, new, 0, Granularity::Lines);
        assert_eq!((e.range.clone(), e.new_text.as_str()), (2..4, "B\r"));
        let old = "a\nb\nc";
        let new = "a\r\nb\r\nc";
        let e = minimal_edit(old, new, 0, Granularity::Lines);
        assert_eq!(e.range, 0..4);
        assert_eq!(apply(old, &e), new);
    }

    #[test]
    fn only_filters_by_kind_hierarchy() {
        let fix_all = CodeActionKind::from(FIX_ALL);
        assert!(wanted(None, &fix_all));
        assert!(wanted(Some(&[CodeActionKind::SOURCE_FIX_ALL]), &fix_all));
        assert!(wanted(Some(&[CodeActionKind::SOURCE]), &fix_all));
        assert!(!wanted(Some(&[CodeActionKind::QUICKFIX]), &fix_all));
        assert!(!wanted(Some(&[CodeActionKind::from("source.fix")]), &fix_all));
        assert!(wanted(Some(&[CodeActionKind::QUICKFIX]), &CodeActionKind::QUICKFIX));
    }
}
