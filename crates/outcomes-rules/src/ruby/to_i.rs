//! Ruby's `String#to_i` (base 10) and `Integer#to_s` for its result.
//!
//! Canvas reads `calculation_int` with `to_i` and prints the number it got in its message, so the
//! result keeps every digit (Ruby promotes to a bignum rather than overflowing). `to_i` never
//! fails; it reads the longest prefix it understands (`rb_int_parse_cstr` without `badcheck`):
//!
//! 1. skip leading ASCII whitespace (space, `\t \n \v \f \r`; not NUL, not Unicode spaces);
//! 2. one optional `+` or `-` (no whitespace after it);
//! 3. an optional `0d` / `0D` radix prefix;
//! 4. ASCII digits, where a single `_` may sit between two digits; reading stops at the first
//!    other byte, at a second consecutive `_`, and at NUL. No digits means 0.
//!
//! So `" 7"`, `"\v7"`, `"0d12"` (12), `"-0d5"` (-5), `"0_7"` (7), `"3.7"` (3) and `"1__0"` (1)
//! read as shown, while `"_1"`, `"+-1"`, `"0x1A"`, `"0d"`, `"0d_1"` and `"- 1"` are all 0.

use std::fmt;

/// An integer as Ruby's `String#to_i` returns it: arbitrary size, printed like `Integer#to_s`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RubyInt {
    /// True only for values below zero (there is no negative zero).
    negative: bool,
    /// Decimal digits without leading zeros; `"0"` for zero.
    digits: String,
}

impl RubyInt {
    /// Builds a value from a sign and ASCII decimal digits, dropping leading zeros.
    /// Returns `None` if `digits` contains anything but `0`–`9`.
    pub fn from_digits(negative: bool, digits: &str) -> Option<Self> {
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        Some(if trimmed.is_empty() { Self::zero() } else { Self { negative, digits: trimmed.to_owned() } })
    }

    /// Zero.
    pub fn zero() -> Self {
        Self { negative: false, digits: "0".to_owned() }
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.digits == "0"
    }

    /// The decimal digits of the absolute value, without leading zeros (`"0"` for zero).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The value as an `i64`, or `None` if it does not fit.
    pub fn as_i64(&self) -> Option<i64> {
        if self.digits.len() > 19 {
            return None;
        }
        let magnitude: i128 = self.digits.parse().ok()?;
        i64::try_from(if self.negative { -magnitude } else { magnitude }).ok()
    }

    /// Whether `lo <= self <= hi` (false for values too large for `i64`).
    pub fn in_range(&self, lo: i64, hi: i64) -> bool {
        self.as_i64().is_some_and(|v| lo <= v && v <= hi)
    }
}

impl From<i64> for RubyInt {
    fn from(value: i64) -> Self {
        Self { negative: value < 0, digits: value.unsigned_abs().to_string() }
    }
}

/// Ruby's `Integer#to_s`: optional `-` then the digits.
impl fmt::Display for RubyInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(&self.digits)
    }
}

/// Ruby's `String#to_i` (base 10) on the bytes of a string, in any ASCII-compatible encoding.
///
/// ```
/// use outcomes_rules::ruby::to_i;
/// assert_eq!(to_i(b"  -0d1_000x").to_string(), "-1000");
/// assert_eq!(to_i(b"99999999999999999999").to_string(), "99999999999999999999");
/// assert_eq!(to_i(b"abc").to_string(), "0");
/// ```
pub fn to_i(text: &[u8]) -> RubyInt {
    let mut rest = text;
    while let [b' ' | b'\t'..=b'\r', tail @ ..] = rest {
        rest = tail;
    }
    let mut negative = false;
    if let [sign @ (b'+' | b'-'), tail @ ..] = rest {
        negative = *sign == b'-';
        rest = tail;
    }
    if let [b'0', b'd' | b'D', tail @ ..] = rest {
        rest = tail;
    }
    let mut digits = String::new();
    let mut after_underscore = false;
    for &b in rest {
        match b {
            b'0'..=b'9' => {
                digits.push(char::from(b));
                after_underscore = false;
            }
            // An underscore must follow a digit; a second one in a row ends the number.
            b'_' if !digits.is_empty() && !after_underscore => after_underscore = true,
            _ => break,
        }
    }
    RubyInt::from_digits(negative, &digits).unwrap_or_else(RubyInt::zero)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(text: &[u8]) -> String {
        to_i(text).to_string()
    }

    #[test]
    fn observed_ruby_values() {
        let cases: &[(&[u8], &str)] = &[
            (b"7", "7"),
            (b" 7", "7"),
            (b"\x0B7", "7"),
            (b"\t\n\x0C\r 7", "7"),
            (b"0d12", "12"),
            (b"0D12", "12"),
            (b"-0d5", "-5"),
            (b"+0d5", "5"),
            (b"0d", "0"),
            (b"0d_1", "0"),
            (b"0_d1", "0"),
            (b"0dd1", "0"),
            (b"1__0", "1"),
            (b"1_0", "10"),
            (b"1_", "1"),
            (b"_1", "0"),
            (b"+-1", "0"),
            (b"-+1", "0"),
            (b"  -  1", "0"),
            (b"- 1", "0"),
            (b"0x1A", "0"),
            (b"3.7", "3"),
            (b"0_7", "7"),
            (b"07", "7"),
            (b"00_0_7", "7"),
            (b"0__7", "0"),
            (b"-0", "0"),
            (b"-", "0"),
            (b"", "0"),
            (b"1\x002", "1"),
            (b"\x001", "0"),
            (b"\xC2\xA01", "0"),
            (b"\xEF\xBC\x91", "0"),
            (b"12abc", "12"),
            (b"-12e3", "-12"),
            (b"-000123", "-123"),
        ];
        for &(text, want) in cases {
            assert_eq!(s(text), want, "{:?}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn bignums_keep_every_digit() {
        let big = "123456789012345678901234567890";
        assert_eq!(s(big.as_bytes()), big);
        assert_eq!(s(format!("-{big}").as_bytes()), format!("-{big}"));
        assert_eq!(to_i(big.as_bytes()).as_i64(), None);
        assert!(!to_i(big.as_bytes()).in_range(i64::MIN, i64::MAX));
    }

    #[test]
    fn i64_conversion_edges() {
        assert_eq!(to_i(b"9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(to_i(b"9223372036854775808").as_i64(), None);
        assert_eq!(to_i(b"-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(to_i(b"-9223372036854775809").as_i64(), None);
        assert_eq!(to_i(b"-0").as_i64(), Some(0));
        assert!(!to_i(b"-0").is_negative());
        assert!(to_i(b"0").is_zero());
        assert!(to_i(b"5").in_range(1, 5));
        assert!(!to_i(b"6").in_range(1, 5));
        assert_eq!(RubyInt::from(i64::MIN).to_string(), i64::MIN.to_string());
        assert_eq!(RubyInt::from_digits(false, "12a"), None);
        assert_eq!(RubyInt::from_digits(true, "000"), Some(RubyInt::zero()));
    }

    proptest! {
        #[test]
        fn reads_rust_integers(n in any::<i64>()) {
            let r = to_i(n.to_string().as_bytes());
            prop_assert_eq!(r.to_string(), n.to_string());
            prop_assert_eq!(r.as_i64(), Some(n));
            prop_assert_eq!(r, RubyInt::from(n));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let r = to_i(&bytes);
            prop_assert!(!r.digits().is_empty());
        }
    }
}
