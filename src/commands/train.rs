//! `warcoder train`: fit the learned stages (`warcoder_core::learned`) to
//! the training corpus, report grouped-by-country cross-validation, and
//! write the models under data/model/. Reading the corpus is this file's
//! job; features, models and fitting are the library's.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use rayon::prelude::*;
use warcoder_core::learned::{
    self, text_features, Models, TextFeatures, FEATURE_BITS, KEEP_RULE_TYPE, OWN_ACTOR_WEIGHT,
    SHORT_TEXT_BYTES,
};
use warcoder_core::output::EventOut;
use warcoder_core::pipeline::Products;
use warcoder_core::Resources;
use warcoder_eval::acled::clean_note;
use warcoder_eval::SUB_EVENT_TYPES;
use warcoder_learn::{train, Example, Feature, LinearModel, TrainOptions};

pub use super::train_places::Only;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum CvKind {
    /// Folds of whole countries: train on some countries, score on the others.
    Country,
    /// No cross-validation (the models keep an uncalibrated temperature of 1).
    None,
}

#[derive(clap::Args)]
pub struct TrainArgs {
    /// The training corpus: acled-train.csv and news/.
    #[arg(long, default_value = "../shared/eval/train")]
    pub corpus: PathBuf,
    /// Where the model files go.
    #[arg(long, default_value = "data/model")]
    pub out: PathBuf,
    /// Cross-validation before the final fit; its held-out predictions also
    /// calibrate the models' confidence.
    #[arg(long, value_enum, default_value_t = CvKind::Country)]
    pub cv: CvKind,
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Report only; write no model files.
    #[arg(long)]
    pub dry_run: bool,
    /// Use only the first N ACLED rows (quick trials).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Also train on the rows that are in the dev sets (origin `dev`): their
    /// dev scores then mean nothing.
    #[arg(long)]
    pub include_dev: bool,
    /// Passes of SGD over the examples.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    pub epochs: usize,
    /// log2 of the hashed feature space (more buckets: fewer collisions,
    /// bigger model files).
    #[arg(long, default_value_t = FEATURE_BITS)]
    pub bits: u32,
    /// SGD's initial learning rate (divided by the epoch number after).
    #[arg(long, default_value_t = TrainOptions::default().learning_rate)]
    pub learning_rate: f32,
    #[arg(long)]
    pub threads: Option<usize>,
    /// Which models to fit: the place ranker, the event coder's, or all.
    #[arg(long, value_enum, default_value_t = Only::All)]
    pub only: Only,
}

/// One ACLED row as training needs it.
struct Row {
    note: String,
    country: String,
    /// Index into SUB_EVENT_TYPES; None for the pre-2019 taxonomy.
    sub_event: Option<u16>,
    inter1: u8,
    inter2: Option<u8>,
    fatalities: u64,
    /// The note is coded once in the corpus (not copied onto several
    /// places, whose tolls ACLED splits).
    single: bool,
}

/// A row with the features the rules' output gives it.
struct Coded {
    row: Row,
    features: TextFeatures,
}

/// The ACLED training file opened, with the columns of `names` in its header.
pub(crate) fn open_acled<const N: usize>(
    path: &Path,
    names: [&str; N],
) -> Result<(csv::Reader<std::fs::File>, [usize; N])> {
    let mut rdr = csv::Reader::from_path(path).with_context(|| {
        format!(
            "{}: cannot read the ACLED training file (pass --corpus DIR)",
            path.display()
        )
    })?;
    let header = rdr.headers()?.clone();
    let mut cols = [0; N];
    for (col, name) in cols.iter_mut().zip(names) {
        *col = header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name}", path.display()))?;
    }
    Ok((rdr, cols))
}

fn read_acled(path: &Path, include_dev: bool, limit: Option<usize>) -> Result<Vec<Row>> {
    let (mut rdr, [notes, sub, inter1, inter2, country, taxonomy, origin, fatalities]) =
        open_acled(
            path,
            [
                "notes",
                "sub_event_type",
                "inter1",
                "inter2",
                "country",
                "taxonomy",
                "origin",
                "fatalities",
            ],
        )?;
    let mut rows: Vec<Row> = Vec::new();
    // ACLED copies one note onto each place of an event: learn each note
    // once (the row it first appears in, marked as not single).
    let mut seen: HashMap<String, usize> = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{}: unreadable row", path.display()))?;
        if &rec[origin] == "dev" && !include_dev {
            continue;
        }
        let note = clean_note(&rec[notes]);
        let Ok(inter1) = rec[inter1].parse::<u8>() else {
            continue;
        };
        if let Some(&first) = seen.get(&note) {
            rows[first].single = false;
            continue;
        }
        if note.is_empty() || !(1..=8).contains(&inter1) {
            continue;
        }
        seen.insert(note.clone(), rows.len());
        let current = &rec[taxonomy] == "current";
        rows.push(Row {
            note,
            country: rec[country].to_string(),
            sub_event: SUB_EVENT_TYPES
                .iter()
                .position(|s| current && *s == &rec[sub])
                .map(|i| i as u16),
            inter1,
            inter2: rec[inter2]
                .parse::<u8>()
                .ok()
                .filter(|i| (1..=8).contains(i)),
            fatalities: rec[fatalities].parse().unwrap_or(0),
            single: true,
        });
        if limit.is_some_and(|n| rows.len() >= n) {
            break;
        }
    }
    Ok(rows)
}

