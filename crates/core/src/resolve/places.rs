//! Place mentions to gazetteer entries, ranked by document context rather
//! than population alone: the dateline, countries and demonyms the text
//! mentions, the countries of its actors, admin cues ("Homs province"), the
//! feature code, population, and agreement with the other places. Sub-city
//! features and places "around" a town resolve to their container.

use std::collections::HashMap;

use crate::gazetteer::{Candidate, Level, Resolution};
use crate::model::{Document, PlaceCue};
use crate::Resources;

/// Country votes from the document: demonyms, country names, actors, dateline.
fn country_votes(doc: &Document, res: &Resources) -> HashMap<String, f32> {
    let g = &res.gazetteer;
    let mut votes: HashMap<String, f32> = HashMap::new();
    for t in &doc.tokens {
        if t.capitalised {
            if let Some(c) = g.demonym(doc.slice(t.span)) {
                *votes.entry(c.to_string()).or_default() += 1.0;
            }
        }
    }
    for p in &doc.places {
        let (ids, fuzzy) = g.lookup(&p.name);
        if !fuzzy {
            for id in ids {
                let e = g.entry(id);
                if e.level == Level::Country {
                    *votes.entry(e.country_code().to_string()).or_default() += 1.5;
                }
            }
        }
    }
    for a in &doc.actors {
        if let Some(c) = a
            .country
            .as_ref()
            .or(res.actors.entries[a.entry].country.as_ref())
        {
            *votes.entry(c.clone()).or_default() += 0.5;
        }
    }
    if let Some(d) = &doc.facts.dateline {
        let (ids, _) = g.lookup(d);
        if let Some(best) = ids.iter().max_by_key(|&&i| g.entry(i).population) {
            *votes
                .entry(g.entry(*best).country_code().to_string())
                .or_default() += 2.0;
        }
    }
    votes
}

fn feature_weight(code: &str) -> f32 {
    match code {
        "PPLC" => 4.0,
        "PPLA" => 3.0,
        "PPLA2" => 2.0,
        "PPLA3" | "PPLA4" | "PPLA5" => 1.0,
        "PPLX" => -1.0,
        "PPLH" | "PPLQ" | "PPLW" => -3.0,
        _ => 0.5,
    }
}

fn score(
    res: &Resources,
    id: u32,
    cue: PlaceCue,
    fuzzy: bool,
    votes: &HashMap<String, f32>,
    total: f32,
    admin1s: &HashMap<(String, String), f32>,
) -> Candidate {
    let e = res.gazetteer.entry(id);
    let mut evidence = Vec::new();
    let mut s = match e.level {
        Level::Country => 6.0,
        Level::Continent => 5.0,
        // A bare name is the town before the province named after it.
        Level::Admin1 => 2.0,
        Level::Admin2 => 1.0,
        Level::Place => feature_weight(e.feature_code),
    };
    if cue == PlaceCue::Admin {
        if matches!(e.level, Level::Admin1 | Level::Admin2) {
            s += 4.0;
            evidence.push("admin cue");
        } else {
            s -= 3.0;
        }
    }
    s += ((e.population + 1) as f32).log10() * 0.8;
    if let Some(v) = votes.get(e.country_code()) {
        s += 6.0 * v / total.max(1.0);
        evidence.push("country in context");
    }
    if admin1s.contains_key(&(e.country_code().to_string(), e.admin1.to_string())) {
        s += 1.0;
        evidence.push("same admin1 as other places");
    }
    if fuzzy {
        s -= 2.0;
        evidence.push("spelling variant");
    }
    Candidate {
        entry: id,
        score: s,
        evidence,
    }
}

