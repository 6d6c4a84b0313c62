//! Integration tests: run the real binary on files in tests/fixtures/.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn clausier() -> Command {
    let mut cmd = Command::cargo_bin("clausier").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("NO_COLOR");
    cmd
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = clausier().args(["check", "--format", "json"]).args(args).output().unwrap();
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (value, out.status.code().unwrap())
}

#[test]
fn human_output_renders_each_finding() {
    let out = clausier()
        .args([
            "check",
            "--color",
            "never",
            "--select",
            "brand-without-equivalent",
            "tests/fixtures/dossier-rc",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn json_points_at_the_exact_words() {
    let (json, code) = json_of(&["--select", "brand-without-equivalent", "tests/fixtures/dossier-rc"]);
    assert_eq!(code, 1);
    assert_eq!(json["version"], 1);
    assert_eq!(json["summary"]["files"], 1);
    assert_eq!(json["summary"]["errors"], 2);
    let diags = json["diagnostics"].as_array().unwrap();
    // The first sentence has « ou équivalent »: only the next one is reported.
    let first = &diags[0];
    assert_eq!(first["rule"], "brand-without-equivalent");
    assert_eq!(first["path"], "tests/fixtures/dossier-rc/rc.md");
    let line = "L’offre est rédigée en français. Le mémoire de l’entreprise est remis au format Word ou équivalent. L’acte d’engagement est remis au format Word.";
    let column = line.chars().count() - "Word.".chars().count() + 1;
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(5), Some(column as u64)));
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(5), Some(column as u64 + 4))
    );
    assert_eq!(first["snippet"], line);
    assert_eq!(first["section"], "Article 4 – Présentation des offres");
    assert_eq!(first["page"], Value::Null);
    assert_eq!(first["message"], "« Word » est exigé sans la mention « ou équivalent ».");
    assert_eq!(first["fix"]["replacement"], "Word ou équivalent");
    assert_eq!(first["fix"]["applicability"], "review");
    assert_eq!(first["legal_basis"][0]["ref"], "Code de la commande publique, art. R2111-7");
    assert!(first["legal_basis"][0]["url"].as_str().unwrap().starts_with("https://www.legifrance.gouv.fr/"));
    // A list item, after curly apostrophes and accents on the same line.
    let second = &diags[1];
    let item = "* Le cadre de réponse, élaboré par l’acheteur, est fourni au format Excel.";
    assert_eq!(second["line"], 7);
    assert_eq!(
        second["column"].as_u64(),
        Some(item.find("Excel").map(|b| item[..b].chars().count() as u64 + 1).unwrap())
    );
    assert_eq!(second["snippet"], item);
}

#[test]
fn missing_clause_carries_the_model_clause() {
    let (json, code) = json_of(&["tests/fixtures/concession"]);
    assert_eq!(code, 1);
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "concession-data-missing");
    // Anchored at the data article, where the clause belongs.
    assert_eq!(d["line"], 7);
    assert_eq!(d["snippet"], "## Article 12 – Données");
    assert_eq!(d["clause"]["id"], "concession-open-data");
    assert!(d["clause"]["text"].as_str().unwrap().contains("standard ouvert"));
    assert_eq!(d["fix"], Value::Null);
}

#[test]
fn compliant_dossier_exits_zero() {
    let out = clausier().args(["check", "tests/fixtures/compliant"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 errors, 0 warnings, 0 infos in 1 file checked."));
}

#[test]
fn fail_level_decides_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("note.md"), "# Note\n\nLorem ipsum dolor.\n").unwrap();
    let path = dir.path().to_str().unwrap();
    let run = |extra: &[&str]| {
        clausier()
            .args(["check", "--rules", "tests/fixtures/warning-pack", path])
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&[]), Some(1), "warnings fail by default");
    assert_eq!(run(&["--fail-on", "error"]), Some(0));
    assert_eq!(run(&["--fail-on", "info"]), Some(1));
    assert_eq!(run(&["--ignore", "lorem-ipsum"]), Some(0));
}

