//! Ruby's `Float#to_s` (also what `Float#inspect` and string interpolation print).
//!
//! Canvas prints parsed numbers back into its messages, so `1e20` must come out as `1.0e+20` and
//! `0.1 + 0.2` as `0.30000000000000004`. Ruby 3.1's `flo_to_s` takes the shortest digit string
//! that reads back as the same double (`ruby_dtoa` mode 0, the same digits Rust's `{:e}` prints)
//! and the decimal exponent `decpt` (the value is `0.DIGITS × 10^decpt`), then:
//!
//! * `0 < decpt < digits`: the point goes inside the digits (`1234567890123456.8`);
//! * `digits <= decpt <= 15`: digits, zero padding, `.0` (`100000000000000.0` for `1e14`);
//! * `-4 < decpt <= 0`: `0.`, `-decpt` zeros, digits (`0.0001`);
//! * otherwise scientific: `d.ddd` (at least one fraction digit) then `e`, a sign and at least two
//!   exponent digits (`1.0e+15`, `1.0e-05`, `5.0e-324`, `1.7976931348623157e+308`).
//!
//! Non-finite values print as `Infinity`, `-Infinity` and `NaN`; negative zero as `-0.0`.

/// `DBL_DIG`: the largest `decpt` printed without an exponent when no point falls inside the
/// digits.
const DBL_DIG: i32 = 15;

/// Ruby's `Float#to_s`.
///
/// ```
/// use outcomes_rules::ruby::float_to_s;
/// assert_eq!(float_to_s(1e14), "100000000000000.0");
/// assert_eq!(float_to_s(1e15), "1.0e+15");
/// assert_eq!(float_to_s(0.0001), "0.0001");
/// assert_eq!(float_to_s(0.00001), "1.0e-05");
/// assert_eq!(float_to_s(-0.0), "-0.0");
/// ```
pub fn float_to_s(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    // Shortest round-trip digits, e.g. "1.2345e-5" or "0e0".
    let sci = format!("{:e}", value.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    let decpt = exponent.parse::<i32>().unwrap_or(0) + 1;
    let digits = break_tie_to_even(value.abs(), digits, decpt);
    let digs = digits.len() as i32;

    let mut out = String::with_capacity(digits.len() + 8);
    if value.is_sign_negative() {
        out.push('-');
    }
    if decpt > 0 && decpt < digs {
        let (int, frac) = digits.split_at(decpt as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if decpt > 0 && decpt <= DBL_DIG {
        out.push_str(&digits);
        out.push_str(&"0".repeat((decpt - digs) as usize));
        out.push_str(".0");
    } else if decpt <= 0 && decpt > -4 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-decpt) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        out.push('.');
        out.push_str(if rest.is_empty() { "0" } else { rest });
        out.push_str(&format!("e{:+03}", decpt - 1));
    }
    out
}

/// Applies dtoa's tie rule to Rust's shortest digits.
///
/// When two digit strings of the shortest length are exactly equally close to the value (the
/// value is `D - 0.5` units of the last digit), Rust picks the upper one while Ruby's `dtoa`
/// rounds half to even: `1616854620930211.25` is `...211.2` in Ruby, `2.0**-25` is
/// `2.9802322387695312e-08`. Returns the digits Ruby prints.
fn break_tie_to_even(value: f64, digits: String, decpt: i32) -> String {
    let Ok(upper) = digits.parse::<u64>() else {
        return digits;
    };
    if upper % 2 == 0 || value == 0.0 || !value.is_finite() {
        return digits;
    }
    // value = odd * 2^exp2 exactly.
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7FF) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exp) = if biased == 0 { (fraction, -1074) } else { (fraction | (1 << 52), biased - 1075) };
    let zeros = mantissa.trailing_zeros();
    let odd = u128::from(mantissa >> zeros);
    let exp2 = exp + zeros as i32;
    // The midpoint below `upper` is (10 * (upper - 1) + 5) * 10^j; it is odd times 5^j times 2^j,
    // so it equals the value only if j == exp2 and the odd parts agree.
    let j = decpt - digits.len() as i32 - 1;
    if j != exp2 || j.unsigned_abs() > 27 {
        return digits;
    }
    let midpoint = 10 * u128::from(upper - 1) + 5;
    let five_pow = 5u128.pow(j.unsigned_abs());
    let tie = if j >= 0 { midpoint * five_pow == odd } else { midpoint == odd * five_pow };
    if !tie {
        return digits;
    }
    let lower = (upper - 1).to_string();
    let lower = lower.trim_end_matches('0');
    let round_trips = format!("{lower}e{}", decpt - lower.len() as i32).parse::<f64>().is_ok_and(|v| v == value);
    if round_trips && !lower.is_empty() {
        lower.to_owned()
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn specials() {
        assert_eq!(float_to_s(f64::NAN), "NaN");
        assert_eq!(float_to_s(f64::INFINITY), "Infinity");
        assert_eq!(float_to_s(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(float_to_s(0.0), "0.0");
        assert_eq!(float_to_s(-0.0), "-0.0");
    }

    #[test]
    fn fixed_and_scientific_thresholds() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (-1.5, "-1.5"),
            (12.344999999999999, "12.344999999999999"),
            (123450.0, "123450.0"),
            (1e14, "100000000000000.0"),
            (1.2345e14, "123450000000000.0"),
            (1e15, "1.0e+15"),
            (1.2345e15, "1.2345e+15"),
            (1234567890123456.8, "1234567890123456.8"),
            (123456789012345.67, "123456789012345.67"),
            (12345678901234567.0, "1.2345678901234568e+16"),
            (9007199254740993.0, "9.007199254740992e+15"),
            (1e16, "1.0e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1e22, "1.0e+22"),
            (0.1, "0.1"),
            (0.30000000000000004, "0.30000000000000004"),
            (0.001, "0.001"),
            (0.0001, "0.0001"),
            (0.00012345, "0.00012345"),
            (0.00001, "1.0e-05"),
            (2.5e-5, "2.5e-05"),
            (1.2344999999999999e-8, "1.2344999999999999e-08"),
            (5e-324, "5.0e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            // Ties between two shortest candidates go to the even digit.
            (1_616_854_620_930_211.0 + 0.25, "1616854620930211.2"),
            (1_616_854_620_930_211.0 + 0.75, "1616854620930211.8"),
            (1_616_854_620_930_212.0 + 0.25, "1616854620930212.2"),
            (-238_057_997_282_685.0 - 0.125, "-238057997282685.12"),
            (2.9802322387695312e-8, "2.9802322387695312e-08"),
            (1.4901161193847656e-8, "1.4901161193847656e-08"),
        ];
        for &(v, s) in cases {
            assert_eq!(float_to_s(v), s, "{v:e}");
        }
    }

    proptest! {
        #[test]
        fn round_trips_through_rust_parser(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assume!(v.is_finite());
            let s = float_to_s(v);
            prop_assert_eq!(s.parse::<f64>().map(f64::to_bits), Ok(bits), "{}", s);
        }

        #[test]
        fn round_trips_through_ruby_float(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assume!(v.is_finite());
            let s = float_to_s(v);
            prop_assert_eq!(super::super::float::parse_float(s.as_bytes()).map(f64::to_bits), Some(bits), "{}", s);
        }
    }
}
