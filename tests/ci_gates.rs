//! What CI gates read: SARIF (validated by the SARIF multitool), GitHub
//! annotations, JUnit, GitLab Code Quality, statistics, inline suppressions
//! and the baseline.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn clausier() -> Command {
    let mut cmd = Command::cargo_bin("clausier").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run(args: &[&str]) -> (String, i32) {
    let out = clausier().args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

const DOSSIER: &str = "sample-tenders/dsp-eau-non-conforme";

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("clausier.sarif");
    let (_, code) = run(&["check", "sample-tenders", "--sarif-output", sarif.to_str().unwrap(), "--quiet"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let brand = rules.iter().find(|r| r["id"] == "brand-without-equivalent").unwrap();
    assert!(brand["helpUri"].as_str().unwrap().starts_with("https://www.legifrance.gouv.fr/"));
    // The rule's explanation and its basis, quoted, travel with it.
    assert!(brand["fullDescription"]["text"].as_str().unwrap().len() > 80, "{brand}");
    let help = brand["help"]["markdown"].as_str().unwrap();
    assert!(help.contains("Code de la commande publique, art. R2111-7") && help.contains("« "), "{help}");
    assert!(help.starts_with(brand["fullDescription"]["text"].as_str().unwrap().split(' ').next().unwrap()));
    let result = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["ruleId"] == "brand-without-equivalent"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "sample-tenders/dce-portail-usagers/rc.md"
        })
        .unwrap();
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 13);
    assert!(result["partialFingerprints"]["clausier/v1"].as_str().unwrap().contains("Excel"));
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "Excel ou équivalent"
    );
}

/// The SARIF of a run on relative paths, and of one on absolute paths with
/// spaces in the file names, pass the SARIF 2.1.0 validator.
#[test]
#[ignore = "needs the SARIF validator: npm ci --prefix tests/tools (.ci/run installs it)"]
fn sarif_passes_the_sarif_validator() {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules/.bin/sarif-multitool");
    assert!(tool.exists(), "the SARIF validator is missing: run `npm ci --prefix tests/tools`");
    let dir = tempfile::tempdir().unwrap();
    let spaced = dir.path().join("dossier avec espaces");
    std::fs::create_dir(&spaced).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(DOSSIER).join("contrat-dsp.md");
    std::fs::copy(source, spaced.join("contrat DSP été.md")).unwrap();
    let relative = dir.path().join("relative.sarif");
    let absolute = dir.path().join("absolute.sarif");
    run(&["check", "sample-tenders", "--sarif-output", relative.to_str().unwrap(), "--quiet"]);
    run(&["check", spaced.to_str().unwrap(), "--sarif-output", absolute.to_str().unwrap(), "--quiet"]);
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&absolute).unwrap()).unwrap();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        uri.starts_with("file:///")
            && uri.ends_with("/dossier%20avec%20espaces/contrat%20DSP%20%C3%A9t%C3%A9.md"),
        "{uri}"
    );
    for sarif in [relative, absolute] {
        let checked = sarif.with_extension("validation.sarif");
        let out = std::process::Command::new(&tool)
            .args(["validate", sarif.to_str().unwrap(), "-o", checked.to_str().unwrap()])
            .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        let validation: Value = serde_json::from_str(&std::fs::read_to_string(&checked).unwrap()).unwrap();
        let errors: Vec<&Value> = validation["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["level"].as_str().unwrap_or("warning") == "error")
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", sarif.display());
    }
}

#[test]
fn github_annotations() {
    let (out, code) = run(&["check", DOSSIER, "--format", "github"]);
    assert_eq!(code, 1);
    let line = out.lines().find(|l| l.contains("brand-without-equivalent")).unwrap();
    assert!(line.starts_with("::error file=sample-tenders/dsp-eau-non-conforme/contrat-dsp.md,line=21,col=67,endLine=21,endColumn=72,title=brand-without-equivalent"), "{line}");
    assert!(line.ends_with("::« Excel » est exigé sans la mention « ou équivalent »."), "{line}");
    assert!(out.lines().any(|l| l.starts_with("::warning ")));
}

