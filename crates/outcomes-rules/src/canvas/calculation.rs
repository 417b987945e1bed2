//! The calculation method and its parameter, as Canvas defaults, renames and validates them.

use crate::options::CanvasOptions;
use crate::registry::Rule;
use crate::ruby::{to_i, RubyInt};

/// The methods Canvas accepts, in the order its message lists them.
pub const METHODS: [&str; 7] =
    ["decaying_average", "weighted_average", "standard_decaying_average", "n_mastery", "highest", "latest", "average"];

/// The calculation settings of an outcome after Canvas's defaults and renaming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calculation {
    /// The method Canvas validates (after renaming): one of [`METHODS`].
    pub method: &'static str,
    /// The parameter, as Ruby's `String#to_i` read it (or the method's default). Always small:
    /// an accepted parameter is within the method's range.
    pub int: Option<i64>,
}

/// Why Canvas rejects a calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalculationError {
    /// The rule broken.
    pub rule: Rule,
    /// Canvas's message.
    pub message: String,
}

/// `calculation_int` as Ruby's `String#to_i` reads it: plain digits (nearly every file) without
/// building a bignum.
enum Int {
    Small(i64),
    Ruby(RubyInt),
}

impl Int {
    fn read(bytes: &[u8]) -> Int {
        // Up to 18 digits and nothing else: `to_i` reads exactly that number, and it fits (read
        // here digit by digit, without the general parser's sign and overflow checks).
        if (1..=18).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_digit) {
            return Int::Small(bytes.iter().fold(0, |n, &b| n * 10 + i64::from(b - b'0')));
        }
        Int::Ruby(to_i(bytes))
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            Int::Small(value) => Some(*value),
            Int::Ruby(value) => value.as_i64(),
        }
    }

    fn in_range(&self, lo: i64, hi: i64) -> bool {
        self.as_i64().is_some_and(|v| lo <= v && v <= hi)
    }

    /// Ruby's `Integer#to_s`.
    fn to_ruby_s(&self) -> String {
        match self {
            Int::Small(value) => value.to_string(),
            Int::Ruby(value) => value.to_string(),
        }
    }
}

/// Resolves and validates `calculation_method` / `calculation_int` (already known not blank when
/// `Some`), exactly as Canvas does.
pub fn resolve(
    method: Option<&[u8]>,
    int: Option<&[u8]>,
    options: &CanvasOptions,
) -> Result<Calculation, CalculationError> {
    let default: &[u8] = if options.new_decaying_average { b"standard_decaying_average" } else { b"decaying_average" };
    let written = method.unwrap_or(default);
    let Some(reading) = MethodReading::of(written, options.new_decaying_average) else {
        let list = crate::ruby::inspect_array(METHODS.iter().map(|m| crate::ruby::inspect_utf8(m.as_bytes())));
        return Err(CalculationError {
            rule: Rule::CalculationMethodInvalid,
            message: format!("Calculation method calculation_method must be one of the following: {list}"),
        });
    };
    let method = reading.method;
    let int = match int {
        Some(text) => Some(Int::read(text)),
        None => reading.default_int.map(Int::Small),
    };
    match (reading.range, &int) {
        (None, Some(_)) => Err(CalculationError {
            rule: Rule::CalculationIntNotUsed,
            message: "Calculation int A calculation value is not used with this calculation method".into(),
        }),
        (Some((lo, hi)), value) if !value.as_ref().is_some_and(|v| v.in_range(lo, hi)) => {
            let shown = value.as_ref().map(Int::to_ruby_s).unwrap_or_default();
            Err(CalculationError {
                rule: Rule::CalculationIntOutOfRange,
                message: format!(
                    "Calculation int '{shown}' is not a valid value for this calculation method. \
                     The value must be between '{lo}' and '{hi}'"
                ),
            })
        }
        _ => Ok(Calculation { method, int: int.as_ref().and_then(Int::as_i64) }),
    }
}

/// What Canvas makes of a method as written, under the feature flag: the parameter it defaults
/// to, the accepted method it validates it as (after renaming), and that method's parameter
/// range. Canvas's steps (default, rename, validate, range) each compare the text against a list
/// ([`default_int`], [`rename`], [`METHODS`], [`valid_range`], the reference); one match here
/// answers them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MethodReading {
    default_int: Option<i64>,
    method: &'static str,
    range: Option<(i64, i64)>,
}

