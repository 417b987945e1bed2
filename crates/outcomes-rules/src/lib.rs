//! Checks for Canvas LMS Outcomes CSV files: what Canvas's outcome import would say, exactly,
//! and more.
//!
//! This crate turns the records read by [`outcomes_csv`] into
//!
//! - Canvas's verdict and `processing_errors`, byte for byte ([`Checked::canvas_report`]);
//! - [`Diagnostic`]s with a stable rule code, the cell's place, why, and how to fix it — Canvas's
//!   own errors plus [lints] for what Canvas accepts but users regret;
//! - for importers, the typed [`Group`](outcomes_csv::Group) and
//!   [`Outcome`](outcomes_csv::Outcome) records Canvas would create ([`Checker::import`]).
//!
//! # Check a file
//!
//! ```
//! use outcomes_rules::{CanvasOptions, Checker, WorkflowState};
//!
//! let file = "vendor_guid,object_type,title,parent_guids\n\
//!             math,group,Mathematics,\n\
//!             add,outcome,Addition,algebra\n";
//! let checked = Checker::new(CanvasOptions::default()).check(file.as_bytes())?;
//!
//! // Exactly what Canvas's API would answer.
//! let report = checked.canvas_report();
//! assert_eq!(report.workflow_state, WorkflowState::Succeeded);
//! assert_eq!(report.processing_errors[0].row, 3);
//! assert_eq!(
//!     report.processing_errors[0].message,
//!     r#"Parent references not found prior to this row: ["algebra"]"#
//! );
//!
//! // And where it is, for people.
//! let diagnostic = &checked.diagnostics[0];
//! assert_eq!(diagnostic.rule.code(), "OL023");
//! assert_eq!(diagnostic.field.as_deref(), Some("parent_guids"));
//! let position = diagnostic.position.unwrap();
//! assert_eq!((position.line, position.column), (3, 22));
//! # Ok::<(), outcomes_rules::CheckError>(())
//! ```
//!
//! [`Checker::check_path`] streams a file from disk, [`Checker::check`] any reader,
//! [`Checker::check_bytes`] (or [`check_bytes`]) bytes in memory.
//!
//! # Stream typed records
//!
//! [`Checker::run`] streams [`Event`]s: diagnostics, and — with [`Checker::with_items`] — every
//! group and outcome Canvas would import, in file order, with memory bounded by one record and
//! the guids seen. [`Checker::import`] collects both.
//!
//! ```
//! use outcomes_csv::Item;
//! use outcomes_rules::{CanvasOptions, Checker, Event};
//!
//! let file = "vendor_guid,object_type,title,parent_guids,calculation_method,calculation_int\n\
//!             math,group,Mathematics,,,\n\
//!             add,outcome,Addition,math,n_mastery,\n";
//! let mut titles = Vec::new();
//! Checker::new(CanvasOptions::default()).with_items(true).run(file.as_bytes(), |event| {
//!     if let Event::Item(Item::Outcome(outcome)) = event {
//!         // Canvas's defaults are filled in: n_mastery takes 5 when no int is given.
//!         assert_eq!(outcome.calculation.int, Some(5));
//!         titles.push(outcome.title);
//!     }
//! })?;
//! assert_eq!(titles, ["Addition"]);
//! # Ok::<(), outcomes_rules::CheckError>(())
//! ```
//!
//! # Account settings
//!
//! Canvas reads numbers with the account locale and picks calculation defaults from a feature
//! flag; both are [`CanvasOptions`]:
//!
//! ```
//! use outcomes_rules::{check_bytes, CanvasOptions, NumberFormat};
//!
//! let file = b"vendor_guid,object_type,title,mastery_points,ratings,,,\n\
//!              add,outcome,Addition,\"2,5\",3,Exceeds,\"2,5\",Meets\n";
//! let french = CanvasOptions {
//!     number_format: NumberFormat::for_locale("fr").unwrap(),
//!     ..CanvasOptions::default()
//! };
//! assert!(check_bytes(file, &french).diagnostics.is_empty());
//! // Under `en`, `2,5` is 25: the second tier is now above the first, and Canvas skips the row.
//! let english = check_bytes(file, &CanvasOptions::default()).canvas_report();
//! assert_eq!(
//!     english.processing_errors[0].message,
//!     "Points for tier 2 must be less than points for prior tier (25.0 is greater than 3.0)"
//! );
//! ```

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
    check_bytes, check_reader, CanvasReport, CheckError, Checked, Checker, Event, Import, Summary, WorkflowState,
};
pub use config::{Config, ConfigError, Selector};
pub use diagnostic::{CanvasError, Diagnostic, Related};
pub use lints::LintSelection;
pub use registry::{Rule, Scope, Severity};
