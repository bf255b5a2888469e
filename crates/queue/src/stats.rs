//! `warcoder queue stats`: the queue's state as the server sees it.

use anyhow::{Context, Result};

use crate::{Queue, CONSUMER};

/// Counts of one queue.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueueStats {
    /// Messages in the work stream (not yet acked).
    pub messages: u64,
    /// Not yet delivered to any worker.
    pub pending: u64,
    /// Delivered and not yet acked.
    pub in_flight: usize,
    /// Delivered more than once and not yet acked.
    pub redelivered: usize,
    /// Messages in the dead-letter stream.
    pub dead_lettered: u64,
    /// Workers waiting on a pull right now.
    pub waiting_pulls: usize,
}

/// Read the counts; a queue no worker has started on yet has everything
/// pending, and no dead-letter stream yet means none.
pub async fn stats(queue: &Queue) -> Result<QueueStats> {
    let mut stream = queue.js.get_stream(&queue.stream).await.with_context(|| {
        format!(
            "no stream {} on this server: run `warcoder enqueue` first",
            queue.stream
        )
    })?;
    let messages = stream
        .info()
        .await
        .context("reading the stream")?
        .state
        .messages;
    let mut stats = QueueStats {
        messages,
        pending: messages,
        ..QueueStats::default()
    };
    if let Ok(consumer) = stream
        .get_consumer::<async_nats::jetstream::consumer::pull::Config>(CONSUMER)
        .await
    {
        let info = consumer.get_info().await.context("reading the consumer")?;
        stats.pending = info.num_pending;
        stats.in_flight = info.num_ack_pending;
        stats.redelivered = info.num_redelivered;
        stats.waiting_pulls = info.num_waiting;
    }
    if let Ok(mut dead) = queue.js.get_stream(queue.dead_stream_name()).await {
        stats.dead_lettered = dead
            .info()
            .await
            .context("reading the dead letters")?
            .state
            .messages;
    }
    Ok(stats)
}

/// Every dead letter still in the dead-letter stream, oldest first: the
/// failed item with its reason and deliveries (as the worker wrote it).
pub async fn dead_letters(queue: &Queue) -> Result<Vec<serde_json::Value>> {
    let Ok(mut dead) = queue.js.get_stream(queue.dead_stream_name()).await else {
        return Ok(Vec::new());
    };
    let state = dead
        .info()
        .await
        .context("reading the dead letters")?
        .state
        .clone();
    let mut letters = Vec::new();
    for sequence in state.first_sequence..=state.last_sequence {
        // A letter someone removed leaves a gap.
        let Ok(message) = dead.get_raw_message(sequence).await else {
            continue;
        };
        let letter = serde_json::from_slice(&message.payload).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&message.payload).into())
        });
        letters.push(letter);
    }
    Ok(letters)
}