/// The text column of a news TSV, with the label column when `label_col` is given.
fn read_news(path: &Path) -> Result<Vec<(String, Vec<String>)>> {
    let data = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the news file", path.display()))?;
    Ok(data
        .lines()
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let text = cols.next()?.trim().to_string();
            (!text.is_empty()).then(|| (text, cols.map(str::to_string).collect()))
        })
        .collect())
}

/// Run the rules on every text, in parallel, in order.
fn code_all(texts: Vec<&str>, res: &Resources, bits: u32, what: &str) -> Vec<TextFeatures> {
    let bar = crate::progress_bar(
        Some(texts.len() as u64),
        &format!("{{bar:40}} {{pos}}/{{len}} {what}  {{per_sec}}  eta {{eta}}"),
    );
    let out = texts
        .into_par_iter()
        .map(|t| {
            let f = text_features(t, res, bits);
            bar.inc(1);
            f
        })
        .collect();
    bar.finish_and_clear();
    out
}

/// The three training sets, built from the coded texts.
struct Sets {
    sub_event: Vec<(usize, Example)>,
    actor_type: Vec<(usize, Example)>,
    /// Per actor example: true for the row's inter1 actor, false for inter2.
    actor_first: Vec<bool>,
    /// Event features -> type of the first actor / of the second ("0": none).
    actor1_type: Vec<(usize, Example)>,
    actor2_type: Vec<(usize, Example)>,
    /// Relevance examples from the notes (folded by country with them)...
    relevance_notes: Vec<(usize, Example)>,
    /// ... and from the news texts (always trained on).
    relevance_news: Vec<Example>,
    /// Positives read in a long text: each event of a digest of notes
    /// ([`note_digests`]), folded by the country of its first note.
    relevance_digests: Vec<(usize, Example)>,
}

/// The sub-event type the pipeline gives a row from the model's held-out
/// scores `s`: the rules' type unless the model rejects it.
fn shipped_type<'a>(c: &Coded, s: &[f32], subs: &'a [String]) -> &'a str {
    let rule = c.features.rule_sub_event.as_deref();
    let rule_class = rule.and_then(|r| subs.iter().position(|x| x == r));
    subs[learned::keep_or_retype(&softmax(s), rule_class, KEEP_RULE_TYPE)].as_str()
}

/// The ACLED event type of a sub-event type.
fn event_type_of<'a>(res: &'a Resources, sub_event: &str) -> Option<&'a str> {
    res.ontology
        .sub_event(sub_event)
        .map(|o| o.event_type.as_str())
}

fn relevance_classes() -> Vec<String> {
    vec!["no".into(), "yes".into()]
}

/// Probabilities of raw class scores.
fn softmax(s: &[f32]) -> Vec<f32> {
    let max = s.iter().copied().fold(f32::MIN, f32::max);
    let z: f32 = s.iter().map(|v| (v - max).exp()).sum();
    s.iter().map(|v| (v - max).exp() / z).collect()
}

fn sub_event_classes() -> Vec<String> {
    SUB_EVENT_TYPES.iter().map(|s| s.to_string()).collect()
}

fn actor_classes() -> Vec<String> {
    (1..=8).map(|i: u8| i.to_string()).collect()
}

/// Actor types with "0" for no actor.
fn actor2_classes() -> Vec<String> {
    (0..=8).map(|i: u8| i.to_string()).collect()
}

/// ACLED notes outnumber the negative news texts fifty to one: the
/// relevance model sees every `RELEVANCE_STRIDE`-th note, so that both
/// sides weigh alike.
const RELEVANCE_STRIDE: usize = 8;

/// The digests add positives only: the negative news examples are
/// repeated (each as many times as the positives grew with the digests),
/// so that the two sides weigh as they did without them; else every
/// short text gains relevance ("Arsenal beat Chelsea" got 0.9). Returns
/// (negatives, times each is seen).
fn weigh_negatives(sets: &mut Sets) -> (usize, usize) {
    let negatives: Vec<Example> = sets
        .relevance_news
        .iter()
        .filter(|e| e.label == 0)
        .cloned()
        .collect();
    let without = sets.relevance_notes.len() + sets.relevance_news.len() - negatives.len();
    let with = without + sets.relevance_digests.len();
    let times = ((with as f64 / without.max(1) as f64).round() as usize).max(1);
    for _ in 1..times {
        sets.relevance_news.extend(negatives.iter().cloned());
    }
    (negatives.len(), times)
}

/// Notes of one country a digest joins at most ([`note_digests`]).
const DIGEST_NOTES: usize = 6;

