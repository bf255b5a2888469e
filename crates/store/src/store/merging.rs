//! The incident bookkeeping behind the merger: the candidate incidents an
//! event might join (with their members' facts read from columns, never
//! from JSON, and cached for the batch), the documents' near-duplicate
//! sketches, and rebuilding an incident's record and summary columns.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{doc_ref, Result, DOC_REF_COLUMNS};
use crate::incident::{self, Member};
use crate::merge::{self, Facts};
use crate::sketch::{self, Sketch, NEAR_DUPLICATE};

/// Members' facts of the incidents one batch has looked at: an incident
/// that takes several reports in a batch is read once.
#[derive(Default)]
pub(super) struct MemberCache {
    members: HashMap<i64, Vec<Facts>>,
}

impl MemberCache {
    /// Record that `facts` is now a member of incident `id` (an incident
    /// not read yet will be read with it).
    pub(super) fn joined(&mut self, id: i64, facts: Facts) {
        if let Some(members) = self.members.get_mut(&id) {
            members.push(facts);
        }
    }
}

/// Incidents the event might join, each with the facts of all its members:
/// those with a member of the same type and country whose days overlap
/// (the query is bounded on both sides, so its cost does not grow with the
/// store), and those holding a near-duplicate document's event.
pub(super) fn candidates(
    tx: &Transaction,
    facts: &Facts,
    similar: &HashMap<i64, f64>,
    cache: &mut MemberCache,
) -> Result<Vec<(i64, Vec<Facts>)>> {
    let Some(kind) = &facts.event_type else {
        return Ok(Vec::new());
    };
    let mut ids: BTreeSet<i64> = BTreeSet::new();
    if let (Some((first, last)), Some(place)) = (facts.days, &facts.place) {
        let shift = |d: jiff::civil::Date, by: i64| {
            d.checked_add(jiff::Span::new().days(by))
                .unwrap_or(d)
                .to_string()
        };
        let mut st = tx.prepare_cached(
            "SELECT DISTINCT incident_id FROM events
             WHERE incident_id IS NOT NULL AND merge_from IS NOT NULL
               AND event_type = ?1 AND country = ?2
               AND merge_from BETWEEN ?3 AND ?4 AND merge_to >= ?5",
        )?;
        let rows = st.query_map(
            params![
                kind,
                place.country,
                shift(first, -merge::MAX_SPAN_DAYS),
                shift(last, 1),
                shift(first, -1)
            ],
            |r| r.get(0),
        )?;
        for id in rows {
            ids.insert(id?);
        }
    }
    let mut st = tx.prepare_cached(
        "SELECT DISTINCT incident_id FROM events
         WHERE document_id = ?1 AND event_type = ?2 AND incident_id IS NOT NULL",
    )?;
    for doc in similar.keys() {
        for id in st.query_map(params![doc, kind], |r| r.get(0))? {
            ids.insert(id?);
        }
    }
    ids.into_iter()
        .map(|id| {
            let facts = match cache.members.entry(id) {
                std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(members(tx, id)?).clone(),
            };
            Ok((id, facts))
        })
        .collect()
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
        "SELECT id, document_id, event_type, country, admin1, admin2, lat, lon, geo_precision,
                perpetrators, merge_from, merge_to, place, geonames_id, killed_low, killed_high
         FROM events WHERE {filter} ORDER BY id"
    ))?;
    let rows: Vec<(Facts, String)> = st
        .query_map([id], |r| {
            let days = match (
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ) {
                (Some(a), Some(b)) => a.parse().ok().zip(b.parse().ok()),
                _ => None,
            };
            let place = match r.get::<_, Option<String>>(3)? {
                Some(country) => Some(merge::Place {
                    name: r.get(12)?,
                    geonames_id: r.get(13)?,
                    country,
                    admin1: r.get(4)?,
                    admin2: r.get(5)?,
                    lat: r.get(6)?,
                    lon: r.get(7)?,
                    precision: r.get(8)?,
                }),
                None => None,
            };
            let killed = r.get::<_, Option<i64>>(14)?.map(|low| merge::Toll {
                low: low as u64,
                high: r.get::<_, Option<i64>>(15).ok().flatten().map(|h| h as u64),
            });
            let facts = Facts {
                event: r.get(0)?,
                document: r.get(1)?,
                event_type: r.get(2)?,
                days,
                place,
                perpetrators: Default::default(),
                killed,
            };
            Ok((facts, r.get(9)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(mut f, perpetrators)| {
            f.perpetrators = serde_json::from_str(&perpetrators)?;
            Ok(f)
        })
        .collect()
}

/// More documents than this sharing one band: the band says nothing.
const CROWDED_BAND: usize = 32;

/// Store document `doc_id`'s sketch of `text`; returns the stored
/// documents it nearly duplicates, with their similarity.
pub(super) fn sketch_document(
    tx: &Transaction,
    doc_id: i64,
    text: &str,
) -> Result<HashMap<i64, f64>> {
    let Some(sketch) = Sketch::of(text) else {
        return Ok(HashMap::new());
    };
    let keys = sketch.band_keys();
    let mut sharing: BTreeSet<i64> = BTreeSet::new();
    // The limit is written into the statement, not bound: SQLite
    // re-prepares a statement whose LIMIT is a bound parameter at every
    // new value binding (7 % of the writer's time, measured with perf).
    let mut st = tx.prepare_cached(&format!(
        "SELECT document_id FROM sketch_bands WHERE band = ?1 LIMIT {}",
        CROWDED_BAND + 1
    ))?;
    for key in keys {
        let docs: Vec<i64> = st
            .query_map([key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // A band that many documents share is boilerplate or a template
        // ("On 9 November 2023, members of ..."), not the mark of a copy;
        // reading every sharer would grow with the store.
        if docs.len() <= CROWDED_BAND {
            sharing.extend(docs);
        }
    }
    let mut similar = HashMap::new();
    let mut read =
        tx.prepare_cached("SELECT minhash FROM document_sketches WHERE document_id = ?1")?;
    let mut other_text =
        tx.prepare_cached("SELECT text FROM document_texts WHERE document_id = ?1")?;
    for doc in sharing {
        let bytes: Option<Vec<u8>> = read.query_row([doc], |r| r.get(0)).optional()?;
        let similarity = bytes
            .as_deref()
            .and_then(Sketch::from_bytes)
            .map_or(0.0, |other| sketch.similarity(&other));
        if similarity < NEAR_DUPLICATE {
            continue;
        }
        let other: Option<String> = other_text.query_row([doc], |r| r.get(0)).optional()?;
        if other.is_some_and(|o| !sketch::tell_apart(text, &o)) {
            similar.insert(doc, similarity);
        }
    }
    store_sketch(tx, doc_id, &sketch)?;
    Ok(similar)
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

/// Rebuild an incident from its members and store it with its summary columns.
pub(super) fn refresh_incident(tx: &Transaction, id: i64) -> Result<()> {
    let members: Vec<Member> = tx
        .prepare_cached(&format!(
            "SELECT e.json, e.notes, {DOC_REF_COLUMNS}
             FROM events e JOIN documents d ON d.id = e.document_id
             WHERE e.incident_id = ?1 ORDER BY e.id"
        ))?
        .query_map([id], |r| {
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
        .collect::<Result<_>>()?;
    let inc = incident::build(id, &members);
    let period = inc
        .date
        .as_deref()
        .and_then(|d| merge::period(d, inc.date_precision.as_deref()));
    let loc = inc.location.as_ref();
    let count = |c: &Option<incident::Tally>, pick: fn(&incident::Tally) -> u64| {
        c.as_ref().map(|t| pick(t) as i64)
    };
    let actors = inc
        .actors
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    tx.prepare_cached(
        "UPDATE incidents SET date = ?2, date_precision = ?3, day_first = ?4, day_last = ?5,
             event_type = ?6, sub_event_type = ?7, country = ?8, admin1 = ?9, admin2 = ?10,
             location = ?11, lat = ?12, lon = ?13, geo_precision = ?14, actors = ?15,
             fatalities_low = ?16, fatalities_best = ?17, fatalities_high = ?18,
             injured_low = ?19, injured_best = ?20, injured_high = ?21, documents = ?22, json = ?23
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        inc.date,
        inc.date_precision,
        period.map(|p| p.0.to_string()),
        period.map(|p| p.1.to_string()),
        inc.event_type,
        inc.sub_event_type,
        loc.map(|l| &l.country),
        loc.and_then(|l| l.admin1.as_ref()),
        loc.and_then(|l| l.admin2.as_ref()),
        loc.map(|l| &l.name),
        loc.map(|l| l.lat),
        loc.map(|l| l.lon),
        loc.map(|l| l.precision),
        actors,
        count(&inc.fatalities, |t| t.low),
        count(&inc.fatalities, |t| t.best),
        count(&inc.fatalities, |t| t.high),
        count(&inc.injured, |t| t.low),
        count(&inc.injured, |t| t.best),
        count(&inc.injured, |t| t.high),
        inc.sources.len() as i64,
        serde_json::to_string(&inc)?,
    ])?;
    Ok(())
}
