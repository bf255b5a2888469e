//! The SQLite database: opening (WAL, migrations), inserting coded
//! documents in one transaction per batch, and the incident bookkeeping.
//!
//! Crash safety comes from SQLite: a batch is one transaction holding whole
//! documents with their events, estimates and incident updates, so a process
//! killed at any moment leaves the last committed batch and nothing half
//! written. `synchronous=NORMAL` in WAL mode keeps every commit across a
//! process crash; only a power cut can lose the last few.

mod insert;
mod merging;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use warcoder_core::output::Output;

use crate::incident::{DocRef, Incident};
use crate::schema::{MIGRATIONS, SKETCH_MIGRATION};

pub use insert::outlet;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no event store at {0}: run `warcoder ingest PATH --db {0}` first")]
    Missing(String),
    #[error(
        "directory {0} does not exist: create it, or name a file in an existing one with --db"
    )]
    NoDirectory(String),
    #[error("{path} is not a warcoder event store ({source}); name another file with --db")]
    NotAStore {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{path} was written by a newer warcoder (schema {found}; this one knows up to {known}): upgrade warcoder to read it")]
    TooNew {
        path: String,
        found: i64,
        known: usize,
    },
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a stored record does not parse ({0}); the database may be damaged")]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The columns of a `documents` row (aliased `d`) that [`doc_ref`] reads.
pub(crate) const DOC_REF_COLUMNS: &str =
    "d.sha256, d.source, d.url, d.outlet, d.title, d.published";

/// The article reference in [`DOC_REF_COLUMNS`], selected from column
/// `first` on: one reader for every query that names a document.
pub(crate) fn doc_ref(r: &rusqlite::Row, first: usize) -> rusqlite::Result<DocRef> {
    Ok(DocRef {
        sha256: r.get(first)?,
        source: r.get(first + 1)?,
        url: r.get(first + 2)?,
        outlet: r.get(first + 3)?,
        title: r.get(first + 4)?,
        published: r.get(first + 5)?,
    })
}

/// A coded document ready to store.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub output: Output,
    /// The publication date the input gave (JSONL `published`, WARC-Date).
    pub published: Option<String>,
    /// Size of the raw input.
    pub bytes: usize,
    /// Each event's evidence sentences, in `output.events` order.
    pub notes: Vec<String>,
    /// The text the output's spans point into (the evidence view shows it).
    pub text: String,
}

