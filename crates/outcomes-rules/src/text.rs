//! Text helpers shared by the lints and the enriched Canvas diagnostics: showing a value in a
//! message, naming invisible characters, and recognising files saved in the wrong encoding.

use wide::u8x16;

/// A value as messages show it: between backticks, invisible characters escaped (`\u{A0}`),
/// control characters escaped, and cut after 60 characters.
pub(crate) fn show(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::with_capacity(text.len().min(MAX * 4) + 2);
    out.push('`');
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || invisible_name(c).is_some() || (c != ' ' && c.is_whitespace()) => {
                out.push_str(&format!("\\u{{{:X}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// The name of a character that looks like nothing or like an ordinary space but is not ASCII
/// whitespace: Unicode white space beyond ASCII, and the zero-width characters. None is ASCII,
/// so an ASCII text has none of them.
pub(crate) fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{85}' => "next-line character (U+0085)",
        '\u{A0}' => "no-break space (U+00A0)",
        '\u{1680}' => "Ogham space mark (U+1680)",
        '\u{180E}' => "Mongolian vowel separator (U+180E)",
        '\u{2000}'..='\u{200A}' => "typographic space (U+2000-U+200A)",
        '\u{200B}' => "zero-width space (U+200B)",
        '\u{200C}' => "zero-width non-joiner (U+200C)",
        '\u{200D}' => "zero-width joiner (U+200D)",
        '\u{2028}' => "line separator (U+2028)",
        '\u{2029}' => "paragraph separator (U+2029)",
        '\u{202F}' => "narrow no-break space (U+202F)",
        '\u{205F}' => "medium mathematical space (U+205F)",
        '\u{2060}' => "word joiner (U+2060)",
        '\u{3000}' => "ideographic space (U+3000)",
        '\u{FEFF}' => "zero-width no-break space / byte-order mark (U+FEFF)",
        _ => return None,
    })
}

/// Eight copies of a byte, one per byte of a `u64`: the operand of the tests below, which look
/// at eight bytes of a value at a time.
pub(crate) const fn lanes(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The top bit of every byte: set in a byte outside ASCII.
pub(crate) const HIGH: u64 = lanes(0x80);

/// Nonzero exactly when a byte of `word` is below `n` (for any `n` up to 128): the classic
/// "has a byte less than n" test. A byte below `n` borrows in `word - lanes(n)` where its own
/// top bit is clear. The top bit of each such byte is set, and may also be set in a byte after
/// one (the borrow runs on), never without one.
#[inline]
pub(crate) fn bytes_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(lanes(n)) & !word & HIGH
}

/// Whether `bytes` holds `needle`: `<[u8]>::contains` (the reference) for the short values of
/// a cell (a guid, a number). Eight bytes at a time, the last eight overlapping the ones before
/// when the length is not a multiple of eight: a guid of 17 bytes is three words, with no call
/// (the standard library calls its `memchr` from 16 bytes on) and no loop over the bytes after
/// the last whole word.
pub(crate) fn has_byte(bytes: &[u8], needle: u8) -> bool {
    let splat = lanes(needle);
    // A byte equal to `needle` is zero in `word ^ splat`.
    let holds = |word: &[u8; 8]| bytes_below(u64::from_le_bytes(*word) ^ splat, 1) != 0;
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.contains(&needle);
    };
    let mut i = 0;
    while let Some(word) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        if holds(word) {
            return true;
        }
        i += 8;
    }
    i < bytes.len() && holds(last)
}

/// Whether `bytes` has a byte outside ASCII, and whether it holds `needle`: `(!bytes.is_ascii(),
/// bytes.contains(&needle))` (the reference) in one pass over a short value (a guid), without
/// an early return, as a guid is a few words. From 16 bytes on, sixteen at a time (`wide`'s
/// vectors), the last sixteen overlapping the ones before: a guid of 17 bytes is two vectors.
/// From 8 bytes, the first eight and the last eight, overlapping: no loop at all. Eight bytes at
/// a time with a loop and a tail, as before, a guid cost some 55 instructions a row, and
/// `<[u8]>::is_ascii` on parent_guids (aligning its words first) some 40.
#[inline]
pub(crate) fn not_ascii_and_byte(bytes: &[u8], needle: u8) -> (bool, bool) {
    if let Some(last) = bytes.last_chunk::<16>() {
        let splat = u8x16::splat(needle);
        let vector = |chunk: &[u8]| u8x16::from(<[u8; 16]>::try_from(chunk).unwrap_or([0; 16]));
        let last = u8x16::from(*last);
        let (mut high, mut found) = (last, last.cmp_eq(splat));
        for chunk in bytes.chunks_exact(16) {
            let v = vector(chunk);
            high |= v;
            found |= v.cmp_eq(splat);
        }
        return (high.move_mask() != 0, found.move_mask() != 0);
    }
    let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) else {
        return (!bytes.is_ascii(), bytes.contains(&needle));
    };
    let splat = lanes(needle);
    let (first, last) = (u64::from_le_bytes(*first), u64::from_le_bytes(*last));
    let found = bytes_below(first ^ splat, 1) | bytes_below(last ^ splat, 1);
    ((first | last) & HIGH != 0, found != 0)
}

