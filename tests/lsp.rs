//! The language server, driven over stdio with real JSON-RPC messages.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(root: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clausier"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut server = Server { child, stdin, messages, next_id: 0 };
        let root_uri = url::Url::from_directory_path(root).unwrap().to_string();
        let init = server.request("initialize", json!({ "capabilities": {}, "rootUri": root_uri }));
        assert!(init["result"]["capabilities"]["hoverProvider"].as_bool().unwrap());
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m["id"] == id)
    }

    fn wait(&mut self, mut pred: impl FnMut(&Value) -> bool) -> Value {
        loop {
            let m = self.messages.recv_timeout(Duration::from_secs(20)).expect("the server answers");
            if pred(&m) {
                return m;
            }
        }
    }

    /// Opens the Markdown buffer `text` of `path`: its URI and first diagnostics.
    fn open(&mut self, path: &std::path::Path, text: &str) -> (String, Vec<Value>) {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
        let diags = self.diagnostics(&uri);
        (uri, diags)
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn uri(path: &std::path::Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

const RC: &str =
    "# Règlement de la consultation\n\n## Article 4 – Offres\n\nLes offres sont remises au format Word.\n";

#[test]
fn diagnostics_hover_code_actions_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rc.md");
    std::fs::write(&path, RC).unwrap();
    let mut server = Server::start(dir.path());
    let (uri, diags) = server.open(&path, RC);
    let brand = diags.iter().find(|d| d["code"] == "brand-without-equivalent").unwrap();
    assert_eq!(brand["range"]["start"], json!({ "line": 4, "character": 34 }));
    assert_eq!(brand["range"]["end"], json!({ "line": 4, "character": 38 }));
    assert_eq!(brand["source"], "clausier");
    assert!(brand["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .starts_with("https://www.legifrance.gouv.fr/"));

    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 4, "character": 35 } }),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Code de la commande publique, art. R2111-7"), "{text}");
    assert!(text.contains("](https://"), "{text}");

    let actions = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": brand["range"],
            "context": { "diagnostics": [brand] }
        }),
    );
    let actions = actions["result"].as_array().unwrap();
    let fix = actions.iter().find(|a| a["title"] == "Remplacer par « Word ou équivalent »").unwrap();
    assert_eq!(fix["edit"]["changes"][&uri][0]["newText"], "Word ou équivalent");
    let disable = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Désactiver brand-without-equivalent"))
        .unwrap();
    assert!(disable["edit"]["changes"][&uri][0]["newText"]
        .as_str()
        .unwrap()
        .starts_with("<!-- clausier-disable-next-line brand-without-equivalent"));

    // A malformed request gets an error; the server stays up.
    let bad = server.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(bad["error"]["code"], -32602);
    let unknown = server.request("clausier/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);

    // The user fixes the text: the diagnostic goes away.
    let fixed = RC.replace("Word.", "Word ou équivalent, ou au format ODT.");
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    let diags = server.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "brand-without-equivalent"), "{diags:?}");

    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    assert!(server.diagnostics(&uri).is_empty());
    let shutdown = server.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    server.notify("exit", Value::Null);
}

#[test]
fn clause_insertion_dossier_and_config_reload() {
    let dir = tempfile::tempdir().unwrap();
    let contract = "# Contrat de concession – Piscine\n\n## Article 12 – Données\n\nLe délégataire tient un registre.\n\n## Article 13 – Durée\n\nDix ans.\n";
    let path = dir.path().join("contrat.md");
    std::fs::write(&path, contract).unwrap();
    let mut server = Server::start(dir.path());
    let (uri, diags) = server.open(&path, contract);
    let missing = diags.iter().find(|d| d["code"] == "concession-data-missing").unwrap().clone();
    assert_eq!(missing["range"]["start"]["line"], 2);
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": missing["range"], "context": { "diagnostics": [missing] } }),
    );
    let insert = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Insérer la clause type « concession-open-data »")
        .unwrap()
        .clone();
    let edit = &insert["edit"]["changes"][&uri][0];
    // At the end of the data article, before the next one.
    assert_eq!(edit["range"]["start"], json!({ "line": 4, "character": 33 }));
    assert!(edit["newText"].as_str().unwrap().contains("standard ouvert"));

    // Another document of the folder, on disk, holds the data clause.
    std::fs::write(
        dir.path().join("annexe.md"),
        "# Annexe – Données\n\nLe délégataire fournit les données de fréquentation au format CSV, format ouvert.\n",
    )
    .unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({ "changes": [] }));
    let diags = server.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "concession-data-missing"), "{diags:?}");

    // A new configuration is picked up: the rule it ignores was reported before.
    assert!(diags.iter().any(|d| d["code"] == "concession-data-reuse-missing"), "{diags:?}");
    std::fs::write(dir.path().join(".clausier.yaml"), "ignore: [concession-data-reuse-missing]\n").unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("{}/.clausier.yaml", url::Url::from_directory_path(dir.path()).unwrap()), "type": 2 }] }),
    );
    let diags = server.diagnostics(&uri);
    assert!(diags.iter().all(|d| d["code"] != "concession-data-reuse-missing"), "{diags:?}");
}

