//! Analysts' corrections from the command line: `warcoder events` shows the
//! corrected value with the machine's beside it, exports mark it, and
//! `warcoder corrections export` writes training rows in the corpus format.

mod common;

use common::warcoder;

use warcoder_sinks::training::TRAINING_COLUMNS;
use warcoder_store::correction::{Change, NewCorrection};
use warcoder_store::{Filter, Store};

#[test]
fn corrections_are_shown_marked_and_exported_for_training() {
    let dir = std::env::temp_dir().join(format!("warcoder-corrections-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let (rc, _, err) = warcoder(&["ingest", examples, "--db", "c.db"], &dir);
    assert_eq!(rc, 0, "{err}");

    let mut store = Store::open(&dir.join("c.db")).unwrap();
    let incident = store.incidents(&Filter::default()).unwrap()[0].clone();
    let change = Change::Fatalities {
        low: 90,
        best: 91,
        high: 92,
    };
    let note = "checked against the hospital list".to_string();
    store
        .add_correction(incident.id, &NewCorrection { change, note })
        .unwrap()
        .unwrap();
    drop(store);

    let (rc, table, err) = warcoder(&["events", "--db", "c.db"], &dir);
    assert_eq!(rc, 0, "{err}");
    assert!(table.contains("90–92"), "{table}");
    let line = format!("#{} fatalities: ", incident.id);
    let listed = table.lines().find(|l| l.contains(&line)).expect(&table);
    assert!(listed.contains("\"best\":91"), "{listed}");
    assert!(listed.contains("hospital list"), "{listed}");

    let (_, csv, _) = warcoder(&["events", "--db", "c.db", "--format", "csv"], &dir);
    assert!(csv.contains("corrected by an analyst: fatalities"), "{csv}");

    let (rc, rows, err) = warcoder(&["corrections", "export", "--db", "c.db"], &dir);
    assert_eq!(rc, 0, "{err}");
    let mut reader = csv::Reader::from_reader(rows.as_bytes());
    let head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(head, TRAINING_COLUMNS);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1);
    let col = |name: &str| records[0][head.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(col("fatalities"), "91");
    assert_eq!(col("origin"), "correction");
    assert_eq!(col("taxonomy"), "current");
    assert!(!col("notes").is_empty());
}
