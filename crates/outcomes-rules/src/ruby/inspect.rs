//! Ruby's `String#inspect` and `Array#inspect`.
//!
//! Canvas interpolates `value.inspect` (and arrays of such values) into its import errors, so the
//! escapes must match Ruby 3.1's `rb_str_inspect` byte for byte. The rules, in the order Ruby
//! applies them to each character:
//!
//! 1. An invalid byte (UTF-8 strings only) becomes `\xHH` (uppercase hex), one byte at a time.
//! 2. `"` and `\` get a backslash; so does `#` when the next character is `{`, `$` or `@` (so the
//!    result never reads as interpolation).
//! 3. `\n \r \t \f \v \b \a \e` use their named escapes.
//! 4. Printable characters are copied raw: ASCII 0x20–0x7E always, and for a UTF-8 string the
//!    non-ASCII code points Onigmo calls printable (a range table generated from Ruby 3.1,
//!    Unicode 13.0.0, in `print_table.rs`).
//! 5. Anything else is escaped: `\uXXXX` (4 uppercase hex digits) or `\u{XXXXX}` above U+FFFF in a
//!    UTF-8 string, `\xHH` in a binary (ASCII-8BIT) string.
//!
//! Rule 4 assumes the process's default internal/external encoding is UTF-8, which is how Canvas
//! (Rails) runs; under `LANG=C` Ruby would escape every non-ASCII character instead.

use super::print_table::PRINTABLE_NON_ASCII;

/// Ruby's `String#inspect` for a string whose encoding is UTF-8, valid or not.
///
/// Valid characters Ruby considers printable are copied raw; control and unassigned characters
/// become `\u0001`, `\u2028`, `\u{E0000}`; each invalid byte becomes `\xFF`.
///
/// ```
/// use outcomes_rules::ruby::inspect_utf8;
/// assert_eq!(inspect_utf8(b"caf\xC3\xA9 \"#{x}\"\n\x01\xFF"), r#""café \"\#{x}\"\n\u0001\xFF""#);
/// ```
pub fn inspect_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    let mut i = 0;
    while i < bytes.len() {
        let Some((c, len)) = decode_utf8_char(&bytes[i..]) else {
            push_hex_byte(&mut out, bytes[i]);
            i += 1;
            continue;
        };
        let next = bytes.get(i + len).copied();
        i += len;
        if push_common_escape(&mut out, c as u32, next) {
            continue;
        }
        if is_printable(c) {
            out.push(c);
        } else if (c as u32) < 0x1_0000 {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        }
    }
    out.push('"');
    out
}

/// Ruby's `String#inspect` for a binary (ASCII-8BIT) string.
///
/// Printable ASCII is copied raw, the named escapes are used, and every other byte (ASCII
/// controls, DEL and all bytes above 0x7F) becomes `\xHH`.
///
/// ```
/// use outcomes_rules::ruby::inspect_binary;
/// assert_eq!(inspect_binary(b"caf\xC3\xA9\x00\x1B"), r#""caf\xC3\xA9\x00\e""#);
/// ```
pub fn inspect_binary(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for (i, &b) in bytes.iter().enumerate() {
        if push_common_escape(&mut out, u32::from(b), bytes.get(i + 1).copied()) {
            continue;
        }
        if (0x20..0x7F).contains(&b) {
            out.push(char::from(b));
        } else {
            push_hex_byte(&mut out, b);
        }
    }
    out.push('"');
    out
}

/// Ruby's `Array#inspect` for an array whose elements are already inspected: `["a", "b"]`, or
/// `[]` when empty.
///
/// ```
/// use outcomes_rules::ruby::{inspect_array, inspect_utf8};
/// let items = ["a", "b"].iter().map(|s| inspect_utf8(s.as_bytes()));
/// assert_eq!(inspect_array(items), r#"["a", "b"]"#);
/// assert_eq!(inspect_array(Vec::new()), "[]");
/// ```
pub fn inspect_array(items: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from("[");
    for (n, item) in items.into_iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        out.push_str(&item);
    }
    out.push(']');
    out
}

/// Writes the escapes shared by both encodings (rules 2 and 3); returns whether `c` was handled.
fn push_common_escape(out: &mut String, c: u32, next: Option<u8>) -> bool {
    let escaped = match c {
        0x22 => "\\\"",
        0x5C => "\\\\",
        0x23 if matches!(next, Some(b'{' | b'$' | b'@')) => "\\#",
        0x0A => "\\n",
        0x0D => "\\r",
        0x09 => "\\t",
        0x0C => "\\f",
        0x0B => "\\v",
        0x08 => "\\b",
        0x07 => "\\a",
        0x1B => "\\e",
        _ => return false,
    };
    out.push_str(escaped);
    true
}

fn push_hex_byte(out: &mut String, b: u8) {
    out.push_str(&format!("\\x{b:02X}"));
}

