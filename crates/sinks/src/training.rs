//! Corrected incidents as rows of the training corpus (`acled-train.csv`),
//! so that `warcoder train` reads analysts' codings like ACLED's: the
//! ACLED download layout's cells for the columns the corpus keeps, then
//! taxonomy `current` and origin `correction`.

use std::io::{self, Write};

use crate::acled::{self, AcledContext, AcledLayout, ACLED_COLUMNS};
use crate::{csv_row, EventSink, ExportEvent};

/// The columns of the training corpus: ACLED's export columns it keeps,
/// then `taxonomy` and `origin`.
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

/// The position of an ACLED column in the download layout.
fn column(name: &str) -> usize {
    ACLED_COLUMNS
        .iter()
        .position(|c| *c == name)
        .expect("an ACLED column")
}

/// Training rows: the header, then one row per event (every event: the
/// corpus keeps the acts ACLED does not code too).
pub struct TrainingWriter<'a> {
    cx: AcledContext<'a>,
}

impl<'a> TrainingWriter<'a> {
    pub fn new(cx: AcledContext<'a>) -> Self {
        // The corpus writes actor types as numbers and dates as YYYY-MM-DD.
        TrainingWriter {
            cx: AcledContext {
                layout: AcledLayout::Download,
                ..cx
            },
        }
    }
}

impl EventSink for TrainingWriter<'_> {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        csv_row(w, TRAINING_COLUMNS)
    }

    fn event(&mut self, w: &mut dyn Write, ev: &ExportEvent) -> io::Result<()> {
        let row = acled::row(ev, &self.cx);
        let cells = TRAINING_COLUMNS.iter().map(|name| match *name {
            "taxonomy" => "current",
            "origin" => "correction",
            other => row[column(other)].as_str(),
        });
        csv_row(w, cells)
    }

    fn summary(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::sample_event;
    use warcoder_core::ontology::Ontology;

    #[test]
    fn a_training_row_is_the_download_layouts_cells_then_taxonomy_and_origin() {
        let ontology = Ontology::embedded();
        let cx = AcledContext {
            ontology: &ontology,
            layout: AcledLayout::Classic,
            timestamp: 1_760_000_000,
        };
        let mut out = Vec::new();
        crate::write_events(&mut out, &mut TrainingWriter::new(cx), &[sample_event()]).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(r.headers().unwrap(), TRAINING_COLUMNS.as_slice());
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(row.len(), TRAINING_COLUMNS.len());
        assert_eq!(&row[1], "2025-10-16");
        assert_eq!(&row[24], "current");
        assert_eq!(&row[25], "correction");
    }
}
