//! `warcoder ingest`: articles and WARC files into the event store, with a
//! progress bar while it runs and a summary at the end.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use warcoder_store::ingest::{IngestOptions, Observer, Summary};
use warcoder_store::Store;

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Articles (text, HTML, JSONL), WARC files (.warc, .warc.gz) and directories; - for stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The event store (SQLite), created if missing.
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
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: IngestArgs) -> Result<bool> {
    crate::set_threads(args.threads)?;
    let options = IngestOptions {
        batch_size: args.batch.max(1),
        reference_date: args.reference_date.given()?,
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
    let mut store =
        Store::open(db).with_context(|| format!("opening the event store {}", db.display()))?;
    let mut bar = ProgressBar::new();
    let summary = warcoder_store::ingest(&mut store, paths, options, &mut bar)
        .with_context(|| format!("writing to {}", db.display()))?;
    bar.bar.finish_and_clear();
    Ok(summary)
}

/// Documents/s and events on stderr, hidden when stderr is not a terminal;
/// failures and warnings printed above it as they happen.
struct ProgressBar {
    bar: indicatif::ProgressBar,
}

impl ProgressBar {
    fn new() -> Self {
        let bar = crate::progress_bar(None, "{spinner} {pos} documents  {msg}  [{elapsed}]");
        // The spinner turns while a batch commits, when no document ends
        // (no ticker thread for a hidden bar).
        if !bar.is_hidden() {
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        ProgressBar { bar }
    }
}

impl Observer for ProgressBar {
    fn progress(&mut self, s: &Summary) {
        self.bar.set_position(s.read as u64);
        self.bar.set_message(format!(
            "{:.0} documents/s  {} events found, {} stored  {} failed",
            rate(s.read as f64, s),
            s.events_found,
            s.committed.events,
            s.failed
        ));
    }

    fn failed(&mut self, message: &str) {
        self.bar.suspend(|| eprintln!("warcoder: error: {message}"));
    }

    fn warning(&mut self, message: &str) {
        self.bar
            .suspend(|| eprintln!("warcoder: warning: {message}"));
    }
}

fn rate(n: f64, s: &Summary) -> f64 {
    n / s.elapsed.as_secs_f64().max(1e-9)
}

pub(crate) fn print_summary(db: &Path, s: &Summary) -> std::io::Result<()> {
    let c = &s.committed;
    let mb = s.bytes as f64 / 1e6;
    outln!(
        "{}: {} documents in {:.1} s ({:.1} documents/s, {:.2} MB/s)",
        db.display(),
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
    if s.not_articles > 0 {
        outln!(
            "  not articles           {:>7}  (WARC requests, redirects, images ...)",
            s.not_articles
        )?;
    }
    outln!(
        "  events stored          {:>7}  ({} background or not coded by ACLED)",
        c.events,
        c.flagged
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
        "events_stored": c.events,
        "events_flagged": c.flagged,
        "incidents_created": c.incidents_created,
        "incidents_merged": c.merged,
        "seconds": s.elapsed.as_secs_f64(),
        "documents_per_second": rate(s.read as f64, s),
        "mb_per_second": rate(s.bytes as f64 / 1e6, s),
    })
}
