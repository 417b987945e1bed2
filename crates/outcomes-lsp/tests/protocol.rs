//! The server driven in-process as an editor drives it, over `Connection::memory()`: JSON
//! messages in, JSON messages out, every wait bounded so that a hung server fails the test.
//! (`crates/outcomes-lint/tests/lsp.rs` does the same through the real binary's stdio.)

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use outcomes_lsp::{serve_with, LspError, ServeOptions};
use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(20);

/// A file with known problems: a parent defined later (OL023, and the OL101 info), an object_type
/// in the wrong case (OL020), and an emoji before the OL023 cell so that UTF-16 columns, UTF-8
/// columns and characters all differ. CRLF line endings.
const SAMPLE: &str = "vendor_guid,object_type,title,parent_guids\r\n\
                      sci,group,Science,\r\n\
                      sci.1,outcome,Lab safety 🧪,sci.lab\r\n\
                      sci.2,Outcome,Measuring,sci\r\n\
                      sci.lab,group,Laboratory,sci\r\n";

/// SAMPLE after every fix.
const FIXED: &str = "vendor_guid,object_type,title,parent_guids\r\n\
                     sci,group,Science,\r\n\
                     sci.lab,group,Laboratory,sci\r\n\
                     sci.1,outcome,Lab safety 🧪,sci.lab\r\n\
                     sci.2,outcome,Measuring,sci\r\n";

const URI: &str = "file:///nowhere/outcomes.csv";

struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), LspError>>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    notifications: VecDeque<Notification>,
    initialize_result: Value,
}

impl Client {
    fn start(capabilities: Value) -> Client {
        Client::start_queued(capabilities, ServeOptions::default(), &[])
    }

    /// Starts a server after queueing `initialized` and then `queued` notifications behind
    /// `initialize`, so that the server finds them all waiting.
    fn start_queued(capabilities: Value, options: ServeOptions, queued: &[(&str, Value)]) -> Client {
        let (server, client) = Connection::memory();
        let mut this = Client {
            connection: client,
            server: None,
            next_id: 0,
            notifications: VecDeque::new(),
            initialize_result: Value::Null,
        };
        let id =
            this.send_request("initialize", json!({"capabilities": capabilities, "rootUri": null, "processId": null}));
        this.notify("initialized", json!({}));
        for (method, params) in queued {
            this.notify(method, params.clone());
        }
        this.server = Some(std::thread::spawn(move || serve_with(server, options)));
        let response = this.response(id);
        this.initialize_result = response.response_result.expect("initialize result");
        this
    }

    fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection.sender.send(Request::new(id.clone(), method.to_owned(), params).into()).expect("server gone");
        id
    }

    fn notify(&self, method: &str, params: Value) {
        self.connection.sender.send(Notification::new(method.to_owned(), params).into()).expect("server gone");
    }

    fn receive(&mut self) -> Message {
        match self.connection.receiver.recv_timeout(TIMEOUT) {
            Ok(message) => message,
            Err(e) => panic!("no message from the server within {TIMEOUT:?}: {e}"),
        }
    }

    fn response(&mut self, id: RequestId) -> Response {
        loop {
            match self.receive() {
                Message::Response(r) if r.id == id => return r,
                Message::Notification(n) => self.notifications.push_back(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        match response.response_result {
            Ok(result) => result,
            Err(e) => panic!("{method} failed: {e:?}"),
        }
    }

    fn notification(&mut self, method: &str) -> Value {
        if let Some(i) = self.notifications.iter().position(|n| n.method == method) {
            return self.notifications.remove(i).expect("present").params;
        }
        loop {
            match self.receive() {
                Message::Notification(n) if n.method == method => return n.params,
                Message::Notification(n) => self.notifications.push_back(n),
                Message::Request(r) if r.method == "client/registerCapability" => {
                    self.connection.sender.send(Response::new_ok(r.id, Value::Null).into()).expect("server gone");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let params = self.notification("textDocument/publishDiagnostics");
            if params["uri"] == uri {
                return params;
            }
        }
    }

    fn open(&self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn code_actions(&mut self, uri: &str, range: Value, only: Option<Value>) -> Vec<Value> {
        let mut context = json!({"diagnostics": []});
        if let Some(only) = only {
            context["only"] = only;
        }
        let result = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        );
        result.as_array().cloned().unwrap_or_default()
    }

    /// `shutdown`, `exit`, and the server's result; every notification left is returned.
    fn shutdown(mut self) -> (Result<(), LspError>, Vec<Notification>) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let result = self.server.take().expect("running").join().expect("no panic");
        while let Ok(Message::Notification(n)) = self.connection.receiver.try_recv() {
            self.notifications.push_back(n);
        }
        (result, self.notifications.into_iter().collect())
    }
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

/// (code, severity, range) of every diagnostic.
fn summary(published: &Value) -> Vec<(String, u64, Value)> {
    published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["severity"].as_u64().expect("severity"),
                d["range"].clone(),
            )
        })
        .collect()
}

/// The byte offset of an LSP position (UTF-16 columns; lines end at \n, \r\n or \r).
fn offset(text: &str, line: u64, character: u64) -> usize {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            starts.push(i + 1);
        }
        i += 1;
    }
    let start = starts[line as usize];
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies a code action's edits (for `uri`) to `text`.
fn apply(text: &str, action: &Value, uri: &str) -> String {
    let edit = &action["edit"];
    let edits: Vec<Value> = if let Some(changes) = edit["documentChanges"].as_array() {
        changes
            .iter()
            .filter(|c| c["textDocument"]["uri"] == uri)
            .flat_map(|c| c["edits"].as_array().cloned().unwrap_or_default())
            .collect()
    } else {
        edit["changes"][uri].as_array().cloned().unwrap_or_default()
    };
    let mut out = text.to_owned();
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let at = |p: &Value| {
                offset(text, p["line"].as_u64().expect("line"), p["character"].as_u64().expect("character"))
            };
            (at(&r["start"]), at(&r["end"]), e["newText"].as_str().expect("newText").to_owned())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

fn full_capabilities() -> Value {
    json!({
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}}
        },
        "workspace": {"workspaceEdit": {"documentChanges": true}}
    })
}

