//! Turning the `FILE` arguments into the inputs to check: files, directories searched for
//! `*.csv`, glob patterns expanded by us (so `"data/**/*.csv"` works the same in every shell,
//! Windows' included), and `-` for standard input.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file (or anything else to open: a missing path fails when it is opened).
    Path(PathBuf),
}

/// An argument that names nothing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The argument, or the path under it, concerned.
    pub name: String,
    /// What went wrong.
    pub message: String,
}

/// Expands the arguments, in order. A path named twice is checked once.
///
/// - `-` is standard input;
/// - a directory is searched recursively for files ending in `.csv` (any case), in name order,
///   skipping hidden files and directories (names starting with `.`);
/// - an argument that is not an existing path and contains `*`, `?` or `[` is a glob pattern
///   (`**` matches any number of directories); it must match at least one file;
/// - anything else is a file.
pub fn expand(args: &[OsString]) -> Vec<Result<Input, InputError>> {
    let mut seen = HashSet::new();
    let mut inputs = Vec::new();
    let mut push = |inputs: &mut Vec<Result<Input, InputError>>, path: PathBuf| {
        if seen.insert(path.clone()) {
            inputs.push(Ok(Input::Path(path)));
        }
    };
    for arg in args {
        if arg == OsStr::new("-") {
            inputs.push(Ok(Input::Stdin));
            continue;
        }
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let before = inputs.len();
            for found in walk(&path) {
                match found {
                    Ok(file) => push(&mut inputs, file),
                    Err(e) => inputs.push(Err(e)),
                }
            }
            if inputs.len() == before {
                inputs
                    .push(Err(InputError { name: display(&path), message: "no .csv files in this directory".into() }));
            }
            continue;
        }
        let pattern = arg.to_str().filter(|s| s.contains(['*', '?', '[']));
        match pattern {
            Some(pattern) if !path.exists() => match glob::glob(pattern) {
                Err(e) => {
                    inputs.push(Err(InputError { name: pattern.to_owned(), message: format!("bad pattern: {e}") }))
                }
                Ok(paths) => {
                    let mut matched = false;
                    for entry in paths {
                        match entry {
                            Ok(file) if file.is_dir() => {}
                            Ok(file) => {
                                matched = true;
                                push(&mut inputs, file);
                            }
                            Err(e) => {
                                inputs.push(Err(InputError { name: display(e.path()), message: e.error().to_string() }))
                            }
                        }
                    }
                    if !matched {
                        inputs.push(Err(InputError {
                            name: pattern.to_owned(),
                            message: "no files match this pattern".into(),
                        }));
                    }
                }
            },
            _ => push(&mut inputs, path),
        }
    }
    inputs
}

/// The `*.csv` files under `dir`, in name order, hidden entries skipped.
fn walk(dir: &Path) -> Vec<Result<PathBuf, InputError>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|entry| match entry {
            Ok(e) if e.file_type().is_file() && is_csv(e.path()) => Some(Ok(e.into_path())),
            Ok(_) => None,
            Err(e) => Some(Err(InputError {
                name: e.path().map_or_else(|| display(dir), display),
                message: e.io_error().map_or_else(|| e.to_string(), ToString::to_string),
            })),
        })
        .collect()
}

fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/samples")
    }

    #[test]
    fn a_directory_yields_its_csv_files_in_name_order() {
        let inputs = expand(&[fixtures().into_os_string()]);
        let names: Vec<_> = inputs
            .iter()
            .map(|i| match i {
                Ok(Input::Path(p)) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        assert_eq!(
            names,
            vec![Some("mixed-line-endings.csv".into()), Some("skipped-rows.csv".into()), Some("valid.csv".into())]
        );
    }

    #[test]
    fn a_glob_is_expanded_and_duplicates_are_dropped() {
        let pattern = fixtures().join("v*.csv").into_os_string();
        let direct = fixtures().join("valid.csv").into_os_string();
        let inputs = expand(&[pattern, direct]);
        assert_eq!(inputs.len(), 1);
        assert!(matches!(&inputs[0], Ok(Input::Path(p)) if p.ends_with("valid.csv")));
    }

    #[test]
    fn a_pattern_that_matches_nothing_is_an_error() {
        let inputs = expand(&[fixtures().join("nothing-*.csv").into_os_string()]);
        assert!(matches!(&inputs[..], [Err(e)] if e.message == "no files match this pattern"));
    }

    #[test]
    fn dash_is_standard_input_and_a_missing_file_is_left_to_open() {
        let inputs = expand(&["-".into(), "missing.csv".into()]);
        assert_eq!(inputs, vec![Ok(Input::Stdin), Ok(Input::Path("missing.csv".into()))]);
    }
}