impl MethodReading {
    /// `None` when Canvas does not accept the method, renamed.
    fn of(written: &[u8], new_decaying_average: bool) -> Option<MethodReading> {
        const DECAYING: MethodReading =
            MethodReading { default_int: Some(65), method: "decaying_average", range: Some((1, 99)) };
        let no_int = |method| MethodReading { default_int: None, method, range: None };
        // Compared as bytes, one name after another (a `match` on byte strings compares them
        // byte by byte; `==` compares the length, then the bytes a word at a time).
        let is = |name: &str| written == name.as_bytes();
        Some(if is("decaying_average") {
            DECAYING
        } else if is("standard_decaying_average") {
            if new_decaying_average {
                MethodReading { default_int: Some(65), method: "standard_decaying_average", range: Some((50, 99)) }
            } else {
                DECAYING
            }
        } else if is("weighted_average") {
            if new_decaying_average {
                DECAYING
            } else {
                MethodReading { method: "weighted_average", ..DECAYING }
            }
        } else if is("n_mastery") {
            MethodReading { default_int: Some(5), method: "n_mastery", range: Some((1, 10)) }
        } else if let Some(method) = ["highest", "latest", "average"].into_iter().find(|m| is(m)) {
            no_int(method)
        } else {
            return None;
        })
    }
}

/// The parameter Canvas gives a method as written (before renaming) when none is.
#[cfg(test)]
fn default_int(method: &str) -> Option<i64> {
    match method {
        "decaying_average" | "standard_decaying_average" | "weighted_average" => Some(65),
        "n_mastery" => Some(5),
        _ => None,
    }
}

/// Canvas renames one method before validating, depending on the feature flag.
#[cfg(test)]
fn rename(method: &str, new_decaying_average: bool) -> &str {
    match (method, new_decaying_average) {
        ("standard_decaying_average", false) | ("weighted_average", true) => "decaying_average",
        _ => method,
    }
}

/// The accepted parameter range, or `None` for methods that take no parameter.
pub fn valid_range(method: &str) -> Option<(i64, i64)> {
    match method {
        "decaying_average" | "weighted_average" => Some((1, 99)),
        "standard_decaying_average" => Some((50, 99)),
        "n_mastery" => Some((1, 10)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    fn off() -> CanvasOptions {
        CanvasOptions::default()
    }

    fn on() -> CanvasOptions {
        CanvasOptions { new_decaying_average: true, ..CanvasOptions::default() }
    }

    #[test]
    fn defaults_depend_on_the_feature_flag() {
        assert_eq!(resolve(None, None, &off()).map(|c| c.method), Ok("decaying_average"));
        assert_eq!(resolve(None, None, &on()).map(|c| c.method), Ok("standard_decaying_average"));
        assert_eq!(
            resolve(Some(b"n_mastery"), None, &off()).map(|c| c.int.map(|i| i.to_string())),
            Ok(Some("5".into()))
        );
    }

    #[test]
    fn renaming_changes_the_valid_range() {
        // standard_decaying_average is validated as decaying_average with the feature off.
        assert!(resolve(Some(b"standard_decaying_average"), Some(b"10"), &off()).is_ok());
        assert_eq!(
            resolve(Some(b"standard_decaying_average"), Some(b"10"), &on()).unwrap_err().message,
            "Calculation int '10' is not a valid value for this calculation method. The value must be between '50' and '99'"
        );
    }

    #[test]
    fn ints_are_read_like_ruby_to_i() {
        assert!(resolve(Some(b"n_mastery"), Some(b" 7 apples"), &off()).is_ok());
        assert_eq!(
            resolve(Some(b"n_mastery"), Some(b"abc"), &off()).unwrap_err().message,
            "Calculation int '0' is not a valid value for this calculation method. The value must be between '1' and '10'"
        );
        assert_eq!(resolve(Some(b"highest"), Some(b"0"), &off()).unwrap_err().rule, Rule::CalculationIntNotUsed);
    }

    proptest::proptest! {
        /// One match gives what Canvas's steps give, one list after another.
        #[test]
        fn a_method_reads_as_canvas_steps_read_it(
            written in proptest::sample::select(METHODS.to_vec()).prop_map(String::from).boxed()
                .prop_union("[a-z_]{0,26}".boxed()),
            new_decaying_average: bool,
        ) {
            let renamed = rename(&written, new_decaying_average);
            let reference = METHODS.into_iter().find(|m| *m == renamed).map(|method| MethodReading {
                default_int: default_int(&written),
                method,
                range: valid_range(method),
            });
            proptest::prop_assert_eq!(MethodReading::of(written.as_bytes(), new_decaying_average), reference);
        }

        #[test]
        fn plain_ints_read_as_ruby_to_i(text in "[0-9]{0,22}|[ +_0-9a-z-]{0,8}") {
            let ours = Int::read(text.as_bytes());
            let ruby = to_i(text.as_bytes());
            proptest::prop_assert_eq!(ours.to_ruby_s(), ruby.to_string());
            proptest::prop_assert_eq!(ours.as_i64(), ruby.as_i64());
        }
    }
}
