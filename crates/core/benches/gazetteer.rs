//! Start-up of the embedded gazetteer (issue 4: loading the gazetteer and
//! building the matcher under 100 ms) and the cost of a name lookup.
//!
//! `cargo bench -p warcoder-core --bench gazetteer`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use warcoder_core::gazetteer::Gazetteer;
use warcoder_core::Resources;

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("gazetteer_load");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(2));
    // The built-in tables only, as `warcoder` opens them (no overlay).
    g.bench_function("builtin", |b| b.iter(|| black_box(Gazetteer::builtin())));
    // Opening, then resolving a first name: the pages a lookup touches.
    g.bench_function("builtin_first_lookup", |b| {
        b.iter(|| {
            let gz = Gazetteer::builtin();
            black_box(gz.lookup(black_box("Damascus")).0.len())
        })
    });
    // Every lexicon, the ontology and the gazetteer.
    g.bench_function("resources_embedded", |b| {
        b.iter(|| black_box(Resources::embedded()))
    });
    g.finish();
}

fn lookup(c: &mut Criterion) {
    let gz = Gazetteer::builtin();
    let names = [
        "Damascus",
        "Deir ez-Zor",
        "Dayr az Zawr",
        "Tartous",
        "Al-Raqqa",
        "Edleb",
        "New South Wales",
        "Mogadishu",
        "Kharkov",
        "Nowhereville",
    ];
    let mut g = c.benchmark_group("gazetteer_lookup");
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function("names", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| gz.lookup(black_box(n)).0.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, load, lookup);
criterion_main!(benches);
