//! The work queue end to end, against the NATS server `.ci/run` starts
//! (`scripts/services.sh`, `WARCODER_TEST_NATS`); skipped without one.
//!
//! Two worker processes drain 2,000 WARC records into one store (a SQLite
//! file; a PostgreSQL database where `WARCODER_TEST_POSTGRES` names a
//! server too) while one of them is killed with SIGKILL: every record ends
//! stored exactly once, coded as a plain `ingest` codes it. The same when
//! the PostgreSQL server restarts mid-run. A damaged record ends
//! in the dead letters with its reason; a second `enqueue` publishes
//! nothing new.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use warcoder_store::warc::writer::{article_html, gzip_member, response};
use warcoder_store::Store;

/// Held by each test that uses the PostgreSQL server: one of them restarts
/// it, which cuts every other test's connections too (a `stats` in the
/// middle of another test then failed, about one run in three).
static POSTGRES_SERVER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The PostgreSQL server to oneself, for the rest of the test.
fn postgres_server() -> std::sync::MutexGuard<'static, ()> {
    // A test that failed holding it poisons it; the server is still usable.
    POSTGRES_SERVER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The server's URL, or None (the test says it is skipped).
fn nats(test: &str) -> Option<String> {
    let url = std::env::var("WARCODER_TEST_NATS").ok();
    if url.is_none() {
        eprintln!(
            "SKIPPED {test}: WARCODER_TEST_NATS is not set (scripts/services.sh starts a server)"
        );
    }
    url
}

/// A stream of its own for each test run, on a shared server.
fn stream_name(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("T_{test}_{}_{nanos}", std::process::id())
}

fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-queue-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `warcoder ARGS --json` in `dir`, which must succeed: its JSON.
fn json(args: &[&str], dir: &Path) -> Value {
    let (code, out, err) = common::warcoder(args, dir);
    assert_eq!(code, 0, "warcoder {args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn worker(url: &str, stream: &str, db: &str, dir: &Path, until_empty: bool) -> Child {
    let mut c = common::binary();
    c.args(["work", "--queue", url, "--stream", stream, "--db", db])
        .args([
            "--concurrency",
            "1",
            "--batch",
            "16",
            "--ack-wait",
            "3",
            "--json",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if until_empty {
        c.arg("--until-empty");
    }
    c.spawn().unwrap()
}

fn documents(db: &Path) -> usize {
    Store::open_existing(db)
        .and_then(|s| s.stats())
        .map_or(0, |s| s.documents as usize)
}

/// Events per document URL.
fn events_by_url(db: &Path) -> HashMap<String, i64> {
    let store = Store::open_existing(db).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    store
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| (d.doc.url.unwrap(), d.events))
        .collect()
}

/// `warcoder stats --db DB --json` in `dir`: (documents, events); zeros
/// while the store does not exist yet.
fn counts(db: &str, dir: &Path) -> (u64, u64) {
    let (code, out, _) = common::warcoder(&["stats", "--db", db, "--json"], dir);
    let v: Value = serde_json::from_str(&out).unwrap_or_default();
    match code {
        0 => (
            v["documents"].as_u64().unwrap_or(0),
            v["events"].as_u64().unwrap_or(0),
        ),
        _ => (0, 0),
    }
}

/// Two workers drain 2,000 WARC records into `db` (a SQLite file in `dir`
/// or a PostgreSQL URL); one is killed with SIGKILL while both store.
/// Returns the survivor's report, after checking that every record is
/// stored once, with as many events as a plain `ingest` into SQLite
/// stores, and that a second `enqueue` publishes nothing.
fn two_workers_one_killed(url: &str, test: &str, db: &str) -> (Value, std::path::PathBuf) {
    const RECORDS: usize = 2000;
    let stream = stream_name(test);
    let dir = scratch(test);
    std::fs::write(dir.join("corpus.warc.gz"), common::corpus(RECORDS)).unwrap();
    let enqueue = [
        "enqueue",
        "--queue",
        url,
        "--stream",
        &stream,
        "corpus.warc.gz",
        "--json",
    ];
    let first = json(&enqueue, &dir);
    assert_eq!(first["published"], RECORDS, "{first}");
    assert_eq!(first["references"], RECORDS, "{first}");

    // The doomed worker starts first and is killed once both have stored
    // a hundred more: it is surely mid-stream then, with a batch in hand.
    // (Started together, the survivor alone sometimes stored the first
    // hundred, and the kill found nothing in flight to redeliver.)
    let stored = |at_least: u64| {
        let started = Instant::now();
        while counts(db, &dir).0 < at_least {
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "fewer than {at_least} stored"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let mut doomed = worker(url, &stream, db, &dir, false);
    stored(100);
    let survivor = worker(url, &stream, db, &dir, true);
    stored(counts(db, &dir).0 + 100);
    doomed.kill().unwrap(); // SIGKILL, mid-batch
    doomed.wait().unwrap();
    let out = survivor.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["redelivered"].as_u64() > Some(0), "{report}");
    assert_eq!(report["dead_lettered"], 0, "{report}");

    json(
        &["ingest", "corpus.warc.gz", "--db", "plain.db", "--json"],
        &dir,
    );
    let (documents, events) = counts(db, &dir);
    assert_eq!(
        documents, RECORDS as u64,
        "every record stored exactly once"
    );
    assert_eq!((documents, events), counts("plain.db", &dir));

    let again = json(&enqueue, &dir);
    assert_eq!(again["published"], 0, "{again}");
    assert_eq!(again["already_queued"], RECORDS, "{again}");
    let stats = json(
        &[
            "queue", "stats", "--queue", url, "--stream", &stream, "--json",
        ],
        &dir,
    );
    assert_eq!(stats["dead_lettered"], 0, "{stats}");
    (report, dir)
}

#[test]
fn two_workers_one_killed_store_every_document_exactly_once() {
    let Some(url) = nats("two_workers") else {
        return;
    };
    let (_, dir) = two_workers_one_killed(&url, "two-workers", "q.db");
    // Document by document, the same coding as the plain ingest.
    let queued = events_by_url(&dir.join("q.db"));
    assert_eq!(queued.len(), 2000);
    assert_eq!(queued, events_by_url(&dir.join("plain.db")));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The scale-out set-up: stateless workers sharing one PostgreSQL store.
#[test]
fn two_workers_one_killed_share_a_postgres_store() {
    let (Some(url), Ok(server)) = (
        nats("two_workers_postgres"),
        std::env::var("WARCODER_TEST_POSTGRES"),
    ) else {
        eprintln!(
            "SKIPPED two_workers_postgres: needs WARCODER_TEST_NATS and WARCODER_TEST_POSTGRES"
        );
        return;
    };
    let _server = postgres_server();
    let db = common::fresh_database(&server, "queue");
    let (_, dir) = two_workers_one_killed(&url, "two-workers-pg", &db);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two workers store into PostgreSQL while the server restarts (fast
/// shutdown: every connection cut, transactions in flight rolled back):
/// they reconnect, store again what was lost, ack only what committed, and
/// in the end every record is stored once and every incident has all its
/// sources, as a plain `ingest` into SQLite makes them.
#[test]
fn workers_survive_a_database_restart() {
    let (Some(url), Ok(server), Ok(data)) = (
        nats("database_restart"),
        std::env::var("WARCODER_TEST_POSTGRES"),
        std::env::var("WARCODER_TEST_POSTGRES_DATA"),
    ) else {
        eprintln!(
            "SKIPPED database_restart: needs WARCODER_TEST_NATS, WARCODER_TEST_POSTGRES and \
             WARCODER_TEST_POSTGRES_DATA (scripts/services.sh run sets them)"
        );
        return;
    };
    let _server = postgres_server();
    const RECORDS: usize = 600;
    let stream = stream_name("restart");
    let dir = scratch("restart");
    let db = common::fresh_database(&server, "restart");
    std::fs::write(dir.join("corpus.warc.gz"), common::corpus(RECORDS)).unwrap();
    let q = ["--queue", url.as_str(), "--stream", stream.as_str()];
    let enqueued = json(
        &[&["enqueue"][..], &q, &["corpus.warc.gz", "--json"]].concat(),
        &dir,
    );
    assert_eq!(enqueued["published"], RECORDS, "{enqueued}");

    let workers: Vec<Child> = (0..2)
        .map(|_| worker(&url, &stream, &db, &dir, true))
        .collect();
    let started = Instant::now();
    while counts(&db, &dir).0 < 100 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "nothing stored"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let restart = std::process::Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/services.sh"))
        .arg("postgres-restart")
        .env("WARCODER_TEST_POSTGRES_DATA", &data)
        .status()
        .unwrap();
    assert!(restart.success(), "restarting PostgreSQL in {data}");
    let mut said = String::new();
    for w in workers {
        let out = w.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["dead_lettered"], 0, "{report} {stderr}");
        said.push_str(&stderr);
    }
    assert!(
        said.contains("reconnected to"),
        "no reconnection said: {said}"
    );

    json(
        &["ingest", "corpus.warc.gz", "--db", "plain.db", "--json"],
        &dir,
    );
    let (documents, events) = counts(&db, &dir);
    assert_eq!(
        documents, RECORDS as u64,
        "every record stored exactly once"
    );
    assert_eq!((documents, events), counts("plain.db", &dir));
    let incidents = |db: &str| {
        let (code, out, err) = common::warcoder(&["events", "--db", db, "--format", "jsonl"], &dir);
        assert_eq!(code, 0, "{err}");
        common::incidents_by_sources(&out)
    };
    assert_eq!(incidents(&db), incidents("plain.db"));
    let stats = json(&[&["queue", "stats"][..], &q, &["--json"]].concat(), &dir);
    assert_eq!(stats["dead_lettered"], 0, "{stats}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_damaged_record_ends_in_the_dead_letters_with_its_reason() {
    let Some(url) = nats("dead_letter") else {
        return;
    };
    let stream = stream_name("dead_letter");
    let dir = scratch("dead-letter");
    let (title, body) = &common::texts()[0];
    let page = |n: usize| {
        let html = format!("{}<!-- {n} -->", article_html(title, body));
        gzip_member(&response(
            &format!("https://poison.example/{n}"),
            "2025-01-02T12:00:00Z",
            200,
            "text/html",
            html.as_bytes(),
        ))
    };
    // The second record's gzip member cut in half: a damaged record.
    let whole = page(2);
    let damaged = whole[..whole.len() / 2].to_vec();
    std::fs::write(dir.join("poison.warc.gz"), [page(1), damaged].concat()).unwrap();
    let q = ["--queue", url.as_str(), "--stream", stream.as_str()];
    let enqueued = json(
        &[&["enqueue"][..], &q, &["poison.warc.gz", "--json"]].concat(),
        &dir,
    );
    assert_eq!(enqueued["published"], 2, "{enqueued}");

    let work = [
        &["work"][..],
        &q,
        &[
            "--db",
            "q.db",
            "--max-deliver",
            "2",
            "--until-empty",
            "--json",
        ],
    ]
    .concat();
    let report = json(&work, &dir);
    assert_eq!(report["dead_lettered"], 1, "{report}");
    assert_eq!(report["processed"], 1, "{report}");
    assert_eq!(documents(&dir.join("q.db")), 1);

    let stats = json(&[&["queue", "stats"][..], &q, &["--json"]].concat(), &dir);
    assert_eq!(stats["dead_lettered"], 1, "{stats}");
    assert_eq!(stats["messages"], 0, "{stats}");
    let (code, out, err) = common::warcoder(&[&["queue", "dead"][..], &q].concat(), &dir);
    assert_eq!(code, 0, "{err}");
    // One letter: the good record stored, the cut one dead-lettered.
    let letter: Value = serde_json::from_str(out.trim()).unwrap();
    assert!(
        letter["reason"].as_str().unwrap().contains("is damaged"),
        "{letter}"
    );
    // The server's count of deliveries: a delivery to a pull that had just
    // expired on a loaded machine counts too, so it may exceed the two the
    // worker saw.
    assert!(letter["deliveries"].as_i64() >= Some(2), "{letter}");
    assert_eq!(letter["item"]["kind"], "warc_range", "{letter}");
    std::fs::remove_dir_all(&dir).unwrap();
}
