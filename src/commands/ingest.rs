//! `warcoder ingest`: articles and WARC files into the event store.

use anyhow::{bail, Result};

#[derive(clap::Args)]
pub struct IngestArgs {
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,
}

pub fn run(_args: IngestArgs) -> Result<bool> {
    bail!("warcoder ingest is being written (issue 7)")
}
