//! `warcoder events`: query the event store's incidents, as a table or in
//! an export format.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use warcoder_core::Resources;
use warcoder_store::export::{self, Format};
use warcoder_store::query::{parse_bbox, Filter};
use warcoder_store::Store;

#[derive(clap::Args)]
pub struct EventsArgs {
    /// The event store written by `warcoder ingest`.
    #[arg(long, default_value = "warcoder.db")]
    pub db: PathBuf,
    /// Incidents on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// Incidents on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// Country code (ISO 3166-1 alpha-2, e.g. PK).
    #[arg(long, value_name = "ISO2")]
    pub country: Option<String>,
    /// ACLED event type or sub-event type, e.g. "Battles" or "Suicide bomb".
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// Part of an actor's name, any case.
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Bounding box in degrees: west,south,east,north.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Words in the place, actors, types or evidence, e.g. "Peshawar police".
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    #[arg(long, value_enum, default_value_t = EventsFormat::Table)]
    pub format: EventsFormat,
    /// CSV: write cells exactly as coded, without the leading `'` that
    /// stops spreadsheets running a cell such as `=HYPERLINK(...)`.
    #[arg(long)]
    pub raw_csv: bool,
    /// ACLED CSV: which of ACLED's layouts to write.
    #[arg(long, value_enum, default_value_t = crate::AcledLayoutArg::Download)]
    pub acled_layout: crate::AcledLayoutArg,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EventsFormat {
    /// Readable columns: date, type, location, country, actors, fatalities, sources.
    Table,
    /// One incident record per line, with every source and estimate.
    Jsonl,
    /// ACLED CSV (see --acled-layout); `csv` is the same.
    #[value(alias = "csv")]
    Acled,
    /// A FeatureCollection with flat properties; incidents without a place have a null geometry.
    Geojson,
    /// PLOVER event records, one per line.
    Plover,
}

impl From<EventsFormat> for Format {
    fn from(f: EventsFormat) -> Format {
        match f {
            EventsFormat::Table => Format::Table,
            EventsFormat::Jsonl => Format::Jsonl,
            EventsFormat::Acled => Format::Csv,
            EventsFormat::Geojson => Format::Geojson,
            EventsFormat::Plover => Format::Plover,
        }
    }
}

fn day(flag: &str, value: Option<String>) -> Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(s) => match s.parse::<jiff::civil::Date>() {
            Ok(d) => Ok(Some(d.to_string())),
            Err(_) => bail!("{flag} {s:?} is not a YYYY-MM-DD date"),
        },
    }
}

/// `--type` as the store spells it: an ACLED event type or sub-event type,
/// any case. A miss lists the vocabulary, with the closest names first.
pub(crate) fn acled_type(given: &str) -> Result<String> {
    let ontology = &Resources::shared().ontology;
    let names: Vec<&str> = ontology
        .event_types
        .iter()
        .map(String::as_str)
        .chain(
            ontology
                .sub_event_types
                .iter()
                .map(|s| s.sub_event_type.as_str()),
        )
        .collect();
    let key = given.trim().to_lowercase();
    if let Some(name) = names.iter().find(|n| n.to_lowercase() == key) {
        return Ok(name.to_string());
    }
    let close: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| {
            let n = n.to_lowercase();
            !key.is_empty()
                && (n.contains(&key) || key.contains(&n) || n.starts_with(&key[..key.len().min(4)]))
        })
        .collect();
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!(
            " Did you mean {}?",
            close
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    bail!(
        "--type {given:?} is no ACLED event type or sub-event type.{hint}\nEvent types: {}\nSub-event types: {}",
        ontology.event_types.join(", "),
        ontology
            .sub_event_types
            .iter()
            .map(|s| s.sub_event_type.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn filter(args: &EventsArgs) -> Result<Filter> {
    if let Some(c) = &args.country {
        if c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()) {
            bail!("--country {c:?}: expected a two-letter ISO 3166-1 code such as PK or UA");
        }
    }
    let (from, to) = (
        day("--from", args.from.clone())?,
        day("--to", args.to.clone())?,
    );
    if let (Some(f), Some(t)) = (&from, &to) {
        // ISO dates order as strings.
        if f > t {
            bail!("--from {f} is after --to {t}: no incident can match; swap them?");
        }
    }
    Ok(Filter {
        from,
        to,
        country: args.country.clone(),
        event_type: args.event_type.as_deref().map(acled_type).transpose()?,
        actor: args.actor.clone(),
        bbox: args
            .bbox
            .as_deref()
            .map(parse_bbox)
            .transpose()
            .map_err(anyhow::Error::msg)?,
        text: args.text.clone(),
    })
}

pub fn run(args: EventsArgs) -> Result<bool> {
    let filter = filter(&args)?;
    let store = Store::open_existing(&args.db)?;
    let mut incidents = Vec::new();
    store
        .for_each_incident(&filter, |i| {
            incidents.push(i);
            Ok::<_, warcoder_store::StoreError>(())
        })
        .with_context(|| format!("reading {}", args.db.display()))?;
    print_incidents(
        &incidents,
        args.format.into(),
        crate::csv_cells(args.raw_csv),
        args.acled_layout,
    )?;
    if args.format == EventsFormat::Table {
        print_corrections(&incidents)?;
    }
    Ok(true)
}

/// Under the table (which shows the corrected values): each correction
/// with the machine's value it replaced, so that both are in view.
fn print_corrections(incidents: &[warcoder_store::Incident]) -> Result<()> {
    let corrected: Vec<_> = incidents
        .iter()
        .flat_map(|i| i.corrections.iter())
        .collect();
    if corrected.is_empty() {
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    writeln!(
        w,
        "\ncorrected by analysts (machine value -> analyst value):"
    )?;
    for c in corrected {
        let value = serde_json::to_value(&c.change)?;
        writeln!(
            w,
            "  #{} {}: {} -> {}{}",
            c.incident_id,
            c.change.field(),
            c.machine,
            value["value"],
            if c.note.is_empty() {
                String::new()
            } else {
                format!("  ({})", c.note)
            }
        )?;
    }
    Ok(w.flush()?)
}

/// Write incidents on stdout; what the export reports (features without
/// a point, records left out) goes to stderr.
pub(crate) fn print_incidents(
    incidents: &[warcoder_store::Incident],
    format: Format,
    cells: warcoder_core::sink::CsvCells,
    acled_layout: crate::AcledLayoutArg,
) -> Result<()> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let cx = crate::export_context(acled_layout);
    let written = export::write_with(&mut w, format, incidents, cx, cells)
        .and_then(|summary| w.flush().map(|_| summary));
    match written {
        // `warcoder events | head` closes the pipe early: not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
        Ok(summary) => {
            if let Some(line) = summary {
                eprintln!("warcoder: {line}");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::acled_type;

    #[test]
    fn types_match_any_case_and_a_miss_suggests() {
        assert_eq!(acled_type("battles").unwrap(), "Battles");
        assert_eq!(acled_type("SUICIDE BOMB").unwrap(), "Suicide bomb");
        let miss = acled_type("battle").unwrap_err().to_string();
        assert!(miss.contains("Did you mean \"Battles\""), "{miss}");
        let miss = acled_type("Shelling").unwrap_err().to_string();
        assert!(miss.contains("Shelling/artillery/missile attack"), "{miss}");
        assert!(miss.contains("Sub-event types:"), "{miss}");
    }
}
