//! `warcoder work`: a stateless worker on the work queue, storing into the
//! event store.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use warcoder_core::budget::Budget;
use warcoder_core::config::Config;
use warcoder_queue::work::{Progress, WorkOptions, WorkReport};
use warcoder_store::Db;

#[derive(clap::Args)]
pub struct WorkArgs {
    #[command(flatten)]
    pub queue: super::queue::QueueArgs,
    /// The event store, created if missing: a SQLite file, or a
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` URL that workers on
    /// several machines share.
    #[arg(long, default_value = "warcoder.db")]
    pub db: PathBuf,
    /// Threads coding documents (default: all cores).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Deliveries after which a failing message goes to the dead letters.
    #[arg(long, default_value_t = 5)]
    pub max_deliver: i64,
    /// Messages coded and committed in one transaction.
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    /// Seconds the server waits for an ack before it redelivers to another
    /// worker (set when the first worker creates the consumer).
    #[arg(long, default_value_t = 60)]
    pub ack_wait: u64,
    /// Exit once nothing is pending or in flight, instead of waiting for more.
    #[arg(long)]
    pub until_empty: bool,
    #[command(flatten)]
    pub languages: super::LanguageArgs,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: WorkArgs) -> Result<bool> {
    anyhow::ensure!(args.max_deliver >= 1, "--max-deliver must be at least 1");
    let store = Db::open(&args.db).with_context(|| {
        format!(
            "opening the event store {}",
            warcoder_store::db::display(&args.db)
        )
    })?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let options = WorkOptions {
        concurrency: args.concurrency.unwrap_or(cores),
        max_deliver: args.max_deliver,
        batch: args.batch.max(1),
        ack_wait: Duration::from_secs(args.ack_wait.max(1)),
        until_empty: args.until_empty,
        config: Config {
            languages: args.languages.languages(),
            diagnostics: crate::config::diagnostics(),
            ..Config::new(Budget::default())
        },
        limits: warcoder_store::warc::Limits::default(),
    };
    let res = crate::config::resources();
    let mut line = ProgressLine::new();
    let started = std::time::Instant::now();
    let report = warcoder_queue::block_on(async {
        let queue = args.queue.connect().await?;
        warcoder_queue::work::work(&queue, Box::new(store), res, options, &mut line).await
    })??;
    line.bar.finish_and_clear();
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        print_summary(&args.db, &report, started.elapsed())?;
    }
    Ok(true)
}

/// The run so far on stderr, as `ingest` draws it (hidden when stderr is
/// not a terminal); failures are printed above it.
struct ProgressLine {
    bar: indicatif::ProgressBar,
}

impl ProgressLine {
    fn new() -> Self {
        let bar = crate::progress_bar(None, "{spinner} {pos} messages  {rate}  {msg}");
        if !bar.is_hidden() {
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        ProgressLine { bar }
    }
}

impl Progress for ProgressLine {
    fn progress(&mut self, r: &WorkReport) {
        self.bar.set_position(r.processed as u64);
        self.bar.set_message(format!(
            "{} stored  {} redelivered  {} dead-lettered",
            r.documents_stored, r.redelivered, r.dead_lettered
        ));
    }

    fn failed(&mut self, reason: &str, dead: bool) {
        let what = if dead { "dead-lettered" } else { "will retry" };
        self.bar
            .suspend(|| eprintln!("warcoder: error: {reason} ({what})"));
    }
}

fn print_summary(db: &std::path::Path, r: &WorkReport, elapsed: Duration) -> std::io::Result<()> {
    let secs = elapsed.as_secs_f64();
    outln!(
        "{}: {} messages in {secs:.1} s ({:.1} messages/s)",
        warcoder_store::db::display(db),
        r.processed,
        r.processed as f64 / secs.max(1e-9)
    )?;
    outln!("  documents stored       {:>7}", r.documents_stored)?;
    outln!("  skipped as duplicates  {:>7}", r.duplicates)?;
    outln!("  events stored          {:>7}", r.events)?;
    outln!("  redelivered            {:>7}", r.redelivered)?;
    outln!("  retried                {:>7}", r.retried)?;
    outln!("  dead-lettered          {:>7}", r.dead_lettered)
}
