//! PostgreSQL's statements of a write transaction (the flow is
//! `crate::store::write`'s, shared with SQLite), prepared once per
//! connection: the sync client has no statement cache, and an unprepared
//! statement costs a second round trip.

use postgres::{Client, Statement, Transaction};

use crate::incident::Member;
use crate::merge::Facts;
use crate::sketch::Sketch;
use std::collections::HashMap;

use crate::store::write::{
    Assignment, DocumentRow, EstimateRow, EventRow, FactColumns, IncidentRow, Window, WriteTx,
    FACT_COLUMNS,
};
use crate::store::{Result, DOC_REF_COLUMNS};

/// The prepared statements of [`PgTx`].
pub(super) struct Statements {
    /// Whether a content hash is stored (ingest's reader asks per document).
    pub(super) contains: Statement,
    document: Statement,
    event: Statement,
    join_incident: Statement,
    new_incident: Statement,
    near: Statement,
    of_document: Statement,
    facts: Statement,
    band: Statement,
    bands: Statement,
    minhashes: Statement,
    document_texts: Statement,
    sketch: Statement,
    members: Statement,
    update_incidents: Statement,
}

impl Statements {
    pub(super) fn prepare(client: &mut Client) -> Result<Statements> {
        let mut p = |sql: &str| client.prepare(sql);
        Ok(Statements {
            contains: p("SELECT 1 FROM documents WHERE sha256 = $1")?,
            // The document and its text in one round trip.
            document: p("WITH d AS (
                     INSERT INTO documents (sha256, input_id, source, url, outlet, title,
                         published, reference_date, bytes, ingested_at, warnings, aggregates)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     ON CONFLICT (sha256) DO NOTHING RETURNING id),
                 t AS (INSERT INTO document_texts (document_id, text) SELECT id, $13 FROM d)
                 SELECT id FROM d")?,
            // The event and its estimates (as arrays, inserted in their
            // order) in one round trip.
            event: p("WITH e AS (
                     INSERT INTO events (document_id, key, status, event_type, country, admin1,
                         admin2, lat, lon, geo_precision, perpetrators, merge_from, merge_to,
                         notes, json, place, geonames_id, killed_low, killed_high)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                         $16, $17, $18, $19)
                     RETURNING id),
                 x AS (
                     INSERT INTO estimates (event_id, kind, count, count_high, qualifier, vague,
                         source, superseded)
                     SELECT e.id, u.kind, u.count, u.count_high, u.qualifier, u.vague, u.source,
                         u.superseded
                     FROM e, unnest($20::text[], $21::bigint[], $22::bigint[], $23::text[],
                         $24::boolean[], $25::text[], $26::boolean[])
                         WITH ORDINALITY AS u(kind, count, count_high, qualifier, vague, source,
                             superseded, n)
                     ORDER BY u.n)
                 SELECT id FROM e")?,
            join_incident: p(
                "UPDATE events SET incident_id = $1, merge_reason = $2 WHERE id = $3",
            )?,
            // A new incident and the event put into it in one round trip.
            new_incident: p(
                "WITH i AS (INSERT INTO incidents (event_type) VALUES ($1) RETURNING id)
                 UPDATE events SET incident_id = i.id FROM i WHERE events.id = $2
                 RETURNING i.id",
            )?,
            near: p("SELECT DISTINCT incident_id FROM events
                 WHERE incident_id IS NOT NULL AND merge_from IS NOT NULL
                   AND event_type = $1 AND country = $2
                   AND merge_from BETWEEN $3 AND $4 AND merge_to >= $5")?,
            of_document: p("SELECT DISTINCT incident_id FROM events
                 WHERE document_id = $1 AND event_type = $2 AND incident_id IS NOT NULL")?,
            facts: p(&format!(
                "SELECT {FACT_COLUMNS} FROM events WHERE incident_id = $1 ORDER BY id"
            ))?,
            band: p("SELECT document_id FROM sketch_bands WHERE band = $1 LIMIT $2")?,
            bands: p("SELECT b.i, s.document_id
                 FROM unnest($1::bigint[]) WITH ORDINALITY AS b(band, i)
                 CROSS JOIN LATERAL (SELECT document_id FROM sketch_bands
                                     WHERE band = b.band ORDER BY document_id LIMIT $2) s")?,
            minhashes: p("SELECT document_id, minhash FROM document_sketches
                 WHERE document_id = ANY($1)")?,
            document_texts: p("SELECT document_id, text FROM document_texts
                 WHERE document_id = ANY($1)")?,
            // The sketch and its band keys in one round trip.
            sketch: p("WITH s AS (
                     INSERT INTO document_sketches (document_id, minhash) VALUES ($1, $2)
                     ON CONFLICT (document_id) DO UPDATE SET minhash = excluded.minhash)
                 INSERT INTO sketch_bands (band, document_id)
                 SELECT unnest($3::bigint[]), $1 ON CONFLICT DO NOTHING")?,
            // Every incident's members at once, by incident, in order.
            members: p(&format!(
                "SELECT e.incident_id, e.json, e.notes, {DOC_REF_COLUMNS}
                 FROM events e JOIN documents d ON d.id = e.document_id
                 WHERE e.incident_id = ANY($1) ORDER BY e.incident_id, e.id"
            ))?,
            // Every incident of a batch in one statement, a column per array.
            update_incidents: p(
                "UPDATE incidents i SET date = u.date, date_precision = u.date_precision,
                     day_first = u.day_first, day_last = u.day_last, event_type = u.event_type,
                     sub_event_type = u.sub_event_type, country = u.country, admin1 = u.admin1,
                     admin2 = u.admin2, location = u.location, lat = u.lat, lon = u.lon,
                     geo_precision = u.geo_precision, actors = u.actors,
                     fatalities_low = u.fatalities_low, fatalities_best = u.fatalities_best,
                     fatalities_high = u.fatalities_high, injured_low = u.injured_low,
                     injured_best = u.injured_best, injured_high = u.injured_high,
                     documents = u.documents, json = u.json
                 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                     $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                     $12::double precision[], $13::double precision[], $14::bigint[], $15::text[],
                     $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[], $20::bigint[],
                     $21::bigint[], $22::bigint[], $23::text[])
                     AS u(id, date, date_precision, day_first, day_last, event_type,
                         sub_event_type, country, admin1, admin2, location, lat, lon,
                         geo_precision, actors, fatalities_low, fatalities_best, fatalities_high,
                         injured_low, injured_best, injured_high, documents, json)
                 WHERE i.id = u.id",
            )?,
        })
    }
}

/// A write transaction with its connection's statements.
pub(super) struct PgTx<'a, 'c> {
    pub tx: &'a mut Transaction<'c>,
    pub st: &'a Statements,
}

impl PgTx<'_, '_> {
    fn ids(
        &mut self,
        st: &Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<i64>> {
        Ok(self
            .tx
            .query(st, params)?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    /// The value `st` (selecting document id, value for the ids `= ANY($1)`)
    /// gives each of `docs`, in their order; None for a document it skips.
    fn by_document<T>(&mut self, st: &Statement, docs: &[i64]) -> Result<Vec<Option<T>>>
    where
        T: for<'r> postgres::types::FromSql<'r>,
    {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let mut found: HashMap<i64, T> = HashMap::new();
        for r in self.tx.query(st, &[&docs])? {
            found.insert(r.try_get(0)?, r.try_get(1)?);
        }
        Ok(docs.iter().map(|d| found.remove(d)).collect())
    }
}

impl WriteTx for PgTx<'_, '_> {
    fn insert_document(&mut self, r: &DocumentRow) -> Result<Option<i64>> {
        Ok(self
            .tx
            .query_opt(
                &self.st.document,
                &[
                    &r.sha256,
                    &r.input_id,
                    &r.source,
                    &r.url,
                    &r.outlet,
                    &r.title,
                    &r.published,
                    &r.reference_date,
                    &r.bytes,
                    &r.ingested_at,
                    &r.warnings,
                    &r.aggregates,
                    &r.text,
                ],
            )?
            .map(|row| row.get(0)))
    }

    fn insert_event(&mut self, r: &EventRow, estimates: &[EstimateRow]) -> Result<i64> {
        let row = self.tx.query_one(
            &self.st.event,
            &[
                &r.document,
                &r.key,
                &r.status,
                &r.event_type,
                &r.country,
                &r.admin1,
                &r.admin2,
                &r.lat,
                &r.lon,
                &r.geo_precision,
                &r.perpetrators,
                &r.merge_from,
                &r.merge_to,
                &r.notes,
                &r.json,
                &r.place,
                &r.geonames_id,
                &r.killed_low,
                &r.killed_high,
                &column(estimates, |e| e.kind),
                &column(estimates, |e| e.count),
                &column(estimates, |e| e.count_high),
                &column(estimates, |e| e.qualifier),
                &column(estimates, |e| e.vague),
                &column(estimates, |e| e.source),
                &column(estimates, |e| e.superseded),
            ],
        )?;
        Ok(row.get(0))
    }

    fn assign_incident(&mut self, event: i64, to: Assignment) -> Result<i64> {
        match to {
            Assignment::Join { incident, reason } => {
                self.tx
                    .execute(&self.st.join_incident, &[&incident, &reason, &event])?;
                Ok(incident)
            }
            Assignment::New { event_type } => Ok(self
                .tx
                .query_one(&self.st.new_incident, &[&event_type, &event])?
                .get(0)),
        }
    }

    fn incidents_near(&mut self, w: &Window) -> Result<Vec<i64>> {
        let st = self.st;
        self.ids(
            &st.near,
            &[&w.event_type, &w.country, &w.from, &w.to, &w.reach],
        )
    }

    fn incidents_of_document(&mut self, doc: i64, event_type: &str) -> Result<Vec<i64>> {
        let st = self.st;
        self.ids(&st.of_document, &[&doc, &event_type])
    }

    fn member_facts(&mut self, incident: i64) -> Result<Vec<Facts>> {
        self.tx
            .query(&self.st.facts, &[&incident])?
            .iter()
            .map(|r| {
                FactColumns {
                    event: r.try_get(0)?,
                    document: r.try_get(1)?,
                    event_type: r.try_get(2)?,
                    country: r.try_get(3)?,
                    admin1: r.try_get(4)?,
                    admin2: r.try_get(5)?,
                    lat: r.try_get(6)?,
                    lon: r.try_get(7)?,
                    geo_precision: r.try_get(8)?,
                    perpetrators: r.try_get(9)?,
                    merge_from: r.try_get(10)?,
                    merge_to: r.try_get(11)?,
                    place: r.try_get(12)?,
                    geonames_id: r.try_get(13)?,
                    killed_low: r.try_get(14)?,
                    killed_high: r.try_get(15)?,
                }
                .facts()
            })
            .collect()
    }

    fn band_documents(&mut self, band: i64, limit: usize) -> Result<Vec<i64>> {
        let st = self.st;
        self.ids(&st.band, &[&band, &(limit as i64)])
    }

    /// One round trip for all bands (16 statements cost 16 round trips).
    fn bands_documents(&mut self, bands: &[i64], limit: usize) -> Result<Vec<Vec<i64>>> {
        let rows = self
            .tx
            .query(&self.st.bands, &[&bands.to_vec(), &(limit as i64)])?;
        let mut out = vec![Vec::new(); bands.len()];
        for r in rows {
            let i: i64 = r.try_get(0)?;
            out[i as usize - 1].push(r.try_get(1)?);
        }
        Ok(out)
    }

    fn minhash(&mut self, doc: i64) -> Result<Option<Vec<u8>>> {
        Ok(self.minhashes(&[doc])?.pop().flatten())
    }

    /// One round trip for all the documents.
    fn minhashes(&mut self, docs: &[i64]) -> Result<Vec<Option<Vec<u8>>>> {
        let st = self.st;
        self.by_document(&st.minhashes, docs)
    }

    fn document_text(&mut self, doc: i64) -> Result<Option<String>> {
        Ok(self.document_texts(&[doc])?.pop().flatten())
    }

    /// One round trip for all the documents.
    fn document_texts(&mut self, docs: &[i64]) -> Result<Vec<Option<String>>> {
        let st = self.st;
        self.by_document(&st.document_texts, docs)
    }

    fn store_sketch(&mut self, doc: i64, sketch: &Sketch) -> Result<()> {
        let keys = sketch.band_keys().to_vec();
        self.tx
            .execute(&self.st.sketch, &[&doc, &sketch.to_bytes(), &keys])?;
        Ok(())
    }

    fn members(&mut self, incident: i64) -> Result<Vec<Member>> {
        Ok(self.members_of(&[incident])?.pop().unwrap_or_default())
    }

    fn members_of(&mut self, incidents: &[i64]) -> Result<Vec<Vec<Member>>> {
        let rows = self.tx.query(&self.st.members, &[&incidents])?;
        let slot: HashMap<i64, usize> = incidents
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i))
            .collect();
        let mut out: Vec<Vec<Member>> = vec![Vec::new(); incidents.len()];
        for r in rows {
            let incident: i64 = r.try_get(0)?;
            out[slot[&incident]].push(Member {
                event: serde_json::from_str(r.try_get(1)?)?,
                notes: r.try_get(2)?,
                doc: super::doc_ref(&r, 3)?,
            });
        }
        Ok(out)
    }

    fn update_incident(&mut self, row: &IncidentRow) -> Result<()> {
        self.update_incidents(std::slice::from_ref(row))
    }

    fn update_incidents(&mut self, rows: &[IncidentRow]) -> Result<()> {
        let text = |f: fn(&IncidentRow) -> &Option<String>| column(rows, |r| f(r).as_deref());
        let tally = |f: fn(&IncidentRow) -> Option<i64>| column(rows, f);
        self.tx.execute(
            &self.st.update_incidents,
            &[
                &column(rows, |r| r.id),
                &text(|r| &r.date),
                &text(|r| &r.date_precision),
                &text(|r| &r.day_first),
                &text(|r| &r.day_last),
                &column(rows, |r| r.event_type.as_str()),
                &text(|r| &r.sub_event_type),
                &text(|r| &r.country),
                &text(|r| &r.admin1),
                &text(|r| &r.admin2),
                &text(|r| &r.location),
                &column(rows, |r| r.lat),
                &column(rows, |r| r.lon),
                &column(rows, |r| r.geo_precision),
                &column(rows, |r| r.actors.as_str()),
                &tally(|r| r.fatalities[0]),
                &tally(|r| r.fatalities[1]),
                &tally(|r| r.fatalities[2]),
                &tally(|r| r.injured[0]),
                &tally(|r| r.injured[1]),
                &tally(|r| r.injured[2]),
                &column(rows, |r| r.documents),
                &column(rows, |r| r.json.as_str()),
            ],
        )?;
        Ok(())
    }
}

/// One field of every row: a column, bound as an array.
fn column<'r, R, T>(rows: &'r [R], f: impl Fn(&'r R) -> T) -> Vec<T> {
    rows.iter().map(f).collect()
}
