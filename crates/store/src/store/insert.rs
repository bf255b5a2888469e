//! Writing a coded document: its row, its events with their estimates, and
//! each new event's place in an incident (joined or started).

use std::collections::HashMap;

use rusqlite::{params, Transaction};
use warcoder_core::output::{CountOut, EventOut};

use super::{merging, BatchReport, NewDocument, Result};
use crate::merge::{self, Facts};

/// Insert the document row; None when its hash is already stored.
pub(super) fn document(tx: &Transaction, doc: &NewDocument) -> Result<Option<i64>> {
    let d = &doc.output.document;
    let json_or_null = |empty: bool, v: serde_json::Result<String>| -> Result<Option<String>> {
        Ok(if empty { None } else { Some(v?) })
    };
    let warnings = json_or_null(d.warnings.is_empty(), serde_json::to_string(&d.warnings))?;
    let aggregates = json_or_null(
        doc.output.aggregates.is_empty(),
        serde_json::to_string(&doc.output.aggregates),
    )?;
    let inserted = tx.prepare_cached(
        "INSERT OR IGNORE INTO documents (sha256, input_id, source, url, outlet, title, published,
             reference_date, bytes, ingested_at, warnings, aggregates)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        d.id,
        d.input_id,
        d.source,
        d.url,
        outlet(d.url.as_deref(), &d.source),
        d.title,
        doc.published,
        d.reference_date,
        doc.bytes as i64,
        jiff::Timestamp::now().to_string(),
        warnings,
        aggregates,
    ])?;
    if inserted == 0 {
        return Ok(None);
    }
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO document_texts (document_id, text) VALUES (?1, ?2)")?
        .execute(params![id, doc.text])?;
    Ok(Some(id))
}

/// Store an event; returns the incident it joined or started, if any.
/// `similar`: the stored documents this one nearly duplicates.
pub(super) fn event(
    tx: &Transaction,
    doc_id: i64,
    (event, notes): (&EventOut, &str),
    similar: &HashMap<i64, f64>,
    cache: &mut merging::MemberCache,
    report: &mut BatchReport,
) -> Result<Option<i64>> {
    let mut facts = Facts::of(event, doc_id);
    let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
    let place = facts.place.as_ref();
    tx.prepare_cached(
        "INSERT INTO events (document_id, key, status, event_type, country, admin1, admin2, lat, lon,
             geo_precision, perpetrators, merge_from, merge_to, notes, json,
             place, geonames_id, killed_low, killed_high)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        doc_id,
        event.id,
        event.status,
        event.acled_event_type,
        place.map(|p| &p.country),
        place.and_then(|p| p.admin1.as_ref()),
        place.and_then(|p| p.admin2.as_ref()),
        place.map(|p| p.lat),
        place.map(|p| p.lon),
        place.map(|p| p.precision),
        serde_json::to_string(&facts.perpetrators)?,
        day(facts.days.map(|d| d.0)),
        day(facts.days.map(|d| d.1)),
        notes,
        serde_json::to_string(event)?,
        place.and_then(|p| p.name.as_ref()),
        place.and_then(|p| p.geonames_id),
        facts.killed.map(|k| k.low as i64),
        facts.killed.and_then(|k| k.high).map(|h| h as i64),
    ])?;
    let event_id = tx.last_insert_rowid();
    facts.event = event_id;
    estimates(tx, event_id, event)?;
    report.events += 1;
    // Only new events ACLED codes become incidents; background events
    // (past attacks cited for context) are stored, flagged by their status.
    if event.status != "new" || event.acled_event_type.is_none() {
        report.flagged += 1;
        report.background += usize::from(event.status == "background");
        return Ok(None);
    }
    let candidates = merging::candidates(tx, &facts, similar, cache)?;
    let incident_id = match merge::best_incident(&facts, &candidates, similar) {
        Some((id, joined)) => {
            report.merged += 1;
            tx.prepare_cached("UPDATE events SET merge_reason = ?1 WHERE id = ?2")?
                .execute(params![serde_json::to_string(&joined)?, event_id])?;
            id
        }
        None => {
            tx.prepare_cached("INSERT INTO incidents (event_type) VALUES (?1)")?
                .execute([&event.acled_event_type])?;
            report.incidents_created += 1;
            tx.last_insert_rowid()
        }
    };
    tx.prepare_cached("UPDATE events SET incident_id = ?1 WHERE id = ?2")?
        .execute([incident_id, event_id])?;
    cache.joined(incident_id, facts);
    Ok(Some(incident_id))
}

fn estimates(tx: &Transaction, event_id: i64, e: &EventOut) -> Result<()> {
    let kinds: [(&str, &Option<CountOut>); 5] = [
        ("fatalities", &e.fatalities),
        ("injured", &e.injured),
        ("missing", &e.missing),
        ("abducted", &e.abducted),
        ("arrested", &e.arrested),
    ];
    let mut st = tx.prepare_cached(
        "INSERT INTO estimates (event_id, kind, count, count_high, qualifier, vague, source, superseded)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (kind, count) in kinds {
        for est in count.iter().flat_map(|c| &c.estimates) {
            st.execute(params![
                event_id,
                kind,
                est.count as i64,
                est.count_high.map(|h| h as i64),
                est.qualifier,
                est.vague,
                est.source,
                est.superseded,
            ])?;
        }
    }
    Ok(())
}

/// The outlet of a document (core's rule, shared with `extract`'s exports).
pub use warcoder_sinks::record::outlet;
