//! The exports end to end, from `extract` and from `events` over a store
//! of the bundled examples: the ACLED CSV reads back in each layout with
//! ACLED's columns and vocabularies, every PLOVER record passes the schema
//! written from the PLOVER manual, and both commands write the same
//! GeoJSON properties and say how many features had no point.

mod common;

use common::warcoder;

use std::path::{Path, PathBuf};

use serde_json::Value;
use warcoder_core::ontology::Ontology;
use warcoder_sinks::{schema, AcledLayout};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-exports-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn examples() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/examples").to_string()
}

/// A store of the examples in `dir`.
fn demo_store(dir: &Path) {
    let (rc, _, err) = warcoder(&["ingest", &examples(), "--db", "x.db"], dir);
    assert_eq!(rc, 0, "{err}");
}

/// The header and rows of a CSV export.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|row| row.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

fn check_acled(text: &str, layout: AcledLayout) -> usize {
    let o = Ontology::embedded();
    let (head, rows) = read_csv(text);
    assert_eq!(head, layout.columns());
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    for row in &rows {
        let sub = o.sub_event(&row[at("sub_event_type")]);
        let sub = sub.unwrap_or_else(|| panic!("sub-event type {:?}", row[at("sub_event_type")]));
        assert_eq!(sub.event_type, row[at("event_type")]);
        let inter = &row[at("inter1")];
        match layout {
            AcledLayout::Api => assert!(o.inter.values().any(|l| l == inter), "{inter}"),
            _ => assert!(matches!(inter.parse::<u8>(), Ok(1..=8)), "{inter}"),
        }
        // An event whose place and actors name no country has none.
        if !row[at("country")].is_empty() {
            assert!(!row[at("iso")].is_empty(), "{row:?}");
            assert!(o.regions().contains(&row[at("region")].as_str()), "{row:?}");
        }
        let date = &row[at("event_date")];
        match layout {
            AcledLayout::Classic => assert!(
                jiff::civil::Date::strptime("%d %B %Y", date).is_ok(),
                "{date}"
            ),
            _ => assert!(date.parse::<jiff::civil::Date>().is_ok(), "{date}"),
        }
        assert!(row[at("timestamp")].parse::<i64>().is_ok());
    }
    rows.len()
}

#[test]
fn acled_csv_reads_back_in_every_layout() {
    let dir = temp_dir("acled");
    demo_store(&dir);
    for (flag, layout) in [
        ("download", AcledLayout::Download),
        ("api", AcledLayout::Api),
        ("classic", AcledLayout::Classic),
    ] {
        let args = [
            "events",
            "--db",
            "x.db",
            "--format",
            "acled",
            "--acled-layout",
            flag,
        ];
        let (rc, out, err) = warcoder(&args, &dir);
        assert_eq!(rc, 0, "{err}");
        assert!(check_acled(&out, layout) >= 10, "{flag}");
        let args = [
            "extract",
            &examples(),
            "--format",
            "acled",
            "--acled-layout",
            flag,
        ];
        let (rc, out, err) = warcoder(&args, &dir);
        assert_eq!(rc, 0, "{err}");
        assert!(check_acled(&out, layout) >= 10, "{flag}");
    }
    // `csv` stays a name of the same format.
    let (rc, out, _) = warcoder(&["events", "--db", "x.db", "--format", "csv"], &dir);
    assert_eq!(rc, 0);
    assert!(out.starts_with("event_id_cnty,event_date,"));
}

#[test]
fn plover_records_pass_the_schema_from_the_manual() {
    let dir = temp_dir("plover");
    demo_store(&dir);
    let schema: Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/schema/plover-record.schema.json"
    )))
    .unwrap();
    let runs: [&[&str]; 2] = [
        &["events", "--db", "x.db", "--format", "plover"],
        &["extract", &examples(), "--format", "plover"],
    ];
    for args in runs {
        let (rc, out, err) = warcoder(args, &dir);
        assert_eq!(rc, 0, "{err}");
        let mut n = 0;
        for line in out.lines() {
            let record: Value = serde_json::from_str(line).unwrap();
            let errors = schema::validate(&schema, &record);
            assert!(errors.is_empty(), "{args:?}: {}\n{line}", errors.join("\n"));
            n += 1;
        }
        assert!(n >= 10, "{args:?}: {n} records");
    }
}

#[test]
fn extract_and_events_write_one_geojson() {
    let dir = temp_dir("geojson");
    demo_store(&dir);
    let keys = |text: &str| -> Vec<Vec<String>> {
        let geo: Value = serde_json::from_str(text).unwrap();
        geo["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                f["properties"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect()
            })
            .collect()
    };
    let (rc, events, err) = warcoder(&["events", "--db", "x.db", "--format", "geojson"], &dir);
    assert_eq!(rc, 0, "{err}");
    assert!(err.contains("without a point"), "{err}");
    let (rc, extract, err) = warcoder(&["extract", &examples(), "--format", "geojson"], &dir);
    assert_eq!(rc, 0, "{err}");
    assert!(err.contains("without a point"), "{err}");
    let (events, extract) = (keys(&events), keys(&extract));
    assert!(!events.is_empty() && !extract.is_empty());
    assert!(events.iter().chain(&extract).all(|k| *k == events[0]));
}
