//! The JSON API. Reads take the filters of `warcoder events` as query
//! parameters (`from`, `to`, `country`, `type`, `actor`, `bbox`, `q`);
//! exports stream; the two writes need the bearer token.

use std::io::Write;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use warcoder_store::correction::NewCorrection;
use warcoder_store::export::{self, Format};
use warcoder_store::query::parse_bbox;
use warcoder_store::{Filter, Incident};

use crate::error::ApiError;
use crate::AppState;

type Shared = State<Arc<AppState>>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/events/{id}/corrections", post(correct))
        .route("/api/stats", get(stats))
        .route("/api/facets", get(facets))
        .route("/api/timeline", get(timeline))
        .route("/api/map", get(map))
        .route("/api/export.csv", get(export_csv))
        .route("/api/export.geojson", get(export_geojson))
        .route("/api/export.jsonl", get(export_jsonl))
        .route("/api/documents", post(documents))
}

/// The query parameters every read understands (all optional).
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    from: Option<String>,
    to: Option<String>,
    country: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    actor: Option<String>,
    /// W,S,E,N in degrees.
    bbox: Option<String>,
    /// Free text.
    q: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    /// Map cell size in degrees when aggregated.
    cell: Option<f64>,
}

/// The largest page `GET /api/events` returns.
const MAX_LIMIT: i64 = 1000;
const DEFAULT_LIMIT: i64 = 50;

impl Params {
    fn filter(&self) -> Result<Filter, ApiError> {
        let day = |name: &str, v: &Option<String>| -> Result<Option<String>, ApiError> {
            let Some(s) = v.as_deref().filter(|s| !s.is_empty()) else {
                return Ok(None);
            };
            s.parse::<jiff::civil::Date>()
                .map(|d| Some(d.to_string()))
                .map_err(|_| {
                    ApiError::bad_request(format!("{name}={s:?} is not a YYYY-MM-DD date"))
                })
        };
        let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let country = nonempty(&self.country);
        if let Some(c) = &country {
            if c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(ApiError::bad_request(format!(
                    "country={c:?}: expected a two-letter ISO 3166-1 code such as PK or UA"
                )));
            }
        }
        let bbox = nonempty(&self.bbox)
            .as_deref()
            .map(parse_bbox)
            .transpose()
            .map_err(|e| ApiError::bad_request(e.replace("--bbox", "bbox=")))?;
        Ok(Filter {
            from: day("from", &self.from)?,
            to: day("to", &self.to)?,
            country,
            event_type: nonempty(&self.event_type),
            actor: nonempty(&self.actor),
            bbox,
            text: nonempty(&self.q),
        })
    }

    fn paging(&self) -> Result<(i64, i64), ApiError> {
        let offset = self.offset.unwrap_or(0);
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if offset < 0 {
            return Err(ApiError::bad_request("offset must be 0 or more"));
        }
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        Ok((offset, limit))
    }
}

fn params(q: Result<Query<Params>, QueryRejection>) -> Result<Params, ApiError> {
    Ok(q?.0)
}

/// What the list shows of an incident (the panel reads the whole record).
fn summary(inc: &Incident) -> Value {
    json!({
        "id": inc.id,
        "date": inc.date,
        "date_precision": inc.date_precision,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "location": inc.location.as_ref().map(|l| json!({
            "name": l.name, "country": l.country, "lat": l.lat, "lon": l.lon,
            "precision": l.precision})),
        "actors": inc.actors.iter().map(|a| json!({
            "name": a.name, "role": a.role, "inter": a.inter})).collect::<Vec<_>>(),
        "fatalities": inc.fatalities.as_ref().map(|t| json!({
            "low": t.low, "best": t.best, "high": t.high})),
        "sources": inc.sources.len(),
        "corrected": export::corrected_fields(inc),
    })
}

