//! Number formats of the locales Canvas ships, as its Outcomes CSV import uses them.
//!
//! Canvas parses rating points and `mastery_points` with `normalize_i18n` in
//! `lib/outcomes/csv_importer.rb` (repository `instructure/canvas-lms`): a blank value is
//! rejected, then every occurrence of `I18n.t("number.format.delimiter")` is deleted, then every
//! occurrence of `I18n.t("number.format.separator")` is replaced by `.`, and the result goes to
//! Ruby `Float()`. Both replacements are literal (`String#gsub` with a string pattern) and the
//! delimiter goes first, so in `de` the text `1.5` becomes `15`, and in `fr` every space,
//! including leading and trailing ones, disappears. `I18n.t` reads the current `I18n.locale`,
//! which `OutcomeImport#run` (`app/models/outcome_import.rb`) sets from the account's
//! `default_locale` (for a course import, the course's account's) when one is set; otherwise it
//! stays at the default, `en`.
//!
//! The table below was read from each locale's `number.format` block in
//! `config/locales/<code>.yml` of `instructure/canvas-lms`; the commit of the copy read is noted
//! on each entry. `en` takes its values from the Rails default locale (activesupport's `en.yml`),
//! which Canvas's own `config/locales/en.yml` does not override. The locale files are written by
//! `ya2yaml` (`lib/tasks/i18n.rake`), which double-quotes a lone ASCII space but would leave a
//! no-break space (U+00A0) or narrow no-break space (U+202F) unquoted; every space delimiter
//! below appears quoted (`delimiter: " "`), so it is U+0020. Canvas's own importer spec
//! (`spec/lib/outcomes/csv_importer_spec.rb`) agrees: with `I18n.locale = 'fr'` it expects the
//! rating ` 123 456,5678 ` to import as `123456.5678`.
//!
//! Canvas also ships `ga`, `he`, `hi`, `ht`, `hu`, `hy`, `id`, `is`, `ko`, `mi`, `ms`, `nb-x-k12`,
//! `nn`, `sl`, `sv-x-k12`, `th`, `tr`, `uk`, `vi` and `zh-Hant` (`config/locales/`); their number
//! formats have not been read yet, so they are left out rather than guessed: several translated
//! locales keep the English `.`/`,` (`es`, `it`, `pt-BR`, `fi`, ...), so the usual national
//! convention is no safe guess. [`lookup`] returns `None` for them, except that the `-x-k12`
//! variants resolve to `nb` and `sv` (as `da-x-k12`, read, matches `da`).
//!
//! Canvas's I18n backend includes `I18n::Backend::Fallbacks` (`config/initializers/i18n.rb`), so
//! a locale without its own number format uses its parent's (`da-x-k12` to `da`, `fr-CA` to
//! `fr`) and finally `en`; [`lookup`] follows the same path for codes missing from the table.

/// Number formats per locale: (locale code, decimal separator, thousands delimiter), sorted by
/// code.
pub(crate) const LOCALES: &[(&str, &str, &str)] = &[
    // config/locales/ar.yml @ 00b222d77ee4
    ("ar", ".", ","),
    // config/locales/ca.yml @ 0189f6f6e2c2
    ("ca", ".", ","),
    // config/locales/cy.yml @ 00177b8a43ed
    ("cy", ".", ","),
    // config/locales/da.yml @ a8f069d9c157
    ("da", ",", "."),
    // config/locales/da-x-k12.yml @ 0088c23eacf4
    ("da-x-k12", ",", "."),
    // config/locales/de.yml @ 00b222d77ee4
    ("de", ",", "."),
    // config/locales/el.yml @ 00bb6ee98ab7
    ("el", ".", ","),
    // Rails default number.format (activesupport en.yml, known value, not fetched here); Canvas config/locales/en.yml @ 049fb41c115b has no number block
    ("en", ".", ","),
    // config/locales/en-AU.yml @ 00a45afa3e90
    ("en-AU", ".", ","),
    // config/locales/en-CA.yml @ 0103a9be77bf
    ("en-CA", ".", ","),
    // config/locales/en-GB.yml @ 001c5f98fd9b
    ("en-GB", ".", ","),
    // config/locales/es.yml @ 009df1d49518
    ("es", ".", ","),
    // config/locales/es-ES.yml @ 018d0a35034b
    ("es-ES", ".", ","),
    // config/locales/fa.yml @ 0088c23eacf4
    ("fa", ".", ","),
    // config/locales/fi.yml @ 0088c23eacf4
    ("fi", ".", ","),
    // config/locales/fr.yml @ 00c09c68b1a6
    ("fr", ",", " "),
    // config/locales/fr-CA.yml @ 015ea4deb653
    ("fr-CA", ",", " "),
    // config/locales/it.yml @ 03215eb63426
    ("it", ".", ","),
    // config/locales/ja.yml @ 008edcfeb574 (older copy)
    ("ja", ".", ","),
    // config/locales/nb.yml @ 0088c23eacf4
    ("nb", ",", " "),
    // config/locales/nl.yml @ 003a9290970b
    ("nl", ",", "."),
    // config/locales/pl.yml @ 01f7c4a39893
    ("pl", ",", " "),
    // config/locales/pt.yml @ 00c0456077cc (older copy)
    ("pt", ".", ","),
    // config/locales/pt-BR.yml @ 00b222d77ee4
    ("pt-BR", ".", ","),
    // config/locales/ru.yml @ 015ea4deb653
    ("ru", ",", " "),
    // config/locales/sv.yml @ 00e0c6b81709
    ("sv", ",", " "),
    // config/locales/zh-Hans.yml @ 00b222d77ee4
    ("zh-Hans", ".", ","),
];