/// Long texts of political violence for the relevance model, which reads
/// the whole document around an event: without them its only long
/// positives are SATP's reports, and a war article from elsewhere looked
/// like the business and sport pages. Every `RELEVANCE_STRIDE`-th row
/// (offset by half a stride, so not the rows read as single notes) with
/// the following rows of its country, up to [`DIGEST_NOTES`], as
/// paragraphs: a digest as a news site writes one. Returns (first row, text).
fn note_digests(rows: &[&Row]) -> Vec<(usize, String)> {
    (RELEVANCE_STRIDE / 2..rows.len())
        .step_by(RELEVANCE_STRIDE)
        .map(|i| {
            let notes: Vec<&str> = rows[i..]
                .iter()
                .take(2 * DIGEST_NOTES)
                .filter(|r| r.country == rows[i].country)
                .take(DIGEST_NOTES)
                .map(|r| r.note.as_str())
                .collect();
            (i, notes.join("\n\n"))
        })
        .collect()
}

/// Examples, each with the index of the row it comes from (for the folds).
fn build_sets(coded: &[Coded], positives: &[TextFeatures], negatives: &[TextFeatures]) -> Sets {
    let mut sets = Sets {
        sub_event: Vec::new(),
        actor_type: Vec::new(),
        actor_first: Vec::new(),
        actor1_type: Vec::new(),
        actor2_type: Vec::new(),
        relevance_notes: Vec::new(),
        relevance_news: Vec::new(),
        relevance_digests: Vec::new(),
    };
    for (i, c) in coded.iter().enumerate() {
        if let Some(label) = c.row.sub_event {
            sets.sub_event.push((i, example(&c.features.event, label)));
        }
        let actors = [
            (&c.features.actor1, Some(c.row.inter1), true),
            (&c.features.actor2, c.row.inter2, false),
        ];
        for (actor, gold, first) in actors {
            if let (Some((f, _)), Some(gold)) = (actor, gold) {
                sets.actor_type.push((i, example(f, u16::from(gold - 1))));
                sets.actor_first.push(first);
            }
        }
        let event = &c.features.event;
        sets.actor1_type
            .push((i, example(event, u16::from(c.row.inter1 - 1))));
        sets.actor2_type
            .push((i, example(event, u16::from(c.row.inter2.unwrap_or(0)))));
        // Without a rule event, a note's features are its whole text's:
        // what the models read to propose an event in it.
        if i % RELEVANCE_STRIDE == 0 {
            sets.relevance_notes
                .push((i, example(&c.features.relevance, 1)));
        }
    }
    // Short negative texts as negatives of their own (whole-text features)
    // made the model drop real events in news sentences (cameo-quad-test
    // quad 4 68.5 -> 61.1 %): only the rules' events of the news are used.
    // But a short text without a rule event is what proposals read: as
    // a whole, it is an example of its own, else every such text looks
    // like the notes the rules miss ("The central bank raised interest
    // rates" got 0.95).
    for (texts, label) in [(positives, 1), (negatives, 0)] {
        for t in texts {
            for f in &t.events {
                sets.relevance_news.push(example(f, label));
            }
            if t.proposable.is_some() {
                sets.relevance_news.push(example(&t.relevance, label));
            }
        }
    }
    sets
}

fn example(features: &[Feature], label: u16) -> Example {
    Example {
        features: features.to_vec(),
        label,
    }
}

pub(crate) fn fit(
    examples: &[&Example],
    classes: Vec<String>,
    opts: &TrainOptions,
    what: &str,
) -> LinearModel {
    let bar = crate::progress_bar(
        Some(opts.epochs as u64),
        &format!("{{bar:40}} {{pos}}/{{len}} epochs ({what})  eta {{eta}}"),
    );
    let m = train(examples, classes, opts, &mut |e| bar.set_position(e as u64));
    bar.finish_and_clear();
    m
}

/// Countries into `k` folds of about equal size: largest first, each to
/// the smallest fold so far (ties to the lower fold): deterministic. One
/// fold per item of `countries` (an item's country).
pub(crate) fn country_folds(countries: &[&str], k: usize) -> Vec<usize> {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for c in countries {
        *sizes.entry(c).or_default() += 1;
    }
    let mut by_size: Vec<(&str, usize)> = sizes.into_iter().collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut load = vec![0usize; k];
    let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (country, n) in by_size {
        let f = (0..k).min_by_key(|&f| (load[f], f)).unwrap_or(0);
        load[f] += n;
        fold_of.insert(country, f);
    }
    countries.iter().map(|c| fold_of[c]).collect()
}

/// Held-out class scores of every example, by training on the other
/// folds (and on the examples of no row, `always`, in every fold).
fn held_out(
    examples: &[(usize, Example)],
    always: &[Example],
    fold_of_row: &[usize],
    k: usize,
    classes: &[String],
    opts: &TrainOptions,
    what: &str,
) -> Vec<Vec<f32>> {
    let models = fold_models(examples, always, fold_of_row, k, classes, opts, what);
    examples
        .iter()
        .map(|(r, e)| models[fold_of_row[*r]].scores(&e.features))
        .collect()
}

