//! The labelled corpus of real public documents in ../shared/corpus/ (not
//! part of the project: the documents stay where they were published for
//! us). `clausier eval` scores the findings against the blind labels; the
//! floor recorded here can only go up.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The floor: every expected finding found, no false positive
/// (`clausier eval ../shared/corpus/expectations.json`, 11 of 11, 0).
const MIN_RECALL: &str = "100";
const MAX_FALSE_POSITIVES: &str = "0";

fn corpus() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        root.join("expectations.json").is_file(),
        "{} is missing: .ci/run runs where it is present",
        root.display()
    );
    root
}

fn clausier() -> Command {
    let mut cmd = Command::cargo_bin("clausier").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

#[test]
#[ignore = "needs ../shared/corpus (real documents kept outside the project): run by .ci/run"]
fn the_labelled_real_dossiers_score_at_or_above_the_floor() {
    let expectations = corpus().join("expectations.json");
    let out = clausier()
        .args(["eval", expectations.to_str().unwrap(), "--min-recall", MIN_RECALL])
        .args(["--max-false-positives", MAX_FALSE_POSITIVES])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("total: 11 of 11 expected findings found (100 %), 0 missed, 0 false positives"),
        "{stdout}"
    );
}

#[test]
#[ignore = "needs ../shared/corpus (real documents kept outside the project): run by .ci/run"]
fn the_a88_concession_is_a_concession_and_its_rules_run() {
    let folder = corpus().join("real/a88-concession-autoroute");
    let out = clausier().args(["check", "--show-kinds", folder.to_str().unwrap()]).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("cahier-des-charges-convention-a88.md: concession (title: « CAHIER DES CHARGES POUR LA CONCESSION »)"), "{shown}");
    let out = clausier().args(["check", "--format", "json", folder.to_str().unwrap()]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"concession-data-reuse-missing"), "{rules:?}");
    let delivery = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "data-delivery-terms-missing")
        .unwrap();
    assert!(
        delivery["section"].as_str().unwrap().starts_with("Article 21 Diffusion de l'information"),
        "{delivery}"
    );
}
