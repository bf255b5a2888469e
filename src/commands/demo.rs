//! `warcoder demo`: the main job on the bundled example articles. Ingest
//! them into a fresh SQLite file and print the incidents table, where the
//! reports of one attack by several outlets appear as one row.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use warcoder_store::export::Format;
use warcoder_store::ingest::IngestOptions;
use warcoder_store::{Filter, Store};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Articles to ingest (default: the examples/ of this source tree).
    #[arg(default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))]
    pub path: PathBuf,
    /// The database to create; an existing one is replaced.
    #[arg(long, default_value = "warcoder-demo.db")]
    pub db: PathBuf,
    /// Then serve the map of the demo database (as `warcoder serve`).
    #[arg(long)]
    pub serve: bool,
    /// Replace the database even when it holds documents from elsewhere
    /// than the demo's articles.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: DemoArgs) -> Result<bool> {
    if !args.path.exists() {
        bail!(
            "{} does not exist: the demo reads the example articles of a warcoder source tree; \
             name a directory of articles instead: warcoder demo DIR",
            args.path.display()
        );
    }
    replace(&args.db, &args.path, args.force)?;
    let summary = super::ingest::ingest_into(
        &args.db,
        std::slice::from_ref(&args.path),
        &IngestOptions::default(),
    )?;
    super::ingest::print_summary(&args.db, &summary)?;
    outln!()?;
    let store = Store::open_existing(&args.db)?;
    let incidents = store.incidents(&Filter::default())?;
    super::events::print_incidents(
        &incidents,
        Format::Table,
        Default::default(),
        Default::default(),
    )?;
    let db = args.db.display();
    outln!()?;
    outln!("Next: warcoder events --db {db} --format csv      (ACLED columns; also jsonl, geojson, plover)")?;
    outln!("      warcoder events --db {db} --country PK --from 2025-10-01")?;
    outln!("      warcoder stats --db {db}")?;
    if args.serve {
        outln!()?;
        let addr = super::serve::DEFAULT_ADDR.parse()?;
        return super::serve::serve(&args.db, addr, super::serve::local_token()?);
    }
    outln!()?;
    outln!("Open the map:  warcoder serve --db {db}   (then the address it prints, e.g. http://127.0.0.1:8080/)")?;
    Ok(summary.failed == 0)
}

/// Remove a previous demo database (and its WAL files), refusing to delete
/// a file that is not an SQLite database.
fn replace(db: &Path, articles: &Path, force: bool) -> Result<()> {
    if db.exists() && !force {
        refuse_foreign_store(db, articles)?;
    }
    if db.exists() {
        let mut head = [0u8; 16];
        let is_sqlite = std::fs::File::open(db)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok()
            && &head == b"SQLite format 3\0";
        let empty = std::fs::metadata(db).map(|m| m.len() == 0).unwrap_or(false);
        if !is_sqlite && !empty {
            bail!(
                "{} exists and is not an SQLite database; the demo replaces its database, so name another file with --db",
                db.display()
            );
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    Ok(())
}

/// A store holding documents from elsewhere than the demo's articles is
/// someone's work: the demo replaces it only with `--force`.
fn refuse_foreign_store(db: &Path, articles: &Path) -> Result<()> {
    let Ok(store) = Store::open_existing(db) else {
        // Not a store (or an empty file): the checks below say what to do.
        return Ok(());
    };
    let mut demo = std::collections::HashSet::new();
    let walk = warcoder_store::input::Walk::default();
    warcoder_store::input::for_each(&[articles.to_path_buf()], &walk, &mut |input| {
        if let warcoder_store::input::Input::Document(raw) = input {
            demo.insert(raw.id);
        }
        true
    });
    let foreign = store.documents_not_in(&demo)?;
    if foreign > 0 {
        bail!(
            "{} holds {foreign} documents that are not the demo's articles; the demo replaces \
             its database, so name another file with --db, or pass --force to replace it",
            db.display()
        );
    }
    Ok(())
}
