//! Configuration, as linters people know do it (ruff, clippy): which rules to show, which warnings
//! to treat as errors, and the account options, read from `outcomes-lint.toml` and merged with
//! command-line flags.
//!
//! ```toml
//! # outcomes-lint.toml, found from the checked file's directory upward
//! select = ["ALL"]
//! ignore = ["OL105", "rating-description-missing"]   # codes or names
//! warn-as-error = ["lints"]
//! locale = "fr"                  # the account's locale: how Canvas reads numbers
//! new-decaying-average = true    # the account's "new decaying average" feature
//! ```
//!
//! # Which rules are shown
//!
//! A [`Selector`] names one rule (`OL101` or `formula-injection`), a code prefix (`OL1`), or a
//! group: `canvas` (Canvas's own errors), `lints` (our findings), `ALL`. For each rule:
//!
//! 1. **Within one layer** (one file, or the command line) the **most specific** matching
//!    selector decides: a rule beats a prefix, a longer prefix beats a shorter one, a prefix beats
//!    `canvas`/`lints`, which beat `ALL`. On a tie, `ignore` wins. A rule that no selector
//!    matches is shown only if the layer's `select` is empty (the default is every rule).
//! 2. **A later layer wins** ([`Config::merge`], command line over file): if it has a `select`,
//!    that replaces the earlier selection (with its own `ignore`); if it only has an `ignore`,
//!    that hides rules on top of the earlier selection, even rules it named exactly.
//!
//! So `select = ["OL1"]` with `ignore = ["OL105"]` shows every lint but OL105, and
//! `ignore = ["lints"]` with `select = ["OL116"]` shows only Canvas's errors and OL116.
//!
//! # What configuration cannot change
//!
//! Canvas's verdict. Hiding a Canvas error (`ignore = ["OL023"]`) hides it from display only:
//! the Canvas-compatible output, the `succeeded`/`failed` state and the exit status never depend
//! on configuration, and a Canvas error is always an error, never downgraded.
//! `warn-as-error` raises lints: every warning it matches, and an info rule only when it names
//! that rule exactly (so `warn-as-error = ["ALL"]` does not turn every hint into an error).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lints::LintSelection;
use crate::options::{CanvasOptions, NumberFormat};
use crate::registry::{Rule, Scope, Severity};

/// The file [`Config::discover`] looks for.
pub const FILE_NAME: &str = "outcomes-lint.toml";

/// Why a configuration could not be read or used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("could not read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or has unknown keys or values.
    #[error("{}: {source}", path.as_deref().map_or_else(|| "configuration".into(), |p| p.display().to_string()))]
    Parse {
        /// The file, when the text came from one.
        path: Option<PathBuf>,
        /// The parser's message, with line and column.
        source: Box<toml::de::Error>,
    },
    /// A selector names no rule, prefix or group.
    #[error("unknown rule selector `{0}`: use a code (OL023), a code prefix (OL1), a rule name (parent-not-found), `canvas`, `lints` or `ALL`")]
    UnknownSelector(String),
    /// The locale is not one whose number format we know.
    #[error("unknown locale `{0}`: `outcomes-lint check --locale xx` lists the known ones, or give --decimal-separator and --thousands-delimiter")]
    UnknownLocale(String),
}

/// Names a set of rules in `select`, `ignore` and `warn-as-error`.
///
/// ```
/// use outcomes_rules::{Rule, Selector};
/// let s: Selector = "OL1".parse().unwrap();
/// assert!(s.matches(Rule::FormulaInjection));
/// assert!(!s.matches(Rule::ParentNotFound));
/// assert_eq!("formula-injection".parse::<Selector>().unwrap(), Selector::Rule(Rule::FormulaInjection));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selector {
    /// Every rule (`ALL`).
    All,
    /// Canvas's own errors: the rules whose scope is [`Scope::File`] or [`Scope::Row`]
    /// (`canvas`).
    Canvas,
    /// Our findings beyond Canvas: the rules whose scope is [`Scope::Lint`] (`lints`).
    Lints,
    /// Every rule whose code starts with this (upper-case) prefix, e.g. `OL1`.
    Prefix(String),
    /// One rule, by code or name.
    Rule(Rule),
}

