//! `warcoder demo`: the main job on the bundled example articles. Ingest
//! them into a fresh SQLite file and print the incidents table, where the
//! reports of one attack by several outlets appear as one row.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use warcoder_store::export::Format;
use warcoder_store::ingest::IngestOptions;
use warcoder_store::{Filter, Store};

/// The bundled example articles (examples/), built into the binary so that
/// the demo runs anywhere, not only in a source tree. A test checks that
/// the list names every article of examples/.
pub(crate) const EXAMPLES: &[(&str, &[u8])] = &[
    (
        "01-di-khan-bombing-wire.txt",
        include_bytes!("../../examples/01-di-khan-bombing-wire.txt"),
    ),
    (
        "02-di-khan-bombing-localpaper.txt",
        include_bytes!("../../examples/02-di-khan-bombing-localpaper.txt"),
    ),
    (
        "03-di-khan-bombing-monitor.txt",
        include_bytes!("../../examples/03-di-khan-bombing-monitor.txt"),
    ),
    (
        "04-zaporizhzhia-strike-wire.txt",
        include_bytes!("../../examples/04-zaporizhzhia-strike-wire.txt"),
    ),
    (
        "05-zaporizhzhia-strike-local.html",
        include_bytes!("../../examples/05-zaporizhzhia-strike-local.html"),
    ),
    (
        "06-syria-manbij-clashes.txt",
        include_bytes!("../../examples/06-syria-manbij-clashes.txt"),
    ),
    (
        "07-yemen-taiz-shelling.txt",
        include_bytes!("../../examples/07-yemen-taiz-shelling.txt"),
    ),
    (
        "08-mali-douentza-ambush.txt",
        include_bytes!("../../examples/08-mali-douentza-ambush.txt"),
    ),
    (
        "09-myanmar-shwebo-airstrike.txt",
        include_bytes!("../../examples/09-myanmar-shwebo-airstrike.txt"),
    ),
    (
        "10-colombia-jamundi-drone.txt",
        include_bytes!("../../examples/10-colombia-jamundi-drone.txt"),
    ),
    (
        "11-kashmir-kupwara-encounter.txt",
        include_bytes!("../../examples/11-kashmir-kupwara-encounter.txt"),
    ),
    (
        "12-ethiopia-dabat-drone-strike.txt",
        include_bytes!("../../examples/12-ethiopia-dabat-drone-strike.txt"),
    ),
    (
        "13-somalia-moqokori-seized.txt",
        include_bytes!("../../examples/13-somalia-moqokori-seized.txt"),
    ),
    ("feed.jsonl", include_bytes!("../../examples/feed.jsonl")),
];

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Articles to ingest (default: the example articles built into warcoder, the same as examples/ of the source tree).
    pub path: Option<PathBuf>,
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
    super::sqlite_only(
        &args.db,
        "demo",
        "the demo replaces its database at each run, which on a shared server could drop \
         others' data, and serves it. Run it on a SQLite file (the default), and load articles \
         into PostgreSQL with `warcoder ingest DIR --db URL`",
    )?;
    let bundled;
    let articles = match &args.path {
        Some(path) if !path.exists() => bail!(
            "{} does not exist: name a directory of articles (warcoder demo DIR), \
             or none for the bundled examples",
            path.display()
        ),
        Some(path) => path.as_path(),
        None => {
            bundled = BundledExamples::write()?;
            bundled.dir.as_path()
        }
    };
    replace(&args.db, articles, args.force)?;
    let summary = super::ingest::ingest_into(
        &args.db,
        &[articles.to_path_buf()],
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
    outln!()?;
    print_evidence(&store, &incidents, std::io::stdout().is_terminal())?;
    let db = args.db.display();
    outln!()?;
    outln!("Next: warcoder events --db {db} --format csv      (ACLED columns; also jsonl, geojson, plover)")?;
    outln!("      warcoder events --db {db} --country PK --from 2025-10-01")?;
    outln!("      warcoder stats --db {db}")?;
    if args.serve {
        outln!()?;
        let addr = super::serve::DEFAULT_ADDR.parse()?;
        return super::serve::serve(
            &args.db,
            addr,
            super::serve::local_token()?,
            warcoder_core::language::Languages::EnglishOnly,
        );
    }
    outln!()?;
    outln!("Open the map:  warcoder serve --db {db}")?;
    Ok(summary.failed == 0)
}

/// What a mark in an evidence sentence shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    /// The words that say what happened ("blew himself up").
    Act,
    Place,
    Toll,
}

impl Mark {
    fn label(self) -> &'static str {
        match self {
            Mark::Act => "act",
            Mark::Place => "place",
            Mark::Toll => "toll",
        }
    }

    /// Bold red, blue, yellow.
    fn colour(self) -> &'static str {
        match self {
            Mark::Act => "\x1b[1;31m",
            Mark::Place => "\x1b[1;34m",
            Mark::Toll => "\x1b[1;33m",
        }
    }
}

