//! The ingest pipeline:
//!
//! ```text
//! reader thread ──(raw inputs)──► rayon workers ──(coded documents)──► writer (this thread)
//!   walks paths, reads WARC,        into_document + extract              reorders by input order,
//!   skips stored hashes                                                  commits batches
//! ```
//!
//! Documents are stored in input order whatever order the workers finish
//! in, so the incidents a corpus yields do not depend on thread timing —
//! within bounds: a document that holds the line for longer than the commit
//! interval, or while [`REORDER_WINDOW`] later outcomes wait behind it, is
//! passed over and stored when it arrives (the store's idempotence makes
//! order irrelevant for correctness), so one slow document never blocks
//! the commits behind it and the reorder buffer stays bounded.
//! The writer commits a batch every `batch_size` documents or every
//! `commit_interval`, whichever comes first, also while no document
//! arrives: a killed process loses at most that much work, and a second
//! run skips what was committed (the reader looks each content hash up
//! before extraction).

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::iter::{ParallelBridge, ParallelIterator};
use warcoder_core::budget::{isolated, Budget, NotCoded};
use warcoder_core::config::{Config, Diagnostics};
use warcoder_core::source::{self, RawInput};
use warcoder_core::Resources;
use warcoder_sources::files::FileIdentity;

use crate::failure::Failure;
use crate::input::{self, Input};
use crate::store::{BatchReport, NewDocument, Result, Store};
use crate::warc;
use crate::{Db, PgStore};
use warcoder_core::language::{Languages, OtherLanguage};

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub limits: warc::Limits,
    /// Documents per transaction at most.
    pub batch_size: usize,
    /// Commit at least this often while documents arrive.
    pub commit_interval: Duration,
    /// The date relative expressions resolve against where a document has
    /// none of its own (or always, when forced).
    pub reference_date: Option<warcoder_core::model::GivenDate>,
    /// What one document may cost; a document over it is a failure.
    pub budget: Budget,
    /// English only (documents in other languages are stored uncoded and
    /// counted in `Summary::skipped_languages`), or every document.
    pub languages: Languages,
    /// Debugging text the pipeline hands over for each document.
    pub diagnostics: Diagnostics,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            limits: warc::Limits::default(),
            batch_size: 256,
            commit_interval: Duration::from_secs(2),
            reference_date: None,
            budget: Budget::default(),
            languages: Languages::EnglishOnly,
            diagnostics: Diagnostics::default(),
        }
    }
}

/// Hears about the run as it goes (the command line draws a progress bar).
pub trait Observer {
    /// After every input handled.
    fn progress(&mut self, _summary: &Summary) {}
    /// An input that cannot be coded: reported once, then skipped.
    fn failed(&mut self, _message: &str) {}
    /// A document coded with a caveat (lossy decoding, no main text found).
    fn warning(&mut self, _message: &str) {}
}

/// An observer that ignores everything.
pub struct Quiet;
impl Observer for Quiet {}

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Documents read (stored, duplicates and failures after reading alike).
    pub read: usize,
    /// Bytes of the documents read.
    pub bytes: u64,
    /// Inputs that could not be coded, counted by reason.
    pub failed: usize,
    pub failures_by_reason: BTreeMap<&'static str, usize>,
    /// The first failure messages (every one is reported as it happens).
    pub failures: Vec<String>,
    /// Documents not coded for their language: English name -> count.
    pub skipped_languages: BTreeMap<String, usize>,
    /// Events in the documents coded so far (stored or about to be).
    pub events_found: usize,
    /// WARC records that are not articles (requests, images, redirects).
    pub not_articles: usize,
    /// Stores, duplicates and incident work of the committed batches.
    pub committed: BatchReport,
    pub elapsed: Duration,
}

/// Failure messages kept for the summary (all are reported as they happen).
const KEPT_FAILURES: usize = 100;

impl Summary {
    /// Documents skipped because their content hash was already stored.
    pub fn duplicates(&self) -> usize {
        self.committed.duplicates
    }

    fn fail(&mut self, failure: Failure) {
        self.failed += 1;
        *self.failures_by_reason.entry(failure.reason).or_default() += 1;
        if self.failures.len() < KEPT_FAILURES {
            self.failures.push(failure.message);
        }
    }
}