/// One model per fold, each trained on the examples of the other folds
/// and on `always`.
pub(crate) fn fold_models(
    examples: &[(usize, Example)],
    always: &[Example],
    fold_of_row: &[usize],
    k: usize,
    classes: &[String],
    opts: &TrainOptions,
    what: &str,
) -> Vec<LinearModel> {
    let bar = crate::progress_bar(
        Some(k as u64),
        &format!("{{bar:40}} {{pos}}/{{len}} folds ({what})  eta {{eta}}"),
    );
    // Folds in parallel: each fit is deterministic on its own.
    let models: Vec<LinearModel> = (0..k)
        .into_par_iter()
        .map(|fold| {
            let train_set: Vec<&Example> = examples
                .iter()
                .filter(|(r, _)| fold_of_row[*r] != fold)
                .map(|(_, e)| e)
                .chain(always)
                .collect();
            let m = train(&train_set, classes.to_vec(), opts, &mut |_| {});
            bar.inc(1);
            m
        })
        .collect();
    bar.finish_and_clear();
    models
}

fn argmax(s: &[f32]) -> usize {
    (0..s.len())
        .max_by(|&a, &b| s[a].total_cmp(&s[b]).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// The softmax temperature that minimises the held-out log loss.
fn fit_temperature(scores: &[Vec<f32>], labels: &[u16]) -> f32 {
    let nll = |t: f32| -> f64 {
        scores
            .iter()
            .zip(labels)
            .map(|(s, &y)| {
                let max = s.iter().copied().fold(f32::MIN, f32::max);
                let z: f64 = s.iter().map(|v| f64::from((v - max) / t).exp()).sum();
                z.ln() - f64::from((s[y as usize] - max) / t)
            })
            .sum()
    };
    (1..=60)
        .map(|i| i as f32 * 0.05)
        .min_by(|&a, &b| nll(a).total_cmp(&nll(b)))
        .unwrap_or(1.0)
}

/// Accuracy counter printed as "0.912 (n=1234)".
#[derive(Default, Clone, Copy)]
pub(crate) struct Acc {
    right: usize,
    n: usize,
}

impl Acc {
    pub(crate) fn add(&mut self, ok: bool) {
        self.right += usize::from(ok);
        self.n += 1;
    }
}

impl std::fmt::Display for Acc {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let r = self.right as f64 / self.n.max(1) as f64;
        write!(f, "{r:.3} (n={})", self.n)
    }
}

/// Softmax temperatures fitted on held-out predictions (1: uncalibrated).
struct Temperatures {
    sub_event: f32,
    actor: f32,
    actor1: f32,
    actor2: f32,
}

/// Grouped-by-country cross-validation of the type models against the
/// rules on the same rows; returns the fitted temperatures (sub-event, actor).
fn cross_validate(
    coded: &[Coded],
    sets: &Sets,
    k: usize,
    opts: &TrainOptions,
    res: &Resources,
) -> Temperatures {
    let countries: Vec<&str> = coded.iter().map(|c| c.row.country.as_str()).collect();
    let fold_of = country_folds(&countries, k);
    let subs = sub_event_classes();
    let sub_scores = held_out(&sets.sub_event, &[], &fold_of, k, &subs, opts, "sub-event");
    let actor_scores = held_out(
        &sets.actor_type,
        &[],
        &fold_of,
        k,
        &actor_classes(),
        opts,
        "actor type",
    );
    let actor1_scores = held_out(
        &sets.actor1_type,
        &[],
        &fold_of,
        k,
        &actor_classes(),
        opts,
        "first actor's type",
    );
    let actor2_scores = held_out(
        &sets.actor2_type,
        &[],
        &fold_of,
        k,
        &actor2_classes(),
        opts,
        "second actor's type",
    );
    // Trained on the digests of the other folds too, scored on the notes.
    let relevance_models = fold_models(
        &[&sets.relevance_notes[..], &sets.relevance_digests[..]].concat(),
        &sets.relevance_news,
        &fold_of,
        k,
        &relevance_classes(),
        opts,
        "relevance",
    );
    let relevance_scores: Vec<Vec<f32>> = sets
        .relevance_notes
        .iter()
        .map(|(r, e)| relevance_models[fold_of[*r]].scores(&e.features))
        .collect();
    // Per row without a rule event: the held-out relevance of its whole
    // text, where the models may propose an event in it (every such row:
    // the fold's model never saw its country).
    let proposal_p: BTreeMap<usize, f32> = coded
        .iter()
        .enumerate()
        .filter(|(_, c)| c.features.proposable.is_some() && !c.features.scored)
        .map(|(r, c)| {
            let s = relevance_models[fold_of[r]].scores(&c.features.relevance);
            (r, softmax(&s)[1])
        })
        .collect();
    // Whether the pipeline codes an event in a row: the rules found one,
    // or the models propose one.
    let coded_at_all = |r: usize| {
        coded[r].features.scored
            || proposal_p
                .get(&r)
                .is_some_and(|p| *p >= learned::PROPOSAL_THRESHOLD)
    };
    let kept: Vec<f32> = sets
        .relevance_notes
        .iter()
        .zip(&relevance_scores)
        .filter(|((r, _), _)| coded[*r].features.scored)
        .map(|(_, s)| softmax(s)[1])
        .collect();
    let dropped: Vec<String> = [0.3f32, 0.4, 0.5, 0.6, 0.7]
        .iter()
        .map(|t| {
            let k = kept.iter().filter(|&&p| p < *t).count();
            format!(
                "{t:.1}: {:.1} %",
                100.0 * k as f64 / kept.len().max(1) as f64
            )
        })
        .collect();
    println!(
        "notes whose rule event the relevance model drops, held out (n={}), by threshold: {}",
        kept.len(),
        dropped.join(", ")
    );
    let event_type = |s: &str| event_type_of(res, s);
    let [mut rule_sub, mut model_sub, mut text_sub, mut rule_type, mut model_type] =
        [Acc::default(); 5];
    for ((r, e), s) in sets.sub_event.iter().zip(&sub_scores) {
        let c = &coded[*r];
        let gold = SUB_EVENT_TYPES[e.label as usize];
        let rule = c.features.rule_sub_event.as_deref();
        let predicted = shipped_type(c, s, &subs);
        let coded_at_all = coded_at_all(*r);
        rule_sub.add(rule == Some(gold));
        rule_type.add(rule.and_then(event_type) == event_type(gold));
        model_sub.add(coded_at_all && predicted == gold);
        model_type.add(coded_at_all && event_type(predicted) == event_type(gold));
        text_sub.add(subs[argmax(s)] == gold);
    }
    // Per row: the predicted type of its inter1 / inter2 actor, if any.
    let mut predicted_inter: BTreeMap<(usize, bool), Vec<f32>> = BTreeMap::new();
    for (((r, _), s), first) in sets
        .actor_type
        .iter()
        .zip(&actor_scores)
        .zip(&sets.actor_first)
    {
        predicted_inter.insert((*r, *first), softmax(s));
    }
    // A named actor's type: its own model's probabilities times the
    // event-level model's for its slot, as `learned::apply_models` does.
    let own = |r: usize, first: bool| {
        predicted_inter
            .get(&(r, first))
            .map(|p| argmax(p) as u8 + 1)
    };
    let joint = |r: usize, first: bool, event: &[f32], weight: f32| {
        let mut p = predicted_inter.get(&(r, first))?.clone();
        let q = softmax(event);
        let offset = q.len() - p.len();
        learned::weigh_by_slot(&mut p, |c| q[c + offset], weight);
        Some(argmax(&p) as u8 + 1)
    };
    // Per weight of the actor's own words: [inter1, inter2] as the pipeline
    // codes them (`learned::OWN_ACTOR_WEIGHT` is the one shipped).
    let weights = [0.0, 0.25, 0.5, 0.75, 1.0];
    let mut swept = vec![[Acc::default(); 2]; weights.len()];
    let [mut rule1, mut rule2] = [Acc::default(); 2];
    let [mut own1, mut own2, mut event1, mut event2] = [Acc::default(); 4];
    for (i, c) in coded.iter().enumerate() {
        let f = &c.features;
        let coded_at_all = coded_at_all(i);
        // Rows and event-level examples share their index.
        let unnamed1 = argmax(&actor1_scores[i]) as u8 + 1;
        let unnamed2 = Some(argmax(&actor2_scores[i]) as u8).filter(|&t| t > 0);
        event1.add(unnamed1 == c.row.inter1);
        event2.add(unnamed2 == c.row.inter2);
        // A named actor has a type whether or not the row has a gold one
        // to train on (its lexicon type stands in for it here).
        let named1 = f.actor1.as_ref().map(|a| own(i, true).unwrap_or(a.1));
        let named2 = f.actor2.as_ref().map(|a| own(i, false).unwrap_or(a.1));
        own1.add(named1.or(coded_at_all.then_some(unnamed1)) == Some(c.row.inter1));
        own2.add(named2.or(unnamed2.filter(|_| coded_at_all)) == c.row.inter2);
        rule1.add(f.actor1.as_ref().map(|a| a.1) == Some(c.row.inter1));
        rule2.add(f.actor2.as_ref().map(|a| a.1) == c.row.inter2);
        for (w, acc) in weights.iter().zip(&mut swept) {
            let inter1 = match &f.actor1 {
                Some(a) => joint(i, true, &actor1_scores[i], *w).or(Some(a.1)),
                None => coded_at_all.then_some(unnamed1),
            };
            acc[0].add(inter1 == Some(c.row.inter1));
            let inter2 = match &f.actor2 {
                Some(a) => joint(i, false, &actor2_scores[i], *w).or(Some(a.1)),
                None => unnamed2.filter(|_| coded_at_all),
            };
            acc[1].add(inter2 == c.row.inter2);
        }
    }
    let shipped = weights
        .iter()
        .position(|w| *w == learned::OWN_ACTOR_WEIGHT)
        .expect("the shipped weight is swept");
    let [model1, model2] = swept[shipped];
    report_keep_rule(coded, sets, &sub_scores);
    println!(
        "cross-validation grouped by country ({k} folds, {} notes):",
        coded.len()
    );
    println!("  field            rules            model (pipeline)");
    println!("  event_type       {rule_type}  {model_type}");
    println!("  sub_event_type   {rule_sub}  {model_sub}   (model on the note alone: {text_sub})");
    println!("  inter1           {rule1}  {model1}");
    println!("  inter2           {rule2}  {model2}");
    println!(
        "  (named actors typed by their own model alone: inter1 {own1}, inter2 {own2}; \
         the event-level models alone, on every row whether the pipeline codes it or not: inter1 {event1}, inter2 {event2})"
    );
    println!("  named actors' own model weighed against the event-level model's (shipped {OWN_ACTOR_WEIGHT}):");
    for (w, [a1, a2]) in weights.iter().zip(&swept) {
        println!("    own^{w:<4}  inter1 {a1}  inter2 {a2}");
    }
    // The toll is the rules' (no model): every note is text they never saw.
    let mut fatalities = Acc::default();
    for c in coded
        .iter()
        .filter(|c| c.row.single && c.row.fatalities > 0)
    {
        fatalities.add(c.features.fatalities == Some(c.row.fatalities));
    }
    println!(
        "  fatalities on single-event rows with deaths (the rules, on every note): {fatalities}"
    );
    report_proposals(coded, sets, &sub_scores, &proposal_p, res);
    let sub_labels: Vec<u16> = sets.sub_event.iter().map(|(_, e)| e.label).collect();
    let actor_labels: Vec<u16> = sets.actor_type.iter().map(|(_, e)| e.label).collect();
    let t_sub = fit_temperature(&sub_scores, &sub_labels);
    let t_actor = fit_temperature(&actor_scores, &actor_labels);
    let labels = |v: &[(usize, Example)]| v.iter().map(|(_, e)| e.label).collect::<Vec<_>>();
    let t_actor1 = fit_temperature(&actor1_scores, &labels(&sets.actor1_type));
    let t_actor2 = fit_temperature(&actor2_scores, &labels(&sets.actor2_type));
    println!(
        "  calibration: softmax temperature {t_sub:.2} (sub-event), {t_actor:.2} (actor type), \
         {t_actor1:.2} / {t_actor2:.2} (first / second actor's type)"
    );
    Temperatures {
        sub_event: t_sub,
        actor: t_actor,
        actor1: t_actor1,
        actor2: t_actor2,
    }
}

/// Held-out accuracy of the type on every row, counting a row without a
/// rule event as coded where the models would propose one (its held-out
/// relevance at least each threshold; `learned::PROPOSAL_THRESHOLD` is the
/// one shipped).
fn report_proposals(
    coded: &[Coded],
    sets: &Sets,
    sub_scores: &[Vec<f32>],
    proposal_p: &BTreeMap<usize, f32>,
    res: &Resources,
) {
    let event_type = |s: &str| event_type_of(res, s);
    let subs = sub_event_classes();
    let thresholds = [0.3, 0.5, 0.7, 0.9, 1.01];
    let mut acc = [(Acc::default(), Acc::default(), 0usize); 5];
    for ((r, e), s) in sets.sub_event.iter().zip(sub_scores) {
        let gold = SUB_EVENT_TYPES[e.label as usize];
        let predicted = shipped_type(&coded[*r], s, &subs);
        for (t, (ty, sub, n)) in thresholds.iter().zip(acc.iter_mut()) {
            let proposed = proposal_p.get(r).is_some_and(|p| p >= t);
            let coded_at_all = coded[*r].features.scored || proposed;
            ty.add(coded_at_all && event_type(predicted) == event_type(gold));
            sub.add(coded_at_all && predicted == gold);
            *n += usize::from(proposed);
        }
    }
    println!(
        "events the models propose in texts up to {SHORT_TEXT_BYTES} bytes without a rule event \
         ({} such rows, relevance held out by country), relevance >= t (shipped: {}; 1.01: --no-propose):",
        proposal_p.len(),
        learned::PROPOSAL_THRESHOLD
    );
    for (t, (ty, sub, n)) in thresholds.iter().zip(&acc) {
        println!("  t = {t:.2}: event_type {ty}, sub_event_type {sub}, proposed {n}");
    }
}

/// Held-out sub-event accuracy (rows with a rule event) when the rules'
/// type stands unless the model gives it less than each threshold
/// (`learned::KEEP_RULE_TYPE` is the one shipped).
fn report_keep_rule(coded: &[Coded], sets: &Sets, sub_scores: &[Vec<f32>]) {
    let subs = sub_event_classes();
    let thresholds = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.01];
    let mut acc = [Acc::default(); 7];
    for ((r, e), s) in sets.sub_event.iter().zip(sub_scores) {
        let f = &coded[*r].features;
        if !f.scored {
            continue;
        }
        let p = softmax(s);
        let rule = f
            .rule_sub_event
            .as_deref()
            .and_then(|r| subs.iter().position(|c| c == r));
        for (t, a) in thresholds.iter().zip(acc.iter_mut()) {
            a.add(learned::keep_or_retype(&p, rule, *t) == e.label as usize);
        }
    }
    println!("sub-event type on rows with a rule event, the rules' type kept unless its probability < t:");
    for (t, a) in thresholds.iter().zip(&acc) {
        println!("  t = {t:.2}: {a}");
    }
}