#[test]
fn usage_errors_exit_two() {
    let out = clausier().args(["check", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out =
        clausier().args(["check", "--select", "no-such-rule", "tests/fixtures/compliant"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `no-such-rule`"));
    let out = clausier().args(["check", "--kind", "memo", "tests/fixtures/compliant"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn broken_rule_file_exits_two_with_its_place() {
    let out = clausier()
        .args([
            "check",
            "--color",
            "never",
            "--rules",
            "tests/fixtures/broken-pack",
            "tests/fixtures/compliant",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("tests/fixtures/broken-pack/broken-rule.yaml:7:5"), "{stderr}");
    assert!(stderr.contains("unles"), "{stderr}");
}

/// A pattern too large to compile is an error in its rule file, at its
/// place, not a pattern that silently matches nothing.
#[test]
fn a_pattern_too_large_to_compile_is_reported_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    std::fs::create_dir(&pack).unwrap();
    let rule = "id: big-regex\ntitle: Big\nseverity: warning\ncheck:\n  forbid:\n    patterns: ['Word\\w{0,3000}']\nmessage: \"{match}\"\nexplanation: Test.\n";
    std::fs::write(pack.join("big-regex.yaml"), rule).unwrap();
    let out = clausier()
        .args(["check", "--color", "never", "--rules", pack.to_str().unwrap(), "tests/fixtures/compliant"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("big-regex.yaml:6:"), "{stderr}");
    assert!(stderr.contains("cannot be used") && stderr.contains("MiB"), "{stderr}");
}

/// `--format concise` is one line a finding, then the summary; the human
/// report prints a model clause in full once a run.
#[test]
fn concise_is_one_line_a_finding_and_clauses_print_once() {
    let dir = "sample-tenders/dsp-eau-non-conforme";
    let (json, _) = json_of(&[dir]);
    let findings = json["diagnostics"].as_array().unwrap().len();
    let out = clausier().args(["check", "--format", "concise", dir]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), findings + 1, "{stdout}");
    assert!(
        lines[0].starts_with(
            "sample-tenders/dsp-eau-non-conforme/contrat-dsp.md:21:57: warning[proprietary-format-only] "
        ),
        "{stdout}"
    );
    assert!(lines[findings].ends_with("in 1 file checked."), "{stdout}");
    // Two findings propose the concession's data clause: its text once.
    let human = clausier().args(["check", dir]).output().unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert_eq!(human.matches("clause type à insérer (concession-open-data)\u{202f}:").count(), 1, "{human}");
    assert_eq!(
        human.matches("clause type à insérer\u{202f}: concession-open-data (texte plus haut)").count(),
        1,
        "{human}"
    );
}

#[test]
fn a_missing_path_is_a_usage_error() {
    for command in ["check", "fix"] {
        let out = clausier().args([command, "nosuch.pdf"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("nosuch.pdf: No such file or directory"), "{command}: {stderr}");
        assert!(out.stdout.is_empty(), "{command}");
    }
}

#[test]
fn a_folder_with_nothing_to_read_says_so() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["rc.doc", "ccap.doc", "bpu.xlsx"] {
        std::fs::write(dir.path().join(name), b"\xd0\xcf\x11\xe0").unwrap();
    }
    let out = clausier().args(["check", dir.path().to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no document to check"), "{stderr}");
    assert!(stderr.contains("skipped: 2 .doc, 1 .xlsx"), "{stderr}");
    assert!(stderr.contains(".docx") && stderr.contains(".pdf"), "{stderr}");
    // A folder with documents says nothing of the kind.
    let out = clausier().args(["check", "sample-tenders/dsp-eau-conforme"]).output().unwrap();
    assert!(!String::from_utf8(out.stderr).unwrap().contains("no document to check"));
}

#[test]
fn unreadable_files_are_reported_and_the_others_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-bad.md"), b"# Titre\n\nCaf\xe9 au format Word.\n").unwrap();
    std::fs::copy("tests/fixtures/dossier-rc/rc.md", dir.path().join("rc.md")).unwrap();
    let (json, code) = json_of(&["--select", "brand-without-equivalent", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(json["summary"]["files"], 2);
    let rules: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let name = Path::new(d["path"].as_str().unwrap()).file_name().unwrap().to_str().unwrap();
            (name, d["rule"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        rules,
        vec![
            ("a-bad.md", "parse-error"),
            ("rc.md", "brand-without-equivalent"),
            ("rc.md", "brand-without-equivalent"),
        ]
    );
    let bad = &json["diagnostics"][0];
    assert!(
        bad["message"].as_str().unwrap().contains("not valid UTF-8 (first invalid byte at line 3"),
        "{bad}"
    );
}

#[test]
fn built_in_rule_fixtures_pass() {
    let out = clausier().arg("test-rules").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(" 0 failed"), "{stdout}");
    assert!(stdout.contains("ok      brand-without-equivalent"), "{stdout}");
}

#[test]
fn test_rules_reports_a_failing_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    let copy = |from: &str, to: &str| {
        std::fs::create_dir_all(pack.join(to).parent().unwrap()).unwrap();
        std::fs::copy(Path::new("tests/fixtures/warning-pack").join(from), pack.join(to)).unwrap();
    };
    copy("lorem-ipsum.yaml", "lorem-ipsum.yaml");
    copy("lorem-ipsum/pass.md", "lorem-ipsum/pass.md");
    // An expectation on the wrong line.
    std::fs::write(
        pack.join("lorem-ipsum/fail.md"),
        "# Note\n\n<!-- expect: lorem-ipsum -->\nTexte.\n\nLorem ipsum.\n",
    )
    .unwrap();
    let out = clausier().args(["test-rules", pack.to_str().unwrap()]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("fail.md:4: expected `lorem-ipsum` here, not reported"), "{stdout}");
    assert!(stdout.contains("fail.md:6: unexpected `lorem-ipsum`"), "{stdout}");
    assert!(stdout.contains("0 passed, 1 failed"), "{stdout}");

    let out = clausier().args(["test-rules", "tests/fixtures/warning-pack"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn explain_documents_a_rule() {
    let out = clausier().args(["explain", "concession-data-missing"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Code de la commande publique, art. L3131-2"), "{text}");
    // A French rule is explained under French headings, an English one in English.
    assert!(text.contains("## Clause type `concession-open-data`"), "{text}");
    assert!(text.contains("## Base légale"), "{text}");
    let out = clausier().args(["explain", "brand-name-without-or-equal"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("## Legal basis") && text.contains("## Fix"), "{text}");
    assert!(!text.contains('«'), "no French quotation marks in English: {text}");
    let out = clausier().args(["explain", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A misspelt id gets the closest one.
    let out = clausier().args(["explain", "brand-without-equivalnt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean `brand-without-equivalent`?"), "{err}");
}

#[test]
fn rules_lists_every_rule_as_json() {
    let out = clausier().args(["rules", "--format", "json"]).output().unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rules.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in ["brand-without-equivalent", "concession-data-missing", "brand-name-without-or-equal"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let brand = rules.as_array().unwrap().iter().find(|r| r["id"] == "brand-name-without-or-equal").unwrap();
    assert_eq!(brand["pack"], "en");
    assert_eq!(brand["severity"], "error");
    assert!(brand["legal_basis"].as_array().unwrap().len() >= 2);
    // The engine's rules are rules like the others.
    let engine: Vec<(&str, &str)> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["pack"] == "engine")
        .map(|r| (r["id"].as_str().unwrap(), r["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(engine, vec![("parse-error", "error"), ("unused-suppression", "warning")]);
    let out = clausier().args(["explain", "unused-suppression"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("per-path-ignores"));
}

/// The README's rule catalogue is what `clausier rules --format markdown`
/// prints: it cannot drift from the rules.
#[test]
fn the_readme_catalogue_is_generated_from_the_rules() {
    let out = clausier().args(["rules", "--format", "markdown"]).output().unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("<!-- rules:begin -->\n").unwrap() + "<!-- rules:begin -->\n".len();
    let end = readme.find("<!-- rules:end -->").unwrap();
    assert!(
        readme[start..end] == generated,
        "the README's catalogue differs from `clausier rules --format markdown`: paste its output between the markers"
    );
    // Every rule is in it, with its basis quoted.
    assert!(generated.contains("| `concession-data-missing` | fr | error |"));
    assert!(generated.contains("| `unused-suppression` | engine | warning |"));
    assert!(generated.contains("[Code de la commande publique, art. R2111-7](https://"));
}

/// `unused-suppression` is ignored and re-rated like any rule; `parse-error`
/// cannot be turned off.
#[test]
fn engine_rules_are_configured_like_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# Règlement de la consultation\n\n<!-- clausier-disable-next-line brand-without-equivalent -- rien -->\nLes candidats joignent un mémoire.\n";
    std::fs::write(dir.path().join("rc.md"), text).unwrap();
    let rc = dir.path().join("rc.md");
    let rules = |args: &[&str]| -> Vec<(String, String)> {
        let (json, _) = json_of(&[&[rc.to_str().unwrap()], args].concat());
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["rule"].as_str().unwrap().to_string(), d["severity"].as_str().unwrap().to_string()))
            .collect()
    };
    assert_eq!(rules(&[]), vec![("unused-suppression".to_string(), "warning".to_string())]);
    assert!(rules(&["--ignore", "unused-suppression"]).is_empty());
    std::fs::write(dir.path().join(".clausier.yaml"), "severity: { unused-suppression: info }\n").unwrap();
    assert_eq!(rules(&[]), vec![("unused-suppression".to_string(), "info".to_string())]);
    let out = clausier().args(["check", rc.to_str().unwrap(), "--ignore", "parse-error"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("`parse-error` cannot be ignored"));
}

/// Every built-in rule states its legal basis as a reference, a link to the
/// article (not to a whole code, law or act) and a quote of its text.
#[test]
fn every_legal_basis_is_referenced_linked_and_quoted() {
    let out = clausier().args(["rules", "--format", "json"]).output().unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Addresses of a whole text: a code's table of contents, a law or an act.
    let whole = ["/texte_lc/", "/jorf/id/", "/jo/texte", "/eli/dir/", "/eli/reg/", "CELEX:"];
    let mut faults = Vec::new();
    // The engine's own rules (a file not read, a suppression unused) report
    // on the run, not on a clause: they have no legal basis.
    for rule in rules.as_array().unwrap().iter().filter(|r| r["pack"] != "engine") {
        let id = rule["id"].as_str().unwrap();
        let bases = rule["legal_basis"].as_array().unwrap();
        if bases.is_empty() {
            faults.push(format!("{id}: no legal basis"));
        }
        for basis in bases {
            let field = |name: &str| basis[name].as_str().unwrap_or("").trim().to_string();
            let (reference, url, quote) = (field("ref"), field("url"), field("quote"));
            if reference.is_empty() || quote.len() < 40 {
                faults.push(format!("{id}: {reference:?} lacks a reference or a quote"));
            }
            if !url.starts_with("https://") || whole.iter().any(|w| url.contains(w)) {
                faults.push(format!("{id}: {reference:?} does not link to its article ({url:?})"));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// Every built-in rule says which guarantee it looks for: the HTML
/// report's coverage table is computed from it.
#[test]
fn every_built_in_rule_has_a_theme() {
    let out = clausier().args(["rules", "--format", "json"]).output().unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let without: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["pack"] != "engine" && r["theme"].is_null())
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(without.is_empty(), "rules without a theme: {without:?}");
}

/// Each sample dossier's findings are exactly those listed in its `findings.expected`.
#[test]
fn sample_tenders_report_exactly_their_expected_findings() {
    for entry in std::fs::read_dir("sample-tenders").unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let expected: Vec<String> = std::fs::read_to_string(dir.join("findings.expected"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        let (json, _) = json_of(&[dir.to_str().unwrap()]);
        let found: Vec<String> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let name = Path::new(d["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                format!("{name}:{}:{} {}", d["line"], d["column"], d["rule"].as_str().unwrap())
            })
            .collect();
        assert_eq!(found, expected, "findings of {}", dir.display());
    }
}

#[test]
fn folders_are_walked_respecting_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let rc = "# Règlement de la consultation\n\nLes offres sont remises au format Word.\n";
    std::fs::write(dir.path().join(".gitignore"), "brouillon.md\n").unwrap();
    std::fs::write(dir.path().join("brouillon.md"), rc).unwrap();
    std::fs::write(dir.path().join("rc.md"), rc).unwrap();
    std::fs::write(dir.path().join("image.png"), [0u8, 159, 146, 150]).unwrap();
    std::fs::create_dir(dir.path().join("lot2")).unwrap();
    std::fs::write(dir.path().join("lot2/rc.txt"), rc.replace("# ", "")).unwrap();
    let (json, _) = json_of(&["--select", "brand-without-equivalent", dir.path().to_str().unwrap()]);
    let paths: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().strip_prefix(dir.path().to_str().unwrap()).unwrap().to_string())
        .collect();
    assert_eq!(paths, vec!["/lot2/rc.txt", "/rc.md"]);
    assert_eq!(json["summary"]["files"], 2);
}

#[test]
fn test_rules_prints_the_quality_table() {
    let out = clausier().args(["test-rules", "--samples", "sample-tenders"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("ok      samples in sample-tenders"), "{stdout}");
    let row = stdout.lines().find(|l| l.starts_with("concession-data-missing ")).unwrap();
    let numbers: Vec<&str> = row.split_whitespace().skip(1).collect();
    assert_eq!(numbers, vec!["4", "0", "0", "1", "0", "0"], "{row}");
}

/// The real US federal statements of work in ../shared/corpus/real/ are
/// exemplary on every point the English pack checks: nothing to report.
#[test]
#[ignore = "needs ../shared/corpus (real documents kept outside the project): run by .ci/run"]
fn real_us_tenders_report_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    assert!(root.is_dir(), "{} is missing: .ci/run runs where it is present", root.display());
    for dossier in ["us-18f-fedramp-dashboard", "us-18f-opm-eqip"] {
        let (json, code) = json_of(&[root.join(dossier).to_str().unwrap()]);
        assert_eq!(json["summary"]["files"], 2, "{dossier}");
        assert_eq!(json["diagnostics"], serde_json::json!([]), "{dossier}");
        assert_eq!(code, 0);
    }
}

const DSP: &str = "# Contrat de délégation de service public de l'eau\n\n## Article 16 – Données\n\nRien.\n";

const DSP_WITH_DATA: &str = "# Contrat de délégation de service public de l'eau\n\n## Article 12 – Données\n\nLe délégataire fournit à l'autorité délégante, chaque année, les données et bases de données du service au format CSV, librement réutilisables.\n";

fn rules_of(json: &Value, file: &str) -> Vec<String> {
    let mut rules: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().unwrap().ends_with(file))
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules
}

/// Two concession contracts in one folder are two procurements: the data
/// clause of one does not hide its absence in the other.
#[test]
fn a_folder_of_contracts_is_one_dossier_a_contract() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dsp-a.md"), DSP_WITH_DATA).unwrap();
    std::fs::write(dir.path().join("dsp-b.md"), DSP).unwrap();
    std::fs::write(
        dir.path().join("annexe-dsp-b-tarifs.md"),
        "# Annexe 2 – Tarifs\n\nLes tarifs sont fixés.\n",
    )
    .unwrap();
    let folder = dir.path().to_str().unwrap();
    let (json, _) = json_of(&[folder]);
    assert!(rules_of(&json, "dsp-b.md").contains(&"concession-data-missing".to_string()), "{json:#}");
    assert!(!rules_of(&json, "dsp-a.md").contains(&"concession-data-missing".to_string()), "{json:#}");
    let dossiers = json["dossiers"].as_array().unwrap();
    assert_eq!(dossiers.len(), 2, "{dossiers:#?}");
    assert_eq!(dossiers[1]["grouping"], "principal");
    let second: Vec<&str> =
        dossiers[1]["documents"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert!(second[0].ends_with("annexe-dsp-b-tarifs.md") && second[1].ends_with("dsp-b.md"), "{second:?}");
    assert_eq!(dossiers[1]["documents"][1]["kind"], "concession");
    assert_eq!(dossiers[1]["documents"][0]["annex"], true);
    // --dossier folder checks the folder as one dossier again.
    let (json, _) = json_of(&["--dossier", "folder", folder]);
    assert!(!rules_of(&json, "dsp-b.md").contains(&"concession-data-missing".to_string()), "{json:#}");
    // A glob of the configuration groups files its own way.
    std::fs::write(dir.path().join(".clausier.yaml"), "dossiers: [\"dsp-*.md\"]\n").unwrap();
    let (json, _) = json_of(&[folder]);
    let configured = json["dossiers"].as_array().unwrap().iter().find(|d| d["grouping"] == "configured");
    assert_eq!(configured.unwrap()["documents"].as_array().unwrap().len(), 2, "{json:#}");
    assert!(!rules_of(&json, "dsp-b.md").contains(&"concession-data-missing".to_string()), "{json:#}");
}

#[test]
fn show_kinds_says_what_each_document_is_and_why() {
    let out =
        clausier().args(["check", "--show-kinds", "sample-tenders/dce-portail-usagers"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.starts_with("sample-tenders/dce-portail-usagers [folder]\n"), "{shown}");
    assert!(shown.contains("sample-tenders/dce-portail-usagers/ccap.md: ccap (title: « Cahier des clauses administratives particulières »), fr (content)"), "{shown}");
}

#[test]
fn configuration_fills_placeholders_and_rates_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".clausier.yaml"),
        "select: [concession-data-missing]\nseverity:\n  concession-data-missing: info\nplaceholders:\n  acheteur: la Communauté de communes\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("dsp")).unwrap();
    std::fs::write(dir.path().join("dsp/contrat.md"), DSP).unwrap();
    let (json, code) = json_of(&[dir.path().join("dsp").to_str().unwrap()]);
    assert_eq!(code, 0, "an info does not fail at the default level");
    let d = &json["diagnostics"][0];
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1, "only the selected rule runs");
    assert_eq!(d["severity"], "info");
    let clause = d["clause"]["text"].as_str().unwrap();
    assert!(clause.contains("Le délégataire fournit à la Communauté de communes"), "{clause}");
    assert!(!clause.contains("{{acheteur}}"));
}

#[test]
fn closest_configuration_wins_and_globs_apply() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join(".clausier.yaml"),
        "fail-on: error\nselect: [brand-without-equivalent, outdated-ccag-tic]\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("lot1/pieces")).unwrap();
    std::fs::write(
        root.join("lot1/.clausier.yaml"),
        "select: [outdated-ccag-tic]\nkinds:\n  \"pieces/clauses-*.md\": ccap\nper-path-ignores:\n  \"pieces/old-*.md\": [outdated-ccag-tic]\n",
    )
    .unwrap();
    let text =
        "# Marché de services\n\nLe CCAG-TIC 2009 s'applique. Les offres sont remises au format Word.\n";
    std::fs::write(root.join("lot1/pieces/clauses-admin.md"), text).unwrap();
    std::fs::write(root.join("lot1/pieces/old-clauses.md"), text).unwrap();
    std::fs::write(
        root.join("rc.md"),
        "# Règlement de la consultation\n\nLes offres sont remises au format Word.\n",
    )
    .unwrap();
    let (json, _) = json_of(&[root.to_str().unwrap()]);
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let p = d["path"].as_str().unwrap().strip_prefix(root.to_str().unwrap()).unwrap().to_string();
            (p, d["rule"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        found,
        vec![
            // Made a CCAP by the glob; the nested configuration selects only this rule.
            ("/lot1/pieces/clauses-admin.md".to_string(), "outdated-ccag-tic".to_string()),
            ("/rc.md".to_string(), "brand-without-equivalent".to_string()),
        ]
    );
    // `fail-on: error` of the configuration where clausier runs.
    let code = clausier().current_dir(root).args(["check", "lot1"]).output().unwrap().status.code();
    assert_eq!(code, Some(0), "a warning does not fail with fail-on: error");
}

#[test]
fn bad_configuration_exits_two_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".clausier.yaml"),
        "select: [brand-without-equivalent]\nfail-on: sometimes\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("rc.md"), DSP).unwrap();
    let out = clausier().args(["check", "--color", "never", dir.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(".clausier.yaml:2:10"), "{stderr}");

    std::fs::write(dir.path().join(".clausier.yaml"), "ignore: [no-such-rule]\n").unwrap();
    let out = clausier().args(["check", dir.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".clausier.yaml:1:10: unknown rule `no-such-rule`"), "{stderr}");
}

#[test]
fn explicit_config_replaces_discovery() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".clausier.yaml"), "select: [outdated-ccag-tic]\n").unwrap();
    std::fs::write(dir.path().join("other.yaml"), "select: [concession-data-missing]\n").unwrap();
    std::fs::write(dir.path().join("contrat.md"), DSP).unwrap();
    let other = dir.path().join("other.yaml");
    let (json, _) = json_of(&["--config", other.to_str().unwrap(), dir.path().to_str().unwrap()]);
    assert_eq!(json["diagnostics"][0]["rule"], "concession-data-missing");
}

#[test]
fn init_writes_a_configuration_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = clausier().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join(".clausier.yaml")).unwrap();
    assert!(written.contains("placeholders:"));
    std::fs::write(dir.path().join(".clausier.yaml"), "# mine\n").unwrap();
    let out = clausier().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.path().join(".clausier.yaml")).unwrap(), "# mine\n");
    // The written configuration is valid.
    std::fs::write(dir.path().join(".clausier.yaml"), written).unwrap();
    std::fs::write(dir.path().join("a.md"), "# Note\n\nTexte.\n").unwrap();
    let out = clausier().current_dir(dir.path()).args(["check", "a.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Mistakes a new user makes with rule ids and the configuration, each
/// answered with the place and the closest right answer.
#[test]
fn unknown_rules_are_located_and_the_closest_is_suggested() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rc.md"), "# Règlement de la consultation\n\nTexte.\n").unwrap();
    let config = dir.path().join(".clausier.yaml");
    let check = |config_text: &str, args: &[&str]| {
        std::fs::write(&config, config_text).unwrap();
        let out = clausier()
            .args(["check", "--color", "never"])
            .args(args)
            .arg(dir.path().join("rc.md"))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    // In the configuration: file, line and column of the id, underlined there.
    let (code, err) = check("ignore:\n  - accessibility-missing\nselect: [brand-without-equivalnt]\n", &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains(".clausier.yaml:3:10: unknown rule `brand-without-equivalnt` (did you mean `brand-without-equivalent`?)"), "{err}");
    assert!(err.contains(" 3 │ select: [brand-without-equivalnt]"), "{err}");
    // Per-path ignores are checked too (a typo there used to ignore nothing, silently).
    let (code, err) = check("per-path-ignores:\n  'annexes/**': [brand-without-equivalant]\n", &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains(":2:18: unknown rule `brand-without-equivalant`"), "{err}");
    // A YAML error underlines the place it names, not the top of the file.
    let (code, err) = check("select:\n  - a\n   b: [\n", &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains(".clausier.yaml:3:5:") && err.contains(" 3 │    b: ["), "{err}");
    // On the command line: every unknown id is named.
    let (code, err) = check("", &["--ignore", "foo,brand-without-equivalnt"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unknown rule `foo`, unknown rule `brand-without-equivalnt` (did you mean `brand-without-equivalent`?)"),
        "{err}"
    );
}

#[test]
fn help_lists_the_kinds_and_fix_takes_ignore() {
    let out = clausier().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("[possible values: rc, ccap, cctp, ae, concession, sow, notice, unknown]"),
        "{help}"
    );
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("rc.md");
    let text = "# Règlement de la consultation\n\nLes offres sont remises au format Word.\n";
    std::fs::write(&doc, text).unwrap();
    let out = clausier()
        .args(["fix", "--unsafe-fixes", "--ignore", "brand-without-equivalent"])
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&doc).unwrap(), text, "an ignored rule is not fixed");
    let out = clausier().args(["fix", "--unsafe-fixes"]).arg(&doc).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(": 1 change applied"), "one change, singular: {err}");
}

/// The README's example output is what the command it shows prints.
#[test]
fn the_readme_example_is_what_check_prints() {
    let command = "$ clausier check --select brand-without-equivalent,concession-data-missing sample-tenders/dsp-eau-non-conforme\n";
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find(command).unwrap() + command.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = clausier()
        .args(["check", "--color", "never", "--select", "brand-without-equivalent,concession-data-missing"])
        .arg("sample-tenders/dsp-eau-non-conforme")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the README says it exits 1");
    let printed = String::from_utf8(out.stdout).unwrap();
    let trimmed = |t: &str| t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    assert_eq!(trimmed(shown), trimmed(&printed));
}

/// The HTML report: one self-contained page, a coverage row per dossier,
/// each finding with its basis, each clause once.
#[test]
fn the_html_report_covers_each_dossier_and_fetches_nothing() {
    let out = clausier().args(["check", "sample-tenders", "--format", "html"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"), "French documents, a French page");
    let dossiers =
        std::fs::read_dir("sample-tenders").unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count();
    let body = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    assert_eq!(body.matches("<tr>").count(), dossiers);
    // The non-compliant water DSP misses the data guarantees; the compliant one covers them.
    let row = |name: &str| {
        body.lines().find(|l| l.contains(&format!(">sample-tenders/{name}<"))).unwrap().to_string()
    };
    assert!(
        row("dsp-eau-non-conforme").contains("class=\"partly\"")
            || row("dsp-eau-non-conforme").contains("class=\"missing\"")
    );
    assert!(!row("dsp-eau-conforme").contains("class=\"missing\""), "{}", row("dsp-eau-conforme"));
    // Nothing is fetched: no external script, style, image or font.
    for tag in ["<script src", "<link", "<img", "@import", "url("] {
        assert!(!html.contains(tag), "{tag} in a self-contained page");
    }
    // A clause is printed in full once, then referred to.
    let full = html.matches("<pre id=\"clause-concession-open-data\">").count();
    assert_eq!(full, 1);
    assert!(html.contains("<details class=\"basis\">") && html.contains("<blockquote><p>"), "quoted bases");
    // An English dossier alone gets an English page.
    let out = clausier()
        .args(["check", "sample-tenders/sow-case-management", "--format", "html"])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Coverage by dossier"), "{}", &html[..400]);
}
