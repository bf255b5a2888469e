//! `warcoder queue stats` and `queue dead`, and the `--queue` / `--stream` flags that
//! `enqueue`, `work` and `queue stats` share.

use anyhow::Result;
use warcoder_queue::stats::QueueStats;
use warcoder_queue::Queue;

/// Which queue: the NATS server and the JetStream stream on it.
#[derive(clap::Args, Clone)]
pub struct QueueArgs {
    /// The NATS server with JetStream (nats://HOST:PORT).
    #[arg(long = "queue", value_name = "URL")]
    pub url: String,
    /// The work stream (its dead letters are in STREAM_DEAD).
    #[arg(long, default_value = warcoder_queue::DEFAULT_STREAM)]
    pub stream: String,
}

impl QueueArgs {
    pub async fn connect(&self) -> Result<Queue> {
        Queue::connect(&self.url, &self.stream).await
    }
}

#[derive(clap::Args)]
pub struct QueueCommandArgs {
    #[command(subcommand)]
    pub command: QueueCommand,
}

#[derive(clap::Subcommand)]
pub enum QueueCommand {
    /// Messages pending, in flight (delivered, not acked), redelivered and dead-lettered.
    Stats {
        #[command(flatten)]
        queue: QueueArgs,
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The dead letters, one JSON object a line: the failed item, the reason, the deliveries.
    Dead {
        #[command(flatten)]
        queue: QueueArgs,
    },
}

pub fn run(args: QueueCommandArgs) -> Result<bool> {
    match args.command {
        QueueCommand::Stats { queue, json } => {
            let stats = warcoder_queue::block_on(async {
                warcoder_queue::stats::stats(&queue.connect().await?).await
            })??;
            if json {
                outln!("{}", serde_json::to_string_pretty(&stats)?)?;
            } else {
                print!("{}", render(&queue.stream, &stats));
            }
            Ok(true)
        }
        QueueCommand::Dead { queue } => {
            let letters = warcoder_queue::block_on(async {
                warcoder_queue::stats::dead_letters(&queue.connect().await?).await
            })??;
            for letter in letters {
                outln!("{letter}")?;
            }
            Ok(true)
        }
    }
}

fn render(stream: &str, s: &QueueStats) -> String {
    format!(
        "stream {stream}: {} messages\n  pending          {:>9}\n  in flight        {:>9}\n  redelivered      {:>9}  (in flight again)\n  dead-lettered    {:>9}  ({stream}_DEAD)\n",
        s.messages, s.pending, s.in_flight, s.redelivered, s.dead_lettered
    )
}
