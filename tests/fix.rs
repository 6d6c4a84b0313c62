//! `clausier fix`: on Markdown (applicability, idempotence, --diff,
//! --dry-run, clause insertion at the right section or in a new one, atomic
//! writes) and the DOCX redline (tracked changes, comments, untouched
//! parts, LibreOffice, accepted changes re-checked).

use assert_cmd::Command;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn clausier(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("clausier").unwrap();
    cmd.current_dir(dir);
    cmd
}

const RC: &str = "# Cahier des clauses administratives particulières\n\n## Article 2 – Pièces\n\nLe marché est soumis au CCAG-TIC 2009. Le Réglement de la consultation est joint.\n\n## Article 4 – Offres\n\nLes offres sont remises au format Word.\n\nLorem.\n";

#[test]
fn safe_review_and_display_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ccap.md");
    std::fs::write(&file, RC).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/display-pack");
    let select = "brand-without-equivalent,outdated-ccag-tic,lorem-display,typo-reglement";
    let fix = |extra: &[&str]| {
        clausier(dir.path())
            .args(["fix", ".", "--rules", pack.to_str().unwrap(), "--select", select])
            .args(extra)
            .output()
            .unwrap()
    };

    // --diff and --dry-run write nothing.
    let out = fix(&["--diff"]);
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("+Le marché est soumis au CCAG-TIC 2009. Le Règlement de la consultation est joint."),
        "{diff}"
    );
    assert!(!diff.contains("CCAG-TIC de 2021"), "a review fix needs --unsafe-fixes: {diff}");
    assert!(!diff.contains("Word ou équivalent"), "a review fix needs --unsafe-fixes: {diff}");
    assert!(String::from_utf8(fix(&["--dry-run"]).stdout).unwrap().contains(": 1 change\n"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), RC);

    // The safe fix only; the display-only one never.
    assert!(fix(&[]).status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Le Règlement de la consultation"));
    assert!(text.contains("au format Word.\n"));
    assert!(text.contains("CCAG-TIC 2009"));
    assert!(text.contains("Lorem."));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640, "permissions kept");

    // Review fixes with --unsafe-fixes; then nothing is left to do.
    assert!(fix(&["--unsafe-fixes"]).status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Le marché est soumis au CCAG-TIC de 2021."), "{text}");
    assert!(text.contains("au format Word ou équivalent."), "{text}");
    let again = fix(&["--unsafe-fixes"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to fix"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text, "fix is idempotent");
}

#[test]
fn clauses_are_inserted_in_the_section_they_belong_to() {
    let dir = tempfile::tempdir().unwrap();
    let contract = "# Contrat de concession – Piscine\n\n## Article 12 – Données\n\nLe délégataire tient un registre.\n\n## Article 13 – Durée\n\nDix ans.\n";
    let file = dir.path().join("contrat.md");
    std::fs::write(&file, contract).unwrap();
    std::fs::write(
        dir.path().join(".clausier.yaml"),
        "placeholders:\n  acheteur: la Communauté\n  article: 12 bis\n",
    )
    .unwrap();
    let out = clausier(dir.path())
        .args(["fix", "contrat.md", "--insert-clauses", "--select", "concession-data-missing"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    let clause =
        text.find("**Article 12 bis – Données du service**").expect("the clause, placeholders filled");
    assert!(text.find("Le délégataire tient un registre.").unwrap() < clause);
    assert!(clause < text.find("## Article 13 – Durée").unwrap(), "{text}");
    assert!(text.contains("Le délégataire fournit à la Communauté"));
    // The clause satisfies the rule: a second run changes nothing.
    let again = clausier(dir.path())
        .args(["fix", "contrat.md", "--insert-clauses", "--select", "concession-data-missing"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to fix"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_clause_with_no_section_to_go_to_gets_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let cctp = "# Cahier des clauses techniques particulières – Logiciel de gestion des salles\n\nLe titulaire fournit un logiciel de réservation des salles.\n";
    std::fs::write(dir.path().join("cctp.md"), cctp).unwrap();
    let out = clausier(dir.path())
        .args(["fix", "cctp.md", "--insert-clauses", "--select", "free-software-not-considered"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.path().join("cctp.md")).unwrap();
    let section = text.find("\n## Solutions fondées sur des logiciels libres\n\n").expect(&text);
    assert!(text.find("Le titulaire fournit").unwrap() < section);
    assert!(text[section..].contains("sont recevables"));
}

fn members(bytes: &[u8]) -> std::collections::BTreeMap<String, (u32, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index_raw(i).unwrap();
            let mut raw = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut raw).unwrap();
            (f.name().unwrap().to_string(), (f.crc32(), raw))
        })
        .collect()
}

fn member_text(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

/// Rules found in `path`, by `clausier check --format json`.
fn rules_found(dir: &Path, path: &str) -> Vec<String> {
    let out = clausier(dir).args(["check", "--format", "json", path]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
}

/// A CCAP with a brand in a bold run, an outdated reference split across
/// runs, a table cell and a reviewer's comment.
fn ccap(path: &Path) {
    use docx_rs::*;
    let run = |t: &str| Run::new().add_text(t);
    Docx::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(run("Cahier des clauses administratives particulières"))
                .style("Heading1"),
        )
        .add_paragraph(Paragraph::new().add_run(run("Article 2 – Pièces contractuelles")).style("Heading2"))
        .add_paragraph(
            Paragraph::new()
                .add_run(run("Le marché est soumis au "))
                .add_run(run("CCAG-"))
                .add_run(run("TIC de 2009").italic())
                .add_run(run(".")),
        )
        .add_paragraph(Paragraph::new().add_run(run("Article 4 – Présentation des offres")).style("Heading2"))
        .add_table(Table::new(vec![TableRow::new(vec![
            TableCell::new().add_paragraph(Paragraph::new().add_run(run("Planning"))),
            TableCell::new().add_paragraph(Paragraph::new().add_run(run("Remis sous PowerPoint."))),
        ])]))
        .add_paragraph(
            Paragraph::new()
                .add_comment_start(
                    Comment::new(1)
                        .author("Juriste")
                        .add_paragraph(Paragraph::new().add_run(run("À relire"))),
                )
                .add_run(run("Le logiciel de gestion est livré avec le tableur "))
                .add_run(run("Excel").bold())
                .add_run(run(" & ses macros."))
                .add_comment_end(1)
                .style("BodyText"),
        )
        .add_paragraph(Paragraph::new().add_run(run("Article 5 – Durée")).style("Heading2"))
        .add_paragraph(
            Paragraph::new().add_run(run("Le marché de maintenance du système d'information dure deux ans.")),
        )
        .build()
        .pack(std::fs::File::create(path).unwrap())
        .unwrap();
}

#[test]
fn docx_redline_tracks_each_fix_and_accepting_them_fixes_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ccap.docx");
    ccap(&input);
    let before = std::fs::read(&input).unwrap();
    let found = rules_found(dir.path(), "ccap.docx");
    for rule in ["outdated-ccag-tic", "brand-without-equivalent", "free-software-not-considered"] {
        assert!(found.iter().any(|r| r == rule), "{rule} in {found:?}");
    }

    // --diff shows the text once the changes are accepted, and writes nothing.
    let diff = |extra: &[&str]| {
        let out = clausier(dir.path())
            .args(["fix", "ccap.docx", "--redline", "--diff"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(!diff(&[]).contains("CCAG-TIC de 2021"), "a review fix needs --unsafe-fixes");
    assert!(!diff(&[]).contains("Excel ou équivalent"), "a review fix needs --unsafe-fixes");
    let diff = diff(&["--unsafe-fixes"]);
    assert!(diff.contains("-Le logiciel de gestion est livré avec le tableur Excel & ses macros."), "{diff}");
    assert!(
        diff.contains("+Le logiciel de gestion est livré avec le tableur Excel ou équivalent & ses macros.")
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let out = clausier(dir.path())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .args(["fix", "ccap.docx", "--redline", "--unsafe-fixes", "--insert-clauses"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("ccap.clausier.docx: 5 tracked changes"), "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before, "the input is never touched");

    // The new file gets the permissions of any new file here (the umask's),
    // not the 0600 of a temporary file.
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    std::fs::File::create(dir.path().join("new-file")).unwrap();
    assert_eq!(mode(&dir.path().join("ccap.clausier.docx")), mode(&dir.path().join("new-file")));
    std::fs::remove_file(dir.path().join("new-file")).unwrap();

    let red = std::fs::read(dir.path().join("ccap.clausier.docx")).unwrap();
    let (old, new) = (members(&before), members(&red));
    let edited = ["word/document.xml", "word/comments.xml"];
    for (name, member) in &old {
        if !edited.contains(&name.as_str()) {
            assert_eq!(new.get(name), Some(member), "{name} is copied byte for byte");
        }
    }

    let xml = member_text(&red, "word/document.xml");
    // « 2009 » is deleted and « 2021 » inserted, in the italic run they were in.
    let del = xml.find(">2009</w:delText>").expect(&xml);
    let ins = xml.find(">2021</w:t>").expect(&xml);
    assert!(del < ins);
    assert!(xml[xml[..del].rfind("<w:del ").unwrap()..del].contains("<w:i"), "{xml}");
    assert!(xml[xml[..ins].rfind("<w:ins ").unwrap()..ins].contains("<w:i"), "{xml}");
    assert!(xml.contains(r#"w:author="clausier" w:date="2026-09-21T"#), "{xml}");
    // « Excel » stays; « ou équivalent » is inserted with the run's bold.
    let excel = xml.find(">Excel</w:t>").expect(&xml);
    let equivalent = excel + xml[excel..].find("> ou équivalent</w:t>").expect(&xml);
    let run = &xml[xml[..equivalent].rfind("<w:r>").unwrap()..equivalent];
    assert!(run.contains("<w:b"), "{run}");
    assert!(xml[..equivalent].rfind("<w:ins ").unwrap() > xml[..equivalent].rfind("Excel").unwrap());
    // The clause paragraphs take the style of the body text they follow.
    assert!(xml.contains(r#"<w:pPr><w:pStyle w:val="BodyText"/><w:rPr><w:ins "#), "{xml}");
    // The escaped ampersand of the split run survives.
    assert!(xml.contains(" &amp; ses macros."));

    let comments = member_text(&red, "word/comments.xml");
    assert!(comments.contains("À relire"), "the reviewer's comment is kept");
    assert!(comments.contains("[brand-without-equivalent]"));
    assert!(comments.contains("Base légale : Code de la commande publique, art. R2111-7"));

    // Accepting every change (inserted text in, deleted text out, which is
    // how clausier reads tracked changes) leaves none of the fixed findings.
    let accepted = clausier::document::read(&dir.path().join("ccap.clausier.docx")).unwrap();
    assert!(accepted.text.contains("Le marché est soumis au CCAG-TIC de 2021."), "{}", accepted.text);
    assert!(accepted.text.contains("tableur Excel ou équivalent & ses macros."));
    assert!(accepted.text.contains("Remis sous PowerPoint ou équivalent."));
    let after = rules_found(dir.path(), "ccap.clausier.docx");
    for rule in ["outdated-ccag-tic", "brand-without-equivalent", "free-software-not-considered"] {
        assert!(!after.iter().any(|r| r == rule), "{rule} in {after:?}");
    }

    // Nothing is overwritten by surprise; a redline of the redline finds nothing to do.
    let again =
        clausier(dir.path()).args(["fix", "ccap.docx", "--redline", "--unsafe-fixes"]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists: pass --force"));
    let again = clausier(dir.path())
        .args(["fix", "ccap.clausier.docx", "--redline", "--unsafe-fixes", "--insert-clauses"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to fix"));
}

#[test]
#[ignore = "needs LibreOffice Writer (.ci/run installs Debian's libreoffice-writer-nogui)"]
fn docx_redline_opens_in_libreoffice() {
    let soffice = ["soffice", "libreoffice"]
        .into_iter()
        .find(|p| std::process::Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
        .unwrap_or_else(|| panic!("LibreOffice is missing: .ci/run installs it"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/tender.docx"),
        dir.path().join("rc.docx"),
    )
    .unwrap();
    let out = clausier(dir.path())
        .args(["fix", "rc.docx", "--redline", "--unsafe-fixes", "--insert-clauses", "--output", "revu.docx"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.path().display());
    let converted = std::process::Command::new(soffice)
        .current_dir(dir.path())
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "revu.docx"])
        .output()
        .unwrap();
    assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
    // LibreOffice prints tracked changes: the inserted words are on the page.
    let pdf = clausier::document::read(&dir.path().join("revu.pdf")).unwrap();
    let text = pdf.text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("format Excel ou équivalent"), "{text}");
    assert!(text.contains("Solutions fondées sur des logiciels libres"), "{text}");
}

#[test]
fn docx_without_redline_is_left_alone_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("rc.docx");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/tender.docx"), &docx).unwrap();
    let before = std::fs::read(&docx).unwrap();
    let out = clausier(dir.path()).args(["fix", "rc.docx", "--unsafe-fixes"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not fixed: pass --redline"));
    assert_eq!(std::fs::read(&docx).unwrap(), before);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing else written");
}

/// A replacement that changes a letter inside a multi-byte character
/// (« Réglement » → « Règlement ») is a tracked change of that word, not a
/// crash.
#[test]
fn redline_replaces_accented_letters_whole() {
    use docx_rs::*;
    let dir = tempfile::tempdir().unwrap();
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/display-pack");
    Docx::new()
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("Règlement de la consultation")).style("Heading1"),
        )
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("Le Réglement de la consultation est joint.")),
        )
        .build()
        .pack(std::fs::File::create(dir.path().join("rc.docx")).unwrap())
        .unwrap();
    let out = clausier(dir.path())
        .args([
            "fix",
            "rc.docx",
            "--redline",
            "--rules",
            pack.to_str().unwrap(),
            "--select",
            "typo-reglement",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let red = std::fs::read(dir.path().join("rc.clausier.docx")).unwrap();
    let xml = member_text(&red, "word/document.xml");
    assert!(xml.contains(">Réglement</w:delText>"), "{xml}");
    assert!(xml.contains(">Règlement</w:t>"), "{xml}");
    let accepted = clausier::document::read(&dir.path().join("rc.clausier.docx")).unwrap();
    assert!(accepted.text.contains("Le Règlement de la consultation est joint."), "{}", accepted.text);
}

/// An enumeration of proprietary formats gets one « ou équivalent », after
/// the whole list, and only as a reviewed fix.
#[test]
fn an_enumeration_gets_one_or_equivalent_after_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let rc = "# Règlement de la consultation\n\n## Article 4 – Présentation des offres\n\nLes offres doivent être remises au format Microsoft Office XML (.docx, .pptx, .xlsx, etc.).\n";
    std::fs::write(dir.path().join("rc.md"), rc).unwrap();
    let diff = |extra: &[&str]| {
        let out = clausier(dir.path())
            .args(["fix", "rc.md", "--diff", "--select", "brand-without-equivalent"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(!diff(&[]).contains("équivalent"), "a review fix needs --unsafe-fixes");
    let diff = diff(&["--unsafe-fixes"]);
    assert!(
        diff.contains("+Les offres doivent être remises au format Microsoft Office XML (.docx, .pptx, .xlsx, etc.) ou équivalent."),
        "{diff}"
    );
    assert_eq!(diff.matches("équivalent").count(), 1, "{diff}");
}

/// `fix --insert-clauses --unsafe-fixes` on every sample dossier, twice: the
/// second run changes nothing, and no clause is inserted twice.
#[test]
fn fixing_every_sample_twice_changes_nothing_the_second_time() {
    for entry in std::fs::read_dir("sample-tenders").unwrap() {
        let sample = entry.unwrap().path();
        if !sample.is_dir() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut names = Vec::new();
        for file in std::fs::read_dir(&sample).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "md") {
                let name = file.file_name().unwrap().to_owned();
                std::fs::copy(&file, dir.path().join(&name)).unwrap();
                names.push(name);
            }
        }
        let run = || {
            let out = clausier(dir.path())
                .args(["fix", "--insert-clauses", "--unsafe-fixes", "."])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}: {}",
                sample.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stderr).unwrap()
        };
        let read = || -> Vec<String> {
            names.iter().map(|n| std::fs::read_to_string(dir.path().join(n)).unwrap()).collect()
        };
        run();
        let once = read();
        let second = run();
        assert_eq!(read(), once, "{}: the second run changed the files ({second})", sample.display());
        assert!(second.contains("nothing to fix"), "{}: {second}", sample.display());
        for text in &once {
            let mut headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
            let all = headings.len();
            headings.sort();
            headings.dedup();
            assert_eq!(headings.len(), all, "{}: a heading appears twice:\n{text}", sample.display());
        }
    }
}
