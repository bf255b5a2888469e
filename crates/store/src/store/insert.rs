//! SQLite's statements for writing a coded document: its row, its events
//! with their estimates, and each new event's place in an incident (the
//! flow is `write.rs`'s, shared with PostgreSQL).

use rusqlite::{params, Transaction};

use super::write::{DocumentRow, EstimateRow, EventRow};
use super::Result;

/// Insert the document row; None when its hash is already stored.
pub(super) fn document(tx: &Transaction, row: &DocumentRow) -> Result<Option<i64>> {
    let inserted = tx.prepare_cached(
        "INSERT OR IGNORE INTO documents (sha256, input_id, source, url, outlet, title, published,
             reference_date, bytes, ingested_at, warnings, aggregates)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        row.sha256,
        row.input_id,
        row.source,
        row.url,
        row.outlet,
        row.title,
        row.published,
        row.reference_date,
        row.bytes,
        row.ingested_at,
        row.warnings,
        row.aggregates,
    ])?;
    if inserted == 0 {
        return Ok(None);
    }
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO document_texts (document_id, text) VALUES (?1, ?2)")?
        .execute(params![id, row.text])?;
    Ok(Some(id))
}

/// Insert an event's row; its id.
pub(super) fn event(tx: &Transaction, row: &EventRow) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO events (document_id, key, status, event_type, country, admin1, admin2, lat, lon,
             geo_precision, perpetrators, merge_from, merge_to, notes, json,
             place, geonames_id, killed_low, killed_high)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        row.document,
        row.key,
        row.status,
        row.event_type,
        row.country,
        row.admin1,
        row.admin2,
        row.lat,
        row.lon,
        row.geo_precision,
        row.perpetrators,
        row.merge_from,
        row.merge_to,
        row.notes,
        row.json,
        row.place,
        row.geonames_id,
        row.killed_low,
        row.killed_high,
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Insert an estimate of event `event`.
pub(super) fn estimate(tx: &Transaction, event: i64, row: &EstimateRow) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO estimates (event_id, kind, count, count_high, qualifier, vague, source, superseded)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        event,
        row.kind,
        row.count,
        row.count_high,
        row.qualifier,
        row.vague,
        row.source,
        row.superseded,
    ])?;
    Ok(())
}

/// The outlet of a document (core's rule, shared with `extract`'s exports).
pub use warcoder_sinks::record::outlet;
