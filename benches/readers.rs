//! Throughput of each reader (MB/s of input): Markdown, plain text, DOCX and
//! ODT (a long tender written by docx-rs, and the LibreOffice fixtures), PDF
//! (the fixture exported by LibreOffice).

use clausier::document::{self, Format};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// A long French tender in Markdown: the sample dossiers, repeated.
fn long_markdown() -> String {
    let mut one = String::new();
    for dossier in ["dce-portail-usagers", "dsp-eau-non-conforme", "dsp-transports-urbains"] {
        for entry in
            std::fs::read_dir(Path::new("sample-tenders").join(dossier)).into_iter().flatten().flatten()
        {
            if entry.path().extension().is_some_and(|e| e == "md") {
                one.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
                one.push_str("\n\n");
            }
        }
    }
    one.repeat(200)
}

fn long_docx(paragraphs: usize) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let mut docx = Docx::new();
    for i in 0..paragraphs {
        let text = format!("Article {i} – Le titulaire remet les livrables au format Word ou équivalent, et les données au format CSV chaque mois.");
        docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)));
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    let _ = docx.build().pack(&mut bytes);
    bytes.into_inner()
}

fn readers(c: &mut Criterion) {
    let mut group = c.benchmark_group("readers");
    group.sample_size(10);

    let md = long_markdown();
    group.throughput(Throughput::Bytes(md.len() as u64));
    group.bench_function("markdown", |b| {
        b.iter(|| document::parse(PathBuf::from("a.md"), Format::Markdown, black_box(md.clone())))
    });
    group.bench_function("text", |b| {
        b.iter(|| document::parse(PathBuf::from("a.txt"), Format::Text, black_box(md.clone())))
    });

    let dir = std::env::temp_dir().join(format!("clausier-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let docx = dir.join("long.docx");
    let _ = std::fs::write(&docx, long_docx(5000));
    let files: Vec<(&str, PathBuf)> = vec![
        ("docx-long", docx),
        ("docx", PathBuf::from("tests/formats/tender.docx")),
        ("odt", PathBuf::from("tests/formats/tender.odt")),
        ("pdf", PathBuf::from("tests/formats/tender.pdf")),
    ];
    for (name, path) in files {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        group.throughput(Throughput::Bytes(size));
        group.bench_function(name, |b| b.iter(|| document::read(black_box(&path))));
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, readers);
criterion_main!(benches);
