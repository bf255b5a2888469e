//! Incidents out: a readable table, JSONL (the stored incident records),
//! ACLED CSV (31 columns in ACLED's order, through core's `acled_row`),
//! GeoJSON for QGIS and web maps, and PLOVER-style JSON records.

use std::io::{self, Write};

use serde_json::{json, Value};
use warcoder_core::output::{DocumentOut, EventOut, Output, SCHEMA_VERSION};
use warcoder_core::sink::{self, CsvCells};

use crate::incident::{Incident, Tally};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Csv,
    Geojson,
    Plover,
}

/// Write `incidents` in `format`; `country_name` turns an ISO2 code into
/// the country's name (ACLED's `country` column).
pub fn write(
    w: &mut dyn Write,
    format: Format,
    incidents: &[Incident],
    country_name: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    write_with(w, format, incidents, country_name, CsvCells::default())
}

/// [`write`], choosing how CSV cells are written.
pub fn write_with(
    w: &mut dyn Write,
    format: Format,
    incidents: &[Incident],
    country_name: &dyn Fn(&str) -> String,
    cells: CsvCells,
) -> io::Result<()> {
    if format == Format::Table {
        return table(w, incidents);
    }
    let mut stream = Stream::new(format, country_name).csv_cells(cells);
    stream.begin(w)?;
    for inc in incidents {
        stream.item(w, inc)?;
    }
    stream.end(w)
}

/// Writes incidents one at a time, so that an export of any size streams:
/// `begin`, `item` for each incident, `end`. Every format but the table
/// (whose column widths need all rows first).
pub struct Stream<'a> {
    format: Format,
    country_name: &'a dyn Fn(&str) -> String,
    cells: CsvCells,
    features: usize,
}

impl<'a> Stream<'a> {
    pub fn new(format: Format, country_name: &'a dyn Fn(&str) -> String) -> Self {
        Stream {
            format,
            country_name,
            cells: CsvCells::default(),
            features: 0,
        }
    }

    /// How CSV cells are written (spreadsheet-safe unless told otherwise).
    pub fn csv_cells(mut self, cells: CsvCells) -> Self {
        self.cells = cells;
        self
    }

    pub fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Csv => csv_row(w, sink::ACLED_COLUMNS),
            Format::Geojson => writeln!(w, r#"{{"type": "FeatureCollection", "features": ["#),
            _ => Ok(()),
        }
    }

    pub fn item(&mut self, w: &mut dyn Write, inc: &Incident) -> io::Result<()> {
        match self.format {
            Format::Table => Err(io::Error::other("a table cannot be streamed")),
            Format::Jsonl => line(w, &serde_json::to_value(inc).map_err(io::Error::other)?),
            Format::Plover => line(w, &plover(inc)),
            Format::Csv => csv_row(w, self.cells.record(acled_row(inc, self.country_name)?)),
            Format::Geojson => match feature(inc) {
                None => Ok(()),
                Some(f) => {
                    if self.features > 0 {
                        writeln!(w, ",")?;
                    }
                    self.features += 1;
                    serde_json::to_writer(&mut *w, &f).map_err(io::Error::other)
                }
            },
        }
    }

    pub fn end(&mut self, w: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Geojson => writeln!(w, "\n]}}"),
            _ => Ok(()),
        }
    }
}

fn line(w: &mut dyn Write, record: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *w, record)?;
    writeln!(w)
}

fn csv_row<I, T>(w: &mut dyn Write, record: I) -> io::Result<()>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut wr = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(&mut *w);
    wr.write_record(record)?;
    wr.flush()
}

/// The fields analysts corrected, "fatalities; date", or None.
pub fn corrected_fields(inc: &Incident) -> Option<String> {
    let mut fields: Vec<&str> = Vec::new();
    for c in &inc.corrections {
        if !fields.contains(&c.change.field()) {
            fields.push(c.change.field());
        }
    }
    (!fields.is_empty()).then(|| fields.join("; "))
}

/// "11–13", "7", or "–" when no figure was given.
pub fn range(t: Option<&Tally>) -> String {
    match t {
        None => "–".into(),
        Some(t) if t.low == t.high => t.low.to_string(),
        Some(t) => format!("{}–{}", t.low, t.high),
    }
}

