//! What the server knows: open buffers, compiled rules per configuration,
//! and the last findings of each buffer (for hover and code actions).

use super::convert::{overlaps, path_of, range, uri_of};
use crate::diagnostic::Diagnostic;
use crate::document::{self, Document, Format};
use crate::lint::{CommandLine, Profile, Profiles};
use crate::rules::Severity;
use crate::suppress;
use lsp_server::Notification;
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeDescription, DiagnosticSeverity,
    Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, NumberOrString, PublishDiagnosticsParams,
    TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The findings of a buffer at its last check.
struct Checked {
    doc: Document,
    found: Vec<(lsp_types::Range, Diagnostic)>,
}

/// The server's state.
pub struct State {
    cli: CommandLine,
    buffers: HashMap<Uri, String>,
    profiles: Profiles,
    checked: HashMap<Uri, Checked>,
    /// Documents read from disk, with their modification time.
    disk: HashMap<PathBuf, (std::time::SystemTime, Document)>,
    /// Why the last reload failed, until one succeeds.
    reload_error: Option<String>,
}

impl State {
    /// A server for `cli` (its `--rules` and `--config`).
    pub fn new(cli: CommandLine) -> Result<State, crate::lint::SetupError> {
        let profiles = Profiles::new(cli.clone())?;
        Ok(State {
            cli,
            buffers: HashMap::new(),
            profiles,
            checked: HashMap::new(),
            disk: HashMap::new(),
            reload_error: None,
        })
    }

    /// Records the text of an open buffer.
    pub fn open(&mut self, uri: Uri, text: String) {
        self.buffers.insert(uri, text);
    }

    /// Forgets a closed buffer.
    pub fn close(&mut self, uri: &Uri) {
        self.buffers.remove(uri);
        self.checked.remove(uri);
    }

    /// The open buffers.
    pub fn open_uris(&self) -> Vec<Uri> {
        self.buffers.keys().cloned().collect()
    }

    /// Drops every compiled rule set: a rule file or configuration changed.
    /// A `--config` file that became unusable keeps the previous rules, and
    /// every check says so until it is mended.
    pub fn reload(&mut self) {
        match Profiles::new(self.cli.clone()) {
            Ok(profiles) => {
                self.profiles = profiles;
                self.reload_error = None;
            }
            Err(e) => self.reload_error = Some(e.to_string()),
        }
    }

    /// Checks buffer `uri` and returns the notifications to send.
    pub fn check(&mut self, uri: &Uri) -> Vec<Notification> {
        let (Some(text), Some(path)) = (self.buffers.get(uri).cloned(), path_of(uri)) else {
            return vec![publish(uri, Vec::new())];
        };
        let Some(format) = Format::from_path(&path).filter(|f| matches!(f, Format::Markdown | Format::Text))
        else {
            return Vec::new();
        };
        let read = |_: &Profile| document::parse(path.clone(), format, text).map_err(|e| e.to_string());
        vec![publish(uri, self.analyse(uri, &path, read))]
    }

    /// Checks a DOCX, ODT or PDF file of the workspace as it is on disk,
    /// within its configuration's limits; a file that is gone has its
    /// diagnostics cleared.
    pub fn check_file(&mut self, path: &Path) -> Vec<Notification> {
        let Some(uri) = uri_of(path) else { return Vec::new() };
        if !path.is_file() {
            self.checked.remove(&uri);
            return vec![publish(&uri, Vec::new())];
        }
        let read = |p: &Profile| document::read_within(path, p.config.limits).map_err(|e| e.to_string());
        vec![publish(&uri, self.analyse(&uri, path, read))]
    }

    /// Checks the DOCX, ODT and PDF files under `root`.
    pub fn check_workspace(&mut self, root: &Path) -> Vec<Notification> {
        let walked = crate::walk::collect(&[root.to_path_buf()]);
        walked.files.iter().filter(|p| is_binary(p)).flat_map(|p| self.check_file(p)).collect()
    }

