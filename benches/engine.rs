//! The engine with the full built-in packs: rule compilation, and checking
//! a long Markdown dossier (MB/s).

use clausier::document::{self, Format};
use clausier::engine::Engine;
use clausier::rules::{builtin, load_rule_set};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    let trees = vec![builtin::tree()];
    group.bench_function("load-and-compile-rules", |b| {
        b.iter(|| load_rule_set(black_box(&trees)).map(|set| Engine::new(set, Default::default())))
    });

    let Ok(set) = load_rule_set(&trees) else { return };
    let engine = Engine::new(set, Default::default());
    let text =
        std::fs::read_to_string("sample-tenders/dsp-eau-non-conforme/contrat-dsp.md").unwrap_or_default();
    let long = text.repeat(300);
    let Ok(doc) = document::parse(PathBuf::from("contrat.md"), Format::Markdown, long.clone()) else {
        return;
    };
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.bench_function("check-markdown", |b| {
        b.iter(|| engine.check_dossier(black_box(std::slice::from_ref(&doc))))
    });
    group.bench_function("parse-and-check-markdown", |b| {
        b.iter(|| {
            document::parse(PathBuf::from("contrat.md"), Format::Markdown, black_box(long.clone()))
                .map(|d| engine.check_dossier(std::slice::from_ref(&d)).len())
        })
    });
    // What the language server does on each keystroke: parse the buffer and
    // check it, for a 100-page tender (about 3,000 characters a page).
    let page = text.repeat(3).chars().take(3000).collect::<String>();
    let hundred_pages = page.repeat(100);
    group.throughput(Throughput::Bytes(hundred_pages.len() as u64));
    group.bench_function("recheck-100-pages", |b| {
        b.iter(|| {
            document::parse(PathBuf::from("contrat.md"), Format::Markdown, black_box(hundred_pages.clone()))
                .map(|d| engine.check_dossier(std::slice::from_ref(&d)).len())
        })
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
