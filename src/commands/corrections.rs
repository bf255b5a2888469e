//! `warcoder corrections export`: analysts' corrections as training rows in
//! the corpus format (acled-train.csv's columns), for `warcoder train`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use warcoder_store::Store;

#[derive(clap::Args)]
pub struct CorrectionsArgs {
    #[command(subcommand)]
    pub command: CorrectionsCommand,
}

#[derive(clap::Subcommand)]
pub enum CorrectionsCommand {
    /// Write every corrected incident, corrections applied, as a training row
    /// (taxonomy "current", origin "correction").
    Export {
        /// The event store the corrections were made in.
        #[arg(long, default_value = "warcoder.db")]
        db: PathBuf,
        /// The CSV to write (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

pub fn run(args: CorrectionsArgs) -> Result<bool> {
    let CorrectionsCommand::Export { db, out } = args.command;
    let store = Store::open_existing(&db)?;
    let incidents = store
        .corrected_incidents()
        .with_context(|| format!("reading {}", db.display()))?;
    let mut w: Box<dyn Write> = match &out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    warcoder_store::export::training_rows(
        &mut w,
        &incidents,
        crate::export_context(Default::default()),
    )?;
    w.flush()?;
    if let Some(p) = out {
        eprintln!(
            "{}: {} corrected incident{} as training rows",
            p.display(),
            incidents.len(),
            if incidents.len() == 1 { "" } else { "s" }
        );
    }
    Ok(true)
}
