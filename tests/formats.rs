//! DOCX, ODT and PDF: the same tender in every format, documents written by
//! docx-rs, and the real AMF PDFs (hostile files: tests/hostile.rs).

use assert_cmd::Command;
use clausier::document::{self, BlockKind, Document};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn clausier() -> Command {
    let mut cmd = Command::cargo_bin("clausier").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = clausier().args(["check", "--format", "json"]).args(args).output().unwrap();
    let code = out.status.code().unwrap();
    (serde_json::from_slice(&out.stdout).unwrap(), code)
}

/// `(rule, words found)` of each finding: the words are cut from the
/// snippet with the columns, so they also check line, column and snippet.
fn findings(json: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let snippet: Vec<char> = d["snippet"].as_str().unwrap().chars().collect();
            let (start, end) =
                (d["column"].as_u64().unwrap() as usize - 1, d["end_column"].as_u64().unwrap() as usize - 1);
            let words: String = snippet[start..end.min(snippet.len())].iter().collect();
            (d["rule"].as_str().unwrap().to_string(), words)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_same_tender_in_every_format_has_the_same_findings() {
    let (md, _) = json_of(&["tests/formats/tender.md"]);
    let expected = findings(&md);
    assert!(expected.len() >= 6, "{expected:?}");
    for format in ["docx", "odt", "pdf"] {
        let path = format!("tests/formats/tender.{format}");
        let (json, code) = json_of(&[&path]);
        assert_eq!(code, 1, "{format}");
        assert_eq!(findings(&json), expected, "{format}");
        let page = &json["diagnostics"][0]["page"];
        if format == "pdf" {
            assert_eq!(page, 1);
        } else {
            assert_eq!(page, &Value::Null);
        }
        let sections: Vec<&str> =
            json["diagnostics"].as_array().unwrap().iter().map(|d| d["section"].as_str().unwrap()).collect();
        assert!(
            sections.iter().all(|s| *s == "Article 4 – Présentation des offres"),
            "{format}: {sections:?}"
        );
    }
    // In the human report, a PDF finding's header gives the page first.
    let out = clausier().args(["check", "--color", "never", "tests/formats/tender.pdf"]).output().unwrap();
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(human.contains("╭─[ p. 1 · tests/formats/tender.pdf:"), "{human}");
}

fn write_docx(docx: docx_rs::Docx) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ccap.docx");
    docx.build().pack(std::fs::File::create(&path).unwrap()).unwrap();
    (dir, path)
}

fn texts(doc: &Document) -> Vec<(BlockKind, String)> {
    doc.blocks.iter().map(|b| (b.kind, doc.norm.as_str()[b.norm.clone()].to_string())).collect()
}

#[test]
fn docx_written_by_docx_rs() {
    use docx_rs::*;
    let run = |t: &str| Run::new().add_text(t);
    let docx = Docx::new()
        .add_style(Style::new("Titre1", StyleType::Paragraph).name("Titre 1"))
        .add_style(Style::new("ArticleTitle", StyleType::Paragraph).name("Article").based_on("Heading2"))
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("heading 2").outline_lvl(1))
        .add_paragraph(
            Paragraph::new().add_run(run("Cahier des clauses administratives particulières")).style("Titre1"),
        )
        .add_paragraph(Paragraph::new().add_run(run("Article 4 – Livrables")).style("ArticleTitle"))
        .add_paragraph(
            Paragraph::new()
                .add_run(run("Les rapports sont remis au format "))
                .add_delete(
                    Delete::new()
                        .add_run(Run::new().add_delete_text("ODT"))
                        .author("A")
                        .date("2026-01-01T00:00:00Z"),
                )
                .add_insert(Insert::new(run("Word")).author("B").date("2026-01-01T00:00:00Z"))
                .add_run(run(".")),
        )
        .add_paragraph(
            Paragraph::new()
                .add_comment_start(Comment::new(1).author("Juriste").add_paragraph(
                    Paragraph::new().add_run(run("clausier-disable brand-without-equivalent")),
                ))
                .add_run(run("Le planning est fourni au format Excel."))
                .add_comment_end(1),
        )
        .add_table(Table::new(vec![TableRow::new(vec![
            TableCell::new().add_paragraph(Paragraph::new().add_run(run("Pièce"))),
            TableCell::new()
                .add_paragraph(Paragraph::new().add_run(run("Plans")))
                .add_paragraph(Paragraph::new().add_run(run("au format .dwg"))),
        ])]));
    let (_dir, path) = write_docx(docx);
    let doc = document::read(&path).unwrap();
    assert_eq!(doc.kind, document::DocKind::Ccap);
    assert_eq!(
        texts(&doc),
        vec![
            (BlockKind::Heading { level: 1 }, "Cahier des clauses administratives particulières".to_string()),
            (BlockKind::Heading { level: 2 }, "Article 4 - Livrables".to_string()),
            // The deletion is gone, the insertion counts.
            (BlockKind::Paragraph, "Les rapports sont remis au format Word.".to_string()),
            (BlockKind::Paragraph, "Le planning est fourni au format Excel.".to_string()),
            (BlockKind::TableCell, "Pièce".to_string()),
            (BlockKind::TableCell, "Plans au format .dwg".to_string()),
        ]
    );
    // The comment is kept on its paragraph, for suppressions.
    assert_eq!(doc.comments.len(), 1);
    assert_eq!(doc.comments[0].text, "clausier-disable brand-without-equivalent");
    assert_eq!(&doc.text[doc.comments[0].span.clone()], "Le planning est fourni au format Excel.");
}

#[test]
#[ignore = "needs ../shared/corpus (real documents kept outside the project): run by .ci/run"]
fn the_real_amf_pdfs_are_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real/fr-amf-2022-011");
    assert!(root.is_dir(), "{} is missing: .ci/run runs where it is present", root.display());
    let (json, _) = json_of(&[root.to_str().unwrap()]);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(json["summary"]["files"], 3);
    assert!(diagnostics.iter().all(|d| d["rule"] != "parse-error"), "{diagnostics:?}");
    assert!(diagnostics.iter().all(|d| d["page"].as_u64().is_some_and(|p| p >= 1)));
    // SharePoint is the subject of the framework agreement: said once, as info.
    let sharepoint: Vec<&Value> =
        diagnostics.iter().filter(|d| d["snippet"].as_str().unwrap().contains("SharePoint")).collect();
    assert_eq!(sharepoint.len(), 1, "{sharepoint:?}");
    assert_eq!(sharepoint[0]["severity"], "info");
    // The deliverables required in Microsoft formats are reported.
    assert!(
        diagnostics
            .iter()
            .any(|d| d["rule"] == "brand-without-equivalent"
                && d["snippet"].as_str().unwrap().contains(".docx"))
    );
}
