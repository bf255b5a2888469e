//! `warcoder stats`: counts and ranges of the event store.

use std::path::PathBuf;

use anyhow::{Context, Result};
use warcoder_store::stats::{Ranked, Stats};
use warcoder_store::Db;

#[derive(clap::Args)]
pub struct StatsArgs {
    /// The event store written by `warcoder ingest` (a SQLite file or a postgres:// URL).
    #[arg(long, default_value = "warcoder.db")]
    pub db: PathBuf,
    /// Print the counts as JSON (keys: documents, events, incidents, ...).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: StatsArgs) -> Result<bool> {
    let mut store = Db::open_existing(&args.db)?;
    let stats = store
        .stats()
        .with_context(|| format!("reading {}", store.name()))?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&stats)?)?;
    } else {
        print!("{}", render(&store.name(), &stats));
    }
    Ok(true)
}

fn ranked(list: &[Ranked]) -> String {
    if list.is_empty() {
        return "–".into();
    }
    list.iter()
        .map(|r| format!("{} {}", r.name, r.count))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render(db: &str, s: &Stats) -> String {
    let dates = s
        .date_range
        .as_ref()
        .map_or("–".into(), |d| format!("{} .. {}", d.first, d.last));
    format!(
        "{db}\n\
         \x20 documents        {:>7}  ({} sources, {:.2} MB of text)\n\
         \x20 events           {:>7}  ({} background, {} not coded by ACLED, {} undated)\n\
         \x20 incidents        {:>7}  ({} reported by several documents)\n\
         \x20 dates            {dates}\n\
         \x20 top countries    {}\n\
         \x20 top event types  {}\n\
         \x20 top sources      {}\n\
         \x20 database size    {:.2} MB\n",
        s.documents,
        s.sources,
        s.bytes_ingested as f64 / 1e6,
        s.events,
        s.background_events,
        s.not_acled_events,
        s.undated_events,
        s.incidents,
        s.merged_incidents,
        ranked(&s.top_countries),
        ranked(&s.top_event_types),
        ranked(&s.top_sources),
        s.database_bytes as f64 / 1e6,
    )
}
