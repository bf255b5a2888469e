//! `warcoder ingest`: articles and WARC files into the event store, with a
//! progress bar while it runs and a summary at the end.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use warcoder_sources::files;
use warcoder_store::ingest::{IngestOptions, Observer, Summary};
use warcoder_store::Db;

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Articles (text, HTML, JSONL), WARC files (.warc, .warc.gz) and directories; - for stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The event store, created if missing: a SQLite file, or a PostgreSQL
    /// database as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.
    #[arg(long, default_value = "warcoder.db")]
    pub db: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Documents per transaction (a killed run loses at most one batch).
    #[arg(long, default_value_t = 256)]
    pub batch: usize,
    #[command(flatten)]
    pub reference_date: super::ReferenceDateArgs,
    #[command(flatten)]
    pub languages: super::LanguageArgs,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: IngestArgs) -> Result<bool> {
    crate::set_threads(args.threads)?;
    let options = IngestOptions {
        batch_size: args.batch.max(1),
        reference_date: args.reference_date.given()?,
        languages: args.languages.languages(),
        ..IngestOptions::default()
    };
    let summary = ingest_into(&args.db, &args.paths, &options)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&summary_json(&summary))?)?;
    } else {
        print_summary(&args.db, &summary)?;
    }
    Ok(summary.failed == 0)
}

