//! WARC input end to end on `tests/fixtures/warc/mixed.warc.gz`, a crawl
//! file written for this test (one gzip member per record, as Common Crawl
//! writes them). It holds, in order:
//!
//! 1. a `warcinfo` record;
//! 2. a `response` with an HTML article (Quetta bombing, wire story);
//! 3. the `request` for it;
//! 4. a 404 response and 5. an image response (not articles);
//! 6. an oversized response: 21 MiB of HTML, over the 20 MiB record cap,
//!    compressed to a few kB (what a gzip bomb looks like);
//! 7. a truncated response: its Content-Length claims 4,000 bytes but the
//!    next record starts after 600 (and the CRLFCRLF);
//! 8. a response with the local paper's article;
//! 9. a response whose body is gzip-encoded (Content-Encoding: gzip);
//! 10. a response cut off by the end of the file.
//!
//! A test checks that the file is what `build_fixture` writes; rewrite it
//! after changing this list with
//! `WARCODER_WRITE_FIXTURES=1 cargo test --release --test ingest_warc`.

mod common;

use common::warcoder;

use std::path::{Path, PathBuf};

use serde_json::Value;
use warcoder_store::warc::writer::{article_html, gzip_member, http_response, record, response};
use warcoder_store::Store;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/warc/mixed.warc.gz")
}

const WIRE: &str = "QUETTA, Pakistan, March 11, 2025 — A suicide bomber blew himself up at a crowded market in Quetta on Tuesday, killing at least nine people and wounding 20 others, police said.\n\nNo group immediately claimed responsibility for the attack.";
const LOCAL: &str = "QUETTA, March 12, 2025 — The death toll from Tuesday's suicide bombing at a market in Quetta rose to 12, hospital officials said on Wednesday.\n\nThe bomber struck the market on March 11, 2025, police said. At least 25 people were wounded.";
const BRIEF: &str = "On 11 March 2025, a suicide bomber attacked a market in Quetta, killing 10 people according to provincial officials.";

fn build_fixture() -> Vec<u8> {
    let html = |title: &str, text: &str| article_html(title, text).into_bytes();
    let mut members: Vec<Vec<u8>> = Vec::new();
    let info = b"software: warcoder tests\r\nformat: WARC File Format 1.0\r\n";
    members.push(record(
        "warcinfo",
        None,
        "2025-03-12T10:00:00Z",
        "application/warc-fields",
        info,
        info.len(),
    ));
    let wire_url = "https://wire.example.com/2025/03/11/quetta-market-bombing";
    members.push(response(
        wire_url,
        "2025-03-11T14:05:00Z",
        200,
        "text/html; charset=utf-8",
        &html("Suicide bomber kills 9 at Quetta market", WIRE),
    ));
    let request =
        "GET /2025/03/11/quetta-market-bombing HTTP/1.1\r\nHost: wire.example.com\r\n\r\n";
    members.push(record(
        "request",
        Some(wire_url),
        "2025-03-11T14:05:00Z",
        "application/http; msgtype=request",
        request.as_bytes(),
        request.len(),
    ));
    members.push(response(
        "https://wire.example.com/gone",
        "2025-03-11T14:06:00Z",
        404,
        "text/html",
        b"<html><body>Not found</body></html>",
    ));
    members.push(response(
        "https://wire.example.com/photo.jpg",
        "2025-03-11T14:06:00Z",
        200,
        "image/jpeg",
        b"\xff\xd8\xff\xe0 not really a jpeg",
    ));
    // 21 MiB: over the 20 MiB record cap.
    let mut huge = b"<html><body><p>".to_vec();
    huge.resize(21 * 1024 * 1024, b' ');
    members.push(response(
        "https://bomb.example.com/huge",
        "2025-03-11T15:00:00Z",
        200,
        "text/html",
        &huge,
    ));
    let cut = http_response(
        200,
        "text/html",
        &html("Cut short", &"A truncated page. ".repeat(30)),
    );
    members.push(record(
        "response",
        Some("https://cut.example.com/truncated"),
        "2025-03-11T15:30:00Z",
        "application/http; msgtype=response",
        &cut[..600],
        4000,
    ));
    members.push(response(
        "https://local.example.pk/quetta-toll-rises",
        "2025-03-12T09:00:00Z",
        200,
        "text/html",
        &html("Quetta market bombing toll rises to 12", LOCAL),
    ));
    let page = html("Weekly security brief: Balochistan", BRIEF);
    let mut encoded =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    encoded.extend(gzip_member(&page));
    members.push(record(
        "response",
        Some("https://monitor.example.org/brief"),
        "2025-03-17T08:00:00Z",
        "application/http; msgtype=response",
        &encoded,
        encoded.len(),
    ));
    let end = http_response(
        200,
        "text/html",
        &html("The end", "This page never finishes."),
    );
    let mut last = record(
        "response",
        Some("https://cut.example.com/at-the-end"),
        "2025-03-18T08:00:00Z",
        "application/http; msgtype=response",
        &end[..100],
        3000,
    );
    // No CRLFCRLF either: the file ends inside the block.
    last.truncate(last.len() - 4);
    members.push(last);
    members.iter().flat_map(|m| gzip_member(m)).collect()
}

