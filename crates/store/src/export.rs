//! Incidents out: a readable table, JSONL (the stored incident records),
//! and the exports of `warcoder-sinks` over each incident as an
//! [`ExportEvent`]: ACLED CSV (in the layout asked for), GeoJSON and PLOVER
//! records, by the same sinks as `extract`.

use std::io::{self, Write};

use serde_json::Value;
use warcoder_sinks::acled::AcledContext;
use warcoder_sinks::record::{Counts, ExportActor, ExportPlace, ExportSource};
use warcoder_sinks::training::TrainingWriter;
use warcoder_sinks::{event_sink, geojson, CsvCells, EventSink, ExportEvent, ExportFormat};

use crate::incident::{Incident, Tally};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    /// ACLED CSV, in the context's layout.
    Csv,
    Geojson,
    Plover,
}

/// Write `incidents` in `format`.
pub fn write(
    w: &mut dyn Write,
    format: Format,
    incidents: &[Incident],
    cx: AcledContext,
) -> io::Result<()> {
    write_with(w, format, incidents, cx, CsvCells::default()).map(|_| ())
}

/// [`write`], choosing how CSV cells are written; returns the line to
/// report on stderr, if any (GeoJSON features without a point, PLOVER
/// records left out).
pub fn write_with(
    w: &mut dyn Write,
    format: Format,
    incidents: &[Incident],
    cx: AcledContext,
    cells: CsvCells,
) -> io::Result<Option<String>> {
    if format == Format::Table {
        return table(w, incidents).map(|_| None);
    }
    let mut stream = Stream::with_cells(format, cx, cells);
    stream.begin(w)?;
    for inc in incidents {
        stream.item(w, inc)?;
    }
    stream.end(w)?;
    Ok(stream.summary())
}

/// Writes incidents one at a time, so that an export of any size streams:
/// `begin`, `item` for each incident, `end`. Every format but the table
/// (whose column widths need all rows first).
pub struct Stream<'a> {
    format: Format,
    /// The export's sink; None for JSONL, which writes the stored record.
    sink: Option<Box<dyn EventSink + 'a>>,
}

impl<'a> Stream<'a> {
    pub fn new(format: Format, cx: AcledContext<'a>) -> Self {
        Stream::with_cells(format, cx, CsvCells::default())
    }

    /// [`Stream::new`], choosing how CSV cells are written.
    pub fn with_cells(format: Format, cx: AcledContext<'a>, cells: CsvCells) -> Self {
        let export = match format {
            Format::Csv => Some(ExportFormat::Acled),
            Format::Geojson => Some(ExportFormat::Geojson),
            Format::Plover => Some(ExportFormat::Plover),
            Format::Table | Format::Jsonl => None,
        };
        Stream {
            format,
            sink: export.map(|f| event_sink(f, cx, cells)),
        }
    }

    pub fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        match &mut self.sink {
            Some(sink) => sink.begin(w),
            None => Ok(()),
        }
    }

    pub fn item(&mut self, w: &mut dyn Write, inc: &Incident) -> io::Result<()> {
        match (&mut self.sink, self.format) {
            (Some(sink), _) => sink.event(w, &export_event(inc)),
            (None, Format::Jsonl) => line(w, &serde_json::to_value(inc).map_err(io::Error::other)?),
            (None, _) => Err(io::Error::other("a table cannot be streamed")),
        }
    }

    pub fn end(&mut self, w: &mut dyn Write) -> io::Result<()> {
        match &mut self.sink {
            Some(sink) => sink.end(w),
            None => Ok(()),
        }
    }

    /// What the export should tell on stderr (see [`EventSink::summary`]).
    pub fn summary(&self) -> Option<String> {
        self.sink.as_ref().and_then(|sink| sink.summary())
    }
}

fn line(w: &mut dyn Write, record: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *w, record)?;
    writeln!(w)
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
                geojson::actor_names(&export_event(i)).join("; "),
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