/// One input's outcome, tagged with its place in the input order.
enum Outcome {
    Coded(Box<NewDocument>),
    Duplicate { bytes: usize },
    NotArticle,
    Failed(Failure),
}

/// Where [`ingest`] writes: a store that takes batches, opened a second
/// time for the reader's "is it stored?" look-ups.
pub trait Target {
    fn insert(&mut self, docs: &[NewDocument]) -> Result<BatchReport>;
    /// A second connection for the reader thread.
    fn lookup(&self) -> Result<Box<dyn Lookup + Send>>;
    /// The store's own files, never to be read as input.
    fn own_files(&self) -> Vec<FileIdentity>;
    /// Tune the store for a bulk load (`true`, before the first batch) and
    /// back (`false`, after the last).
    fn bulk_load(&mut self, on: bool) -> Result<()>;
}

/// Whether a document with this content hash is stored.
pub trait Lookup {
    fn contains(&mut self, sha256: &str) -> Result<bool>;
}

impl Lookup for Store {
    fn contains(&mut self, sha256: &str) -> Result<bool> {
        Store::contains(self, sha256)
    }
}

impl Target for Store {
    fn insert(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        Store::insert(self, docs)
    }

    fn lookup(&self) -> Result<Box<dyn Lookup + Send>> {
        // Its own connection: WAL lets the reader look hashes up while the
        // writer commits.
        Ok(Box::new(Store::open_existing(self.path())?))
    }

    fn own_files(&self) -> Vec<FileIdentity> {
        store_files(self.path())
    }

    fn bulk_load(&mut self, on: bool) -> Result<()> {
        if on {
            self.checkpoint_every(BULK_CHECKPOINT_PAGES)
        } else {
            self.checkpoint_every(DEFAULT_CHECKPOINT_PAGES)?;
            self.checkpoint()
        }
    }
}

impl Lookup for PgStore {
    fn contains(&mut self, sha256: &str) -> Result<bool> {
        PgStore::contains(self, sha256)
    }
}

/// PostgreSQL needs no tuning for a load, and has no files here.
impl Target for PgStore {
    fn insert(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        PgStore::insert(self, docs)
    }

    fn lookup(&self) -> Result<Box<dyn Lookup + Send>> {
        Ok(Box::new(PgStore::open_existing(self.url())?))
    }

    fn own_files(&self) -> Vec<FileIdentity> {
        Vec::new()
    }

    fn bulk_load(&mut self, _on: bool) -> Result<()> {
        Ok(())
    }
}

impl Target for Db {
    fn insert(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        Db::insert(self, docs)
    }

    fn lookup(&self) -> Result<Box<dyn Lookup + Send>> {
        match self {
            Db::Sqlite(s) => s.lookup(),
            Db::Postgres(p) => p.lookup(),
        }
    }

    fn own_files(&self) -> Vec<FileIdentity> {
        match self {
            Db::Sqlite(s) => s.own_files(),
            Db::Postgres(p) => p.own_files(),
        }
    }

    fn bulk_load(&mut self, on: bool) -> Result<()> {
        match self {
            Db::Sqlite(s) => s.bulk_load(on),
            Db::Postgres(p) => p.bulk_load(on),
        }
    }
}