/// Whether `bytes` has a byte outside ASCII: `!bytes.is_ascii()`, as [`not_ascii_and_byte`]
/// finds it for a short value (a cell of guids).
#[inline]
pub(crate) fn not_ascii(bytes: &[u8]) -> bool {
    not_ascii_and_byte(bytes, 0).0
}

/// Whether `b` continues a character in UTF-8 (`0b10xx_xxxx`) rather than starting one: how
/// characters are counted or stepped back over in bytes known to be UTF-8.
#[inline]
pub(crate) fn is_utf8_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Where the first byte outside ASCII is: `bytes.iter().position(|b| !b.is_ascii())` (the
/// reference), eight bytes at a time (a byte-by-byte search cost more than all the rest of the
/// title hash that asks). Inlined into that per-row caller: out of line it cost 0.1 M
/// instructions more on the 12k-row slice.
#[inline]
pub(crate) fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let high = u64::from_le_bytes(eight) & HIGH;
        if high != 0 {
            return Some(at + high.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    words.remainder().iter().position(|b| !b.is_ascii()).map(|i| at + i)
}

/// Windows-1252 characters for bytes 0x80-0x9F; `None` marks the five bytes it leaves undefined.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Reads `bytes` as Windows-1252 (which agrees with Latin-1 on 0xA0-0xFF) when that gives
/// plausible text: the bytes are not UTF-8, every byte is defined in Windows-1252, and there is
/// no control character other than tab and line breaks.
pub(crate) fn decode_windows_1252(bytes: &[u8]) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for &b in bytes {
        let c = match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)]?,
            b'\t' | b'\n' | b'\r' => char::from(b),
            0x00..=0x1F | 0x7F => return None,
            _ => char::from(b),
        };
        out.push(c);
    }
    Some(out)
}

/// The byte order of a UTF-16 file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Utf16 {
    /// Little-endian (what Windows and Excel write).
    Le {
        /// Whether the file starts with the byte-order mark `FF FE`.
        bom: bool,
    },
    /// Big-endian.
    Be {
        /// Whether the file starts with the byte-order mark `FE FF`.
        bom: bool,
    },
}

impl Utf16 {
    /// Recognises UTF-16 from the first bytes of a file: a UTF-16 byte-order mark, or (without
    /// one) NUL bytes in most even or most odd positions and almost none in the others, which is
    /// how ASCII text looks in UTF-16.
    pub(crate) fn detect(head: &[u8]) -> Option<Utf16> {
        match head {
            [0xFF, 0xFE, ..] => return Some(Utf16::Le { bom: true }),
            [0xFE, 0xFF, ..] => return Some(Utf16::Be { bom: true }),
            _ => {}
        }
        let pairs = head.len() / 2;
        if pairs < 4 {
            return None;
        }
        let (mut even, mut odd) = (0usize, 0usize);
        for pair in head.chunks_exact(2) {
            even += usize::from(pair[0] == 0);
            odd += usize::from(pair[1] == 0);
        }
        let most = |n: usize| n * 10 >= pairs * 7;
        let few = |n: usize| n * 20 <= pairs;
        if most(odd) && few(even) {
            Some(Utf16::Le { bom: false })
        } else if most(even) && few(odd) {
            Some(Utf16::Be { bom: false })
        } else {
            None
        }
    }

    /// How a person would name it, e.g. `UTF-16 little-endian with a byte-order mark (FF FE)`.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Utf16::Le { bom: true } => "UTF-16 little-endian, with a byte-order mark (FF FE)",
            Utf16::Le { bom: false } => "UTF-16 little-endian (a NUL byte after every ASCII letter)",
            Utf16::Be { bom: true } => "UTF-16 big-endian, with a byte-order mark (FE FF)",
            Utf16::Be { bom: false } => "UTF-16 big-endian (a NUL byte before every ASCII letter)",
        }
    }
}

