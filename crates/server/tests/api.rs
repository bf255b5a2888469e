//! The API end to end, in process (tower's oneshot): an empty store, the
//! writes with and without the token, bad bodies, paging edges, filters,
//! the evidence of an event, corrections and the streamed exports.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use warcoder_core::language::Languages;
use warcoder_server::{router, Config};

const TOKEN: &str = "test-token";

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-api-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("t.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    warcoder_store::Store::open(&db).unwrap();
    db
}

fn app(db: &Path) -> Router {
    router(Config {
        token: Some(TOKEN.into()),
        max_body_bytes: 64 * 1024,
        ..Config::new(db.to_path_buf())
    })
    .unwrap()
}

/// Status, content type and body of a request.
async fn call(app: &Router, req: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, ct, body)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, ct, body) = call(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert!(ct.starts_with("application/json"), "{uri}: {ct}");
    (status, serde_json::from_slice(&body).unwrap())
}

async fn get_text(app: &Router, uri: &str) -> String {
    let (status, _, body) = call(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    String::from_utf8(body).unwrap()
}

fn post(uri: &str, token: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    req.body(body.into()).unwrap()
}

async fn post_json(app: &Router, uri: &str, body: Value) -> (StatusCode, Value) {
    let (status, _, bytes) = call(app, post(uri, Some(TOKEN), body.to_string())).await;
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// A store holding the three reports of the Dera Ismail Khan bombing and the
/// Manbij clashes, posted through the API.
async fn filled(name: &str) -> Router {
    let app = app(&temp_db(name));
    for (file, url) in [
        ("01-di-khan-bombing-wire.txt", "https://wire.example/a"),
        (
            "02-di-khan-bombing-localpaper.txt",
            "https://local.example/b",
        ),
        (
            "03-di-khan-bombing-monitor.txt",
            "https://monitor.example/c",
        ),
        ("06-syria-manbij-clashes.txt", "https://wire.example/d"),
    ] {
        let (status, body) = post_json(
            &app,
            "/api/documents",
            json!({"text": example(file), "url": url, "published": "2025-10-17"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{file}: {body}");
    }
    app
}

#[tokio::test]
async fn an_empty_store_answers_every_read() {
    let app = app(&temp_db("empty"));
    let (status, page) = get(&app, "/api/events").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 0);
    assert_eq!(page["events"], json!([]));
    let (_, stats) = get(&app, "/api/stats").await;
    assert_eq!(stats["documents"], 0);
    assert_eq!(stats["countries"], json!([]));
    assert!(stats["sub_event_types"].as_array().unwrap().len() > 20);
    let (_, facets) = get(&app, "/api/facets").await;
    assert_eq!(facets["event_types"], json!([]));
    assert_eq!(facets["sub_event_types"], stats["sub_event_types"]);
    let (_, days) = get(&app, "/api/timeline").await;
    assert_eq!(days["days"], json!([]));
    let (_, map) = get(&app, "/api/map").await;
    assert_eq!(map["total"], 0);
    let (status, err) = get(&app, "/api/events/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "no event 1");
    let csv = get_text(&app, "/api/export.csv").await;
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
    let geo: Value = serde_json::from_str(&get_text(&app, "/api/export.geojson").await).unwrap();
    assert_eq!(geo["features"], json!([]));
    assert_eq!(get_text(&app, "/api/export.jsonl").await, "");
}

#[tokio::test]
async fn writes_need_the_token() {
    let db = temp_db("token");
    let app = app(&db);
    let body = json!({"text": "Gunmen killed two people in Peshawar on Monday."}).to_string();
    for token in [None, Some("wrong")] {
        let (status, _, bytes) = call(&app, post("/api/documents", token, body.clone())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let err: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(err["error"].as_str().unwrap().contains("Bearer"), "{err}");
        let (status, _, _) = call(&app, post("/api/events/1/corrections", token, "{}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // A server started without a token takes no writes at all.
    let read_only = router(Config::new(db)).unwrap();
    let (status, _, _) = call(&read_only, post("/api/documents", Some(TOKEN), body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_bodies_are_told_what_is_wrong() {
    let app = app(&temp_db("bodies"));
    let (status, _, bytes) = call(&app, post("/api/documents", Some(TOKEN), "{\"text\": ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let err: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(err["error"].as_str().unwrap().contains("EOF"), "{err}");

    let (status, body) = post_json(&app, "/api/documents", json!({"txet": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("txet"), "{body}");

    let (status, body) = post_json(&app, "/api/documents", json!({"url": "https://x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("text"), "{body}");

    let big = json!({"text": "a".repeat(100 * 1024)}).to_string();
    let (status, _, bytes) = call(&app, post("/api/documents", Some(TOKEN), big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let err: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(err["error"].as_str().unwrap().contains("size limit"));

    let plain = Request::post("/api/documents")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::from("{}"))
        .unwrap();
    let (status, _, _) = call(&app, plain).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    for uri in [
        "/api/events?limit=0",
        "/api/events?limit=1001",
        "/api/events?offset=-1",
        "/api/events?limit=ten",
        "/api/events?from=2025-02-30",
        "/api/events?country=Pakistan",
        "/api/events?bbox=1,2,3",
        "/api/map?cell=0",
        "/api/events/abc",
    ] {
        let (status, err) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(err["error"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn documents_are_coded_once_and_paged() {
    let app = filled("paging").await;
    // The same text again is a duplicate, stored once.
    let (status, again) = post_json(
        &app,
        "/api/documents",
        json!({"text": example("01-di-khan-bombing-wire.txt"), "url": "https://wire.example/a"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["duplicate"], true);

    let (_, all) = get(&app, "/api/events?limit=1000").await;
    let total = all["total"].as_i64().unwrap();
    assert!(total >= 2, "{all}");
    assert_eq!(all["events"].as_array().unwrap().len() as i64, total);
    // The three reports of one bombing are one incident.
    let pk: Vec<&Value> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["location"]["country"] == "PK")
        .collect();
    assert!(pk.iter().any(|e| e["sources"] == 3), "{pk:?}");

    let (_, first) = get(&app, "/api/events?limit=1").await;
    assert_eq!(first["events"].as_array().unwrap().len(), 1);
    assert_eq!(first["total"], total);
    let (_, last) = get(&app, &format!("/api/events?limit=1&offset={}", total - 1)).await;
    assert_eq!(last["events"].as_array().unwrap().len(), 1);
    assert_eq!(
        last["events"][0]["id"],
        all["events"][total as usize - 1]["id"]
    );
    let (_, past) = get(&app, &format!("/api/events?offset={total}")).await;
    assert_eq!(past["events"], json!([]));
    assert_eq!(past["total"], total);

    let (_, syria) = get(&app, "/api/events?country=sy").await;
    assert!(syria["total"].as_i64().unwrap() >= 1);
    assert!(syria["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["location"]["country"] == "SY"));
    let (_, words) = get(&app, "/api/events?q=Manbi").await;
    assert_eq!(words["total"], syria["total"], "{words}");
    // Types match in any case, as event or sub-event type.
    let kind = all["events"][0]["event_type"].as_str().unwrap();
    let same_kind = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == kind || e["sub_event_type"] == kind)
        .count();
    let uri = format!(
        "/api/events?type={}",
        kind.to_uppercase().replace(' ', "%20").replace('/', "%2F")
    );
    let (_, typed) = get(&app, &uri).await;
    assert_eq!(typed["total"], same_kind, "{uri}");
    let (_, none) = get(&app, "/api/events?q=zzzunheardof").await;
    assert_eq!(none["total"], 0);

    let (_, stats) = get(&app, "/api/stats").await;
    assert_eq!(stats["documents"], 4);
    let (_, days) = get(&app, "/api/timeline").await;
    let counted: i64 = days["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["incidents"].as_i64().unwrap())
        .sum();
    assert!(counted <= total && counted > 0);
    let (_, map) = get(&app, "/api/map").await;
    assert_eq!(
        map["points"].as_array().unwrap().len() as i64,
        map["total"].as_i64().unwrap()
    );
}

#[tokio::test]
async fn an_event_shows_the_words_behind_each_field() {
    let app = filled("evidence").await;
    let (_, page) = get(&app, "/api/events?country=PK").await;
    let id = page["events"][0]["id"].as_i64().unwrap();
    let (status, ev) = get(&app, &format!("/api/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let reports = ev["reports"].as_array().unwrap();
    assert!(!reports.is_empty());
    let mut checked = 0;
    for r in reports {
        let text = r["text"].as_str().unwrap().as_bytes();
        let span = |s: &Value| {
            let (a, b) = (
                s[0].as_u64().unwrap() as usize,
                s[1].as_u64().unwrap() as usize,
            );
            String::from_utf8(text[a..b].to_vec()).unwrap()
        };
        let loc = &r["event"]["location"];
        if !loc.is_null() {
            assert_eq!(span(&loc["span"]), loc["mention"].as_str().unwrap());
            checked += 1;
        }
        for a in r["event"]["actors"].as_array().unwrap() {
            assert_eq!(span(&a["span"]), a["mention"].as_str().unwrap());
            checked += 1;
        }
    }
    assert!(checked > 0);
    let estimates = ev["incident"]["fatalities"]["estimates"]
        .as_array()
        .unwrap();
    assert!(estimates.iter().all(|e| e["outlet"].is_string()));
}

#[tokio::test]
async fn corrections_are_stored_beside_the_coding_and_exported() {
    let app = filled("corrections").await;
    let (_, page) = get(&app, "/api/events?country=PK").await;
    let id = page["events"][0]["id"].as_i64().unwrap();
    let machine_best = page["events"][0]["fatalities"]["best"].clone();
    let uri = format!("/api/events/{id}/corrections");
    let (status, saved) = post_json(
        &app,
        &uri,
        json!({"field": "fatalities", "value": {"low": 20, "best": 21, "high": 22}, "note": "hospital list"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["machine"]["best"], machine_best);

    let (_, ev) = get(&app, &format!("/api/events/{id}")).await;
    assert_eq!(ev["incident"]["fatalities"]["best"], 21);
    assert_eq!(ev["machine"]["fatalities"]["best"], machine_best);
    assert_eq!(ev["incident"]["corrections"][0]["note"], "hospital list");
    let (_, listed) = get(&app, "/api/events?country=PK").await;
    assert_eq!(listed["events"][0]["corrected"], "fatalities");

    let jsonl = get_text(&app, "/api/export.jsonl?country=PK").await;
    let first: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["fatalities"]["best"], 21);
    assert_eq!(first["corrections"][0]["field"], "fatalities");
    let csv = get_text(&app, "/api/export.csv?country=PK").await;
    assert!(csv.contains("corrected by an analyst: fatalities"), "{csv}");
    let geo = get_text(&app, "/api/export.geojson?country=PK").await;
    let geo: Value = serde_json::from_str(&geo).unwrap();
    assert_eq!(geo["features"][0]["properties"]["corrected"], "fatalities");

    let (status, err) = post_json(
        &app,
        &uri,
        json!({"field": "event_type", "value": {"sub_event_type": "Picnic"}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().contains("Picnic"));
    let (status, _) = post_json(
        &app,
        "/api/events/999999/corrections",
        json!({"field": "date", "value": {"date": "2025-10-15"}}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn exports_follow_the_filters() {
    let app = filled("exports").await;
    let (_, all) = get(&app, "/api/events?limit=1000").await;
    let total = all["total"].as_u64().unwrap() as usize;
    let jsonl = get_text(&app, "/api/export.jsonl").await;
    assert_eq!(jsonl.lines().count(), total);
    let csv = get_text(&app, "/api/export.csv?country=SY").await;
    let (_, sy) = get(&app, "/api/events?country=SY").await;
    assert_eq!(
        csv.lines().count() as u64,
        1 + sy["total"].as_u64().unwrap()
    );
    assert!(csv.starts_with("event_id_cnty,"));
}

#[tokio::test]
async fn the_page_and_its_libraries_are_served() {
    let app = app(&temp_db("page"));
    let (status, ct, body) = call(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html"));
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("vendor/leaflet/leaflet.js"));
    for asset in [
        "/app.js",
        "/vendor/leaflet/leaflet.js",
        "/vendor/uplot/uPlot.iife.min.js",
        "/vendor/world-atlas/countries-50m.json",
    ] {
        let (status, _, _) = call(&app, Request::get(asset).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{asset}");
    }
    let (status, _, _) = call(&app, Request::get("/nope.js").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A posted document in another language than English is stored uncoded,
/// its language named, as `ingest` does; a server started with
/// `--all-languages` codes it.
#[tokio::test]
async fn a_document_in_another_language_is_stored_and_named_not_coded() {
    let french = "Des hommes armés ont attaqué mardi un poste de police à la sortie de la ville et tué trois agents, selon les autorités locales. L'attaque a eu lieu peu après l'aube.";
    let app = app(&temp_db("french"));
    let (status, body) = post_json(&app, "/api/documents", json!({ "text": french })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["not_coded_language"]["name"], "French", "{body}");
    assert_eq!(body["events"], 0, "{body}");

    let db = temp_db("french-all");
    let every = router(Config {
        token: Some(TOKEN.into()),
        languages: Languages::All,
        ..Config::new(db)
    })
    .unwrap();
    let (status, body) = post_json(&every, "/api/documents", json!({ "text": french })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["not_coded_language"].is_null(), "{body}");
}
