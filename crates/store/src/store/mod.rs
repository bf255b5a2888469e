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
pub(crate) mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use warcoder_core::output::Output;

use crate::incident::{DocRef, Incident};
use crate::schema::{MIGRATIONS, SKETCH_MIGRATION};

pub use insert::outlet;

/// Whether SQLite refused because the file or its folder cannot be written.
fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
}

fn read_only_or(e: rusqlite::Error, path: &Path) -> StoreError {
    if is_read_only(&e) && path.is_file() {
        StoreError::ReadOnly(path.display().to_string())
    } else {
        StoreError::Sqlite(e)
    }
}

/// `file:` URI opening `path` immutable and read-only; bytes outside the
/// URI's unreserved set are percent-encoded.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

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
    #[error("{0} is read-only: queries work, but storing needs write access to it and its folder; copy it somewhere writable")]
    ReadOnly(String),
    #[error("{path} was written by an older warcoder (schema {found}) and is read-only here: open it once with write access (e.g. `warcoder stats --db {path}`) to upgrade it")]
    NeedsUpgrade { path: String, found: i64 },
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("--db: not a PostgreSQL URL ({reason}); expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")]
    BadUrl { reason: String },
    #[error("cannot reach PostgreSQL at {at} ({reason}): is the server running and listening on TCP there? Start it, or give the right host and port in --db")]
    Unreachable { at: String, reason: String },
    #[error("PostgreSQL at {location} refused the connection: {reason}; check the user, password and database in --db")]
    Refused { location: String, reason: String },
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
        let conn = Connection::open(path).map_err(|e| read_only_or(e, path))?;
        Self::setup(conn, path).map_err(|e| match e {
            StoreError::Sqlite(e) | StoreError::NotAStore { source: e, .. } if is_read_only(&e) => {
                StoreError::ReadOnly(path.display().to_string())
            }
            e => e,
        })
    }

    /// Open a store that must already exist, for queries. The connection is
    /// read-only (SQLite `mode=ro`), so a store on read-only media or owned
    /// by someone else can be queried; nothing is ever written through it.
    /// A store from an older warcoder is first upgraded, which needs write
    /// access once.
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::Missing(path.display().to_string()));
        }
        let store = Self::open_read_only(path)?;
        let found = store.schema_version()?;
        if found as usize > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: path.display().to_string(),
                found,
                known: MIGRATIONS.len(),
            });
        }
        if (found as usize) < MIGRATIONS.len() {
            drop(store);
            Self::open(path).map_err(|e| match e {
                StoreError::ReadOnly(path) => StoreError::NeedsUpgrade { path, found },
                e => e,
            })?;
            return Self::open_read_only(path);
        }
        Ok(store)
    }

    fn open_read_only(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let not_a_store = |source| StoreError::NotAStore {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let conn = match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
            Ok(()) => conn,
            // A WAL store in a folder this process cannot write: SQLite
            // cannot make the shared-memory file readers need, so read the
            // file as immutable (no writer can be running there either).
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => {
                let conn = Connection::open_with_flags(immutable_uri(path), flags)?;
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                    .map_err(not_a_store)?;
                conn
            }
            Err(e) => return Err(not_a_store(e)),
        };
        conn.pragma_update(None, "cache_size", -65536)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
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
        let version = self.schema_version()?;
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

    /// Checkpoint the write-ahead log every `pages` pages (SQLite's default
    /// is 1,000): a bulk load raises it, because each checkpoint copies
    /// every page the batches since the last one dirtied, and the index
    /// pages a large store dirties are many and mostly the same ones again
    /// (measured with perf: checkpoints grew from 1 % to 9 % of the
    /// writer's time over 30,000 documents at the default).
    pub fn checkpoint_every(&self, pages: u32) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", pages)?;
        Ok(())
    }

    /// Copy the write-ahead log into the database now, as far as readers
    /// allow (SQLite's PASSIVE checkpoint).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
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
        let mut tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Incidents from this id on are created by this batch.
        let first_new: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM incidents", [], |r| {
                r.get(0)
            })?;
        let mut report = BatchReport::default();
        let touched = write::documents(&mut tx, docs, &mut report)?;
        merging::reindex_incidents(&tx, &touched, first_new)?;
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

    /// What the merge rule says of each pair of two stored documents'
    /// incident events, `a` and `b` named by input id (else source): the
    /// checks passed or the refusal, by the rule alone (not against the
    /// other members of their incidents). Empty when either document is
    /// not stored or has no incident event. `eval merge --dump-errors`
    /// writes it for each pair it expected merged and found apart.
    pub fn compare_documents(&self, a: &str, b: &str) -> Result<Vec<PairCheck>> {
        let id = |name: &str| -> Result<Option<i64>> {
            Ok(self
                .conn
                .query_row(
                    "SELECT id FROM documents WHERE coalesce(input_id, source) = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?)
        };
        let (Some(da), Some(db)) = (id(a)?, id(b)?) else {
            return Ok(Vec::new());
        };
        let similarity = merging::near_duplicate(&self.conn, da, db)?;
        let (fa, fb) = (
            merging::document_facts(&self.conn, da)?,
            merging::document_facts(&self.conn, db)?,
        );
        Ok(fa
            .iter()
            .flat_map(|x| fb.iter().map(move |y| (x, y)))
            .map(|(x, y)| {
                let outcome = crate::merge::compare(x, y, similarity);
                PairCheck {
                    events: (x.event, y.event),
                    similarity,
                    merges: outcome
                        .as_ref()
                        .is_ok_and(crate::merge::Evidence::sufficient),
                    outcome,
                }
            })
            .collect())
    }
}

/// One pair of events of two documents, as the merge rule sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PairCheck {
    /// The two events' row ids.
    pub events: (i64, i64),
    /// The documents' text similarity when they are near duplicates.
    pub similarity: Option<f64>,
    /// The checks passed (with the grounds found), or the refusal.
    pub outcome: std::result::Result<crate::merge::Evidence, crate::merge::Mismatch>,
    /// Whether the checks passed and the grounds are enough to merge.
    pub merges: bool,
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

    fn fresh_store(name: &str) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("warcoder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.db");
        drop(Store::open(&path).unwrap());
        (dir, path)
    }

    #[test]
    fn a_store_opened_for_queries_is_never_written() {
        let (dir, path) = fresh_store("query-only");
        let before = std::fs::read(&path).unwrap();
        let store = Store::open_existing(&path).unwrap();
        store.incidents(&crate::query::Filter::default()).unwrap();
        let err = store.conn.execute("CREATE TABLE t(a)", []).unwrap_err();
        assert!(is_read_only(&err), "{err}");
        drop(store);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// Makes a folder and its files unwritable for this process (chmod, or
    /// the immutable attribute when running as root, who ignores modes) and
    /// undoes it when dropped.
    struct Unwritable(Vec<PathBuf>);

    impl Unwritable {
        fn try_new(paths: Vec<PathBuf>) -> Option<Unwritable> {
            use std::os::unix::fs::PermissionsExt;
            let guard = Unwritable(paths);
            for p in &guard.0 {
                let mode = if p.is_dir() { 0o555 } else { 0o444 };
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).ok()?;
            }
            let probe = guard.0[0].join("probe");
            if std::fs::write(&probe, b"").is_ok() {
                let _ = std::fs::remove_file(&probe);
                let immutable = std::process::Command::new("chattr")
                    .arg("+i")
                    .args(&guard.0)
                    .status()
                    .is_ok_and(|s| s.success());
                if !immutable || std::fs::write(&probe, b"").is_ok() {
                    return None;
                }
            }
            Some(guard)
        }
    }

    impl Drop for Unwritable {
        fn drop(&mut self) {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .args(&self.0)
                .stderr(std::process::Stdio::null())
                .status();
            for p in &self.0 {
                let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
            }
        }
    }

    #[test]
    fn a_store_on_read_only_storage_is_queried_and_refuses_writes() {
        let (dir, path) = fresh_store("read-only");
        {
            let Some(_guard) = Unwritable::try_new(vec![dir.clone(), path.clone()]) else {
                eprintln!(
                    "SKIPPED: cannot make a folder unwritable here (neither chmod nor chattr)"
                );
                return;
            };
            let store = Store::open_existing(&path).unwrap();
            assert!(store
                .incidents(&crate::query::Filter::default())
                .unwrap()
                .is_empty());
            let err = Store::open(&path).err().unwrap();
            assert!(matches!(err, StoreError::ReadOnly(_)), "{err}");
            assert!(
                err.to_string().contains("copy it somewhere writable"),
                "{err}"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn immutable_uris_escape_what_uris_reserve() {
        assert_eq!(
            immutable_uri(Path::new("/a b/c?d#e%f.db")),
            "file:/a%20b/c%3Fd%23e%25f.db?mode=ro&immutable=1"
        );
    }
}