/// Resolve every place mention; drop mentions that are not places after all
/// (a capitalised word with no locative cue that names only a small place).
pub fn resolve_places(doc: &mut Document, res: &Resources) {
    let g = &res.gazetteer;
    let mut votes = country_votes(doc, res);
    // The text's own countries, before any place is resolved: spelling
    // variants must agree with them.
    let text_country = votes
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.clone());
    let mut admin1s: HashMap<(String, String), f32> = HashMap::new();
    // Two passes: the second rewards agreement with the places of the first.
    for pass in 0..2 {
        let total: f32 = votes.values().sum();
        let top_country = votes
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(c, _)| c.clone());
        let mut found_admin1s = HashMap::new();
        for i in 0..doc.places.len() {
            let m = &doc.places[i];
            let (ids, fuzzy) = g.lookup(&m.name);
            let mut cands: Vec<Candidate> = ids
                .iter()
                .map(|&id| score(res, id, m.cue, fuzzy, &votes, total, &admin1s))
                .collect();
            cands.sort_by(|a, b| b.score.total_cmp(&a.score));
            cands.truncate(5);
            let locative = crate::recognise::places::has_locative_before(doc, m);
            let resolved = cands.first().and_then(|best| {
                let e = g.entry(best.entry);
                let well_known =
                    matches!(e.level, Level::Country | Level::Admin1) || e.population >= 50_000;
                let in_context = top_country.as_deref() == Some(e.country_code())
                    && (locative || e.population >= 5_000);
                let accept = if m.cue == PlaceCue::SubCity {
                    // "Nasser Hospital" is not the town of Nasser: a feature
                    // resolves through its container only.
                    false
                } else if fuzzy {
                    // A spelling variant needs a locative cue ("in Edleb") and
                    // the country the text is about.
                    locative && text_country.as_deref() == Some(e.country_code())
                } else {
                    // A small place elsewhere ("in Bara" matching a town in
                    // Sudan in a story about Pakistan) loses to the context.
                    let foreign = !votes.is_empty() && !votes.contains_key(e.country_code());
                    well_known
                        || in_context
                        || (locative && !fuzzy && e.population >= 1_000 && !foreign)
                };
                accept.then(|| Resolution {
                    entry: best.entry,
                    score: best.score,
                    precision: precision(e.level, m.cue),
                    via_container: false,
                    candidates: cands.clone(),
                })
            });
            // "Somalia's capital" is Mogadishu.
            let resolved = resolved.map(|mut r| {
                if m.cue == PlaceCue::Capital && g.entry(r.entry).level == Level::Country {
                    if let Some(cap) = g.capital_of(g.entry(r.entry)) {
                        r.entry = cap;
                        r.precision = 1;
                    }
                }
                r
            });
            if let Some(r) = &resolved {
                let e = g.entry(r.entry);
                found_admin1s.insert((e.country_code().to_string(), e.admin1.to_string()), 1.0);
            }
            doc.places[i].resolved = resolved;
        }
        if pass == 0 {
            admin1s = found_admin1s;
            // Agreement with the places of the first pass.
            for m in &doc.places {
                if let Some(r) = &m.resolved {
                    let e = g.entry(r.entry);
                    let fuzzy = r
                        .candidates
                        .first()
                        .is_some_and(|c| c.evidence.contains(&"spelling variant"));
                    if e.level != Level::Country && !fuzzy {
                        *votes.entry(e.country_code().to_string()).or_default() += 1.0;
                    }
                }
            }
        }
    }
    resolve_containers(doc, res);
    // Mentions that resolved to nothing and name no sub-city feature are not places.
    doc.places
        .retain(|m| m.resolved.is_some() || m.cue == PlaceCue::SubCity);
    relink_containers(doc);
}

/// ACLED geo_precision for a resolved mention.
fn precision(level: Level, cue: PlaceCue) -> u8 {
    match (level, cue) {
        (Level::Country | Level::Admin1, _) => 3,
        (Level::Admin2, _) => 2,
        (_, PlaceCue::SubCity | PlaceCue::Around) => 2,
        (_, PlaceCue::Capital) => 1,
        _ => 1,
    }
}

/// Sub-city mentions take their container's entry; a later bare mention of
/// the same feature ("Al Zahraa has also been targeted") takes it too.
fn resolve_containers(doc: &mut Document, res: &Resources) {
    let g = &res.gazetteer;
    let mut memory: HashMap<String, Resolution> = HashMap::new();
    for i in 0..doc.places.len() {
        let m = &doc.places[i];
        if m.cue != PlaceCue::SubCity {
            continue;
        }
        // The container is a town of the sentence where there is one (the
        // hospital "in Khan Younis in the southern Gaza Strip" is in Khan
        // Younis), else the nearest resolved place.
        let at = m.tokens.0 as isize;
        let town = (0..doc.places.len())
            .filter(|&j| {
                j != i
                    && doc.places[j].sentence == m.sentence
                    && doc.places[j].cue != PlaceCue::SubCity
                    && doc.places[j]
                        .resolved
                        .as_ref()
                        .is_some_and(|r| g.entry(r.entry).level == Level::Place)
            })
            .min_by_key(|&j| (doc.places[j].tokens.0 as isize - at).unsigned_abs());
        let container = town
            .or(m.container)
            .and_then(|c| doc.places[c].resolved.clone());
        if let Some(mut r) = container {
            r.precision = 2;
            r.via_container = true;
            memory.insert(crate::geokey::exact(&m.name), r.clone());
            doc.places[i].resolved = Some(r);
        }
    }
    for i in 0..doc.places.len() {
        let key = crate::geokey::exact(&doc.places[i].name);
        if let Some(r) = memory.get(&key) {
            // The document has told us what this name is: a feature of that container.
            if doc.places[i]
                .resolved
                .as_ref()
                .is_none_or(|own| !own.via_container)
            {
                doc.places[i].resolved = Some(r.clone());
            }
        }
    }
}

/// Container indices shift when non-places are dropped: link again.
fn relink_containers(doc: &mut Document) {
    for i in 0..doc.places.len() {
        if doc.places[i].cue != PlaceCue::SubCity {
            doc.places[i].container = None;
            continue;
        }
        let s = doc.places[i].sentence;
        let at = doc.places[i].tokens.0;
        doc.places[i].container = (0..doc.places.len())
            .filter(|&j| {
                j != i && doc.places[j].sentence == s && doc.places[j].cue != PlaceCue::SubCity
            })
            .min_by_key(|&j| (doc.places[j].tokens.0 as isize - at as isize).unsigned_abs());
    }
}