impl Selector {
    /// Whether the selector names `rule`.
    pub fn matches(&self, rule: Rule) -> bool {
        match self {
            Selector::All => true,
            Selector::Canvas => rule.scope() != Scope::Lint,
            Selector::Lints => rule.scope() == Scope::Lint,
            Selector::Prefix(prefix) => rule.code().starts_with(prefix.as_str()),
            Selector::Rule(r) => *r == rule,
        }
    }

    /// How specific the selector is: the more specific wins (see the module documentation).
    pub fn specificity(&self) -> usize {
        match self {
            Selector::All => 0,
            Selector::Canvas | Selector::Lints => 1,
            Selector::Prefix(prefix) => 1 + prefix.len(),
            Selector::Rule(_) => usize::MAX,
        }
    }
}

impl FromStr for Selector {
    type Err = ConfigError;

    fn from_str(text: &str) -> Result<Selector, ConfigError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
        }
        if text.eq_ignore_ascii_case("canvas") {
            return Ok(Selector::Canvas);
        }
        if text.eq_ignore_ascii_case("lints") || text.eq_ignore_ascii_case("lint") {
            return Ok(Selector::Lints);
        }
        if let Some(rule) = Rule::find(text) {
            return Ok(Selector::Rule(rule));
        }
        let prefix = text.to_ascii_uppercase();
        if prefix.starts_with("OL") && Rule::ALL.iter().any(|r| r.code().starts_with(&prefix)) {
            return Ok(Selector::Prefix(prefix));
        }
        Err(ConfigError::UnknownSelector(text.to_owned()))
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::All => f.write_str("ALL"),
            Selector::Canvas => f.write_str("canvas"),
            Selector::Lints => f.write_str("lints"),
            Selector::Prefix(prefix) => f.write_str(prefix),
            Selector::Rule(rule) => f.write_str(rule.code()),
        }
    }
}

