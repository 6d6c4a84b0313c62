//! `clausier serve`: a page where an officer drops the files of a dossier
//! (or a zip of it) and reads the HTML report. Files are checked in memory
//! and never written anywhere; the limits of the command line apply (file
//! size, package members, time), with a cap on the request's size and on
//! the number of checks at once, each refusal a page that says why.

use crate::document::package::Package;
use crate::document::{self, Format};
use crate::dossier::{self, Grouping, Origin};
use crate::lint::{CommandLine, Profile, Texts};
use crate::report::{html, Report};
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
        html::esc(french),
        html::esc(english)
    );
    (status, Html(page("clausier : dossier non vérifié", &body))).into_response()
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

/// The files of an upload, a zip's members in its place; a zip that cannot
/// be opened is itself a file that could not be read.
fn expand(
    files: Vec<(String, Vec<u8>)>,
    limits: crate::limits::Limits,
) -> Vec<(PathBuf, Result<Vec<u8>, document::ReadError>)> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        if !name.to_lowercase().ends_with(".zip") {
            out.push((PathBuf::from(name), Ok(bytes)));
            continue;
        }
        match members(bytes, limits) {
            Ok(found) => {
                out.extend(found.into_iter().map(|(m, b)| (PathBuf::from(format!("{name}/{m}")), Ok(b))))
            }
            Err(e) => out.push((PathBuf::from(name), Err(e))),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
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

/// The HTML report of an upload, checked as one dossier by the step
/// `check` uses ([`crate::lint::check_batch`]).
pub fn check_uploads(profile: &Profile, files: Vec<(String, Vec<u8>)>) -> String {
    let limits = profile.config.limits;
    let (paths, read): (Vec<PathBuf>, Vec<_>) = expand(files, limits)
        .into_iter()
        .map(|(path, bytes)| {
            let read =
                bytes.and_then(|b| document::from_bytes_within(path.clone(), b, limits)).map(|d| (d, None));
            (path, read)
        })
        .unzip();
    let batch = dossier::Batch { folder: PathBuf::from("dossier déposé"), paths, origin: Origin::Folder };
    let cli = CommandLine { texts: Texts::None, grouping: Grouping::Folder, ..CommandLine::default() };
    let (reports, summaries) = crate::lint::check_batch(profile, &cli, batch, read);
    let mut report = Report::new(reports);
    report.dossiers = summaries;
    // The way back to the upload page, first in the page.
    html::render(&report).replacen("<main>\n", "<main>\n<p><a href=\"/\">Vérifier un autre dossier</a> <span lang=\"en\">(check another dossier)</span></p>\n", 1)
}