    /// The findings of the document `read` gives (from `path`) in its
    /// dossier, through the same per-dossier path as `clausier check`
    /// ([`crate::lint::dossier_findings`]), remembered for hover and code
    /// actions. What stops the check (an unusable configuration, an
    /// unreadable document of the dossier) is shown at the top of the file.
    fn analyse(
        &mut self,
        uri: &Uri,
        path: &Path,
        read: impl FnOnce(&Profile) -> Result<Document, String>,
    ) -> Vec<lsp_types::Diagnostic> {
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let profile = match self.profiles.for_folder(&folder) {
            Ok(p) => p,
            Err(e) => return vec![whole_file(format!("clausier: {e}"))],
        };
        let mut notes: Vec<lsp_types::Diagnostic> = Vec::new();
        if let Some(e) = &self.reload_error {
            notes.push(whole_file(format!(
                "clausier: the configuration was not reloaded ({e}); the previous rules are in use"
            )));
        }
        let mut doc = match read(&profile) {
            Ok(doc) => doc,
            Err(e) => {
                notes.push(whole_file(format!("clausier: {e}")));
                return notes;
            }
        };
        let (mut docs, unreadable) = self.dossier(&folder, path, &profile);
        for (other, e) in unreadable {
            let name = other.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let mut d = whole_file(format!(
                "clausier: {name}, in the same dossier, cannot be read ({e}): a clause it may hold is not seen"
            ));
            d.severity = Some(DiagnosticSeverity::WARNING);
            notes.push(d);
        }
        crate::lint::settle(&mut doc, &profile.config, self.cli.overrides);
        docs.insert(0, doc);
        let config = &profile.config;
        let mut docs =
            crate::dossier::containing(folder, docs, path, self.cli.grouping, |p| config.dossier_of(p));
        let Some(at) = docs.iter().position(|d| d.path == path) else { return notes };
        let mut found = crate::lint::dossier_findings(&profile.engine, config, &docs);
        let mine = found.swap_remove(at);
        let doc = docs.swap_remove(at);
        let found: Vec<(lsp_types::Range, Diagnostic)> =
            mine.into_iter().map(|d| (range(&doc.text, &doc.lines, d.span.clone()), d)).collect();
        notes.extend(found.iter().map(|(r, d)| to_lsp(*r, d)));
        self.checked.insert(uri.clone(), Checked { doc, found });
        notes
    }

