//! Ruby's `Float(string)` (`Kernel#Float` with a `String` argument).
//!
//! Canvas validates mastery points and ratings with `Float(value)`; an `ArgumentError` there is a
//! row error, so which strings Ruby accepts, and the exact value it reads, both matter. This is a
//! port of Ruby 3.1's `rb_cstr_to_dbl_raise` (object.c) with `badcheck` on, and of the parts of
//! `ruby_strtod` (missing/dtoa.c, David Gay's `strtod` with Ruby's hex-float extension) that
//! decide where a number ends and which digits it uses. The decimal value itself comes from
//! Rust's correctly rounded `str::parse::<f64>` on exactly those digits, which is what Gay's
//! algorithm computes.
//!
//! What Ruby accepts (all verified against `ruby` 3.1):
//!
//! * leading and trailing ASCII whitespace (`\t \n \v \f \r` and space), one optional sign;
//! * decimal digits with an optional fraction (`.5` is fine, `1.` and `1.e5` are not) and an
//!   optional exponent (`1e5`, `1E+5`; `1e` is rejected), single `_` only between two digits;
//! * hexadecimal `0x1A` / `0X1a`; a hex fraction needs a binary exponent (`0x1.8p1` is 3.0,
//!   `0x1.8` is rejected); `0x_1` is rejected, `0x1_0` is 16.0;
//! * `010` is 10.0 (no octal), `0b101`, `0o17`, `1d5`, `Infinity` and `NaN` are rejected;
//! * any NUL byte is rejected, as is any non-ASCII byte;
//! * overflow gives ±Infinity (Ruby only warns), underflow gives ±0.0.
//!
//! Quirks reproduced on purpose:
//!
//! * When anything follows the part `strtod` could read (an underscore, trailing whitespace),
//!   Ruby re-parses a copy squeezed into a 70-byte buffer that keeps only the first 60 bytes of
//!   the mantissa, so `Float("1" * 70 + " ")` is `1.1111111111111112e+59`, not `e+69`.
//! * Gay's `strtod` ignores fraction digits once 61 significant digits have been read.
//! * Hex mantissas are summed digit by digit in `f64` arithmetic, so very long hex fractions can
//!   round differently from a correctly rounded conversion (`0x1.000000000000081p0` is 1.0).

/// The size of Ruby's re-parse buffer: `char buf[DBL_DIG * 4 + 10]`.
const BUF_SIZE: usize = 15 * 4 + 10;
/// How many mantissa bytes fit in that buffer before an exponent is seen (`DBL_DIG * 4`).
const BUF_MANTISSA: usize = 15 * 4;
/// Gay's `strtod` stops reading fraction digits once it has more than this many (`DBL_DIG * 4`).
const MAX_FRACTION_DIGITS: i64 = 15 * 4;

/// Ruby's `Float(string)`: the value Ruby reads, or `None` where Ruby raises `ArgumentError`.
///
/// ```
/// use outcomes_rules::ruby::parse_float;
/// assert_eq!(parse_float(b" 1_000.5\n"), Some(1000.5));
/// assert_eq!(parse_float(b"-0x1A"), Some(-26.0));
/// assert_eq!(parse_float(b"1e400"), Some(f64::INFINITY));
/// assert_eq!(parse_float(b"1."), None);
/// assert_eq!(parse_float(b"1__0"), None);
/// ```
pub fn parse_float(text: &[u8]) -> Option<f64> {
    // rb_str_to_dbl: "string for Float contains null byte".
    if text.contains(&0) {
        return None;
    }
    let at = |i: usize| byte_at(text, i);
    let mut p = 0;
    while is_space(at(p)) {
        p += 1;
    }
    let (value, end) = strtod(text, p);
    if end == p {
        return None;
    }
    if at(end) == 0 {
        return Some(value);
    }

    // Something follows what strtod read: copy the text into a small buffer, dropping
    // underscores between digits and checking the rest, then parse the buffer again.
    let mut buf: Vec<u8> = Vec::with_capacity(BUF_SIZE);
    let mut limit = BUF_MANTISSA;
    let mut prev = 0u8;
    let mut dot_seen = false;
    if matches!(at(p), b'+' | b'-') {
        prev = at(p);
        buf.push(prev);
        p += 1;
    }
    if at(p) == b'0' {
        prev = b'0';
        buf.push(prev);
        p += 1;
        while at(p) == b'0' {
            p += 1;
        }
    }
    while p < end && buf.len() < limit {
        prev = at(p);
        buf.push(prev);
        p += 1;
    }
    while at(p) != 0 {
        if at(p) == b'_' {
            // Remove an underscore between digits.
            if buf.is_empty() || !prev.is_ascii_digit() {
                return None;
            }
            p += 1;
            if !at(p).is_ascii_digit() {
                return None;
            }
        }
        prev = at(p);
        p += 1;
        if limit == BUF_MANTISSA && matches!(prev, b'e' | b'E' | b'p' | b'P') {
            limit = BUF_SIZE - 1;
            buf.push(prev);
            if matches!(at(p), b'+' | b'-') {
                prev = at(p);
                buf.push(prev);
                p += 1;
            }
            if at(p) == b'0' {
                prev = b'0';
                buf.push(prev);
                p += 1;
                while at(p) == b'0' {
                    p += 1;
                }
            }
            continue;
        } else if is_space(prev) {
            while is_space(at(p)) {
                p += 1;
            }
            if at(p) != 0 {
                return None;
            }
        } else if prev == b'.' {
            if dot_seen {
                return None;
            }
            dot_seen = true;
        } else if !prev.is_ascii_digit() {
            return None;
        }
        if buf.len() < limit {
            buf.push(prev);
        }
    }

    let (value, mut end) = strtod(&buf, 0);
    if end == 0 {
        return None;
    }
    while is_space(byte_at(&buf, end)) {
        end += 1;
    }
    (end == buf.len()).then_some(value)
}

