//! `warcoder work`: a stateless worker. Every worker pulls from the one
//! durable consumer; a batch of messages is coded in parallel (the
//! pipeline `ingest` runs, [`warcoder_store::ingest::code_one`]), its
//! documents are stored in one transaction, and only once that has
//! committed are the messages acked. A worker killed at any point leaves
//! its messages unacked: the server redelivers them after the ack wait,
//! and the store's content-hash check makes the second insert a no-op.
//!
//! A message that fails (it does not parse, its reference cannot be read,
//! a record or document in it cannot be coded, the store refuses the
//! batch) is nak'd for redelivery; at its `max_deliver`-th delivery it is
//! published, with the reason, to the dead-letter subject, and only then
//! acked as terminated. Nothing leaves the stream unrecorded.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use async_nats::jetstream::consumer::PullConsumer;
use async_nats::jetstream::{self, AckKind};
use bytes::Bytes;
use futures_util::StreamExt;
use rayon::prelude::*;
use warcoder_core::config::Config;
use warcoder_core::Resources;
use warcoder_store::ingest::code_one;
use warcoder_store::input::Input;
use warcoder_store::store::BatchReport;
use warcoder_store::{warc, Db, NewDocument, Store};

use crate::item::WorkItem;
use crate::Queue;

/// Where a worker's coded documents go: one call is one transaction, and
/// it returns only once that has committed (the worker acks after it).
/// Storing a document whose content hash is stored already is a no-op.
pub trait DocumentStore: Send {
    fn commit(&mut self, docs: &[NewDocument]) -> Result<BatchReport>;
}

impl DocumentStore for Store {
    fn commit(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        Ok(self.insert(docs)?)
    }
}

/// A SQLite file or a PostgreSQL database (`--db postgres://...`): workers
/// on several machines share the latter; its advisory locks keep incident
/// merging serial (ARCHITECTURE.md).
impl DocumentStore for Db {
    fn commit(&mut self, docs: &[NewDocument]) -> Result<BatchReport> {
        Ok(self.insert(docs)?)
    }
}

/// How a worker runs.
#[derive(Clone)]
pub struct WorkOptions {
    /// Threads coding documents.
    pub concurrency: usize,
    /// Deliveries after which a failing message is dead-lettered.
    pub max_deliver: i64,
    /// Messages pulled, coded and committed together.
    pub batch: usize,
    /// How long the server waits for an ack before redelivering (used when
    /// the consumer is created).
    pub ack_wait: Duration,
    /// Exit once nothing is pending or in flight (benchmarks, tests).
    pub until_empty: bool,
    pub config: Config,
    pub limits: warc::Limits,
}

/// What a worker did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct WorkReport {
    /// Messages acked after their documents committed.
    pub processed: usize,
    pub documents_stored: usize,
    pub duplicates: usize,
    pub not_articles: usize,
    pub events: usize,
    /// Messages this worker received that had been delivered before.
    pub redelivered: usize,
    /// Failed messages handed back for another delivery.
    pub retried: usize,
    pub dead_lettered: usize,
}

/// Hears about the run (the command line draws a progress line).
pub trait Progress: Send {
    fn progress(&mut self, _report: &WorkReport) {}
    /// A message that failed: retried, or dead-lettered when `dead`.
    fn failed(&mut self, _reason: &str, _dead: bool) {}
}

/// How long one pull waits for messages: also how soon a stop is seen.
const PULL_EXPIRES: Duration = Duration::from_millis(500);

