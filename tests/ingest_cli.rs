//! `warcoder ingest`, `events`, `stats` and `demo` end to end: re-ingest
//! stores nothing twice, reports of one attack from several outlets become
//! one incident while near-misses stay apart, bad inputs are reported and
//! skipped, and every export format parses.

mod common;

use common::warcoder;

use std::path::{Path, PathBuf};

use serde_json::Value;
use warcoder_store::{Filter, Store};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-ingest-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn examples() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/examples").to_string()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn re_ingest_stores_nothing_twice() {
    let dir = temp_dir("twice");
    let (rc, out, err) = warcoder(&["ingest", &examples(), "--db", "x.db", "--json"], &dir);
    assert_eq!(rc, 0, "{err}");
    let first = json(&out);
    let stored = first["stored"].as_u64().unwrap();
    assert!(stored >= 16, "{first}");
    assert_eq!(first["duplicates"], 0);
    let (_, stats, _) = warcoder(&["stats", "--db", "x.db", "--json"], &dir);
    let before = json(&stats);
    for key in ["documents", "events", "incidents"] {
        assert!(before[key].as_u64().is_some(), "stats lack {key}: {before}");
    }
    assert_eq!(before["documents"].as_u64(), Some(stored));

    let (rc, out, err) = warcoder(&["ingest", &examples(), "--db", "x.db", "--json"], &dir);
    assert_eq!(rc, 0, "{err}");
    let second = json(&out);
    assert_eq!(second["stored"], 0);
    assert_eq!(second["duplicates"].as_u64(), Some(stored));
    assert_eq!(second["events_stored"], 0);
    let (_, stats, _) = warcoder(&["stats", "--db", "x.db", "--json"], &dir);
    let after = json(&stats);
    for key in ["documents", "events", "incidents"] {
        assert_eq!(before[key], after[key], "{key}");
    }
}

/// Three outlets' reports of one bombing, and two near-misses: the same
/// town three days later, another city the same day.
const REPORTS: [(&str, &str); 5] = [
    (
        "a-wire.txt",
        "Suicide bomber kills 9 at Quetta market\n\nQUETTA, Pakistan, March 11, 2025 — A suicide bomber blew himself up at a crowded market in Quetta on Tuesday, killing at least nine people and wounding 20 others, police said.\n\nNo group immediately claimed responsibility for the attack.\n",
    ),
    (
        "b-local.txt",
        "Quetta market bombing toll rises to 12\n\nQUETTA, March 12, 2025 — The death toll from Tuesday's suicide bombing at a market in Quetta rose to 12, hospital officials said on Wednesday.\n\nThe bomber struck the market on March 11, 2025, police said. At least 25 people were wounded.\n",
    ),
    (
        "c-monitor.txt",
        "Weekly security brief: Balochistan\n\nOn 11 March 2025, a suicide bomber attacked a market in Quetta, killing 10 people according to provincial officials.\n",
    ),
    (
        "d-later.txt",
        "Bomb kills 3 in Quetta\n\nQUETTA, March 14, 2025 — A bomb exploded at a market in Quetta on Friday, killing three people, police said.\n",
    ),
    (
        "e-elsewhere.txt",
        "Suicide bombing in Peshawar kills 5\n\nPESHAWAR, March 11, 2025 — A suicide bomber blew himself up at a market in Peshawar on Tuesday, killing five people, police said.\n",
    ),
];

#[test]
fn reports_from_several_outlets_become_one_incident() {
    let dir = temp_dir("merge");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (name, text) in REPORTS {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let (rc, _, err) = warcoder(&["ingest", "corpus", "--db", "m.db"], &dir);
    assert_eq!(rc, 0, "{err}");
    let store = Store::open_existing(&dir.join("m.db")).unwrap();
    let incidents = store.incidents(&Filter::default()).unwrap();
    let quetta: Vec<_> = incidents
        .iter()
        .filter(|i| i.location.as_ref().is_some_and(|l| l.name == "Quetta"))
        .collect();
    assert_eq!(
        quetta.len(),
        2,
        "the 11 March bombing and the 14 March one: {incidents:#?}"
    );
    let bombing = quetta
        .iter()
        .find(|i| i.sources.len() == 3)
        .expect("one incident, three sources");
    assert_eq!(bombing.date.as_deref(), Some("2025-03-11"));
    let f = bombing.fatalities.as_ref().unwrap();
    assert_eq!((f.low, f.best, f.high), (9, 9, 12));
    assert!(incidents.iter().any(
        |i| i.location.as_ref().is_some_and(|l| l.name == "Peshawar") && i.sources.len() == 1
    ));
    let (_, table, _) = warcoder(&["events", "--db", "m.db"], &dir);
    assert!(table.contains("9–12"), "{table}");
}

#[test]
fn bad_inputs_are_reported_and_skipped() {
    let dir = temp_dir("bad");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("good.txt"), REPORTS[0].1).unwrap();
    std::fs::write(corpus.join("empty.txt"), "  \n").unwrap();
    std::fs::write(corpus.join("binary.bin"), b"\x00\x01\x02\x03 not text").unwrap();
    std::fs::write(
        corpus.join("feed.jsonl"),
        format!(
            "{{\"id\": \"ok\", \"text\": {:?}}}\nnot json at all\n",
            REPORTS[4].1
        ),
    )
    .unwrap();
    let (rc, out, err) = warcoder(
        &["ingest", "corpus", "missing.txt", "--db", "b.db", "--json"],
        &dir,
    );
    assert_eq!(rc, 1, "some inputs failed: exit status 1\n{err}");
    let summary = json(&out);
    assert_eq!(summary["stored"], 2, "{summary}");
    assert_eq!(summary["failed"], 4, "{summary}");
    for what in [
        "empty.txt",
        "binary.bin",
        "feed.jsonl: line 2",
        "missing.txt",
    ] {
        assert_eq!(err.matches(what).count(), 1, "{what} reported once:\n{err}");
    }
    let (rc, _, err) = warcoder(&["ingest", "--db", "b.db", "nothing-here/"], &dir);
    assert_eq!(rc, 1, "{err}");
}

