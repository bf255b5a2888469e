//! `warcoder events`: query the event store's incidents, as a table or in
//! an export format.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use warcoder_store::export::{self, Format};
use warcoder_store::query::{Filter, FilterArgs};
use warcoder_store::Db;

#[derive(clap::Args)]
pub struct EventsArgs {
    /// The event store written by `warcoder ingest` (a SQLite file or a postgres:// URL).
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
    /// ACLED event type or sub-event type, any case, e.g. "battles", "Suicide bomb",
    /// "shelling"; or a sub-event type's CAMEO code ("1831"). A miss lists them all.
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
    /// Show why each report joined incident ID: the checks it passed
    /// against every earlier report, with their values.
    #[arg(long, value_name = "ID")]
    pub explain_merge: Option<i64>,
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

/// The flags as a store filter: checked (dates, country code, bounding
/// box) and `--type` spelt as the store does.
fn filter(args: &EventsArgs) -> Result<Filter> {
    FilterArgs {
        from: args.from.clone(),
        to: args.to.clone(),
        country: args.country.clone(),
        event_type: args.event_type.clone(),
        actor: args.actor.clone(),
        bbox: args.bbox.clone(),
        text: args.text.clone(),
    }
    .check(&crate::config::resources().ontology, |field| {
        format!("--{field}")
    })
    .map_err(anyhow::Error::msg)
}

pub fn run(args: EventsArgs) -> Result<bool> {
    let filter = filter(&args)?;
    let mut store = Db::open_existing(&args.db)?;
    if let Some(id) = args.explain_merge {
        return explain_merge(&mut store, id);
    }
    let mut incidents = Vec::new();
    store
        .for_each_incident(&filter, |i| {
            incidents.push(i);
            Ok::<_, warcoder_store::StoreError>(())
        })
        .with_context(|| format!("reading {}", store.name()))?;
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

/// `--explain-merge ID`: each report of the incident, and for each one
/// that joined, the checks it passed against the reports before it.
fn explain_merge(store: &mut Db, id: i64) -> Result<bool> {
    let Some(reports) = store.merge_explanation(id)? else {
        bail!(
            "no incident {id} in {}: list them with `warcoder events --db {}`",
            store.name(),
            store.name()
        );
    };
    let incident = store.incident(id)?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    if let Some(i) = &incident {
        let place = i.location.as_ref().map_or("no place".to_string(), |l| {
            format!("{} ({})", l.name, l.country)
        });
        writeln!(
            w,
            "incident {id}: {}, {}, {place}, {} report(s)",
            i.event_type,
            i.date.as_deref().unwrap_or("undated"),
            reports.len()
        )?;
    }
    let label = |event: i64| {
        reports
            .iter()
            .find(|r| r.event == event)
            .map_or(format!("event row {event}"), |r| {
                format!("{} {}", r.document.outlet, r.key)
            })
    };
    for (n, r) in reports.iter().enumerate() {
        let name = format!("{}. {} {}", n + 1, r.document.outlet, r.key);
        match &r.joined {
            None if n == 0 => writeln!(w, "  {name}: started the incident")?,
            None => writeln!(w, "  {name}: joined before reasons were recorded")?,
            Some(joined) => {
                writeln!(w, "  {name}: joined")?;
                for e in &joined.members {
                    let line = evidence_line(e, &label);
                    writeln!(w, "       vs {}: {line}", label(e.with_event))?;
                }
            }
        }
    }
    w.flush()?;
    Ok(true)
}

/// One pair's checks in words: "same type Battles; same day; 1.2 km apart
/// (within 10 km); grounds: tolls agree (11+ and 12-13) at Dera Ismail Khan".
fn evidence_line(e: &warcoder_store::merge::Evidence, label: &dyn Fn(i64) -> String) -> String {
    use warcoder_store::merge::{Ground, Toll};
    let toll = |t: &Toll| match t.high {
        None => format!("{}+", t.low),
        Some(h) if h == t.low => h.to_string(),
        Some(h) => format!("{}-{h}", t.low),
    };
    let days = match e.days {
        None => "a date missing (the text stands in)".to_string(),
        Some(0) => "same day".to_string(),
        Some(d) => format!("{d} day(s) apart"),
    };
    let place = match (e.km, e.radius_km) {
        (Some(km), Some(r)) => format!(
            "{km:.1} km apart (within {r:.0} km{})",
            if e.same_admin2 { ", same admin2" } else { "" }
        ),
        _ => "a place missing (the text stands in)".to_string(),
    };
    let grounds: Vec<String> = e
        .grounds
        .iter()
        .map(|g| match g {
            Ground::NearDuplicateText { similarity } => {
                format!("near-duplicate text ({:.0}% alike)", similarity * 100.0)
            }
            Ground::SharedPerpetrator { name } => format!("both name {name}"),
            Ground::CopyOfMember { event } => {
                format!("a near duplicate of {}, tied to this one", label(*event))
            }
            Ground::AgreeingTolls { this, other, at } => {
                let at = at.as_ref().map_or(String::new(), |p| format!(" at {p}"));
                format!("tolls agree ({} and {}){at}", toll(this), toll(other))
            }
        })
        .collect();
    format!(
        "same type {}; {days}; {place}; grounds: {}",
        e.event_type,
        grounds.join(", ")
    )
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
    cells: warcoder_sinks::CsvCells,
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
