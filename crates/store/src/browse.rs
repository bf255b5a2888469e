//! What the web view reads: a page of incidents, events per day, the map
//! (points, or cells when there are too many), one incident with the
//! evidence behind it, and every incident one at a time for exports.
//! Everything but the evidence is read from the summary columns, so that it
//! stays fast on a large store; analysts' corrections are applied on top.

use std::collections::HashMap;

use rusqlite::types::Value;
use serde::Serialize;
use warcoder_core::output::EventOut;

use crate::correction;
use crate::incident::{DocRef, Incident};
use crate::query::Filter;
use crate::store::{doc_ref, Result, Store, DOC_REF_COLUMNS};

/// Incidents `offset..offset + limit` of those matching, with the number matching.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub incidents: Vec<Incident>,
}

/// Incidents and deaths on one day (the first day an incident's date stands for).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Day {
    pub day: String,
    pub incidents: i64,
    pub fatalities: i64,
}

/// One incident on the map.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Point {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub event_type: String,
    pub fatalities: i64,
}

/// Many incidents in one grid cell, drawn at their mean position.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cell {
    pub lat: f64,
    pub lon: f64,
    pub incidents: i64,
    pub fatalities: i64,
    /// The most frequent event type in the cell.
    pub event_type: String,
}

/// The map: every located incident when they are few, else cells.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapView {
    /// Located incidents matching.
    pub total: i64,
    pub points: Vec<Point>,
    pub cells: Vec<Cell>,
    /// The cell size in degrees when aggregated.
    pub cell_degrees: Option<f64>,
}

/// One report of an incident: the article, its event and its text (None
/// for documents stored before texts were kept).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub document: DocRef,
    pub event: EventOut,
    pub text: Option<String>,
}

/// An incident with the evidence behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// With corrections applied (and listed).
    pub incident: Incident,
    /// As the machine coded it.
    pub machine: Incident,
    pub reports: Vec<Report>,
}

/// Countries and event types present, for the filter lists.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Facets {
    pub countries: Vec<(String, i64)>,
    pub event_types: Vec<(String, i64)>,
}

