//! A language server for Canvas LMS Outcomes CSV files: what Canvas's outcome import would say
//! about the file, shown in the editor as you type, with the repairs of `outcomes-lint fix` as
//! code actions. `outcomes-lint lsp` runs it over standard input and output.
//!
//! # What it does
//!
//! - **Diagnostics** on open and on every change (full-document sync), from the same checker and
//!   configuration as `outcomes-lint check`: the range is the cell (or header cell, or record)
//!   exactly, converted from byte spans to LSP positions (UTF-16 columns, or UTF-8 when the client
//!   offers it; lines end at `\n`, `\r\n` or `\r`); the severity is the rule's (`error`,
//!   `warning`, `information`), after `warn-as-error`; the code is the rule's (`OL023`); the
//!   source is `outcomes-lint`; the message is Canvas's exact text for Canvas's errors, followed
//!   by the note and the help on lines of their own; related places (where a parent group is
//!   really defined, where a duplicate first appeared) are `relatedInformation`, or lines of the
//!   message for clients that do not show it. A fixed file gets an empty list; so does a closed
//!   one. The text checked is the editor's: an editor that strips a UTF-8 BOM from what it holds
//!   (most do) sends it without one, which changes nothing Canvas reports (it skips the BOM).
//! - **Rechecks are throttled**: a document is checked at most once per
//!   [`ServeOptions::recheck_interval`] (200 ms by default) while it is being edited — the first
//!   change after a pause at once, later ones when the interval is over — and always ends with
//!   the diagnostics of its last version (published with that version). Messages already waiting
//!   in the connection when a check is due are handled first, so a burst of queued edits costs
//!   one check.
//! - **Only outcomes files**: a document is checked when it is CSV (language `csv`, or a path
//!   ending in `.csv`) and its first line, lower-cased with spaces and hyphens read as
//!   underscores, contains `vendor_guid` or `object_type`. The server publishes nothing at all
//!   for other CSV files (and clears what it showed when a file stops qualifying).
//! - **Configuration**: the `outcomes-lint.toml` nearest to the document's directory (or the
//!   workspace's, for unsaved documents) decides the rules shown, their severities and the
//!   account options (`locale`, `new-decaying-average`), exactly as for the command line. It is
//!   read again at every check, and when the client can watch files, a change to it rechecks
//!   every open document. A file that cannot be used is shown once as a warning message and the
//!   defaults are used: a typo in the configuration never silences Canvas's errors.
//! - **Code actions**: each finding that a fix of [`outcomes_fix`] repairs gets a quick fix
//!   (`Change object_type "Group" to "group"`, `Move group "sci.lab" from row 6 up to row 3, …`,
//!   `Add the 3 missing cells to row 2`); when that fix repairs other rows too, `Fix all N …
//!   findings`; and `Apply all safe fixes` (kind
//!   `source.fixAll.outcomes-lint`, so it can run on save) does what `outcomes-lint fix` would.
//!   Edits replace only the bytes that change.
//! - **Hover** on a guid of a `parent_guids` cell names the group (title, row, line), or says that
//!   it is defined later than the row, is an outcome, or is defined nowhere in the file — and,
//!   when Canvas would skip the row for it, Canvas's message.
//!
//! # Why synchronous
//!
//! The server is built on `lsp-server` and `lsp-types`, the scaffold rust-analyzer uses: a
//! JSON-RPC transport over crossbeam channels, with the message loop left to us. It needs no
//! async runtime, and an async one would buy nothing: the work is CPU-bound and takes
//! milliseconds (the checker reads tens of megabytes a second), the server talks to one client,
//! and one thread handling messages in order makes the sequence of what the client sees
//! deterministic — which the tests rely on — with no locking around the documents.
//!
//! # Example
//!
//! In-process, over a pair of in-memory connections, as the tests do:
//!
//! ```
//! use lsp_server::{Connection, Message, Notification, Request};
//! use serde_json::json;
//!
//! let (server, client) = Connection::memory();
//! let thread = std::thread::spawn(move || outcomes_lsp::serve(server));
//! client.sender.send(Request::new(1.into(), "initialize".into(), json!({"capabilities": {}})).into()).unwrap();
//! client.receiver.recv().unwrap(); // the InitializeResult
//! client.sender.send(Notification::new("initialized".into(), json!({})).into()).unwrap();
//! client.sender.send(Notification::new("textDocument/didOpen".into(), json!({"textDocument": {
//!     "uri": "file:///tmp/outcomes.csv", "languageId": "csv", "version": 1,
//!     "text": "vendor_guid,object_type,title,parent_guids\nadd,outcome,Add,math\n",
//! }})).into()).unwrap();
//! let Message::Notification(published) = client.receiver.recv().unwrap() else { panic!() };
//! assert_eq!(published.method, "textDocument/publishDiagnostics");
//! assert_eq!(published.params["diagnostics"][0]["code"], "OL023");
//! assert_eq!(published.params["diagnostics"][0]["range"]["start"], json!({"line": 1, "character": 16}));
//! client.sender.send(Request::new(2.into(), "shutdown".into(), json!(null)).into()).unwrap();
//! client.receiver.recv().unwrap();
//! client.sender.send(Notification::new("exit".into(), json!(null)).into()).unwrap();
//! thread.join().unwrap().unwrap();
//! ```

