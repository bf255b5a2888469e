//! `warcoder bench`: throughput of the full extraction over a corpus held in
//! memory, start-up time and peak memory (DESIGN.md, Performance).
//!
//! Order matters: the resources are built first and timed on their own
//! (`config::load_resources()`: `Resources::embedded()` with the user's
//! gazetteer overlay, as every command loads them),
//! then the corpus is read into memory, then each timed pass runs
//! `source::into_document` + `extract` over every document on N threads.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use warcoder_core::budget::Budget;
use warcoder_core::config::Config;
use warcoder_core::model::InputMeta;
use warcoder_core::source::{self, RawInput};
use warcoder_core::Resources;
use warcoder_eval as eval;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Inputs (text, HTML, JSONL files, directories). Default: examples/
    /// and tests/articles/ of the source tree in the current directory.
    pub paths: Vec<PathBuf>,
    /// Also the texts of the gold files under DIR (ACLED CSV notes, CASE
    /// TSV snippets, geo XML articles), as `warcoder eval` reads them.
    #[arg(long, value_name = "DIR")]
    pub gold_texts: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Timed passes over the corpus (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Skip the single-threaded per-stage timing pass.
    #[arg(long)]
    pub no_stages: bool,
    /// Write the corpus as JSONL (`{"id", "text"}`: the text each document
    /// is coded from, HTML already reduced to its main text) and exit
    /// without timing; bench/compare-spacy.sh feeds it to both tools.
    #[arg(long, value_name = "FILE")]
    pub dump_corpus: Option<PathBuf>,
    /// Instead of the throughput pass: code single documents of 16 KB to
    /// 1 MB made of the corpus's texts, one thread, and report the time per
    /// KB at each size (flat when every stage is linear in the document).
    #[arg(long)]
    pub scaling: bool,
    /// Skip the scan-limit reference (one Aho-Corasick pass of every
    /// gazetteer name over the corpus, one thread).
    #[arg(long)]
    pub no_scan_limit: bool,
    /// Instead: ingest N documents made from ACLED notes (--notes) into a
    /// fresh store in --chunks chunks, printing each chunk's documents/s
    /// and memory (ingest speed as the store grows).
    #[arg(long, value_name = "N")]
    pub ingest_documents: Option<usize>,
    /// The ACLED export (CSV with ACLED's `notes` column) whose notes
    /// --ingest-documents ingests.
    #[arg(long, value_name = "FILE")]
    pub notes: Option<PathBuf>,
    #[command(flatten)]
    pub languages: super::LanguageArgs,
    /// Chunks of --ingest-documents.
    #[arg(long, default_value_t = 10)]
    pub chunks: usize,
}

#[derive(Serialize)]
struct SourceCount {
    name: String,
    documents: usize,
    bytes: usize,
}

#[derive(Serialize)]
struct StageTime {
    stage: &'static str,
    seconds: f64,
    share: f64,
    mb_per_s: f64,
}

#[derive(Serialize)]
struct BenchReport {
    version: String,
    commit: Option<String>,
    cpus: usize,
    threads: usize,
    repeat: usize,
    /// Time to build the resources (gazetteer with any overlay, lexicons,
    /// ontology).
    startup_ms: f64,
    documents: usize,
    /// Input bytes (raw text, JSONL record text or HTML).
    bytes: usize,
    failed_inputs: usize,
    sources: Vec<SourceCount>,
    /// Wall time of each timed pass.
    runs_s: Vec<f64>,
    median_s: f64,
    docs_per_s: f64,
    /// MB = 10^6 bytes of input.
    mb_per_s: f64,
    docs_per_s_per_thread: f64,
    mb_per_s_per_thread: f64,
    /// Events coded per pass (a check that the work was done).
    events: usize,
    rss_after_startup_mb: Option<f64>,
    peak_rss_mb: Option<f64>,
    /// One pass on one thread, stage by stage (hot spots).
    stages: Vec<StageTime>,
    /// One Aho-Corasick pass of the gazetteer's names over the corpus on
    /// one thread: the speed no place-finding coder can beat.
    scan_limit: Option<ScanLimit>,
}

