//! The language server (`clausier lsp`), over stdio with lsp-server and
//! lsp-types: synchronous like the engine, no async runtime.
//!
//! Markdown and text buffers are checked as the user types: changes queued
//! while a check runs are applied together, then the buffer is checked once.
//! Dossier rules see the other documents of the folder (open buffers first,
//! else the files on disk). Rules and configuration are compiled once per
//! folder configuration and rebuilt when a rule file or `.clausier.yaml`
//! changes on disk.

mod convert;
mod state;
mod transport;

use crate::lint::CommandLine;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionProviderCapability, HoverProviderCapability, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind,
};
use state::State;

/// Why the server stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The configuration given on the command line is unusable.
    #[error("{0}")]
    Setup(String),
    /// The client broke the protocol during start-up or shutdown.
    #[error("language server protocol error: {0}")]
    Protocol(String),
}

/// Serves the language server protocol on stdin and stdout until `exit`.
pub fn run(cli: CommandLine) -> Result<(), LspError> {
    let state = State::new(cli).map_err(|e| LspError::Setup(e.to_string()))?;
    let (connection, io) = transport::stdio();
    serve(&connection, state)?;
    drop(connection);
    io.join().map_err(|e| LspError::Protocol(e.to_string()))
}

/// Serves a whole session read from `input` (framed JSON-RPC, as a client
/// writes it) in memory, and gives back what the server sent: for tests and
/// fuzzing of the message handling without a process.
pub fn serve_messages(cli: CommandLine, input: &mut impl std::io::BufRead) -> Result<Vec<Message>, LspError> {
    let state = State::new(cli).map_err(|e| LspError::Setup(e.to_string()))?;
    let (to_server, receiver) = crossbeam_channel::unbounded();
    let (sender, from_server) = crossbeam_channel::unbounded();
    transport::read_messages(input, &to_server);
    drop(to_server);
    let connection = Connection { sender, receiver };
    serve(&connection, state)?;
    drop(connection);
    Ok(from_server.try_iter().collect())
}

fn serve(connection: &Connection, mut state: State) -> Result<(), LspError> {
    let (id, params) = connection.initialize_start().map_err(|e| LspError::Protocol(e.to_string()))?;
    let root = workspace_root(&params);
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "clausier", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(|e| LspError::Protocol(e.to_string()))?;
    // DOCX, ODT and PDF files are not edited as text: check them as they are on disk.
    if let Some(root) = root {
        for note in state.check_workspace(&root) {
            let _ = connection.sender.send(Message::Notification(note));
        }
    }

    while let Ok(message) = connection.receiver.recv() {
        let mut queue = vec![message];
        // Debounce: take whatever else is already waiting before checking.
        while let Ok(more) = connection.receiver.try_recv() {
            queue.push(more);
        }
        let mut dirty = Vec::new();
        let mut files = Vec::new();
        for message in queue {
            match message {
                Message::Request(req) => {
                    if connection.handle_shutdown(&req).map_err(|e| LspError::Protocol(e.to_string()))? {
                        return Ok(());
                    }
                    let response = handle_request(&mut state, req);
                    let _ = connection.sender.send(Message::Response(response));
                }
                Message::Notification(note) => handle_notification(&mut state, note, &mut dirty, &mut files),
                Message::Response(_) => {}
            }
        }
        dirty.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        dirty.dedup();
        files.sort();
        files.dedup();
        let notes = dirty.iter().flat_map(|uri| state.check(uri)).collect::<Vec<_>>();
        let notes =
            notes.into_iter().chain(files.iter().flat_map(|path| state.check_file(path)).collect::<Vec<_>>());
        for note in notes {
            let _ = connection.sender.send(Message::Notification(note));
        }
    }
    Ok(())
}

/// The workspace folder the client opened, if any.
fn workspace_root(params: &serde_json::Value) -> Option<std::path::PathBuf> {
    let params: lsp_types::InitializeParams = serde_json::from_value(params.clone()).ok()?;
    let folder = params.workspace_folders.and_then(|f| f.into_iter().next()).map(|f| f.uri);
    #[allow(deprecated)]
    let uri = folder.or(params.root_uri)?;
    convert::path_of(&uri)
}

fn handle_request(state: &mut State, req: Request) -> Response {
    let id = req.id.clone();
    let outcome = match req.method.as_str() {
        HoverRequest::METHOD => serde_json::from_value(req.params)
            .map(|p| serde_json::to_value(state.hover(p)).unwrap_or_default()),
        CodeActionRequest::METHOD => serde_json::from_value(req.params)
            .map(|p| serde_json::to_value(state.code_actions(p)).unwrap_or_default()),
        _ => {
            return Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown method {}", req.method),
            );
        }
    };
    match outcome {
        Ok(value) => Response::new_ok(id, value),
        Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, format!("invalid parameters: {e}")),
    }
}

fn handle_notification(
    state: &mut State,
    note: Notification,
    dirty: &mut Vec<lsp_types::Uri>,
    files: &mut Vec<std::path::PathBuf>,
) {
    match note.method.as_str() {
        DidOpenTextDocument::METHOD => {
            if let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(note.params) {
                state.open(p.text_document.uri.clone(), p.text_document.text);
                dirty.push(p.text_document.uri);
            }
        }
        DidChangeTextDocument::METHOD => {
            if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(note.params) {
                // Full synchronisation: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    state.open(p.text_document.uri.clone(), change.text);
                    dirty.push(p.text_document.uri);
                }
            }
        }
        DidSaveTextDocument::METHOD => {}
        DidCloseTextDocument::METHOD => {
            if let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(note.params) {
                state.close(&p.text_document.uri);
                // Checking a closed buffer clears its diagnostics.
                dirty.push(p.text_document.uri);
            }
        }
        DidChangeWatchedFiles::METHOD => {
            state.reload();
            dirty.extend(state.open_uris());
            if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(note.params) {
                let changed = p.changes.iter().filter_map(|c| convert::path_of(&c.uri));
                files.extend(changed.filter(|path| state::is_binary(path)));
            }
        }
        _ => {}
    }
}
