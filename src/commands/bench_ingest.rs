//! `warcoder bench --ingest-documents N`: ingest speed as a store grows.
//! N documents made from the training corpus's ACLED notes (in date order,
//! as a feed delivers them; past the last note the notes come round again
//! as updates, so that every document is new) are ingested into one fresh
//! store in `--chunks` equal chunks; each chunk's documents per second and
//! the process's memory are printed. A store whose merge-candidate query or
//! incident bookkeeping grows with its size shows falling rates.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use warcoder_store::ingest::IngestOptions;

use super::notes_corpus::{self, Telling};

#[derive(Debug, Serialize)]
pub struct Chunk {
    pub chunk: usize,
    pub documents: usize,
    pub seconds: f64,
    pub docs_per_s: f64,
    /// CPU time of the whole process (all threads) over the chunk: on a
    /// shared machine this, not the wall time, says whether ingest slows.
    pub cpu_seconds: Option<f64>,
    pub docs_per_cpu_s: Option<f64>,
    /// Incidents in the store after the chunk.
    pub incidents_created: usize,
    pub rss_mb: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct IngestBenchReport {
    pub commit: Option<String>,
    pub threads: usize,
    pub documents: usize,
    pub chunks: Vec<Chunk>,
    /// The last chunk's rate over the first's (wall time).
    pub last_over_first: f64,
    /// The same in documents per CPU second.
    pub last_over_first_cpu: Option<f64>,
    pub peak_rss_mb: Option<f64>,
}

/// Write the chunk files under `dir`: `n` documents in `chunks` files.
fn write_chunks(notes: &Path, n: usize, chunks: usize, dir: &Path) -> Result<Vec<PathBuf>> {
    let all = notes_corpus::read_notes(notes)?;
    if all.is_empty() {
        bail!("{}: no usable notes", notes.display());
    }
    let ordered = notes_corpus::densest_months(&all, all.len(), 0);
    let size = n.div_ceil(chunks);
    let mut files = Vec::new();
    for c in 0..chunks {
        let path = dir.join(format!("chunk-{c:03}.jsonl"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for i in c * size..((c + 1) * size).min(n) {
            let note = &ordered[i % ordered.len()];
            notes_corpus::write_jsonl(&mut w, note, Telling::Original, i / ordered.len())?;
        }
        w.flush()?;
        files.push(path);
    }
    Ok(files)
}

pub fn run(notes: &Path, documents: usize, chunks: usize, json: bool) -> Result<bool> {
    if !notes.is_file() {
        bail!(
            "{} not found: name an ACLED export (a CSV with ACLED's notes column) with --notes FILE",
            notes.display()
        );
    }
    let chunks = chunks.clamp(1, documents.max(1));
    let dir = std::env::temp_dir().join(format!("warcoder-bench-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = measure(notes, documents, chunks, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    let report = result?;
    crate::print_report(json, &report, |w, r| render(w, r))?;
    Ok(true)
}

fn measure(notes: &Path, documents: usize, chunks: usize, dir: &Path) -> Result<IngestBenchReport> {
    let files = write_chunks(notes, documents, chunks, dir)?;
    let db = dir.join("bench.db");
    let mut rows = Vec::new();
    let mut incidents = 0;
    for (c, file) in files.iter().enumerate() {
        let started = Instant::now();
        let cpu_before = cpu_seconds();
        let summary =
            super::ingest::ingest_into(&db, std::slice::from_ref(file), &IngestOptions::default())?;
        let seconds = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        incidents += summary.committed.incidents_created;
        let row = Chunk {
            chunk: c + 1,
            documents: summary.read,
            seconds,
            docs_per_s: summary.read as f64 / seconds.max(1e-9),
            cpu_seconds: cpu,
            docs_per_cpu_s: cpu.map(|c| summary.read as f64 / c.max(1e-9)),
            incidents_created: incidents,
            rss_mb: super::bench::proc_status_mb("VmRSS:"),
        };
        eprintln!(
            "chunk {:>3}: {:>6} documents in {:>6.1} s  {:>7.1} docs/s  {:>7.1} docs/CPU s  {} incidents  RSS {}",
            row.chunk,
            row.documents,
            row.seconds,
            row.docs_per_s,
            row.docs_per_cpu_s.unwrap_or(f64::NAN),
            row.incidents_created,
            row.rss_mb.map_or("?".into(), |m| format!("{m:.0} MB"))
        );
        rows.push(row);
    }
    let first = rows.first().map_or(1.0, |r| r.docs_per_s);
    let last = rows.last().map_or(1.0, |r| r.docs_per_s);
    let cpu_ratio = rows
        .first()
        .and_then(|f| f.docs_per_cpu_s)
        .zip(rows.last().and_then(|l| l.docs_per_cpu_s))
        .map(|(f, l)| l / f.max(1e-9));
    Ok(IngestBenchReport {
        commit: super::eval::commit(),
        threads: rayon::current_num_threads(),
        documents,
        last_over_first: last / first.max(1e-9),
        last_over_first_cpu: cpu_ratio,
        chunks: rows,
        peak_rss_mb: super::bench::proc_status_mb("VmHWM:"),
    })
}

/// User and system CPU seconds of this process so far (Linux only).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13
    // after the state field, in clock ticks (100 per second on Linux).
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn render(w: &mut dyn Write, r: &IngestBenchReport) -> std::io::Result<()> {
    writeln!(
        w,
        "ingest of {} documents in {} chunks, {} threads",
        r.documents,
        r.chunks.len(),
        r.threads
    )?;
    writeln!(
        w,
        "chunk  documents  seconds   docs/s  docs/CPU s  incidents  RSS MB"
    )?;
    for c in &r.chunks {
        writeln!(
            w,
            "{:>5}  {:>9}  {:>7.1}  {:>7.1}  {:>10.1}  {:>9}  {:>6}",
            c.chunk,
            c.documents,
            c.seconds,
            c.docs_per_s,
            c.docs_per_cpu_s.unwrap_or(f64::NAN),
            c.incidents_created,
            c.rss_mb.map_or("?".into(), |m| format!("{m:.0}"))
        )?;
    }
    writeln!(
        w,
        "last chunk / first chunk: {:.2} (wall), {} (CPU)   peak RSS {}",
        r.last_over_first,
        r.last_over_first_cpu
            .map_or("?".into(), |x| format!("{x:.2}")),
        r.peak_rss_mb.map_or("?".into(), |m| format!("{m:.0} MB"))
    )
}
