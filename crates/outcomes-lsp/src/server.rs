//! The server: initialization, the message loop, documents and their rechecks.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Initialize, RegisterCapability, Request as _, Shutdown};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, DidChangeWatchedFilesRegistrationOptions,
    FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverProviderCapability, InitializeParams, InitializeResult,
    MarkupContent, MarkupKind, MessageType, PublishDiagnosticsParams, Registration, RegistrationParams,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, Url,
};
use outcomes_rules::Diagnostic;

use crate::actions::{self, Plans, FIX_ALL};
use crate::diagnostics::{self, Presentation};
use crate::document::{has_outcomes_header, is_csv};
use crate::hover;
use crate::position::{Encoding, LineIndex};
use crate::settings::{self, Settings};
use crate::{LspError, ServeOptions};

/// How long a due recheck may wait behind a stream of incoming messages before it runs anyway.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// What the client said it can do, as far as we care.
#[derive(Debug, Clone, Copy)]
struct Client {
    encoding: Encoding,
    presentation: Presentation,
    markdown: bool,
    document_changes: bool,
    code_action_literals: bool,
    watch_files: bool,
}

impl Client {
    fn new(params: &InitializeParams) -> Client {
        let caps = &params.capabilities;
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        Client {
            encoding: Encoding::negotiate(caps.general.as_ref().and_then(|g| g.position_encodings.as_deref())),
            presentation: Presentation {
                related_information: text
                    .and_then(|t| t.publish_diagnostics.as_ref())
                    .and_then(|p| p.related_information)
                    .unwrap_or(false),
            },
            markdown: text
                .and_then(|t| t.hover.as_ref())
                .and_then(|h| h.content_format.as_ref())
                .is_some_and(|f| f.contains(&MarkupKind::Markdown)),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            code_action_literals: text
                .and_then(|t| t.code_action.as_ref())
                .is_some_and(|c| c.code_action_literal_support.is_some()),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        }
    }
}

/// The check of one version of a document, kept for code actions and hover until it changes.
#[derive(Debug)]
struct Analysis {
    version: i32,
    settings: Settings,
    diagnostics: Vec<Diagnostic>,
    /// `diagnostics` as published, once converted.
    published: Option<Vec<lsp_types::Diagnostic>>,
    plans: Plans,
}

impl Analysis {
    /// The diagnostics as published for `text` (of this analysis's version).
    fn published(&mut self, text: &str, uri: &Url, client: &Client) -> &[lsp_types::Diagnostic] {
        self.published.get_or_insert_with(|| {
            let index = LineIndex::new(text, client.encoding);
            diagnostics::to_lsp(&self.diagnostics, text, &index, uri, client.presentation)
        })
    }
}

/// An open document.
#[derive(Debug)]
struct Document {
    text: String,
    version: i32,
    language_id: String,
    /// When it is to be checked and its diagnostics published.
    due: Option<Instant>,
    /// When it was last checked.
    checked_at: Option<Instant>,
    /// Whether we have published diagnostics for it (which must be cleared when it closes or
    /// stops being an outcomes file).
    published: bool,
    analysis: Option<Analysis>,
}

/// Whether the message loop goes on.
enum Flow {
    Continue,
    Exit,
}

pub(crate) struct Server {
    connection: Connection,
    options: ServeOptions,
    client: Client,
    workspace: Option<PathBuf>,
    documents: HashMap<Url, Document>,
    shutting_down: bool,
    /// Configuration problems already shown, so that one is not shown at every keystroke.
    reported: HashSet<String>,
    next_id: i32,
}