/// Ingest every input under `paths` into `store`, coded with `res`.
pub fn ingest(
    store: &mut impl Target,
    paths: &[PathBuf],
    res: &Resources,
    options: &IngestOptions,
    observer: &mut dyn Observer,
) -> Result<Summary> {
    let started = Instant::now();
    let mut lookup = store.lookup()?;
    let workers = rayon::current_num_threads();
    let (work_tx, work_rx) = crossbeam_channel::bounded::<(u64, Box<RawInput>)>(workers * 4);
    let (done_tx, done_rx) = crossbeam_channel::bounded::<(u64, Outcome)>(1024);
    let stop = AtomicBool::new(false);
    let walk = input::Walk {
        limits: options.limits,
        exclude: store.own_files(),
    };
    let reference_date = options.reference_date;
    let config = Config {
        languages: options.languages,
        diagnostics: options.diagnostics,
        ..Config::new(options.budget)
    };
    let config = &config;
    store.bulk_load(true)?;

    std::thread::scope(|scope| {
        let reader_done = done_tx.clone();
        let stop_reader = &stop;
        scope.spawn(move || {
            let mut seq = 0u64;
            let mut seen: HashSet<u128> = HashSet::new();
            input::for_each(paths, &walk, &mut |item| {
                if stop_reader.load(Ordering::Relaxed) {
                    return false;
                }
                let outcome = match item {
                    Input::Document(raw) => {
                        let repeat = !seen.insert(hash_key(&raw.id))
                            || lookup.contains(&raw.id).unwrap_or(false);
                        if repeat {
                            Outcome::Duplicate {
                                bytes: raw.content.len(),
                            }
                        } else {
                            let sent = work_tx.send((seq, raw)).is_ok();
                            seq += 1;
                            return sent;
                        }
                    }
                    Input::NotArticle => Outcome::NotArticle,
                    Input::Failed(failure) => Outcome::Failed(failure),
                };
                let sent = reader_done.send((seq, outcome)).is_ok();
                seq += 1;
                sent
            });
        });
        let worker_done = done_tx;
        let stop_workers = &stop;
        scope.spawn(move || {
            work_rx
                .into_iter()
                .par_bridge()
                .for_each_with(worker_done, |done, (seq, raw)| {
                    if !stop_workers.load(Ordering::Relaxed) {
                        let _ = done.send((seq, code(*raw, reference_date, res, config)));
                    }
                });
        });
        let result = write_in_order(store, done_rx, options, observer, started);
        if result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        result
    })
    .and_then(|summary| {
        store.bulk_load(false)?;
        Ok(summary)
    })
}

/// The write-ahead log's checkpoint interval while ingesting (64 MiB of
/// 4 KiB pages; see [`Store::checkpoint_every`]), and SQLite's default.
const BULK_CHECKPOINT_PAGES: u32 = 16_384;
const DEFAULT_CHECKPOINT_PAGES: u32 = 1_000;

/// The store's own files, never to be read as input (`warcoder ingest .`
/// in the directory that holds the store).
fn store_files(db: &std::path::Path) -> Vec<FileIdentity> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .filter_map(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            FileIdentity::of(&std::fs::metadata(PathBuf::from(p)).ok()?)
        })
        .collect()
}

/// Outcomes waiting for an earlier one at most: past it, the writer passes
/// over the missing ones (their outcomes are handled when they arrive).
const REORDER_WINDOW: usize = 1024;

/// How long the writer waits for an outcome before it checks the clock.
const WRITER_TICK: Duration = Duration::from_millis(200);

/// Outcomes back into input order, within bounds (see the module notes).
struct Reorder<T> {
    waiting: BTreeMap<u64, T>,
    next: u64,
    /// Sequence numbers passed over and not arrived yet.
    late: HashSet<u64>,
    /// Since when `next` has been awaited.
    head_since: Instant,
}

impl<T> Reorder<T> {
    fn new() -> Self {
        Reorder {
            waiting: BTreeMap::new(),
            next: 0,
            late: HashSet::new(),
            head_since: Instant::now(),
        }
    }

    /// Take in one outcome; push onto `ready` whatever may now be handled.
    fn accept(&mut self, seq: u64, outcome: T, ready: &mut Vec<T>) {
        if self.late.remove(&seq) {
            ready.push(outcome);
            return;
        }
        self.waiting.insert(seq, outcome);
        self.drain(ready);
    }

    /// Pass over a head that has been awaited for `patience` or that holds
    /// a full window behind it.
    fn release_overdue(&mut self, patience: Duration, ready: &mut Vec<T>) {
        while let Some(&first) = self.waiting.keys().next() {
            if self.waiting.len() < REORDER_WINDOW && self.head_since.elapsed() < patience {
                break;
            }
            self.late.extend(self.next..first);
            self.next = first;
            self.drain(ready);
        }
    }

    fn drain(&mut self, ready: &mut Vec<T>) {
        let before = self.next;
        while let Some(outcome) = self.waiting.remove(&self.next) {
            ready.push(outcome);
            self.next += 1;
        }
        if self.next != before {
            self.head_since = Instant::now();
        }
    }
}

