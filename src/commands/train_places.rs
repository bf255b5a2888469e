//! `warcoder train`'s place-candidate ranker (`warcoder_core::resolve::ranker`):
//! examples from the ACLED training notes (never the dev rows nor the
//! geoparsing dev corpora), a candidate labelled right when it lies within
//! 25 km of one of the note's ACLED points; grouped-by-country
//! cross-validation of the whole pipeline, hand weights against the
//! learned ranker on the same rows; then `data/model/place_ranker.bin`.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use clap::ValueEnum;
use rayon::prelude::*;
use warcoder_core::budget::{Budget, Meter};
use warcoder_core::gazetteer::km;
use warcoder_core::pipeline::{Pipeline, Products};
use warcoder_core::resolve::places::resolve_places_ranked;
use warcoder_core::resolve::ranker::{RankedMention, Ranking, RANKER_BITS};
use warcoder_core::Resources;
use warcoder_eval::acled::{clean_note, score_row, AcledRow};
use warcoder_learn::{Example, LinearModel, TrainOptions};

use super::train::{country_folds, fit, fold_models, open_acled, write_model, Acc, TrainArgs};

/// Which models `warcoder train` fits.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Only {
    /// The place-candidate ranker.
    Places,
    /// The event coder's models (relevance, sub-event, actor types).
    Coder,
    All,
}

/// A candidate this close to ACLED's point is a right reading (the
/// `location_25km` measure's radius).
const RIGHT_KM: f64 = 25.0;

/// ACLED's point for one row of a note.
struct Point {
    lat: f64,
    lon: f64,
    geo_precision: u8,
    admin1: String,
}

/// One distinct note with the points of every row that carries it.
struct Note {
    text: String,
    country: String,
    points: Vec<Point>,
}

/// The notes of the training file, each once, in file order.
fn read_notes(path: &Path, include_dev: bool, limit: Option<usize>) -> Result<Vec<Note>> {
    let (mut rdr, [notes, country, lat, lon, precision, admin1, origin]) = open_acled(
        path,
        [
            "notes",
            "country",
            "latitude",
            "longitude",
            "geo_precision",
            "admin1",
            "origin",
        ],
    )?;
    let mut out: Vec<Note> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("{}: unreadable row", path.display()))?;
        if &rec[origin] == "dev" && !include_dev {
            continue;
        }
        let text = clean_note(&rec[notes]);
        let (Ok(la), Ok(lo), Ok(p)) = (
            rec[lat].parse::<f64>(),
            rec[lon].parse::<f64>(),
            rec[precision].parse::<u8>(),
        ) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let i = match index.get(&text) {
            Some(&i) => i,
            None if limit.is_some_and(|n| out.len() >= n) => continue,
            None => {
                index.insert(text.clone(), out.len());
                out.push(Note {
                    text,
                    country: rec[country].to_string(),
                    points: Vec::new(),
                });
                out.len() - 1
            }
        };
        out[i].points.push(Point {
            lat: la,
            lon: lo,
            geo_precision: p,
            admin1: rec[admin1].to_string(),
        });
    }
    Ok(out)
}

/// The ranked mentions of a text: the stages before resolution, then the
/// places resolved by hand weights, recording each mention's candidates.
fn ranked_mentions(text: &str, res: &Resources) -> Vec<RankedMention> {
    let mut doc = warcoder_core::plain_document(text, None);
    let meter = Meter::start(Budget::unlimited());
    let mut products = Products::default();
    for stage in Pipeline::ANNOTATE
        .stages()
        .iter()
        .take_while(|s| s.name != "resolve")
    {
        stage
            .run(&mut doc, &mut products, res, &meter)
            .expect("an unlimited budget is never exceeded");
    }
    let mut out = Vec::new();
    resolve_places_ranked(&mut doc, res, Ranking::Collect(&mut out));
    out
}

/// A mention's candidates as examples, labelled by distance to the note's
/// points (towns, not regions: geo_precision 1 or 2); None when no
/// candidate is right (the mention names another place than the event's).
fn label(res: &Resources, note: &Note, m: RankedMention) -> Option<Vec<Example>> {
    let right = |entry: u32| {
        let e = res.gazetteer.entry(entry);
        note.points
            .iter()
            .any(|p| p.geo_precision <= 2 && km(e.lat, e.lon, p.lat, p.lon) <= RIGHT_KM)
    };
    let examples: Vec<Example> = m
        .candidates
        .into_iter()
        .map(|(entry, features)| Example {
            features,
            label: u16::from(right(entry)),
        })
        .collect();
    examples.iter().any(|e| e.label == 1).then_some(examples)
}

fn classes() -> Vec<String> {
    vec!["no".into(), "yes".into()]
}

