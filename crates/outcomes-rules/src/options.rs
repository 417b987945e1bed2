//! Account settings that change how Canvas reads a file.
//!
//! Canvas reads the same file differently depending on the account: the locale decides whether
//! `1,5` is fifteen or one and a half, and a feature flag changes the default calculation method.
//! Both are options here, never guesses.

use serde::Serialize;

/// How the account's locale writes numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberFormat {
    /// The decimal separator (`.` for `en`, `,` for `fr`); Canvas turns it into `.`.
    pub decimal_separator: String,
    /// The thousands delimiter (`,` for `en`, a space for `fr`); Canvas deletes it first.
    pub thousands_delimiter: String,
}

impl NumberFormat {
    /// English (Canvas's default): separator `.`, delimiter `,`.
    pub fn en() -> NumberFormat {
        NumberFormat { decimal_separator: ".".into(), thousands_delimiter: ",".into() }
    }
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat::en()
    }
}

/// Everything about the account that the checks depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CanvasOptions {
    /// The "Outcomes New Decaying Average Calculation Method" feature: changes the default method
    /// to `standard_decaying_average` and how methods are renamed before validation.
    pub new_decaying_average: bool,
    /// The account locale's number format.
    pub number_format: NumberFormat,
}

impl NumberFormat {
    /// The number format of a Canvas locale (`en`, `fr`, `de`, `pt-BR`, ...), or `None` when we
    /// do not know it.
    pub fn for_locale(locale: &str) -> Option<NumberFormat> {
        let (separator, delimiter) = crate::locale::lookup(locale)?;
        Some(NumberFormat { decimal_separator: separator.into(), thousands_delimiter: delimiter.into() })
    }

    /// The locales [`NumberFormat::for_locale`] knows.
    pub fn known_locales() -> impl Iterator<Item = &'static str> {
        crate::locale::known_locales()
    }
}
