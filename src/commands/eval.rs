//! `warcoder eval`: scores against gold data (see ../shared/eval/METRICS.md).

use anyhow::{bail, Result};

#[derive(clap::Args)]
pub struct EvalArgs {
    #[arg(long)]
    pub gold: std::path::PathBuf,
}

pub fn run(_args: EvalArgs) -> Result<bool> {
    bail!("warcoder eval is being written (issue 3)")
}