/// The index of the candidate the model ranks first (the hand order
/// breaking ties, as at inference).
fn model_first(model: &LinearModel, group: &[Example]) -> usize {
    let p: Vec<f32> = group
        .iter()
        .map(|e| model.probabilities(&e.features)[1])
        .collect();
    (0..p.len())
        .max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// Train the ranker, cross-validate it and write it (unless `--dry-run`).
pub fn run(args: &TrainArgs, res: &Resources) -> Result<()> {
    let notes = read_notes(
        &args.corpus.join("acled-train.csv"),
        args.include_dev,
        args.limit,
    )?;
    let bar = crate::progress_bar(
        Some(notes.len() as u64),
        "{bar:40} {pos}/{len} ACLED notes (places)  {per_sec}  eta {eta}",
    );
    // (note, one mention's candidates) for every mention with a right reading.
    let groups: Vec<(usize, Vec<Example>)> = notes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, note)| {
            let ms = ranked_mentions(&note.text, res);
            bar.inc(1);
            ms.into_iter()
                .filter_map(|m| label(res, note, m))
                .map(move |g| (i, g))
                .collect::<Vec<_>>()
        })
        .collect();
    bar.finish_and_clear();
    let examples: Vec<(usize, Example)> = groups
        .iter()
        .flat_map(|(i, g)| g.iter().map(|e| (*i, e.clone())))
        .collect();
    println!(
        "place ranker: {} mentions with a right reading in {} notes, {} candidates",
        groups.len(),
        notes.len(),
        examples.len()
    );
    let opts = TrainOptions {
        bits: RANKER_BITS,
        epochs: args.epochs,
        learning_rate: args.learning_rate,
        ..Default::default()
    };
    if args.cv == super::train::CvKind::Country {
        cross_validate(&notes, &groups, &examples, args.folds, &opts);
    }
    let all: Vec<&Example> = examples.iter().map(|(_, e)| e).collect();
    let model = fit(&all, classes(), &opts, "place ranker");
    if !args.dry_run {
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("{}: cannot create", args.out.display()))?;
        write_model(&args.out, "place_ranker", &model)?;
    }
    Ok(())
}

/// Grouped-by-country cross-validation: how often the right reading comes
/// first among the held-out mentions, and the pipeline's `location_25km`
/// (geo_precision 1) and `admin1` on the held-out single-event notes, with
/// the hand weights and with the fold's ranker, on the same rows.
fn cross_validate(
    notes: &[Note],
    groups: &[(usize, Vec<Example>)],
    examples: &[(usize, Example)],
    k: usize,
    opts: &TrainOptions,
) {
    let countries: Vec<&str> = notes.iter().map(|n| n.country.as_str()).collect();
    let fold_of = country_folds(&countries, k);
    let models = fold_models(examples, &[], &fold_of, k, &classes(), opts, "place ranker");
    let [mut hand_first, mut model_first_acc] = [Acc::default(); 2];
    for (i, g) in groups {
        hand_first.add(g[0].label == 1);
        model_first_acc.add(g[model_first(&models[fold_of[*i]], g)].label == 1);
    }
    // The pipeline with hand weights, and with each fold's ranker on its
    // held-out notes: single-event notes only, as METRICS.md scores them.
    let single: Vec<usize> = (0..notes.len())
        .filter(|&i| notes[i].points.len() == 1)
        .collect();
    let hand = Resources {
        place_ranker: None,
        ..Resources::embedded()
    };
    let learned: Vec<Resources> = models
        .into_iter()
        .map(|m| Resources {
            place_ranker: Some(m),
            ..Resources::embedded()
        })
        .collect();
    let bar = crate::progress_bar(
        Some(single.len() as u64),
        "{bar:40} {pos}/{len} held-out notes (places)  {per_sec}  eta {eta}",
    );
    let verdicts: Vec<[Option<bool>; 4]> = single
        .par_iter()
        .map(|&i| {
            let row = scored_row(&notes[i]);
            let [hand_loc, hand_admin1] = verdicts(&row, &hand);
            let [loc, admin1] = verdicts(&row, &learned[fold_of[i]]);
            bar.inc(1);
            [hand_loc, loc, hand_admin1, admin1]
        })
        .collect();
    bar.finish_and_clear();
    let mut acc = [Acc::default(); 4];
    for v in &verdicts {
        for (a, ok) in acc.iter_mut().zip(v) {
            if let Some(ok) = ok {
                a.add(*ok);
            }
        }
    }
    println!(
        "place ranker, cross-validation grouped by country ({k} folds):\n  \
         measure                          hand weights      learned ranker\n  \
         right reading first (mentions)   {hand_first}  {model_first_acc}\n  \
         location_25km (geo_precision 1)  {}  {}\n  \
         admin1 (single-event notes)      {}  {}",
        acc[0], acc[1], acc[2], acc[3]
    );
}

/// A single-event note as the ACLED scorer reads it; only its place
/// fields are scored here.
fn scored_row(note: &Note) -> AcledRow {
    let p = &note.points[0];
    AcledRow {
        line: 0,
        id: String::new(),
        note: note.text.clone(),
        event_type: String::new(),
        sub_event_type: String::new(),
        inter1: 1,
        inter2: None,
        fatalities: 0,
        date: jiff::civil::date(2000, 1, 1),
        geo_precision: p.geo_precision,
        lat: p.lat,
        lon: p.lon,
        admin1: p.admin1.clone(),
    }
}

/// The `location_25km` and `admin1` verdicts of the pipeline on a row
/// (None where the field does not apply).
fn verdicts(row: &AcledRow, res: &Resources) -> [Option<bool>; 2] {
    let out = warcoder_core::extract_text(&row.note, None, res);
    let v = score_row(row, &out);
    ["location_25km", "admin1"].map(|f| v.iter().find(|x| x.field == f).map(|x| x.correct))
}
