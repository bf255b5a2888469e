//! `warcoder demo`: the main job on the bundled examples.

use anyhow::{bail, Result};

#[derive(clap::Args)]
pub struct DemoArgs {
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,
}

pub fn run(_args: DemoArgs) -> Result<bool> {
    bail!("warcoder demo is being written (issue 7)")
}
