//! `warcoder events`: query the event store.

use anyhow::{bail, Result};

#[derive(clap::Args)]
pub struct EventsArgs {
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,
}

pub fn run(_args: EventsArgs) -> Result<bool> {
    bail!("warcoder events is being written (issue 7)")
}
