//! A small importer: reads an Outcomes CSV, refuses it when Canvas would report any error, and
//! otherwise prints the group tree with its outcomes.
//!
//! ```sh
//! cargo run -p outcomes-rules --example import_tree -- fixtures/samples/valid.csv
//! ```
//!
//! This is what an SIS pipeline or importer does with the library: one call gives the typed
//! records Canvas would create and every diagnostic, so the program can refuse a file for the
//! same reasons Canvas would skip rows, before anything is sent.

use std::collections::BTreeMap;
use std::process::ExitCode;

use outcomes_csv::{Group, Item, Outcome};
use outcomes_rules::{CanvasOptions, Checker, Severity};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: import_tree FILE.csv");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let import = match Checker::new(CanvasOptions::default()).import(file) {
        Ok(import) => import,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };

    // Refuse on anything Canvas would report: a skipped row leaves a half-imported bank.
    let mut errors: Vec<_> = import.checked.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    errors.sort_by_key(|d| d.row);
    if !errors.is_empty() {
        eprintln!("refusing {}: {} error(s)", path.to_string_lossy(), errors.len());
        for d in errors {
            let line = d.position.map(|p| p.line).unwrap_or_default();
            eprintln!("  line {line}: {} {}", d.rule.code(), d.message);
        }
        return ExitCode::from(1);
    }

    print!("{}", render_tree(&import.items));
    ExitCode::SUCCESS
}

/// Renders groups as a tree (roots first, in file order) with their outcomes under them.
fn render_tree(items: &[Item]) -> String {
    let mut groups: Vec<&Group> = Vec::new();
    let mut children: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    let mut outcomes: BTreeMap<Option<&str>, Vec<&Outcome>> = BTreeMap::new();
    for item in items {
        match item {
            Item::Group(group) => {
                children.entry(group.parent_guid.as_deref()).or_default().push(groups.len());
                groups.push(group);
            }
            Item::Outcome(outcome) if outcome.parent_guids.is_empty() => {
                outcomes.entry(None).or_default().push(outcome);
            }
            Item::Outcome(outcome) => {
                for parent in &outcome.parent_guids {
                    outcomes.entry(Some(parent.as_str())).or_default().push(outcome);
                }
            }
        }
    }
    let mut out = String::new();
    // An explicit stack instead of recursion: a hierarchy can be arbitrarily deep.
    let mut stack: Vec<(Option<&str>, usize)> = vec![(None, 0)];
    let mut seen = std::collections::HashSet::new();
    while let Some((guid, depth)) = stack.pop() {
        let indent = "  ".repeat(depth);
        if let Some(guid) = guid {
            let group = groups.iter().find(|g| g.vendor_guid == guid);
            if let Some(group) = group {
                out.push_str(&format!("{indent}{} [{}]\n", group.title, group.vendor_guid));
            }
        }
        let inner = if guid.is_some() { depth + 1 } else { depth };
        for outcome in outcomes.get(&guid).into_iter().flatten() {
            let mastery = outcome.mastery_points.map(|m| format!(", mastery {m}")).unwrap_or_default();
            out.push_str(&format!(
                "{}- {} [{}] ({}{mastery})\n",
                "  ".repeat(inner),
                outcome.title,
                outcome.vendor_guid,
                outcome.calculation.method
            ));
        }
        for &index in children.get(&guid).into_iter().flatten().rev() {
            let child = groups[index].vendor_guid.as_str();
            if seen.insert(child) {
                stack.push((Some(child), inner));
            }
        }
    }
    out
}
