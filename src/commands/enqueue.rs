//! `warcoder enqueue`: inputs into the work queue, for `warcoder work`.

use std::path::PathBuf;

use anyhow::Result;

#[derive(clap::Args)]
pub struct EnqueueArgs {
    #[command(flatten)]
    pub queue: super::queue::QueueArgs,
    /// Articles (text, HTML, JSONL), WARC files (.warc, .warc.gz) and
    /// directories; - for stdin. WARC files are sent as references: every
    /// worker must see them at the same absolute path.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: EnqueueArgs) -> Result<bool> {
    let report = warcoder_queue::block_on(async {
        let queue = args.queue.connect().await?;
        let mut failed = |message: &str| eprintln!("warcoder: error: {message}");
        let limits = warcoder_store::warc::Limits::default();
        warcoder_queue::enqueue::enqueue(&queue, &args.paths, limits, &mut failed).await
    })??;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        outln!(
            "{}: {} published, {} already queued ({} documents inline, {} references)",
            args.queue.stream,
            report.published,
            report.already_queued,
            report.documents,
            report.references
        )?;
        if report.not_articles > 0 {
            outln!(
                "  {} WARC members with no article, not sent",
                report.not_articles
            )?;
        }
        if report.failed > 0 {
            outln!(
                "  {} inputs could not be read (each reported above)",
                report.failed
            )?;
        }
    }
    Ok(report.failed == 0)
}
