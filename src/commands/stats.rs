//! `warcoder stats`: counts of the event store.

use anyhow::{bail, Result};

#[derive(clap::Args)]
pub struct StatsArgs {
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,
}

pub fn run(_args: StatsArgs) -> Result<bool> {
    bail!("warcoder stats is being written (issue 7)")
}