impl Serialize for Selector {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Selector {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Selector, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Rule selection, severities and account options, from `outcomes-lint.toml` or flags.
///
/// Keys are kebab-case in TOML (`warn-as-error`); snake_case (`warn_as_error`) is accepted too.
/// Unknown keys are errors, so a typo does not silently do nothing.
///
/// ```
/// use outcomes_rules::{Config, Rule, Severity};
/// let file = Config::from_toml("select = ['lints']\nignore = ['OL105']\n").unwrap();
/// let flags = Config { warn_as_error: vec!["OL116".parse().unwrap()], ..Config::default() };
/// let config = file.merge(flags);
/// assert_eq!(config.severity_for(Rule::MasteryPointsMissing), None);
/// assert_eq!(config.severity_for(Rule::FormulaInjection), Some(Severity::Error));
/// assert_eq!(config.severity_for(Rule::ParentNotFound), None, "not selected: hidden");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    /// Rules to show; empty means every rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub select: Vec<Selector>,
    /// Rules to hide.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<Selector>,
    /// Lints to report as errors.
    #[serde(default, alias = "warn_as_error", skip_serializing_if = "Vec::is_empty")]
    pub warn_as_error: Vec<Selector>,
    /// The account's locale (`en`, `fr`, ...), which decides how Canvas reads numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Whether the account has "Outcomes New Decaying Average Calculation Method" on.
    #[serde(default, alias = "new_decaying_average", skip_serializing_if = "Option::is_none")]
    pub new_decaying_average: Option<bool>,
    /// The decimal separator, overriding the locale's.
    #[serde(default, alias = "decimal_separator", skip_serializing_if = "Option::is_none")]
    pub decimal_separator: Option<String>,
    /// The thousands delimiter, overriding the locale's.
    #[serde(default, alias = "thousands_delimiter", skip_serializing_if = "Option::is_none")]
    pub thousands_delimiter: Option<String>,
}

impl Config {
    /// Parses the text of an `outcomes-lint.toml`.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse { path: None, source: Box::new(e) })
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_owned(), source })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse { path: Some(path.to_owned()), source: Box::new(e) })
    }

    /// Finds the nearest `outcomes-lint.toml` in `start_dir` (the checked file's directory) or
    /// any directory above it, and reads it. `Ok(None)` when there is none; an unreadable or
    /// invalid file is an error, not a silent fallback to defaults.
    pub fn discover(start_dir: &Path) -> Result<Option<(PathBuf, Config)>, ConfigError> {
        let start = if start_dir.is_absolute() {
            start_dir.to_owned()
        } else {
            let cwd =
                std::env::current_dir().map_err(|source| ConfigError::Io { path: start_dir.to_owned(), source })?;
            cwd.join(start_dir)
        };
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                let config = Config::load(&candidate)?;
                return Ok(Some((candidate, config)));
            }
        }
        Ok(None)
    }

    /// `other` over `self`: `other`'s account options where it has them, both `warn-as-error`
    /// lists, and the rule selection as described in the module documentation (a later
    /// `select` replaces, a later `ignore` hides on top). Merging a file's configuration with
    /// the command line's is `file.merge(flags)`.
    pub fn merge(self, other: Config) -> Config {
        let (select, ignore) = if other.select.is_empty() && other.ignore.is_empty() {
            (self.select.clone(), self.ignore.clone())
        } else if !other.select.is_empty() || (self.select.is_empty() && self.ignore.is_empty()) {
            (other.select, other.ignore)
        } else {
            // Only an `ignore` on top of an earlier selection: write the earlier one out rule by
            // rule, so that any later ignore, however broad, still applies on top of it.
            let mut ignore = other.ignore;
            ignore.extend(Rule::ALL.iter().filter(|r| !self.is_selected(**r)).map(|r| Selector::Rule(*r)));
            (Vec::new(), ignore)
        };
        let mut warn_as_error = self.warn_as_error;
        warn_as_error.extend(other.warn_as_error);
        Config {
            select,
            ignore,
            warn_as_error,
            locale: other.locale.or(self.locale),
            new_decaying_average: other.new_decaying_average.or(self.new_decaying_average),
            decimal_separator: other.decimal_separator.or(self.decimal_separator),
            thousands_delimiter: other.thousands_delimiter.or(self.thousands_delimiter),
        }
    }

    /// Whether `rule` is shown: the most specific matching selector decides, `ignore` winning
    /// ties; with none, whether `select` is empty.
    pub fn is_selected(&self, rule: Rule) -> bool {
        let selected = self.select.iter().filter(|s| s.matches(rule)).map(|s| (s.specificity(), false));
        let ignored = self.ignore.iter().filter(|s| s.matches(rule)).map(|s| (s.specificity(), true));
        match selected.chain(ignored).max() {
            Some((_, ignored)) => !ignored,
            None => self.select.is_empty(),
        }
    }

    /// The severity `rule` is shown with, or `None` when it is not shown. Canvas's errors are
    /// always [`Severity::Error`] when shown.
    pub fn severity_for(&self, rule: Rule) -> Option<Severity> {
        if !self.is_selected(rule) {
            return None;
        }
        let default = rule.default_severity();
        let raised = self
            .warn_as_error
            .iter()
            .any(|s| s.matches(rule) && (default == Severity::Warning || *s == Selector::Rule(rule)));
        Some(if raised { Severity::Error } else { default })
    }

    /// The lints to run: every selected lint rule. Canvas's checks always run, whatever is
    /// selected.
    pub fn lint_selection(&self) -> LintSelection {
        LintSelection::only(Rule::ALL.iter().copied().filter(|r| r.scope() == Scope::Lint && self.is_selected(*r)))
    }

    /// The account options: the locale's number format (English when none is given) with the
    /// separators given here over it, and the decaying-average feature (off by default).
    pub fn canvas_options(&self) -> Result<CanvasOptions, ConfigError> {
        let mut number_format = match &self.locale {
            Some(locale) => {
                NumberFormat::for_locale(locale).ok_or_else(|| ConfigError::UnknownLocale(locale.clone()))?
            }
            None => NumberFormat::en(),
        };
        if let Some(separator) = &self.decimal_separator {
            number_format.decimal_separator = separator.clone();
        }
        if let Some(delimiter) = &self.thousands_delimiter {
            number_format.thousands_delimiter = delimiter.clone();
        }
        Ok(CanvasOptions { new_decaying_average: self.new_decaying_average.unwrap_or(false), number_format })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selectors(list: &[&str]) -> Vec<Selector> {
        list.iter().map(|s| s.parse().expect("selector")).collect()
    }

    fn config(select: &[&str], ignore: &[&str]) -> Config {
        Config { select: selectors(select), ignore: selectors(ignore), ..Config::default() }
    }

    #[test]
    fn selectors_parse_codes_names_prefixes_and_groups() {
        assert_eq!("ALL".parse::<Selector>().unwrap(), Selector::All);
        assert_eq!("canvas".parse::<Selector>().unwrap(), Selector::Canvas);
        assert_eq!("lints".parse::<Selector>().unwrap(), Selector::Lints);
        assert_eq!("ol101".parse::<Selector>().unwrap(), Selector::Rule(Rule::ParentDefinedLater));
        assert_eq!("parent-not-found".parse::<Selector>().unwrap(), Selector::Rule(Rule::ParentNotFound));
        assert_eq!("OL1".parse::<Selector>().unwrap(), Selector::Prefix("OL1".into()));
        assert!(matches!("OL9".parse::<Selector>(), Err(ConfigError::UnknownSelector(_))));
        assert!("formula".parse::<Selector>().is_err());
        assert_eq!(Selector::Prefix("OL1".into()).to_string(), "OL1");
    }

    #[test]
    fn empty_select_means_every_rule() {
        let c = Config::default();
        assert!(Rule::ALL.iter().all(|r| c.is_selected(*r)));
        assert_eq!(c.lint_selection(), LintSelection::default());
    }

    #[test]
    fn the_more_specific_selector_wins() {
        // A code beats its prefix, in either direction.
        let c = config(&["OL1"], &["OL105"]);
        assert!(c.is_selected(Rule::FormulaInjection));
        assert!(!c.is_selected(Rule::MasteryPointsMissing));
        assert!(!c.is_selected(Rule::ParentNotFound), "not selected at all");
        let c = config(&["OL105"], &["OL1"]);
        assert!(c.is_selected(Rule::MasteryPointsMissing));
        assert!(!c.is_selected(Rule::FormulaInjection));
        // A longer prefix beats a shorter one; a prefix beats a group; a group beats ALL.
        let c = config(&["OL11"], &["OL1"]);
        assert!(c.is_selected(Rule::FormulaInjection));
        assert!(!c.is_selected(Rule::ParentDefinedLater));
        let c = config(&["OL0"], &["canvas"]);
        assert!(c.is_selected(Rule::ParentNotFound));
        let c = config(&["ALL"], &["lints"]);
        assert!(c.is_selected(Rule::ParentNotFound));
        assert!(!c.is_selected(Rule::FormulaInjection));
        // A name is as specific as a code.
        let c = config(&["lints"], &["formula-injection"]);
        assert!(!c.is_selected(Rule::FormulaInjection));
        assert!(c.is_selected(Rule::EmptyGroup));
    }

    #[test]
    fn ignore_wins_a_tie() {
        let c = config(&["OL116"], &["formula-injection"]);
        assert!(!c.is_selected(Rule::FormulaInjection));
        let c = config(&["lints"], &["lints"]);
        assert!(!c.is_selected(Rule::FormulaInjection));
    }

    #[test]
    fn a_later_select_replaces_and_a_later_ignore_hides_on_top() {
        let file = config(&["OL116"], &["canvas"]);
        // The command line's select replaces the file's selection.
        let merged = file.clone().merge(config(&["canvas"], &[]));
        assert!(merged.is_selected(Rule::ParentNotFound));
        assert!(!merged.is_selected(Rule::FormulaInjection));
        // The command line's ignore applies on top, even over the file's exact code.
        let merged = file.clone().merge(config(&[], &["lints"]));
        assert!(!merged.is_selected(Rule::FormulaInjection));
        assert!(!merged.is_selected(Rule::ParentNotFound), "still ignored by the file");
        assert!(!merged.is_selected(Rule::EmptyGroup), "never selected by the file");
        // Nothing on the command line keeps the file's selection as written.
        assert_eq!(file.clone().merge(Config::default()).select, file.select);
        // Merging again keeps working.
        let again = merged.merge(config(&[], &["OL001"]));
        assert!(!again.is_selected(Rule::EmptyFile));
        assert!(!again.is_selected(Rule::FormulaInjection));
    }

    #[test]
    fn account_options_come_from_the_later_layer_first() {
        let file = Config { locale: Some("fr".into()), new_decaying_average: Some(true), ..Config::default() };
        let flags = Config { locale: Some("de".into()), ..Config::default() };
        let merged = file.merge(flags);
        assert_eq!(merged.locale.as_deref(), Some("de"));
        assert_eq!(merged.new_decaying_average, Some(true));
        let options = merged.canvas_options().unwrap();
        assert_eq!(options.number_format.decimal_separator, ",");
        assert_eq!(options.number_format.thousands_delimiter, ".");
        assert!(options.new_decaying_average);

        let explicit = Config { locale: Some("fr".into()), thousands_delimiter: Some("'".into()), ..Config::default() }
            .canvas_options()
            .unwrap();
        assert_eq!(explicit.number_format.decimal_separator, ",");
        assert_eq!(explicit.number_format.thousands_delimiter, "'");
        assert_eq!(Config::default().canvas_options().unwrap(), CanvasOptions::default());
        assert!(matches!(
            Config { locale: Some("xx-nowhere".into()), ..Config::default() }.canvas_options(),
            Err(ConfigError::UnknownLocale(_))
        ));
    }

    #[test]
    fn warn_as_error_raises_warnings_and_named_infos_but_never_touches_canvas_errors() {
        let c = Config { warn_as_error: selectors(&["ALL"]), ..Config::default() };
        assert_eq!(c.severity_for(Rule::FormulaInjection), Some(Severity::Error));
        assert_eq!(c.severity_for(Rule::EmptyGroup), Some(Severity::Info));
        assert_eq!(c.severity_for(Rule::ParentNotFound), Some(Severity::Error));
        let c = Config { warn_as_error: selectors(&["empty-group"]), ..Config::default() };
        assert_eq!(c.severity_for(Rule::EmptyGroup), Some(Severity::Error));
        // Hidden, but never downgraded.
        let c = config(&[], &["canvas"]);
        assert_eq!(c.severity_for(Rule::ParentNotFound), None);
        for rule in Rule::ALL.iter().filter(|r| r.scope() != Scope::Lint) {
            assert_eq!(Config::default().severity_for(*rule), Some(Severity::Error));
        }
    }

    #[test]
    fn lint_selection_follows_the_selection() {
        let c = config(&["OL11"], &["OL116"]);
        let selection = c.lint_selection();
        assert!(selection.is_enabled(Rule::InvisibleWhitespace));
        assert!(!selection.is_enabled(Rule::FormulaInjection));
        assert!(!selection.is_enabled(Rule::NumberReadDifferently));
    }

    #[test]
    fn toml_uses_kebab_case_accepts_snake_case_and_rejects_unknown_keys() {
        let c = Config::from_toml(
            "select = ['ALL']\nignore = ['OL105', 'empty-group']\nwarn-as-error = ['OL1']\nlocale = 'fr'\nnew-decaying-average = true\ndecimal-separator = ','\nthousands-delimiter = ' '\n",
        )
        .unwrap();
        assert_eq!(c.select, vec![Selector::All]);
        assert_eq!(c.ignore, vec![Selector::Rule(Rule::MasteryPointsMissing), Selector::Rule(Rule::EmptyGroup)]);
        assert_eq!(c.warn_as_error, vec![Selector::Prefix("OL1".into())]);
        assert_eq!(c.new_decaying_average, Some(true));
        assert_eq!(c.thousands_delimiter.as_deref(), Some(" "));
        let snake = Config::from_toml("warn_as_error = ['OL116']\nnew_decaying_average = false\n").unwrap();
        assert_eq!(snake.new_decaying_average, Some(false));

        let err = Config::from_toml("selekt = ['ALL']\n").unwrap_err();
        assert!(err.to_string().contains("selekt"), "{err}");
        let err = Config::from_toml("ignore = ['OL999']\n").unwrap_err();
        assert!(err.to_string().contains("unknown rule selector"), "{err}");
    }

    #[test]
    fn discover_walks_up_from_the_file_directory() {
        let root = std::env::temp_dir().join(format!("outcomes-lint-config-test-{}", std::process::id()));
        let nested = root.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert!(Config::discover(&nested).unwrap().is_none_or(|(p, _)| !p.starts_with(&root)));
        std::fs::write(root.join(FILE_NAME), "ignore = ['lints']\n").unwrap();
        let (path, found) = Config::discover(&nested).unwrap().unwrap();
        assert_eq!(path, root.join(FILE_NAME));
        assert!(!found.is_selected(Rule::EmptyGroup));
        std::fs::write(root.join("a").join(FILE_NAME), "locale = 'fr'\n").unwrap();
        let (path, found) = Config::discover(&nested).unwrap().unwrap();
        assert_eq!(path, root.join("a").join(FILE_NAME));
        assert_eq!(found.locale.as_deref(), Some("fr"));
        std::fs::write(root.join("a").join(FILE_NAME), "locale = \n").unwrap();
        let err = Config::discover(&nested).unwrap_err();
        assert!(matches!(err, ConfigError::Parse { path: Some(_), .. }), "{err}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