/// Names on the attacking side first (as ACLED's actor1), then the others.
fn actor_names(inc: &Incident) -> Vec<&str> {
    let side1 = |r: &str| matches!(r, "perpetrator" | "claimant" | "participant");
    let mut names: Vec<&str> = Vec::new();
    let ordered = inc
        .actors
        .iter()
        .filter(|a| side1(&a.role))
        .chain(inc.actors.iter().filter(|a| !side1(&a.role)));
    for a in ordered {
        if !names.contains(&a.name.as_str()) {
            names.push(&a.name);
        }
    }
    names
}

fn table(w: &mut dyn Write, incidents: &[Incident]) -> io::Result<()> {
    const HEAD: [&str; 8] = [
        "#",
        "date",
        "type",
        "location",
        "country",
        "actors",
        "fatalities",
        "sources",
    ];
    // Widths cap the free-text columns so a row stays on a terminal line.
    const MAX: [usize; 8] = [6, 10, 26, 28, 7, 44, 10, 7];
    let rows: Vec<[String; 8]> = incidents
        .iter()
        .map(|i| {
            [
                i.id.to_string(),
                i.date.clone().unwrap_or_else(|| "–".into()),
                i.event_type.clone(),
                i.location.as_ref().map_or("–".into(), |l| l.name.clone()),
                i.location
                    .as_ref()
                    .map_or("–".into(), |l| l.country.clone()),
                actor_names(i).join("; "),
                range(i.fatalities.as_ref()),
                i.sources.len().to_string(),
            ]
        })
        .collect();
    let mut widths = HEAD.map(|h| h.chars().count());
    for row in &rows {
        for (k, cell) in row.iter().enumerate() {
            widths[k] = widths[k].max(cell.chars().count().min(MAX[k]));
        }
    }
    let line = |w: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let c = clip(c, widths[k]);
                let pad = widths[k] - c.chars().count();
                // Numbers right-aligned, text left-aligned.
                if k == 0 || k >= 6 {
                    format!("{}{c}", " ".repeat(pad))
                } else {
                    format!("{c}{}", " ".repeat(pad))
                }
            })
            .collect();
        writeln!(w, "{}", padded.join("  ").trim_end())
    };
    line(w, &HEAD.map(String::from))?;
    line(w, &widths.map(|n| "-".repeat(n)))?;
    for row in &rows {
        line(w, row)?;
    }
    writeln!(
        w,
        "{} incident{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}

fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// ACLED's `event_id_cnty`: the country code and a number.
fn event_id(inc: &Incident) -> String {
    let cc = inc.location.as_ref().map_or("XX", |l| l.country.as_str());
    format!("{cc}{}", inc.id)
}

/// The incident as a one-event output, so that core's `acled_row` writes
/// its ACLED row exactly as `extract --format csv` would: outlets in
/// `source`, every report's evidence in `notes`.
fn as_output(inc: &Incident) -> serde_json::Result<(Output, EventOut)> {
    let outlets: Vec<&str> = inc.sources.iter().map(|s| s.outlet.as_str()).collect();
    let count = |t: &Option<Tally>| {
        t.as_ref()
            .map(|t| json!({"low": t.low, "best": t.best, "high": t.high, "estimates": []}))
    };
    let event: EventOut = serde_json::from_value(json!({
        "id": inc.id.to_string(),
        "status": "new",
        "date": inc.date,
        "date_precision": inc.date_precision,
        "acled_event_type": inc.event_type,
        "acled_sub_event_type": inc.sub_event_type,
        "disorder_type": inc.disorder_type,
        "cameo": inc.cameo,
        "plover": inc.plover,
        "plover_mode": inc.plover_mode,
        "actors": inc.actors.iter().map(|a| json!({
            "name": a.name, "role": a.role, "inter": a.inter, "country": a.country,
            "mention": a.name, "span": [0, 0]})).collect::<Vec<_>>(),
        "location": inc.location.as_ref().map(|l| json!({
            "name": l.name, "country": l.country, "admin1": l.admin1, "admin2": l.admin2,
            "lat": l.lat, "lon": l.lon, "geonames_id": l.geonames_id, "precision": l.precision,
            "mention": l.name, "span": [0, 0]})),
        "fatalities": count(&inc.fatalities),
        "injured": count(&inc.injured),
        "claimed_by": inc.claimed_by,
        "trigger": {"text": "", "span": [0, 0]},
        "evidence": [[0, inc.notes.len()]],
        "confidence": inc.confidence,
    }))?;
    let document: DocumentOut = serde_json::from_value(json!({
        "id": event_id(inc),
        "source": outlets.join("; "),
        "span_basis": "input",
        "removed": [],
    }))?;
    let output = Output {
        schema_version: SCHEMA_VERSION,
        document,
        events: Vec::new(),
        aggregates: Vec::new(),
    };
    Ok((output, event))
}

/// The incident's ACLED row; a corrected incident says which fields an
/// analyst corrected in `tags`.
fn acled_row(inc: &Incident, country_name: &dyn Fn(&str) -> String) -> io::Result<Vec<String>> {
    let (out, event) = as_output(inc).map_err(io::Error::other)?;
    let mut row = sink::acled_row(&out, &event, &inc.notes, country_name);
    row[0] = event_id(inc);
    if let Some(fields) = corrected_fields(inc) {
        let tags = column("tags");
        let mark = format!("corrected by an analyst: {fields}");
        row[tags] = if row[tags].is_empty() {
            mark
        } else {
            format!("{}; {mark}", row[tags])
        };
    }
    Ok(row)
}

/// The position of an ACLED column.
fn column(name: &str) -> usize {
    sink::ACLED_COLUMNS
        .iter()
        .position(|c| *c == name)
        .expect("an ACLED column")
}

/// The columns of the training corpus (`acled-train.csv`): ACLED's export
/// columns it keeps, then `taxonomy` and `origin`.
pub const TRAINING_COLUMNS: [&str; 26] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "taxonomy",
    "origin",
];

