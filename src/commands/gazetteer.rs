//! `warcoder gazetteer`: the local gazetteer overlay.
//!
//! - `import FILE`: merge the populated places and admin areas of a GeoNames
//!   dump (`allCountries.txt`, `SY.txt`, plain or gzipped; `-` for stdin)
//!   into the overlay that later runs load on top of the embedded gazetteer;
//! - `lookup NAME`: the entries a name matches, embedded and overlay;
//! - `info`: where the overlay is and what it holds.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use warcoder_core::gazetteer::{self, Gazetteer};
use warcoder_sources as sources;

#[derive(clap::Args)]
pub struct GazetteerArgs {
    #[command(subcommand)]
    pub command: GazetteerCommand,
}

#[derive(clap::Subcommand)]
pub enum GazetteerCommand {
    /// Add the populated places (PPL*) and admin areas (ADM1-ADM5) of a
    /// GeoNames dump to the local overlay; later runs use them.
    Import {
        /// A GeoNames dump in the standard 19-column tab-separated format
        /// (allCountries.txt, SY.txt; unzip GeoNames' .zip first; .gz is
        /// read as is); - for standard input.
        file: PathBuf,
        /// The overlay to write (default: $WARCODER_OVERLAY, else
        /// $XDG_DATA_HOME/warcoder/overlay.tsv.gz, else
        /// ~/.local/share/warcoder/overlay.tsv.gz).
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// Keep only these countries (ISO 3166-1 alpha-2, comma-separated),
        /// e.g. to import a few countries from allCountries.txt.
        #[arg(long, value_delimiter = ',', value_name = "CC,...")]
        countries: Vec<String>,
    },
    /// Show the gazetteer entries a name matches.
    Lookup {
        name: String,
        /// Use this overlay instead of the default one.
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Where the overlay is and how many entries the gazetteer has.
    Info {
        #[arg(long)]
        overlay: Option<PathBuf>,
    },
}

fn overlay_or_default(overlay: Option<PathBuf>) -> Option<PathBuf> {
    overlay.or_else(|| crate::config::settings().overlay.clone())
}

/// The gazetteer with `overlay` (an error when it does not load), else
/// with the default overlay when present (left out with a warning when
/// broken), as every command loads it.
fn open_with(overlay: &Option<PathBuf>) -> Result<Gazetteer> {
    match overlay {
        Some(p) => sources::overlay::open(p)
            .with_context(|| format!("cannot load the overlay {}", p.display())),
        None => Ok(crate::config::default_gazetteer()),
    }
}

fn open_dump(file: &Path) -> Result<Box<dyn BufRead>> {
    let raw: Box<dyn Read> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
        )
    };
    gazetteer::dump_reader(raw).with_context(|| format!("cannot read {}", file.display()))
}

pub fn run(args: GazetteerArgs) -> Result<bool> {
    match args.command {
        GazetteerCommand::Import {
            file,
            overlay,
            countries,
        } => {
            let Some(target) = overlay_or_default(overlay) else {
                bail!("no overlay path: pass --overlay PATH (WARCODER_OVERLAY is empty or none and HOME is unset)");
            };
            let dump = open_dump(&file)?;
            let stats = sources::overlay::import(dump, &target, &countries)
                .with_context(|| format!("cannot import {}", file.display()))?;
            if stats.kept == 0 {
                eprintln!(
                    "warcoder: {} has no populated place or admin area in GeoNames' format ({} lines read, {} malformed)",
                    file.display(),
                    stats.read,
                    stats.malformed
                );
            }
            for (line, why) in &stats.problems {
                eprintln!("warcoder: {}:{line}: skipped: {why}", file.display());
            }
            // Check that the result loads.
            let g = sources::overlay::open(&target)
                .with_context(|| format!("the overlay {} does not load", target.display()))?;
            outln!(
                "imported {} of {} rows from {} into {} ({} rows, {} new entries{})",
                stats.kept,
                stats.read,
                file.display(),
                target.display(),
                stats.overlay_rows,
                g.overlay_len(),
                if stats.malformed > 0 {
                    format!(", {} malformed lines skipped", stats.malformed)
                } else {
                    String::new()
                }
            )?;
            Ok(stats.kept > 0)
        }
        GazetteerCommand::Lookup {
            name,
            overlay,
            json,
        } => {
            let g = open_with(&overlay)?;
            let (ids, fuzzy) = g.lookup(&name);
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            for id in &ids {
                let e = g.entry(*id);
                let admin1 = g.admin1_of(e).map(|a| a.name.to_string());
                let written = if json {
                    writeln!(
                        w,
                        "{}",
                        serde_json::json!({
                            "geonameid": e.geonameid,
                            "name": e.name,
                            "level": e.level,
                            "country": e.country_code(),
                            "admin1": admin1,
                            "feature_code": e.feature_code,
                            "population": e.population,
                            "lat": e.lat,
                            "lon": e.lon,
                            "overlay": *id as usize >= g.len() - g.overlay_len(),
                            "spelling_variant": fuzzy,
                        })
                    )
                } else {
                    writeln!(
                        w,
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4}\t{:.4}{}",
                        e.geonameid.map(|g| g.to_string()).unwrap_or_default(),
                        e.name,
                        e.country_code(),
                        admin1.unwrap_or_default(),
                        e.feature_code,
                        e.population,
                        serde_json::to_value(e.level)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        e.lat,
                        e.lon,
                        if fuzzy { "\tspelling variant" } else { "" }
                    )
                };
                match written {
                    // `warcoder gazetteer lookup X | head` closes the pipe early.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(true),
                    r => r?,
                }
            }
            match w.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e)?,
                _ => {}
            }
            Ok(!ids.is_empty())
        }
        GazetteerCommand::Info { overlay } => {
            let path = overlay_or_default(overlay.clone());
            let g = open_with(&overlay)?;
            outln!("entries      {}", g.len())?;
            outln!("overlay      {}", g.overlay_len())?;
            match path {
                Some(p) if p.exists() => outln!("overlay path {}", p.display()),
                Some(p) => outln!("overlay path {} (absent)", p.display()),
                None => outln!("overlay path none (WARCODER_OVERLAY is empty or none)"),
            }?;
            outln!("{}", warcoder_core::ATTRIBUTION)?;
            Ok(true)
        }
    }
}