async fn events(
    State(app): Shared,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = params(q)?;
    let filter = p.filter()?;
    let (offset, limit) = p.paging()?;
    let page = app
        .db
        .read(move |s| Ok(s.incident_page(&filter, offset, limit)?))
        .await?;
    Ok(Json(json!({
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "events": page.incidents.iter().map(summary).collect::<Vec<_>>(),
    })))
}

fn incident_id(
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Result<i64, ApiError> {
    id.map(|Path(id)| id)
        .map_err(|_| ApiError::bad_request("an event id is a whole number, e.g. /api/events/12"))
}

async fn event(
    State(app): Shared,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = incident_id(id)?;
    let evidence = app.db.read(move |s| Ok(s.evidence(id)?)).await?;
    let e = evidence.ok_or_else(|| ApiError::not_found(format!("no event {id}")))?;
    Ok(Json(
        serde_json::to_value(e).map_err(|e| ApiError::internal(e.to_string()))?,
    ))
}

async fn stats(State(app): Shared) -> Result<Json<Value>, ApiError> {
    let (stats, facets) = app.db.read(|s| Ok((s.stats()?, s.facets()?))).await?;
    let mut v = serde_json::to_value(stats).map_err(|e| ApiError::internal(e.to_string()))?;
    v["countries"] = json!(facets.countries);
    v["event_types"] = json!(facets.event_types);
    v["sub_event_types"] = json!(sub_event_types());
    Ok(Json(v))
}

/// What the page's filter lists and correction form offer: countries and
/// event types with counts, and ACLED's sub-event types (the page's first
/// view reads this rather than the whole of /api/stats).
async fn facets(State(app): Shared) -> Result<Json<Value>, ApiError> {
    let facets = app.db.read(|s| Ok(s.facets()?)).await?;
    Ok(Json(json!({
        "countries": facets.countries,
        "event_types": facets.event_types,
        "sub_event_types": sub_event_types(),
    })))
}

/// ACLED's sub-event types, for the correction form.
fn sub_event_types() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        warcoder_core::ontology::Ontology::embedded()
            .sub_event_types
            .into_iter()
            .map(|s| s.sub_event_type)
            .collect()
    })
}

async fn timeline(
    State(app): Shared,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let filter = params(q)?.filter()?;
    let days = app.db.read(move |s| Ok(s.timeline(&filter)?)).await?;
    Ok(Json(json!({ "days": days })))
}

async fn map(
    State(app): Shared,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = params(q)?;
    let filter = p.filter()?;
    let cell = p.cell.unwrap_or(1.0);
    if !(cell.is_finite() && cell > 0.0) {
        return Err(ApiError::bad_request(
            "cell must be a positive number of degrees",
        ));
    }
    let max = app.config.max_map_points;
    let view = app.db.read(move |s| Ok(s.map(&filter, max, cell)?)).await?;
    Ok(Json(json!(view)))
}

async fn export_csv(app: Shared, q: Result<Query<Params>, QueryRejection>) -> Response {
    export_as(app, q, Format::Csv, "text/csv; charset=utf-8", "csv").await
}

async fn export_geojson(app: Shared, q: Result<Query<Params>, QueryRejection>) -> Response {
    export_as(app, q, Format::Geojson, "application/geo+json", "geojson").await
}

async fn export_jsonl(app: Shared, q: Result<Query<Params>, QueryRejection>) -> Response {
    export_as(app, q, Format::Jsonl, "application/jsonl", "jsonl").await
}

/// Stream the matching incidents in `format`: a blocking thread reads row
/// by row and sends chunks; the response never holds the whole table.
async fn export_as(
    State(app): Shared,
    q: Result<Query<Params>, QueryRejection>,
    format: Format,
    content_type: &'static str,
    ext: &'static str,
) -> Response {
    let filter = match params(q).and_then(|p| p.filter()) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(8);
    let path = app.db.path().to_path_buf();
    let res = app.config.resources;
    tokio::task::spawn_blocking(move || {
        let mut out = Chunks {
            buf: Vec::with_capacity(CHUNK),
            tx,
        };
        let written = write_export(&path, res, &filter, format, &mut out).and_then(|_| out.flush());
        if let Err(e) = written {
            // The client sees a cut response; tell it why if it still listens.
            let _ = out.tx.blocking_send(Err(e));
        }
    });
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"warcoder-events.{ext}\""),
            ),
        ],
        Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)),
    )
        .into_response()
}