#[test]
fn initialize_announces_full_sync_utf16_code_actions_and_hover() {
    let client = Client::start(json!({}));
    let caps = &client.initialize_result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"], json!(["quickfix", "source.fixAll.outcomes-lint"]));
    assert_eq!(client.initialize_result["serverInfo"]["name"], "outcomes-lint");
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn diagnostics_have_exact_ranges_codes_severities_and_related_places() {
    let mut client = Client::start(full_capabilities());
    client.open(URI, "csv", SAMPLE);
    let published = client.diagnostics(URI);
    assert_eq!(published["version"], 1);
    assert_eq!(
        summary(&published),
        [
            ("OL023".to_owned(), 1, range((2, 28), (2, 35))),
            ("OL020".to_owned(), 1, range((3, 6), (3, 13))),
            ("OL101".to_owned(), 3, range((4, 0), (4, 7))),
        ]
    );
    let parent = &published["diagnostics"][0];
    assert_eq!(parent["source"], "outcomes-lint");
    let message = parent["message"].as_str().unwrap();
    assert!(message.starts_with("Parent references not found prior to this row: [\"sci.lab\"]\n"), "{message}");
    assert!(message.contains("\nhelp: Move the parent group's row above this one"), "{message}");
    assert_eq!(
        parent["relatedInformation"],
        json!([{
            "location": {"uri": URI, "range": range((4, 0), (4, 7))},
            "message": "group \"sci.lab\" is defined later, at row 5"
        }])
    );
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn utf8_columns_when_the_client_offers_them() {
    let mut client = Client::start(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(client.initialize_result["capabilities"]["positionEncoding"], "utf-8");
    client.open(URI, "csv", SAMPLE);
    let published = client.diagnostics(URI);
    // 🧪 is 4 bytes, 2 UTF-16 units.
    assert_eq!(summary(&published)[0].2, range((2, 30), (2, 37)));
    // Without relatedInformation, the related place is part of the message.
    let message = published["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("\ngroup \"sci.lab\" is defined later, at row 5 (line 5, column 1)"), "{message}");
    // Columns in messages count characters, as the command line's do.
    let message = published["diagnostics"][2]["message"].as_str().unwrap();
    assert!(message.contains("\nnames `sci.lab` before it is defined (line 3, column 28)"), "{message}");
    assert!(published["diagnostics"][0].get("relatedInformation").is_none());
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn fixing_the_file_clears_its_diagnostics_and_closing_clears_them_too() {
    let mut client = Client::start(json!({}));
    client.open(URI, "csv", SAMPLE);
    assert_eq!(client.diagnostics(URI)["diagnostics"].as_array().unwrap().len(), 3);
    client.change(URI, 2, FIXED);
    let published = client.diagnostics(URI);
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], json!([]));
    // Break it again, then close: the diagnostics go away with the document.
    client.change(URI, 3, SAMPLE);
    assert_eq!(client.diagnostics(URI)["version"], 3);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": URI}}));
    let published = client.diagnostics(URI);
    assert_eq!(published["diagnostics"], json!([]));
    assert_eq!(published.get("version"), None);
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn a_burst_of_changes_is_checked_once_at_its_last_version() {
    // Everything is queued before the server reads its first message: it applies every change
    // before it checks, whatever the timing.
    let mut queued = vec![(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "csv", "version": 1, "text": SAMPLE}}),
    )];
    for version in 2..=10 {
        let text = if version == 10 { FIXED } else { SAMPLE };
        queued.push((
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
        ));
    }
    let mut client = Client::start_queued(json!({}), ServeOptions::default(), &queued);
    let published = client.diagnostics(URI);
    assert_eq!(published["version"], 10);
    assert_eq!(published["diagnostics"], json!([]));
    let (result, rest) = client.shutdown();
    result.unwrap();
    assert!(rest.iter().all(|n| n.method != "textDocument/publishDiagnostics"), "one check for the burst: {rest:?}");
}

