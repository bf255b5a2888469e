//! Dates end to end: the document's own date wins over `--reference-date`
//! unless `--force-reference-date`, an event with no date says so, and
//! `warcoder stats` counts the undated events.

mod common;

use common::warcoder;

use std::path::PathBuf;

use serde_json::Value;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-dates-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const WIRE: &str = "Bomb kills 9 at Quetta market\n\nQUETTA, Pakistan, March 11, 2025 — A suicide bomber blew himself up at a crowded market in Quetta on Tuesday, killing at least nine people, police said.\n";

const UNDATED: &str =
    "Gunmen stormed a village in Zamfara state, killing four farmers, residents said.\n";

/// The reference date and the first event's date of `extract` with `flags`.
fn extracted(dir: &std::path::Path, file: &str, flags: &[&str]) -> (Value, Value) {
    let mut args = vec!["extract", "--format", "json", file];
    args.extend_from_slice(flags);
    let (rc, out, err) = warcoder(&args, dir);
    assert_eq!(rc, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let doc = v["document"].clone();
    let event = v["events"][0].clone();
    (doc, event)
}

#[test]
fn the_dateline_wins_over_a_reference_date_unless_forced() {
    let dir = temp_dir("force");
    std::fs::write(dir.join("wire.txt"), WIRE).unwrap();
    let (doc, event) = extracted(&dir, "wire.txt", &["--reference-date", "2020-01-01"]);
    assert_eq!(doc["reference_date"], "2025-03-11");
    assert_eq!(doc["reference_date_from"], "dateline");
    assert_eq!(event["date"], "2025-03-11");
    assert_eq!(event["date_source"], "text");

    let forced = ["--reference-date", "2020-01-01", "--force-reference-date"];
    let (doc, event) = extracted(&dir, "wire.txt", &forced);
    assert_eq!(doc["reference_date"], "2020-01-01");
    assert_eq!(doc["reference_date_from"], "cli");
    // 1 January 2020 was a Wednesday: "on Tuesday" is the day before.
    assert_eq!(event["date"], "2019-12-31");

    let (rc, _, err) = warcoder(&["extract", "wire.txt", "--force-reference-date"], &dir);
    assert_ne!(rc, 0);
    assert!(err.contains("--reference-date"), "{err}");
}

#[test]
fn an_undated_event_says_so_and_stats_count_it() {
    let dir = temp_dir("undated");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("undated.txt"), UNDATED).unwrap();
    std::fs::write(corpus.join("wire.txt"), WIRE).unwrap();

    let (doc, event) = extracted(&corpus, "undated.txt", &[]);
    assert_eq!(doc["reference_date"], Value::Null);
    assert_eq!(event["date"], Value::Null);
    assert_eq!(event["date_precision"], "unknown");
    assert_eq!(event["date_source"], "unknown");
    assert_eq!(event["date_bound"], "on_or_before_publication");
    // Given a date to fall back on, the same event takes it, as an upper bound.
    let (_, event) = extracted(&corpus, "undated.txt", &["--reference-date", "2024-06-02"]);
    assert_eq!(event["date"], "2024-06-02");
    assert_eq!(event["date_source"], "document");
    assert_eq!(event["date_bound"], "on_or_before_publication");

    let (rc, _, err) = warcoder(&["ingest", "corpus", "--db", "d.db"], &dir);
    assert_eq!(rc, 0, "{err}");
    let (rc, out, err) = warcoder(&["stats", "--db", "d.db", "--json"], &dir);
    assert_eq!(rc, 0, "{err}");
    let stats: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["undated_events"], 1, "{stats}");
    let (_, table, _) = warcoder(&["stats", "--db", "d.db"], &dir);
    assert!(table.contains("1 undated"), "{table}");
}