#[test]
fn workspace_docx_files_are_checked_and_refreshed() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("rc.docx");
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/tender.docx"), &docx)
        .unwrap();
    let docx_uri = uri(&docx);
    let mut server = Server::start(dir.path());
    let diags = server.diagnostics(&docx_uri);
    assert!(diags.iter().any(|d| d["code"] == "brand-without-equivalent"), "{diags:?}");
    std::fs::remove_file(&docx).unwrap();
    server.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": docx_uri, "type": 3 }] }));
    assert!(server.diagnostics(&docx_uri).is_empty());
}

/// A second real client: Neovim headless attaches `clausier lsp` and writes
/// the diagnostics it received.
#[test]
#[ignore = "needs Neovim (.ci/run installs Debian's neovim)"]
fn neovim_receives_the_diagnostics() {
    let nvim = which_nvim().unwrap_or_else(|_| panic!("nvim is missing: .ci/run installs Debian's neovim"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rc.md");
    std::fs::write(&path, RC).unwrap();
    let out = dir.path().join("diagnostics.json");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nvim/attach.lua");
    let status = Command::new(nvim)
        .args(["--headless", "--clean", "-u"])
        .arg(&script)
        .arg(&path)
        .current_dir(dir.path())
        .env("CLAUSIER_OUT", &out)
        .env("CLAUSIER_BIN", env!("CARGO_BIN_EXE_clausier"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "nvim exited with {status}");
    let got: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let codes: Vec<&str> =
        got["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"brand-without-equivalent"), "{codes:?}");
}

fn which_nvim() -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("nvim")).find(|p| p.is_file()))
        .ok_or(())
}

#[test]
fn the_server_survives_garbage_and_unknown_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    // Garbage between messages: a stray line, a body that is not JSON, one
    // that is not UTF-8, a JSON value that is not a message.
    server.stdin.write_all(b"this is not a header\r\n\r\n").unwrap();
    server.stdin.write_all(b"Content-Length: 9\r\n\r\n{not json").unwrap();
    server.stdin.write_all(b"Content-Length: 4\r\n\r\n\xff\xfe\xc3\x28").unwrap();
    server.stdin.write_all(b"Content-Length: 2\r\n\r\n[]").unwrap();
    // Requests and notifications about documents never opened.
    let unknown = uri(&dir.path().join("jamais-ouvert.md"));
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": unknown }, "position": { "line": 3, "character": 7 } }),
    );
    assert!(hover["result"].is_null(), "{hover}");
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": unknown },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 9, "character": 0 } },
                "context": { "diagnostics": [] } }),
    );
    assert!(actions["error"].is_null(), "{actions}");
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": unknown, "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    );
    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": "not a uri at all" } }));
    // Parameters of the wrong shape are an error for that request only.
    let bad = server.request("textDocument/hover", json!({ "position": "here" }));
    assert!(bad["error"]["message"].as_str().unwrap().contains("invalid parameters"), "{bad}");
    // And the server still does its job.
    let doc = uri(&dir.path().join("rc.md"));
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": doc, "languageId": "markdown", "version": 1,
                "text": "# Règlement de la consultation\n\nLe mémoire est remis au format Word.\n" } }),
    );
    let found = server.diagnostics(&doc);
    assert!(found.iter().any(|d| d["code"] == "brand-without-equivalent"), "{found:?}");
}

