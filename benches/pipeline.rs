//! Criterion benchmarks on the reference article
//! (tests/fixtures/seed/article.txt): every stage of the pipeline
//! (`pipeline::STAGES`, the list `extract` runs) alone, the gazetteer
//! lookup, and the full extraction. Throughput is in bytes of article text.
//!
//! `cargo bench --bench pipeline` (kept short: 10 samples, ~2 s each).
//! Whole-corpus throughput is `warcoder bench`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use warcoder_core::budget::{Budget, Meter};
use warcoder_core::model::{Document, InputMeta, SpanBasis};
use warcoder_core::pipeline::{Products, STAGES};
use warcoder_core::Resources;

const ARTICLE: &str = include_str!("../tests/fixtures/seed/article.txt");

fn doc() -> Document {
    let meta = InputMeta {
        source: "article.txt".into(),
        ..Default::default()
    };
    Document::new(
        warcoder_core::source::sha256_hex(ARTICLE.as_bytes()),
        ARTICLE.to_string(),
        SpanBasis::Input,
        meta,
    )
}

/// Each stage of the pipeline that `extract` runs, alone, on the article as
/// the stages before it left it; then the whole pipeline.
fn stages(c: &mut Criterion) {
    let res = Resources::shared();
    let mut g = c.benchmark_group("article");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    let meter = || Meter::start(Budget::unlimited());

    let (mut done, mut products) = (doc(), Products::default());
    for stage in STAGES {
        let before = (done.clone(), products.clone());
        g.bench_function(stage.name, |b| {
            b.iter_batched(
                || before.clone(),
                |(mut d, mut p)| {
                    stage.run(&mut d, &mut p, res, &meter()).unwrap();
                    (d, p)
                },
                BatchSize::SmallInput,
            )
        });
        stage.run(&mut done, &mut products, res, &meter()).unwrap();
    }

    g.bench_function("extract", |b| {
        b.iter_batched(
            doc,
            |d| warcoder_core::extract(d, res),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn gazetteer(c: &mut Criterion) {
    let res = Resources::shared();
    // Names from the reference article plus common spellings and misses.
    let names = [
        "Damascus",
        "Homs",
        "Tartus",
        "Aleppo",
        "Al Zahraa",
        "Arzuna",
        "Syria",
        "Turkey",
        "China",
        "Jableh",
        "Hasakeh",
        "Qamishli",
        "Al-Sabura",
        "Da'ish",
        "Observatory",
        "Mogadishu",
        "Kabul",
        "Nowhereville",
    ];
    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function("lookup", |b| {
        b.iter(|| {
            let mut hits = 0;
            for n in &names {
                hits += res.gazetteer.lookup(black_box(n)).0.len();
            }
            hits
        })
    });
    g.finish();
}

fn startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(20));
    g.bench_function("resources_embedded", |b| b.iter(Resources::embedded));
    g.finish();
}

criterion_group!(benches, stages, gazetteer, startup);
criterion_main!(benches);