impl NewDocument {
    /// `text` is the text the output's spans point into.
    pub fn new(output: Output, text: &str, published: Option<String>, bytes: usize) -> Self {
        let notes = output
            .events
            .iter()
            .map(|e| {
                e.evidence
                    .iter()
                    .filter_map(|s| text.get(s[0]..s[1]))
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        NewDocument {
            output,
            published,
            bytes,
            notes,
            text: text.to_string(),
        }
    }
}

/// What one committed batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchReport {
    pub stored: usize,
    /// Documents already in the store (same content hash).
    pub duplicates: usize,
    pub events: usize,
    /// Events kept without an incident: background, or not coded by ACLED.
    pub flagged: usize,
    /// Of those, the background events (past attacks cited for context);
    /// the others are new events of acts ACLED does not code (talks).
    pub background: usize,
    pub incidents_created: usize,
    /// Events that joined an incident reported by another document.
    pub merged: usize,
}

impl std::ops::AddAssign for BatchReport {
    fn add_assign(&mut self, o: Self) {
        self.stored += o.stored;
        self.duplicates += o.duplicates;
        self.events += o.events;
        self.flagged += o.flagged;
        self.background += o.background;
        self.incidents_created += o.incidents_created;
        self.merged += o.merged;
    }
}

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Open the store at `path`, creating it (and migrating it) as needed.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(StoreError::NoDirectory(dir.display().to_string()));
            }
        }
        let conn = Connection::open(path)?;
        Self::setup(conn, path)
    }

    /// Open a store that must already exist (for queries).
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::Missing(path.display().to_string()));
        }
        Self::open(path)
    }

    fn setup(conn: Connection, path: &Path) -> Result<Store> {
        let not_a_store = |source| StoreError::NotAStore {
            path: path.display().to_string(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(not_a_store)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The merger re-reads incident members as reports arrive: keep the
        // working set in SQLite's page cache (64 MiB) rather than re-reading
        // it from the OS.
        conn.pragma_update(None, "cache_size", -65536)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Exclusive)?;
            // Another process may have migrated while this one waited.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now as usize > i {
                continue;
            }
            tx.execute_batch(sql)?;
            if i + 1 == SKETCH_MIGRATION {
                merging::backfill_sketches(&tx)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a document with this content hash is stored.
    pub fn contains(&self, sha256: &str) -> Result<bool> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE sha256 = ?1")?;
        Ok(st.exists([sha256])?)
    }

    /// How many stored documents are not among `known` (content hashes):
    /// what a command that replaces a store must not lose.
    pub fn documents_not_in(&self, known: &std::collections::HashSet<String>) -> Result<u64> {
        let mut st = self.conn.prepare("SELECT sha256 FROM documents")?;
        let mut rows = st.query([])?;
        let mut foreign = 0;
        while let Some(row) = rows.next()? {
            foreign += u64::from(!known.contains(&row.get::<_, String>(0)?));
        }
        Ok(foreign)
    }

    /// `PRAGMA integrity_check`: "ok" for a sound database.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Problems with the store's consistency, none for a sound one: SQLite's
    /// integrity and foreign-key checks, then the incident bookkeeping
    /// (every incident has reports and counts them right; every new event
    /// that ACLED codes belongs to an incident).
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let integrity = self.integrity_check()?;
        if integrity != "ok" {
            problems.push(format!("integrity_check: {integrity}"));
        }
        let dangling: i64 =
            self.conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
        if dangling > 0 {
            problems.push(format!("{dangling} rows point to missing rows"));
        }
        let checks = [
            (
                "incidents without reports",
                "SELECT count(*) FROM incidents i
                 WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.incident_id = i.id)",
            ),
            (
                "incidents whose document count is wrong",
                "SELECT count(*) FROM incidents i WHERE i.documents !=
                   (SELECT count(DISTINCT e.document_id) FROM events e WHERE e.incident_id = i.id)",
            ),
            (
                "new coded events without an incident",
                "SELECT count(*) FROM events
                 WHERE status = 'new' AND event_type IS NOT NULL AND incident_id IS NULL",
            ),
        ];
        for (what, sql) in checks {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            if n > 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        Ok(problems)
    }

    /// Store a batch of documents in one transaction: all of it or none.
    /// Documents already stored are skipped.
    pub fn insert(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut report = BatchReport::default();
        // Incidents are rebuilt once per batch, however many reports joined.
        let mut touched: BTreeSet<i64> = BTreeSet::new();
        let mut cache = merging::MemberCache::default();
        for doc in docs {
            match insert::document(&tx, doc)? {
                None => report.duplicates += 1,
                Some(doc_id) => {
                    report.stored += 1;
                    let similar = merging::sketch_document(&tx, doc_id, &doc.text)?;
                    for (event, notes) in doc.output.events.iter().zip(&doc.notes) {
                        touched.extend(insert::event(
                            &tx,
                            doc_id,
                            (event, notes),
                            &similar,
                            &mut cache,
                            &mut report,
                        )?);
                    }
                }
            }
        }
        for id in touched {
            merging::refresh_incident(&tx, id)?;
        }
        tx.commit()?;
        Ok(report)
    }

    /// One incident by id.
    pub fn incident(&self, id: i64) -> Result<Option<Incident>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM incidents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match json {
            Some(j) => Some(serde_json::from_str(&j)?),
            None => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_from_a_newer_warcoder_is_refused() {
        let dir = std::env::temp_dir().join(format!("warcoder-newer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("newer.db");
        let _ = std::fs::remove_file(&path);
        let store = Store::open(&path).unwrap();
        store
            .conn
            .pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        drop(store);
        let err = Store::open(&path).err().unwrap().to_string();
        assert!(err.contains("upgrade warcoder"), "{err}");
    }
}
