//! The hostile corpus of `tests/hostile/` (see SECURITY.md), with what
//! cannot be committed made here: a 50 MB single-line document, a FIFO, a
//! file with too many findings and an unreadable file. Each bad file gets
//! one `parse-error`, the good ones are checked, the run exits with 1, and
//! nothing crashes, hangs or takes more than 2 GiB of address space.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");

/// Runs clausier with `args` under an address-space limit (when `prlimit`
/// exists) and a time-out; its JSON report and exit code.
fn run_bounded(args: &[&str]) -> (Value, i32) {
    let bin = env!("CARGO_BIN_EXE_clausier");
    let limited = Command::new("prlimit").arg("--version").output().is_ok_and(|o| o.status.success());
    let mut cmd = if limited {
        let mut c = Command::new("prlimit");
        c.args(["--as=2147483648", "--", bin]);
        c
    } else {
        Command::new(bin)
    };
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let mut child =
        cmd.args(args).stdout(Stdio::from(out_file.reopen().unwrap())).stderr(Stdio::null()).spawn().unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("clausier hangs on the hostile corpus");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = std::fs::read_to_string(out_file.path()).unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: {e}: {text:.300}"));
    (json, status.code().unwrap_or(-1))
}

fn name(d: &Value) -> String {
    Path::new(d["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_hostile_file_gets_one_parse_error_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let mut bad: Vec<String> = Vec::new();
    let mut explicit: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(HOSTILE).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = corpus.join(&file);
        if path.symlink_metadata().unwrap().file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&path).unwrap(), &target).unwrap();
            // A walk does not follow links: these are named on the command line.
            explicit.push(target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
        bad.push(file);
    }
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/formats/tender.docx"),
        corpus.join("good.docx"),
    )
    .unwrap();
    // 50 MB on one line: nothing wrong with it, it must simply be checked.
    let sentence = "Le titulaire remet les livrables au format OpenDocument. ";
    std::fs::write(corpus.join("one-line.md"), sentence.repeat(50_000_000 / sentence.len())).unwrap();
    // More findings than the limit.
    std::fs::write(
        corpus.join("many-findings.md"),
        "# Règlement de la consultation\n\n".to_string() + &"Le mémoire est remis sous Word. ".repeat(1500),
    )
    .unwrap();
    bad.push("many-findings.md".into());
    // A FIFO nobody writes to: reading it would block for ever.
    let fifo = corpus.join("fifo.md");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    explicit.push(fifo);
    bad.push("fifo.md".into());
    // An unreadable file, unless the tests run as root (who reads anything).
    let unreadable = corpus.join("unreadable.md");
    std::fs::write(&unreadable, "# Cahier des clauses techniques particulières\n\nTexte.\n").unwrap();
    std::fs::set_permissions(&unreadable, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if std::fs::read(&unreadable).is_err() {
        bad.push("unreadable.md".into());
    }

    let mut args = vec!["check".to_string(), "--format".into(), "json".into(), corpus.display().to_string()];
    args.extend(explicit.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (json, code) = run_bounded(&args);
    assert_eq!(code, 1);

    let diagnostics = json["diagnostics"].as_array().unwrap();
    let mut errors: Vec<String> =
        diagnostics.iter().filter(|d| d["rule"] == "parse-error").map(name).collect();
    errors.sort();
    bad.sort();
    assert_eq!(errors, bad, "one parse-error for each bad file, none for the good ones");
    assert!(diagnostics.iter().filter(|d| name(d) == "good.docx").count() >= 6, "the good file is checked");
    assert_eq!(diagnostics.iter().filter(|d| name(d) == "many-findings.md").count(), 1001);

    let message = |file: &str| {
        let d = diagnostics.iter().find(|d| d["rule"] == "parse-error" && name(d) == file).unwrap();
        d["message"].as_str().unwrap().to_string()
    };
    assert!(message("zip-bomb.docx").contains("raise `limits.max-member-bytes`"));
    assert!(message("deep-nesting.docx").contains("raise `limits.max-xml-depth`"));
    assert!(message("many-findings.md").contains("raise `limits.max-findings-per-file`"));
    assert!(message("entity-expansion.docx").contains("DTD"));
    assert!(message("invalid-utf8.md").contains("not valid UTF-8"));
    assert!(message("encrypted.pdf").contains("encrypted"));
    assert!(message("no-text-layer.pdf").contains("no text layer"));
    assert!(message("page-tree-loop.pdf").contains("page tree loops"));
    assert!(message("loop.md").to_lowercase().contains("symbolic links"));
    assert!(message("dangling.md").contains("No such file"));
    assert!(message("fifo.md").contains("not a regular file"));
}

#[test]
fn limits_are_set_in_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".clausier.yaml"), "limits:\n  max-file-bytes: 100\n").unwrap();
    std::fs::write(dir.path().join("rc.md"), "# Règlement de la consultation\n\n".repeat(10)).unwrap();
    let path = dir.path().display().to_string();
    let (json, code) = run_bounded(&["check", "--format", "json", &path]);
    assert_eq!(code, 1);
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("more than the limit of 100 bytes"), "{message}");
    assert!(message.contains("raise `limits.max-file-bytes`"), "{message}");

    // An unknown limit is a configuration error, with its place.
    std::fs::write(dir.path().join(".clausier.yaml"), "limits:\n  max-pages: 3\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_clausier")).args(["check", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("max-pages"));
}

/// A YAML "billion laughs": each alias doubles the size of the last.
fn billion_laughs() -> String {
    let mut yaml =
        String::from("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 1..30 {
        let prev = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    yaml
}

#[test]
fn a_billion_laughs_rule_or_configuration_fails_fast_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("regles");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("rire.yaml"), billion_laughs()).unwrap();
    std::fs::write(dir.path().join("rc.md"), "# Règlement de la consultation\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_clausier");
    let out = Command::new(bin)
        .current_dir(dir.path())
        .args(["check", "--rules", "regles", "rc.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rire.yaml"));

    std::fs::write(dir.path().join(".clausier.yaml"), billion_laughs()).unwrap();
    let out = Command::new(bin).current_dir(dir.path()).args(["check", "rc.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".clausier.yaml"));
}