impl Store {
    /// The incidents matching `filter`, oldest first, `limit` from `offset`.
    pub fn incident_page(&self, filter: &Filter, offset: i64, limit: i64) -> Result<Page> {
        let (condition, mut values) = filter.to_sql();
        let total = self.conn.query_row(
            &format!("SELECT count(*) FROM incidents {condition}"),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        values.push(limit.into());
        values.push(offset.into());
        let sql = format!(
            "SELECT id, json FROM incidents {condition}
             ORDER BY day_first IS NULL, day_first, id LIMIT ? OFFSET ?"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows: Vec<(i64, String)> = st
            .query_map(rusqlite::params_from_iter(values), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut incidents = Vec::with_capacity(rows.len());
        for (id, json) in rows {
            let mut inc: Incident = serde_json::from_str(&json)?;
            correction::apply(&mut inc, self.corrections_of(id)?);
            incidents.push(inc);
        }
        Ok(Page {
            total,
            offset,
            limit,
            incidents,
        })
    }

    /// Incidents and deaths per day, for dated incidents matching `filter`.
    pub fn timeline(&self, filter: &Filter) -> Result<Vec<Day>> {
        let (condition, values) = filter.to_sql();
        let dated = if condition.is_empty() {
            "WHERE day_first IS NOT NULL".to_string()
        } else {
            format!("{condition} AND day_first IS NOT NULL")
        };
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT day_first, count(*), coalesce(sum(fatalities_best), 0)
             FROM incidents {dated} GROUP BY day_first ORDER BY day_first"
        ))?;
        let rows = st.query_map(rusqlite::params_from_iter(values), |r| {
            Ok(Day {
                day: r.get(0)?,
                incidents: r.get(1)?,
                fatalities: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The map of the incidents matching `filter`: points when at most
    /// `max_points` are located, else cells of `cell_degrees`.
    pub fn map(&self, filter: &Filter, max_points: i64, cell_degrees: f64) -> Result<MapView> {
        let (condition, values) = filter.to_sql();
        let located = if condition.is_empty() {
            "WHERE lat IS NOT NULL".to_string()
        } else {
            format!("{condition} AND lat IS NOT NULL")
        };
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM incidents {located}"),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        if total <= max_points {
            let points = self.points(&located, values)?;
            return Ok(MapView {
                total,
                points,
                cells: Vec::new(),
                cell_degrees: None,
            });
        }
        let cells = self.cells(&located, values, cell_degrees)?;
        Ok(MapView {
            total,
            points: Vec::new(),
            cells,
            cell_degrees: Some(cell_degrees),
        })
    }

    fn points(&self, located: &str, values: Vec<Value>) -> Result<Vec<Point>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT id, lat, lon, event_type, coalesce(fatalities_best, 0)
             FROM incidents {located} ORDER BY id"
        ))?;
        let mut points: Vec<Point> = st
            .query_map(rusqlite::params_from_iter(values), |r| {
                Ok(Point {
                    id: r.get(0)?,
                    lat: r.get(1)?,
                    lon: r.get(2)?,
                    event_type: r.get(3)?,
                    fatalities: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        // Corrected place, type or toll: draw what the analyst said.
        let corrections = self.all_corrections()?;
        for p in points
            .iter_mut()
            .filter(|p| corrections.contains_key(&p.id))
        {
            if let Some(inc) = self.corrected_incident(p.id)? {
                if let Some(l) = &inc.location {
                    (p.lat, p.lon) = (l.lat, l.lon);
                }
                p.event_type = inc.event_type;
                p.fatalities = inc.fatalities.map_or(0, |t| t.best as i64);
            }
        }
        Ok(points)
    }

    /// Cells of `size` degrees, summed here rather than by SQL's GROUP BY:
    /// one pass over the browse index is several times faster than sorting
    /// every row into groups.
    fn cells(&self, located: &str, values: Vec<Value>, size: f64) -> Result<Vec<Cell>> {
        let size = size.max(1e-3);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT lat, lon, event_type, coalesce(fatalities_best, 0) FROM incidents {located}"
        ))?;
        let mut types: Vec<String> = Vec::new();
        // Per cell: incidents, sum of lat, sum of lon, deaths, incidents by type.
        type Acc = (i64, f64, f64, i64, Vec<i64>);
        let mut acc: HashMap<(i64, i64), Acc> = HashMap::new();
        let mut rows = st.query(rusqlite::params_from_iter(values))?;
        while let Some(r) = rows.next()? {
            let (lat, lon): (f64, f64) = (r.get(0)?, r.get(1)?);
            let kind = r.get_ref(2)?.as_str().unwrap_or_default();
            let t = match types.iter().position(|t| t == kind) {
                Some(t) => t,
                None => {
                    types.push(kind.to_string());
                    types.len() - 1
                }
            };
            let key = ((lat / size).floor() as i64, (lon / size).floor() as i64);
            let a = acc.entry(key).or_default();
            a.0 += 1;
            a.1 += lat;
            a.2 += lon;
            a.3 += r.get::<_, i64>(3)?;
            if a.4.len() <= t {
                a.4.resize(t + 1, 0);
            }
            a.4[t] += 1;
        }
        let mut cells: Vec<Cell> = acc
            .into_values()
            .map(|(n, lat, lon, deaths, by_type)| Cell {
                lat: lat / n as f64,
                lon: lon / n as f64,
                incidents: n,
                fatalities: deaths,
                event_type: by_type
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.cmp(b.1).then(types[b.0].cmp(&types[a.0])))
                    .map(|(t, _)| types[t].clone())
                    .unwrap_or_default(),
            })
            .collect();
        cells.sort_by(|a, b| {
            b.incidents
                .cmp(&a.incidents)
                .then(a.lat.total_cmp(&b.lat))
                .then(a.lon.total_cmp(&b.lon))
        });
        Ok(cells)
    }

    /// Incident `id` with every report: the article, its event (whose spans
    /// point into the text) and the text when stored.
    pub fn evidence(&self, id: i64) -> Result<Option<Evidence>> {
        let Some(machine) = self.incident(id)? else {
            return Ok(None);
        };
        let mut incident = machine.clone();
        correction::apply(&mut incident, self.corrections_of(id)?);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT e.json, t.text, {DOC_REF_COLUMNS}
             FROM events e JOIN documents d ON d.id = e.document_id
             LEFT JOIN document_texts t ON t.document_id = d.id
             WHERE e.incident_id = ?1 ORDER BY e.id"
        ))?;
        let rows: Vec<(String, Option<String>, DocRef)> = st
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, doc_ref(r, 2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let reports = rows
            .into_iter()
            .map(|(json, text, document)| {
                Ok(Report {
                    document,
                    event: serde_json::from_str(&json)?,
                    text,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Some(Evidence {
            incident,
            machine,
            reports,
        }))
    }

    /// Call `each` with every incident matching `filter` in date order,
    /// corrections applied, reading one row at a time. Stops at the first
    /// error `each` returns.
    pub fn for_each_incident<E: From<crate::StoreError>>(
        &self,
        filter: &Filter,
        mut each: impl FnMut(Incident) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let corrections = self.all_corrections()?;
        let (condition, values) = filter.to_sql();
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT id, json FROM incidents {condition}
                 ORDER BY day_first IS NULL, day_first, id"
            ))
            .map_err(crate::StoreError::from)?;
        let mut rows = st
            .query(rusqlite::params_from_iter(values))
            .map_err(crate::StoreError::from)?;
        while let Some(r) = rows.next().map_err(crate::StoreError::from)? {
            let id: i64 = r.get(0).map_err(crate::StoreError::from)?;
            let json: String = r.get(1).map_err(crate::StoreError::from)?;
            let mut inc: Incident = serde_json::from_str(&json).map_err(crate::StoreError::from)?;
            if let Some(c) = corrections.get(&id) {
                correction::apply(&mut inc, c.clone());
            }
            each(inc)?;
        }
        Ok(())
    }

    /// Every country and event type with its number of incidents, most first.
    pub fn facets(&self) -> Result<Facets> {
        let counted = |sql: &str| -> Result<Vec<(String, i64)>> {
            let mut st = self.conn.prepare_cached(sql)?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Facets {
            countries: counted(
                "SELECT country, count(*) AS n FROM incidents WHERE country IS NOT NULL
                 GROUP BY country ORDER BY n DESC, country",
            )?,
            event_types: counted(
                "SELECT event_type, count(*) AS n FROM incidents
                 GROUP BY event_type ORDER BY n DESC, event_type",
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store written before schema 2 gains its tables and a search index
    /// of the incidents it already holds.
    #[test]
    fn a_schema_1_store_is_migrated_and_searchable() {
        let dir = std::env::temp_dir().join(format!("warcoder-schema1-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.db");
        let _ = std::fs::remove_file(&path);
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(crate::schema::MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            let inc = crate::export::tests::sample();
            conn.execute(
                "INSERT INTO incidents (id, event_type, location, actors, lat, lon, json)
                 VALUES (4, ?1, 'Dera Ismail Khan', '', 31.83, 70.9, ?2)",
                rusqlite::params![inc.event_type, serde_json::to_string(&inc).unwrap()],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let search = |words: &str| {
            let filter = Filter {
                text: Some(words.into()),
                ..Filter::default()
            };
            store.incident_page(&filter, 0, 10).unwrap().total
        };
        assert_eq!(search("ismail"), 1);
        assert_eq!(search("suicide bomber"), 1, "the notes are indexed");
        assert_eq!(search("Kabul"), 0);
        assert_eq!(
            store.map(&Filter::default(), 10, 1.0).unwrap().points.len(),
            1
        );
        let cells = store.map(&Filter::default(), 0, 1.0).unwrap();
        assert_eq!((cells.cells.len(), cells.cells[0].incidents), (1, 1));
        assert!(store.evidence(4).unwrap().unwrap().reports.is_empty());
    }
}
