//! warcoder's work queue over NATS JetStream, for coding an archive on
//! several machines:
//!
//! ```text
//! enqueue ──► stream NAME (work queue, subject NAME.work) ──► durable pull consumer "workers"
//!                                                            ├─► worker ─► store (ack after commit)
//!                                                            └─► worker ─► store
//!                  failing NAME.work messages, after N deliveries ─► stream NAME_DEAD (NAME.dead)
//! ```
//!
//! - [`item`]: what a message carries (a document inline, or a byte range
//!   of a WARC file the worker reads itself).
//! - [`enqueue`]: walks inputs and publishes them, message ids from content
//!   hashes so that the stream's duplicate window drops a re-run's repeats.
//! - [`work`]: a stateless worker; a message is acked only once the store
//!   transaction holding its documents has committed, so a crash means
//!   redelivery, and the store's content-hash idempotence makes that
//!   harmless.
//! - [`stats`]: pending, in flight, redelivered, dead-lettered.

pub mod enqueue;
pub mod item;
pub mod stats;
pub mod work;

use std::time::Duration;

use anyhow::{Context, Result};
use async_nats::jetstream::{self, consumer, stream};

/// The stream `enqueue` creates when `--stream` names none.
pub const DEFAULT_STREAM: &str = "WARCODER";

/// The durable consumer every worker shares.
pub const CONSUMER: &str = "workers";

/// How long the stream remembers a message id: a re-run of `enqueue`
/// within it publishes nothing new (past it, the workers' idempotent
/// insert still stores nothing twice).
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// A connection to one queue: the work stream `stream` and its dead letters.
pub struct Queue {
    pub client: async_nats::Client,
    pub js: jetstream::Context,
    pub stream: String,
}

impl Queue {
    /// Connect to the NATS server at `url` (`nats://HOST:PORT`).
    pub async fn connect(url: &str, stream: &str) -> Result<Queue> {
        let valid = !stream.is_empty()
            && stream
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        anyhow::ensure!(
            valid,
            "--stream {stream:?}: use letters, digits, - and _ only"
        );
        let client = async_nats::connect(url)
            .await
            .with_context(|| format!("connecting to the NATS server at {url}"))?;
        let js = jetstream::new(client.clone());
        Ok(Queue {
            client,
            js,
            stream: stream.to_string(),
        })
    }

    pub fn work_subject(&self) -> String {
        format!("{}.work", self.stream)
    }

    pub fn dead_subject(&self) -> String {
        format!("{}.dead", self.stream)
    }

    pub fn dead_stream_name(&self) -> String {
        format!("{}_DEAD", self.stream)
    }

    /// The work stream, created if absent: work-queue retention (a message
    /// is gone once acked) and the duplicate window.
    pub async fn work_stream(&self) -> Result<stream::Stream> {
        self.js
            .get_or_create_stream(stream::Config {
                name: self.stream.clone(),
                subjects: vec![self.work_subject()],
                retention: stream::RetentionPolicy::WorkQueue,
                duplicate_window: DUPLICATE_WINDOW,
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .with_context(|| format!("creating or opening the JetStream stream {}", self.stream))
    }

    /// The dead letters: kept until someone removes them (limits retention).
    pub async fn dead_stream(&self) -> Result<stream::Stream> {
        let name = self.dead_stream_name();
        self.js
            .get_or_create_stream(stream::Config {
                name: name.clone(),
                subjects: vec![self.dead_subject()],
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .with_context(|| format!("creating or opening the JetStream stream {name}"))
    }

    /// The workers' durable pull consumer, created if absent. The server
    /// redelivers without limit (`max_deliver` -1): the worker itself
    /// dead-letters a message after its `--max-deliver`, so that no
    /// message is ever left behind unseen.
    pub async fn consumer(&self, ack_wait: Duration) -> Result<consumer::PullConsumer> {
        let stream = self.work_stream().await?;
        stream
            .get_or_create_consumer(
                CONSUMER,
                consumer::pull::Config {
                    durable_name: Some(CONSUMER.to_string()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait,
                    max_deliver: -1,
                    ..Default::default()
                },
            )
            .await
            .with_context(|| format!("creating or opening the consumer {CONSUMER}"))
    }
}

/// Run `future` to completion on a runtime of its own: the commands are
/// synchronous, and the queue's client needs one (coding runs on its own
/// rayon threads, so two runtime threads are plenty).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    Ok(runtime.block_on(future))
}
