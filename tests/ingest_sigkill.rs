//! A process killed mid-ingest (SIGKILL, no chance to clean up) leaves a
//! consistent database, and a second run completes it without storing
//! anything twice.
//!
//! The corpus is a WARC generated (`common::corpus`) from the example and test articles,
//! each copy made unique by an HTML comment (so every record is a distinct
//! document). Throughput is measured by `warcoder bench --ingest-documents
//! N`, not here.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use warcoder_store::Store;

fn documents(db: &Path) -> i64 {
    Store::open_existing(db)
        .and_then(|s| s.stats())
        .map(|s| s.documents)
        .unwrap_or(0)
}

#[test]
fn killed_ingest_leaves_a_consistent_store_that_a_second_run_completes() {
    const RECORDS: usize = 3000;
    let dir = std::env::temp_dir().join(format!("warcoder-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("corpus.warc.gz"), common::corpus(RECORDS)).unwrap();
    let db = dir.join("k.db");
    let ingest = || {
        let mut c = common::binary();
        c.args([
            "ingest",
            "corpus.warc.gz",
            "--db",
            "k.db",
            "--batch",
            "16",
            "--json",
        ])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        c
    };

    // Kill it once some batches are committed, well before the end.
    let mut child = ingest().spawn().unwrap();
    let started = Instant::now();
    while documents(&db) < 48 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest finished before it could be killed: make the corpus bigger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no batch committed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let store = Store::open_existing(&db).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let kept = store.stats().unwrap().documents as usize;
    assert!((48..RECORDS).contains(&kept), "{kept}");
    drop(store);

    let out = ingest().output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary["duplicates"].as_u64(),
        Some(kept as u64),
        "{summary}"
    );
    assert_eq!(summary["stored"].as_u64(), Some((RECORDS - kept) as u64));

    let store = Store::open_existing(&db).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let docs = store.documents().unwrap();
    assert_eq!(docs.len(), RECORDS, "every record stored exactly once");
    // No half-written document: every copy of an article has the same
    // number of events, whichever run stored it.
    let mut events_of: HashMap<String, i64> = HashMap::new();
    for d in &docs {
        let url = d.doc.url.as_deref().unwrap();
        let article = url.rsplit_once('/').unwrap().0.to_string();
        let expected = *events_of.entry(article).or_insert(d.events);
        assert_eq!(d.events, expected, "{url}");
    }
}