/// The committed fixture is what [`build_fixture`] writes, so the list in
/// this file's header stays true; `WARCODER_WRITE_FIXTURES=1` rewrites it.
#[test]
fn the_fixture_is_what_its_builder_writes() {
    let built = build_fixture();
    if std::env::var_os("WARCODER_WRITE_FIXTURES").is_some() {
        std::fs::create_dir_all(fixture().parent().unwrap()).unwrap();
        std::fs::write(fixture(), &built).unwrap();
    }
    let committed = std::fs::read(fixture()).unwrap();
    assert!(
        committed == built,
        "{} is not what build_fixture writes; after changing the records, rerun with \
         WARCODER_WRITE_FIXTURES=1 cargo test --release --test ingest_warc",
        fixture().display()
    );
}

#[test]
fn warc_fixture_ingests_good_records_and_reports_bad_ones() {
    let dir = std::env::temp_dir().join(format!("warcoder-warc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = fixture();
    let path = path.to_str().unwrap();
    let (rc, out, err) = warcoder(&["ingest", path, "--db", "w.db", "--json"], &dir);
    assert_eq!(rc, 1, "bad records make the exit status 1\n{err}");
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["stored"], 3, "{summary}");
    assert_eq!(
        summary["not_articles"], 4,
        "warcinfo, request, 404, image: {summary}"
    );
    assert_eq!(summary["failed"], 3, "{summary}\n{err}");
    assert_eq!(
        summary["failures_by_reason"]["WARC record over the size cap"],
        1
    );
    assert_eq!(summary["failures_by_reason"]["truncated WARC record"], 2);
    // Each bad record is reported once, with the reason and where it is.
    for what in [
        "https://bomb.example.com/huge",
        "https://cut.example.com/truncated",
        "https://cut.example.com/at-the-end",
    ] {
        assert_eq!(err.matches(what).count(), 1, "{what}:\n{err}");
    }
    assert!(err.contains("over the 20971520-byte cap"), "{err}");
    assert!(err.contains("the next record starts 604 bytes in"), "{err}");

    let store = Store::open_existing(&dir.join("w.db")).unwrap();
    let docs = store.documents().unwrap();
    let urls: Vec<&str> = docs.iter().filter_map(|d| d.doc.url.as_deref()).collect();
    assert_eq!(
        urls,
        [
            "https://wire.example.com/2025/03/11/quetta-market-bombing",
            "https://local.example.pk/quetta-toll-rises",
            "https://monitor.example.org/brief"
        ]
    );
    assert_eq!(
        docs[0].doc.published.as_deref(),
        Some("2025-03-11T14:05:00Z")
    );
    assert_eq!(docs[0].doc.outlet, "wire.example.com");
    assert!(docs.iter().all(|d| d.events > 0), "{docs:#?}");
    assert!(store.check().unwrap().is_empty());

    // Again: the good records are already stored.
    let (_, out, _) = warcoder(&["ingest", path, "--db", "w.db", "--json"], &dir);
    let again: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (again["stored"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(3))
    );
}