/// Finds the number format Canvas uses for `locale`, as `(decimal separator, thousands
/// delimiter)`.
///
/// Tries, in order: an exact match; a match ignoring ASCII case and treating `_` like `-`; then
/// the same with the last `-`/`_` part dropped, repeatedly (`en-AU-x-unimelb` → `en-AU`,
/// `fr-BE` → `fr`), which is how Canvas's I18n fallbacks walk up to a parent locale. Returns
/// `None` when nothing matches, including for an empty string; Canvas itself would then use
/// `en` (`NumberFormat::en`).
pub fn lookup(locale: &str) -> Option<(&'static str, &'static str)> {
    if let Some(&(_, separator, delimiter)) = LOCALES.iter().find(|(code, _, _)| *code == locale) {
        return Some((separator, delimiter));
    }
    let mut candidate = locale;
    loop {
        if candidate.is_empty() {
            return None;
        }
        if let Some(&(_, separator, delimiter)) = LOCALES.iter().find(|(code, _, _)| same_locale(code, candidate)) {
            return Some((separator, delimiter));
        }
        match candidate.rfind(['-', '_']) {
            Some(end) => candidate = &candidate[..end],
            None => return None,
        }
    }
}

/// The locale codes in the table, in sorted order.
pub fn known_locales() -> impl Iterator<Item = &'static str> {
    LOCALES.iter().map(|&(code, _, _)| code)
}

/// Whether two locale codes are equal ignoring ASCII case, with `_` and `-` interchangeable.
fn same_locale(a: &str, b: &str) -> bool {
    fn fold(byte: u8) -> u8 {
        if byte == b'_' {
            b'-'
        } else {
            byte.to_ascii_lowercase()
        }
    }
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| fold(x) == fold(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_uses_point_and_comma() {
        assert_eq!(lookup("en"), Some((".", ",")));
    }

    #[test]
    fn french_uses_comma_and_an_ascii_space() {
        assert_eq!(lookup("fr"), Some((",", " ")));
        assert_eq!(lookup("fr").map(|(_, delimiter)| delimiter.as_bytes()), Some(&b" "[..]));
    }

    #[test]
    fn german_swaps_english_marks() {
        assert_eq!(lookup("de"), Some((",", ".")));
    }

    #[test]
    fn case_and_underscore_are_ignored() {
        assert_eq!(lookup("EN_gb"), lookup("en-GB"));
        assert!(lookup("en-GB").is_some());
    }

    #[test]
    fn missing_region_falls_back_to_language() {
        assert_eq!(lookup("fr-BE"), lookup("fr"));
        assert_eq!(lookup("de_AT"), lookup("de"));
    }

    #[test]
    fn private_use_suffix_falls_back_one_part_at_a_time() {
        assert_eq!(lookup("en-AU-x-unimelb"), lookup("en-AU"));
    }

    #[test]
    fn unknown_locales_are_none() {
        assert_eq!(lookup("xx"), None);
        assert_eq!(lookup("xx-YY"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("-"), None);
    }

    #[test]
    fn table_is_sorted_unique_and_usable() {
        for pair in LOCALES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for &(code, separator, delimiter) in LOCALES {
            assert!(!separator.is_empty(), "{code}: empty separator");
            assert_ne!(separator, delimiter, "{code}: separator equals delimiter");
            assert_eq!(lookup(code), Some((separator, delimiter)), "{code}");
        }
    }

    #[test]
    fn known_locales_lists_the_table() {
        assert_eq!(known_locales().count(), LOCALES.len());
        assert!(known_locales().any(|code| code == "en"));
        assert!(known_locales().any(|code| code == "fr"));
    }
}
