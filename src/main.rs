//! The `warcoder` command line: extract events, list places, and (in later
//! commands) evaluate, benchmark and ingest.

/// `println!` that returns the write error instead of panicking: a closed
/// pipe (`warcoder stats | head -1`) or a full disk is an error the caller
/// handles, never a panic.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod commands;
mod config;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use warcoder_core::source::{self, InputError, RawInput};
use warcoder_sinks as sinks;

const LONG_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\n", warcoder_core::credits!());

#[derive(Parser)]
#[command(name = "warcoder", version, long_version = LONG_VERSION, about = "News text about political violence in; structured, geocoded, source-attributed events out.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code events from articles: text, HTML, JSONL files, directories, or - for stdin.
    #[command(after_long_help = warcoder_core::glossary::help_text())]
    Extract {
        /// Inputs; none means standard input.
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        #[command(flatten)]
        reference_date: commands::ReferenceDateArgs,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// CSV: write cells exactly as coded, without the leading `'` that
        /// stops spreadsheets running a cell such as `=HYPERLINK(...)`.
        #[arg(long)]
        raw_csv: bool,
        /// ACLED CSV: which of ACLED's layouts to write.
        #[arg(long, value_enum, default_value_t = AcledLayoutArg::Download)]
        acled_layout: AcledLayoutArg,
        #[command(flatten)]
        languages: commands::LanguageArgs,
        /// JSON and JSONL: with each event type the learned model chose, the
        /// words (with their spans) and rule facts that weighed most for it,
        /// as `type_explanation`.
        #[arg(long)]
        explain: bool,
        /// Never let the models propose an event. By default, in a short
        /// text (up to 600 bytes of sentences: a coder's note, a news
        /// snippet) where the rules find no event, the models propose one
        /// at the word that weighed most (`trigger.proposed`) when they
        /// read political violence or a demonstration in it.
        #[arg(long)]
        no_propose: bool,
    },
    /// Ingest articles and WARC files into the event store (SQLite), deduplicated.
    Ingest(commands::ingest::IngestArgs),
    /// Query the event store: incidents as a table, JSONL, ACLED CSV, GeoJSON or PLOVER.
    #[command(after_long_help = warcoder_core::glossary::help_text())]
    Events(commands::events::EventsArgs),
    /// Serve the map, timeline and evidence view of an event store, with its JSON API.
    Serve(commands::serve::ServeArgs),
    /// Analysts' corrections: export them as training rows.
    Corrections(commands::corrections::CorrectionsArgs),
    /// Publish articles and WARC records to a NATS JetStream work queue, for `warcoder work`.
    Enqueue(commands::enqueue::EnqueueArgs),
    /// Code and store what the work queue holds: a stateless worker, as many as you like.
    Work(commands::work::WorkArgs),
    /// The work queue: `queue stats`, `queue dead`.
    Queue(commands::queue::QueueCommandArgs),
    /// Counts and ranges of the event store.
    Stats(commands::stats::StatsArgs),
    /// The main job on the bundled examples: ingest examples/ into a fresh database and list the incidents.
    Demo(commands::demo::DemoArgs),
    /// Score the pipeline against gold data (ACLED exports, CASE 2021 snippets, geoparsing corpora).
    Eval(commands::eval::EvalArgs),
    /// Measure throughput, start-up time and peak memory over a corpus.
    Bench(commands::bench::BenchArgs),
    /// Fit the learned models to the training corpus (ACLED notes, news) and write them under data/model/.
    Train(commands::train::TrainArgs),
    /// Manage the gazetteer: import a GeoNames dump into the local overlay.
    Gazetteer(commands::gazetteer::GazetteerArgs),
    /// List every place mention with its resolved gazetteer entry.
    Places {
        /// Inputs (text, HTML, JSONL files, directories); none means standard input.
        paths: Vec<PathBuf>,
        /// How to write the mentions.
        #[arg(long, value_enum, default_value_t = PlacesFormat::Json)]
        format: PlacesFormat,
        /// Include each mention's ranked candidates and their evidence (JSON only).
        #[arg(long)]
        candidates: bool,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// The output contract, pretty-printed.
    Json,
    /// The output contract, one document per line.
    Jsonl,
    /// ACLED CSV (see --acled-layout); `csv` is the same.
    #[value(alias = "csv")]
    Acled,
    /// A FeatureCollection with flat properties; events without a place have a null geometry.
    Geojson,
    /// PLOVER event records, one per line.
    Plover,
}

