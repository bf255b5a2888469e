//! The learned place-candidate ranker: a pointwise binary model ("is this
//! the right reading of the mention") over hashed facts about each
//! (mention, candidate) pair, trained by `warcoder train` on ACLED notes
//! whose coordinates are known. It reorders the hand score's best readings
//! in the second pass of `places::resolve_places`; with no model (an empty
//! `data/model/place_ranker.bin`) the hand score's order stands.
//!
//! The facts are what the hand score already weighs (match kind, feature
//! code, population, country votes, admin1 agreement, neighbours'
//! evidence) plus what it cannot weigh by hand: the distance to the other
//! places the first pass resolved, the ambiguity of the name, and the hand
//! score itself as a rank and a gap. The same function computes them at
//! training and at inference: no skew.

use std::collections::HashMap;

use warcoder_learn::{Feature, FeatureSet, LinearModel};

use crate::gazetteer::{Candidate, Level};
use crate::model::PlaceCue;
use crate::Resources;

/// log2 of the ranker's hashed feature space: a few hundred distinct
/// facts need no more.
pub const RANKER_BITS: u32 = 16;

/// How many of the hand score's best readings the model reorders: the
/// right one is almost always among them, and the cost stays flat for
/// names with hundreds of namesakes.
pub const RANKED: usize = 10;

/// How many readings a mention keeps once ranked (`places --candidates`).
pub const KEPT: usize = 5;

/// The ranker compiled into the binary; None when the file is empty (the
/// hand score decides).
pub fn embedded() -> Option<LinearModel> {
    let bytes: &[u8] = include_bytes!("../../../../data/model/place_ranker.bin");
    if bytes.is_empty() {
        return None;
    }
    match LinearModel::from_bytes(bytes) {
        Ok(m) => Some(m),
        Err(e) => panic!("data/model/place_ranker.bin: {e}"),
    }
}

/// One mention's candidates, each with its features: a training example
/// group (`warcoder train` labels them by distance to ACLED's point).
#[derive(Debug, Clone)]
pub struct RankedMention {
    /// Gazetteer entry and features of each candidate, in hand-score order.
    pub candidates: Vec<(u32, Vec<Feature>)>,
}

/// How the second pass orders a mention's readings.
pub enum Ranking<'a> {
    /// By the hand score.
    Hand,
    /// By the model's probability, the hand score breaking ties.
    Model(&'a LinearModel),
    /// By the hand score, recording every ranked mention (training).
    Collect(&'a mut Vec<RankedMention>),
}

/// What the text says around one mention, the same for all its readings.
pub struct MentionContext<'a> {
    pub cue: PlaceCue,
    pub fuzzy: bool,
    pub locative: bool,
    /// Country votes of the rest of the text, and their sum.
    pub votes: &'a HashMap<String, f32>,
    pub total: f32,
    pub top_country: Option<&'a str>,
    /// Points the first pass resolved other names to (towns, districts).
    pub anchors: &'a [(f64, f64)],
}

/// Whether the ranker may move candidate `c`: a GeoNames town. The
/// labels (25 km from ACLED's point) say nothing of areas, whose centroid
/// lies far from any event, and ACLED's own villages (feature code
/// `ACLED`, derived from the training notes) would be right by
/// construction there: both keep the hand score's place.
fn movable(res: &Resources, c: &Candidate) -> bool {
    let e = res.gazetteer.entry(c.entry);
    e.level == Level::Place && e.feature_code != "ACLED"
}

