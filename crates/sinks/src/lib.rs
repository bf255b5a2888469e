//! Every export format, in one place for `extract`, `events` and `serve`.
//! The exports (ACLED CSV, PLOVER, GeoJSON) write [`ExportEvent`]s, which
//! both a coded article's event and a stored incident become; each format is
//! one [`EventSink`], so the two paths write the same bytes by the same code.
//! [`places`] writes the gazetteer matches of `warcoder places`, [`training`]
//! corrected incidents as rows of the training corpus.

use std::io::{self, Write};

use warcoder_core::output::Output;

pub mod acled;
pub mod geojson;
pub mod places;
pub mod plover;
pub mod record;
pub mod schema;
pub mod training;

pub use acled::{AcledContext, AcledLayout, ACLED_COLUMNS};
pub use record::ExportEvent;

/// One export format, written event by event so that an export of any size
/// streams: `begin`, `event` for each event, `end`, then `summary`.
pub trait EventSink {
    /// What comes before the first event (a header, an opening bracket).
    fn begin(&mut self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn event(&mut self, w: &mut dyn Write, ev: &ExportEvent) -> io::Result<()>;

    /// What comes after the last event.
    fn end(&mut self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// The line to tell on stderr once written (GeoJSON's features without
    /// a point, the events a format had to leave out), if any.
    fn summary(&self) -> Option<String>;
}

/// The formats written from [`ExportEvent`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// ACLED CSV, in the context's layout.
    Acled,
    Geojson,
    Plover,
}

/// The sink of `format` for one export.
pub fn event_sink<'a>(
    format: ExportFormat,
    cx: AcledContext<'a>,
    cells: CsvCells,
) -> Box<dyn EventSink + 'a> {
    match format {
        ExportFormat::Acled => Box::new(acled::AcledWriter::new(cx, cells)),
        ExportFormat::Geojson => Box::<geojson::GeoJsonWriter>::default(),
        ExportFormat::Plover => Box::new(plover::PloverWriter::new(cx.timestamp, cx.ontology)),
    }
}

/// `events` written whole through `sink`; its summary line.
pub fn write_events(
    w: &mut dyn Write,
    sink: &mut dyn EventSink,
    events: &[ExportEvent],
) -> io::Result<Option<String>> {
    sink.begin(w)?;
    for ev in events {
        sink.event(w, ev)?;
    }
    sink.end(w)?;
    Ok(sink.summary())
}

/// The events of coded articles as export records, numbered from 1 in
/// their order (`text`: the text each output's spans point into).
pub fn export_events(outputs: &[(&Output, &str)]) -> Vec<ExportEvent> {
    export_events_from(outputs, 1)
}

/// The same, numbered from `first` (a stream written chunk by chunk).
pub fn export_events_from(outputs: &[(&Output, &str)], first: u64) -> Vec<ExportEvent> {
    outputs
        .iter()
        .flat_map(|(out, text)| out.events.iter().map(move |e| (*out, e, *text)))
        .enumerate()
        .map(|(k, (out, e, text))| ExportEvent::from_output(out, e, text, first + k as u64))
        .collect()
}

/// The UTC day (YYYY-MM-DD) of a Unix time.
pub fn utc_date(timestamp: i64) -> String {
    jiff::Timestamp::from_second(timestamp)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
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

/// One CSV record on its own line, quoted as needed: the ACLED rows and the
/// training rows of `warcoder corrections`.
pub fn csv_row<I, T>(w: &mut dyn Write, record: I) -> io::Result<()>
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

/// For the exports' tests: the team's ontology notes (`ONTOLOGIES.md` in
/// the `shared/ontology/` folder beside the repository), when present.
#[cfg(test)]
pub(crate) fn ontologies_md() -> Option<String> {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .map(|dir| dir.join("shared/ontology/ONTOLOGIES.md"))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
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