#[test]
fn export_formats() {
    let dir = temp_dir("formats");
    let (rc, _, err) = warcoder(&["ingest", &examples(), "--db", "f.db"], &dir);
    assert_eq!(rc, 0, "{err}");
    let run = |format: &str| {
        let (rc, out, err) = warcoder(&["events", "--db", "f.db", "--format", format], &dir);
        assert_eq!(rc, 0, "{format}: {err}");
        out
    };
    let table = run("table");
    let head = table.lines().next().unwrap();
    for col in [
        "date",
        "type",
        "location",
        "country",
        "actors",
        "fatalities",
        "sources",
    ] {
        assert!(head.contains(col), "{head}");
    }
    let csv = run("csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header, warcoder_sinks::ACLED_COLUMNS);
    let geo = json(&run("geojson"));
    assert_eq!(geo["type"], "FeatureCollection");
    assert!(!geo["features"].as_array().unwrap().is_empty());
    let jsonl = run("jsonl");
    let incidents: Vec<Value> = jsonl.lines().map(json).collect();
    assert!(!incidents.is_empty());
    assert!(incidents
        .iter()
        .all(|i| i["sources"].as_array().is_some_and(|s| !s.is_empty())));
    for line in run("plover").lines() {
        let rec = json(line);
        assert!(
            rec["event"].is_array() && rec["cite_info"].is_object(),
            "{rec}"
        );
    }
    // Filters narrow; bad values are refused with a message.
    let (rc, out, _) = warcoder(
        &[
            "events",
            "--db",
            "f.db",
            "--country",
            "UA",
            "--format",
            "jsonl",
        ],
        &dir,
    );
    assert_eq!(rc, 0);
    assert!(out
        .lines()
        .map(json)
        .all(|i| i["location"]["country"] == "UA"));
    let (rc, _, err) = warcoder(&["events", "--db", "f.db", "--bbox", "1,2,3"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("W,S,E,N"), "{err}");
    let (rc, _, err) = warcoder(&["events", "--db", "none.db"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("warcoder ingest"), "{err}");
}

/// `serve` and `demo` read and write SQLite only: a PostgreSQL `--db` is
/// refused before anything is opened, with the reason and what to run
/// instead, and no password in the message.
#[test]
fn serve_and_demo_refuse_postgres_and_say_why() {
    let dir = temp_dir("sqlite-only");
    let url = "postgres://u:secret@127.0.0.1:1/events";
    for (command, advice) in [
        (
            ["serve", "--db", url, "--read-only"],
            "warcoder events --db URL",
        ),
        (
            ["demo", "--db", url, "--force"],
            "warcoder ingest DIR --db URL",
        ),
    ] {
        let (rc, _, err) = warcoder(&command, &dir);
        assert_eq!(rc, 2, "{err}");
        assert!(
            err.contains(&format!(
                "warcoder {} does not yet take a PostgreSQL database",
                command[0]
            )),
            "{err}"
        );
        assert!(err.contains(advice) && !err.contains("secret"), "{err}");
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing made");
}

#[test]
fn demo_builds_a_fresh_database_and_prints_incidents() {
    let dir = temp_dir("demo");
    let (rc, out, err) = warcoder(&["demo"], &dir);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("incidents"), "{out}");
    assert!(out.contains("Dera Ismail Khan"), "{out}");
    let db = dir.join("warcoder-demo.db");
    let documents = |db: &Path| Store::open_existing(db).unwrap().stats().unwrap().documents;
    let first = documents(&db);
    assert!(first >= 16);
    // Run again: replaced, not added to.
    let (rc, _, err) = warcoder(&["demo"], &dir);
    assert_eq!(rc, 0, "{err}");
    assert_eq!(documents(&db), first);
    // A file that is not a database is never deleted.
    std::fs::write(dir.join("notes.txt"), "my notes").unwrap();
    let (rc, _, err) = warcoder(&["demo", "--db", "notes.txt"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("not an SQLite database"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "my notes"
    );
    // A store that holds other work is replaced only with --force.
    std::fs::write(
        dir.join("mine.txt"),
        "Gunmen killed five villagers in Borno State on Monday, police said.",
    )
    .unwrap();
    let (rc, _, err) = warcoder(&["ingest", "mine.txt", "--db", "warcoder-demo.db"], &dir);
    assert_eq!(rc, 0, "{err}");
    let (rc, _, err) = warcoder(&["demo"], &dir);
    assert_eq!(rc, 2, "{err}");
    assert!(err.contains("1 documents that are not the demo's"), "{err}");
    assert_eq!(documents(&db), first + 1);
    let (rc, _, err) = warcoder(&["demo", "--force"], &dir);
    assert_eq!(rc, 0, "{err}");
    assert_eq!(documents(&db), first);
}
