//! Unified diffs of a fix, for `--diff`.

use similar::TextDiff;

/// The unified diff from `before` to `after` (three lines of context, `--- a/NAME` and
/// `+++ b/NAME` headers), or an empty string when they are equal.
///
/// Lines keep their own line endings, so `git apply` or `patch -p1` reproduces the fixed file. A
/// change of line ending alone therefore shows as a line removed and the same-looking line
/// added; the [`crate::AppliedFix`] list says which. This text is for reading: a line that ends
/// in a lone `\r` (classic Mac) gets a `\n` after it, so that a terminal does not print the
/// next line over it, and bytes that are not UTF-8 are shown as `�`. [`unified_diff_bytes`]
/// keeps every byte.
///
/// ```
/// let diff = outcomes_fix::unified_diff("o.csv", b"a\nB\n", b"a\nb\n");
/// assert_eq!(diff, "--- a/o.csv\n+++ b/o.csv\n@@ -1,2 +1,2 @@\n a\n-B\n+b\n");
/// ```
pub fn unified_diff(name: &str, before: &[u8], after: &[u8]) -> String {
    let bytes = unified_diff_bytes(name, before, after);
    let mut readable = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        readable.push(b);
        if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            readable.push(b'\n');
        }
    }
    String::from_utf8_lossy(&readable).into_owned()
}

/// [`unified_diff`] as bytes, with every line exactly as in the files.
pub fn unified_diff_bytes(name: &str, before: &[u8], after: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if before == after {
        return out;
    }
    let diff = TextDiff::from_lines(before, after);
    let mut unified = diff.unified_diff();
    unified.context_radius(3);
    out.extend_from_slice(format!("--- a/{name}\n+++ b/{name}\n").as_bytes());
    for hunk in unified.iter_hunks() {
        // `UnifiedDiff::to_writer` would render hunks lossily; each hunk's own writer does
        // not. Writing to a Vec cannot fail.
        let _ = hunk.to_writer(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_files_have_an_empty_diff() {
        assert_eq!(unified_diff("x", b"a\n", b"a\n"), "");
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        let diff = unified_diff("x", b"a\nb", b"b\na");
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    }

    #[test]
    fn lines_ending_in_a_lone_carriage_return_are_readable() {
        let diff = unified_diff("x", b"a\r\nb\rc\r\n", b"a\r\nb\r\nc\r\n");
        assert!(diff.contains("-b\r\n+b\r\n"), "{diff:?}");
        let exact = unified_diff_bytes("x", b"a\r\nb\rc\r\n", b"a\r\nb\r\nc\r\n");
        assert!(exact.windows(6).any(|w| w == b"-b\r+b\r"), "{exact:?}");
    }

    #[test]
    fn bytes_are_kept_as_they_are() {
        let diff = unified_diff_bytes("x", b"\xFFa\r\n", b"\xFFa\n");
        assert!(diff.ends_with(b"-\xFFa\r\n+\xFFa\n"), "{diff:?}");
    }
}