/// Corrected incidents as training rows in the corpus format, so that
/// training reads analysts' codings like ACLED's: current taxonomy,
/// origin `correction`.
pub fn training_rows(
    w: &mut dyn Write,
    incidents: &[Incident],
    country_name: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    csv_row(w, TRAINING_COLUMNS)?;
    for inc in incidents {
        let row = acled_row(inc, country_name)?;
        let cells = TRAINING_COLUMNS.iter().map(|name| match *name {
            "taxonomy" => "current",
            "origin" => "correction",
            other => row[column(other)].as_str(),
        });
        csv_row(w, cells)?;
    }
    Ok(())
}

/// A located incident as a GeoJSON feature with flat properties (what
/// QGIS shows as attribute columns); None for an incident with no place.
fn feature(i: &Incident) -> Option<Value> {
    let join = |v: Vec<&str>| v.join("; ");
    let l = i.location.as_ref()?;
    let tally = |t: &Option<Tally>, f: fn(&Tally) -> u64| t.as_ref().map(f);
    Some(json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
        "properties": {
            "incident_id": i.id,
            "date": i.date,
            "date_precision": i.date_precision,
            "event_type": i.event_type,
            "sub_event_type": i.sub_event_type,
            "disorder_type": i.disorder_type,
            "location": l.name,
            "country": l.country,
            "admin1": l.admin1,
            "admin2": l.admin2,
            "geo_precision": l.precision,
            "actors": join(actor_names(i)),
            "claimed_by": join(i.claimed_by.iter().map(String::as_str).collect()),
            "fatalities_low": tally(&i.fatalities, |t| t.low),
            "fatalities_best": tally(&i.fatalities, |t| t.best),
            "fatalities_high": tally(&i.fatalities, |t| t.high),
            "injured_low": tally(&i.injured, |t| t.low),
            "injured_best": tally(&i.injured, |t| t.best),
            "injured_high": tally(&i.injured, |t| t.high),
            "sources": i.sources.len(),
            "outlets": join(i.sources.iter().map(|s| s.outlet.as_str()).collect()),
            "urls": join(i.sources.iter().filter_map(|s| s.url.as_deref()).collect()),
            "notes": i.notes,
            "corrected": corrected_fields(i),
        }
    }))
}