/// The writer: outcomes back into input order, documents into batches.
fn write_in_order(
    store: &mut impl Target,
    done: crossbeam_channel::Receiver<(u64, Outcome)>,
    options: &IngestOptions,
    observer: &mut dyn Observer,
    started: Instant,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut reorder = Reorder::new();
    let mut ready = Vec::new();
    let mut batch: Vec<NewDocument> = Vec::new();
    let mut last_commit = Instant::now();
    loop {
        match done.recv_timeout(WRITER_TICK.min(options.commit_interval)) {
            Ok((seq, outcome)) => reorder.accept(seq, outcome, &mut ready),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
        }
        reorder.release_overdue(options.commit_interval, &mut ready);
        for outcome in ready.drain(..) {
            handle(outcome, &mut batch, &mut summary, observer);
            summary.elapsed = started.elapsed();
            observer.progress(&summary);
        }
        let due = batch.len() >= options.batch_size
            || (!batch.is_empty() && last_commit.elapsed() >= options.commit_interval);
        if due {
            commit(store, &mut batch, &mut summary)?;
            last_commit = Instant::now();
            observer.progress(&summary);
        }
    }
    // Every outcome has arrived; a stopped run may leave gaps: pass them.
    reorder.release_overdue(Duration::ZERO, &mut ready);
    for outcome in ready.drain(..) {
        handle(outcome, &mut batch, &mut summary, observer);
    }
    commit(store, &mut batch, &mut summary)?;
    summary.elapsed = started.elapsed();
    observer.progress(&summary);
    Ok(summary)
}

/// Count one outcome; a coded document joins the batch.
fn handle(
    outcome: Outcome,
    batch: &mut Vec<NewDocument>,
    summary: &mut Summary,
    observer: &mut dyn Observer,
) {
    match outcome {
        Outcome::Coded(doc) => {
            summary.read += 1;
            summary.bytes += doc.bytes as u64;
            summary.events_found += doc.output.events.len();
            if let Some(other) = &doc.output.document.not_coded_language {
                *summary
                    .skipped_languages
                    .entry(other.name.clone())
                    .or_default() += 1;
            }
            for w in &doc.output.document.warnings {
                observer.warning(w);
            }
            batch.push(*doc);
        }
        Outcome::Duplicate { bytes } => {
            summary.read += 1;
            summary.bytes += bytes as u64;
            summary.committed.duplicates += 1;
        }
        Outcome::NotArticle => summary.not_articles += 1,
        Outcome::Failed(failure) => {
            observer.failed(&failure.message);
            summary.fail(failure);
        }
    }
}

fn commit(
    store: &mut impl Target,
    batch: &mut Vec<NewDocument>,
    summary: &mut Summary,
) -> Result<()> {
    if !batch.is_empty() {
        summary.committed += store.insert(batch)?;
        batch.clear();
    }
    Ok(())
}

/// Code one document. A panic in the pipeline is a bug, but it must not
/// take the batch down with it: it becomes this document's failure.
fn code(
    mut raw: RawInput,
    reference_date: Option<warcoder_core::model::GivenDate>,
    res: &Resources,
    config: &Config,
) -> Outcome {
    if reference_date.is_some() {
        raw.meta.reference_date = reference_date;
    }
    match code_one(raw, res, config) {
        Ok(doc) => Outcome::Coded(Box::new(doc)),
        Err(failure) => Outcome::Failed(failure),
    }
}

/// Code one input as [`ingest`] codes each, without storing it (the work
/// queue's workers store a batch of them at once): a document over budget
/// or one the pipeline panics on is a [`Failure`] with its reason.
pub fn code_one(
    raw: RawInput,
    res: &Resources,
    config: &Config,
) -> std::result::Result<NewDocument, Failure> {
    let name = raw.meta.source.clone();
    let published = raw.meta.published.clone();
    let bytes = raw.content.len();
    let coded = isolated(|| {
        let doc = source::into_document(raw);
        let text = doc.text.clone();
        warcoder_core::try_extract_with(doc, res, config)
            .map(|output| NewDocument::new(output, &text, published, bytes))
    });
    coded.map_err(|e| {
        let kind = match e {
            NotCoded::OverBudget(_) => "over budget",
            NotCoded::Panicked(_) => "pipeline error",
        };
        Failure::new(kind, e.about(&name))
    })
}

