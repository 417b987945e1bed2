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
    /// The method Canvas validates (after renaming).
    pub method: String,
    /// The parameter, as Ruby's `String#to_i` read it (or the method's default).
    pub int: Option<RubyInt>,
}

/// Why Canvas rejects a calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalculationError {
    /// The rule broken.
    pub rule: Rule,
    /// Canvas's message.
    pub message: String,
}

/// Resolves and validates `calculation_method` / `calculation_int` (already known not blank when
/// `Some`), exactly as Canvas does.
pub fn resolve(
    method: Option<&str>,
    int: Option<&str>,
    options: &CanvasOptions,
) -> Result<Calculation, CalculationError> {
    let default = if options.new_decaying_average { "standard_decaying_average" } else { "decaying_average" };
    let written = method.unwrap_or(default);
    // The default int depends on the method as written, before renaming.
    let int = match int {
        Some(text) => Some(to_i(text.as_bytes())),
        None => default_int(written).map(|v| to_i(v.as_bytes())),
    };
    let method = rename(written, options.new_decaying_average);
    if !METHODS.contains(&method) {
        let list = crate::ruby::inspect_array(METHODS.iter().map(|m| crate::ruby::inspect_utf8(m.as_bytes())));
        return Err(CalculationError {
            rule: Rule::CalculationMethodInvalid,
            message: format!("Calculation method calculation_method must be one of the following: {list}"),
        });
    }
    match (valid_range(method), &int) {
        (None, Some(_)) => Err(CalculationError {
            rule: Rule::CalculationIntNotUsed,
            message: "Calculation int A calculation value is not used with this calculation method".into(),
        }),
        (Some((lo, hi)), value) if !value.as_ref().is_some_and(|v| v.in_range(lo, hi)) => {
            let shown = value.as_ref().map(ToString::to_string).unwrap_or_default();
            Err(CalculationError {
                rule: Rule::CalculationIntOutOfRange,
                message: format!(
                    "Calculation int '{shown}' is not a valid value for this calculation method. \
                     The value must be between '{lo}' and '{hi}'"
                ),
            })
        }
        _ => Ok(Calculation { method: method.to_owned(), int }),
    }
}

fn default_int(method: &str) -> Option<&'static str> {
    match method {
        "decaying_average" | "standard_decaying_average" | "weighted_average" => Some("65"),
        "n_mastery" => Some("5"),
        _ => None,
    }
}

/// Canvas renames one method before validating, depending on the feature flag.
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

    fn off() -> CanvasOptions {
        CanvasOptions::default()
    }

    fn on() -> CanvasOptions {
        CanvasOptions { new_decaying_average: true, ..CanvasOptions::default() }
    }

    #[test]
    fn defaults_depend_on_the_feature_flag() {
        assert_eq!(resolve(None, None, &off()).map(|c| c.method), Ok("decaying_average".into()));
        assert_eq!(resolve(None, None, &on()).map(|c| c.method), Ok("standard_decaying_average".into()));
        assert_eq!(
            resolve(Some("n_mastery"), None, &off()).map(|c| c.int.map(|i| i.to_string())),
            Ok(Some("5".into()))
        );
    }

    #[test]
    fn renaming_changes_the_valid_range() {
        // standard_decaying_average is validated as decaying_average with the feature off.
        assert!(resolve(Some("standard_decaying_average"), Some("10"), &off()).is_ok());
        assert_eq!(
            resolve(Some("standard_decaying_average"), Some("10"), &on()).unwrap_err().message,
            "Calculation int '10' is not a valid value for this calculation method. The value must be between '50' and '99'"
        );
    }

    #[test]
    fn ints_are_read_like_ruby_to_i() {
        assert!(resolve(Some("n_mastery"), Some(" 7 apples"), &off()).is_ok());
        assert_eq!(
            resolve(Some("n_mastery"), Some("abc"), &off()).unwrap_err().message,
            "Calculation int '0' is not a valid value for this calculation method. The value must be between '1' and '10'"
        );
        assert_eq!(resolve(Some("highest"), Some("0"), &off()).unwrap_err().rule, Rule::CalculationIntNotUsed);
    }
}