/// Whether Ruby copies `c` raw into the inspect output of a UTF-8 string.
fn is_printable(c: char) -> bool {
    let c = c as u32;
    if c < 0x80 {
        return (0x20..0x7F).contains(&c);
    }
    PRINTABLE_NON_ASCII
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Decodes one well-formed UTF-8 character at the start of `bytes` (Ruby and Rust agree on
/// well-formedness: no overlongs, no surrogates, nothing above U+10FFFF).
pub(super) fn decode_utf8_char(bytes: &[u8]) -> Option<(char, usize)> {
    let len = match *bytes.first()? {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(bytes.get(..len)?).ok()?;
    s.chars().next().map(|c| (c, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utf8_basic_escapes() {
        assert_eq!(inspect_utf8(b""), r#""""#);
        assert_eq!(inspect_utf8(b"abc"), r#""abc""#);
        assert_eq!(inspect_utf8(br#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(inspect_utf8(b"\n\r\t\x0C\x0B\x08\x07\x1B"), r#""\n\r\t\f\v\b\a\e""#);
        assert_eq!(inspect_utf8(b"\x00\x01\x1F\x7F"), r#""\u0000\u0001\u001F\u007F""#);
    }

    #[test]
    fn utf8_hash_escapes_only_before_interpolation_sigils() {
        assert_eq!(inspect_utf8(b"#{a}"), r#""\#{a}""#);
        assert_eq!(inspect_utf8(b"#$a #@a"), r#""\#$a \#@a""#);
        assert_eq!(inspect_utf8(b"# #a ##{"), r##""# #a #\#{""##);
        assert_eq!(inspect_utf8(b"#"), r##""#""##);
        assert_eq!(inspect_utf8(b"#\xFF"), r##""#\xFF""##);
    }

    #[test]
    fn utf8_unicode_printability() {
        // U+0085 and U+00AD are raw in Ruby 3.1; U+2028 is escaped; U+200B is raw.
        assert_eq!(inspect_utf8("\u{85}".as_bytes()), "\"\u{85}\"");
        assert_eq!(inspect_utf8("\u{AD}".as_bytes()), "\"\u{AD}\"");
        assert_eq!(inspect_utf8("\u{2028}".as_bytes()), r#""\u2028""#);
        assert_eq!(inspect_utf8("\u{200B}".as_bytes()), "\"\u{200B}\"");
        assert_eq!(inspect_utf8("\u{A0}é€".as_bytes()), "\"\u{A0}é€\"");
        assert_eq!(inspect_utf8("\u{80}\u{9F}".as_bytes()), r#""\u0080\u009F""#);
        assert_eq!(inspect_utf8("\u{FFFF}".as_bytes()), r#""\uFFFF""#);
        assert_eq!(inspect_utf8("\u{E0000}".as_bytes()), r#""\u{E0000}""#);
        assert_eq!(inspect_utf8("\u{2FFFE}".as_bytes()), r#""\u{2FFFE}""#);
        assert_eq!(inspect_utf8("\u{10FFFF}".as_bytes()), r#""\u{10FFFF}""#);
        assert_eq!(inspect_utf8("\u{30000}\u{1F600}".as_bytes()), "\"\u{30000}\u{1F600}\"");
        assert_eq!(inspect_utf8("\u{F0000}\u{E0001}".as_bytes()), "\"\u{F0000}\u{E0001}\"");
    }

    #[test]
    fn utf8_invalid_bytes() {
        assert_eq!(inspect_utf8(b"\xFF"), r#""\xFF""#);
        assert_eq!(inspect_utf8(b"\xE3\x81A"), r#""\xE3\x81A""#);
        assert_eq!(inspect_utf8(b"\xED\xA0\x80"), r#""\xED\xA0\x80""#);
        assert_eq!(inspect_utf8(b"\xC0\x80"), r#""\xC0\x80""#);
        assert_eq!(inspect_utf8(b"\xF4\x90\x80\x80"), r#""\xF4\x90\x80\x80""#);
        assert_eq!(inspect_utf8(b"\xC2"), r#""\xC2""#);
        assert_eq!(inspect_utf8(b"a\x80b"), r#""a\x80b""#);
    }

    #[test]
    fn binary_escapes() {
        assert_eq!(inspect_binary(b""), r#""""#);
        assert_eq!(inspect_binary(b"\x00\x01\x7F\x80\xFF"), r#""\x00\x01\x7F\x80\xFF""#);
        assert_eq!(inspect_binary("é".as_bytes()), r#""\xC3\xA9""#);
        assert_eq!(inspect_binary(b"\n\x1B\"\\#{#$#@#a"), r##""\n\e\"\\\#{\#$\#@#a""##);
    }

    #[test]
    fn arrays() {
        assert_eq!(inspect_array(Vec::new()), "[]");
        assert_eq!(inspect_array(vec![inspect_utf8(b"a")]), r#"["a"]"#);
        assert_eq!(inspect_array(vec![inspect_utf8(b"a"), inspect_utf8(b"b\n")]), r#"["a", "b\n"]"#);
    }

    #[test]
    fn table_is_sorted_and_disjoint() {
        for w in PRINTABLE_NON_ASCII.windows(2) {
            assert!(w[0].0 <= w[0].1 && w[0].1 + 1 < w[1].0, "{w:X?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_is_quoted(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let u = inspect_utf8(&bytes);
            let b = inspect_binary(&bytes);
            prop_assert!(u.starts_with('"') && u.ends_with('"') && u.len() >= 2);
            prop_assert!(b.is_ascii() && b.starts_with('"') && b.ends_with('"'));
        }

        #[test]
        fn ascii_printable_agrees_between_encodings(s in "[ -~]{0,40}") {
            prop_assert_eq!(inspect_utf8(s.as_bytes()), inspect_binary(s.as_bytes()));
        }
    }
}