/// The candidate `value` was probably meant as: equal once case, surrounding whitespace and
/// `-`/space vs `_` are ignored, or at most two typing mistakes away (and not more than a third
/// of the word).
pub(crate) fn suggest<'c>(value: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let normalized: String = value
        .trim_matches(|c: char| c.is_whitespace() || invisible_name(c).is_some())
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if normalized.is_empty() {
        return None;
    }
    if let Some(exact) = candidates.iter().find(|c| **c == normalized) {
        return Some(exact);
    }
    // The distance is at least the difference in length: a long value (a 20 MB cell) is never
    // compared, which would take minutes.
    let length = normalized.chars().count();
    candidates
        .iter()
        .filter(|c| c.chars().count().abs_diff(length) <= 2)
        .map(|c| (edit_distance(&normalized, c), *c))
        .filter(|(d, c)| *d <= 2 && *d * 3 <= c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, on characters. Only used on short keywords.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn has_byte_agrees_with_contains(
            text in "[a-z:\u{e9}\u{a0}-]{0,40}",
            needle in prop::sample::select(vec![b':', b'-', b'a', 0xC3, 0]),
        ) {
            prop_assert_eq!(has_byte(text.as_bytes(), needle), text.as_bytes().contains(&needle));
        }
    }

    proptest! {
        #[test]
        fn not_ascii_and_byte_agrees_with_the_plain_tests(
            text in "[a-z:\u{e9}\u{a0}\u{80}-]{0,40}",
            needle in prop::sample::select(vec![b':', b'-', b'a', 0xC3, 0x80, 0]),
        ) {
            let bytes = text.as_bytes();
            prop_assert_eq!(not_ascii_and_byte(bytes, needle), (!bytes.is_ascii(), bytes.contains(&needle)));
            prop_assert_eq!(not_ascii(bytes), !bytes.is_ascii());
        }
    }

    proptest::proptest! {
        #[test]
        fn the_first_non_ascii_byte_is_found_by_words(
            ascii in proptest::collection::vec(0u8..0x80, 0..40),
            rest in proptest::collection::vec(proptest::num::u8::ANY, 0..10),
        ) {
            let bytes = [ascii, rest].concat();
            proptest::prop_assert_eq!(first_non_ascii(&bytes), bytes.iter().position(|b| !b.is_ascii()));
        }
    }
    /// Both word-at-a-time searches find a byte at every place of every length up to 80 (the
    /// words or vectors, the tail after them, and the seams between).
    #[test]
    fn byte_searches_see_every_place() {
        for len in 0..80 {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b':';
                assert!(has_byte(&bytes, b':'), "{len} {at}");
                assert_eq!(not_ascii_and_byte(&bytes, b':'), (false, true), "{len} {at}");
                bytes[at] = 0xA0;
                assert_eq!(not_ascii_and_byte(&bytes, b':'), (true, false), "{len} {at}");
                assert!(not_ascii(&bytes), "{len} {at}");
            }
            assert!(!has_byte(&vec![b'a'; len], b':'));
            assert_eq!(not_ascii_and_byte(&vec![b'a'; len], b':'), (false, false));
        }
    }

    #[test]
    fn show_escapes_what_cannot_be_seen() {
        assert_eq!(show("a\u{A0}b"), "`a\\u{A0}b`");
        assert_eq!(show("x\u{200B}"), "`x\\u{200B}`");
        assert_eq!(show("tab\there"), "`tab\\there`");
        assert_eq!(show("née"), "`née`");
        assert!(show(&"x".repeat(100)).ends_with("…`"));
    }

    #[test]
    fn no_ascii_character_is_invisible() {
        // Lints skip ASCII text when looking for invisible characters.
        assert!((0..=0x7Fu8).all(|b| invisible_name(char::from(b)).is_none()));
    }

    #[test]
    fn windows_1252_is_recognised_only_when_plausible() {
        assert_eq!(decode_windows_1252(b"G\xe9om\xe9trie").as_deref(), Some("Géométrie"));
        assert_eq!(decode_windows_1252(b"\x93quoted\x94 \x80").as_deref(), Some("“quoted” €"));
        assert_eq!(decode_windows_1252("déjà".as_bytes()), None, "valid UTF-8");
        assert_eq!(decode_windows_1252(b"\x81\xff"), None, "undefined byte");
        assert_eq!(decode_windows_1252(b"\x01\xff"), None, "control character");
    }

    #[test]
    fn utf16_is_recognised_with_or_without_a_bom() {
        assert_eq!(Utf16::detect(b"\xFF\xFEt\0i\0"), Some(Utf16::Le { bom: true }));
        assert_eq!(Utf16::detect(b"\xFE\xFF\0t\0i"), Some(Utf16::Be { bom: true }));
        assert_eq!(Utf16::detect(b"t\0i\0t\0l\0e\0,\0"), Some(Utf16::Le { bom: false }));
        assert_eq!(Utf16::detect(b"\0t\0i\0t\0l\0e\0,"), Some(Utf16::Be { bom: false }));
        assert_eq!(Utf16::detect(b"title,vendor_guid,object_type\n"), None);
        assert_eq!(Utf16::detect(b"a\0b,c\0d,e,f,g,h,i,j\n"), None);
    }

    #[test]
    fn suggestions_forgive_case_spaces_and_small_typos() {
        let kinds = ["outcome", "group"];
        assert_eq!(suggest("Group", &kinds), Some("group"));
        assert_eq!(suggest(" outcome ", &kinds), Some("outcome"));
        assert_eq!(suggest("grup", &kinds), Some("group"));
        assert_eq!(suggest("outcomes", &kinds), Some("outcome"));
        assert_eq!(suggest("giraffe", &kinds), None);
        assert_eq!(suggest("", &kinds), None);
        let methods = ["n_mastery", "highest", "decaying_average"];
        assert_eq!(suggest("N Mastery", &methods), Some("n_mastery"));
        assert_eq!(suggest("decaying-average", &methods), Some("decaying_average"));
        assert_eq!(suggest("hihgest", &methods), Some("highest"));
    }
}