/// The first 128 bits of a sha256 hex id: enough to tell documents of one
/// run apart at a quarter of the memory of the hex string.
fn hash_key(id: &str) -> u128 {
    id.get(..32)
        .and_then(|h| u128::from_str_radix(h, 16).ok())
        .unwrap_or_else(|| {
            // Not a hex digest: fall back on a hash of the whole id.
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut h);
            h.finish() as u128
        })
}

/// What [`ingest_one`] did with one input.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct OneReport {
    pub batch: BatchReport,
    /// Stored but not coded: the document is in this language and
    /// `languages` admits only English.
    pub not_coded_language: Option<OtherLanguage>,
}

/// Code one input with `res` and store it, as [`ingest`] does each input
/// (the web API's path): a document whose content hash is stored is a
/// duplicate; one in a language `languages` does not admit is stored
/// uncoded, as `ingest` stores it. Ok(Err) when the pipeline cannot code it.
pub fn ingest_one(
    store: &mut Store,
    raw: RawInput,
    res: &Resources,
    languages: Languages,
) -> Result<std::result::Result<OneReport, Failure>> {
    if store.contains(&raw.id)? {
        return Ok(Ok(OneReport {
            batch: BatchReport {
                duplicates: 1,
                ..BatchReport::default()
            },
            not_coded_language: None,
        }));
    }
    let config = Config {
        languages,
        ..Config::new(Budget::default())
    };
    match code(raw, None, res, &config) {
        Outcome::Coded(doc) => Ok(Ok(OneReport {
            batch: store.insert(std::slice::from_ref(&*doc))?,
            not_coded_language: doc.output.document.not_coded_language.clone(),
        })),
        Outcome::Failed(failure) => Ok(Err(failure)),
        Outcome::Duplicate { .. } | Outcome::NotArticle => Ok(Ok(OneReport::default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept_all(reorder: &mut Reorder<u64>, seqs: impl IntoIterator<Item = u64>) -> Vec<u64> {
        let mut ready = Vec::new();
        for seq in seqs {
            reorder.accept(seq, seq, &mut ready);
        }
        ready
    }

    #[test]
    fn outcomes_come_back_in_input_order() {
        let mut reorder = Reorder::new();
        assert_eq!(accept_all(&mut reorder, [2, 0, 3, 1, 4]), [0, 1, 2, 3, 4]);
        assert!(reorder.waiting.is_empty());
    }

    #[test]
    fn a_full_window_passes_over_the_missing_outcome() {
        let mut reorder = Reorder::new();
        let window = REORDER_WINDOW as u64;
        assert!(accept_all(&mut reorder, 1..window).is_empty());
        let mut ready = Vec::new();
        reorder.release_overdue(Duration::from_secs(3600), &mut ready);
        assert!(ready.is_empty(), "the window is not full yet");
        reorder.accept(window, window, &mut ready);
        reorder.release_overdue(Duration::from_secs(3600), &mut ready);
        assert_eq!(ready, (1..=window).collect::<Vec<_>>());
        // The slow one is handled the moment it arrives, later ones in order.
        assert_eq!(
            accept_all(&mut reorder, [window + 2, 0, window + 1]),
            [0, window + 1, window + 2]
        );
        assert!(reorder.late.is_empty() && reorder.waiting.is_empty());
    }

    #[test]
    fn a_head_awaited_past_the_interval_is_passed_over() {
        let mut reorder = Reorder::new();
        assert!(accept_all(&mut reorder, [1, 2, 4]).is_empty());
        let mut ready = Vec::new();
        reorder.release_overdue(Duration::ZERO, &mut ready);
        assert_eq!(ready, [1, 2, 4]);
        assert_eq!(reorder.late, HashSet::from([0, 3]));
        assert_eq!(accept_all(&mut reorder, [3, 5, 0]), [3, 5, 0]);
    }
}