#[derive(Serialize)]
struct ScanLimit {
    patterns: usize,
    mb_per_s: f64,
    matches: usize,
    /// The pipeline's MB/s per thread as a share of the scan's.
    pipeline_share: f64,
}

/// Time one scan of the corpus by the gazetteer's names.
fn scan_limit(corpus: &[RawInput], res: &Resources, pipeline_mb_per_s: f64) -> ScanLimit {
    let reference = warcoder_core::scaling::ScanReference::new(res);
    let texts: Vec<String> = corpus
        .iter()
        .map(|raw| source::into_document(raw.clone()).text)
        .collect();
    let start = Instant::now();
    let matches = texts.iter().map(|t| reference.scan(t)).sum();
    let seconds = start.elapsed().as_secs_f64();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let mb_per_s = mb / seconds.max(1e-9);
    ScanLimit {
        patterns: reference.patterns,
        mb_per_s,
        matches,
        pipeline_share: pipeline_mb_per_s / mb_per_s,
    }
}

/// A /proc/self/status field in MB (Linux only).
pub(crate) fn proc_status_mb(field: &str) -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// The bundled corpus: examples/ and tests/articles/ of the source tree
/// in the current directory; an error saying what to pass elsewhere.
fn bundled_corpus() -> Result<Vec<PathBuf>> {
    let dirs: Vec<PathBuf> = ["examples", "tests/articles"]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .collect();
    if dirs.is_empty() {
        bail!(
            "no corpus named and no examples/ or tests/articles/ here: run the bench in a \
             warcoder source tree, or name the inputs: warcoder bench PATH ..."
        );
    }
    Ok(dirs)
}

fn raw(source: String, text: String) -> RawInput {
    RawInput {
        meta: InputMeta {
            source,
            ..Default::default()
        },
        id: source::sha256_hex(text.as_bytes()),
        content: text,
        rewritten: false,
        html: false,
        warnings: Vec::new(),
    }
}

/// Every gold text under `dir` (recursively): ACLED notes (cleaned as
/// `warcoder eval` cleans them), CASE snippets and geo XML article texts.
fn gold_texts(dir: &Path, out: &mut Vec<RawInput>, sources: &mut Vec<SourceCount>) {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => return,
    };
    entries.sort();
    for p in entries {
        if p.is_dir() {
            gold_texts(&p, out, sources);
            continue;
        }
        let Some(format) = eval::GoldFormat::from_path(&p) else {
            continue;
        };
        let Ok(data) = std::fs::read(&p) else {
            continue;
        };
        let name = p.display().to_string();
        let before = out.len();
        match format {
            eval::GoldFormat::AcledCsv => {
                if let Ok((rows, _)) = eval::acled::parse(&name, &data) {
                    out.extend(
                        rows.into_iter()
                            .map(|r| raw(format!("{name}#{}", r.id), r.note)),
                    );
                }
            }
            eval::GoldFormat::CaseTsv => {
                if let Ok((rows, _)) = eval::case::parse(&name, &data) {
                    out.extend(
                        rows.into_iter()
                            .map(|r| raw(format!("{name}#{}", r.id), r.text)),
                    );
                }
            }
            eval::GoldFormat::GeoXml => {
                if let Ok((arts, _)) = eval::geo::parse(&name, &data) {
                    out.extend(
                        arts.into_iter()
                            .map(|a| raw(format!("{name}#{}", a.id), a.text)),
                    );
                }
            }
        }
        let added = &out[before..];
        if !added.is_empty() {
            sources.push(SourceCount {
                name,
                documents: added.len(),
                bytes: added.iter().map(|r| r.content.len()).sum(),
            });
        }
    }
}