/// Ruby's `ISSPACE`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The byte at `i`, or NUL past the end (the C code reads a NUL-terminated string).
fn byte_at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

fn hex_value(b: u8) -> Option<u32> {
    char::from(b).to_digit(16)
}

/// Ruby's `ruby_strtod` on the NUL-terminated string `s[start..]`: the value and the index just
/// past what was read (`start` when nothing could be read).
fn strtod(s: &[u8], start: usize) -> (f64, usize) {
    let at = |i: usize| byte_at(s, i);
    let signed = |negative: bool, v: f64| if negative { -v } else { v };
    let fail = (0.0, start);

    let mut i = start;
    let mut negative = false;
    loop {
        match at(i) {
            sign @ (b'-' | b'+') => {
                negative = sign == b'-';
                i += 1;
                if at(i) == 0 {
                    return fail;
                }
                break;
            }
            0 => return fail,
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => i += 1,
            _ => break,
        }
    }

    let mut leading_zero = false;
    if at(i) == b'0' {
        if matches!(at(i + 1), b'x' | b'X') {
            return match hex_float(s, i + 2) {
                Some((v, end)) => (signed(negative, v), end),
                None => fail,
            };
        }
        leading_zero = true;
        i += 1;
        while at(i) == b'0' {
            i += 1;
        }
        if at(i) == 0 {
            return (signed(negative, 0.0), i);
        }
    }

    // Significant digits as Gay's strtod keeps them; value = digits * 10^(exp - frac_digits).
    let mut digits = Digits::default();
    while at(i).is_ascii_digit() {
        digits.push(at(i));
        i += 1;
    }
    let mut nd = digits.len() as i64;
    let mut frac_digits: i64 = 0;
    let mut pending_zeros: i64 = 0;
    let mut c = at(i);
    if c == b'.' && at(i + 1).is_ascii_digit() {
        i += 1;
        c = at(i);
        let mut have_digits = nd > 0;
        if !have_digits {
            while c == b'0' {
                pending_zeros += 1;
                i += 1;
                c = at(i);
            }
            if c.is_ascii_digit() {
                frac_digits += pending_zeros;
                pending_zeros = 0;
                have_digits = true;
            }
        }
        if have_digits {
            while c.is_ascii_digit() {
                pending_zeros += 1;
                if nd <= MAX_FRACTION_DIGITS && c != b'0' {
                    frac_digits += pending_zeros;
                    // The zeros since the last nonzero digit, then this digit.
                    digits.resize(digits.len() + pending_zeros as usize - 1, b'0');
                    digits.push(c);
                    nd += pending_zeros;
                    pending_zeros = 0;
                }
                i += 1;
                c = at(i);
            }
        }
    }

    let mut exp: i64 = 0;
    if c == b'e' || c == b'E' {
        if nd == 0 && pending_zeros == 0 && !leading_zero {
            return fail;
        }
        let e_pos = i;
        let mut exp_negative = false;
        i += 1;
        c = at(i);
        if c == b'-' || c == b'+' {
            exp_negative = c == b'-';
            i += 1;
            c = at(i);
        }
        if c.is_ascii_digit() {
            while c == b'0' {
                i += 1;
                c = at(i);
            }
            if c.is_ascii_digit() {
                let first = i;
                let mut value: i64 = 0;
                while at(i).is_ascii_digit() {
                    value = (value * 10 + i64::from(at(i) - b'0')).min(1_000_000);
                    i += 1;
                }
                exp = if i - first > 8 || value > 19999 { 19999 } else { value };
                if exp_negative {
                    exp = -exp;
                }
            }
        } else {
            i = e_pos;
        }
    }

    if nd == 0 {
        if pending_zeros == 0 && !leading_zero {
            return fail;
        }
        return (signed(negative, 0.0), i);
    }
    let value = decimal_to_f64(digits.as_slice(), exp - frac_digits);
    (signed(negative, value), i)
}

