//! Counts and ranges of a store, for `warcoder stats`.

use serde::Serialize;

use crate::query::Dialect;
use crate::store::{Result, Store};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub documents: i64,
    /// Every stored event, background ones included.
    pub events: i64,
    pub incidents: i64,
    /// Incidents reported by more than one document.
    pub merged_incidents: i64,
    pub background_events: i64,
    /// New events of acts ACLED does not code (talks): stored, in no incident.
    pub not_acled_events: i64,
    /// Events whose date the text and the document leave unknown.
    pub undated_events: i64,
    /// Distinct outlets (URL hosts, or file paths).
    pub sources: i64,
    pub bytes_ingested: i64,
    pub date_range: Option<DateRange>,
    pub top_countries: Vec<Ranked>,
    pub top_event_types: Vec<Ranked>,
    pub top_sources: Vec<Ranked>,
    pub database_bytes: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DateRange {
    pub first: String,
    pub last: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Ranked {
    pub name: String,
    pub count: i64,
}

pub(crate) const TOP: i64 = 10;

impl Store {
    pub fn stats(&self) -> Result<Stats> {
        let one = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let ranked = |sql: &str| -> Result<Vec<Ranked>> {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([TOP], |r| {
                Ok(Ranked {
                    name: r.get(0)?,
                    count: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let date_range = self.conn.query_row(
            "SELECT min(day_first), max(day_last) FROM incidents",
            [],
            |r| Ok(DateRange::of(r.get(0)?, r.get(1)?)),
        )?;
        // The main file plus its write-ahead log: what the store takes on disk.
        let size = |p: std::path::PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let mut wal = self.path().as_os_str().to_owned();
        wal.push("-wal");
        let database_bytes = size(self.path().to_path_buf()) + size(wal.into());
        gather(Dialect::Sqlite, &one, &ranked, date_range, database_bytes)
    }
}

impl DateRange {
    /// The range from the first and last day, when there are any.
    pub(crate) fn of(first: Option<String>, last: Option<String>) -> Option<DateRange> {
        Some(DateRange {
            first: first?,
            last: last?,
        })
    }
}

/// The counts and rankings, read with `one` (a number) and `ranked` (the
/// [`TOP`] rows of a ranking, its limit the parameter `?1`), in the SQL of
/// `dialect`.
pub(crate) fn gather(
    dialect: Dialect,
    one: &dyn Fn(&str) -> Result<i64>,
    ranked: &dyn Fn(&str) -> Result<Vec<Ranked>>,
    date_range: Option<DateRange>,
    database_bytes: u64,
) -> Result<Stats> {
    let pg = dialect == Dialect::Postgres;
    Ok(Stats {
        documents: one("SELECT count(*) FROM documents")?,
        events: one("SELECT count(*) FROM events")?,
        incidents: one("SELECT count(*) FROM incidents")?,
        merged_incidents: one("SELECT count(*) FROM incidents WHERE documents > 1")?,
        background_events: one("SELECT count(*) FROM events WHERE status = 'background'")?,
        not_acled_events: one(
            "SELECT count(*) FROM events WHERE status = 'new' AND event_type IS NULL",
        )?,
        undated_events: one(if pg {
            "SELECT count(*) FROM events WHERE (json::jsonb)->>'date' IS NULL"
        } else {
            "SELECT count(*) FROM events WHERE json_extract(json, '$.date') IS NULL"
        })?,
        sources: one("SELECT count(DISTINCT outlet) FROM documents")?,
        // PostgreSQL sums a bigint column as numeric.
        bytes_ingested: one(if pg {
            "SELECT coalesce(sum(bytes), 0)::bigint FROM documents"
        } else {
            "SELECT coalesce(sum(bytes), 0) FROM documents"
        })?,
        date_range,
        top_countries: ranked(
            "SELECT country, count(*) AS n FROM incidents WHERE country IS NOT NULL
             GROUP BY country ORDER BY n DESC, country LIMIT ?1",
        )?,
        top_event_types: ranked(
            "SELECT event_type, count(*) AS n FROM incidents
             GROUP BY event_type ORDER BY n DESC, event_type LIMIT ?1",
        )?,
        top_sources: ranked(
            "SELECT outlet, count(*) AS n FROM documents
             GROUP BY outlet ORDER BY n DESC, outlet LIMIT ?1",
        )?,
        database_bytes,
    })
}