    /// The other documents of the dossier of `path`: open buffers first,
    /// else the files on disk, read within the configuration's limits; and
    /// the files that could not be read, with why.
    fn dossier(
        &mut self,
        folder: &Path,
        path: &Path,
        profile: &Profile,
    ) -> (Vec<Document>, Vec<(PathBuf, String)>) {
        let mut unreadable = Vec::new();
        let entries =
            match std::fs::read_dir(if folder.as_os_str().is_empty() { Path::new(".") } else { folder }) {
                Ok(entries) => entries,
                Err(e) => {
                    unreadable.push((folder.to_path_buf(), e.to_string()));
                    return (Vec::new(), unreadable);
                }
            };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p != path && p.is_file() && Format::from_path(p).is_some())
            .collect();
        files.sort();
        let mut docs = Vec::new();
        for p in files {
            let buffer = uri_of(&p).and_then(|u| self.buffers.get(&u).cloned());
            let read = match (buffer, Format::from_path(&p)) {
                (Some(text), Some(format)) => {
                    document::parse(p.clone(), format, text).map_err(|e| e.to_string())
                }
                _ => self.read_cached(&p, profile),
            };
            match read {
                Ok(mut doc) => {
                    crate::lint::settle(&mut doc, &profile.config, self.cli.overrides);
                    docs.push(doc);
                }
                Err(e) => unreadable.push((p, e)),
            }
        }
        (docs, unreadable)
    }

    /// A document as it is on disk, read again only when its modification
    /// time changed: a keystroke must not re-read every PDF of the folder.
    fn read_cached(&mut self, path: &Path, profile: &Profile) -> Result<Document, String> {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).map_err(|e| e.to_string())?;
        if let Some((when, doc)) = self.disk.get(path) {
            if *when == modified {
                return Ok(doc.clone());
            }
        }
        let doc = document::read_within(path, profile.config.limits).map_err(|e| e.to_string())?;
        self.disk.insert(path.to_path_buf(), (modified, doc.clone()));
        Ok(doc)
    }

    /// The explanation and legal basis of the findings under the cursor.
    pub fn hover(&self, params: HoverParams) -> Option<Hover> {
        let uri = &params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        let checked = self.checked.get(uri)?;
        let point = lsp_types::Range { start: at, end: at };
        let parts: Vec<String> =
            checked.found.iter().filter(|(r, _)| overlaps(r, &point)).map(|(_, d)| explain(d)).collect();
        if parts.is_empty() {
            return None;
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }

    /// Fixes, clause insertions and suppressions for the findings in the range.
    pub fn code_actions(&self, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(checked) = self.checked.get(uri) else { return Vec::new() };
        let edit = |range: lsp_types::Range, new_text: String| WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![TextEdit { range, new_text }])])),
            ..WorkspaceEdit::default()
        };
        // Titles and comments in the document's language.
        let fr = checked.doc.language == crate::document::Language::Fr;
        let mut actions = Vec::new();
        for (r, d) in checked.found.iter().filter(|(r, _)| overlaps(r, &params.range)) {
            let diagnostic = to_lsp(*r, d);
            let action = |title: String, edit: WorkspaceEdit, preferred: bool| {
                CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(preferred),
                    ..CodeAction::default()
                })
            };
            if let Some(fix) = &d.fix {
                actions.push(action(
                    if fr {
                        format!("Remplacer par « {} »", fix.replacement)
                    } else {
                        format!("Replace with \"{}\"", fix.replacement)
                    },
                    edit(*r, fix.replacement.clone()),
                    true,
                ));
            }
            if let Some(clause) = &d.clause {
                let planned = crate::fix::Planned {
                    diagnostic: d,
                    action: crate::fix::Action::Clause(clause.text.to_string()),
                };
                for e in crate::fix::edits(&checked.doc, &[planned]) {
                    let at = |o| super::convert::position(&checked.doc.text, &checked.doc.lines, o);
                    let insert = lsp_types::Range { start: at(e.range.start), end: at(e.range.end) };
                    actions.push(action(
                        if fr {
                            format!("Insérer la clause type « {} »", clause.id)
                        } else {
                            format!("Insert the model clause \"{}\"", clause.id)
                        },
                        edit(insert, format!("{}\n", e.text)),
                        d.fix.is_none(),
                    ));
                }
            }
            if checked.doc.format == Format::Markdown && *d.rule != *suppress::UNUSED_SUPPRESSION {
                let line_start = lsp_types::Position { line: r.start.line, character: 0 };
                let reason = if fr { "raison : …" } else { "reason: …" };
                let comment = format!("<!-- clausier-disable-next-line {} -- {reason} -->\n", d.rule);
                let insert = lsp_types::Range { start: line_start, end: line_start };
                actions.push(action(
                    if fr {
                        format!("Désactiver {} pour cette ligne", d.rule)
                    } else {
                        format!("Disable {} for this line", d.rule)
                    },
                    edit(insert, comment),
                    false,
                ));
            }
        }
        actions
    }
}

/// Whether `path` is a document only read from disk (not edited as text).
pub fn is_binary(path: &Path) -> bool {
    matches!(Format::from_path(path), Some(Format::Docx | Format::Odt | Format::Pdf))
}

fn publish(uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>) -> Notification {
    let params = PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version: None };
    Notification::new(PublishDiagnostics::METHOD.to_string(), params)
}

fn whole_file(message: String) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: lsp_types::Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(crate::diagnostic::PARSE_ERROR.to_string())),
        source: Some("clausier".to_string()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

fn to_lsp(range: lsp_types::Range, d: &Diagnostic) -> lsp_types::Diagnostic {
    let href = d.legal_basis.iter().find_map(|l| l.url.as_deref()).and_then(|u| Uri::from_str(u).ok());
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("clausier".to_string()),
        message: d.message.clone(),
        ..lsp_types::Diagnostic::default()
    }
}

/// A finding's hover text: title, message, explanation, legal basis.
fn explain(d: &Diagnostic) -> String {
    let mut out = format!("**{}** · `{}`\n\n{}", d.title, d.rule, d.message);
    if !d.explanation.is_empty() {
        out.push_str(&format!("\n\n{}", d.explanation));
    }
    if !d.legal_basis.is_empty() {
        out.push_str("\n\n");
        for l in d.legal_basis.iter() {
            out.push_str(&format!("{}\n\n", l.markdown()));
        }
    }
    out
}