fn write_export(
    db: &std::path::Path,
    res: &warcoder_core::Resources,
    filter: &Filter,
    format: Format,
    out: &mut Chunks,
) -> std::io::Result<()> {
    let store = warcoder_store::Store::open_existing(db).map_err(std::io::Error::other)?;
    let cx = warcoder_sinks::AcledContext {
        ontology: &res.ontology,
        layout: Default::default(),
        timestamp: jiff::Timestamp::now().as_second(),
    };
    let mut stream = export::Stream::new(format, cx);
    stream.begin(out)?;
    store
        .for_each_incident(filter, |inc| stream.item(out, &inc).map_err(ExportFailed))
        .map_err(|e| e.0)?;
    stream.end(out)
}

/// Why an export stopped: the store, or the client (which went away).
struct ExportFailed(std::io::Error);

impl From<warcoder_store::StoreError> for ExportFailed {
    fn from(e: warcoder_store::StoreError) -> Self {
        ExportFailed(std::io::Error::other(e))
    }
}

/// Bytes sent to the response in chunks of about [`CHUNK`].
struct Chunks {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
}

const CHUNK: usize = 64 * 1024;

impl Write for Chunks {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

/// Writes need `Authorization: Bearer <token>` matching the server's.
fn authorize(app: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &app.config.token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server takes no writes: start it with a token (WARCODER_TOKEN or --token-file)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(t) if same(t.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writes need the header Authorization: Bearer <token> with the server's token",
        )),
    }
}

/// Compare without stopping at the first difference (no timing hint).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A document to code, as one record of a JSONL input.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewDocument {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
}

async fn documents(
    State(app): Shared,
    headers: HeaderMap,
    body: Result<Json<NewDocument>, JsonRejection>,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let Json(doc) = body?;
    // The record goes through the reader of JSONL inputs, so that its id
    // (the content hash) and metadata are what `warcoder ingest` gives.
    let line = serde_json::to_vec(&doc).map_err(|e| ApiError::internal(e.to_string()))?;
    let raw = warcoder_core::source::from_bytes("api", &line, Some("jsonl"))
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::bad_request("the record has no \"text\" or \"html\" to code"))?
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let sha256 = raw.id.clone();
    let (res, languages) = (app.config.resources, app.config.languages);
    let one = app
        .db
        .write(move |s| Ok(warcoder_store::ingest::ingest_one(s, raw, res, languages)?))
        .await?
        .map_err(|f| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, f.message))?;
    let report = one.batch;
    let status = if report.stored == 1 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = json!({
        "document": sha256,
        "stored": report.stored == 1,
        "duplicate": report.duplicates == 1,
        "events": report.events,
        "incidents_created": report.incidents_created,
        "incidents_merged": report.merged,
        "not_coded_language": one.not_coded_language,
    });
    Ok((status, Json(body)).into_response())
}

async fn correct(
    State(app): Shared,
    headers: HeaderMap,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
    body: Result<Json<NewCorrection>, JsonRejection>,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let id = incident_id(id)?;
    let Json(correction) = body?;
    let stored = app
        .db
        .write(move |s| Ok(s.add_correction(id, &correction)?))
        .await?
        .map_err(|e| match e {
            warcoder_store::correction::Invalid::NoIncident(_) => {
                ApiError::not_found(e.to_string())
            }
            other => ApiError::bad_request(other.to_string()),
        })?;
    Ok((StatusCode::CREATED, Json(json!(stored))).into_response())
}