/// Run a worker until SIGTERM or SIGINT (or, with `until_empty`, until the
/// queue is drained): the batch in hand is finished, committed and acked
/// before it returns.
pub async fn work(
    queue: &Queue,
    store: Box<dyn DocumentStore>,
    res: &'static Resources,
    options: WorkOptions,
    progress: &mut dyn Progress,
) -> Result<WorkReport> {
    let mut store = OffRuntime(Some(store));
    let consumer = queue.consumer(options.ack_wait).await?;
    queue.dead_stream().await?;
    let stop = stop_on_signals()?;
    let pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(options.concurrency.max(1))
            .build()
            .context("starting the coding threads")?,
    );
    let mut report = WorkReport::default();
    while !stop.load(Ordering::Relaxed) {
        let messages = pull(&consumer, options.batch.max(1)).await?;
        if messages.is_empty() {
            if options.until_empty && drained(&consumer).await? {
                break;
            }
            continue;
        }
        let payloads: Vec<Bytes> = messages.iter().map(|m| m.payload.clone()).collect();
        let (config, limits, pool_) = (options.config, options.limits, pool.clone());
        let mut inner = store.0.take().expect("the store is back after each batch");
        let (back, coded) = tokio::task::spawn_blocking(move || {
            let coded = code_and_commit(&mut *inner, &payloads, res, &config, limits, &pool_);
            (inner, coded)
        })
        .await
        .context("the coding threads stopped")?;
        store.0 = Some(back);
        report.events += coded.events;
        report.documents_stored += coded.committed.stored;
        report.duplicates += coded.committed.duplicates;
        for (message, verdict) in messages.iter().zip(coded.verdicts) {
            settle(queue, message, verdict, &options, &mut report, progress).await?;
        }
        progress.progress(&report);
    }
    Ok(report)
}

/// Owns the store and drops it on a thread of its own, whichever way
/// [`work`] returns: a PostgreSQL client closes its connection by blocking
/// on a runtime of its own, which tokio forbids on a thread that drives
/// the worker's runtime.
struct OffRuntime(Option<Box<dyn DocumentStore>>);

impl Drop for OffRuntime {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            let _ = std::thread::spawn(move || drop(store)).join();
        }
    }
}

/// SIGTERM and SIGINT set the flag the pull loop checks.
fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    use tokio::signal::unix::{signal, SignalKind};
    let stop = Arc::new(AtomicBool::new(false));
    let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
    let mut int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
    let flag = stop.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        flag.store(true, Ordering::Relaxed);
    });
    Ok(stop)
}

/// Up to `n` messages, waiting at most [`PULL_EXPIRES`].
async fn pull(consumer: &PullConsumer, n: usize) -> Result<Vec<jetstream::Message>> {
    let mut batch = consumer
        .batch()
        .max_messages(n)
        .expires(PULL_EXPIRES)
        .messages()
        .await
        .context("pulling work from the queue")?;
    let mut messages = Vec::with_capacity(n);
    while let Some(next) = batch.next().await {
        // A missed heartbeat or a timed-out request: the next pull retries.
        if let Ok(message) = next {
            messages.push(message);
        }
    }
    Ok(messages)
}

/// Nothing waits to be delivered and nothing is in flight anywhere.
async fn drained(consumer: &PullConsumer) -> Result<bool> {
    let info = consumer
        .get_info()
        .await
        .context("reading the consumer's state")?;
    Ok(info.num_pending == 0 && info.num_ack_pending == 0)
}

/// What became of one message's documents.
enum Verdict {
    /// Committed (or nothing to store): ack.
    Done { not_articles: usize },
    /// Not all of it could be coded or stored.
    Failed(String),
}

struct Coded {
    verdicts: Vec<Verdict>,
    committed: BatchReport,
    events: usize,
}

