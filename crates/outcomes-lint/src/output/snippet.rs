//! Source snippets for miette: the few lines around a diagnostic's places, safe to print.
//!
//! A CSV line can be 70,000 characters long, a quoted cell can run over hundreds of lines, a
//! byte can be invalid UTF-8 and a cell can hold terminal escape codes. miette prints source
//! lines as they are, so we hand it a rewritten copy instead: only the lines around each place,
//! long lines cut down to the parts around the places (with `…` where text is left out),
//! control characters shown as their Unicode pictures (`␛`), invalid bytes as `�`, the BOM
//! dropped and a lone `\r` line break turned into `\n`. Each copied window keeps its real line
//! numbers, and every label is mapped from file offsets to offsets in the copy.

use std::ops::Range;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use outcomes_csv::Span;

use crate::source::Source;

/// How far to look before and after a place for the line breaks around it.
const LOOK: u64 = 4096;
/// How far to look first.
const FIRST_LOOK: u64 = 256;
/// The most bytes of one place that are shown; a longer place is cut short.
const MAX_PLACE_BYTES: u64 = 8192;
/// The most lines of one place that are shown; a longer place is cut short.
const MAX_PLACE_LINES: usize = 4;
/// Places whose lines touch are shown in one window, unless it would be larger than this.
const MAX_WINDOW_BYTES: u64 = 64 * 1024;
/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// What replaces text left out.
const ELLIPSIS: &str = "…";

/// A place in the file to underline.
#[derive(Debug, Clone)]
pub struct Place {
    /// Its bytes.
    pub span: Span,
    /// The line it starts on (1-based).
    pub line: u64,
    /// The column it starts at (1-based, in characters).
    pub column: u64,
    /// The text next to the underline.
    pub label: Option<String>,
    /// Whether it is the diagnostic's own place (its position heads the snippet).
    pub primary: bool,
}

/// The windows of source shown for one diagnostic; implements [`SourceCode`] for miette.
#[derive(Debug)]
pub struct Snippets {
    name: String,
    windows: Vec<Window>,
}

/// Builds the windows for `places` and the miette label of each place, `None` for a place
/// whose bytes cannot be read (then the caller says where it is in words).
///
/// `budget` is the most characters a shown line may have before it is cut down.
pub fn build(source: &mut Source, name: &str, places: &[Place], budget: usize) -> (Snippets, Vec<Option<LabeledSpan>>) {
    let mut regions: Vec<(usize, Region)> =
        places.iter().enumerate().filter_map(|(i, p)| Some((i, read_region(source, p)?))).collect();
    regions.sort_by_key(|(_, r)| r.start);

    // Merge regions whose lines touch into one window.
    let mut merged: Vec<(Region, Vec<(usize, u64)>)> = Vec::new();
    for (index, region) in regions {
        let member = (index, region.label_end);
        if let Some((current, members)) = merged.last_mut() {
            let end = current.end.max(region.end);
            if region.start <= current.end + 2 && end - current.start <= MAX_WINDOW_BYTES {
                if region.end > current.end {
                    current.right_cut = region.right_cut;
                }
                current.end = end;
                current.left_cut &= region.start > current.start || region.left_cut;
                current.anchors.extend(region.anchors);
                current.empty.extend(region.empty);
                members.push(member);
                continue;
            }
        }
        merged.push((region, vec![member]));
    }

    let mut snippets = Snippets { name: name.to_owned(), windows: Vec::new() };
    let mut labels: Vec<Option<LabeledSpan>> = vec![None; places.len()];
    let mut base = 0;
    for (region, members) in merged {
        let Some(bytes) = source.read_span(Span::new(region.start, region.end)) else {
            continue;
        };
        let mut window = Window::new(&bytes, &region, budget, base);
        for (index, end) in members {
            let place = &places[index];
            let start = window.map_start(place.span.start);
            let stop = if end > place.span.start { window.map_end(end).max(start) } else { start };
            window.columns.push((start, place.column));
            let mut label = place.label.clone();
            if end < place.span.end {
                label = Some(match label {
                    Some(text) => format!("{text} (continues)"),
                    None => "continues".to_owned(),
                });
            }
            let span = SourceSpan::from((window.base + start, stop - start));
            labels[index] = Some(if place.primary {
                LabeledSpan::new_primary_with_span(label, span)
            } else {
                LabeledSpan::new_with_span(label, span)
            });
        }
        base += window.text.len() + 1;
        snippets.windows.push(window);
    }
    (snippets, labels)
}

