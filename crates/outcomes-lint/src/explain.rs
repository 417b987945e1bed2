//! `outcomes-lint explain CODE` and `outcomes-lint rules`: the rule registry, for people.

use std::io::{self, Write};

use outcomes_rules::{Rule, Scope};

/// The width `explain` wraps its text at.
const WIDTH: usize = 100;

/// Writes what a rule finds, what Canvas does, its default severity and how to fix it.
pub fn explain(out: &mut dyn Write, rule: Rule) -> io::Result<()> {
    writeln!(out, "{} {}", rule.code(), rule.name())?;
    writeln!(out)?;
    writeln!(out, "{}", textwrap::fill(rule.summary(), WIDTH))?;
    writeln!(out)?;
    for (label, text) in [
        ("What Canvas does: ", what_canvas_does(rule.scope())),
        ("Default severity: ", rule.default_severity().as_str()),
        ("How to fix it:    ", rule.help()),
    ] {
        let options = textwrap::Options::new(WIDTH).initial_indent(label).subsequent_indent("                  ");
        writeln!(out, "{}", textwrap::fill(text, options))?;
    }
    Ok(())
}

fn what_canvas_does(scope: Scope) -> &'static str {
    match scope {
        Scope::File => "the whole import fails (workflow_state \"failed\"); the error is reported at row 1.",
        Scope::Row => "the row is skipped and the error is reported at its row; every other row still imports.",
        Scope::Lint => "nothing; this is outcomes-lint's own finding.",
    }
}

/// Writes one line per rule: code, default severity, scope, name and summary.
pub fn rules(out: &mut dyn Write) -> io::Result<()> {
    for rule in Rule::ALL {
        let scope = match rule.scope() {
            Scope::File => "file",
            Scope::Row => "row",
            Scope::Lint => "lint",
        };
        writeln!(
            out,
            "{}  {:<7}  {:<4}  {:<30}  {}",
            rule.code(),
            rule.default_severity().as_str(),
            scope,
            rule.name(),
            rule.summary()
        )?;
    }
    Ok(())
}

/// A rule code or name close to `wanted`, to suggest when no rule has that exact one.
pub fn suggest(wanted: &str) -> Option<Rule> {
    let wanted = wanted.trim().to_ascii_lowercase();
    // `23`, `ol23`, `OL0023`: the number is what counts.
    let digits = wanted.strip_prefix("ol").unwrap_or(&wanted);
    if let Ok(n) = digits.parse::<u32>() {
        let code = format!("OL{n:03}");
        if let Some(rule) = Rule::find(&code) {
            return Some(rule);
        }
    }
    let wanted_name = wanted.replace(['_', ' '], "-");
    Rule::ALL
        .iter()
        .copied()
        .map(|rule| {
            let by_name = distance(&wanted_name, rule.name());
            let by_code = distance(&wanted, &rule.code().to_ascii_lowercase());
            (by_name.min(by_code), rule)
        })
        .filter(|(d, _)| *d <= (wanted.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, rule)| rule)
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_fix_numbers_and_typos() {
        assert_eq!(suggest("23"), Some(Rule::ParentNotFound));
        assert_eq!(suggest("ol23"), Some(Rule::ParentNotFound));
        assert_eq!(suggest("parent-not-fund"), Some(Rule::ParentNotFound));
        assert_eq!(suggest("parent_not_found"), Some(Rule::ParentNotFound));
        assert_eq!(suggest("giraffe"), None);
    }
}
