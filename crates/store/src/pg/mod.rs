//! The event store on PostgreSQL (`--db postgres://...`): the same schema,
//! merge rule and idempotence as the SQLite store, for several writers on
//! several machines.
//!
//! The client is `postgres`, the sync client of the tokio-postgres project
//! (it drives tokio-postgres on a private runtime): the store's callers are
//! sync (one writer thread, blocking readers), and an async pool
//! (deadpool-postgres) would buy nothing but a runtime to manage here.
//!
//! Concurrency: every writer takes, inside its batch's transaction and
//! before it reads anything, a transaction-scoped advisory lock per ACLED
//! event type its new events have, in sorted order (so two writers never
//! wait on each other in a cycle). Every incident an event can join has
//! its type (the candidate queries filter on it), so two transactions that
//! could merge into one incident run one after the other, and the second
//! sees what the first committed; batches of other types run side by side.
//! A deadlock between batches that only store the same documents is
//! retried.

mod schema;
mod write;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, NoTls};

use crate::correction::{self, Correction, CORRECTION_COLUMNS};
use crate::incident::{DocRef, Incident};
use crate::query::{Dialect, Filter, JoinedReport, Param};
use crate::stats::{self, DateRange, Ranked, Stats};
use crate::store::DOC_REF_COLUMNS;
use crate::store::{write::documents, BatchReport, NewDocument, Result, StoreError};
use schema::MIGRATIONS;
use write::{PgTx, Statements};

/// Whether `db` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// `url` with its password, if any, replaced by `***`: what messages show.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// The advisory-lock namespace (first key) of warcoder's locks.
const LOCK_SPACE: i32 = 0x7763_6472;
/// The second key of the migration lock (the merge locks hash a type).
const MIGRATION_LOCK: i32 = 0;
/// How often a batch that lost a deadlock is tried again.
const RETRIES: usize = 5;
/// How long a writer that lost its connection keeps trying to connect
/// again (a server restart takes seconds; a failover under a minute).
const RECONNECT_FOR: std::time::Duration = std::time::Duration::from_secs(120);
/// Lost connections one call survives (each followed by a reconnection).
const RECONNECTS: usize = 10;

pub struct PgStore {
    client: Client,
    /// As given, for a second connection.
    url: String,
    statements: Statements,
    /// The URL without its password, for messages.
    location: String,
}

/// `url` parsed and connected to, with a message that says what to do
/// when it is not a URL or the server cannot be reached.
fn connect(url: &str) -> Result<(Client, String)> {
    let config: postgres::Config =
        url.parse()
            .map_err(|e: postgres::Error| StoreError::BadUrl {
                reason: e.to_string(),
            })?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let at = format!("{host}:{port}");
    let location = redacted(url);
    let client = config.connect(NoTls).map_err(|e| match e.as_db_error() {
        Some(db) => StoreError::Refused {
            location: location.clone(),
            reason: db.message().to_string(),
        },
        None => StoreError::Unreachable {
            at: at.clone(),
            reason: std::error::Error::source(&e).map_or(e.to_string(), |s| s.to_string()),
        },
    })?;
    Ok((client, location))
}

/// The migrations applied so far; None when the database holds no store.
fn schema_version(client: &mut impl postgres::GenericClient) -> Result<Option<i64>> {
    let exists: bool = client
        .query_one("SELECT to_regclass('warcoder_schema') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client
        .query_opt("SELECT version FROM warcoder_schema", &[])?
        .map(|r| r.get(0)))
}

impl PgStore {
    /// Connect to the database at `url`, creating (and migrating) the
    /// store's tables as needed.
    pub fn open(url: &str) -> Result<PgStore> {
        let (mut client, location) = connect(url)?;
        migrate(&mut client, &location)?;
        Self::ready(client, url, location)
    }

    /// Connect to a store that must already exist, for queries (a store
    /// from an older warcoder is upgraded first).
    pub fn open_existing(url: &str) -> Result<PgStore> {
        let (mut client, location) = connect(url)?;
        match schema_version(&mut client)? {
            None => return Err(StoreError::Missing(location)),
            Some(v) if v as usize != MIGRATIONS.len() => migrate(&mut client, &location)?,
            Some(_) => {}
        }
        Self::ready(client, url, location)
    }

    fn ready(mut client: Client, url: &str, location: String) -> Result<PgStore> {
        let statements = Statements::prepare(&mut client)?;
        Ok(PgStore {
            client,
            url: url.to_string(),
            statements,
            location,
        })
    }

    /// The database's URL without its password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The URL this store was opened with (password included).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether a document with this content hash is stored.
    pub fn contains(&mut self, sha256: &str) -> Result<bool> {
        self.reconnecting(|store| {
            Ok(store
                .client
                .query_opt(&store.statements.contains, &[&sha256])?
                .is_some())
        })
    }