#[test]
fn junit_and_gitlab() {
    let (out, _) = run(&["check", DOSSIER, "--format", "junit"]);
    assert!(out.starts_with("<?xml"));
    assert!(out.contains(r#"failures="7""#), "{out}");
    assert!(out.contains(r#"<testcase name="concession-data-missing at 23:4""#), "{out}");
    let (out, _) = run(&["check", DOSSIER, "--format", "gitlab"]);
    let issues: Value = serde_json::from_str(&out).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 7);
    assert_eq!(issues[1]["check_name"], "brand-without-equivalent");
    assert_eq!(issues[1]["severity"], "major");
    assert_eq!(issues[1]["location"]["lines"]["begin"], 21);
    let fingerprints: std::collections::BTreeSet<&str> =
        issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fingerprints.len(), 7, "fingerprints are unique");
}

#[test]
fn several_formats_in_one_run_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let junit = dir.path().join("r.xml");
    let gitlab = dir.path().join("gl.json");
    let (out, code) = run(&[
        "check",
        DOSSIER,
        "--statistics",
        "--json-output",
        json.to_str().unwrap(),
        "--junit-output",
        junit.to_str().unwrap(),
        "--gitlab-output",
        gitlab.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(out.starts_with(" count  rule  [severity]\n"), "a header: {out}");
    assert!(out.contains("     2  brand-without-equivalent  [error]"), "{out}");
    assert!(out.ends_with("     7  total\n"), "a total: {out}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 4);
    assert!(std::fs::read_to_string(junit).unwrap().contains("<testsuites"));
    assert!(std::fs::read_to_string(gitlab).unwrap().starts_with('['));

    // As JSON when asked; refused in a format that has no place for it.
    let (out, code) = run(&["check", DOSSIER, "--statistics", "--format", "json"]);
    assert_eq!(code, 1);
    let rows: Value = serde_json::from_str(&out).unwrap();
    let brand = rows.as_array().unwrap().iter().find(|r| r["rule"] == "brand-without-equivalent").unwrap();
    assert_eq!((brand["count"].as_u64(), brand["severity"].as_str()), (Some(2), Some("error")));
    let out = clausier().args(["check", DOSSIER, "--statistics", "--format", "sarif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--statistics prints a table"));
}

#[test]
fn inline_suppressions_and_unused_ones() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# Règlement de la consultation\n\n<!-- clausier-disable-next-line brand-without-equivalent -- validé par le service juridique -->\nLes offres sont remises au format Word.\n\nLe bordereau est remis au format Excel.\n\n<!-- clausier-disable brand-without-equivalent -->\nLes plans sont remis au format .dwg.\n<!-- clausier-enable brand-without-equivalent -->\n\n<!-- clausier-disable-next-line brand-without-equivalent -->\nRien à signaler ici.\n";
    std::fs::write(dir.path().join("rc.md"), text).unwrap();
    let check = || {
        run(&[
            "check",
            "--format",
            "json",
            "--select",
            "brand-without-equivalent",
            dir.path().to_str().unwrap(),
        ])
    };
    let (out, code) = check();
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        found,
        vec![("brand-without-equivalent".to_string(), 6), ("unused-suppression".to_string(), 12)]
    );

    // A whole-file suppression.
    std::fs::write(
        dir.path().join("rc.md"),
        format!("<!-- clausier-disable-file brand-without-equivalent -->\n{text}"),
    )
    .unwrap();
    let (out, _) = check();
    let json: Value = serde_json::from_str(&out).unwrap();
    assert!(json["diagnostics"].as_array().unwrap().iter().all(|d| d["rule"] == "unused-suppression"));
}

#[test]
fn docx_comment_suppresses_its_paragraph() {
    use docx_rs::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rc.docx");
    let run_ = |t: &str| Run::new().add_text(t);
    Docx::new()
        .add_paragraph(Paragraph::new().add_run(run_("Règlement de la consultation")).style("Heading1"))
        .add_paragraph(
            Paragraph::new()
                .add_comment_start(
                    Comment::new(1).add_paragraph(
                        Paragraph::new()
                            .add_run(run_("clausier-disable brand-without-equivalent -- marque existante")),
                    ),
                )
                .add_run(run_("Les offres sont remises au format Word."))
                .add_comment_end(1),
        )
        .add_paragraph(Paragraph::new().add_run(run_("Le bordereau est remis au format Excel.")))
        .build()
        .pack(std::fs::File::create(&path).unwrap())
        .unwrap();
    let (out, _) =
        run(&["check", "--format", "json", "--select", "brand-without-equivalent", path.to_str().unwrap()]);
    let json: Value = serde_json::from_str(&out).unwrap();
    let snippets: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["snippet"].as_str().unwrap()).collect();
    assert_eq!(snippets, vec!["Le bordereau est remis au format Excel."]);
}

#[test]
fn baseline_write_read_and_stale() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("rc.md");
    std::fs::write(&doc, "# Règlement de la consultation\n\nLes offres sont remises au format Word.\n\nLe bordereau est remis au format Excel.\n").unwrap();
    let baseline = dir.path().join("baseline.json");
    let select = ["--select", "brand-without-equivalent"];
    let (_, code) = run(&[
        &["check", "--write-baseline", baseline.to_str().unwrap()][..],
        &select,
        &[doc.to_str().unwrap()],
    ]
    .concat());
    assert_eq!(code, 0);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["entries"].as_array().unwrap().len(), 2);
    assert!(written["entries"][0].get("line").is_none(), "no line numbers in a baseline");

    // Lines move, a new finding appears, an old one is fixed.
    std::fs::write(&doc, "# Règlement de la consultation\n\nPréambule.\n\nLes offres sont remises au format Word.\n\nLes plans sont remis au format .dwg.\n").unwrap();
    let (out, code) = run(&[
        &["check", "--format", "json", "--baseline", baseline.to_str().unwrap()][..],
        &select,
        &[doc.to_str().unwrap()],
    ]
    .concat());
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    // Stale entries are notes about the run, after the files' findings; the
    // baseline is not counted as a checked file.
    assert_eq!(found, vec![("brand-without-equivalent", "error"), ("unused-suppression", "info")]);
    assert_eq!(json["summary"]["files"], 1);
    let stale = &json["diagnostics"][1];
    assert!(stale["message"].as_str().unwrap().contains("« Excel »"), "{stale}");
    // The finding the baseline accepted is counted, not silently dropped.
    assert_eq!(json["summary"]["accepted"], 1);
    let (out, _) = run(&[
        &["check", "--color", "never", "--baseline", baseline.to_str().unwrap()][..],
        &select,
        &[doc.to_str().unwrap()],
    ]
    .concat());
    assert!(out.contains("in 1 file checked (1 finding accepted by the baseline, not shown)."), "{out}");
}