/// Code every message of a batch in parallel, store their documents in one
/// transaction; a message's verdict is known only after the commit.
fn code_and_commit(
    store: &mut dyn DocumentStore,
    payloads: &[Bytes],
    res: &Resources,
    config: &Config,
    limits: warc::Limits,
    pool: &rayon::ThreadPool,
) -> Coded {
    let outcomes: Vec<MessageOutcome> = pool.install(|| {
        payloads
            .par_iter()
            .map(|p| code_message(p, res, config, limits))
            .collect()
    });
    let mut docs = Vec::new();
    let mut verdicts = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        docs.extend(outcome.docs);
        verdicts.push(if outcome.failures.is_empty() {
            Verdict::Done {
                not_articles: outcome.not_articles,
            }
        } else {
            Verdict::Failed(outcome.failures.join("; "))
        });
    }
    let events = docs.iter().map(|d| d.output.events.len()).sum();
    match store.commit(&docs) {
        Ok(committed) => Coded {
            verdicts,
            committed,
            events,
        },
        Err(e) => Coded {
            verdicts: (0..payloads.len())
                .map(|_| Verdict::Failed(format!("storing: {e:#}")))
                .collect(),
            committed: BatchReport::default(),
            events: 0,
        },
    }
}

#[derive(Default)]
struct MessageOutcome {
    docs: Vec<NewDocument>,
    failures: Vec<String>,
    not_articles: usize,
}

/// Read and code one message's inputs.
fn code_message(
    payload: &[u8],
    res: &Resources,
    config: &Config,
    limits: warc::Limits,
) -> MessageOutcome {
    let mut outcome = MessageOutcome::default();
    let item: WorkItem = match serde_json::from_slice(payload) {
        Ok(item) => item,
        Err(e) => {
            outcome.failures.push(format!("undecodable work item: {e}"));
            return outcome;
        }
    };
    for input in item.inputs(limits) {
        match input {
            Input::Document(raw) => match code_one(*raw, res, config) {
                Ok(doc) => outcome.docs.push(doc),
                Err(f) => outcome.failures.push(f.message),
            },
            Input::NotArticle => outcome.not_articles += 1,
            Input::Failed(f) => outcome.failures.push(f.message),
        }
    }
    outcome
}

/// Ack a committed message; retry a failed one, or dead-letter it at its
/// last delivery.
async fn settle(
    queue: &Queue,
    message: &jetstream::Message,
    verdict: Verdict,
    options: &WorkOptions,
    report: &mut WorkReport,
    progress: &mut dyn Progress,
) -> Result<()> {
    let (delivered, sequence) = message
        .info()
        .map(|i| (i.delivered, i.stream_sequence))
        .unwrap_or((1, 0));
    if delivered > 1 {
        report.redelivered += 1;
    }
    let reason = match verdict {
        Verdict::Done { not_articles } => {
            report.not_articles += not_articles;
            // Confirmed by the server: once it answers, no redelivery.
            if message.double_ack().await.is_ok() {
                report.processed += 1;
            }
            return Ok(());
        }
        Verdict::Failed(reason) => reason,
    };
    let dead = delivered >= options.max_deliver;
    progress.failed(&reason, dead);
    if !dead {
        report.retried += 1;
        let backoff = Duration::from_secs(delivered.clamp(1, 30) as u64);
        let _ = message.ack_with(AckKind::Nak(Some(backoff))).await;
        return Ok(());
    }
    dead_letter(queue, &message.payload, &reason, delivered, sequence).await?;
    report.dead_lettered += 1;
    let _ = message.double_ack_with(AckKind::Term).await;
    Ok(())
}

/// Publish a failed message to the dead-letter subject with its reason,
/// and wait until the stream holds it.
async fn dead_letter(
    queue: &Queue,
    payload: &[u8],
    reason: &str,
    deliveries: i64,
    sequence: u64,
) -> Result<()> {
    let item = serde_json::from_slice::<serde_json::Value>(payload)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(payload).into()));
    let letter = serde_json::json!({
        "reason": reason,
        "deliveries": deliveries,
        "stream_sequence": sequence,
        "item": item,
    });
    queue
        .js
        .publish(queue.dead_subject(), serde_json::to_vec(&letter)?.into())
        .await
        .context("publishing a dead letter")?
        .await
        .context("the dead-letter stream did not confirm")?;
    Ok(())
}