impl Server {
    /// Waits for `initialize` (refusing other requests meanwhile), answers it, and returns the
    /// server ready for its loop.
    pub(crate) fn initialize(connection: Connection, options: ServeOptions) -> Result<Server, LspError> {
        let (id, params) = loop {
            match connection.receiver.recv().map_err(|_| LspError::Disconnected)? {
                Message::Request(req) if req.method == Initialize::METHOD => {
                    match serde_json::from_value::<InitializeParams>(req.params) {
                        Ok(params) => break (req.id, params),
                        Err(e) => {
                            send(
                                &connection,
                                Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()),
                            )?;
                            return Err(LspError::InvalidInitialize(e));
                        }
                    }
                }
                Message::Request(req) => send(
                    &connection,
                    Response::new_err(
                        req.id,
                        ErrorCode::ServerNotInitialized as i32,
                        "the server is not initialized yet".to_owned(),
                    ),
                )?,
                Message::Notification(n) if n.method == lsp_types::notification::Exit::METHOD => {
                    return Err(LspError::ExitWithoutShutdown);
                }
                Message::Notification(_) | Message::Response(_) => {}
            }
        };
        let client = Client::new(&params);
        let result = InitializeResult {
            capabilities: capabilities(&client),
            server_info: Some(ServerInfo {
                name: "outcomes-lint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        send(&connection, Response::new_ok(id, result))?;
        #[allow(deprecated)] // `root_uri`: still what clients without workspace folders send.
        let workspace = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|f| &f.uri)
            .or(params.root_uri.as_ref())
            .and_then(|uri| uri.to_file_path().ok());
        Ok(Server {
            connection,
            options,
            client,
            workspace,
            documents: HashMap::new(),
            shutting_down: false,
            reported: HashSet::new(),
            next_id: 0,
        })
    }

    /// Handles messages until `exit`, checking documents when they are due.
    ///
    /// A document is checked only when no message is waiting (or it has waited [`MAX_DELAY`]):
    /// changes already queued are applied first, so a burst of edits costs one check, and the
    /// order of what the client sees does not depend on timing.
    pub(crate) fn run(mut self) -> Result<(), LspError> {
        loop {
            let message = match self.next_due() {
                Some(due) => match self.connection.receiver.recv_deadline(due) {
                    Ok(message) => Some(message),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return Err(LspError::Disconnected),
                },
                None => Some(self.connection.receiver.recv().map_err(|_| LspError::Disconnected)?),
            };
            if let Some(message) = message {
                if let Flow::Exit = self.handle(message)? {
                    return if self.shutting_down { Ok(()) } else { Err(LspError::ExitWithoutShutdown) };
                }
            }
            let now = Instant::now();
            let overdue = self.next_due().is_some_and(|due| now >= due + MAX_DELAY);
            if self.connection.receiver.is_empty() || overdue {
                self.check_due(now)?;
            }
        }
    }

    fn next_due(&self) -> Option<Instant> {
        self.documents.values().filter_map(|d| d.due).min()
    }

    fn handle(&mut self, message: Message) -> Result<Flow, LspError> {
        match message {
            Message::Request(req) => self.request(req).map(|()| Flow::Continue),
            Message::Notification(n) if n.method == lsp_types::notification::Exit::METHOD => Ok(Flow::Exit),
            Message::Notification(n) => self.notification(n).map(|()| Flow::Continue),
            // Answers to our registration request: nothing to do either way.
            Message::Response(_) => Ok(Flow::Continue),
        }
    }

    fn request(&mut self, req: Request) -> Result<(), LspError> {
        if self.shutting_down {
            return self.reply_err(req.id, ErrorCode::InvalidRequest, "the server is shutting down");
        }
        match req.method.as_str() {
            Shutdown::METHOD => {
                self.shutting_down = true;
                send(&self.connection, Response::new_ok(req.id, ()))
            }
            CodeActionRequest::METHOD => match serde_json::from_value(req.params) {
                Ok(params) => {
                    let result = self.code_actions(params);
                    send(&self.connection, Response::new_ok(req.id, result))
                }
                Err(e) => self.reply_err(req.id, ErrorCode::InvalidParams, &e.to_string()),
            },
            HoverRequest::METHOD => match serde_json::from_value(req.params) {
                Ok(params) => {
                    let result = self.hover(params);
                    send(&self.connection, Response::new_ok(req.id, result))
                }
                Err(e) => self.reply_err(req.id, ErrorCode::InvalidParams, &e.to_string()),
            },
            _ => self.reply_err(req.id, ErrorCode::MethodNotFound, "not supported by outcomes-lint"),
        }
    }

    fn reply_err(&self, id: RequestId, code: ErrorCode, message: &str) -> Result<(), LspError> {
        send(&self.connection, Response::new_err(id, code as i32, message.to_owned()))
    }

    fn notification(&mut self, n: Notification) -> Result<(), LspError> {
        let now = Instant::now();
        match n.method.as_str() {
            lsp_types::notification::Initialized::METHOD => self.watch_configuration()?,
            DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let doc = params.text_document;
                self.documents.insert(
                    doc.uri,
                    Document {
                        text: doc.text,
                        version: doc.version,
                        language_id: doc.language_id,
                        due: Some(now),
                        checked_at: None,
                        published: false,
                        analysis: None,
                    },
                );
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let interval = self.options.recheck_interval;
                let encoding = self.client.encoding;
                let Some(doc) = self.documents.get_mut(&params.text_document.uri) else {
                    return Ok(());
                };
                for change in params.content_changes {
                    match change.range {
                        // We ask for full sync; a client sending ranges anyway is still served.
                        Some(range) => {
                            let index = LineIndex::new(&doc.text, encoding);
                            let (start, end) = (index.offset(range.start), index.offset(range.end));
                            doc.text.replace_range(start..end.max(start), &change.text);
                        }
                        None => doc.text = change.text,
                    }
                }
                doc.version = params.text_document.version;
                // At most one check per interval: the first change after a quiet spell is
                // checked at once, the next ones when the interval since the last check is over.
                let earliest = doc.checked_at.map_or(now, |at| at + interval).max(now);
                doc.due = Some(doc.due.map_or(earliest, |due| due.min(earliest)));
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                if let Some(doc) = self.documents.remove(&params.text_document.uri) {
                    if doc.published {
                        self.publish(params.text_document.uri, Vec::new(), None)?;
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                // An `outcomes-lint.toml` changed: everything is checked again with it, and its
                // problems are worth showing again.
                self.reported.clear();
                for doc in self.documents.values_mut() {
                    doc.analysis = None;
                    doc.due = Some(now);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Asks the client to tell us when an `outcomes-lint.toml` changes, if it can.
    fn watch_configuration(&mut self) -> Result<(), LspError> {
        if !self.client.watch_files {
            return Ok(());
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{}", outcomes_rules::config::FILE_NAME)),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "outcomes-lint/configuration".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let id = RequestId::from(format!("outcomes-lint/{}", self.next_id));
        send(&self.connection, Request::new(id, RegisterCapability::METHOD.to_owned(), params))
    }

    /// Checks every document that is due and publishes its diagnostics.
    fn check_due(&mut self, now: Instant) -> Result<(), LspError> {
        let mut due: Vec<Url> = self
            .documents
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|at| at <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        due.sort();
        for uri in due {
            let Some(doc) = self.documents.get_mut(&uri) else {
                continue;
            };
            doc.due = None;
            doc.checked_at = Some(now);
            if !is_csv(&uri, &doc.language_id) {
                continue;
            }
            if !has_outcomes_header(&doc.text) {
                // Not (or no longer) an outcomes file: silent, once anything shown is cleared.
                if doc.published {
                    doc.published = false;
                    self.publish(uri, Vec::new(), None)?;
                }
                continue;
            }
            self.analyze(&uri)?;
            let Some(doc) = self.documents.get_mut(&uri) else {
                continue;
            };
            let Some(analysis) = &mut doc.analysis else {
                continue;
            };
            let diagnostics = analysis.published(&doc.text, &uri, &self.client).to_vec();
            doc.published = true;
            let version = doc.version;
            self.publish(uri, diagnostics, Some(version))?;
        }
        Ok(())
    }

    /// Makes sure `uri`'s analysis is of its current version.
    fn analyze(&mut self, uri: &Url) -> Result<(), LspError> {
        let Some(doc) = self.documents.get(uri) else {
            return Ok(());
        };
        if doc.analysis.as_ref().is_some_and(|a| a.version == doc.version) {
            return Ok(());
        }
        let dir = match uri.to_file_path() {
            Ok(path) => path.parent().map(PathBuf::from),
            Err(()) => self.workspace.clone(),
        };
        let resolved = settings::resolve(dir.as_deref());
        if let Some(problem) = resolved.problem {
            if self.reported.insert(problem.clone()) {
                let params =
                    ShowMessageParams { typ: MessageType::WARNING, message: format!("outcomes-lint: {problem}") };
                send(&self.connection, Notification::new(ShowMessage::METHOD.to_owned(), params))?;
            }
        }
        let Some(doc) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        let diagnostics = diagnostics::check(&doc.text, &resolved.settings);
        doc.analysis = Some(Analysis {
            version: doc.version,
            settings: resolved.settings,
            diagnostics,
            published: None,
            plans: Plans::default(),
        });
        Ok(())
    }

    fn publish(&self, uri: Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Result<(), LspError> {
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        send(&self.connection, Notification::new(PublishDiagnostics::METHOD.to_owned(), params))
    }

    /// Whether the server speaks about `uri` at all (and it is open).
    fn is_ours(&self, uri: &Url) -> bool {
        self.documents.get(uri).is_some_and(|d| is_csv(uri, &d.language_id) && has_outcomes_header(&d.text))
    }

    fn code_actions(&mut self, params: lsp_types::CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = params.text_document.uri;
        if !self.client.code_action_literals || !self.is_ours(&uri) || self.analyze(&uri).is_err() {
            return Vec::new();
        }
        let Some(doc) = self.documents.get_mut(&uri) else {
            return Vec::new();
        };
        let Some(analysis) = doc.analysis.as_mut() else {
            return Vec::new();
        };
        let published = analysis.published(&doc.text, &uri, &self.client).to_vec();
        let index = LineIndex::new(&doc.text, self.client.encoding);
        let wanted = params.range;
        let at_range = analysis
            .diagnostics
            .iter()
            .zip(published)
            .filter(|(_, p)| p.range.start <= wanted.end && wanted.start <= p.range.end)
            .collect();
        let request = actions::Request {
            uri: &uri,
            version: doc.version,
            text: &doc.text,
            index: &index,
            canvas: &analysis.settings.canvas,
            diagnostics: at_range,
            only: params.context.only.as_deref(),
            document_changes: self.client.document_changes,
        };
        actions::code_actions(&request, &mut analysis.plans)
    }

    fn hover(&mut self, params: lsp_types::HoverParams) -> Option<Hover> {
        let uri = params.text_document_position_params.text_document.uri;
        if !self.is_ours(&uri) || self.analyze(&uri).is_err() {
            return None;
        }
        let doc = self.documents.get(&uri)?;
        let analysis = doc.analysis.as_ref()?;
        let index = LineIndex::new(&doc.text, self.client.encoding);
        let offset = index.offset(params.text_document_position_params.position) as u64;
        let (span, text) = hover::hover(&doc.text, offset, &analysis.diagnostics)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: if self.client.markdown { MarkupKind::Markdown } else { MarkupKind::PlainText },
                value: text,
            }),
            range: Some(index.range(span)),
        })
    }
}

fn capabilities(client: &Client) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(client.encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::from(FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn send(connection: &Connection, message: impl Into<Message>) -> Result<(), LspError> {
    connection.sender.send(message.into()).map_err(|_| LspError::Disconnected)
}