/// The news dev sets, measured (never fitted): the share of texts in which
/// an event is coded, by the rules alone and with the models (which also
/// propose events in short texts, as the pipeline does).
fn news_dev_report(news: &Path, res: &Resources, models: &Models) -> Result<()> {
    let violent = |e: &EventOut| {
        e.status == "new"
            && matches!(
                e.acled_event_type.as_deref(),
                Some(
                    "Battles"
                        | "Explosions/Remote violence"
                        | "Violence against civilians"
                        | "Riots"
                )
            )
    };
    let any = |e: &EventOut| e.status == "new";
    let acled = |e: &EventOut| e.status == "new" && e.acled_event_type.is_some();
    type Wanted<'a> = &'a (dyn Fn(&EventOut) -> bool + Sync);
    /// A news dev set: file, which texts (by their first column), what is counted.
    type NewsSet<'a> = (&'a str, &'a str, fn(&str) -> bool, &'a str, Wanted<'a>);
    let sets: [NewsSet; 4] = [
        (
            "bbc-dev.tsv",
            " label 0",
            |l| l == "0",
            "with a violent event",
            &violent,
        ),
        ("satp-dev.tsv", "", |_| true, "with an event", &any),
        (
            "cameo-quad-test.tsv",
            " quad 4",
            |l| l == "4",
            "with an ACLED event",
            &acled,
        ),
        (
            "cameo-quad-test.tsv",
            " quad 0-3",
            |l| l != "4",
            "with a violent event",
            &violent,
        ),
    ];
    println!("news dev sets (measured only):");
    let diagnostics = crate::config::diagnostics();
    for (file, which, keep, what, wanted) in sets {
        let path = news.join(file);
        if !path.exists() {
            println!("  {file}: absent, skipped");
            continue;
        }
        let texts: Vec<String> = read_news(&path)?
            .into_iter()
            .filter(|(_, cols)| keep(cols.first().map(String::as_str).unwrap_or("")))
            .map(|(t, _)| t)
            .collect();
        // Per text: the rules found one; the highest relevance of one the
        // pipeline keeps (from the shipped threshold up, events under it are
        // dropped already); one found as shipped, proposals on.
        let thresholds = [learned::RELEVANCE_THRESHOLD, 0.5, 0.6, 0.7];
        let per_text: Vec<(bool, f32, bool)> = texts
            .par_iter()
            .map(|t| {
                let mut doc = warcoder_core::plain_document(t, None);
                let (events, aggregates) = warcoder_core::rule_events(&mut doc, res, &diagnostics);
                let rules = events.iter().any(wanted);
                let decided = |propose: bool| {
                    let mut doc = doc.clone();
                    let mut products = Products {
                        events: events.clone(),
                        aggregates: aggregates.clone(),
                        propose,
                        ..Default::default()
                    };
                    learned::decide(&mut doc, res, models, &mut products);
                    products.events
                };
                let best = decided(false)
                    .iter()
                    .filter(|e| wanted(e))
                    .map(|e| e.relevance.unwrap_or(1.0))
                    .fold(-1f32, f32::max);
                (rules, best, decided(true).iter().any(wanted))
            })
            .collect();
        let share = |k: usize| 100.0 * k as f64 / texts.len().max(1) as f64;
        let count =
            |f: &dyn Fn(&(bool, f32, bool)) -> bool| per_text.iter().filter(|x| f(x)).count();
        let at: Vec<String> = thresholds
            .iter()
            .map(|&t| format!("{t:.1}: {:.1} %", share(count(&|x| x.1 >= t))))
            .collect();
        println!(
            "  {file}{which}: texts {what}: rules {:.1} %, with the models and --no-propose {:.1} %, \
             as shipped (proposals on) {:.1} % (n={})",
            share(count(&|x| x.0)),
            share(count(&|x| x.1 >= learned::RELEVANCE_THRESHOLD)),
            share(count(&|x| x.2)),
            texts.len()
        );
        println!(
            "    by relevance threshold of the rules' events: {}",
            at.join(", ")
        );
    }
    Ok(())
}

