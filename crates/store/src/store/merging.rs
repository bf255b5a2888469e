//! SQLite's statements behind the merger (the flow is `write.rs`'s): the
//! candidate incidents an event might join (with their members' facts read
//! from columns, never from JSON), the documents' near-duplicate sketches,
//! an incident's record and summary columns, and the search index.

use std::collections::BTreeSet;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::write::{
    Assignment, DocumentRow, EstimateRow, EventRow, FactColumns, IncidentRow, Window, WriteTx,
    FACT_COLUMNS,
};
use super::{doc_ref, insert, Result, DOC_REF_COLUMNS};
use crate::incident::Member;
use crate::merge::Facts;
use crate::sketch::{self, Sketch, NEAR_DUPLICATE};

impl WriteTx for Transaction<'_> {
    fn insert_document(&mut self, row: &DocumentRow) -> Result<Option<i64>> {
        insert::document(self, row)
    }

    fn insert_event(&mut self, row: &EventRow, estimates: &[EstimateRow]) -> Result<i64> {
        let id = insert::event(self, row)?;
        for estimate in estimates {
            insert::estimate(self, id, estimate)?;
        }
        Ok(id)
    }

    fn assign_incident(&mut self, event: i64, to: Assignment) -> Result<i64> {
        let (incident, reason) = match to {
            Assignment::Join { incident, reason } => (incident, Some(reason)),
            Assignment::New { event_type } => {
                self.prepare_cached("INSERT INTO incidents (event_type) VALUES (?1)")?
                    .execute([event_type])?;
                (self.last_insert_rowid(), None)
            }
        };
        self.prepare_cached("UPDATE events SET incident_id = ?1, merge_reason = ?2 WHERE id = ?3")?
            .execute(params![incident, reason, event])?;
        Ok(incident)
    }

    fn incidents_near(&mut self, w: &Window) -> Result<Vec<i64>> {
        let mut st = self.prepare_cached(
            "SELECT DISTINCT incident_id FROM events
             WHERE incident_id IS NOT NULL AND merge_from IS NOT NULL
               AND event_type = ?1 AND country = ?2
               AND merge_from BETWEEN ?3 AND ?4 AND merge_to >= ?5",
        )?;
        let rows = st.query_map(
            params![w.event_type, w.country, w.from, w.to, w.reach],
            |r| r.get(0),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn incidents_of_document(&mut self, doc: i64, event_type: &str) -> Result<Vec<i64>> {
        let mut st = self.prepare_cached(
            "SELECT DISTINCT incident_id FROM events
             WHERE document_id = ?1 AND event_type = ?2 AND incident_id IS NOT NULL",
        )?;
        let rows = st.query_map(params![doc, event_type], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn member_facts(&mut self, incident: i64) -> Result<Vec<Facts>> {
        members(self, incident)
    }

    fn band_documents(&mut self, band: i64, limit: usize) -> Result<Vec<i64>> {
        // The limit is written into the statement, not bound: SQLite
        // re-prepares a statement whose LIMIT is a bound parameter at every
        // new value binding (7 % of the writer's time, measured with perf).
        let mut st = self.prepare_cached(&format!(
            "SELECT document_id FROM sketch_bands WHERE band = ?1 LIMIT {limit}"
        ))?;
        let rows = st.query_map([band], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn minhash(&mut self, doc: i64) -> Result<Option<Vec<u8>>> {
        let mut st =
            self.prepare_cached("SELECT minhash FROM document_sketches WHERE document_id = ?1")?;
        Ok(st.query_row([doc], |r| r.get(0)).optional()?)
    }

    fn document_text(&mut self, doc: i64) -> Result<Option<String>> {
        let mut st =
            self.prepare_cached("SELECT text FROM document_texts WHERE document_id = ?1")?;
        Ok(st.query_row([doc], |r| r.get(0)).optional()?)
    }

    fn store_sketch(&mut self, doc: i64, sketch: &Sketch) -> Result<()> {
        store_sketch(self, doc, sketch)
    }

    fn members(&mut self, incident: i64) -> Result<Vec<Member>> {
        self.prepare_cached(&format!(
            "SELECT e.json, e.notes, {DOC_REF_COLUMNS}
             FROM events e JOIN documents d ON d.id = e.document_id
             WHERE e.incident_id = ?1 ORDER BY e.id"
        ))?
        .query_map([incident], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                doc_ref(r, 2)?,
            ))
        })?
        .map(|row| {
            let (json, notes, doc) = row?;
            Ok(Member {
                event: serde_json::from_str(&json)?,
                notes,
                doc,
            })
        })
        .collect()
    }

    fn update_incident(&mut self, row: &IncidentRow) -> Result<()> {
        let [f_low, f_best, f_high] = row.fatalities;
        let [i_low, i_best, i_high] = row.injured;
        self.prepare_cached(
            "UPDATE incidents SET date = ?2, date_precision = ?3, day_first = ?4, day_last = ?5,
                 event_type = ?6, sub_event_type = ?7, country = ?8, admin1 = ?9, admin2 = ?10,
                 location = ?11, lat = ?12, lon = ?13, geo_precision = ?14, actors = ?15,
                 fatalities_low = ?16, fatalities_best = ?17, fatalities_high = ?18,
                 injured_low = ?19, injured_best = ?20, injured_high = ?21, documents = ?22, json = ?23
             WHERE id = ?1",
        )?
        .execute(params![
            row.id,
            row.date,
            row.date_precision,
            row.day_first,
            row.day_last,
            row.event_type,
            row.sub_event_type,
            row.country,
            row.admin1,
            row.admin2,
            row.location,
            row.lat,
            row.lon,
            row.geo_precision,
            row.actors,
            f_low,
            f_best,
            f_high,
            i_low,
            i_best,
            i_high,
            row.documents,
            row.json,
        ])?;
        Ok(())
    }
}

/// The facts of incident `id`'s members, from their columns.
fn members(tx: &Transaction, id: i64) -> Result<Vec<Facts>> {
    facts_where(tx, "incident_id = ?1", id)
}

/// The facts of document `doc_id`'s events that belong to an incident.
pub(super) fn document_facts(conn: &Connection, doc_id: i64) -> Result<Vec<Facts>> {
    facts_where(conn, "document_id = ?1 AND incident_id IS NOT NULL", doc_id)
}

/// The facts of the events `filter` (an SQL condition on `?1` = `id`)
/// selects, from their columns.
fn facts_where(conn: &Connection, filter: &str, id: i64) -> Result<Vec<Facts>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {FACT_COLUMNS} FROM events WHERE {filter} ORDER BY id"
    ))?;
    let rows: Vec<FactColumns> = st
        .query_map([id], |r| {
            Ok(FactColumns {
                event: r.get(0)?,
                document: r.get(1)?,
                event_type: r.get(2)?,
                country: r.get(3)?,
                admin1: r.get(4)?,
                admin2: r.get(5)?,
                lat: r.get(6)?,
                lon: r.get(7)?,
                geo_precision: r.get(8)?,
                perpetrators: r.get(9)?,
                merge_from: r.get(10)?,
                merge_to: r.get(11)?,
                place: r.get(12)?,
                geonames_id: r.get(13)?,
                killed_low: r.get(14)?,
                killed_high: r.get(15)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(FactColumns::facts).collect()
}

/// The similarity of two stored documents as the merger sees it: their
/// MinHash similarity when they are near duplicates that do not tell
/// different things ([`sketch::tell_apart`]), else None.
pub(super) fn near_duplicate(conn: &Connection, a: i64, b: i64) -> Result<Option<f64>> {
    let mut sketch = conn.prepare_cached(
        "SELECT s.minhash, t.text FROM document_sketches s
         JOIN document_texts t ON t.document_id = s.document_id WHERE s.document_id = ?1",
    )?;
    let mut read = |doc: i64| -> Result<Option<(Sketch, String)>> {
        let row: Option<(Vec<u8>, String)> = sketch
            .query_row([doc], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.and_then(|(bytes, text)| Some((Sketch::from_bytes(&bytes)?, text))))
    };
    let (Some((sa, ta)), Some((sb, tb))) = (read(a)?, read(b)?) else {
        return Ok(None);
    };
    let similarity = sa.similarity(&sb);
    Ok((similarity >= NEAR_DUPLICATE && !sketch::tell_apart(&ta, &tb)).then_some(similarity))
}

fn store_sketch(tx: &Transaction, doc_id: i64, sketch: &Sketch) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO document_sketches (document_id, minhash) VALUES (?1, ?2)",
    )?
    .execute(params![doc_id, sketch.to_bytes()])?;
    let mut band = tx
        .prepare_cached("INSERT OR IGNORE INTO sketch_bands (band, document_id) VALUES (?1, ?2)")?;
    for key in sketch.band_keys() {
        band.execute(params![key, doc_id])?;
    }
    Ok(())
}

/// Sketch every stored document that has a text but no sketch (the step
/// of migration 3 that SQL cannot do).
pub(super) fn backfill_sketches(tx: &Transaction) -> Result<()> {
    let texts: Vec<(i64, String)> = tx
        .prepare(
            "SELECT t.document_id, t.text FROM document_texts t
             WHERE NOT EXISTS (SELECT 1 FROM document_sketches s WHERE s.document_id = t.document_id)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (doc_id, text) in texts {
        if let Some(sketch) = Sketch::of(&text) {
            store_sketch(tx, doc_id, &sketch)?;
        }
    }
    Ok(())
}

/// Bring the search index up to date for the incidents a batch `touched`
/// (those from `first_new` on were created by it): one statement each for
/// the deletions and the insertions, so that FTS5 writes once per batch.
pub(super) fn reindex_incidents(
    tx: &Transaction,
    touched: &BTreeSet<i64>,
    first_new: i64,
) -> Result<()> {
    if touched.is_empty() {
        return Ok(());
    }
    let ids = |ids: &mut dyn Iterator<Item = &i64>| serde_json::to_string(&ids.collect::<Vec<_>>());
    let old = ids(&mut touched.range(..first_new))?;
    tx.prepare_cached(
        "DELETE FROM incident_search WHERE rowid IN (SELECT value FROM json_each(?1))",
    )?
    .execute([old])?;
    tx.prepare_cached(&format!(
        "INSERT INTO incident_search (rowid, text)
         SELECT id, {} FROM incidents WHERE id IN (SELECT value FROM json_each(?1))",
        crate::schema::INCIDENT_SEARCH_TEXT
    ))?
    .execute([ids(&mut touched.iter())?])?;
    Ok(())
}