/// Reorder the towns among the first [`RANKED`] of `cands` (sorted by
/// hand score) as `ranking` says, each into the slots the towns held;
/// only when the hand score's best reading is such a town.
pub fn rank(
    res: &Resources,
    ctx: &MentionContext<'_>,
    cands: &mut [Candidate],
    ranking: &mut Ranking<'_>,
) {
    if matches!(ranking, Ranking::Hand) || !cands.first().is_some_and(|c| movable(res, c)) {
        return;
    }
    let slots: Vec<usize> = (0..cands.len().min(RANKED))
        .filter(|&i| movable(res, &cands[i]))
        .collect();
    let best = cands[0].score;
    let features_of = |i: usize| {
        let c = &cands[i];
        features(res, ctx, c, i, cands.len(), best - c.score)
    };
    match ranking {
        Ranking::Hand => {}
        Ranking::Model(model) => {
            let p: Vec<f32> = slots
                .iter()
                .map(|&i| model.probabilities(&features_of(i))[1])
                .collect();
            // A stable sort of the hand order by probability: ties keep it.
            let mut order: Vec<usize> = (0..slots.len()).collect();
            order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
            let ranked: Vec<Candidate> = order.iter().map(|&o| cands[slots[o]].clone()).collect();
            for (&slot, c) in slots.iter().zip(ranked) {
                cands[slot] = c;
            }
            if order.first().is_some_and(|&first| first != 0) {
                cands[0].evidence.push("ranked first by the learned ranker");
            }
        }
        Ranking::Collect(out) => out.push(RankedMention {
            candidates: slots
                .iter()
                .map(|&i| (cands[i].entry, features_of(i)))
                .collect(),
        }),
    }
}

/// Bucket `x` by the ascending `bounds`: the index of the first bound it
/// is below, or the number of bounds.
fn bucket(x: f64, bounds: &[f64]) -> usize {
    bounds.iter().position(|&b| x < b).unwrap_or(bounds.len())
}

