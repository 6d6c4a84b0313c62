//! `clausier fix` on Markdown: applicability, idempotence, --diff,
//! --dry-run, clause insertion at the right section, atomic writes.

use assert_cmd::Command;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn clausier(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("clausier").unwrap();
    cmd.current_dir(dir);
    cmd
}

const RC: &str = "# Cahier des clauses administratives particulières\n\n## Article 2 – Pièces\n\nLe marché est soumis au CCAG-TIC 2009.\n\n## Article 4 – Offres\n\nLes offres sont remises au format Word.\n\nLorem.\n";

#[test]
fn safe_review_and_display_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ccap.md");
    std::fs::write(&file, RC).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/display-pack");
    let select = "brand-without-equivalent,outdated-ccag-tic,lorem-display";
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
    assert!(diff.contains("+Les offres sont remises au format Word ou équivalent."), "{diff}");
    assert!(!diff.contains("CCAG-TIC de 2021"), "a review fix needs --unsafe-fixes: {diff}");
    assert!(String::from_utf8(fix(&["--dry-run"]).stdout).unwrap().contains("1 changes"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), RC);

    // The safe fix only; the display-only one never.
    assert!(fix(&[]).status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("au format Word ou équivalent."));
    assert!(text.contains("CCAG-TIC 2009"));
    assert!(text.contains("Lorem."));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640, "permissions kept");

    // Review fixes with --unsafe-fixes; then nothing is left to do.
    assert!(fix(&["--unsafe-fixes"]).status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Le marché est soumis au CCAG-TIC de 2021."), "{text}");
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
fn docx_is_left_alone_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("rc.docx");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/tender.docx"), &docx).unwrap();
    let before = std::fs::read(&docx).unwrap();
    let out = clausier(dir.path()).args(["fix", "rc.docx"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not fixed"));
    assert_eq!(std::fs::read(&docx).unwrap(), before);
}