/// The bytes of the file to show for one place: whole lines, unless they are very long.
#[derive(Debug, Clone)]
struct Region {
    start: u64,
    end: u64,
    /// The region starts in the middle of a line.
    left_cut: bool,
    /// The region ends in the middle of a line.
    right_cut: bool,
    /// Line of `start` (1-based).
    first_line: u64,
    /// Offsets that must stay visible when a long line is cut down.
    anchors: Vec<u64>,
    /// Where the place's underline stops: its end, or earlier when it is too long to show.
    label_end: u64,
    /// Offsets of places that cover no byte.
    empty: Vec<u64>,
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The longest prefix of `bytes` that does not end inside a UTF-8 sequence.
fn char_floor(bytes: &[u8]) -> usize {
    let len = bytes.len();
    let Some(lead) = (0..len).rev().take(4).find(|&i| !is_continuation(bytes[i])) else {
        return len;
    };
    let need = match bytes[lead] {
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        b if b >= 0xC0 => 2,
        _ => 1,
    };
    if lead + need <= len {
        len
    } else {
        lead
    }
}

fn read_region(source: &mut Source, place: &Place) -> Option<Region> {
    let s = place.span.start;
    let e = place.span.end.max(s);

    // Back to the start of the line, or LOOK bytes (a short look first: most lines are short).
    let mut found = None;
    for look in [FIRST_LOOK, LOOK] {
        let lo = s.saturating_sub(look);
        let before = source.read_span(Span::new(lo, s))?;
        found = match before.iter().rposition(|&b| is_break(b)) {
            Some(i) => Some((lo + i as u64 + 1, false)),
            None if lo == 0 => Some((0, false)),
            None if look == LOOK => {
                Some((lo + before.iter().take(3).take_while(|&&b| is_continuation(b)).count() as u64, true))
            }
            None => None,
        };
        if found.is_some() {
            break;
        }
    }
    let (start, left_cut) = found?;

    // The place itself, cut after MAX_PLACE_LINES lines or MAX_PLACE_BYTES bytes.
    let want = (e - s).min(MAX_PLACE_BYTES);
    let body = source.read_span(Span::new(s, s + want))?;
    let mut cut: Option<(u64, bool)> = None;
    let mut breaks = 0;
    let mut i = 0;
    while i < body.len() {
        if is_break(body[i]) {
            breaks += 1;
            if breaks == MAX_PLACE_LINES && s + (i as u64) < e {
                cut = Some((s + i as u64, false));
                break;
            }
            if body[i] == b'\r' && body.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        }
        i += 1;
    }
    if cut.is_none() && e - s > want {
        cut = Some((s + char_floor(&body) as u64, true));
    }

    // On to the end of the line, or LOOK bytes.
    let (end, right_cut) = match cut {
        Some(c) => c,
        None if e > s && body.last().is_some_and(|&b| is_break(b)) => (e, false),
        None => line_end(source, e)?,
    };
    let label_end = cut.map_or(e, |(at, _)| at);
    // A place cut short in the middle of a line shows its start; otherwise both of its ends.
    let anchors = if cut.is_some_and(|(_, mid_line)| mid_line) { vec![s] } else { vec![s, label_end] };
    let empty = if e == s { vec![s] } else { Vec::new() };
    Some(Region { start, end, left_cut, right_cut, first_line: place.line, anchors, label_end, empty })
}

/// Where the line holding offset `e` ends, its line break included, and whether it ends there
/// only because it is longer than LOOK bytes.
fn line_end(source: &mut Source, e: u64) -> Option<(u64, bool)> {
    for look in [FIRST_LOOK, LOOK] {
        let after = source.read_at(e, look as usize + 1).ok()?;
        let full = after.len() as u64 > look;
        let after = &after[..after.len().min(look as usize)];
        match after.iter().position(|&b| is_break(b)) {
            // The line break is part of the line: miette underlines a place just before it.
            Some(j) if after[j] == b'\r' && j + 1 == after.len() && full && look < LOOK => {}
            Some(j) if after[j..].starts_with(b"\r\n") => return Some((e + j as u64 + 2, false)),
            Some(j) => return Some((e + j as u64 + 1, false)),
            None if !full => return Some((e + after.len() as u64, false)),
            None if look == LOOK => return Some((e + char_floor(after) as u64, true)),
            None => {}
        }
    }
    None
}

/// One piece of a window: a character, an invalid byte, a line break, or text left out.
#[derive(Debug, Clone)]
struct Unit {
    /// The bytes of the file it stands for (empty for an added `…`).
    orig: Range<u64>,
    /// Its bytes in the window's text.
    virt: Range<usize>,
}

/// A copy of some lines of the file, rewritten to be safe and short.
#[derive(Debug)]
struct Window {
    /// Offset of `text` in the [`Snippets`]'s coordinates.
    base: usize,
    text: String,
    /// Line number of the first line of `text` (1-based).
    first_line: u64,
    /// Offsets in `text` where lines start.
    line_starts: Vec<usize>,
    /// Sorted by `orig.start`.
    units: Vec<Unit>,
    /// Columns of the places, by their offset in `text`.
    columns: Vec<(usize, u64)>,
}

impl Window {
    fn new(bytes: &[u8], region: &Region, budget: usize, base: usize) -> Window {
        let mut window = Window {
            base,
            text: String::new(),
            first_line: region.first_line,
            line_starts: vec![0],
            units: Vec::new(),
            columns: Vec::new(),
        };
        let origin = region.start;
        let mut at = 0;
        let mut first = true;
        while at <= bytes.len() {
            let content_end = bytes[at..].iter().position(|&b| is_break(b)).map_or(bytes.len(), |i| at + i);
            let terminator_end = match bytes.get(content_end) {
                Some(b'\r') if bytes.get(content_end + 1) == Some(&b'\n') => content_end + 2,
                Some(_) => content_end + 1,
                None => content_end,
            };
            let last = terminator_end >= bytes.len();
            let mut pieces = Vec::new();
            if first && region.left_cut {
                pieces.push(Piece::added_at(at));
            }
            let mut from = at;
            if origin == 0 && at == 0 && bytes.starts_with(BOM) {
                pieces.push(Piece { orig: 0..BOM.len(), text: String::new() });
                from = BOM.len();
            }
            let anchors: Vec<usize> = region
                .anchors
                .iter()
                .filter_map(|&a| usize::try_from(a.checked_sub(origin)?).ok())
                .filter(|&a| a >= from && a <= content_end)
                .collect();
            let (line, tail_left_out) = cut_down(characters(bytes, from..content_end), &anchors, budget);
            pieces.extend(line);
            if last && region.right_cut && !tail_left_out {
                pieces.push(Piece::added_at(content_end));
            }
            if last && terminator_end == content_end && region.empty.contains(&(origin + content_end as u64)) {
                // miette draws nothing for an empty place at the very end of the text; give it
                // a blank to point at.
                pieces.push(Piece { orig: content_end..content_end, text: " ".to_owned() });
            }
            if terminator_end > content_end {
                let text = if bytes[content_end] == b'\r' && terminator_end == content_end + 2 { "\r\n" } else { "\n" };
                pieces.push(Piece { orig: content_end..terminator_end, text: text.to_owned() });
            }
            for piece in pieces {
                let start = window.text.len();
                window.text.push_str(&piece.text);
                let orig = origin + piece.orig.start as u64..origin + piece.orig.end as u64;
                window.units.push(Unit { orig, virt: start..window.text.len() });
            }
            if terminator_end > content_end && !last {
                window.line_starts.push(window.text.len());
            }
            first = false;
            if last {
                break;
            }
            at = terminator_end;
        }
        window
    }

