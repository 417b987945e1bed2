//! `outcomes-lint lsp` driven as an editor drives it: the built binary, JSON-RPC with
//! `Content-Length` framing over its standard input and output. Every read is bounded in time, so
//! a server that hangs fails the test instead of hanging CI, and the process is killed when a
//! test ends however it ends.

use std::io::BufReader;
use std::io::{BufRead, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_outcomes-lint");
const TIMEOUT: Duration = Duration::from_secs(20);
const URI: &str = "file:///nowhere/outcomes.csv";

/// A parent defined later (OL023 and the OL101 info) and an object_type in the wrong case
/// (OL020); the emoji before the OL023 cell makes UTF-16 columns differ from characters.
const SAMPLE: &str = "vendor_guid,object_type,title,parent_guids\r\n\
                      sci,group,Science,\r\n\
                      sci.1,outcome,Lab safety 🧪,sci.lab\r\n\
                      sci.2,Outcome,Measuring,sci\r\n\
                      sci.lab,group,Laboratory,sci\r\n";

/// SAMPLE, repaired.
const FIXED: &str = "vendor_guid,object_type,title,parent_guids\r\n\
                     sci,group,Science,\r\n\
                     sci.lab,group,Laboratory,sci\r\n\
                     sci.1,outcome,Lab safety 🧪,sci.lab\r\n\
                     sci.2,outcome,Measuring,sci\r\n";

/// The running server. Dropping it kills the process if it is still running.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn spawn() -> Server {
        let mut child = Command::new(BIN)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start outcomes-lint lsp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Server { child, stdin, messages, next_id: 0 }
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_string(&message).expect("json");
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to the server");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn receive(&mut self) -> Value {
        match self.messages.recv_timeout(TIMEOUT) {
            Ok(message) => message,
            Err(e) => panic!("nothing from the server within {TIMEOUT:?}: {e}"),
        }
    }

    /// Sends a request and returns its response, skipping (and returning) notifications.
    fn request(&mut self, method: &str, params: Value) -> (Value, Vec<Value>) {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let mut skipped = Vec::new();
        loop {
            let message = self.receive();
            if message["id"] == id && message.get("method").is_none() {
                return (message, skipped);
            }
            skipped.push(message);
        }
    }

    /// The next `publishDiagnostics` for `version` of the document.
    fn diagnostics(&mut self, version: i64) -> Value {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == URI
                && message["params"]["version"] == version
            {
                return message["params"].clone();
            }
        }
    }

    /// Waits, bounded, for the process to exit.
    fn exit_status(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit within {TIMEOUT:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One JSON-RPC message with its `Content-Length` header, or `None` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

/// The byte offset of an LSP position with UTF-16 columns.
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().expect("line") as usize;
    let character = position["character"].as_u64().expect("character") as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').expect("line exists") + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with a code action's edits applied.
fn apply(text: &str, action: &Value) -> String {
    let mut edits: Vec<(usize, usize, String)> = action["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

fn initialize(server: &mut Server) -> Value {
    let capabilities = json!({
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}}
        },
        "workspace": {"workspaceEdit": {"documentChanges": true}}
    });
    let (response, _) = server
        .request("initialize", json!({"processId": std::process::id(), "rootUri": null, "capabilities": capabilities}));
    server.notify("initialized", json!({}));
    response["result"].clone()
}

#[test]
fn a_session_from_initialize_to_exit() {
    let mut server = Server::spawn();
    let result = initialize(&mut server);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 1);
    assert_eq!(result["serverInfo"]["name"], "outcomes-lint");

    // Open a file with known errors: exact ranges, codes and severities.
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "csv", "version": 1, "text": SAMPLE}}),
    );
    let published = server.diagnostics(1);
    let found: Vec<(Value, Value, Value)> = published["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| (d["code"].clone(), d["severity"].clone(), d["range"].clone()))
        .collect();
    assert_eq!(
        found,
        [
            (json!("OL023"), json!(1), range((2, 28), (2, 35))),
            (json!("OL020"), json!(1), range((3, 6), (3, 13))),
            (json!("OL101"), json!(3), range((4, 0), (4, 7))),
        ]
    );
    let parent = &published["diagnostics"][0];
    assert_eq!(parent["source"], "outcomes-lint");
    assert!(parent["message"]
        .as_str()
        .expect("message")
        .starts_with("Parent references not found prior to this row: [\"sci.lab\"]"));
    assert_eq!(parent["relatedInformation"][0]["location"], json!({"uri": URI, "range": range((4, 0), (4, 7))}));

    // A code action at the OL023 diagnostic: move the group up.
    let (response, _) = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range((2, 28), (2, 35)),
               "context": {"diagnostics": [parent], "only": ["quickfix"]}}),
    );
    let actions = response["result"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["diagnostics"][0], *parent);
    assert_eq!(apply(SAMPLE, &actions[0]), FIXED.replace("sci.2,outcome", "sci.2,Outcome"));
    // And every safe fix at once.
    let (response, _) = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range((0, 0), (0, 0)),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = response["result"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(apply(SAMPLE, &actions[0]), FIXED);

    // Hover on the parent guid: the group it names, and why Canvas does not find it.
    let (response, _) = server
        .request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": {"line": 2, "character": 30}}));
    let hover = &response["result"];
    assert_eq!(hover["range"], range((2, 28), (2, 35)));
    let text = hover["contents"]["value"].as_str().expect("hover text");
    assert!(text.starts_with("**Group `sci.lab`** — Laboratory"), "{text}");
    assert!(text.contains("Defined at row 5 (line 5), **later** than this row (3)"), "{text}");

    // Fix the file: the diagnostics are cleared.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": FIXED}]}),
    );
    assert_eq!(server.diagnostics(2)["diagnostics"], json!([]));

    // Shut down and exit: status 0.
    let (response, _) = server.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    assert!(response.get("error").is_none());
    server.notify("exit", Value::Null);
    let status = server.exit_status();
    assert_eq!(status.code(), Some(0), "{status}");
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut server = Server::spawn();
    initialize(&mut server);
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_status().code(), Some(1));
}

#[test]
fn a_client_that_goes_away_ends_the_server() {
    let mut server = Server::spawn();
    initialize(&mut server);
    drop(server.stdin.take());
    assert_eq!(server.exit_status().code(), Some(1));
}
