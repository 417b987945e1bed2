//! Ruby's (and ActiveSupport's) notions of whitespace: `String#blank?`, `String#strip` and
//! `String#split` with no arguments.
//!
//! Canvas skips blank cells with ActiveSupport's `blank?` and normalises values with `strip` and
//! `split`; each uses a different whitespace set:
//!
//! * `blank?` is `/\A[[:space:]]*\z/`. On a UTF-8 string `[[:space:]]` is Unicode `White_Space`
//!   (including U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000,
//!   but not U+200B, U+180E, U+FEFF or NUL); on a binary string only ASCII whitespace counts.
//! * `strip` (Ruby 3.1) removes ASCII whitespace *and NUL* from both ends.
//! * `split` (awk mode) separates on runs of ASCII whitespace only; NUL is an ordinary byte.
//!
//! On a binary string, or valid UTF-8, the byte functions here give Ruby's answer. On a UTF-8
//! string with invalid bytes Ruby raises `ArgumentError` ("invalid byte sequence in UTF-8") from
//! `blank?` and `split` whenever there is an invalid byte anywhere (check `std::str::from_utf8`
//! first), while `strip` only raises if it meets one while scanning; [`ruby_strip_utf8`] models
//! that.

use super::inspect::decode_utf8_char;
use wide::u8x16;

use crate::text::{bytes_below, is_utf8_continuation};

/// ActiveSupport's `String#blank?` for a (necessarily valid) UTF-8 string: true when every
/// character is Unicode `White_Space`, including for the empty string.
///
/// ```
/// use outcomes_rules::ruby::is_blank_utf8;
/// assert!(is_blank_utf8(" \t\u{3000}\u{A0}"));
/// assert!(!is_blank_utf8("\u{200B}"));
/// ```
#[inline]
pub fn is_blank_utf8(text: &str) -> bool {
    match text.as_bytes().first() {
        // A printable ASCII first character (most values) is not white space: no decoding, and
        // inlined, so that the common cell costs its caller a compare rather than a call.
        Some(b) if b.is_ascii_graphic() => false,
        _ => all_white_space(text),
    }
}

/// Whether every character of `text` is Unicode `White_Space`: [`is_blank_utf8`] past its first
/// byte test, kept out of line.
#[inline(never)]
fn all_white_space(text: &str) -> bool {
    text.chars().all(is_unicode_white_space)
}

/// ActiveSupport's `String#blank?` for a binary (ASCII-8BIT) string: true when every byte is
/// ASCII whitespace (see [`is_ruby_space`]).
pub fn is_blank_binary(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| is_ruby_space(b))
}