/// The same file and configuration through `clausier check` and through the
/// server give the same findings: per-path ignores, suppression comments
/// (used, unused, and aimed at a rule the configuration turns off for the
/// file) and the findings cap, in one file.
#[test]
fn the_server_and_check_report_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".clausier.yaml"),
        "per-path-ignores:\n  \"rc.md\": [proprietary-format-only]\nlimits:\n  max-findings-per-file: 2\n",
    )
    .unwrap();
    let text = "# Règlement de la consultation\n\n## Article 4 – Offres\n\n\
        <!-- clausier-disable-next-line proprietary-format-only -- ignoré pour ce fichier -->\n\
        Les offres sont remises au format Word.\n\n\
        <!-- clausier-disable-next-line brand-without-equivalent -- parc existant -->\n\
        Le titulaire fournit les licences Microsoft Office des postes.\n\n\
        <!-- clausier-disable-next-line brand-without-equivalent -- plus rien ici -->\n\
        Les candidats joignent un mémoire technique.\n\n\
        Le tableau des prix est établi avec Excel.\n";
    let path = dir.path().join("rc.md");
    std::fs::write(&path, text).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_clausier"))
        .args(["check", "--format", "json", "rc.md"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut from_check: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap()))
        .collect();
    from_check.sort();

    let mut server = Server::start(dir.path());
    let (_, diags) = server.open(&path, text);
    let mut from_server: Vec<(String, u64)> = diags
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"]["start"]["line"].as_u64().unwrap() + 1))
        .collect();
    from_server.sort();
    assert_eq!(from_server, from_check);
    // What both must say: the cap (3 findings, 2 kept), the Word finding,
    // the suppression that suppresses nothing; not the suppressed Office
    // finding, nor the comment aimed at the rule turned off for this file.
    let expected: Vec<(String, u64)> = vec![
        ("brand-without-equivalent".into(), 6),
        ("parse-error".into(), 1),
        ("unused-suppression".into(), 11),
    ];
    assert_eq!(from_check, expected);
}

/// Code actions speak the document's language.
#[test]
fn code_actions_of_an_english_document_are_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# Statement of Work\n\n## 3. Deliverables\n\nAll reports shall be delivered in Microsoft Word format.\n";
    let path = dir.path().join("sow.md");
    std::fs::write(&path, text).unwrap();
    let mut server = Server::start(dir.path());
    let (uri, diags) = server.open(&path, text);
    let brand = diags.iter().find(|d| d["code"] == "brand-name-without-or-equal").expect("a brand finding");
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": brand["range"], "context": { "diagnostics": [brand] } }),
    );
    let titles: Vec<&str> =
        actions["result"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Disable brand-name-without-or-equal for this line"), "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains("Désactiver") && !t.contains("Remplacer")), "{titles:?}");
}

/// What stops a check is shown in the editor, not swallowed: a broken
/// `.clausier.yaml` is an error at the top of the file, and another document
/// of the dossier that cannot be read is a warning there (its clauses are
/// not seen), while the file's own findings are still reported.
#[test]
fn a_broken_configuration_and_an_unreadable_sibling_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cctp.md"), b"# CCTP\n\nCaf\xe9 au format Word.\n").unwrap();
    let path = dir.path().join("rc.md");
    std::fs::write(&path, RC).unwrap();
    let mut server = Server::start(dir.path());
    let (uri, diags) = server.open(&path, RC);
    let sibling = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("cctp.md, in the same dossier, cannot be read"))
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(sibling["severity"], 2);
    assert_eq!(sibling["range"]["start"], json!({ "line": 0, "character": 0 }));
    assert!(diags.iter().any(|d| d["code"] == "brand-without-equivalent"), "{diags:?}");

    std::fs::write(dir.path().join(".clausier.yaml"), "select: [\n").unwrap();
    let changes = json!({ "changes": [{ "uri": url::Url::from_file_path(dir.path().join(".clausier.yaml")).unwrap().to_string(), "type": 1 }] });
    server.notify("workspace/didChangeWatchedFiles", changes);
    let diags = server.diagnostics(&uri);
    let broken = diags.iter().find(|d| d["message"].as_str().unwrap().contains(".clausier.yaml"));
    let broken = broken.unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(broken["severity"], 1);
    assert_eq!(broken["range"]["start"], json!({ "line": 0, "character": 0 }));
}
