//! Stage 7: sinks. JSON (pretty, one array), JSONL (one object per line),
//! CSV with ACLED's 31 columns in ACLED's order, and GeoJSON.

use std::io::Write;

use crate::output::{EventOut, Output};

/// ACLED's export columns, in ACLED's order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// ACLED time_precision: 1 day, 2 week, 3 month (or coarser).
fn time_precision(p: Option<&str>) -> &'static str {
    match p {
        Some("day") => "1",
        Some("week") => "2",
        Some(_) => "3",
        None => "",
    }
}

/// The ACLED row of an event (notes: the evidence sentences).
pub fn acled_row(
    out: &Output,
    e: &EventOut,
    text: &str,
    country_name: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let side1: Vec<_> = e
        .actors
        .iter()
        .filter(|a| matches!(a.role.as_str(), "perpetrator" | "participant" | "claimant"))
        .collect();
    let side2: Vec<_> = e
        .actors
        .iter()
        .filter(|a| a.role == "target")
        .chain(
            side1
                .iter()
                .skip(1)
                .filter(|a| a.role == "participant")
                .copied(),
        )
        .collect();
    let a1 = side1.first();
    let a2 = side2.first();
    let inter =
        |a: Option<&&crate::output::ActorOut>| a.map(|a| a.inter.to_string()).unwrap_or_default();
    let interaction = match (a1, a2) {
        (Some(x), Some(y)) => format!("{}{}", x.inter.min(y.inter), x.inter.max(y.inter)),
        (Some(x), None) => format!("{}0", x.inter),
        _ => String::new(),
    };
    let iso = e
        .location
        .as_ref()
        .map(|l| l.country.clone())
        .unwrap_or_default();
    let notes: Vec<&str> = e
        .evidence
        .iter()
        .filter_map(|s| text.get(s[0]..s[1]))
        .collect();
    let date = e.date.clone().unwrap_or_default();
    let year = date.get(..4).unwrap_or("").to_string();
    let civilian = if e.actors.iter().any(|a| a.role == "target" && a.inter == 7) {
        "Civilian targeting"
    } else {
        ""
    };
    vec![
        format!("{}-{}", out.document.id.get(..12).unwrap_or(""), e.id),
        date,
        year,
        time_precision(e.date_precision.as_deref()).into(),
        e.disorder_type.clone().unwrap_or_default(),
        e.acled_event_type.clone().unwrap_or_default(),
        e.acled_sub_event_type.clone().unwrap_or_default(),
        a1.map(|a| a.name.clone()).unwrap_or_default(),
        side1
            .iter()
            .skip(1)
            .filter(|a| a.role != "participant")
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        inter(a1),
        a2.map(|a| a.name.clone()).unwrap_or_default(),
        side2
            .iter()
            .skip(1)
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        inter(a2),
        interaction,
        civilian.into(),
        String::new(),
        String::new(),
        if iso.is_empty() {
            String::new()
        } else {
            country_name(&iso)
        },
        e.location
            .as_ref()
            .and_then(|l| l.admin1.clone())
            .unwrap_or_default(),
        e.location
            .as_ref()
            .and_then(|l| l.admin2.clone())
            .unwrap_or_default(),
        String::new(),
        e.location
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_default(),
        e.location
            .as_ref()
            .map(|l| format!("{:.4}", l.lat))
            .unwrap_or_default(),
        e.location
            .as_ref()
            .map(|l| format!("{:.4}", l.lon))
            .unwrap_or_default(),
        e.location
            .as_ref()
            .map(|l| l.precision.to_string())
            .unwrap_or_default(),
        out.document
            .url
            .clone()
            .unwrap_or_else(|| out.document.source.clone()),
        String::new(),
        notes.join(" "),
        e.fatalities
            .as_ref()
            .map(|f| f.best.to_string())
            .unwrap_or_else(|| "0".into()),
        if e.status == "background" {
            "background".into()
        } else {
            String::new()
        },
        String::new(),
    ]
}

/// How CSV cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvCells {
    /// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
    /// carriage return first) gets a leading `'` (OWASP's rule against CSV
    /// injection: analysts open exports in spreadsheets, and the text comes
    /// from the web). Numbers, negative coordinates included, stay as they are.
    #[default]
    SpreadsheetSafe,
    /// Every cell exactly as coded.
    Raw,
}

impl CsvCells {
    pub fn cell<'a>(self, cell: &'a str) -> std::borrow::Cow<'a, str> {
        let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        if self == CsvCells::Raw || !risky || cell.parse::<f64>().is_ok() {
            return cell.into();
        }
        format!("'{cell}").into()
    }

    pub fn record(self, row: Vec<String>) -> Vec<String> {
        row.into_iter()
            .map(|c| match self.cell(&c) {
                std::borrow::Cow::Borrowed(_) => c,
                std::borrow::Cow::Owned(safe) => safe,
            })
            .collect()
    }
}

/// Write events as ACLED CSV rows (header first when `header`).
pub fn write_csv<W: Write>(
    w: W,
    outputs: &[(&Output, &str)],
    header: bool,
    country_name: &dyn Fn(&str) -> String,
    cells: CsvCells,
) -> csv::Result<()> {
    let mut wr = csv::Writer::from_writer(w);
    if header {
        wr.write_record(ACLED_COLUMNS)?;
    }
    for (out, text) in outputs {
        for e in &out.events {
            wr.write_record(cells.record(acled_row(out, e, text, country_name)))?;
        }
    }
    wr.flush()?;
    Ok(())
}

/// A GeoJSON FeatureCollection of the events that have a location.
pub fn geojson(outputs: &[&Output]) -> serde_json::Value {
    let features: Vec<serde_json::Value> = outputs
        .iter()
        .flat_map(|o| o.events.iter().map(move |e| (o, e)))
        .filter_map(|(o, e)| {
            let l = e.location.as_ref()?;
            let mut props = serde_json::to_value(e).ok()?;
            props["document_id"] = serde_json::Value::String(o.document.id.clone());
            props["source"] = serde_json::Value::String(o.document.source.clone());
            Some(serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                "properties": props,
            }))
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_spreadsheet_safe() {
        let safe = CsvCells::SpreadsheetSafe;
        assert_eq!(safe.cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe.cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe.cell("+1 more"), "'+1 more");
        assert_eq!(safe.cell("-12.5"), "-12.5");
        assert_eq!(safe.cell("Kabul"), "Kabul");
        assert_eq!(CsvCells::Raw.cell("=1+1"), "=1+1");
    }
}
