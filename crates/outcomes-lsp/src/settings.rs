//! The settings a document is checked with: the nearest `outcomes-lint.toml`, read the same way
//! as `outcomes-lint check` reads it.

use std::path::{Path, PathBuf};

use outcomes_rules::config::FILE_NAME;
use outcomes_rules::{CanvasOptions, Config};

/// Rule selection, severities and account options for one document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    /// Which rules are shown and how severe they are.
    pub(crate) config: Config,
    /// The account options Canvas reads the file with.
    pub(crate) canvas: CanvasOptions,
}

/// What was found looking for the configuration: the settings (defaults when there is no file,
/// or when it cannot be used) and, when it cannot be used, why — for the editor to show.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) settings: Settings,
    pub(crate) problem: Option<String>,
}

/// Finds the `outcomes-lint.toml` nearest to `dir` (the document's directory, or the workspace's
/// for a document that is not a file) and reads it. A file that cannot be read or used is
/// reported and the defaults used, so that a typo in the configuration does not silence
/// Canvas's errors.
pub(crate) fn resolve(dir: Option<&Path>) -> Resolved {
    let Some(dir) = dir else {
        return Resolved { settings: Settings::default(), problem: None };
    };
    let (path, config) = match Config::discover(dir) {
        Ok(Some((path, config))) => (Some(path), config),
        Ok(None) => (None, Config::default()),
        Err(e) => {
            return Resolved {
                settings: Settings::default(),
                problem: Some(format!("{e}; checking with the default settings")),
            }
        }
    };
    let canvas = config.canvas_options().map_err(|e| e.to_string()).and_then(|canvas| {
        if canvas.number_format.decimal_separator.is_empty() {
            Err("the decimal separator must not be empty".to_owned())
        } else {
            Ok(canvas)
        }
    });
    match canvas {
        Ok(canvas) => Resolved { settings: Settings { config, canvas }, problem: None },
        Err(e) => {
            let file = path.unwrap_or_else(|| PathBuf::from(FILE_NAME));
            Resolved {
                settings: Settings { config, canvas: CanvasOptions::default() },
                problem: Some(format!("{}: {e}; checking with the default account options", file.display())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcomes_rules::Rule;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("outcomes-lsp-settings-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        dir
    }

    #[test]
    fn reads_the_nearest_file() {
        let dir = scratch("nearest");
        std::fs::write(dir.join(FILE_NAME), "locale = 'fr'\nignore = ['OL113']\n").unwrap();
        let resolved = resolve(Some(&dir.join("sub")));
        assert!(resolved.problem.is_none());
        assert_eq!(resolved.settings.canvas.number_format.decimal_separator, ",");
        assert!(!resolved.settings.config.is_selected(Rule::EmptyGroup));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unusable_file_is_reported_and_the_defaults_used() {
        let dir = scratch("broken");
        std::fs::write(dir.join(FILE_NAME), "selekt = ['ALL']\n").unwrap();
        let resolved = resolve(Some(&dir));
        assert!(resolved.problem.unwrap().contains("selekt"));
        assert!(resolved.settings.config.is_selected(Rule::EmptyGroup));

        std::fs::write(dir.join(FILE_NAME), "locale = 'xx-nowhere'\n").unwrap();
        let resolved = resolve(Some(&dir));
        assert!(resolved.problem.unwrap().contains("xx-nowhere"));
        assert_eq!(resolved.settings.canvas, CanvasOptions::default());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
