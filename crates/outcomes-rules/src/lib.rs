//! Checks for Canvas LMS Outcomes CSV files.
//!
//! This crate turns the records read by [`outcomes_csv`] into what Canvas's outcome import would
//! report (`processing_errors`, byte for byte) and into richer diagnostics of our own.

mod locale;
pub mod options;
pub mod ruby;
mod text;

pub use options::{CanvasOptions, NumberFormat};
pub mod canvas;
pub mod config;
pub mod diagnostic;
pub mod lints;
pub mod registry;
pub mod view;

pub use canvas::{
    check_bytes, check_reader, CanvasReport, CheckError, Checked, Checker, Event, Summary,
    WorkflowState,
};
pub use config::{Config, ConfigError, Selector};
pub use diagnostic::{CanvasError, Diagnostic, Related};
pub use lints::LintSelection;
pub use registry::{Rule, Scope, Severity};