/// The significant digits of a decimal number: on the stack up to 32 of them (all but
/// pathological input), on the heap beyond.
#[derive(Default)]
struct Digits {
    inline: [u8; 32],
    len: usize,
    heap: Vec<u8>,
}

impl Digits {
    fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, digit: u8) {
        if self.heap.is_empty() && self.len < self.inline.len() {
            self.inline[self.len] = digit;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.inline[..self.len]);
            }
            self.heap.push(digit);
        }
        self.len += 1;
    }

    fn resize(&mut self, len: usize, digit: u8) {
        while self.len < len {
            self.push(digit);
        }
    }

    fn as_slice(&self) -> &[u8] {
        if self.heap.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }
}

/// `digits × 10^e10`, correctly rounded (what Gay's `strtod` computes).
fn decimal_to_f64(digits: &[u8], e10: i64) -> f64 {
    // Clinger's fast path: a mantissa up to 2^53 and a power of ten up to 10^22 are both exact
    // in f64, so one multiplication or division rounds correctly.
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    if digits.len() <= 19 && (-22..=22).contains(&e10) {
        let mantissa = digits.iter().fold(0u64, |m, d| m * 10 + u64::from(d - b'0'));
        if mantissa <= 1 << 53 {
            let power = POW10[e10.unsigned_abs() as usize];
            let mantissa = mantissa as f64;
            return if e10 >= 0 { mantissa * power } else { mantissa / power };
        }
    }
    // Otherwise Rust's correctly rounded parser reads "<digits>e<e10>", written on the stack
    // when it fits.
    let mut buf = [0u8; 64];
    let mut heap = Vec::new();
    let text: &[u8] = if digits.len() + 24 <= buf.len() {
        buf[..digits.len()].copy_from_slice(digits);
        let mut n = digits.len();
        buf[n] = b'e';
        n += 1;
        n += write_i64(&mut buf[n..], e10);
        &buf[..n]
    } else {
        heap.extend_from_slice(digits);
        heap.push(b'e');
        heap.extend_from_slice(e10.to_string().as_bytes());
        &heap
    };
    std::str::from_utf8(text).ok().and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.0)
}