/// The corpus, in memory, and the number of inputs that could not be read.
fn load(
    paths: &[PathBuf],
    gold: Option<&Path>,
) -> Result<(Vec<RawInput>, Vec<SourceCount>, usize)> {
    let mut out = Vec::new();
    let mut sources = Vec::new();
    let mut failed = 0;
    let mut read = |paths: &[PathBuf], out: &mut Vec<RawInput>, sources: &mut Vec<SourceCount>| {
        for p in paths {
            let before = out.len();
            for r in warcoder_sources::files::read_paths(std::slice::from_ref(p)) {
                match r {
                    Ok(raw) => out.push(raw),
                    Err(e) => {
                        failed += 1;
                        eprintln!("warcoder: error: {e}");
                    }
                }
            }
            let added = &out[before..];
            sources.push(SourceCount {
                name: p.display().to_string(),
                documents: added.len(),
                bytes: added.iter().map(|r| r.content.len()).sum(),
            });
        }
    };
    if paths.is_empty() && gold.is_none() {
        read(&bundled_corpus()?, &mut out, &mut sources);
    } else {
        read(paths, &mut out, &mut sources);
    }
    if let Some(dir) = gold {
        if !dir.is_dir() {
            bail!("--gold-texts {}: no such directory", dir.display());
        }
        gold_texts(dir, &mut out, &mut sources);
    }
    Ok((out, sources, failed))
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

/// One single-threaded pass, stage by stage: reading the source and
/// detecting the language, then every stage of the pipeline that
/// `extract` runs (`pipeline::STAGES`), timed as it runs them.
fn stage_pass(corpus: &[RawInput], res: &Resources, total_bytes: usize) -> Vec<StageTime> {
    use warcoder_core::budget::{Budget, Meter};
    use warcoder_core::pipeline::{Pipeline, Products, STAGES};
    let mut names = vec!["source (HTML main text)", "language (detection)"];
    names.extend(STAGES.iter().map(|s| s.name));
    let mut t = vec![Duration::ZERO; names.len()];
    for r in corpus {
        let s = Instant::now();
        let mut doc = source::into_document(r.clone());
        t[0] += s.elapsed();
        let s = Instant::now();
        std::hint::black_box(warcoder_core::language::other_language(&doc.text));
        t[1] += s.elapsed();
        let mut products = Products::default();
        let mut stage = 2;
        let coded = Pipeline::FULL.run_timed(
            &mut doc,
            &mut products,
            res,
            &Meter::start(Budget::default()),
            |_, _, _, took| {
                t[stage] += took;
                stage += 1;
            },
        );
        std::hint::black_box((coded.is_ok(), products));
    }
    let sum: f64 = t.iter().map(Duration::as_secs_f64).sum();
    names
        .iter()
        .zip(t)
        .map(|(stage, d)| {
            let s = d.as_secs_f64();
            StageTime {
                stage,
                seconds: s,
                share: if sum > 0.0 { s / sum } else { 0.0 },
                mb_per_s: if s > 0.0 {
                    total_bytes as f64 / 1e6 / s
                } else {
                    f64::INFINITY
                },
            }
        })
        .collect()
}

fn dump(corpus: Vec<RawInput>, path: &Path) -> Result<()> {
    let f = std::fs::File::create(path)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    for raw in corpus {
        let id = raw.meta.source.clone();
        let doc = source::into_document(raw);
        serde_json::to_writer(&mut w, &serde_json::json!({"id": id, "text": doc.text}))?;
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

pub fn run(args: BenchArgs) -> Result<bool> {
    if let Some(n) = args.ingest_documents {
        crate::set_threads(args.threads)?;
        let Some(notes) = &args.notes else {
            bail!("--ingest-documents needs --notes FILE: an ACLED export (a CSV with ACLED's notes column)");
        };
        return super::bench_ingest::run(notes, n, args.chunks, args.json);
    }
    if let Some(path) = &args.dump_corpus {
        let (corpus, sources, failed) = load(&args.paths, args.gold_texts.as_deref())?;
        let n = corpus.len();
        dump(corpus, path)?;
        eprintln!(
            "warcoder: wrote {n} documents from {} sources to {} ({failed} inputs failed)",
            sources.len(),
            path.display()
        );
        return Ok(failed == 0);
    }
    // 1. Start-up, measured first and alone.
    let t0 = Instant::now();
    let res = crate::config::load_resources();
    let startup = t0.elapsed();
    let rss_after_startup = proc_status_mb("VmRSS:");

    // 2. The corpus, in memory.
    let (corpus, sources, failed) = load(&args.paths, args.gold_texts.as_deref())?;
    if corpus.is_empty() {
        bail!("no document to benchmark (failed inputs: {failed})");
    }
    if args.scaling {
        return scaling(&corpus, &res, args.repeat, args.json).map(|()| failed == 0);
    }
    let bytes: usize = corpus.iter().map(|r| r.content.len()).sum();
    let threads = args
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("setting up worker threads")?;
    let repeat = args.repeat.max(1);
    let config = Config {
        languages: args.languages.languages(),
        diagnostics: crate::config::diagnostics(),
        ..Config::new(Budget::unlimited())
    };

    let bar = crate::documents_bar((corpus.len() * repeat) as u64);

    // 3. Timed passes (the copy of the corpus each pass consumes is made outside the timing).
    let mut runs = Vec::with_capacity(repeat);
    let mut events = 0;
    for _ in 0..repeat {
        let inputs = corpus.clone();
        let start = Instant::now();
        events = pool.install(|| {
            inputs
                .into_par_iter()
                .map(|raw| {
                    let doc = source::into_document(raw);
                    let out = warcoder_core::try_extract_with(doc, &res, &config)
                        .expect("an unlimited budget is never exceeded");
                    bar.inc(1);
                    out.events.len()
                })
                .sum()
        });
        runs.push(start.elapsed().as_secs_f64());
    }
    bar.finish_and_clear();
    let med = median(&runs);
    let stages = if args.no_stages {
        Vec::new()
    } else {
        stage_pass(&corpus, &res, bytes)
    };
    let mb = bytes as f64 / 1e6;
    // Measured before the scan reference builds its automaton.
    let peak_rss_mb = proc_status_mb("VmHWM:");
    let scan_limit =
        (!args.no_scan_limit).then(|| scan_limit(&corpus, &res, mb / med / threads as f64));
    let report = BenchReport {
        version: env!("CARGO_PKG_VERSION").into(),
        commit: super::eval::commit(),
        cpus: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        threads,
        repeat,
        startup_ms: startup.as_secs_f64() * 1e3,
        documents: corpus.len(),
        bytes,
        failed_inputs: failed,
        sources,
        runs_s: runs.clone(),
        median_s: med,
        docs_per_s: corpus.len() as f64 / med,
        mb_per_s: mb / med,
        docs_per_s_per_thread: corpus.len() as f64 / med / threads as f64,
        mb_per_s_per_thread: mb / med / threads as f64,
        events,
        rss_after_startup_mb: rss_after_startup,
        peak_rss_mb,
        stages,
        scan_limit,
    };

    crate::print_report(args.json, &report, |mut w, r| render(&mut w, r))?;
    Ok(failed == 0)
}

#[derive(Serialize)]
struct ScalingPoint {
    kb: usize,
    seconds: f64,
    ms_per_kb: f64,
}

#[derive(Serialize)]
struct ScalingReport {
    points: Vec<ScalingPoint>,
    /// Slowest time per KB over fastest: 1 when cost is linear in length.
    spread: f64,
}

/// Time per KB for one document of 16 KB, 64 KB, 256 KB and 1 MB.
fn scaling(corpus: &[RawInput], res: &Resources, repeat: usize, json: bool) -> Result<()> {
    let texts: Vec<String> = corpus
        .iter()
        .map(|raw| source::into_document(raw.clone()).text)
        .collect();
    let paragraphs: Vec<&str> = texts.iter().flat_map(|t| t.split("\n\n")).collect();
    // The first coding loads what is loaded lazily (the learned models):
    // not part of any size's cost.
    std::hint::black_box(warcoder_core::extract_text(
        paragraphs.first().copied().unwrap_or_default(),
        None,
        res,
    ));
    let sizes = [16, 64, 256, 1024];
    let bar = crate::documents_bar(sizes.len() as u64);
    let points: Vec<ScalingPoint> = sizes
        .iter()
        .map(|&kb| {
            let doc = warcoder_core::scaling::long_document(&paragraphs, kb * 1024);
            let per_kb = warcoder_core::scaling::time_per_kb(&doc, res, repeat);
            bar.inc(1);
            ScalingPoint {
                kb: doc.len() / 1024,
                seconds: per_kb.as_secs_f64() * doc.len() as f64 / 1024.0,
                ms_per_kb: per_kb.as_secs_f64() * 1e3,
            }
        })
        .collect();
    bar.finish_and_clear();
    let per_kb = points.iter().map(|p| p.ms_per_kb);
    let spread = per_kb.clone().fold(0.0, f64::max) / per_kb.fold(f64::INFINITY, f64::min);
    let report = ScalingReport { points, spread };
    crate::print_report(json, &report, |w, r| {
        writeln!(w, "one document, one thread, best of {repeat} passes")?;
        for p in &r.points {
            writeln!(
                w,
                "{:>6} KB  {:>9.3} s  {:>8.3} ms/KB",
                p.kb, p.seconds, p.ms_per_kb
            )?;
        }
        writeln!(w, "spread (slowest / fastest per KB)  {:.2}", r.spread)
    })
}

fn render(w: &mut impl Write, r: &BenchReport) -> std::io::Result<()> {
    let commit = r
        .commit
        .as_deref()
        .map(|c| format!(", commit {c}"))
        .unwrap_or_default();
    writeln!(w, "warcoder bench  (warcoder {}{commit})", r.version)?;
    writeln!(w)?;
    writeln!(
        w,
        "corpus: {} documents, {:.2} MB in memory ({} inputs failed)",
        r.documents,
        r.bytes as f64 / 1e6,
        r.failed_inputs
    )?;
    for s in &r.sources {
        writeln!(
            w,
            "  {:<70} {:>6} docs {:>9.3} MB",
            s.name,
            s.documents,
            s.bytes as f64 / 1e6
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "start-up (Resources::embedded)  {:>10.1} ms",
        r.startup_ms
    )?;
    writeln!(
        w,
        "threads                          {:>10}   (cpus: {})",
        r.threads, r.cpus
    )?;
    let runs: Vec<String> = r.runs_s.iter().map(|s| format!("{s:.3}")).collect();
    writeln!(
        w,
        "passes (s)                       {:>10}   [{}], median {:.3} s",
        r.repeat,
        runs.join(", "),
        r.median_s
    )?;
    writeln!(
        w,
        "documents/s                      {:>10.1}   per thread {:.1}",
        r.docs_per_s, r.docs_per_s_per_thread
    )?;
    writeln!(
        w,
        "MB/s                             {:>10.3}   per thread {:.3}",
        r.mb_per_s, r.mb_per_s_per_thread
    )?;
    writeln!(w, "events per pass                  {:>10}", r.events)?;
    let mb = |v: Option<f64>| {
        v.map(|v| format!("{v:.1} MB"))
            .unwrap_or_else(|| "n/a".into())
    };
    writeln!(
        w,
        "RSS after start-up               {:>10}",
        mb(r.rss_after_startup_mb)
    )?;
    writeln!(
        w,
        "peak RSS (VmHWM)                 {:>10}",
        mb(r.peak_rss_mb)
    )?;
    if !r.stages.is_empty() {
        writeln!(w)?;
        writeln!(w, "one pass on one thread, by stage:")?;
        for s in &r.stages {
            writeln!(
                w,
                "  {:<26} {:>8.3} s  {:>5.1}%  {:>9.2} MB/s",
                s.stage,
                s.seconds,
                s.share * 100.0,
                s.mb_per_s
            )?;
        }
    }
    if let Some(scan) = &r.scan_limit {
        writeln!(w)?;
        writeln!(
            w,
            "scan limit: one Aho-Corasick pass of {} gazetteer names, one thread",
            scan.patterns
        )?;
        writeln!(
            w,
            "  {:.2} MB/s ({} word-bounded matches); the pipeline per thread runs at {:.1}% of it",
            scan.mb_per_s,
            scan.matches,
            scan.pipeline_share * 100.0
        )?;
    }
    Ok(())
}