/// Open (or create) the store and ingest `paths` into it with a progress bar.
pub(crate) fn ingest_into(
    db: &Path,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> Result<Summary> {
    let mut store = Db::open(db).with_context(|| {
        format!(
            "opening the event store {}",
            warcoder_store::db::display(db)
        )
    })?;
    let mut bar = ProgressBar::new(paths);
    let options = IngestOptions {
        diagnostics: crate::config::diagnostics(),
        ..options.clone()
    };
    let res = crate::config::resources();
    let summary = warcoder_store::ingest(&mut store, paths, res, &options, &mut bar)
        .with_context(|| format!("writing to {}", warcoder_store::db::display(db)))?;
    bar.bar.finish_and_clear();
    if let Some(line) = warcoder_core::language::skipped_summary(&summary.skipped_languages) {
        eprintln!("warcoder: {line}");
    }
    Ok(summary)
}

/// A bar of the documents handled against the documents expected, with
/// the rate, ETA, events and failures on stderr; hidden when stderr is not
/// a terminal. Failures and warnings are printed above it as they happen.
struct ProgressBar {
    bar: indicatif::ProgressBar,
    expected: u64,
}

impl ProgressBar {
    fn new(paths: &[PathBuf]) -> Self {
        let expected = expected_documents(paths);
        let bar = crate::progress_bar(
            Some(expected.max(1)),
            "{bar:30} {pos}/{len} documents  {rate}  eta {eta}  {msg}",
        );
        // The bar redraws while a batch commits, when no document ends
        // (no ticker thread for a hidden bar).
        if !bar.is_hidden() {
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        ProgressBar { bar, expected }
    }
}

impl Observer for ProgressBar {
    fn progress(&mut self, s: &Summary) {
        let handled = (s.read + s.not_articles) as u64;
        // The WARC estimate can be short: the total grows with the count.
        if handled > self.expected {
            self.expected = handled;
            self.bar.set_length(handled);
        }
        self.bar.set_position(handled);
        self.bar
            .set_message(format!("{} events  {} failed", s.events_found, s.failed));
    }

    fn failed(&mut self, message: &str) {
        self.bar.suspend(|| eprintln!("warcoder: error: {message}"));
    }

    fn warning(&mut self, message: &str) {
        self.bar
            .suspend(|| eprintln!("warcoder: warning: {message}"));
    }
}

/// Compressed bytes per WARC record, for the estimate of a WARC file's
/// records before it is read: a news crawl's response records with their
/// request and metadata records, gzipped per record.
const WARC_GZ_BYTES_PER_RECORD: u64 = 12_000;
/// The same for an uncompressed WARC file.
const WARC_BYTES_PER_RECORD: u64 = 40_000;

/// The documents `paths` hold, known before reading them for articles (one
/// per file) and JSONL files (one per line), estimated from the
/// size for WARC files; standard input counts one.
fn expected_documents(paths: &[PathBuf]) -> u64 {
    let mut expected = 0;
    files::walk(paths, &mut |found| {
        expected += match found {
            Ok(files::Found::File(path, meta)) => documents_in_file(&path, meta.len()),
            Ok(files::Found::Stdin) => 1,
            Err(_) => 1,
        };
        true
    });
    expected
}

fn documents_in_file(path: &Path, bytes: u64) -> u64 {
    if warcoder_store::warc::is_warc(path) {
        let gzipped = path.to_string_lossy().to_ascii_lowercase().ends_with(".gz");
        let per_record = if gzipped {
            WARC_GZ_BYTES_PER_RECORD
        } else {
            WARC_BYTES_PER_RECORD
        };
        return bytes.div_ceil(per_record);
    }
    let jsonl = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    if jsonl {
        return count_lines(path).unwrap_or(1);
    }
    1
}

/// Lines of a file, read in blocks (a JSONL file may be 256 MiB).
fn count_lines(path: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut block = vec![0u8; 1 << 16];
    let (mut lines, mut last) = (0u64, b'\n');
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            break;
        }
        lines += block[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        last = block[n - 1];
    }
    Ok(lines + u64::from(last != b'\n'))
}

fn rate(n: f64, s: &Summary) -> f64 {
    n / s.elapsed.as_secs_f64().max(1e-9)
}

pub(crate) fn print_summary(db: &Path, s: &Summary) -> std::io::Result<()> {
    let c = &s.committed;
    let mb = s.bytes as f64 / 1e6;
    outln!(
        "{}: {} documents in {:.1} s ({:.1} documents/s, {:.2} MB/s)",
        warcoder_store::db::display(db),
        s.read,
        s.elapsed.as_secs_f64(),
        rate(s.read as f64, s),
        rate(mb, s)
    )?;
    outln!("  documents read         {:>7}  ({mb:.2} MB)", s.read)?;
    outln!("  stored                 {:>7}", c.stored)?;
    outln!("  skipped as duplicates  {:>7}", c.duplicates)?;
    let reasons: Vec<String> = s
        .failures_by_reason
        .iter()
        .map(|(reason, n)| format!("{reason}: {n}"))
        .collect();
    if s.failed > 0 {
        outln!(
            "  failed                 {:>7}  ({}; each reported above)",
            s.failed,
            reasons.join(", ")
        )?;
    } else {
        outln!("  failed                 {:>7}", 0)?;
    }
    let skipped: usize = s.skipped_languages.values().sum();
    if skipped > 0 {
        let by_language: Vec<String> = s
            .skipped_languages
            .iter()
            .map(|(language, n)| format!("{language}: {n}"))
            .collect();
        outln!(
            "  not coded (language)   {skipped:>7}  ({}; stored, only English is coded yet)",
            by_language.join(", ")
        )?;
    }
    if s.not_articles > 0 {
        outln!(
            "  not articles           {:>7}  (WARC requests, redirects, images ...)",
            s.not_articles
        )?;
    }
    outln!(
        "  events stored          {:>7}  ({} background, {} not coded by ACLED)",
        c.events,
        c.background,
        c.flagged - c.background
    )?;
    outln!("  incidents created      {:>7}", c.incidents_created)?;
    outln!(
        "  incidents merged       {:>7}  (reports joined to an incident from another article)",
        c.merged
    )
}

fn summary_json(s: &Summary) -> serde_json::Value {
    let c = &s.committed;
    serde_json::json!({
        "documents_read": s.read,
        "bytes_read": s.bytes,
        "stored": c.stored,
        "duplicates": c.duplicates,
        "failed": s.failed,
        "failures_by_reason": s.failures_by_reason,
        "failures": s.failures,
        "not_articles": s.not_articles,
        "skipped_languages": s.skipped_languages,
        "events_stored": c.events,
        "events_flagged": c.flagged,
        "background_events": c.background,
        "incidents_created": c.incidents_created,
        "incidents_merged": c.merged,
        "seconds": s.elapsed.as_secs_f64(),
        "documents_per_second": rate(s.read as f64, s),
        "mb_per_second": rate(s.bytes as f64 / 1e6, s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Articles count one, JSONL files a record per line, WARC
    /// files an estimate from their size.
    #[test]
    fn expected_documents_counts_files_and_estimates_warc() {
        let dir = std::env::temp_dir().join(format!("warcoder-expected-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "Gunmen killed two.").unwrap();
        std::fs::write(
            dir.join("b.jsonl"),
            "{\"text\": \"x\"}\n{\"text\": \"y\"}\n",
        )
        .unwrap();
        std::fs::write(dir.join("c.warc.gz"), vec![0u8; 30_000]).unwrap();
        let expected = expected_documents(std::slice::from_ref(&dir));
        assert_eq!(
            expected,
            1 + 2 + 30_000u64.div_ceil(WARC_GZ_BYTES_PER_RECORD)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