    /// Store a batch of documents in one transaction: all of it or none.
    /// Documents already stored are skipped. A batch whose connection was
    /// lost (the server restarted) is stored again over a new one: its
    /// transaction was rolled back, or committed, and then its documents
    /// are skipped as stored.
    pub fn insert(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        let kinds: BTreeSet<&str> = docs
            .iter()
            .flat_map(|d| &d.output.events)
            .filter(|e| e.status == "new")
            .filter_map(|e| e.acled_event_type.as_deref())
            .collect();
        self.reconnecting(|store| {
            let mut attempt = 0;
            loop {
                match store.try_insert(docs, &kinds) {
                    Err(StoreError::Postgres(e)) if attempt < RETRIES && retryable(&e) => {
                        attempt += 1
                    }
                    done => return done,
                }
            }
        })
    }

    /// Run `f`; when it fails because the connection is lost, connect
    /// again (with backoff, for up to [`RECONNECT_FOR`]) and run it again.
    /// Each loss and each reconnection is said on stderr: a writer that
    /// waits for its database must say why it stands still.
    fn reconnecting<T>(&mut self, mut f: impl FnMut(&mut Self) -> Result<T>) -> Result<T> {
        let mut losses = 0;
        loop {
            match f(self) {
                Err(StoreError::Postgres(e)) if losses < RECONNECTS && self.lost(&e) => {
                    losses += 1;
                    eprintln!(
                        "warcoder: lost the connection to {} ({}); reconnecting",
                        self.location,
                        reason(&e)
                    );
                    self.reconnect()?;
                }
                done => return done,
            }
        }
    }

    /// Whether `e` means the connection is gone (not the statement wrong).
    fn lost(&self, e: &postgres::Error) -> bool {
        e.is_closed()
            || self.client.is_closed()
            || matches!(e.code(), Some(c) if *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW)
    }

    /// A new connection with its statements, tried with doubling pauses
    /// (0.1 s to 5 s) for up to [`RECONNECT_FOR`]; the last error after it.
    fn reconnect(&mut self) -> Result<()> {
        let started = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(100);
        let mut tries = 0;
        loop {
            tries += 1;
            std::thread::sleep(pause);
            let attempt = connect(&self.url).and_then(|(mut client, _)| {
                let statements = Statements::prepare(&mut client)?;
                Ok((client, statements))
            });
            match attempt {
                Ok((client, statements)) => {
                    self.client = client;
                    self.statements = statements;
                    eprintln!(
                        "warcoder: reconnected to {} after {tries} tries ({:.1} s)",
                        self.location,
                        started.elapsed().as_secs_f64()
                    );
                    return Ok(());
                }
                Err(e) if started.elapsed() >= RECONNECT_FOR => return Err(e),
                Err(_) => pause = (pause * 2).min(std::time::Duration::from_secs(5)),
            }
        }
    }

    fn try_insert(&mut self, docs: &[NewDocument], kinds: &BTreeSet<&str>) -> Result<BatchReport> {
        let mut tx = self.client.transaction()?;
        for kind in kinds {
            tx.execute(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                &[&LOCK_SPACE, kind],
            )?;
        }
        let mut report = BatchReport::default();
        documents(
            &mut PgTx {
                tx: &mut tx,
                st: &self.statements,
            },
            docs,
            &mut report,
        )?;
        tx.commit()?;
        Ok(report)
    }

    /// One incident by id.
    pub fn incident(&mut self, id: i64) -> Result<Option<Incident>> {
        let row = self
            .client
            .query_opt("SELECT json FROM incidents WHERE id = $1", &[&id])?;
        Ok(match row {
            Some(r) => Some(serde_json::from_str(r.try_get(0)?)?),
            None => None,
        })
    }

    /// Every correction, by incident.
    pub fn all_corrections(&mut self) -> Result<HashMap<i64, Vec<Correction>>> {
        let rows = self.client.query(
            &format!("SELECT {CORRECTION_COLUMNS} FROM corrections ORDER BY id"),
            &[],
        )?;
        let mut out: HashMap<i64, Vec<Correction>> = HashMap::new();
        for r in rows {
            let c = Correction::from_columns(
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                r.try_get(5)?,
            )?;
            out.entry(c.incident_id).or_default().push(c);
        }
        Ok(out)
    }