/// A PLOVER-style event record: PLOVER's event type and mode, the source
/// actor and the recipient with their countries, the location, the story
/// ids and the text behind it.
fn plover(inc: &Incident) -> Value {
    let side1 = |r: &str| matches!(r, "perpetrator" | "claimant" | "participant");
    let actor = inc.actors.iter().find(|a| side1(&a.role));
    let recipient = inc
        .actors
        .iter()
        .find(|a| a.role == "target")
        .or_else(|| inc.actors.iter().filter(|a| side1(&a.role)).nth(1));
    json!({
        "id": format!("warcoder-{}", inc.id),
        "event_date": inc.date,
        "date_precision": inc.date_precision,
        "event_type": inc.plover,
        "event_mode": inc.plover_mode,
        "cameo": inc.cameo,
        "acled_event_type": inc.event_type,
        "acled_sub_event_type": inc.sub_event_type,
        "actor": actor.map(|a| &a.name),
        "actor_country": actor.and_then(|a| a.country.as_ref()),
        "recipient": recipient.map(|a| &a.name),
        "recipient_country": recipient.and_then(|a| a.country.as_ref()),
        "location": inc.location.as_ref().map(|l| json!({
            "name": l.name, "country": l.country, "admin1": l.admin1, "admin2": l.admin2,
            "lat": l.lat, "lon": l.lon, "geonameid": l.geonames_id, "geo_precision": l.precision,
        })),
        "fatalities": inc.fatalities.as_ref().map(|t| t.best),
        "injured": inc.injured.as_ref().map(|t| t.best),
        "event_text": inc.notes,
        "story_ids": inc.sources.iter().map(|s| &s.document).collect::<Vec<_>>(),
        "publications": inc.sources.iter().map(|s| &s.outlet).collect::<Vec<_>>(),
        "urls": inc.sources.iter().filter_map(|s| s.url.as_ref()).collect::<Vec<_>>(),
        "corrected": corrected_fields(inc),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::incident::{build, DocRef, Member};

    pub fn sample() -> Incident {
        let event = crate::incident::tests::event(
            "2025-10-16",
            ("Dera Ismail Khan", 31.83, 70.9, 1),
            &[(11, "police"), (13, "hospital")],
        );
        let member = Member {
            event,
            notes: "A suicide bomber killed 11.".into(),
            doc: DocRef {
                sha256: "abc".into(),
                source: "https://www.dawn.com/x".into(),
                url: Some("https://www.dawn.com/x".into()),
                outlet: "dawn.com".into(),
                title: None,
                published: None,
            },
        };
        build(4, &[member])
    }

    fn render(format: Format) -> String {
        let mut out = Vec::new();
        write(&mut out, format, &[sample()], &|c| format!("<{c}>")).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn acled_csv_has_acleds_columns() {
        let csv = render(Format::Csv);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(head, sink::ACLED_COLUMNS);
        let row = r.records().next().unwrap().unwrap();
        let col = |name: &str| row[head.iter().position(|h| h == name).unwrap()].to_string();
        assert_eq!(col("event_id_cnty"), "PK4");
        assert_eq!(col("country"), "<PK>");
        assert_eq!(col("fatalities"), "11");
        assert_eq!(col("source"), "dawn.com");
        assert_eq!(col("notes"), "A suicide bomber killed 11.");
        assert_eq!(col("event_type"), "Explosions/Remote violence");
    }

    #[test]
    fn table_geojson_and_plover() {
        let table = render(Format::Table);
        assert!(table.contains("11–13"), "{table}");
        assert!(table.contains("Dera Ismail Khan"));
        assert!(table.ends_with("1 incident\n"));
        let geo: Value = serde_json::from_str(&render(Format::Geojson)).unwrap();
        assert_eq!(geo["features"][0]["geometry"]["coordinates"][0], 70.9);
        assert_eq!(geo["features"][0]["properties"]["fatalities_high"], 13);
        let plover: Value = serde_json::from_str(render(Format::Plover).trim()).unwrap();
        assert_eq!(plover["event_type"], "ASSAULT");
        assert_eq!(plover["publications"][0], "dawn.com");
        let back: Incident = serde_json::from_str(render(Format::Jsonl).trim()).unwrap();
        assert_eq!(back, sample());
    }
}