    /// The offset in `text` where the character at file offset `orig` starts.
    fn map_start(&self, orig: u64) -> usize {
        self.units
            .iter()
            .find(|u| !u.orig.is_empty() && u.orig.end > orig)
            .or_else(|| self.units.iter().find(|u| u.orig.is_empty() && u.orig.start == orig))
            .map_or(self.text.len(), |u| u.virt.start)
    }

    /// The offset in `text` just past the character that ends before file offset `orig`.
    fn map_end(&self, orig: u64) -> usize {
        self.units.iter().rev().find(|u| !u.orig.is_empty() && u.orig.start < orig).map_or(0, |u| u.virt.end)
    }

    /// The index of the line holding offset `local` of `text`.
    fn line_of(&self, local: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= local).saturating_sub(1)
    }
}

impl SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        let window = self
            .windows
            .iter()
            .find(|w| w.base <= start && end <= w.base + w.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let local = start - window.base;
        let local_end = end - window.base;
        let first_line = window.line_of(local);
        let last_line = if local_end > local { window.line_of(local_end - 1) } else { first_line };
        let first = first_line.saturating_sub(context_lines_before);
        let last = (last_line + context_lines_after).min(window.line_starts.len() - 1);
        let from = window.line_starts[first];
        let to = window.line_starts.get(last + 1).copied().unwrap_or(window.text.len());
        let column = match window.columns.iter().find(|(offset, _)| *offset == local) {
            Some((_, column)) => usize::try_from(column.saturating_sub(1)).unwrap_or(0),
            None => window.text[window.line_starts[first_line]..local].chars().count(),
        };
        let line = usize::try_from(window.first_line.saturating_sub(1)).unwrap_or(0) + first;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &window.text.as_bytes()[from..to],
            SourceSpan::from((window.base + from, to - from)),
            line,
            column,
            last - first + 1,
        )))
    }
}

