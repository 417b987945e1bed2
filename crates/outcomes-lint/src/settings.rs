//! The settings one file is checked with: the nearest `outcomes-lint.toml` (or `--config`), with
//! the command line's flags on top.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use outcomes_rules::config::{Config, Selector};
use outcomes_rules::CanvasOptions;

use crate::args::{AccountArgs, RuleArgs};

/// What a file is checked with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Rule selection and account options, file and flags merged.
    pub config: Config,
    /// The account options Canvas reads the file with.
    pub options: CanvasOptions,
}

/// Finds and merges configuration, reading each directory's file once.
#[derive(Debug)]
pub struct Resolver {
    flags: Config,
    explicit: Option<Config>,
    no_config: bool,
    found: HashMap<PathBuf, Option<Config>>,
}

impl Resolver {
    /// Reads the flags (and `--config`, if given).
    pub fn new(rules: &RuleArgs, account: &AccountArgs) -> Result<Resolver, String> {
        let flags = flags_config(rules, account)?;
        let explicit = match &rules.config {
            Some(path) => Some(Config::load(path).map_err(|e| e.to_string())?),
            None => None,
        };
        let resolver = Resolver { flags, explicit, no_config: rules.no_config, found: HashMap::new() };
        // Fail early on bad account flags rather than once per file.
        resolver.settings(None)?;
        Ok(resolver)
    }

    /// The settings for a file in `dir` (standard input: the current directory).
    pub fn for_dir(&mut self, dir: &Path) -> Result<Settings, String> {
        if self.explicit.is_some() || self.no_config {
            let file = self.explicit.clone();
            return self.settings(file);
        }
        let file = match self.found.get(dir) {
            Some(found) => found.clone(),
            None => {
                let found = Config::discover(dir).map_err(|e| e.to_string())?.map(|(_, config)| config);
                self.found.insert(dir.to_owned(), found.clone());
                found
            }
        };
        self.settings(file)
    }

    fn settings(&self, file: Option<Config>) -> Result<Settings, String> {
        let config = file.unwrap_or_default().merge(self.flags.clone());
        let options = config.canvas_options().map_err(|e| e.to_string())?;
        if options.number_format.decimal_separator.is_empty() {
            return Err("the decimal separator must not be empty".into());
        }
        Ok(Settings { config, options })
    }
}

/// The flags as a configuration layer.
pub fn flags_config(rules: &RuleArgs, account: &AccountArgs) -> Result<Config, String> {
    let parse = |list: &[String]| -> Result<Vec<Selector>, String> {
        list.iter().filter(|s| !s.trim().is_empty()).map(|s| s.trim().parse().map_err(|e| format!("{e}"))).collect()
    };
    Ok(Config {
        select: parse(&rules.select)?,
        ignore: parse(&rules.ignore)?,
        warn_as_error: parse(&rules.warn_as_error)?,
        locale: account.locale.clone(),
        new_decaying_average: account.new_decaying_average.then_some(true),
        decimal_separator: account.decimal_separator.clone(),
        thousands_delimiter: account.thousands_delimiter.clone(),
    })
}

/// The directory whose configuration applies to `path`.
pub fn config_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}
