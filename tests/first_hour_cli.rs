//! The stumbles of a new user's first hour (issue 20), each checked with
//! the built binary: defaults that name no build machine's paths, a bench
//! and an eval that say what to pass instead of reading outside the
//! repository, `--type` that understands what a reader types, help that
//! explains ACLED's terms, and one count of background events everywhere.

mod common;

use common::warcoder;

use std::path::PathBuf;

use serde_json::Value;

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("warcoder-first-hour-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn examples() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/examples").to_string()
}

/// No help text shows where warcoder was built.
#[test]
fn help_names_no_build_path() {
    let dir = temp_dir("help");
    for command in [
        "demo", "bench", "eval", "ingest", "events", "stats", "extract",
    ] {
        let (rc, out, err) = warcoder(&[command, "--help"], &dir);
        assert_eq!(rc, 0, "{command}: {err}");
        assert!(
            !out.contains(env!("CARGO_MANIFEST_DIR")),
            "{command} --help:\n{out}"
        );
        assert!(!out.contains("../shared"), "{command} --help:\n{out}");
    }
    let (_, out, _) = warcoder(&["eval", "merge", "--help"], &dir);
    assert!(!out.contains("../shared"), "{out}");
}

/// The demo runs from any directory on the articles built into the binary.
#[test]
fn demo_runs_outside_the_source_tree() {
    let dir = temp_dir("demo");
    let (rc, out, err) = warcoder(&["demo"], &dir);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("documents read              16"), "{out}");
    assert!(out.contains("Dera Ismail Khan"), "{out}");
}

/// With no corpus and no source tree, the bench says what to pass.
#[test]
fn bench_without_corpus_says_what_to_pass() {
    let dir = temp_dir("bench");
    let (rc, _, err) = warcoder(&["bench", "--repeat", "1", "--no-stages"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("warcoder bench PATH"), "{err}");
    let (rc, _, err) = warcoder(&["bench", "--ingest-documents", "10"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("--notes FILE"), "{err}");
}

/// `--type` takes a type in any case, singular or plural, a part of a
/// sub-event type and a CAMEO code; a miss suggests and lists them all.
#[test]
fn events_type_understands_what_a_reader_types() {
    let dir = temp_dir("type");
    let (rc, _, err) = warcoder(&["ingest", &examples(), "--db", "x.db"], &dir);
    assert_eq!(rc, 0, "{err}");
    let count = |given: &str| -> usize {
        let (rc, out, err) = warcoder(
            &[
                "events", "--db", "x.db", "--type", given, "--format", "jsonl",
            ],
            &dir,
        );
        assert_eq!(rc, 0, "--type {given}: {err}");
        out.lines().count()
    };
    assert_eq!(count("battle"), count("Battles"));
    assert!(count("battle") > 0);
    assert_eq!(
        count("shelling"),
        count("Shelling/artillery/missile attack")
    );
    assert_eq!(count("1831"), count("Suicide bomb"));
    assert!(count("1831") > 0);
    assert_eq!(count("EXPLOSION"), count("Explosions/Remote violence"));

    let (rc, _, err) = warcoder(&["events", "--db", "x.db", "--type", "bttles"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("Did you mean \"Battles\""), "{err}");
    assert!(
        err.contains("Abduction/forced disappearance (181)"),
        "{err}"
    );
    let (rc, _, err) = warcoder(&["events", "--db", "x.db", "--type", "183"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("\"Grenade\""), "{err}");
}

/// The help of the commands that write ACLED fields explains each term.
#[test]
fn help_explains_acled_terms() {
    let dir = temp_dir("terms");
    for command in ["extract", "events"] {
        let (_, out, _) = warcoder(&[command, "--help"], &dir);
        for term in [
            "inter1, inter2",
            "geo_precision",
            "disorder_type",
            "interaction",
            "time_precision",
        ] {
            assert!(out.contains(term), "{command} --help lacks {term}");
        }
    }
    let (_, out, _) = warcoder(&["places", "-h"], &dir);
    for arg in ["[PATHS]...", "--format", "--candidates", "--threads"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(arg))
            .unwrap_or_default();
        assert!(
            line.trim().len() > arg.len() + 8,
            "places -h: {arg} has no description:\n{out}"
        );
    }
}

/// `ingest` and `stats` tell the same background and not-ACLED counts.
#[test]
fn ingest_and_stats_agree_on_background_events() {
    let dir = temp_dir("background");
    let (rc, out, err) = warcoder(&["ingest", &examples(), "--db", "x.db", "--json"], &dir);
    assert_eq!(rc, 0, "{err}");
    let ingest: Value = serde_json::from_str(&out).unwrap();
    let (rc, out, err) = warcoder(&["stats", "--db", "x.db", "--json"], &dir);
    assert_eq!(rc, 0, "{err}");
    let stats: Value = serde_json::from_str(&out).unwrap();
    assert!(stats["background_events"].as_u64().unwrap() > 0);
    assert_eq!(ingest["background_events"], stats["background_events"]);
    let flagged = ingest["events_flagged"].as_u64().unwrap();
    assert_eq!(
        flagged,
        stats["background_events"].as_u64().unwrap() + stats["not_acled_events"].as_u64().unwrap()
    );
    let (_, text, _) = warcoder(&["stats", "--db", "x.db"], &dir);
    let background = format!("{} background", stats["background_events"]);
    assert!(text.contains(&background), "{text}");
    let (_, text, _) = warcoder(&["ingest", &examples(), "--db", "y.db"], &dir);
    assert!(text.contains(&background), "{text}");
}

/// `extract --format plover` writes the records `events --format plover` does.
#[test]
fn extract_writes_plover() {
    let dir = temp_dir("plover");
    let article = format!("{}/01-di-khan-bombing-wire.txt", examples());
    let (rc, out, err) = warcoder(&["extract", "--format", "plover", &article], &dir);
    assert_eq!(rc, 0, "{err}");
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["event"][0], "ASSAULT");
}