/// The hashed facts about candidate `c`, ranked `rank`th of the `n`
/// readings by the hand score, `gap` below the best.
fn features(
    res: &Resources,
    ctx: &MentionContext<'_>,
    c: &Candidate,
    rank: usize,
    n: usize,
    gap: f32,
) -> Vec<Feature> {
    let e = res.gazetteer.entry(c.entry);
    let has = |what: &str| c.evidence.contains(&what);
    let mut fs = FeatureSet::new(RANKER_BITS);
    let level = match e.level {
        Level::Place => e.feature_code,
        Level::Country => "country",
        Level::Admin1 => "admin1",
        Level::Admin2 => "admin2",
        Level::Continent => "continent",
        Level::Region => "region",
    };
    let cue = format!("{:?}", ctx.cue);
    let matched = if ctx.fuzzy {
        "fuzzy"
    } else if has("alternate name") {
        "alternate"
    } else {
        "exact"
    };
    let population = if e.population == 0 {
        "0".to_string()
    } else {
        ((e.population as f64).log10() as u32).to_string()
    };
    let country = e.country_code();
    let share = match ctx.votes.get(country) {
        Some(v) => bucket(f64::from(v / ctx.total.max(1.0)), &[0.25, 0.5, 0.75]).to_string(),
        None if ctx.votes.is_empty() => "no votes".to_string(),
        None => "foreign".to_string(),
    };
    let top = if ctx.top_country == Some(country) {
        "top"
    } else {
        "other"
    };
    let near = ctx
        .anchors
        .iter()
        .map(|&(lat, lon)| crate::gazetteer::km(lat, lon, e.lat, e.lon))
        .min_by(f64::total_cmp)
        .map_or("none".to_string(), |km| {
            bucket(km, &[10.0, 25.0, 100.0, 300.0, 1000.0]).to_string()
        });
    let ambiguity = bucket(n as f64, &[2.0, 3.0, 6.0, 21.0]).to_string();
    let rank = rank.min(5).to_string();
    let gap = bucket(f64::from(gap), &[0.01, 0.5, 1.0, 2.0, 4.0, 8.0]).to_string();
    let locative = if ctx.locative { "loc" } else { "bare" };
    for (name, value) in [
        ("level=", level),
        ("cue=", &cue),
        ("match=", matched),
        ("pop=", &population),
        ("share=", &share),
        ("country=", top),
        ("near=", &near),
        ("ambiguity=", &ambiguity),
        ("rank=", &rank),
        ("gap=", &gap),
        ("locative=", locative),
    ] {
        fs.add_fact(name, value);
    }
    for (flag, evidence) in [
        ("admin1 agreed", "same admin1 as other places"),
        ("contained", "contains or lies in the adjacent place"),
        ("sibling", "listed with areas of the same country"),
        ("settlement", "settlement cue"),
        ("namesake", "the town the area is named after"),
        ("admin cue", "admin cue"),
    ] {
        if has(evidence) {
            fs.add_fact("flag=", flag);
        }
    }
    // Pairs the hand weights add up but a linear model cannot combine.
    for parts in [
        ["level|cue=", level, "|", &cue],
        ["level|locative=", level, "|", locative],
        ["pop|country=", &population, "|", top],
        ["rank|gap=", &rank, "|", &gap],
        ["rank|near=", &rank, "|", &near],
        ["match|country=", matched, "|", top],
    ] {
        fs.add_fact(parts[0], &parts[1..].concat());
    }
    fs.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The readings of `name` as the gazetteer gives them, scored by
    /// their order (a stand-in for the hand score).
    fn readings(res: &Resources, name: &str) -> Vec<Candidate> {
        let (ids, _) = res.gazetteer.lookup(name);
        ids.iter()
            .enumerate()
            .map(|(i, &entry)| Candidate {
                entry,
                score: -(i as f32),
                evidence: Vec::new(),
            })
            .collect()
    }

    fn context(votes: &HashMap<String, f32>) -> MentionContext<'_> {
        MentionContext {
            cue: PlaceCue::Plain,
            fuzzy: false,
            locative: true,
            votes,
            total: 1.0,
            top_country: None,
            anchors: &[],
        }
    }

    #[test]
    fn only_towns_move_and_only_behind_a_town() {
        let res = Resources::shared();
        let votes = HashMap::new();
        let ctx = context(&votes);
        let mut towns = readings(res, "Springfield");
        assert!(towns.len() > 2 && movable(res, &towns[0]));
        let mut collected = Vec::new();
        rank(res, &ctx, &mut towns, &mut Ranking::Collect(&mut collected));
        // One group, towns only, of the first RANKED readings.
        assert_eq!(collected.len(), 1);
        let group = &collected[0].candidates;
        assert!(!group.is_empty() && group.len() <= RANKED);
        // The same facts give the same features.
        let mut again = Vec::new();
        rank(res, &ctx, &mut towns, &mut Ranking::Collect(&mut again));
        assert_eq!(again[0].candidates, collected[0].candidates);
        // A name whose best reading is a country is left to the hand score.
        let mut country = readings(res, "Georgia");
        country.sort_by_key(|c| res.gazetteer.entry(c.entry).level != Level::Country);
        let before: Vec<u32> = country.iter().map(|c| c.entry).collect();
        let mut none = Vec::new();
        rank(res, &ctx, &mut country, &mut Ranking::Collect(&mut none));
        assert!(none.is_empty());
        if let Some(model) = &res.place_ranker {
            rank(res, &ctx, &mut country, &mut Ranking::Model(model));
            let after: Vec<u32> = country.iter().map(|c| c.entry).collect();
            assert_eq!(after, before);
            // The model only permutes the towns.
            let mut sorted: Vec<u32> = towns.iter().map(|c| c.entry).collect();
            rank(res, &ctx, &mut towns, &mut Ranking::Model(model));
            let mut now: Vec<u32> = towns.iter().map(|c| c.entry).collect();
            sorted.sort_unstable();
            now.sort_unstable();
            assert_eq!(now, sorted);
        }
    }

    #[test]
    fn buckets_are_bounded_below() {
        assert_eq!(bucket(5.0, &[10.0, 25.0]), 0);
        assert_eq!(bucket(10.0, &[10.0, 25.0]), 1);
        assert_eq!(bucket(99.0, &[10.0, 25.0]), 2);
    }
}