#[test]
fn changes_after_a_check_wait_for_the_interval() {
    let options = ServeOptions { recheck_interval: Duration::from_millis(300) };
    let mut client = Client::start_queued(json!({}), options, &[]);
    client.open(URI, "csv", SAMPLE);
    assert_eq!(client.diagnostics(URI)["version"], 1);
    let changed = std::time::Instant::now();
    client.change(URI, 2, FIXED);
    assert_eq!(client.diagnostics(URI)["version"], 2);
    // Version 1 was checked just before `changed` was taken, so version 2 waits for nearly the
    // whole interval (the slack covers the time between that check and `changed`).
    assert!(changed.elapsed() >= Duration::from_millis(200), "rechecked after {:?}", changed.elapsed());
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn other_csv_files_get_nothing() {
    let mut client = Client::start(json!({}));
    client.open("file:///nowhere/people.csv", "csv", "name,email\nAda,ada@example.com\n");
    // Outcomes header, but not CSV.
    client.open("file:///nowhere/notes.txt", "plaintext", SAMPLE);
    // An outcomes file by its extension alone (no CSV language installed).
    client.open(URI, "plaintext", SAMPLE);
    assert_eq!(client.diagnostics(URI)["diagnostics"].as_array().unwrap().len(), 3);
    assert_eq!(client.code_actions("file:///nowhere/people.csv", range((0, 0), (1, 0)), None), Vec::<Value>::new());
    // A file that stops being an outcomes file is cleared, then left alone.
    client.change(URI, 2, "name,email\n");
    let published = client.diagnostics(URI);
    assert_eq!(published["diagnostics"], json!([]));
    client.change(URI, 3, "name,email\nx,y\n");
    let (result, rest) = client.shutdown();
    result.unwrap();
    let published: Vec<&Notification> = rest.iter().filter(|n| n.method == "textDocument/publishDiagnostics").collect();
    assert!(published.is_empty(), "{published:?}");
}

#[test]
fn quick_fixes_repair_the_finding_at_the_cursor() {
    let mut client = Client::start(full_capabilities());
    client.open(URI, "csv", SAMPLE);
    let published = client.diagnostics(URI);

    // On `Outcome`: change its case, and nothing else.
    let actions = client.code_actions(URI, range((3, 8), (3, 8)), Some(json!(["quickfix"])));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let action = &actions[0];
    assert_eq!(action["title"], "Change object_type \"Outcome\" to \"outcome\"");
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    assert_eq!(action["diagnostics"][0], published["diagnostics"][1]);
    let changes = &action["edit"]["documentChanges"][0];
    assert_eq!(changes["textDocument"], json!({"uri": URI, "version": 1}));
    assert_eq!(changes["edits"], json!([{"range": range((3, 6), (3, 7)), "newText": "o"}]));

    // On the parent: move its group up.
    let actions = client.code_actions(URI, range((2, 30), (2, 30)), Some(json!(["quickfix"])));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(
        actions[0]["title"],
        "Move group \"sci.lab\" from row 5 up to row 3, above outcome \"sci.1\" that names it as a parent"
    );
    let moved = apply(SAMPLE, &actions[0], URI);
    assert_eq!(moved, FIXED.replace("sci.2,outcome", "sci.2,Outcome"));

    // On the group defined too late (the OL101 info): the same move.
    let actions = client.code_actions(URI, range((4, 1), (4, 1)), Some(json!(["quickfix"])));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(apply(SAMPLE, &actions[0], URI), moved);
    // Over the whole file: each repair once.
    let actions = client.code_actions(URI, range((0, 0), (5, 0)), Some(json!(["quickfix"])));
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().expect("title")).collect();
    assert_eq!(
        titles,
        [
            "Move group \"sci.lab\" from row 5 up to row 3, above outcome \"sci.1\" that names it as a parent",
            "Change object_type \"Outcome\" to \"outcome\"",
        ]
    );

    // Anywhere: apply every safe fix.
    let actions = client.code_actions(URI, range((0, 0), (0, 0)), None);
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Apply all safe fixes (2 changes)"]);
    assert_eq!(actions[0]["kind"], "source.fixAll.outcomes-lint");
    assert_eq!(apply(SAMPLE, &actions[0], URI), FIXED);
    // As asked for on save.
    let on_save = client.code_actions(URI, range((0, 0), (0, 0)), Some(json!(["source.fixAll"])));
    assert_eq!(on_save.len(), 1);
    assert_eq!(apply(SAMPLE, &on_save[0], URI), FIXED);

    // Once fixed, nothing to offer.
    client.change(URI, 2, FIXED);
    client.diagnostics(URI);
    assert!(client.code_actions(URI, range((0, 0), (5, 0)), None).is_empty());
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn fix_all_of_a_kind_when_there_are_several() {
    let text = "vendor_guid,object_type,title,workflow_state\n\
                a,Group,A,\n\
                b,GROUP,B,\n\
                c,group,C,Active\n";
    let mut client = Client::start(json!({
        "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}}
    }));
    client.open(URI, "csv", text);
    client.diagnostics(URI);
    let actions = client.code_actions(URI, range((1, 2), (1, 2)), Some(json!(["quickfix"])));
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Change object_type \"Group\" to \"group\"", "Fix all 2 object-type-invalid findings"]);
    // Without documentChanges support: plain `changes`.
    assert_eq!(apply(text, &actions[0], URI), text.replace("a,Group", "a,group"));
    // Every object_type, and nothing else.
    assert_eq!(apply(text, &actions[1], URI), text.replace("a,Group", "a,group").replace("b,GROUP", "b,group"));
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn hover_on_a_parent_guid_names_its_group() {
    let mut client = Client::start(full_capabilities());
    client.open(URI, "csv", SAMPLE);
    client.diagnostics(URI);
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 31}}));
    assert_eq!(hover["range"], range((2, 28), (2, 35)));
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**Group `sci.lab`** — Laboratory\n\nDefined at row 5 (line 5), **later** than this row (3)"),
        "{text}"
    );
    assert!(
        text.contains("Canvas skips row 3: `Parent references not found prior to this row: [\"sci.lab\"]`"),
        "{text}"
    );

    // A parent defined above: its title, row and line.
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 25}}));
    assert_eq!(hover["contents"]["value"], "**Group `sci`** — Science\n\nDefined at row 2 (line 2).");
    // Not on a parent guid: nothing.
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 2}}));
    assert_eq!(hover, Value::Null);
    let (result, _) = client.shutdown();
    result.unwrap();
}

struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(name: &str) -> ScratchDir {
        let dir = std::env::temp_dir().join(format!("outcomes-lsp-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        ScratchDir(dir)
    }

    fn uri(&self, file: &str) -> String {
        lsp_types::Url::from_file_path(self.0.join(file)).expect("absolute path").to_string()
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.0.join(file), text).expect("write");
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_nearest_outcomes_lint_toml_applies_and_changes_to_it_recheck() {
    let dir = ScratchDir::new("config");
    dir.write("outcomes-lint.toml", "ignore = ['OL101']\nwarn-as-error = []\n");
    let uri = dir.uri("outcomes.csv");
    let mut client = Client::start(json!({
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
    }));
    client.open(&uri, "csv", SAMPLE);
    let codes: Vec<String> = summary(&client.diagnostics(&uri)).into_iter().map(|(code, _, _)| code).collect();
    assert_eq!(codes, ["OL023", "OL020"]);

    // Raise the info to an error; the watcher's notification rechecks without an edit.
    dir.write("outcomes-lint.toml", "warn-as-error = ['OL101']\n");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": dir.uri("outcomes-lint.toml"), "type": 2}]}),
    );
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 1);
    assert_eq!(
        summary(&published).into_iter().map(|(code, severity, _)| (code, severity)).collect::<Vec<_>>(),
        [("OL023".to_owned(), 1), ("OL020".to_owned(), 1), ("OL101".to_owned(), 1)]
    );

    // A broken file: said once, and Canvas's errors still shown with the defaults.
    dir.write("outcomes-lint.toml", "selekt = ['ALL']\n");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": dir.uri("outcomes-lint.toml"), "type": 2}]}),
    );
    let message = client.notification("window/showMessage");
    assert_eq!(message["type"], 2, "warning");
    let text = message["message"].as_str().unwrap();
    assert!(text.starts_with("outcomes-lint: ") && text.contains("selekt"), "{text}");
    assert_eq!(summary(&client.diagnostics(&uri)).len(), 3);
    client.change(&uri, 2, SAMPLE);
    assert_eq!(client.diagnostics(&uri)["version"], 2);
    let (result, rest) = client.shutdown();
    result.unwrap();
    assert!(rest.iter().all(|n| n.method != "window/showMessage"), "said once: {rest:?}");
    assert!(dir.path().exists());
}

