//! The HTML report and `clausier serve` in a real browser: Debian's
//! chromium driven by playwright-core, with axe-core's accessibility rules
//! (tests/tools/browser.mjs). Also the server under 50 concurrent uploads,
//! a fifth of them hostile files. The screenshots go to docs/ (the README
//! shows them).

use assert_cmd::cargo::CommandCargoExt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const NEEDS: &str = "needs Debian's chromium and tests/tools' npm packages (.ci/run installs them)";

fn browser(args: &[&str]) -> serde_json::Value {
    let out = Command::new("node")
        .arg("tests/tools/browser.mjs")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or("");
    let result: serde_json::Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(out.status.success(), "{result}");
    result
}

#[test]
#[ignore = "needs Debian's chromium and tests/tools' npm packages (.ci/run installs them)"]
fn the_html_report_of_the_samples_opens_in_chromium() {
    let _ = NEEDS;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let out = Command::cargo_bin("clausier")
        .unwrap()
        .args(["check", "sample-tenders", "--format", "html", "-o"])
        .arg(&report)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let dossiers =
        std::fs::read_dir("sample-tenders").unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count();
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.png");
    let result =
        browser(&["report", report.to_str().unwrap(), shot.to_str().unwrap(), &dossiers.to_string()]);
    assert_eq!(result["lang"], "fr");
    assert!(
        result["missing"].as_u64().unwrap() > 0,
        "the non-compliant samples show missing themes: {result}"
    );
}

/// A running `clausier serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(cwd: &Path, tmp: &Path) -> Server {
        let mut child = Command::cargo_bin("clausier")
            .unwrap()
            .args(["serve", "--bind", "127.0.0.1:0", "--max-request-mib", "8", "--max-concurrent", "2"])
            .current_dir(cwd)
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("").to_string();
        assert!(!addr.is_empty(), "no address in {line:?}");
        Server { child, addr }
    }

    /// Peak resident memory, in KiB.
    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Posts `files` as a multipart form; the status code and the body.
fn upload(addr: &str, files: &[(&str, Vec<u8>)]) -> std::io::Result<(u16, String)> {
    let boundary = "clausier-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")?;
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n")?;
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(120)))?;
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, text))
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

#[test]
#[ignore = "needs Debian's chromium and tests/tools' npm packages (.ci/run installs them)"]
fn a_dossier_uploaded_through_the_page_gets_its_report_and_nothing_is_written() {
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(cwd.path(), tmp.path());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dossier = root.join("sample-tenders/dce-portail-usagers");
    let mut files: Vec<String> = std::fs::read_dir(&dossier)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    files.sort();
    let shot = root.join("docs/serve.png");
    let url = format!("http://{}/", server.addr);
    let mut args = vec!["serve", url.as_str(), shot.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    let result = browser(&args);
    assert_eq!(result["rows"], 1, "one dossier uploaded: {result}");
    assert!(is_empty(cwd.path()), "nothing written in the server's folder");
    assert!(is_empty(tmp.path()), "nothing written in the temp folder");
}

#[test]
fn the_server_answers_fifty_concurrent_uploads_hostile_ones_included() {
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start(cwd.path(), tmp.path());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = std::fs::read(root.join("sample-tenders/dsp-eau-non-conforme/contrat-dsp.md")).unwrap();
    let mut hostile: Vec<(String, Vec<u8>)> = std::fs::read_dir(root.join("tests/hostile"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    hostile.sort();
    assert!(!hostile.is_empty());
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let addr = server.addr.clone();
            let file = if i % 5 == 0 {
                hostile[(i / 5) % hostile.len()].clone()
            } else {
                ("contrat-dsp.md".to_string(), sample.clone())
            };
            std::thread::spawn(move || (i % 5 == 0, upload(&addr, &[(file.0.as_str(), file.1)])))
        })
        .collect();
    let mut counts = std::collections::BTreeMap::new();
    for t in threads {
        let (hostile, answer) = t.join().unwrap();
        let (status, body) = answer.expect("every request is answered");
        *counts.entry(status).or_insert(0) += 1;
        // A report, a refusal page that says why, or "busy, try again".
        assert!(matches!(status, 200 | 400 | 413 | 503), "status {status}: {body}");
        assert!(body.contains("<html lang="), "an HTML page: {body}");
        if status == 200 && !hostile {
            assert!(body.contains("concession-data-missing"), "the report of the sample");
        }
    }
    assert!(counts.get(&200).copied().unwrap_or(0) > 0, "some uploads were checked: {counts:?}");
    // Still up, within bounded memory, and nothing written.
    let (status, _) = upload(&server.addr, &[("contrat-dsp.md", sample)]).unwrap();
    assert!(matches!(status, 200 | 503));
    let peak = server.peak_kib();
    assert!(peak < 512 * 1024, "peak memory {peak} KiB");
    assert!(is_empty(cwd.path()) && is_empty(tmp.path()), "nothing written");
}
