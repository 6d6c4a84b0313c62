//! `clausier serve`: a page where an officer drops the files of a dossier
//! (or a zip of it) and reads the HTML report. Files are checked in memory
//! and never written anywhere; the limits of the command line apply (file
//! size, package members, time), with a cap on the request's size and on
//! the number of checks at once, each refusal a page that says why.

use crate::diagnostic::Diagnostic;
use crate::document::package::Package;
use crate::document::{self, Document, Format};
use crate::dossier::{self, Grouping, Origin};
use crate::lint::Profile;
use crate::report::{html, DossierSummary, FileReport, Report};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where it listens.
    pub bind: SocketAddr,
    /// The largest request accepted, in bytes.
    pub max_request_bytes: usize,
    /// Checks run at once; a request beyond is refused.
    pub max_concurrent: usize,
}

struct App {
    profile: Arc<Profile>,
    slots: Arc<Semaphore>,
    max_request_bytes: usize,
}

/// Serves until the process is stopped; `ready` gets the address bound
/// (with the port the system chose for port 0).
pub fn run(options: Options, profile: Arc<Profile>, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let app = Arc::new(App {
            profile,
            slots: Arc::new(Semaphore::new(options.max_concurrent.max(1))),
            max_request_bytes: options.max_request_bytes,
        });
        let router = Router::new()
            .route("/", get(upload_page).post(check))
            .layer(DefaultBodyLimit::max(options.max_request_bytes))
            .with_state(app);
        let listener = tokio::net::TcpListener::bind(options.bind).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router).await
    })
}

async fn upload_page() -> Html<String> {
    Html(page(
        "clausier",
        "<h1>Vérifier un dossier de consultation</h1>\n\
         <p>Déposez les pièces du dossier (Markdown, texte, Word .docx, OpenDocument .odt, PDF), ou une archive .zip qui les contient. \
         Les fichiers sont vérifiés en mémoire : rien n'est écrit sur le serveur, rien n'est conservé.</p>\n\
         <p lang=\"en\">Drop the documents of a dossier, or a .zip of them. They are checked in memory: nothing is written or kept.</p>\n\
         <form method=\"post\" action=\"/\" enctype=\"multipart/form-data\">\n\
         <p><label for=\"files\">Pièces du dossier <span lang=\"en\">(documents)</span></label><br>\n\
         <input id=\"files\" name=\"files\" type=\"file\" multiple required accept=\".md,.markdown,.txt,.docx,.docm,.odt,.pdf,.zip\"></p>\n\
         <p><button type=\"submit\">Vérifier <span lang=\"en\">(check)</span></button></p>\n\
         </form>",
    ))
}

/// A small page in the report's style.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }} button {{ font: inherit; padding: .4rem 1rem; }} .alert {{ border: 2px solid #a4000f; padding: .6rem; }} a:focus, button:focus, input:focus {{ outline: 3px solid #1a5fb4; }}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
}

/// A refusal: a page that says why, with its status.
fn refusal(status: StatusCode, french: &str, english: &str) -> Response {
    let body = format!(
        "<h1>Dossier non vérifié</h1>\n<p class=\"alert\">{}</p>\n<p lang=\"en\">{}</p>\n<p><a href=\"/\">Revenir au dépôt</a></p>",
        html_escape(french),
        html_escape(english)
    );
    (status, Html(page("clausier : dossier non vérifié", &body))).into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn check(State(app): State<Arc<App>>, mut multipart: Multipart) -> Response {
    let Ok(permit) = app.slots.clone().try_acquire_owned() else {
        return refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "Le serveur vérifie déjà le nombre maximal de dossiers à la fois : réessayez dans un instant.",
            "The server is already checking as many dossiers as it may at once: try again in a moment.",
        );
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.file_name().unwrap_or("document").to_string();
                match field.bytes().await {
                    Ok(bytes) => files.push((name, bytes.to_vec())),
                    Err(e) => return too_large_or_bad(&app, e.status(), &e.body_text()),
                }
            }
            Ok(None) => break,
            Err(e) => return too_large_or_bad(&app, e.status(), &e.body_text()),
        }
    }
    if files.iter().all(|(_, b)| b.is_empty()) {
        return refusal(StatusCode::BAD_REQUEST, "Aucun fichier n'a été déposé.", "No file was sent.");
    }
    let profile = app.profile.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        check_uploads(&profile, files)
    })
    .await;
    match checked {
        Ok(html) => Html(html).into_response(),
        Err(_) => refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "La vérification s'est arrêtée (une erreur de clausier : merci de la signaler).",
            "The check stopped (a bug in clausier: please report it).",
        ),
    }
}