/// A unit before it is placed in the window: its bytes relative to the region and its text.
#[derive(Debug)]
struct Piece {
    /// Relative to the region; empty for an added `…` that stands for no byte of the region.
    orig: Range<usize>,
    text: String,
}

impl Piece {
    /// A `…` marking that the line goes on beyond the region, at `at`.
    fn added_at(at: usize) -> Piece {
        Piece { orig: at..at, text: ELLIPSIS.to_owned() }
    }
}

/// The characters of `bytes[range]`, each made safe to print.
fn characters(bytes: &[u8], range: Range<usize>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut at = range.start;
    for chunk in bytes[range].utf8_chunks() {
        for c in chunk.valid().chars() {
            let len = c.len_utf8();
            pieces.push(Piece { orig: at..at + len, text: printable(c).to_string() });
            at += len;
        }
        for _ in chunk.invalid() {
            pieces.push(Piece { orig: at..at + 1, text: char::REPLACEMENT_CHARACTER.to_string() });
            at += 1;
        }
    }
    pieces
}

/// A character as it is safe to show on a terminal.
fn printable(c: char) -> char {
    match c {
        '\t' => '\t',
        // C0 controls as their Unicode pictures: ␀ … ␟.
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or(char::REPLACEMENT_CHARACTER),
        '\x7f' => '\u{2421}',
        // C1 controls, and the marks that reorder text on screen ("Trojan Source").
        '\u{80}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            char::REPLACEMENT_CHARACTER
        }
        c => c,
    }
}

