//! Stage 7: sinks. JSON (pretty, one array) and JSONL (one object per
//! line) write the output contract; the exports (ACLED CSV, PLOVER,
//! GeoJSON) write [`ExportEvent`]s, which both a coded article and a
//! stored incident become.

use std::io::Write;

use crate::output::Output;

pub mod acled;
pub mod geojson;
pub mod plover;
pub mod record;
pub mod schema;

pub use acled::{AcledContext, AcledLayout, ACLED_COLUMNS};
pub use record::ExportEvent;

/// The events of coded articles as export records, numbered from 1 in
/// their order (`text`: the text each output's spans point into).
pub fn export_events(outputs: &[(&Output, &str)]) -> Vec<ExportEvent> {
    outputs
        .iter()
        .flat_map(|(out, text)| out.events.iter().map(move |e| (*out, e, *text)))
        .enumerate()
        .map(|(k, (out, e, text))| ExportEvent::from_output(out, e, text, k as u64 + 1))
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

/// Write events as ACLED CSV rows in the context's layout, header first;
/// returns how many were left out as acts ACLED does not code.
pub fn write_csv<W: Write>(
    w: W,
    events: &[ExportEvent],
    cx: &AcledContext,
    cells: CsvCells,
) -> csv::Result<usize> {
    let mut wr = csv::Writer::from_writer(w);
    wr.write_record(cx.layout.columns())?;
    let mut uncoded = 0;
    for ev in events {
        if acled::codes(ev) {
            wr.write_record(cells.record(acled::row(ev, cx)))?;
        } else {
            uncoded += 1;
        }
    }
    wr.flush()?;
    Ok(uncoded)
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
