//! One GeoJSON writer for `extract` and `events`: a FeatureCollection,
//! one feature per line, with flat properties (what QGIS shows as
//! attribute columns), the same names from both commands. An event with
//! no place is written too, with `"geometry": null` (RFC 7946 3.2: an
//! unlocated feature), and counted, so that none is dropped unseen.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::record::{Counts, ExportEvent};
use crate::EventSink;

/// Property names of every feature, in order.
pub const PROPERTIES: [&str; 33] = [
    "id",
    "date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "disorder_type",
    "cameo",
    "plover",
    "plover_mode",
    "location",
    "country",
    "admin1",
    "admin2",
    "geo_precision",
    "geonames_id",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "actors",
    "claimed_by",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "sources",
    "outlets",
    "urls",
    "notes",
    "status",
    "corrected",
];

/// Streams a FeatureCollection: `begin`, `feature` per event, `end`.
#[derive(Debug, Default)]
pub struct GeoJsonWriter {
    features: usize,
    without_point: usize,
}

impl GeoJsonWriter {
    /// Features written, and those among them with no point.
    pub fn counts(&self) -> (usize, usize) {
        (self.features, self.without_point)
    }
}

impl EventSink for GeoJsonWriter {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(w, r#"{{"type": "FeatureCollection", "features": ["#)
    }

    fn event(&mut self, w: &mut dyn Write, ev: &ExportEvent) -> io::Result<()> {
        if self.features > 0 {
            writeln!(w, ",")?;
        }
        self.features += 1;
        if ev.location.is_none() {
            self.without_point += 1;
        }
        serde_json::to_writer(&mut *w, &feature(ev)).map_err(io::Error::other)
    }

    fn end(&mut self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(w, "\n]}}")
    }

    /// Always told: how many features, how many without a point.
    fn summary(&self) -> Option<String> {
        Some(format!(
            "geojson: {} feature{}, {} without a point (written with \"geometry\": null)",
            self.features,
            if self.features == 1 { "" } else { "s" },
            self.without_point
        ))
    }
}

/// The feature of an event.
pub fn feature(ev: &ExportEvent) -> Value {
    let geometry = ev
        .location
        .as_ref()
        .map(|l| json!({"type": "Point", "coordinates": [l.lon, l.lat]}));
    json!({"type": "Feature", "geometry": geometry, "properties": properties(ev)})
}

/// The flat properties, named as [`PROPERTIES`].
pub fn properties(ev: &ExportEvent) -> Value {
    let join = |v: Vec<&str>| v.join("; ");
    let place = ev.location.as_ref();
    let (first, second) = ev.sides();
    let count = |c: Option<Counts>, f: fn(Counts) -> u64| c.map(f);
    let values = [
        json!(ev.id),
        json!(ev.date),
        json!(ev.date_precision),
        json!(ev.event_type),
        json!(ev.sub_event_type),
        json!(ev.disorder_type),
        json!(ev.cameo),
        json!(ev.plover),
        json!(ev.plover_mode),
        json!(place.map(|p| &p.name)),
        json!(place.map(|p| &p.country)),
        json!(place.and_then(|p| p.admin1.as_ref())),
        json!(place.and_then(|p| p.admin2.as_ref())),
        json!(place.map(|p| p.precision)),
        json!(place.and_then(|p| p.geonames_id)),
        json!(first.first().map(|a| &a.name)),
        json!(first.first().map(|a| a.inter)),
        json!(second.first().map(|a| &a.name)),
        json!(second.first().map(|a| a.inter)),
        json!(join(actor_names(ev))),
        json!(join(ev.claimed_by.iter().map(String::as_str).collect())),
        json!(count(ev.fatalities, |c| c.low)),
        json!(count(ev.fatalities, |c| c.best)),
        json!(count(ev.fatalities, |c| c.high)),
        json!(count(ev.injured, |c| c.low)),
        json!(count(ev.injured, |c| c.best)),
        json!(count(ev.injured, |c| c.high)),
        json!(ev.sources.len()),
        json!(join(ev.sources.iter().map(|s| s.outlet.as_str()).collect())),
        json!(join(
            ev.sources.iter().filter_map(|s| s.url.as_deref()).collect()
        )),
        json!(ev.notes),
        json!(if ev.background { "background" } else { "new" }),
        json!(ev.corrected),
    ];
    Value::Object(
        PROPERTIES
            .iter()
            .map(|k| k.to_string())
            .zip(values)
            .collect(),
    )
}

/// Names on the acting side first (as ACLED's actor1), then the others,
/// each once.
pub fn actor_names(ev: &ExportEvent) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let ordered = ev
        .actors
        .iter()
        .filter(|a| a.acts())
        .chain(ev.actors.iter().filter(|a| !a.acts()));
    for a in ordered {
        if !names.contains(&a.name.as_str()) {
            names.push(&a.name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::sample_event;

    #[test]
    fn every_feature_has_the_same_flat_properties_and_unlocated_ones_no_point() {
        let mut unlocated = sample_event();
        unlocated.location = None;
        let mut w = GeoJsonWriter::default();
        let mut out = Vec::new();
        let summary = crate::write_events(&mut out, &mut w, &[sample_event(), unlocated]).unwrap();
        assert_eq!(w.counts(), (2, 1));
        let geo: Value = serde_json::from_slice(&out).unwrap();
        let features = geo["features"].as_array().unwrap();
        for f in features {
            let props = f["properties"].as_object().unwrap();
            let mut keys: Vec<&str> = props.keys().map(String::as_str).collect();
            keys.sort();
            let mut expected = PROPERTIES.to_vec();
            expected.sort();
            assert_eq!(keys, expected);
            assert!(
                props.values().all(|v| !v.is_object() && !v.is_array()),
                "flat"
            );
        }
        assert_eq!(features[0]["geometry"]["coordinates"], json!([70.9, 31.83]));
        assert!(features[1]["geometry"].is_null());
        assert_eq!(features[1]["properties"]["fatalities_best"], 11);
        assert!(summary.unwrap().contains("1 without a point"));
    }
}