#[test]
fn account_options_come_from_the_configuration() {
    // Under `fr`, `1,5` is one and a half: mastery points between the ratings' 1 and 2 points
    // are fine; under `en` it is 15, above every rating.
    let text = "vendor_guid,object_type,title,mastery_points,ratings\n\
                a,outcome,A,\"1,5\",2,Good,1,Poor\n";
    let dir = ScratchDir::new("locale");
    let uri = dir.uri("outcomes.csv");
    let mut client = Client::start(json!({}));
    client.open(&uri, "csv", text);
    let english = summary(&client.diagnostics(&uri));
    dir.write("outcomes-lint.toml", "locale = 'fr'\n");
    client.change(&uri, 2, text);
    let french = summary(&client.diagnostics(&uri));
    assert_ne!(english, french, "the locale changes what is found");
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn incremental_changes_are_applied_too() {
    let mut client = Client::start(json!({}));
    client.open(URI, "csv", SAMPLE);
    client.diagnostics(URI);
    // Replace `Outcome` (line 3, UTF-16 columns 6 to 13) even though we asked for full sync.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": range((3, 6), (3, 13)), "text": "outcome"}]}),
    );
    let codes: Vec<String> = summary(&client.diagnostics(URI)).into_iter().map(|(code, _, _)| code).collect();
    assert_eq!(codes, ["OL023", "OL101"]);
    let (result, _) = client.shutdown();
    result.unwrap();
}

#[test]
fn the_lifecycle_follows_the_protocol() {
    // Requests after shutdown are refused; exit then ends the server cleanly.
    let mut client = Client::start(json!({}));
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    let id = client.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    let response = client.response(id);
    assert_eq!(response.response_result.expect_err("refused").code, -32600);
    client.notify("exit", Value::Null);
    let result = client.server.take().unwrap().join().unwrap();
    assert!(result.is_ok());

    // Exit without shutdown is an error (the binary exits 1).
    let mut client = Client::start(json!({}));
    let id = client.send_request("textDocument/definition", json!({}));
    assert_eq!(client.response(id).response_result.expect_err("unknown").code, -32601);
    client.notify("exit", Value::Null);
    let result = client.server.take().unwrap().join().unwrap();
    assert!(matches!(result, Err(LspError::ExitWithoutShutdown)));

    // The client going away is an error too, not a hang.
    let mut client = Client::start(json!({}));
    let server = client.server.take().unwrap();
    drop(client);
    assert!(matches!(server.join().unwrap(), Err(LspError::Disconnected)));
}

/// What an editor shows for SAMPLE, for a reviewer to read: the diagnostics as published, the
/// code actions over the whole file (with the text each produces) and the hover on each parent
/// guid.
#[test]
fn transcript() {
    let mut client = Client::start(full_capabilities());
    client.open(URI, "csv", SAMPLE);
    let published = client.diagnostics(URI);
    let mut out = String::from("# publishDiagnostics\n");
    out.push_str(&serde_json::to_string_pretty(&published).expect("json"));
    out.push_str("\n\n# codeAction over the whole file\n");
    for action in client.code_actions(URI, range((0, 0), (5, 0)), None) {
        out.push_str(&format!(
            "\n## [{}] {}\n{}\n",
            action["kind"].as_str().expect("kind"),
            action["title"].as_str().expect("title"),
            serde_json::to_string(&action["edit"]["documentChanges"][0]["edits"]).expect("json"),
        ));
        out.push_str(&apply(SAMPLE, &action, URI).replace("\r\n", "\u{23CE}\n"));
    }
    out.push_str("\n# hover\n");
    for (line, character) in [(2, 30), (3, 25), (4, 27)] {
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}}),
        );
        out.push_str(&format!(
            "\n## at {line}:{character}, range {}\n{}\n",
            hover["range"],
            hover["contents"]["value"].as_str().unwrap_or("(nothing)")
        ));
    }
    insta::assert_snapshot!(out);
    let (result, _) = client.shutdown();
    result.unwrap();
}