/// Ruby's ASCII whitespace (`\s` in a regexp, `ISSPACE` in C, what `split` and `strip` use):
/// space, `\t`, `\n`, `\v`, `\f`, `\r`.
pub fn is_ruby_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// Ruby 3.1's `String#strip`: removes leading and trailing ASCII whitespace and NUL bytes.
///
/// ```
/// use outcomes_rules::ruby::ruby_strip;
/// assert_eq!(ruby_strip(b"\0 a b \0\n"), b"a b");
/// assert_eq!(ruby_strip("\u{3000}a".as_bytes()), "\u{3000}a".as_bytes());
/// ```
pub fn ruby_strip(bytes: &[u8]) -> &[u8] {
    let strippable = |b: &u8| *b == 0 || is_ruby_space(*b);
    let start = bytes.iter().position(|b| !strippable(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !strippable(b)).map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Ruby 3.1's `String#strip` on a UTF-8 string that may hold invalid bytes: `None` where Ruby
/// raises `ArgumentError`.
///
/// Ruby scans character by character. From the left it raises at the first invalid sequence it
/// reaches before a character that is not whitespace or NUL. From the right it steps back over
/// continuation bytes (`0x80..=0xBF`) to the previous non-continuation byte and decodes the
/// character there (reading up to the end of the string); an invalid one raises, and a space or
/// NUL is stripped *together with any stray continuation bytes after it*. So `"a \x80"` strips
/// to `"a"`, `"a\xFF"` and `" \x80"` raise, and `"\xE3\x81\x82\x82"` (a valid character then
/// a stray byte) is returned unchanged. Valid input gives
/// [`ruby_strip`]'s answer.
///
/// ```
/// use outcomes_rules::ruby::ruby_strip_utf8;
/// assert_eq!(ruby_strip_utf8(b" caf\xC3\xA9\0 "), Some("caf\u{E9}".as_bytes()));
/// assert_eq!(ruby_strip_utf8(b"a \x80"), Some(&b"a"[..]));
/// assert_eq!(ruby_strip_utf8(b"a\xFF"), None);
/// ```
pub fn ruby_strip_utf8(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.is_ascii() {
        return Some(ruby_strip(bytes));
    }
    let strippable = |c: char| c == '\0' || u8::try_from(c).is_ok_and(is_ruby_space);
    let mut start = 0;
    while start < bytes.len() {
        let (c, len) = decode_utf8_char(&bytes[start..])?;
        if !strippable(c) {
            break;
        }
        start += len;
    }
    let mut end = bytes.len();
    while end > start {
        let mut head = end - 1;
        while head > start && is_utf8_continuation(bytes[head]) {
            head -= 1;
        }
        let (c, _) = decode_utf8_char(&bytes[head..])?;
        if !strippable(c) {
            break;
        }
        end = head;
    }
    Some(&bytes[start..end])
}

/// Ruby's `String#split` with no arguments (awk mode): the runs of bytes between ASCII
/// whitespace, leading and trailing whitespace ignored, never an empty piece.
///
/// ```
/// use outcomes_rules::ruby::ruby_split_whitespace;
/// let pieces: Vec<&[u8]> = ruby_split_whitespace(b" a\0b \t c ").collect();
/// assert_eq!(pieces, [&b"a\0b"[..], b"c"]);
/// ```
pub fn ruby_split_whitespace(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split(|&b| is_ruby_space(b)).filter(|piece| !piece.is_empty())
}

/// Ruby's `text.strip.split.uniq`, how Canvas reads `parent_guids`: the distinct pieces in the
/// order written, as byte ranges of `text` (cut at ASCII bytes, so each is a `str` too). `out` is
/// cleared and refilled, so that a caller can reuse it row after row without allocating.
///
/// Linear even for a row that names very many parents: a linear search among the first few
/// pieces, a set after that.
///
/// ```
/// use outcomes_rules::ruby::ruby_split_uniq;
/// let text = " a b a\tc ";
/// let mut ranges = Vec::new();
/// ruby_split_uniq(text, &mut ranges);
/// let pieces: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
/// assert_eq!(pieces, ["a", "b", "c"]);
/// ```
#[inline]
pub fn ruby_split_uniq(text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    out.clear();
    let bytes = text.as_bytes();
    // Nearly every cell names one guid: with no byte that `strip` or `split` acts on (ASCII
    // whitespace and NUL are all at most a space), the whole text is the one piece. Inlined,
    // with the test that says so; no text at all (no parents, most groups) is answered at once.
    if bytes.is_empty() {
        return;
    }
    if all_above_space(bytes) {
        out.push(0..bytes.len());
        return;
    }
    split_uniq_pieces(text, out);
}

/// [`ruby_split_uniq`] past its fast path: the pieces of a text with whitespace (or NUL) in it.
#[inline(never)]
fn split_uniq_pieces(text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    /// Past this many distinct pieces, a set answers "seen before?".
    const LINEAR_UP_TO: usize = 32;
    let bytes = text.as_bytes();
    let base = bytes.as_ptr() as usize;
    let mut many: Option<std::collections::HashSet<&[u8]>> = None;
    for piece in ruby_split_whitespace(ruby_strip(bytes)) {
        // Pieces are subslices of `text`.
        let start = piece.as_ptr() as usize - base;
        let new = match &mut many {
            Some(seen) => seen.insert(piece),
            None => !out.iter().any(|r| &bytes[r.clone()] == piece),
        };
        if !new {
            continue;
        }
        out.push(start..start + piece.len());
        if many.is_none() && out.len() > LINEAR_UP_TO {
            many = Some(out.iter().map(|r| &bytes[r.clone()]).collect());
        }
    }
}

/// Whether `bytes` holds Ruby's ASCII whitespace ([`is_ruby_space`]): `bytes.iter().any(..)`,
/// answered eight bytes at a time for the common text that has no byte up to a space at all.
///
/// ```
/// use outcomes_rules::ruby::has_ruby_space;
/// assert!(has_ruby_space(b"a-guid-with\ta-tab"));
/// assert!(!has_ruby_space(b"a-guid-with\0a-nul"));
/// ```
#[inline]
pub fn has_ruby_space(bytes: &[u8]) -> bool {
    !all_above_space(bytes) && bytes.iter().any(|&b| is_ruby_space(b))
}

/// Whether every byte of `bytes` is above a space, so that none is ASCII whitespace or NUL:
/// `bytes.iter().all(|&b| b > b' ')` (the reference), asked of every row's vendor_guid and
/// parent_guids. From 16 bytes on, the smallest byte of each lane is kept over sixteen bytes at a
/// time (`wide`'s vectors, the last sixteen overlapping the ones before) and compared with a
/// space once: a guid of 17 bytes is two vectors. From 8 bytes, the first eight and the last
/// eight, overlapping ([`bytes_below`] 0x21), with no loop. Eight bytes at a time with a loop, a
/// guid cost some 40 instructions; only a value shorter than eight bytes is tested byte by byte.
#[inline]
fn all_above_space(bytes: &[u8]) -> bool {
    if let Some(last) = bytes.last_chunk::<16>() {
        let vector = |chunk: &[u8]| u8x16::from(<[u8; 16]>::try_from(chunk).unwrap_or([u8::MAX; 16]));
        let mut low = u8x16::from(*last);
        for chunk in bytes.chunks_exact(16) {
            low = low.min(vector(chunk));
        }
        // A lane above a space is its own maximum with 0x21.
        let above = u8x16::splat(0x21);
        return low.max(above).cmp_eq(low).move_mask() == 0xFFFF;
    }
    let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) else {
        return bytes.iter().all(|&b| b > b' ');
    };
    bytes_below(u64::from_le_bytes(*first), 0x21) | bytes_below(u64::from_le_bytes(*last), 0x21) == 0
}

/// Unicode `White_Space` (stable since Unicode 6.3, so identical for Ruby 3.1's Unicode 13): the
/// characters `[[:space:]]` matches in a UTF-8 string, and so what `blank?` ignores.
///
/// ```
/// use outcomes_rules::ruby::is_unicode_white_space;
/// assert!(is_unicode_white_space('\u{A0}'));
/// assert!(!is_unicode_white_space('\u{200B}'));
/// ```
pub fn is_unicode_white_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn blank_utf8() {
        assert!(is_blank_utf8(""));
        assert!(is_blank_utf8(" \t\n\x0B\x0C\r"));
        for c in [
            '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}',
            '\u{3000}',
        ] {
            assert!(is_blank_utf8(&format!(" {c} ")), "{c:?}");
        }
        for c in ['\0', '\u{1C}', '\u{1F}', '\u{180E}', '\u{200B}', '\u{FEFF}', 'a'] {
            assert!(!is_blank_utf8(&format!(" {c} ")), "{c:?}");
        }
    }

    #[test]
    fn blank_binary() {
        assert!(is_blank_binary(b""));
        assert!(is_blank_binary(b" \t\n\x0B\x0C\r"));
        assert!(!is_blank_binary(b"\x85"));
        assert!(!is_blank_binary(b"\xA0"));
        assert!(!is_blank_binary("\u{3000}".as_bytes()));
        assert!(!is_blank_binary(b"\0"));
    }

    proptest! {
        #[test]
        fn has_ruby_space_is_any_ruby_space(bytes in proptest::collection::vec(prop_oneof![Just(b' '), Just(b'\t'), Just(0u8), Just(0x21u8), Just(b'a'), Just(0xA0u8), Just(0x0Bu8), Just(0x1Fu8)], 0..30)) {
            prop_assert_eq!(has_ruby_space(&bytes), bytes.iter().any(|&b| is_ruby_space(b)));
        }
    }

    #[test]
    fn space_bytes() {
        let spaces: Vec<u8> = (0..=255u8).filter(|&b| is_ruby_space(b)).collect();
        assert_eq!(spaces, b"\t\n\x0B\x0C\r ");
    }

    #[test]
    fn strip() {
        assert_eq!(ruby_strip(b""), b"");
        assert_eq!(ruby_strip(b" \0 "), b"");
        assert_eq!(ruby_strip(b"\0 a \0"), b"a");
        assert_eq!(ruby_strip(b"\0\0a"), b"a");
        assert_eq!(ruby_strip(b" \0 a b \0 "), b"a b");
        assert_eq!(ruby_strip(b"\t\x0B\x0C\r\n a \xC2\xA0"), b"a \xC2\xA0");
        assert_eq!(ruby_strip(b"a\0b"), b"a\0b");
    }

    #[test]
    fn strip_utf8_with_invalid_bytes() {
        let cases: &[(&[u8], Option<&[u8]>)] = &[
            (b" \x80", None),
            (b"a \x80", Some(b"a")),
            (b"\x80 ", None),
            (b"\xE3\x81\x82\x82", Some(b"\xE3\x81\x82\x82")),
            (b"\xE3\x81\x82\x82 ", Some(b"\xE3\x81\x82\x82")),
            (b" \x80 ", None),
            (b"a\xE3\x81 ", None),
            (b"\xE3\x81 a", None),
            (b"\xFF", None),
            (b"a\xFF", None),
            (b"\x00\x80", None),
            (b"a\x00\x80", Some(b"a")),
            (b"a\xC2\x80\x80", Some(b"a\xC2\x80\x80")),
            (b"a\xC0\x80 ", None),
            ("\0\u{E9} \0".as_bytes(), Some("\u{E9}".as_bytes())),
            (b"\0\0a ", Some(b"a")),
        ];
        for &(input, want) in cases {
            assert_eq!(ruby_strip_utf8(input), want, "{input:?}");
        }
    }

    #[test]
    fn split_uniq_is_uniq_past_the_linear_search() {
        // 40 distinct guids, each written three times, interleaved: the set takes over at 33.
        let text: String = (0..120).map(|i| format!(" g{}\t", i % 40)).collect();
        let mut ranges = Vec::new();
        ruby_split_uniq(&text, &mut ranges);
        let pieces: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        let expected: Vec<String> = (0..40).map(|i| format!("g{i}")).collect();
        assert_eq!(pieces, expected);
        ruby_split_uniq(" \0 ", &mut ranges);
        assert!(ranges.is_empty(), "Ruby's strip removes NUL; the 40 ranges of before are cleared");
    }

    #[test]
    fn split() {
        let split = |b: &'static [u8]| ruby_split_whitespace(b).collect::<Vec<_>>();
        assert!(split(b"").is_empty());
        assert!(split(b" \t\n ").is_empty());
        assert_eq!(split(b"\0 a \0"), [&b"\0"[..], b"a", b"\0"]);
        assert_eq!(split(b"a  b\x0Bc"), [&b"a"[..], b"b", b"c"]);
        assert_eq!(split("c d\u{3000}e\u{1C} f".as_bytes()), [&b"c"[..], "d\u{3000}e\u{1C}".as_bytes(), b"f"]);
    }

    proptest! {
        #[test]
        fn strip_is_idempotent_and_a_subslice(bytes in proptest::collection::vec(any::<u8>(), 0..32)) {
            let once = ruby_strip(&bytes);
            prop_assert_eq!(ruby_strip(once), once);
            prop_assert!(bytes.windows(once.len().max(1)).any(|w| w.starts_with(once)) || once.is_empty());
        }

        /// The single-piece fast path and the general path agree with Ruby's
        /// `strip.split.uniq`, spelled out plainly.
        #[test]
        fn split_uniq_is_strip_split_uniq(text in "[a\\-g0 \t\n\u{0}\u{1}\u{A0}!~]{0,12}") {
            let mut expected: Vec<&[u8]> = Vec::new();
            for piece in ruby_split_whitespace(ruby_strip(text.as_bytes())) {
                if !expected.contains(&piece) {
                    expected.push(piece);
                }
            }
            // Stale ranges, which the split must clear.
            let mut ranges = vec![0..1, 2..3];
            ruby_split_uniq(&text, &mut ranges);
            let pieces: Vec<&[u8]> = ranges.iter().map(|r| &text.as_bytes()[r.clone()]).collect();
            prop_assert_eq!(pieces, expected);
        }

        #[test]
        fn all_above_space_is_no_byte_at_most_space(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            prop_assert_eq!(all_above_space(&bytes), bytes.iter().all(|&b| b > b' '));
        }

        /// Values above a space but for at most one byte, at any place, of any length up to 80:
        /// the case random bytes nearly never make, where the vectors and words must say yes.
        #[test]
        fn all_above_space_of_guid_like_values(
            above in proptest::collection::vec(0x21u8..=0xFF, 0..80),
            below in proptest::option::of((any::<proptest::sample::Index>(), 0u8..=0x20)),
        ) {
            let mut bytes = above;
            if let Some((at, b)) = below.filter(|_| !bytes.is_empty()) {
                let at = at.index(bytes.len());
                bytes[at] = b;
            }
            prop_assert_eq!(all_above_space(&bytes), bytes.iter().all(|&b| b > b' '));
        }

        #[test]
        fn split_pieces_have_no_space(bytes in proptest::collection::vec(any::<u8>(), 0..32)) {
            for piece in ruby_split_whitespace(&bytes) {
                prop_assert!(!piece.is_empty() && !piece.iter().any(|&b| is_ruby_space(b)));
            }
        }
    }

    /// A byte at most a space is seen at every place of every length up to 80 (the vectors or
    /// words, the overlapping last ones, and the seams between), and none is seen where there is
    /// none, right above a space.
    #[test]
    fn all_above_space_sees_every_place() {
        for len in 0..80 {
            let clean = vec![0x21; len];
            assert!(all_above_space(&clean), "{len}");
            for at in 0..len {
                for b in [b' ', 0, b'\t'] {
                    let mut bytes = clean.clone();
                    bytes[at] = b;
                    assert!(!all_above_space(&bytes), "{len} {at} {b}");
                }
            }
        }
    }
}
