//! `warcoder gazetteer`: the local gazetteer overlay.

use anyhow::{bail, Result};

#[derive(clap::Args)]
pub struct GazetteerArgs {
    pub file: Option<std::path::PathBuf>,
}

pub fn run(_args: GazetteerArgs) -> Result<bool> {
    bail!("warcoder gazetteer import is being written (issue 4)")
}
