//! Subcommands with enough code to deserve their own file.

pub mod bench;
pub mod bench_ingest;
pub mod corrections;
pub mod demo;
pub mod enqueue;
pub mod eval;
pub mod eval_merge;
pub mod events;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod notes_corpus;
pub mod queue;
pub mod serve;
pub mod stats;
pub mod train;
pub mod train_places;
pub mod work;

use anyhow::{Context, Result};
use warcoder_core::model::GivenDate;

/// Refuse a PostgreSQL `--db` in a command that reads and writes SQLite
/// only, saying `why` and what to do instead, before anything is opened.
pub(crate) fn sqlite_only(db: &std::path::Path, command: &str, why: &str) -> Result<()> {
    match db.to_str().filter(|d| warcoder_store::pg::is_url(d)) {
        Some(url) => anyhow::bail!(
            "warcoder {command} does not yet take a PostgreSQL database ({}): {why}",
            warcoder_store::pg::redacted(url)
        ),
        None => Ok(()),
    }
}

/// `--reference-date` and `--force-reference-date`, shared by `extract` and `ingest`.
#[derive(clap::Args, Clone, Default)]
pub struct ReferenceDateArgs {
    /// The date relative expressions ("on Monday") resolve against for a
    /// document that has no date of its own (metadata, a publication line,
    /// a dated dateline).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub reference_date: Option<String>,
    /// Use --reference-date even where the document has its own date.
    #[arg(long, requires = "reference_date")]
    pub force_reference_date: bool,
}

impl ReferenceDateArgs {
    /// The date as the pipeline takes it; an error naming the flag when it is no date.
    pub fn given(&self) -> Result<Option<GivenDate>> {
        let Some(s) = self.reference_date.as_deref() else {
            return Ok(None);
        };
        let date = s
            .parse::<jiff::civil::Date>()
            .with_context(|| format!("--reference-date {s:?} is not a YYYY-MM-DD date"))?;
        Ok(Some(GivenDate {
            date,
            force: self.force_reference_date,
        }))
    }
}

/// `--all-languages`, shared by `extract`, `ingest` and `bench`.
#[derive(clap::Args, Clone, Copy, Default)]
pub struct LanguageArgs {
    /// Code every document as English. By default a document reliably in
    /// another language (French, Arabic ...) is not coded: the rules read
    /// English; it is reported by language instead.
    #[arg(long)]
    pub all_languages: bool,
}

impl LanguageArgs {
    pub fn languages(self) -> warcoder_core::language::Languages {
        if self.all_languages {
            warcoder_core::language::Languages::All
        } else {
            warcoder_core::language::Languages::EnglishOnly
        }
    }
}