    /// Call `each` with every incident matching `filter` in date order,
    /// corrections applied, as [`crate::Store::for_each_incident`] does.
    pub fn for_each_incident<E: From<StoreError>>(
        &mut self,
        filter: &Filter,
        mut each: impl FnMut(Incident) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let corrections = self.all_corrections()?;
        let (condition, params) = filter.conditions(Dialect::Postgres);
        let sql = format!(
            "SELECT id, json FROM incidents {}
             ORDER BY day_first IS NULL, day_first, id",
            numbered(&condition)
        );
        let params: Vec<Box<dyn ToSql + Sync>> = params
            .into_iter()
            .map(|p| -> Box<dyn ToSql + Sync> {
                match p {
                    Param::Text(t) => Box::new(t),
                    Param::Real(r) => Box::new(r),
                }
            })
            .collect();
        let mut rows = self
            .client
            .query_raw(&sql, params.iter().map(|p| p.as_ref() as &dyn ToSql))
            .map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let id: i64 = r.try_get(0).map_err(StoreError::from)?;
            let json: &str = r.try_get(1).map_err(StoreError::from)?;
            let mut inc: Incident = serde_json::from_str(json).map_err(StoreError::from)?;
            if let Some(c) = corrections.get(&id) {
                correction::apply(&mut inc, c.clone());
            }
            each(inc)?;
        }
        Ok(())
    }

    /// The reports of incident `id` in the order they joined, as
    /// [`crate::Store::merge_explanation`].
    pub fn merge_explanation(&mut self, id: i64) -> Result<Option<Vec<JoinedReport>>> {
        let rows = self.client.query(
            &format!(
                "SELECT e.id, e.key, e.merge_reason, {DOC_REF_COLUMNS}
                 FROM events e JOIN documents d ON d.id = e.document_id
                 WHERE e.incident_id = $1 ORDER BY e.id"
            ),
            &[&id],
        )?;
        let rows = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, doc_ref(r, 3)?)))
            .collect::<std::result::Result<Vec<_>, postgres::Error>>()?;
        crate::query::joined_reports(rows)
    }

    /// Counts and ranges, as [`crate::Store::stats`]; the size is the
    /// database's (`pg_database_size`).
    pub fn stats(&mut self) -> Result<Stats> {
        let client = RefCell::new(&mut self.client);
        let one =
            |sql: &str| -> Result<i64> { Ok(client.borrow_mut().query_one(sql, &[])?.try_get(0)?) };
        let ranked = |sql: &str| -> Result<Vec<Ranked>> {
            let rows = client
                .borrow_mut()
                .query(&sql.replace("?1", "$1"), &[&stats::TOP])?;
            rows.iter()
                .map(|r| {
                    Ok(Ranked {
                        name: r.try_get(0)?,
                        count: r.try_get(1)?,
                    })
                })
                .collect()
        };
        let range = client
            .borrow_mut()
            .query_one("SELECT min(day_first), max(day_last) FROM incidents", &[])?;
        let date_range = DateRange::of(range.try_get(0)?, range.try_get(1)?);
        let bytes = one("SELECT pg_database_size(current_database())")?;
        stats::gather(Dialect::Postgres, &one, &ranked, date_range, bytes as u64)
    }
}

/// The article reference in [`DOC_REF_COLUMNS`] from column `first` on.
fn doc_ref(r: &postgres::Row, first: usize) -> std::result::Result<DocRef, postgres::Error> {
    Ok(DocRef {
        sha256: r.try_get(first)?,
        source: r.try_get(first + 1)?,
        url: r.try_get(first + 2)?,
        outlet: r.try_get(first + 3)?,
        title: r.try_get(first + 4)?,
        published: r.try_get(first + 5)?,
    })
}

/// SQL with `?` placeholders (as [`Filter::conditions`] writes them)
/// numbered `$1`, `$2` ... as PostgreSQL wants them.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// What went wrong, in the server's words where it sent some.
fn reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => std::error::Error::source(e).map_or(e.to_string(), |s| s.to_string()),
    }
}

/// A deadlock or serialisation failure: the batch can simply run again.
fn retryable(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

/// Apply the migrations this database lacks, one writer at a time.
fn migrate(client: &mut Client, location: &str) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, $2)",
        &[&LOCK_SPACE, &MIGRATION_LOCK],
    )?;
    let version = match schema_version(&mut tx)? {
        Some(v) => v,
        None => {
            tx.batch_execute(
                "CREATE TABLE warcoder_schema (version bigint NOT NULL);
                 INSERT INTO warcoder_schema VALUES (0);",
            )?;
            0
        }
    };
    if version as usize > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            path: location.to_string(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    for sql in MIGRATIONS.iter().skip(version as usize) {
        tx.batch_execute(sql)?;
    }
    tx.execute(
        "UPDATE warcoder_schema SET version = $1",
        &[&(MIGRATIONS.len() as i64)],
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered() {
        assert_eq!(
            numbered("WHERE a = ? AND (b = ? OR c = ?)"),
            "WHERE a = $1 AND (b = $2 OR c = $3)"
        );
    }

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redacted("postgres://u:pw@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redacted("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("postgres://u@h/db") && is_url("postgresql://h/db"));
        assert!(!is_url("warcoder.db") && !is_url("./postgres://x"));
    }

    #[test]
    fn a_wrong_url_and_an_unreachable_server_say_what_to_do() {
        let bad = PgStore::open("postgres://h:notaport/db").err().unwrap();
        assert!(matches!(bad, StoreError::BadUrl { .. }), "{bad}");
        assert!(bad.to_string().contains("postgres://USER"), "{bad}");
        // Port 1 on loopback: nothing listens there.
        let down = PgStore::open("postgres://u:secret@127.0.0.1:1/db")
            .err()
            .unwrap();
        let message = down.to_string();
        assert!(matches!(down, StoreError::Unreachable { .. }), "{message}");
        assert!(
            message.contains("127.0.0.1:1") && message.contains("running"),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
    }
}
