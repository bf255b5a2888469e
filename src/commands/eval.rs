//! `warcoder eval`: scores against gold data, as defined in
//! ../shared/eval/METRICS.md (the scoring itself is the `warcoder-eval` crate).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use warcoder_eval::{self as eval, GoldFormat, Options};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum FormatArg {
    /// ACLED export rows; the text is the `notes` column.
    AcledCsv,
    /// CASE 2021 task 2 snippets: id, text, label (tab-separated).
    CaseTsv,
    /// Geoparsing corpora in the LGL/TR-News XML shape.
    GeoXml,
}

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub what: Option<EvalCommand>,
    /// The gold file.
    #[arg(long, required = true)]
    pub gold: Option<PathBuf>,
    /// Its shape (default: from the extension: .csv, .tsv, .xml).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Print the report as JSON (METRICS.md field names as keys).
    #[arg(long)]
    pub json: bool,
    /// How many of the worst errors to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub errors: usize,
    /// Score only the first N well-formed records.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Code as `extract --no-propose` does: the models never propose an
    /// event where the rules find none (to measure what proposals add).
    #[arg(long)]
    pub no_propose: bool,
}

#[derive(clap::Subcommand)]
pub enum EvalCommand {
    /// The incident merger: precision on ACLED notes (each a different
    /// event), recall on paraphrased and undated copies and on the demo.
    Merge(super::eval_merge::MergeEvalArgs),
}

/// The git commit of the checkout warcoder was built from, "-dirty" when it
/// has uncommitted changes (METRICS.md: report the version scored).
pub fn commit() -> Option<String> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = std::process::Command::new("git")
        .args([
            "-C",
            dir,
            "describe",
            "--always",
            "--dirty",
            "--abbrev=12",
            "--exclude",
            "*",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

pub fn run(args: EvalArgs) -> Result<bool> {
    let gold = match (args.what, args.gold) {
        (Some(EvalCommand::Merge(merge)), _) => return super::eval_merge::run(merge),
        (None, Some(gold)) => gold,
        (None, None) => bail!("name the gold file with --gold, or run `warcoder eval merge`"),
    };
    let format = match args.format {
        Some(FormatArg::AcledCsv) => GoldFormat::AcledCsv,
        Some(FormatArg::CaseTsv) => GoldFormat::CaseTsv,
        Some(FormatArg::GeoXml) => GoldFormat::GeoXml,
        None => match GoldFormat::from_path(&gold) {
            Some(f) => f,
            None => bail!("{}: cannot tell the gold format from the extension; pass --format acled-csv|case-tsv|geo-xml", gold.display()),
        },
    };
    crate::set_threads(args.threads)?;
    let data = std::fs::read(&gold).with_context(|| format!("{}: cannot read", gold.display()))?;
    let name = gold.display().to_string();
    let res = crate::config::resources();

    let bar = crate::progress_bar(None, "{spinner} {pos} texts coded  {rate}  {elapsed}");
    let tick = || bar.inc(1);
    let opts = Options {
        limit: args.limit,
        errors: args.errors,
        tick: Some(&tick),
        config: warcoder_core::config::Config {
            propose: !args.no_propose,
            ..warcoder_core::config::Config::new(warcoder_core::budget::Budget::unlimited())
        },
    };
    let mut report = eval::evaluate(format, &name, &data, res, &opts)?;
    bar.finish_and_clear();
    report.commit = commit();
    report.command = Some(std::env::args().collect::<Vec<_>>().join(" "));

    crate::print_report(args.json, &report, |w, r| write!(w, "{}", r.render_text()))?;
    if report.parse_failures > 0 {
        eprintln!(
            "warcoder: {} record(s) of {name} failed to parse (listed in the report)",
            report.parse_failures
        );
    }
    Ok(report.parse_failures == 0)
}