/// For each incident, the sentence of its first report that carries it,
/// with the act, the place and the toll marked: in colour on a terminal,
/// else in brackets with their names.
fn print_evidence(
    store: &Store,
    incidents: &[warcoder_store::Incident],
    colour: bool,
) -> Result<()> {
    outln!(
        "Evidence: the sentence behind each incident{}",
        if colour {
            format!(
                " ({}act{RESET}, {}place{RESET}, {}toll{RESET})",
                Mark::Act.colour(),
                Mark::Place.colour(),
                Mark::Toll.colour()
            )
        } else {
            String::new()
        }
    )?;
    for incident in incidents {
        let Some(evidence) = store.evidence(incident.id)? else {
            continue;
        };
        let Some((report, text)) = evidence
            .reports
            .iter()
            .find_map(|r| r.text.as_deref().map(|t| (r, t)))
        else {
            continue;
        };
        let event = &report.event;
        let sentence = event
            .evidence
            .iter()
            .find(|s| s[0] <= event.trigger.span[0] && event.trigger.span[1] <= s[1])
            .or(event.evidence.first())
            .copied()
            .unwrap_or(event.trigger.span);
        let mut marks = vec![(event.trigger.span, Mark::Act)];
        marks.extend(event.location.as_ref().map(|l| (l.span, Mark::Place)));
        if let Some(f) = &event.fatalities {
            marks.extend(f.estimates.iter().map(|e| (e.span, Mark::Toll)));
        }
        outln!(
            "{:>3}  {}  ({})",
            incident.id,
            marked(text, sentence, &marks, colour),
            report.document.outlet
        )?;
    }
    Ok(())
}

const RESET: &str = "\x1b[0m";

/// `text[sentence]` on one line with the marks inside it: coloured, or
/// `[label: words]`. Marks outside the sentence or overlapping an earlier
/// one are left out.
fn marked(text: &str, sentence: [usize; 2], marks: &[([usize; 2], Mark)], colour: bool) -> String {
    let mut marks: Vec<&([usize; 2], Mark)> = marks
        .iter()
        .filter(|(s, _)| sentence[0] <= s[0] && s[0] < s[1] && s[1] <= sentence[1])
        .filter(|(s, _)| text.is_char_boundary(s[0]) && text.is_char_boundary(s[1]))
        .collect();
    marks.sort_by_key(|(s, _)| (s[0], s[1]));
    let mut out = String::new();
    let mut at = sentence[0];
    for (span, mark) in marks {
        if span[0] < at {
            continue;
        }
        out.push_str(&text[at..span[0]]);
        let words = &text[span[0]..span[1]];
        if colour {
            out.push_str(&format!("{}{words}{RESET}", mark.colour()));
        } else {
            out.push_str(&format!("[{}: {words}]", mark.label()));
        }
        at = span[1];
    }
    out.push_str(&text[at..sentence[1]]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bundled examples written to a fresh temporary directory, removed
/// when dropped: ingest reads files.
pub(crate) struct BundledExamples {
    pub(crate) dir: PathBuf,
}

impl BundledExamples {
    pub(crate) fn write() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("warcoder-demo-{}", std::process::id()));
        let bundled = BundledExamples { dir };
        std::fs::create_dir_all(&bundled.dir)
            .with_context(|| format!("creating {}", bundled.dir.display()))?;
        for (name, bytes) in EXAMPLES {
            let path = bundled.dir.join(name);
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(bundled)
    }
}

impl Drop for BundledExamples {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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

#[cfg(test)]
mod tests {
    use super::{marked, Mark, EXAMPLES};

    #[test]
    fn evidence_marks_act_place_and_toll() {
        let text = "Intro. A bomber killed 11 people\nin Quetta on Monday. Next.";
        let sentence = [7, 53];
        let marks = [
            ([16, 22], Mark::Act),
            ([23, 25], Mark::Toll),
            ([36, 42], Mark::Place),
            ([0, 5], Mark::Place),
        ];
        assert_eq!(
            marked(text, sentence, &marks, false),
            "A bomber [act: killed] [toll: 11] people in [place: Quetta] on Monday."
        );
        let coloured = marked(text, sentence, &marks, true);
        assert!(coloured.contains("\x1b[1;31mkilled\x1b[0m"), "{coloured:?}");
    }

    /// Every article of examples/ is bundled, byte for byte.
    #[test]
    fn bundled_examples_are_the_examples_directory() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "README.md")
            .collect();
        on_disk.sort();
        let bundled: Vec<&str> = EXAMPLES.iter().map(|(n, _)| *n).collect();
        assert_eq!(bundled, on_disk, "update EXAMPLES in src/commands/demo.rs");
        for (name, bytes) in EXAMPLES {
            assert_eq!(std::fs::read(format!("{dir}/{name}")).unwrap(), *bytes);
        }
    }
}
