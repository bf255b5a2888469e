//! The event store on PostgreSQL (`--db postgres://...`) against the same
//! on SQLite: the same documents give the same incidents, re-ingest stores
//! nothing, and two writers at once over overlapping reports make the
//! incidents one writer makes. These tests need a server: they read its URL
//! from WARCODER_TEST_POSTGRES (`scripts/services.sh` starts one and `.ci/run`
//! sets it) and report themselves skipped without it.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The test server's URL, or None (and a line saying the test is skipped).
fn server(test: &str) -> Option<String> {
    let url = std::env::var("WARCODER_TEST_POSTGRES").ok();
    if url.is_none() {
        eprintln!("SKIPPED {test}: WARCODER_TEST_POSTGRES is unset (scripts/services.sh run cargo test ...)");
    }
    url
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-pg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run `warcoder ARGS`; its stdout. Exports carry a fixed time
/// (`SOURCE_DATE_EPOCH`), so that two runs' ACLED files compare.
fn run(args: &[&str]) -> String {
    let out = common::binary()
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1760000000")
        .current_dir(root())
        .output()
        .expect("run warcoder");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "warcoder {args:?}: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The merge fixture's corpus (notes, their paraphrases and undated
/// copies: reports that join across documents), as JSONL lines.
fn merge_corpus(dir: &Path) -> Vec<String> {
    let keep = dir.join("keep");
    run(&[
        "eval",
        "merge",
        "--notes",
        "tests/fixtures/merge/notes.csv",
        "--sample",
        "0",
        "--copy-every",
        "1",
        "--keep",
        keep.to_str().unwrap(),
        "--json",
    ]);
    let corpus = std::fs::read_to_string(keep.join("merge-corpus.jsonl")).unwrap();
    corpus.lines().map(str::to_string).collect()
}

#[test]
fn postgres_stores_what_sqlite_stores_and_reingest_stores_nothing() {
    let Some(base) = server("postgres_stores_what_sqlite_stores") else {
        return;
    };
    let url = common::fresh_database(&base, "same");
    let dir = temp_dir("same");
    let corpus = dir.join("corpus.jsonl");
    std::fs::write(&corpus, merge_corpus(&dir).join("\n") + "\n").unwrap();
    let sqlite = dir.join("events.db");
    let (corpus, sqlite) = (corpus.to_str().unwrap(), sqlite.to_str().unwrap());
    for db in [sqlite, url.as_str()] {
        run(&["ingest", corpus, "tests/articles", "--db", db]);
    }
    let events = |db: &str, format: &str| run(&["events", "--db", db, "--format", format]);
    for format in ["jsonl", "table", "acled"] {
        assert_eq!(events(sqlite, format), events(&url, format), "{format}");
    }
    let search = |db: &str| run(&["events", "--db", db, "--text", "Kaduna gunm"]);
    assert_eq!(search(sqlite), search(&url));
    let stats = |db: &str| {
        let mut v: Value = serde_json::from_str(&run(&["stats", "--db", db, "--json"])).unwrap();
        v.as_object_mut().unwrap().remove("database_bytes");
        v
    };
    let before = stats(&url);
    assert_eq!(stats(sqlite), before);
    assert!(before["merged_incidents"].as_i64().unwrap() > 0, "{before}");
    let again: Value = serde_json::from_str(&run(&[
        "ingest",
        corpus,
        "tests/articles",
        "--db",
        &url,
        "--json",
    ]))
    .unwrap();
    assert_eq!(again["stored"], 0, "{again}");
    assert_eq!(stats(&url), before);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_writers_at_once_make_the_incidents_one_writer_makes() {
    let Some(base) = server("two_writers_at_once") else {
        return;
    };
    let url = common::fresh_database(&base, "concurrent");
    let dir = temp_dir("concurrent");
    let lines = merge_corpus(&dir);
    // Two overlapping halves: the middle third is in both.
    let third = lines.len() / 3;
    let halves = [&lines[..2 * third], &lines[third..]];
    let files: Vec<PathBuf> = halves
        .iter()
        .enumerate()
        .map(|(i, half)| {
            let path = dir.join(format!("half-{i}.jsonl"));
            std::fs::write(&path, half.join("\n") + "\n").unwrap();
            path
        })
        .collect();
    // One document per transaction, so that the writers interleave.
    let writers: Vec<_> = files
        .iter()
        .map(|f| {
            common::binary()
                .args(["ingest", f.to_str().unwrap(), "--db", &url, "--batch", "1"])
                .current_dir(root())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for writer in writers {
        let out = writer.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let sqlite = dir.join("one.db");
    let all = dir.join("all.jsonl");
    std::fs::write(&all, lines.join("\n") + "\n").unwrap();
    run(&[
        "ingest",
        all.to_str().unwrap(),
        "--db",
        sqlite.to_str().unwrap(),
    ]);
    let jsonl = |db: &str| run(&["events", "--db", db, "--format", "jsonl"]);
    assert_eq!(
        common::incidents_by_sources(&jsonl(&url)),
        common::incidents_by_sources(&jsonl(sqlite.to_str().unwrap()))
    );
    let stats: Value = serde_json::from_str(&run(&["stats", "--db", &url, "--json"])).unwrap();
    assert_eq!(
        stats["documents"],
        lines.len(),
        "each document stored once: {stats}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