/// Writes `n` in decimal at the start of `out` (which has room for any `i64`); returns the
/// length written.
fn write_i64(out: &mut [u8], n: i64) -> usize {
    let mut digits = [0u8; 20];
    let mut magnitude = n.unsigned_abs();
    let mut len = 0;
    loop {
        digits[len] = b'0' + (magnitude % 10) as u8;
        len += 1;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    let mut at = 0;
    if n < 0 {
        out[0] = b'-';
        at = 1;
    }
    for d in digits[..len].iter().rev() {
        out[at] = *d;
        at += 1;
    }
    at
}

/// The hex branch of `ruby_strtod`, entered just past `0x`: the (unsigned) value and end index,
/// or `None` where Ruby's `strtod` reads nothing at all.
fn hex_float(s: &[u8], mut i: usize) -> Option<(f64, usize)> {
    let at = |i: usize| byte_at(s, i);
    let mut adj = 0.0f64;
    let mut aadj = 1.0f64;
    let mut nd0: i64 = -4;

    let mut digit = Some(hex_value(at(i))?);
    if at(i) == b'0' {
        i += 1;
        while at(i) == b'0' {
            i += 1;
        }
        if at(i) == 0 {
            return Some((0.0, i));
        }
        digit = hex_value(at(i));
    }
    if let Some(mut d) = digit {
        loop {
            adj += aadj * f64::from(d);
            nd0 += 4;
            aadj /= 16.0;
            i += 1;
            match hex_value(at(i)) {
                Some(next) => d = next,
                None => break,
            }
        }
    }

    let has_fraction = at(i) == b'.';
    if has_fraction {
        i += 1;
        hex_value(at(i))?;
        if nd0 < 0 {
            while at(i) == b'0' {
                i += 1;
                nd0 -= 4;
            }
        }
        while let Some(d) = hex_value(at(i)) {
            adj += aadj * f64::from(d);
            aadj /= 16.0;
            i += 1;
            if aadj == 0.0 {
                while hex_value(at(i)).is_some() {
                    i += 1;
                }
                break;
            }
        }
    }

    if matches!(at(i), b'p' | b'P') {
        i += 1;
        let dsign: i64 = match at(i) {
            b'+' => {
                i += 1;
                1
            }
            b'-' => {
                i += 1;
                -1
            }
            _ => 1,
        };
        if !at(i).is_ascii_digit() {
            return None;
        }
        let mut nd: i64 = 0;
        while at(i).is_ascii_digit() {
            nd = nd * 10 + i64::from(at(i) - b'0');
            i += 1;
            if nd + dsign * nd0 > 2095 {
                while at(i).is_ascii_digit() {
                    i += 1;
                }
                break;
            }
        }
        nd0 += nd * dsign;
    } else if has_fraction {
        return None;
    }
    Some((ldexp(adj, nd0), i))
}

/// C's `ldexp`: `x * 2^n` with a single rounding (musl's `scalbn`).
fn ldexp(x: f64, n: i64) -> f64 {
    let two_1023 = f64::from_bits(0x7FE0_0000_0000_0000);
    let two_m969 = f64::from_bits(0x0010_0000_0000_0000) * f64::from_bits(0x4340_0000_0000_0000);
    let mut y = x;
    let mut n = n.clamp(-5000, 5000);
    if n > 1023 {
        y *= two_1023;
        n -= 1023;
        if n > 1023 {
            y *= two_1023;
            n -= 1023;
            n = n.min(1023);
        }
    } else if n < -1022 {
        // Scale down by 2^-969 (not 2^-1022) so the final multiply rounds only once.
        y *= two_m969;
        n += 1022 - 53;
        if n < -1022 {
            y *= two_m969;
            n += 1022 - 53;
            n = n.max(-1022);
        }
    }
    y * f64::from_bits(((0x3FF + n) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn f(s: &str) -> Option<f64> {
        parse_float(s.as_bytes())
    }

    #[test]
    fn plain_decimals() {
        assert_eq!(f("1"), Some(1.0));
        assert_eq!(f("-1.5"), Some(-1.5));
        assert_eq!(f("+.5"), Some(0.5));
        assert_eq!(f("010"), Some(10.0));
        assert_eq!(f("1E5"), Some(100000.0));
        assert_eq!(f("1e+5"), Some(100000.0));
        assert_eq!(f("0.0e0"), Some(0.0));
        assert_eq!(f("0.1"), Some(0.1));
        assert_eq!(f("-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(f(" \x0B\x0C1\r\n"), Some(1.0));
    }

    #[test]
    fn rejected() {
        for s in [
            "", " ", "+", "-", ".", ".e1", "1.", "1.e1", "0.e1", "1e", "1e+", "0e", "1d5", "0b101", "0o17", "1 2",
            "- 1", "+-1", "Infinity", "NaN", "inf", "1\0", "é1", "\u{A0}1", "1\u{A0}", "0.5.5", "1e5.5", "1e5e5",
        ] {
            assert_eq!(f(s), None, "{s:?}");
        }
    }

    #[test]
    fn underscores() {
        assert_eq!(f("1_000.5"), Some(1000.5));
        assert_eq!(f("1.5_0"), Some(1.5));
        assert_eq!(f("1e1_0"), Some(1e10));
        assert_eq!(f("1.5e3_0"), Some(1.5e30));
        assert_eq!(f("0_1"), Some(1.0));
        assert_eq!(f("00_1"), Some(1.0));
        assert_eq!(f("0_0_1"), Some(1.0));
        for s in ["1__0", "_1", "1_", "+_1", "1_e5", "1e_5", "1._5", "1_.5", "0.5_5.5"] {
            assert_eq!(f(s), None, "{s:?}");
        }
    }

    #[test]
    fn hex() {
        assert_eq!(f("0x1A"), Some(26.0));
        assert_eq!(f("0X1A"), Some(26.0));
        assert_eq!(f("-0x1A"), Some(-26.0));
        assert_eq!(f(" 0x1A "), Some(26.0));
        assert_eq!(f("0x1.8p1"), Some(3.0));
        assert_eq!(f("0x1.8p1 "), Some(3.0));
        assert_eq!(f("0x1p+1"), Some(2.0));
        assert_eq!(f("0x1P-1"), Some(0.5));
        assert_eq!(f("0x1_0"), Some(16.0));
        assert_eq!(f("0x1_0p1"), Some(32.0));
        assert_eq!(f("0x1p1_0"), Some(1024.0));
        assert_eq!(f("0x1.8p1_0"), Some(1536.0));
        assert_eq!(f("0x0"), Some(0.0));
        assert_eq!(f("0x00"), Some(0.0));
        assert_eq!(f("0x0.0p0"), Some(0.0));
        assert_eq!(f("0x1p2095"), Some(f64::INFINITY));
        assert_eq!(f("0x1p-1080"), Some(0.0));
        assert_eq!(f("0x1p-1074"), Some(f64::from_bits(1)));
        assert_eq!(f("0x1.000000000000081p0"), Some(1.0));
        assert_eq!(f("0x1.fffffffffffff8p0"), Some(2.0));
        let long = format!("0x0.{}1fp2095", "0".repeat(267));
        assert_eq!(f(&long), Some(1.7415152243978685e308));
        for s in ["0x", "0x ", "0x_1", "0x1p", "0x1.8", "0x.8p1", "0x1.p1", "0x1A_b", "0xa_1"] {
            assert_eq!(f(s), None, "{s:?}");
        }
    }

    #[test]
    fn range_and_long_inputs() {
        assert_eq!(f("1e400"), Some(f64::INFINITY));
        assert_eq!(f("-1e400"), Some(f64::NEG_INFINITY));
        assert_eq!(f("1e-400"), Some(0.0));
        assert_eq!(f("1e99999999999"), Some(f64::INFINITY));
        assert_eq!(f("1e-99999999999"), Some(0.0));
        let ones = "1".repeat(70);
        assert_eq!(f(&ones), Some(1.1111111111111112e69));
        // Ruby's 60-byte re-parse buffer truncates the mantissa.
        assert_eq!(f(&format!("{ones} ")), Some(1.1111111111111112e59));
        assert_eq!(f(&format!("{}_1", "1".repeat(400))), Some(1.1111111111111112e59));
        assert_eq!(f(&"1".repeat(400)), Some(f64::INFINITY));
        assert_eq!(f(&format!("0.{}1 ", "0".repeat(100))), Some(0.0));
        assert_eq!(f(&format!("0.{}_1", "1".repeat(100))), Some(0.1111111111111111));
    }

    #[test]
    fn fraction_digits_past_sixty_are_ignored() {
        // The exact midpoint between (2^52 + 1) * 2^-100 and the next double up. Correct rounding
        // goes to the even neighbour above; Ruby drops the digits after the 61st and rounds down.
        let mid =
            "0.00000000000000355271367880050211264697916940833311759284792417934450980965266353450715541839599609375";
        assert_eq!(mid.parse::<f64>().map(f64::to_bits), Ok(0x3CF0_0000_0000_0002));
        assert_eq!(f(mid).map(f64::to_bits), Some(0x3CF0_0000_0000_0001));
    }

    #[test]
    fn ldexp_rounds_once() {
        assert_eq!(ldexp(1.0, -1074), f64::from_bits(1));
        assert_eq!(ldexp(1.5, -1074), f64::from_bits(2));
        assert_eq!(ldexp(1.0, 1023), 2f64.powi(1023));
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(3.0, -1075), f64::from_bits(2));
        assert_eq!(ldexp(1.0, -1075), 0.0);
    }

    proptest! {
        #[test]
        fn reads_rust_formatted_floats(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assume!(v.is_finite());
            prop_assert_eq!(f(&format!("{v:e}")).map(f64::to_bits), Some(bits));
            prop_assert_eq!(f(&format!("{v:?}")).map(f64::to_bits), Some(bits));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = parse_float(&bytes);
        }

        #[test]
        fn the_exact_fast_path_rounds_as_the_full_parser(
            digits in "[1-9][0-9]{0,24}",
            e10 in -40i64..40,
        ) {
            let full: f64 = format!("{digits}e{e10}").parse().expect("a decimal");
            prop_assert_eq!(decimal_to_f64(digits.as_bytes(), e10).to_bits(), full.to_bits());
        }
    }

    #[test]
    fn exponents_are_written_like_to_string() {
        for n in [0, 7, -7, 10, -19999, 19999, i64::MIN, i64::MAX] {
            let mut out = [0u8; 24];
            let len = write_i64(&mut out, n);
            assert_eq!(&out[..len], n.to_string().as_bytes());
        }
    }

    #[test]
    fn digits_beyond_the_stack_buffer_are_kept() {
        let many = format!("0.{}", "3".repeat(80));
        assert_eq!(f(&many), Some(1.0 / 3.0));
        assert_eq!(f(&"9".repeat(40)), Some(1e40));
    }
}