/// Cuts a line of more than `budget` characters down to the parts around `anchors` (offsets in
/// the region), replacing each run left out with one `…`. Also says whether the end of the line
/// was left out.
fn cut_down(pieces: Vec<Piece>, anchors: &[usize], budget: usize) -> (Vec<Piece>, bool) {
    let n = pieces.len();
    if n <= budget {
        return (pieces, false);
    }
    let indices: Vec<usize> = anchors.iter().map(|&a| pieces.partition_point(|p| p.orig.start < a)).collect();
    let keep_around = |radius: usize| {
        let mut keep = vec![false; n];
        for &index in &indices {
            keep[index.saturating_sub(radius)..(index + radius).min(n)].fill(true);
        }
        keep
    };
    let mut keep = if indices.is_empty() {
        let mut keep = vec![false; n];
        keep[..budget].fill(true);
        keep
    } else {
        // The widest view around the anchors that fits the budget (at least 8 characters).
        let (mut low, mut high) = (8, budget);
        while low < high {
            let mid = (low + high).div_ceil(2);
            if keep_around(mid).iter().filter(|k| **k).count() <= budget {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        keep_around(low)
    };
    // A single character left out is not worth a `…`.
    for i in 0..n {
        if !keep[i] && (i == 0 || keep[i - 1]) && (i + 1 == n || keep[i + 1]) {
            keep[i] = true;
        }
    }
    let mut out = Vec::with_capacity(budget + 4);
    let mut pieces = pieces.into_iter().enumerate().peekable();
    while let Some((index, piece)) = pieces.next() {
        if keep[index] {
            out.push(piece);
            continue;
        }
        let mut last = piece.orig.end;
        while let Some((_, next)) = pieces.next_if(|(j, _)| !keep[*j]) {
            last = next.orig.end;
        }
        out.push(Piece { orig: piece.orig.start..last, text: ELLIPSIS.to_owned() });
    }
    (out, !keep[n - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{GraphicalReportHandler, GraphicalTheme};

    #[derive(Debug)]
    struct Shown {
        labels: Vec<LabeledSpan>,
        snippets: Snippets,
    }

    impl std::fmt::Display for Shown {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("message")
        }
    }

    impl std::error::Error for Shown {}

    impl miette::Diagnostic for Shown {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(&self.snippets)
        }

        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(self.labels.clone().into_iter()))
        }
    }

    fn render(bytes: &[u8], places: &[Place], budget: usize) -> String {
        let mut source = Source::memory(bytes.to_vec());
        let (snippets, labels) = build(&mut source, "f.csv", places, budget);
        let shown = Shown { labels: labels.into_iter().flatten().collect(), snippets };
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .with_context_lines(0)
            .render_report(&mut out, &shown)
            .expect("render");
        out
    }

    fn place(start: u64, end: u64, line: u64, column: u64) -> Place {
        Place { span: Span::new(start, end), line, column, label: Some("here".into()), primary: true }
    }

    #[test]
    fn a_cell_is_underlined_on_its_own_line() {
        let out = render(b"a,b,c\nd,eee,f\ng,h,i\n", &[place(8, 11, 2, 3)], 80);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn control_characters_invalid_bytes_and_the_bom_are_made_safe() {
        let out = render(b"\xEF\xBB\xBFa,\x1b[31mred\xff,c\r\n", &[place(5, 15, 1, 3)], 80);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn a_long_line_is_cut_around_the_place() {
        let mut line = "x".repeat(300);
        line.push_str(",target,");
        line.push_str(&"y".repeat(300));
        line.push('\n');
        let out = render(line.as_bytes(), &[place(301, 307, 1, 302)], 40);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn a_long_cell_shows_its_start_and_its_end() {
        let mut line = String::from("a,\"");
        line.push_str(&"z".repeat(500));
        line.push_str("\",b\n");
        let out = render(line.as_bytes(), &[place(2, 504, 1, 3)], 40);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn a_place_over_several_lines_keeps_line_numbers_and_lone_cr_breaks() {
        let out = render(b"h\ra,\"x\ry\",b\rc\r", &[place(4, 9, 2, 3)], 80);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn an_empty_place_at_the_end_of_a_line_or_of_the_file_is_pointed_at() {
        let out = render(b"a,b,\nc,d,", &[place(4, 4, 1, 5), place(9, 9, 2, 5)], 80);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn a_place_of_many_lines_is_cut_short() {
        let text = "a,\"1\n2\n3\n4\n5\n6\",b\n";
        let out = render(text.as_bytes(), &[place(2, 16, 1, 3)], 80);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn places_on_far_apart_lines_get_windows_of_their_own() {
        let text = b"a,b\nc,d\ne,f\ng,h\n";
        let mut related = place(12, 13, 4, 1);
        related.primary = false;
        related.label = Some("there".into());
        let out = render(text, &[place(2, 3, 1, 3), related], 80);
        insta::assert_snapshot!(out);
    }
}
