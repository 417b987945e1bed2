//! Reading Canvas LMS Outcomes CSV files exactly as Canvas does, with positions for everything.
//!
//! Canvas's outcome import (`import_type=instructure_csv`) parses files with Ruby's strict CSV
//! parser after sniffing the separator from the first line. This crate reproduces that framing
//! and syntax, streaming from any [`std::io::Read`], and keeps the byte span, line and column of
//! every record and cell so that diagnostics can point at them.
//!
//! ```
//! use outcomes_csv::{Reader, Record};
//! let file = b"title;vendor_guid;object_type\n\"Reading\";read;group\n";
//! let mut reader = Reader::new(&file[..]).unwrap();
//! assert_eq!(reader.dialect().delimiter, b';');
//! let mut record = Record::new();
//! while reader.read_record(&mut record).unwrap() {
//!     println!("row {} has {} cells", record.row(), record.len());
//! }
//! ```

mod columns;
mod dialect;
mod error;
mod model;
mod position;
mod reader;
mod record;

pub use columns::{Columns, Field, RATINGS};
pub use dialect::{Dialect, Terminator, UTF8_BOM};
pub use error::{ReadError, SyntaxError, SyntaxErrorKind};
pub use model::{CalculationSettings, Group, Item, Origin, Outcome, Rating, State};
pub use position::{count_chars, Position, Row, Span};
pub use reader::{Reader, ReaderOptions};
pub use record::{ByteClasses, Cell, Record};