/// ACLED's CSV layouts (`warcoder_sinks::acled`).
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub(crate) enum AcledLayoutArg {
    /// ACLED's current export: 31 columns, dates YYYY-MM-DD, actor types as numbers.
    #[default]
    Download,
    /// The same columns as ACLED's API returns them: actor types and interactions as words.
    Api,
    /// ACLED's files before 2023: data_id ... iso3, dates as "21 March 2020".
    Classic,
}

impl From<AcledLayoutArg> for sinks::AcledLayout {
    fn from(l: AcledLayoutArg) -> sinks::AcledLayout {
        match l {
            AcledLayoutArg::Download => sinks::AcledLayout::Download,
            AcledLayoutArg::Api => sinks::AcledLayout::Api,
            AcledLayoutArg::Classic => sinks::AcledLayout::Classic,
        }
    }
}

/// What every exported row shares: ACLED's vocabularies and the export's
/// time (ACLED's `timestamp`; `SOURCE_DATE_EPOCH` fixes it, for
/// reproducible files).
pub(crate) fn export_context(layout: AcledLayoutArg) -> sinks::AcledContext<'static> {
    let timestamp = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| jiff::Timestamp::now().as_second());
    sinks::AcledContext {
        ontology: &config::resources().ontology,
        layout: layout.into(),
        timestamp,
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum PlacesFormat {
    /// One object per document: its source and every place mention with its span and gazetteer entry.
    Json,
    /// One row per mention: source, span, text, geonameid, name, country, admin1, admin2, lat, lon, feature code, score.
    Tsv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        // The reader went away (`| head`): nothing left to say to it.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warcoder: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// True when `e` comes from writing to a pipe whose reader has closed it,
/// however the writer wrapped it (JSON and CSV writers keep the io error).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let kind = |c: &(dyn std::error::Error + 'static)| {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        if let Some(json) = c.downcast_ref::<serde_json::Error>() {
            return json.io_error_kind();
        }
        match c.downcast_ref::<csv::Error>().map(csv::Error::kind) {
            Some(csv::ErrorKind::Io(io)) => Some(io.kind()),
            _ => None,
        }
    };
    e.chain()
        .any(|c| kind(c) == Some(std::io::ErrorKind::BrokenPipe))
}

/// More workers than this many per core only cost memory and process ids.
const MAX_THREADS_PER_CORE: usize = 4;

fn set_threads(threads: Option<usize>) -> Result<()> {
    if let Some(n) = threads {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cap = cores * MAX_THREADS_PER_CORE;
        if n > cap {
            bail!("--threads {n} is more than {MAX_THREADS_PER_CORE} per core ({cap} on this machine); use at most {cap}");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("setting up worker threads")?;
    }
    Ok(())
}

/// Read every input; report the bad ones on stderr and keep the good ones.
fn read_inputs(paths: &[PathBuf]) -> (Vec<RawInput>, usize) {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        paths.to_vec()
    };
    let mut good = Vec::new();
    let mut failed = 0;
    for r in warcoder_sources::files::read_paths(&paths) {
        match r {
            Ok(raw) => {
                for w in &raw.warnings {
                    eprintln!("warcoder: warning: {w}");
                }
                good.push(raw);
            }
            Err(e) => {
                failed += 1;
                report(&e);
            }
        }
    }
    (good, failed)
}

fn report(e: &InputError) {
    eprintln!("warcoder: error: {e}");
}

/// Print a report on stdout: pretty JSON with `--json`, else as `text`
/// renders it for people (eval, bench).
fn print_report<R: serde::Serialize>(
    json: bool,
    report: &R,
    text: impl FnOnce(&mut dyn Write, &R) -> std::io::Result<()>,
) -> Result<()> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer_pretty(&mut w, report)?;
        writeln!(w)?;
    } else {
        text(&mut w, report)?;
    }
    w.flush()?;
    Ok(())
}