mod actions;
mod diagnostics;
mod document;
mod hover;
mod position;
mod server;
mod settings;

use std::time::Duration;

use lsp_server::Connection;

/// How often, at most, a document being edited is checked again, by default.
pub const RECHECK_INTERVAL: Duration = Duration::from_millis(200);

/// Why the server stopped other than by `shutdown` then `exit`.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client closed the connection (or standard input) without `exit`.
    #[error("the client closed the connection without `shutdown` and `exit`")]
    Disconnected,
    /// The client sent `exit` without `shutdown` first; LSP asks for exit status 1.
    #[error("the client sent `exit` without `shutdown`")]
    ExitWithoutShutdown,
    /// The `initialize` request's parameters could not be read.
    #[error("invalid `initialize` parameters: {0}")]
    InvalidInitialize(serde_json::Error),
    /// Reading standard input or writing standard output failed.
    #[error("standard input or output failed: {0}")]
    Io(#[from] std::io::Error),
}

/// How the server behaves; [`Default`] is what `outcomes-lint lsp` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// A document being edited is checked at most once per this interval.
    pub recheck_interval: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { recheck_interval: RECHECK_INTERVAL }
    }
}

/// Runs the server over the process's standard input and output until the client sends `exit`.
///
/// `Ok` after `shutdown` then `exit`; an error otherwise (the process should then exit with
/// status 1). Standard output carries the protocol: write nothing else to it.
pub fn serve_stdio() -> Result<(), LspError> {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(connection);
    // The connection is dropped by now, which lets the writer thread finish; after `exit` the
    // reader thread has stopped too.
    match served {
        Ok(()) => {
            io_threads.join()?;
            Ok(())
        }
        // The reader may be blocked on standard input still: do not wait for it.
        Err(e) => Err(e),
    }
}

/// Runs the server over `connection` (e.g. one of [`Connection::memory`]'s pair) with the
/// default options, until `exit`. See [`serve_with`].
pub fn serve(connection: Connection) -> Result<(), LspError> {
    serve_with(connection, ServeOptions::default())
}

/// Runs the server over `connection` until `exit`: waits for `initialize`, answers it, then
/// handles messages. `Ok` after `shutdown` then `exit`, [`LspError::ExitWithoutShutdown`] after
/// an `exit` alone, [`LspError::Disconnected`] when the client goes away.
pub fn serve_with(connection: Connection, options: ServeOptions) -> Result<(), LspError> {
    server::Server::initialize(connection, options)?.run()
}