fn too_large_or_bad(app: &App, status: StatusCode, detail: &str) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let mib = app.max_request_bytes >> 20;
        return refusal(
            status,
            &format!("Le dépôt dépasse {mib} Mio, la taille maximale d'une demande : déposez moins de fichiers à la fois."),
            &format!("The upload is over {mib} MiB, the largest request accepted: send fewer files at once."),
        );
    }
    refusal(
        status,
        &format!("Le dépôt n'a pas pu être lu ({detail})."),
        &format!("The upload could not be read ({detail})."),
    )
}

/// The files of an upload, a zip's members in its place.
fn expand(
    files: Vec<(String, Vec<u8>)>,
    limits: crate::limits::Limits,
) -> (Vec<(String, Vec<u8>)>, Vec<FileReport>) {
    let mut out = Vec::new();
    let mut failed = Vec::new();
    for (name, bytes) in files {
        if !name.to_lowercase().ends_with(".zip") {
            out.push((name, bytes));
            continue;
        }
        match members(bytes, limits) {
            Ok(found) => out.extend(found.into_iter().map(|(member, b)| (format!("{name}/{member}"), b))),
            Err(e) => failed.push(failed_file(PathBuf::from(&name), e.to_string())),
        }
    }
    (out, failed)
}

/// The members of a zip that clausier reads, within the limits.
fn members(
    bytes: Vec<u8>,
    limits: crate::limits::Limits,
) -> Result<Vec<(String, Vec<u8>)>, document::ReadError> {
    let mut package = Package::open(bytes, limits)?;
    let names: Vec<String> = package
        .names()
        .iter()
        .filter(|n| !n.ends_with('/') && Format::from_path(std::path::Path::new(n.as_str())).is_some())
        .cloned()
        .collect();
    let mut out = Vec::new();
    for name in names {
        if let Some(b) = package.read_bytes(&name)? {
            out.push((name, b));
        }
    }
    Ok(out)
}

fn failed_file(path: PathBuf, message: String) -> FileReport {
    let d = Diagnostic::parse_error(path.clone(), message);
    FileReport { path, text: String::new(), diagnostics: vec![d], document: None, source: None }
}

/// The HTML report of an upload, checked as one dossier.
pub fn check_uploads(profile: &Profile, files: Vec<(String, Vec<u8>)>) -> String {
    let limits = profile.config.limits;
    let (files, mut reports) = expand(files, limits);
    let mut unread: Vec<PathBuf> = reports.iter().map(|r| r.path.clone()).collect();
    let mut documents: Vec<Document> = Vec::new();
    for (name, bytes) in files {
        let path = PathBuf::from(&name);
        if bytes.len() as u64 > limits.max_file_bytes {
            let e = document::ReadError::TooLarge { size: bytes.len() as u64, limit: limits.max_file_bytes };
            unread.push(path.clone());
            reports.push(failed_file(path, e.to_string()));
            continue;
        }
        match document::from_bytes_within(path.clone(), bytes, limits) {
            Ok(doc) => documents.push(doc),
            Err(e) => {
                unread.push(path.clone());
                reports.push(failed_file(path, e.to_string()));
            }
        }
    }
    documents.sort_by(|a, b| a.path.cmp(&b.path));
    let mut summaries = Vec::new();
    for dossier in
        dossier::split(PathBuf::from("dossier déposé"), Origin::Folder, documents, Grouping::Folder)
    {
        let (found, applied) =
            crate::lint::dossier_check(&profile.engine, &profile.config, &dossier.documents);
        summaries.push(DossierSummary::of(&dossier, applied));
        for (doc, mine) in dossier.documents.into_iter().zip(found) {
            reports.push(FileReport {
                path: doc.path.clone(),
                text: String::new(),
                diagnostics: mine,
                document: None,
                source: None,
            });
        }
    }
    // Files that could not be read belong to the dossier too.
    if let Some(first) = summaries.first_mut() {
        first.unread = unread;
    }
    let mut report = Report::new(reports);
    report.dossiers = summaries;
    // The way back to the upload page, first in the page.
    html::render(&report).replacen("<main>\n", "<main>\n<p><a href=\"/\">Vérifier un autre dossier</a> <span lang=\"en\">(check another dossier)</span></p>\n", 1)
}