/// A bar counting `n` documents (extract, bench).
fn documents_bar(n: u64) -> indicatif::ProgressBar {
    progress_bar(Some(n), "{bar:40} {pos}/{len} documents  {rate}  eta {eta}")
}

/// Progress on stderr drawn with `template`: a bar up to `len`, or a
/// spinner when the total is unknown. Hidden when stderr is not a terminal,
/// so pipes and logs get no control codes; every command's bar comes from
/// here. Templates may use `{rate}`: items per second, rounded (indicatif's
/// own `{per_sec}` prints four decimals).
fn progress_bar(len: Option<u64>, template: &str) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressStyle};
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, fallback) = match len {
        Some(n) => (ProgressBar::new(n), ProgressStyle::default_bar()),
        None => (ProgressBar::new_spinner(), ProgressStyle::default_spinner()),
    };
    let style = ProgressStyle::with_template(template)
        .map(|s| {
            s.with_key("rate", rounded_rate)
                .with_key("byte_rate", rounded_byte_rate)
        })
        .unwrap_or(fallback);
    bar.set_style(style);
    bar
}

/// `{rate}` in a progress template: "315/s", "2.5/s" below ten.
fn rounded_rate(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{}/s", round_rate(state.per_sec()));
}

/// `{byte_rate}`: input bytes per second as "3.4 MB/s" or "870 kB/s".
fn rounded_byte_rate(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let per_sec = state.per_sec();
    let _ = if per_sec >= 1e6 {
        write!(w, "{:.1} MB/s", per_sec / 1e6)
    } else {
        write!(w, "{:.0} kB/s", per_sec / 1e3)
    };
}

fn round_rate(per_sec: f64) -> String {
    if per_sec >= 10.0 || per_sec == 0.0 {
        format!("{per_sec:.0}")
    } else {
        format!("{per_sec:.1}")
    }
}

fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Eval(args) => commands::eval::run(args),
        Command::Gazetteer(args) => commands::gazetteer::run(args),
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Events(args) => commands::events::run(args),
        Command::Stats(args) => commands::stats::run(args),
        Command::Enqueue(args) => commands::enqueue::run(args),
        Command::Work(args) => commands::work::run(args),
        Command::Queue(args) => commands::queue::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Corrections(args) => commands::corrections::run(args),
        Command::Demo(args) => commands::demo::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Train(args) => commands::train::run(args),
        Command::Extract {
            paths,
            format,
            reference_date,
            threads,
            raw_csv,
            acled_layout,
            languages,
            explain,
            no_propose,
        } => {
            set_threads(threads)?;
            if explain && !matches!(format, Format::Json | Format::Jsonl) {
                anyhow::bail!(
                    "--explain adds a field to each event: use it with --format json or jsonl"
                );
            }
            commands::extract::run(
                &paths,
                commands::extract::ExtractOptions {
                    format,
                    cells: csv_cells(raw_csv),
                    cx: export_context(acled_layout),
                    reference_date: reference_date.given()?,
                    languages: languages.languages(),
                    explain,
                    propose: !no_propose,
                },
            )
        }
        Command::Places {
            paths,
            format,
            candidates,
            threads,
        } => {
            set_threads(threads)?;
            let (inputs, failed) = read_inputs(&paths);
            let res = config::resources();
            let outs: Vec<_> = inputs
                .into_par_iter()
                .map(|raw| warcoder_core::places(source::into_document(raw), res, candidates))
                .collect();
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            match format {
                PlacesFormat::Json => sinks::places::write_jsonl(&mut w, &outs)?,
                PlacesFormat::Tsv => sinks::places::write_tsv(&mut w, &outs)?,
            }
            w.flush()?;
            Ok(failed == 0)
        }
    }
}

/// `--raw-csv` as the sinks take it.
fn csv_cells(raw: bool) -> sinks::CsvCells {
    if raw {
        sinks::CsvCells::Raw
    } else {
        sinks::CsvCells::SpreadsheetSafe
    }
}

#[cfg(test)]
mod tests {
    use super::round_rate;

    #[test]
    fn rates_are_rounded() {
        assert_eq!(round_rate(315.4878), "315");
        assert_eq!(round_rate(2.4878), "2.5");
        assert_eq!(round_rate(0.0), "0");
    }
}
