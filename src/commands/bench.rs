//! `warcoder bench`: throughput over a corpus in memory.

use anyhow::{bail, Result};

#[derive(clap::Args)]
pub struct BenchArgs {
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: BenchArgs) -> Result<bool> {
    bail!("warcoder bench is being written (issue 3)")
}