/// Write a model, saying where and how big.
pub(crate) fn write_model(out: &Path, name: &str, m: &LinearModel) -> Result<()> {
    let path = out.join(format!("{name}.bin"));
    let bytes = m.to_bytes();
    std::fs::write(&path, &bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    println!(
        "wrote {} ({:.1} MB)",
        path.display(),
        bytes.len() as f64 / 1e6
    );
    Ok(())
}

pub fn run(args: TrainArgs) -> Result<bool> {
    crate::set_threads(args.threads)?;
    if args.folds < 2 {
        bail!("--folds must be at least 2");
    }
    let opts = TrainOptions {
        bits: args.bits,
        epochs: args.epochs,
        learning_rate: args.learning_rate,
        ..Default::default()
    };
    let res = crate::config::resources();
    if args.only != Only::Coder {
        super::train_places::run(&args, res)?;
    }
    if args.only == Only::Places {
        return Ok(true);
    }
    let rows = read_acled(
        &args.corpus.join("acled-train.csv"),
        args.include_dev,
        args.limit,
    )?;
    let notes: Vec<&str> = rows.iter().map(|r| r.note.as_str()).collect();
    let features = code_all(notes, res, args.bits, "ACLED notes");
    let coded: Vec<Coded> = rows
        .into_iter()
        .zip(features)
        .map(|(row, features)| Coded { row, features })
        .collect();
    let news = args.corpus.join("news");
    let mut positives: Vec<String> = Vec::new();
    let mut negatives: Vec<String> = Vec::new();
    for (t, _) in read_news(&news.join("satp-train.tsv"))? {
        positives.push(t);
    }
    for (t, cols) in read_news(&news.join("bbc-train.tsv"))? {
        if cols.first().map(String::as_str) == Some("0") {
            negatives.push(t);
        }
    }
    for (t, cols) in read_news(&news.join("cameo-quad-train.tsv"))? {
        match cols.first().map(String::as_str) {
            Some("4") => positives.push(t),
            _ => negatives.push(t),
        }
    }
    let positives = code_all(
        positives.iter().map(String::as_str).collect(),
        res,
        args.bits,
        "news (violent)",
    );
    let negatives = code_all(
        negatives.iter().map(String::as_str).collect(),
        res,
        args.bits,
        "news (other)",
    );
    let mut sets = build_sets(&coded, &positives, &negatives);
    let digests = note_digests(&coded.iter().map(|c| &c.row).collect::<Vec<_>>());
    let digest_features = code_all(
        digests.iter().map(|(_, t)| t.as_str()).collect(),
        res,
        args.bits,
        "digests of notes",
    );
    for ((row, _), f) in digests.iter().zip(&digest_features) {
        for e in &f.events {
            sets.relevance_digests.push((*row, example(e, 1)));
        }
    }
    let negatives = weigh_negatives(&mut sets);
    println!(
        "examples: sub-event {}, actor type {}, relevance {} ({} negative, each {}x)",
        sets.sub_event.len(),
        sets.actor_type.len(),
        sets.relevance_notes.len() + sets.relevance_digests.len() + sets.relevance_news.len(),
        negatives.0,
        negatives.1,
    );
    let t = match args.cv {
        CvKind::Country => cross_validate(&coded, &sets, args.folds, &opts, res),
        CvKind::None => Temperatures {
            sub_event: 1.0,
            actor: 1.0,
            actor1: 1.0,
            actor2: 1.0,
        },
    };
    let all =
        |v: &[(usize, Example)]| -> Vec<Example> { v.iter().map(|(_, e)| e.clone()).collect() };
    let (sub_all, actor_all) = (all(&sets.sub_event), all(&sets.actor_type));
    let mut sub_event = fit(
        &sub_all.iter().collect::<Vec<_>>(),
        sub_event_classes(),
        &opts,
        "sub-event",
    );
    sub_event.temperature = t.sub_event;
    let mut actor1_type = fit(
        &all(&sets.actor1_type).iter().collect::<Vec<_>>(),
        actor_classes(),
        &opts,
        "first actor's type",
    );
    let mut actor2_type = fit(
        &all(&sets.actor2_type).iter().collect::<Vec<_>>(),
        actor2_classes(),
        &opts,
        "second actor's type",
    );
    (actor1_type.temperature, actor2_type.temperature) = (t.actor1, t.actor2);
    let mut actor_type = fit(
        &actor_all.iter().collect::<Vec<_>>(),
        actor_classes(),
        &opts,
        "actor type",
    );
    actor_type.temperature = t.actor;
    let relevance = fit(
        &sets
            .relevance_notes
            .iter()
            .chain(&sets.relevance_digests)
            .map(|(_, e)| e)
            .chain(&sets.relevance_news)
            .collect::<Vec<_>>(),
        relevance_classes(),
        &opts,
        "relevance",
    );
    let models = Models {
        sub_event: Some(sub_event),
        actor_type: Some(actor_type),
        actor1_type: Some(actor1_type),
        actor2_type: Some(actor2_type),
        relevance: Some(relevance),
    };
    news_dev_report(&news, res, &models)?;
    if !args.dry_run {
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("{}: cannot create", args.out.display()))?;
        for (name, m) in [
            ("sub_event", &models.sub_event),
            ("actor_type", &models.actor_type),
            ("actor1_type", &models.actor1_type),
            ("actor2_type", &models.actor2_type),
            ("relevance", &models.relevance),
        ] {
            if let Some(m) = m {
                write_model(&args.out, name, m)?;
            }
        }
    }
    Ok(true)
}
