//! `warcoder eval merge`: how often the incident merger joins reports of
//! different events (precision) and how often it joins reports of the same
//! story (recall).
//!
//! The corpus is ACLED's notes ([`super::notes_corpus`]): every distinct
//! note is a different event, so any two notes in one incident are a false
//! merge. Each note also comes back as a paraphrase (another outlet's
//! wording, published the same day) and every `--copy-every`-th note as an
//! undated copy (the note between another headline and a share line, no
//! publication date): each must join its note's incident. The demo's
//! multi-source articles (examples/) are scored the same way, with the
//! grouping their README gives.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use warcoder_store::ingest::IngestOptions;
use warcoder_store::{Membership, Store};

use super::notes_corpus::{self, Telling};

#[derive(clap::Args)]
pub struct MergeEvalArgs {
    /// ACLED export whose notes are the events (the training corpus).
    #[arg(long, value_name = "FILE")]
    pub notes: PathBuf,
    /// Notes to use, taken whole country-month by country-month, busiest
    /// first (0: all of them).
    #[arg(long, default_value_t = 8000)]
    pub sample: usize,
    /// Also ingest an undated copy of every N-th note (0: none).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub copy_every: usize,
    /// Keep the corpus and the store in this directory (default: a
    /// temporary one, removed afterwards).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Draw another sample: 0 takes the busiest country-months of all;
    /// another seed the busiest of about half of them, chosen by the seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How many false merges to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub errors: usize,
    /// Write every error to FILE as JSON lines: each incident that holds
    /// reports of different notes (with the checks each report passed),
    /// and each paraphrase or undated copy left apart from its note (with
    /// what the rule says of each pair of their events).
    #[arg(long, value_name = "FILE")]
    pub dump_errors: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The demo's reports of one incident (examples/README.md, "Reports of the
/// same incident").
const DEMO_STORIES: &[&[&str]] = &[
    &[
        "01-di-khan-bombing-wire.txt",
        "02-di-khan-bombing-localpaper.txt",
        "03-di-khan-bombing-monitor.txt",
    ],
    &[
        "04-zaporizhzhia-strike-wire.txt",
        "05-zaporizhzhia-strike-local.html",
    ],
];

/// Merge decisions over pairs of documents.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct PairScore {
    /// Pairs of documents sharing an incident.
    pub merged: usize,
    /// ... of which tell the same story.
    pub same_story: usize,
    /// same_story / merged (1 when nothing merged).
    pub precision: f64,
    /// Pairs that should share an incident.
    pub expected: usize,
    /// ... and do.
    pub found: usize,
    pub recall: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct MergeReport {
    pub commit: Option<String>,
    pub command: String,
    pub notes_file: String,
    pub notes: usize,
    pub documents: usize,
    /// Coded events of the original notes that belong to an incident.
    pub note_events: usize,
    /// Incidents holding an original note's event.
    pub note_incidents: usize,
    /// Original notes whose event shares an incident with another note's
    /// documents.
    pub notes_over_merged: usize,
    /// 1 - notes_over_merged / notes: the share of notes kept apart from
    /// every other note (the per-event view of precision).
    pub notes_kept_apart: f64,
    /// All pairs of the notes corpus (different notes merged are false).
    pub pairs: PairScore,
    /// False merges whose two notes are near-identical word for word
    /// ([`notes_corpus::word_likeness`] at least
    /// [`notes_corpus::SPLIT_SIMILARITY`]: a typo or a coder's remark
    /// apart): the true duplicates of one report split into several events
    /// that the corpus's estimate did not leave out.
    pub near_identical_pairs: usize,
    /// Precision over the merged pairs less those.
    pub precision_without_near_identical: f64,
    /// Recall on (note, paraphrase) pairs whose note has a dated event.
    pub paraphrase: PairScore,
    /// ... of them, those whose paraphrase changed the wording (the others
    /// differ from their note by the headline only).
    pub paraphrase_reworded: PairScore,
    /// Recall on (note, undated copy) pairs whose note has an event.
    pub undated_copy: PairScore,
    /// The demo's multi-source articles.
    pub demo: PairScore,
    /// Pairs of different notes merged, for a look (note ids).
    pub false_merges: Vec<(String, String)>,
    pub seconds: f64,
}

/// Pairs of documents sharing an incident.
fn merged_pairs(memberships: &[Membership]) -> BTreeSet<(String, String)> {
    let mut by_incident: BTreeMap<i64, BTreeSet<&str>> = BTreeMap::new();
    for m in memberships {
        by_incident
            .entry(m.incident)
            .or_default()
            .insert(&m.document);
    }
    let mut pairs = BTreeSet::new();
    for docs in by_incident.values() {
        let docs: Vec<&&str> = docs.iter().collect();
        for (i, a) in docs.iter().enumerate() {
            for b in &docs[i + 1..] {
                pairs.insert((a.to_string(), b.to_string()));
            }
        }
    }
    pairs
}

/// Score `merged` against the pairs that should be merged; `story` names
/// what a document tells (None: a document of no known story).
fn score(
    merged: &BTreeSet<(String, String)>,
    expected: &BTreeSet<(String, String)>,
    story: impl Fn(&str) -> Option<String>,
) -> PairScore {
    let same_story = merged
        .iter()
        .filter(|(a, b)| story(a).is_some() && story(a) == story(b))
        .count();
    let found = expected.iter().filter(|p| merged.contains(*p)).count();
    PairScore {
        merged: merged.len(),
        same_story,
        precision: if merged.is_empty() {
            1.0
        } else {
            same_story as f64 / merged.len() as f64
        },
        expected: expected.len(),
        found,
        recall: (!expected.is_empty()).then(|| found as f64 / expected.len() as f64),
    }
}

fn ordered(a: String, b: String) -> (String, String) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn note_story(document: &str) -> Option<String> {
    Telling::parse(document).map(|(_, id)| id.to_string())
}

/// The corpus of `sample` written as JSONL into `dir`: its path and how
/// many documents it holds.
fn write_corpus(
    sample: &[notes_corpus::Note],
    has_copy: impl Fn(usize) -> bool,
    dir: &Path,
) -> Result<(PathBuf, usize)> {
    let corpus = dir.join("merge-corpus.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&corpus)?);
    let mut documents = 0;
    for (i, note) in sample.iter().enumerate() {
        notes_corpus::write_jsonl(&mut w, note, Telling::Original, 0)?;
        notes_corpus::write_jsonl(&mut w, note, Telling::Paraphrase, 0)?;
        documents += 2;
        if has_copy(i) {
            notes_corpus::write_jsonl(&mut w, note, Telling::UndatedCopy, 0)?;
            documents += 1;
        }
    }
    w.flush()?;
    Ok((corpus, documents))
}

/// The notes corpus ingested into `dir`; the report without the demo.
fn notes_run(args: &MergeEvalArgs, dir: &Path) -> Result<MergeReport> {
    let started = std::time::Instant::now();
    let all = notes_corpus::read_notes(&args.notes)?;
    if all.is_empty() {
        bail!("{}: no usable notes", args.notes.display());
    }
    let sample = if args.sample == 0 {
        all
    } else {
        notes_corpus::densest_months(&all, args.sample, args.seed)
    };
    let has_copy = |i: usize| args.copy_every > 0 && i.is_multiple_of(args.copy_every);
    let (corpus, documents) = write_corpus(&sample, has_copy, dir)?;
    let db = dir.join("merge-eval.db");
    remove_store(&db);
    super::ingest::ingest_into(&db, &[corpus], &IngestOptions::default())?;
    let store = Store::open_existing(&db)?;
    let memberships = store.memberships()?;
    let merged = merged_pairs(&memberships);

    let mut note_events = 0;
    let mut note_incidents: HashMap<i64, ()> = HashMap::new();
    let mut dated_notes: BTreeSet<&str> = BTreeSet::new();
    let mut coded_notes: BTreeSet<&str> = BTreeSet::new();
    for m in &memberships {
        if let Some((Telling::Original, id)) = Telling::parse(&m.document) {
            note_events += 1;
            note_incidents.insert(m.incident, ());
            coded_notes.insert(id);
            if m.dated {
                dated_notes.insert(id);
            }
        }
    }
    let in_corpus = |telling: Telling, id: &str, i: usize| match telling {
        Telling::UndatedCopy => has_copy(i),
        _ => true,
    } && !id.is_empty();
    let expected = |telling: Telling,
                    among: &BTreeSet<&str>,
                    reworded_only: bool|
     -> BTreeSet<(String, String)> {
        sample
            .iter()
            .enumerate()
            .filter(|(i, n)| among.contains(n.id.as_str()) && in_corpus(telling, &n.id, *i))
            .filter(|(_, n)| !reworded_only || notes_corpus::paraphrase(&n.text) != n.text)
            .map(|(_, n)| {
                ordered(
                    format!("note:{}", n.id),
                    format!("{}:{}", telling.prefix(), n.id),
                )
            })
            .collect()
    };
    let paraphrases = expected(Telling::Paraphrase, &dated_notes, false);
    let copies = expected(Telling::UndatedCopy, &coded_notes, false);
    let false_merges: Vec<(String, String)> = merged
        .iter()
        .filter(|(a, b)| note_story(a) != note_story(b))
        .cloned()
        .collect();
    if let Some(path) = &args.dump_errors {
        let missed = paraphrases.union(&copies).filter(|p| !merged.contains(*p));
        dump_errors(path, &store, &memberships, missed)?;
    }
    let over_merged: BTreeSet<String> = false_merges
        .iter()
        .flat_map(|(a, b)| [a, b])
        .filter_map(|d| match Telling::parse(d) {
            Some((Telling::Original, id)) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let near_identical = near_identical(&false_merges, &sample);
    let pairs = score(&merged, &BTreeSet::new(), note_story);
    let false_list = false_merges.iter().take(args.errors).cloned().collect();
    Ok(MergeReport {
        commit: super::eval::commit(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
        notes_file: args.notes.display().to_string(),
        notes: sample.len(),
        documents,
        note_events,
        note_incidents: note_incidents.len(),
        notes_over_merged: over_merged.len(),
        notes_kept_apart: 1.0 - over_merged.len() as f64 / sample.len().max(1) as f64,
        near_identical_pairs: near_identical,
        precision_without_near_identical: pairs.same_story as f64
            / (pairs.merged - near_identical).max(1) as f64,
        pairs,
        paraphrase: score(&merged, &paraphrases, note_story),
        paraphrase_reworded: score(
            &merged,
            &expected(Telling::Paraphrase, &dated_notes, true),
            note_story,
        ),
        undated_copy: score(&merged, &copies, note_story),
        demo: PairScore::default(),
        false_merges: false_list,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// How many of the false merges join two notes near-identical word for
/// word (see [`MergeReport::near_identical_pairs`]).
fn near_identical(false_merges: &[(String, String)], sample: &[notes_corpus::Note]) -> usize {
    let text: HashMap<&str, &str> = sample
        .iter()
        .map(|n| (n.id.as_str(), n.text.as_str()))
        .collect();
    false_merges
        .iter()
        .filter(|(a, b)| match (note_story(a), note_story(b)) {
            (Some(a), Some(b)) => {
                text.get(a.as_str())
                    .zip(text.get(b.as_str()))
                    .is_some_and(|(a, b)| {
                        notes_corpus::word_likeness(a, b) >= notes_corpus::SPLIT_SIMILARITY
                    })
            }
            _ => false,
        })
        .count()
}

/// `--dump-errors`: one JSON line per incident holding reports of
/// different notes (each report with the checks it passed when it
/// joined), then one per expected pair left apart (each pair of their
/// events with what the rule says of it).
fn dump_errors<'a>(
    path: &Path,
    store: &Store,
    memberships: &[Membership],
    missed: impl Iterator<Item = &'a (String, String)>,
) -> Result<()> {
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    let mut stories: BTreeMap<i64, BTreeSet<Option<String>>> = BTreeMap::new();
    let mut incidents: HashMap<&str, BTreeSet<i64>> = HashMap::new();
    for m in memberships {
        stories
            .entry(m.incident)
            .or_default()
            .insert(note_story(&m.document));
        incidents.entry(&m.document).or_default().insert(m.incident);
    }
    for (&id, _) in stories.iter().filter(|(_, s)| s.len() > 1) {
        let reports: Vec<serde_json::Value> = store
            .merge_explanation(id)?
            .unwrap_or_default()
            .into_iter()
            .map(|r| serde_json::json!({"event": r.event, "url": r.document.url, "joined": r.joined}))
            .collect();
        let line = serde_json::json!({"kind": "false_merge", "incident": id, "reports": reports});
        writeln!(w, "{line}")?;
    }
    for (a, b) in missed {
        let line = serde_json::json!({
            "kind": "missed", "documents": [a, b],
            "incidents": [incidents.get(a.as_str()), incidents.get(b.as_str())],
            "checks": store.compare_documents(a, b)?,
        });
        writeln!(w, "{line}")?;
    }
    w.flush()?;
    Ok(())
}

/// The demo's articles ingested into `dir`, scored by [`DEMO_STORIES`].
fn demo_run(dir: &Path) -> Result<Option<PairScore>> {
    // The articles built into the binary: the same files as examples/.
    let examples = super::demo::BundledExamples::write()?;
    let db = dir.join("merge-demo.db");
    remove_store(&db);
    super::ingest::ingest_into(
        &db,
        std::slice::from_ref(&examples.dir),
        &IngestOptions::default(),
    )?;
    let file_name = |d: &str| d.rsplit(['/', '\\']).next().unwrap_or(d).to_string();
    let memberships: Vec<Membership> = Store::open_existing(&db)?
        .memberships()?
        .into_iter()
        .map(|m| Membership {
            document: file_name(&m.document),
            ..m
        })
        .collect();
    let story = |d: &str| {
        DEMO_STORIES
            .iter()
            .position(|s| s.contains(&d))
            .map(|i| i.to_string())
    };
    let expected: BTreeSet<(String, String)> = DEMO_STORIES
        .iter()
        .flat_map(|s| {
            s.iter().enumerate().flat_map(move |(i, a)| {
                s[i + 1..]
                    .iter()
                    .map(move |b| ordered(a.to_string(), b.to_string()))
            })
        })
        .collect();
    Ok(Some(score(&merged_pairs(&memberships), &expected, story)))
}

fn remove_store(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

pub fn run(args: MergeEvalArgs) -> Result<bool> {
    if !args.notes.is_file() {
        bail!(
            "{} not found: name an ACLED export (a CSV with ACLED's notes column) with --notes FILE",
            args.notes.display()
        );
    }
    crate::set_threads(args.threads)?;
    let temp;
    let dir = match &args.keep {
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
            d.clone()
        }
        None => {
            temp = TempDir::new()?;
            temp.0.clone()
        }
    };
    let mut report = notes_run(&args, &dir)?;
    if let Some(demo) = demo_run(&dir)? {
        report.demo = demo;
    }
    crate::print_report(args.json, &report, |w, r| render(w, r))?;
    Ok(true)
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir> {
        let dir = std::env::temp_dir().join(format!("warcoder-eval-merge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn render(w: &mut dyn Write, r: &MergeReport) -> std::io::Result<()> {
    let recall = |s: &PairScore| {
        s.recall.map_or("n/a".to_string(), |r| {
            format!("{r:.3} ({}/{})", s.found, s.expected)
        })
    };
    writeln!(
        w,
        "merge evaluation: {} ({} notes, {} documents, {:.0} s)",
        r.notes_file, r.notes, r.documents, r.seconds
    )?;
    writeln!(
        w,
        "  notes' events in incidents  {} events -> {} incidents; {} notes merged with another note ({:.4} kept apart)",
        r.note_events, r.note_incidents, r.notes_over_merged, r.notes_kept_apart
    )?;
    writeln!(
        w,
        "  precision (pairs)           {:.4} ({} of {} merged pairs tell one story)",
        r.pairs.precision, r.pairs.same_story, r.pairs.merged
    )?;
    writeln!(
        w,
        "    less near-identical notes {:.4} ({} false pairs of notes a typo or a remark apart)",
        r.precision_without_near_identical, r.near_identical_pairs
    )?;
    writeln!(w, "  recall, paraphrases         {}", recall(&r.paraphrase))?;
    writeln!(
        w,
        "    of which reworded         {}",
        recall(&r.paraphrase_reworded)
    )?;
    writeln!(
        w,
        "  recall, undated copies      {}",
        recall(&r.undated_copy)
    )?;
    writeln!(
        w,
        "  demo multi-source           precision {:.3} ({}/{}), recall {}",
        r.demo.precision,
        r.demo.same_story,
        r.demo.merged,
        recall(&r.demo)
    )?;
    if !r.false_merges.is_empty() {
        writeln!(w, "  false merges (first {}):", r.false_merges.len())?;
        for (a, b) in &r.false_merges {
            writeln!(w, "    {a}  {b}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(incident: i64, document: &str) -> Membership {
        Membership {
            incident,
            document: document.into(),
            dated: true,
        }
    }

    #[test]
    fn pairs_are_scored_by_story() {
        let memberships = [
            m(1, "note:A"),
            m(1, "para:A"),
            m(2, "note:B"),
            m(2, "note:C"),
            m(3, "para:B"),
        ];
        let merged = merged_pairs(&memberships);
        assert_eq!(merged.len(), 2);
        let expected: BTreeSet<_> = [
            ordered("note:A".into(), "para:A".into()),
            ordered("note:B".into(), "para:B".into()),
        ]
        .into();
        let s = score(&merged, &expected, note_story);
        assert_eq!((s.merged, s.same_story, s.found, s.expected), (2, 1, 1, 2));
        assert_eq!(s.precision, 0.5);
        assert_eq!(s.recall, Some(0.5));
    }
}
