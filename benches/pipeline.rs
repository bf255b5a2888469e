//! Criterion benchmarks of the hot stages on the reference article
//! (tests/fixtures/seed/article.txt): cleaning, sentence splitting, the
//! matchers (recognise), the gazetteer lookup and mention resolution, and
//! the full extraction. Throughput is in bytes of article text.
//!
//! `cargo bench --bench pipeline` (kept short: 10 samples, ~2 s each).
//! Whole-corpus throughput is `warcoder bench`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use warcoder_core::model::{Document, InputMeta, SpanBasis};
use warcoder_core::{clean, recognise, resolve, segment, Resources};

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

fn stages(c: &mut Criterion) {
    let res = Resources::shared();
    let mut g = c.benchmark_group("article");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Bytes(ARTICLE.len() as u64));

    g.bench_function("clean", |b| {
        b.iter_batched(doc, |mut d| clean::clean(&mut d), BatchSize::SmallInput)
    });

    let mut cleaned = doc();
    clean::clean(&mut cleaned);
    g.bench_function("segment", |b| {
        b.iter_batched(
            || cleaned.clone(),
            |mut d| segment::segment(&mut d),
            BatchSize::SmallInput,
        )
    });

    let mut segmented = cleaned.clone();
    segment::segment(&mut segmented);
    g.bench_function("recognise", |b| {
        b.iter_batched(
            || segmented.clone(),
            |mut d| recognise::recognise(&mut d, res),
            BatchSize::SmallInput,
        )
    });

    let mut recognised = segmented.clone();
    recognise::recognise(&mut recognised, res);
    g.bench_function("resolve", |b| {
        b.iter_batched(
            || recognised.clone(),
            |mut d| resolve::resolve_mentions(&mut d, res),
            BatchSize::SmallInput,
        )
    });

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