/// The incident as the exports see it: every outlet a source, the
/// incident's notes (the lead report's evidence and the next reports').
pub fn export_event(inc: &Incident) -> ExportEvent {
    let count = |t: &Option<Tally>| t.as_ref().map(Counts::from);
    ExportEvent {
        id: inc.id.to_string(),
        number: inc.id.unsigned_abs(),
        date: inc.date.clone(),
        date_precision: inc.date_precision.clone(),
        event_type: Some(inc.event_type.clone()).filter(|t| !t.is_empty()),
        sub_event_type: inc.sub_event_type.clone(),
        disorder_type: inc.disorder_type.clone(),
        cameo: inc.cameo.clone(),
        plover: inc.plover.clone(),
        plover_mode: inc.plover_mode.clone(),
        actors: inc
            .actors
            .iter()
            .map(|a| ExportActor {
                name: a.name.clone(),
                role: a.role.clone(),
                inter: a.inter,
                country: a.country.clone(),
                person: a.person,
            })
            .collect(),
        location: inc.location.as_ref().map(|l| ExportPlace {
            name: l.name.clone(),
            country: l.country.clone(),
            admin1: l.admin1.clone(),
            admin2: l.admin2.clone(),
            admin3: None,
            lat: l.lat,
            lon: l.lon,
            geonames_id: l.geonames_id,
            precision: l.precision,
            mention: l.name.clone(),
        }),
        fatalities: count(&inc.fatalities),
        injured: count(&inc.injured),
        arrested: None,
        claimed_by: inc.claimed_by.clone(),
        notes: inc.notes.clone(),
        sources: inc
            .sources
            .iter()
            .map(|s| ExportSource {
                outlet: s.outlet.clone(),
                url: s.url.clone(),
                document: s.document.clone(),
                title: s.title.clone(),
                published: s.published.clone(),
            })
            .collect(),
        background: false,
        confidence: inc.confidence,
        corrected: corrected_fields(inc),
    }
}

/// Corrected incidents as training rows in the corpus format, so that
/// training reads analysts' codings like ACLED's (see [`TrainingWriter`]).
pub fn training_rows(
    w: &mut dyn Write,
    incidents: &[Incident],
    cx: AcledContext,
) -> io::Result<()> {
    let mut sink = TrainingWriter::new(cx);
    sink.begin(w)?;
    for inc in incidents {
        sink.event(w, &export_event(inc))?;
    }
    sink.end(w)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::incident::{build, DocRef, Member};
    use warcoder_sinks::{acled, ACLED_COLUMNS};

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

    /// The export context of the tests: ACLED's download layout, a fixed time.
    fn context() -> AcledContext<'static> {
        static ONTOLOGY: std::sync::OnceLock<warcoder_core::ontology::Ontology> =
            std::sync::OnceLock::new();
        AcledContext {
            ontology: ONTOLOGY.get_or_init(warcoder_core::ontology::Ontology::embedded),
            layout: acled::AcledLayout::Download,
            timestamp: 1_760_000_000,
        }
    }

    fn render_incidents(format: Format, incidents: &[Incident]) -> String {
        let mut out = Vec::new();
        write(&mut out, format, incidents, context()).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn render(format: Format) -> String {
        render_incidents(format, &[sample()])
    }

    #[test]
    fn acled_csv_has_acleds_columns() {
        let csv = render(Format::Csv);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(head, ACLED_COLUMNS);
        let row = r.records().next().unwrap().unwrap();
        let col = |name: &str| row[head.iter().position(|h| h == name).unwrap()].to_string();
        assert_eq!(col("event_id_cnty"), "PAK4");
        assert_eq!(col("country"), "Pakistan");
        assert_eq!(col("iso"), "586");
        assert_eq!(col("region"), "South Asia");
        assert_eq!(col("source_scale"), "National");
        assert_eq!(col("timestamp"), "1760000000");
        assert_eq!(col("fatalities"), "11");
        assert_eq!(col("source"), "dawn.com");
        assert_eq!(col("notes"), "A suicide bomber killed 11.");
        assert_eq!(col("event_type"), "Explosions/Remote violence");
    }

    /// A person the text names after a title is never an ACLED actor:
    /// their group is, from the stored incident as from `extract`.
    #[test]
    fn a_person_is_exported_as_their_group() {
        let mut inc = sample();
        inc.actors.push(crate::incident::Actor {
            name: "President Arif Alvi".into(),
            role: "perpetrator".into(),
            inter: 1,
            country: Some("Pakistan".into()),
            person: true,
        });
        let csv = render_incidents(Format::Csv, &[inc]);
        assert!(!csv.contains("Arif Alvi"), "{csv}");
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
        assert_eq!(geo["features"][0]["properties"]["id"], "4");
        let plover: Value = serde_json::from_str(render(Format::Plover).trim()).unwrap();
        assert_eq!(plover["event"][0], "ASSAULT");
        assert_eq!(plover["date"], "2025-10-16");
        assert_eq!(plover["cite_info"]["publication"], "dawn.com");
        assert_eq!(plover["event_loc"]["country_code"], "PAK");
        let back: Incident = serde_json::from_str(render(Format::Jsonl).trim()).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn an_incident_without_a_place_is_a_feature_without_a_point() {
        let mut unlocated = sample();
        unlocated.location = None;
        let mut out = Vec::new();
        let summary = write_with(
            &mut out,
            Format::Geojson,
            &[sample(), unlocated],
            context(),
            CsvCells::Raw,
        )
        .unwrap()
        .unwrap();
        let geo: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(geo["features"].as_array().unwrap().len(), 2);
        assert!(geo["features"][1]["geometry"].is_null());
        assert!(
            summary.contains("2 features, 1 without a point"),
            "{summary}"
        );
    }
}
