//! PostgreSQL's statements of a write transaction (the flow is
//! `crate::store::write`'s, shared with SQLite), prepared once per
//! connection: the sync client has no statement cache, and an unprepared
//! statement costs a second round trip.

use postgres::{Client, Statement, Transaction};

use crate::incident::Member;
use crate::merge::Facts;
use crate::sketch::Sketch;
use crate::store::write::{
    DocumentRow, EstimateRow, EventRow, FactColumns, IncidentRow, Window, WriteTx, FACT_COLUMNS,
};
use crate::store::{Result, DOC_REF_COLUMNS};

/// The prepared statements of [`PgTx`].
pub(super) struct Statements {
    document: Statement,
    text: Statement,
    event: Statement,
    estimate: Statement,
    merge_reason: Statement,
    create_incident: Statement,
    set_incident: Statement,
    near: Statement,
    of_document: Statement,
    facts: Statement,
    band: Statement,
    bands: Statement,
    minhash: Statement,
    document_text: Statement,
    sketch: Statement,
    sketch_band: Statement,
    members: Statement,
    update_incident: Statement,
}

impl Statements {
    pub(super) fn prepare(client: &mut Client) -> Result<Statements> {
        let mut p = |sql: &str| client.prepare(sql);
        Ok(Statements {
            document: p(
                "INSERT INTO documents (sha256, input_id, source, url, outlet, title, published,
                     reference_date, bytes, ingested_at, warnings, aggregates)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (sha256) DO NOTHING RETURNING id",
            )?,
            text: p("INSERT INTO document_texts (document_id, text) VALUES ($1, $2)")?,
            event: p(
                "INSERT INTO events (document_id, key, status, event_type, country, admin1, admin2,
                     lat, lon, geo_precision, perpetrators, merge_from, merge_to, notes, json,
                     place, geonames_id, killed_low, killed_high)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                     $17, $18, $19)
                 RETURNING id",
            )?,
            estimate: p(
                "INSERT INTO estimates (event_id, kind, count, count_high, qualifier, vague,
                     source, superseded)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )?,
            merge_reason: p("UPDATE events SET merge_reason = $1 WHERE id = $2")?,
            create_incident: p("INSERT INTO incidents (event_type) VALUES ($1) RETURNING id")?,
            set_incident: p("UPDATE events SET incident_id = $1 WHERE id = $2")?,
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
                                     WHERE band = b.band LIMIT $2) s")?,
            minhash: p("SELECT minhash FROM document_sketches WHERE document_id = $1")?,
            document_text: p("SELECT text FROM document_texts WHERE document_id = $1")?,
            sketch: p(
                "INSERT INTO document_sketches (document_id, minhash) VALUES ($1, $2)
                 ON CONFLICT (document_id) DO UPDATE SET minhash = excluded.minhash",
            )?,
            sketch_band: p("INSERT INTO sketch_bands (band, document_id)
                 SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING")?,
            members: p(&format!(
                "SELECT e.json, e.notes, {DOC_REF_COLUMNS}
                 FROM events e JOIN documents d ON d.id = e.document_id
                 WHERE e.incident_id = $1 ORDER BY e.id"
            ))?,
            update_incident: p(
                "UPDATE incidents SET date = $2, date_precision = $3, day_first = $4,
                     day_last = $5, event_type = $6, sub_event_type = $7, country = $8,
                     admin1 = $9, admin2 = $10, location = $11, lat = $12, lon = $13,
                     geo_precision = $14, actors = $15, fatalities_low = $16,
                     fatalities_best = $17, fatalities_high = $18, injured_low = $19,
                     injured_best = $20, injured_high = $21, documents = $22, json = $23
                 WHERE id = $1",
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
}

impl WriteTx for PgTx<'_, '_> {
    fn insert_document(&mut self, r: &DocumentRow) -> Result<Option<i64>> {
        let Some(row) = self.tx.query_opt(
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
            ],
        )?
        else {
            return Ok(None);
        };
        let id: i64 = row.get(0);
        self.tx.execute(&self.st.text, &[&id, &r.text])?;
        Ok(Some(id))
    }

    fn insert_event(&mut self, r: &EventRow) -> Result<i64> {
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
            ],
        )?;
        Ok(row.get(0))
    }

    fn insert_estimate(&mut self, r: &EstimateRow) -> Result<()> {
        self.tx.execute(
            &self.st.estimate,
            &[
                &r.event,
                &r.kind,
                &r.count,
                &r.count_high,
                &r.qualifier,
                &r.vague,
                &r.source,
                &r.superseded,
            ],
        )?;
        Ok(())
    }

    fn set_merge_reason(&mut self, event: i64, reason: &str) -> Result<()> {
        self.tx.execute(&self.st.merge_reason, &[&reason, &event])?;
        Ok(())
    }

    fn create_incident(&mut self, event_type: &str) -> Result<i64> {
        Ok(self
            .tx
            .query_one(&self.st.create_incident, &[&event_type])?
            .get(0))
    }

    fn set_incident(&mut self, event: i64, incident: i64) -> Result<()> {
        self.tx
            .execute(&self.st.set_incident, &[&incident, &event])?;
        Ok(())
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
        Ok(self
            .tx
            .query_opt(&self.st.minhash, &[&doc])?
            .map(|r| r.get(0)))
    }

    fn document_text(&mut self, doc: i64) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_opt(&self.st.document_text, &[&doc])?
            .map(|r| r.get(0)))
    }

    fn store_sketch(&mut self, doc: i64, sketch: &Sketch) -> Result<()> {
        self.tx
            .execute(&self.st.sketch, &[&doc, &sketch.to_bytes()])?;
        let keys = sketch.band_keys().to_vec();
        self.tx.execute(&self.st.sketch_band, &[&keys, &doc])?;
        Ok(())
    }

    fn members(&mut self, incident: i64) -> Result<Vec<Member>> {
        self.tx
            .query(&self.st.members, &[&incident])?
            .iter()
            .map(|r| {
                Ok(Member {
                    event: serde_json::from_str(r.try_get(0)?)?,
                    notes: r.try_get(1)?,
                    doc: super::doc_ref(r, 2)?,
                })
            })
            .collect()
    }

    fn update_incident(&mut self, r: &IncidentRow) -> Result<()> {
        let [f_low, f_best, f_high] = &r.fatalities;
        let [i_low, i_best, i_high] = &r.injured;
        self.tx.execute(
            &self.st.update_incident,
            &[
                &r.id,
                &r.date,
                &r.date_precision,
                &r.day_first,
                &r.day_last,
                &r.event_type,
                &r.sub_event_type,
                &r.country,
                &r.admin1,
                &r.admin2,
                &r.location,
                &r.lat,
                &r.lon,
                &r.geo_precision,
                &r.actors,
                f_low,
                f_best,
                f_high,
                i_low,
                i_best,
                i_high,
                &r.documents,
                &r.json,
            ],
        )?;
        Ok(())
    }
}
