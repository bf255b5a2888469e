//! Place mentions to gazetteer entries, ranked by document context rather
//! than population alone: the dateline, countries and demonyms the text
//! mentions, the countries of its actors, admin cues ("Homs province"), the
//! feature code, population, and agreement with the other places. Sub-city
//! features and places "around" a town resolve to their container.

use std::collections::HashMap;

use super::ranker::{self, MentionContext, Ranking};
use crate::gazetteer::{Candidate, Level, Resolution};
use crate::model::{sentence_range, Document, PlaceCue, PlaceMention};
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

/// Extra evidence for particular candidates of one mention, from its neighbours.
#[derive(Default, Clone)]
struct PairEvidence {
    /// Candidates that contain, or lie in, the adjacent place ("Atlanta, Georgia").
    contained: Vec<u32>,
    /// First-level areas listed with areas of the same country ("Arizona, Georgia and Ohio").
    siblings: Vec<u32>,
}

/// Whether entry `outer` is a container of entry `inner` as an address
/// writes one ("Atlanta, Georgia"): a country of its areas and towns, an
/// admin1 of its admin2s and towns, an admin2 of its towns; never of
/// itself nor of a country. (`consolidate::covers` is looser: it asks
/// whether two mentions may name one incident's place.)
fn is_container_of(res: &Resources, outer: u32, inner: u32) -> bool {
    let g = &res.gazetteer;
    let (o, i) = (g.entry(outer), g.entry(inner));
    if outer == inner
        || o.country != i.country
        || matches!(i.level, Level::Country | Level::Continent | Level::Region)
    {
        return false;
    }
    match o.level {
        Level::Country => true,
        Level::Admin1 => i.level != Level::Admin1 && !o.admin1.is_empty() && o.admin1 == i.admin1,
        Level::Admin2 => {
            i.level == Level::Place
                && !o.admin2.is_empty()
                && o.admin1 == i.admin1
                && o.admin2 == i.admin2
        }
        _ => false,
    }
}

/// Evidence from adjacent mentions of one sentence: "Town, Area" (the
/// area contains the town: "Blakely, Georgia", "Pandi, Bulacan") and lists
/// of first-level areas ("Arizona, California, Georgia and Ohio").
fn pair_evidence(doc: &Document, res: &Resources) -> Vec<PairEvidence> {
    let g = &res.gazetteer;
    let mut out = vec![PairEvidence::default(); doc.places.len()];
    let ids: Vec<Vec<u32>> = doc
        .places
        .iter()
        .map(|m| {
            let (ids, fuzzy) = g.lookup(&m.name);
            if fuzzy || m.cue == PlaceCue::SubCity {
                Vec::new()
            } else {
                ids
            }
        })
        .collect();
    for a in 0..doc.places.len() {
        // A list links mentions at most three apart (see list_separator).
        for b in a + 1..(a + 4).min(doc.places.len()) {
            let Some(sep) = list_separator(doc, a, b) else {
                continue;
            };
            if ids[a].len() * ids[b].len() > 100_000 {
                continue;
            }
            // "Georgia, Iraq, Iran": a country's name opens a list, not a
            // town of the next country.
            let a_is_country = ids[a].iter().any(|&x| g.entry(x).level == Level::Country);
            for &x in &ids[a] {
                for &y in &ids[b] {
                    if matches!(sep, "," | "(") && !a_is_country && is_container_of(res, y, x) {
                        out[a].contained.push(x);
                        out[b].contained.push(y);
                    }
                    let (ex, ey) = (g.entry(x), g.entry(y));
                    if ex.level == Level::Admin1
                        && ey.level == Level::Admin1
                        && ex.country == ey.country
                        && x != y
                    {
                        out[a].siblings.push(x);
                        out[b].siblings.push(y);
                    }
                }
            }
        }
    }
    out
}

/// How mention `b` follows mention `a` in a list of places: "," "and" "or"
/// when adjacent; "(" for "Djibo (Soum, Sahel)"; "," for a later item of a
/// comma chain ("in Watamu, Dabaso, Kilifi": Kilifi may contain Watamu).
fn list_separator(doc: &Document, a: usize, b: usize) -> Option<&'static str> {
    const SEPARATORS: [&str; 4] = [",", "and", "or", "("];
    let adjacent = |x: usize, y: usize| {
        let (mx, my) = (&doc.places[x], &doc.places[y]);
        let sep = doc.tokens.get(mx.tokens.1)?.key.as_str();
        (mx.sentence == my.sentence && my.tokens.0 == mx.tokens.1 + 1)
            .then(|| SEPARATORS.into_iter().find(|s| *s == sep))
            .flatten()
    };
    if b == a + 1 {
        return adjacent(a, b);
    }
    // Also the bound of pair_evidence's search.
    if b > a + 3 {
        return None;
    }
    // A chain: every link a comma or an opening bracket.
    (a..b)
        .all(|x| matches!(adjacent(x, x + 1), Some("," | "(")))
        .then_some(",")
}

/// The evidence that adjacent mentions give (see `PairEvidence`).
const PAIR: [&str; 2] = [
    "contains or lies in the adjacent place",
    "listed with areas of the same country",
];

#[allow(clippy::too_many_arguments)]
fn score(
    res: &Resources,
    id: u32,
    cue: PlaceCue,
    fuzzy: bool,
    votes: &HashMap<String, f32>,
    total: f32,
    agreed_admin1: &dyn Fn(&str, &str) -> bool,
    pair: &PairEvidence,
) -> Candidate {
    let e = res.gazetteer.entry(id);
    let mut evidence = Vec::new();
    let mut s = match e.level {
        Level::Country => 6.0,
        Level::Continent | Level::Region => 5.0,
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
    if agreed_admin1(e.country_code(), e.admin1) {
        s += 1.0;
        evidence.push("same admin1 as other places");
    }
    if pair.contained.contains(&id) {
        s += 5.0;
        evidence.push(PAIR[0]);
    }
    if pair.siblings.contains(&id) {
        s += 2.0;
        evidence.push(PAIR[1]);
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

/// A first-level area and a big town of the same name inside it ("New
/// York", "São Paulo", "Kabul"): a bare name is the town, as it is for a
/// provincial capital, unless an admin cue says otherwise.
fn prefer_namesake_towns(res: &Resources, cue: PlaceCue, cands: &mut [Candidate]) {
    if cue == PlaceCue::Admin {
        return;
    }
    let g = &res.gazetteer;
    for a in 0..cands.len() {
        let area = g.entry(cands[a].entry);
        // "Buffalo, New York", "Arizona, New York and Ohio": the
        // neighbours say it is the area.
        if area.level != Level::Admin1 || cands[a].evidence.iter().any(|e| PAIR.contains(e)) {
            continue;
        }
        for t in 0..cands.len() {
            let town = g.entry(cands[t].entry);
            if town.level == Level::Place
                && town.population >= 100_000
                && town.country == area.country
                && town.admin1 == area.admin1
                && cands[t].score <= cands[a].score
            {
                cands[t].score = cands[a].score + 0.5;
                cands[t].evidence.push("the town the area is named after");
            }
        }
    }
}

/// Whether `e` matched the name `key` (an exact key) only through one of
/// its alternate names: a place whose own name differs ("Franklin" for
/// Columbus, "Do" for Jahrom, "Victoria" for Hong Kong), or a county named
/// without its level word ("King" for King County), which is how surnames
/// and common words meet US counties.
/// A spelling of the own name ("Douma" for Dūmā, "Valdai" for Valday: five
/// letters or more, same skeleton) or its words before a particle
/// ("Acapulco" for Acapulco de Juárez) is no other name; a county name of
/// several words ("Miami-Dade") is no surname.
fn by_alternate_name(e: crate::gazetteer::Entry<'_>, key: &str) -> bool {
    let own = crate::geokey::exact(e.name);
    if own == key {
        return false;
    }
    match e.level {
        Level::Place => {
            let long = key.chars().filter(|c| c.is_alphabetic()).count() >= 5;
            let head = long
                && own
                    .strip_prefix(key)
                    .and_then(|rest| rest.strip_prefix(' '))
                    .and_then(|rest| rest.split(' ').next())
                    .is_some_and(|w| {
                        matches!(
                            w,
                            "de" | "del"
                                | "la"
                                | "le"
                                | "les"
                                | "an"
                                | "am"
                                | "on"
                                | "upon"
                                | "sur"
                        )
                    });
            let spelling = long && crate::geokey::skeleton(e.name) == crate::geokey::skeleton(key);
            !head && !spelling
        }
        Level::Admin2 => !key.contains(' ') && e.name.to_ascii_lowercase().ends_with(" county"),
        _ => false,
    }
}

/// Whether a candidate that matched by an alternate name may stand: with a
/// locative cue ("in Franklin") and not in a country foreign to the text,
/// or, with neither, when it is a big town known abroad by a name of four
/// letters or more ("Kiev", "Peking"). Short alternate names ("Do", "Li",
/// "Ben") are words and surnames.
fn alternate_name_allowed(
    e: crate::gazetteer::Entry<'_>,
    key: &str,
    locative: bool,
    foreign: bool,
) -> bool {
    let letters = key.chars().filter(|c| c.is_alphabetic()).count();
    let exonym = e.level == Level::Place && e.population >= 1_000_000 && letters >= 4;
    exonym || (locative && !foreign && letters >= 3)
}

/// Whether the mention's cue words call it a populated place ("New York
/// City", "the town of X", "the capital Damascus").
fn settlement_cue(doc: &Document, m: &crate::model::PlaceMention) -> bool {
    m.cue == PlaceCue::Plain
        && (m.tokens.0..m.tokens.1)
            .filter(|&t| t < m.name_tokens.0 || t >= m.name_tokens.1)
            .any(|t| {
                matches!(
                    doc.tokens[t].key.as_str(),
                    "city" | "town" | "village" | "capital"
                )
            })
}

fn top(votes: &HashMap<String, f32>) -> Option<String> {
    votes
        .iter()
        .filter(|(_, v)| **v > 0.0)
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c.clone())
}

/// Agreement between distinct names, from the first pass: the country and
/// admin1 each name resolved to. A name repeated ten times is one piece of
/// evidence, and never evidence for itself. Kept as counts so that the
/// others' agreement is the total less the name's own, not a scan of every
/// other name for each mention.
#[derive(Default)]
struct Agreement {
    /// Name → (country, admin1, whether it votes through country_votes only).
    by_name: HashMap<String, (String, String, bool)>,
    /// Country → admin1 → how many names resolved there.
    admin1s: HashMap<String, HashMap<String, usize>>,
    countries: HashMap<String, usize>,
}

impl Agreement {
    fn add(&mut self, key: String, country: String, admin1: String, country_level: bool) {
        *self
            .admin1s
            .entry(country.clone())
            .or_default()
            .entry(admin1.clone())
            .or_default() += 1;
        if !country_level {
            *self.countries.entry(country.clone()).or_default() += 1;
        }
        self.by_name.insert(key, (country, admin1, country_level));
    }

    /// Whether a name other than `key` resolved to this admin1.
    fn admin1_of_others(&self, key: &str, country: &str, admin1: &str) -> bool {
        let n = self
            .admin1s
            .get(country)
            .and_then(|a| a.get(admin1))
            .copied()
            .unwrap_or(0);
        let own = self.by_name.get(key);
        n > usize::from(own.is_some_and(|(c, a, _)| c == country && a == admin1))
    }

    /// Add to `votes` the countries the other names resolved to (one vote
    /// per name).
    fn add_others_countries(&self, key: &str, votes: &mut HashMap<String, f32>) {
        let own = self.by_name.get(key);
        for (c, &n) in &self.countries {
            let mine = usize::from(own.is_some_and(|(oc, _, only)| !only && oc == c));
            if n > mine {
                // One vote at a time, as the votes were always summed: the
                // same float rounding whatever the order of the names.
                let v = votes.entry(c.clone()).or_default();
                for _ in mine..n {
                    *v += 1.0;
                }
            }
        }
    }
}

/// What the rest of the text says about where a name lies, the same for
/// every mention of the name: computed once per distinct name.
struct TextContext {
    /// Country votes without the name's own, plus (second pass) the
    /// countries the other names resolved to.
    votes: HashMap<String, f32>,
    total: f32,
    top_country: Option<String>,
    /// The text's own countries, before any place is resolved: spelling
    /// variants must agree with them.
    text_country: Option<String>,
}

impl TextContext {
    fn new(
        base: &HashMap<String, f32>,
        own: Option<&HashMap<String, f32>>,
        agreement: Option<&Agreement>,
        key: &str,
    ) -> Self {
        let without_own = || {
            let mut votes = base.clone();
            for (c, v) in own.into_iter().flatten() {
                if let Some(x) = votes.get_mut(c) {
                    *x -= v;
                }
            }
            votes
        };
        let mut votes = without_own();
        votes.retain(|_, v| *v > 1e-3);
        if let Some(a) = agreement {
            a.add_others_countries(key, &mut votes);
        }
        let top_country = top(&votes);
        let text_country = match agreement {
            None => top_country.clone(),
            Some(_) => top(&without_own()),
        };
        TextContext {
            total: votes.values().sum(),
            votes,
            top_country,
            text_country,
        }
    }
}

/// Resolve every place mention; drop mentions that are not places after all
/// (a capitalised word with no locative cue that names only a small place).
/// The second pass orders readings by the learned ranker when there is one.
pub fn resolve_places(doc: &mut Document, res: &Resources) {
    let ranking = match &res.place_ranker {
        Some(model) => Ranking::Model(model),
        None => Ranking::Hand,
    };
    resolve_places_ranked(doc, res, ranking);
}

/// [`resolve_places`] with the second pass's readings ordered as `ranking`
/// says (`warcoder train` collects the ranker's examples through it).
pub fn resolve_places_ranked(doc: &mut Document, res: &Resources, mut ranking: Ranking<'_>) {
    let base = country_votes(doc, res);
    let keys: Vec<String> = doc
        .places
        .iter()
        .map(|m| crate::geokey::exact(&m.name))
        .collect();
    let own = own_votes(doc, res, &keys);
    let pairs = pair_evidence(doc, res);
    // Agreement between distinct names, from the first pass: the country
    // and admin1 each name resolved to. A name repeated ten times is one
    // piece of evidence, and never evidence for itself.
    let mut agreement = Agreement::default();
    // A sub-city feature named after a town ("Benghazi hospital", "the
    // Glasgow area"): the town, for when the text gives no container.
    let mut own_town: Vec<Option<(Resolution, bool)>> = vec![None; doc.places.len()];
    // Where the first pass put each name: the ranker's "distance to the
    // other places", the same whichever order the second pass takes.
    let mut anchors: Vec<(&str, f64, f64)> = Vec::new();
    for pass in 0..2 {
        let mut contexts: HashMap<&str, TextContext> = HashMap::new();
        for i in 0..doc.places.len() {
            let key = keys[i].as_str();
            let context = contexts.entry(key).or_insert_with(|| {
                TextContext::new(&base, own.get(key), (pass == 1).then_some(&agreement), key)
            });
            let agreed = |c: &str, a1: &str| pass == 1 && agreement.admin1_of_others(key, c, a1);
            let m = &doc.places[i];
            let mut readings = candidates(doc, res, m, key, context, &agreed, &pairs[i]);
            if pass == 1 && m.cue != PlaceCue::SubCity {
                let others: Vec<(f64, f64)> = anchors
                    .iter()
                    .filter(|a| a.0 != key)
                    .map(|a| (a.1, a.2))
                    .collect();
                let ctx = MentionContext {
                    cue: m.cue,
                    fuzzy: readings.fuzzy,
                    locative: readings.locative,
                    votes: &context.votes,
                    total: context.total,
                    top_country: context.top_country.as_deref(),
                    anchors: &others,
                };
                ranker::rank(res, &ctx, &mut readings.cands, &mut ranking);
            }
            readings.cands.truncate(ranker::KEPT);
            let (resolved, town) = choose(doc, res, m, context, &pairs[i], readings);
            own_town[i] = town;
            doc.places[i].resolved = resolved;
        }
        if pass == 0 {
            add_agreement(doc, res, &keys, &mut agreement);
            anchors = first_pass_points(doc, res, &keys);
        }
    }
    resolve_containers(doc, res, &own_town);
    // Mentions that resolved to nothing and name no sub-city feature are not places.
    doc.places
        .retain(|m| m.resolved.is_some() || m.cue == PlaceCue::SubCity);
    relink_containers(doc);
}

/// The points the first pass resolved each distinct name to, towns and
/// districts only (an area's centroid says little of where it is).
fn first_pass_points<'k>(
    doc: &Document,
    res: &Resources,
    keys: &'k [String],
) -> Vec<(&'k str, f64, f64)> {
    let mut points: Vec<(&str, f64, f64)> = Vec::new();
    for (m, key) in doc.places.iter().zip(keys) {
        let Some(r) = &m.resolved else { continue };
        let e = res.gazetteer.entry(r.entry);
        if matches!(e.level, Level::Place | Level::Admin2)
            && !points.iter().any(|p| p.0 == key.as_str())
        {
            points.push((key.as_str(), e.lat, e.lon));
        }
    }
    points
}

/// The votes a name casts for itself: every mention of a country's name
/// counts for that country. A name must not outvote the rest of the text
/// on its own reading ("Georgia" in a story about the United States).
fn own_votes<'k>(
    doc: &Document,
    res: &Resources,
    keys: &'k [String],
) -> HashMap<&'k str, HashMap<String, f32>> {
    let g = &res.gazetteer;
    let mut own: HashMap<&str, HashMap<String, f32>> = HashMap::new();
    for (m, key) in doc.places.iter().zip(keys) {
        let (ids, fuzzy) = g.lookup(&m.name);
        if fuzzy {
            continue;
        }
        for id in ids {
            let e = g.entry(id);
            if e.level == Level::Country {
                *own.entry(key.as_str())
                    .or_default()
                    .entry(e.country_code().to_string())
                    .or_default() += 1.5;
            }
        }
    }
    own
}

/// A mention's best gazetteer readings, and what choosing among them needs.
struct Readings {
    cands: Vec<Candidate>,
    /// Read as a spelling variant.
    fuzzy: bool,
    /// A locative word ("in", "near") precedes the mention.
    locative: bool,
}

/// The gazetteer readings of mention `m`, best first, scored in the text's
/// context: alternate names only where allowed, towns over their
/// namesake areas, populated places after a settlement cue.
fn candidates(
    doc: &Document,
    res: &Resources,
    m: &PlaceMention,
    key: &str,
    context: &TextContext,
    agreed: &dyn Fn(&str, &str) -> bool,
    pair: &PairEvidence,
) -> Readings {
    let g = &res.gazetteer;
    let (votes, total) = (&context.votes, context.total);
    let (ids, fuzzy) = g.lookup(&m.name);
    let mut cands: Vec<Candidate> = ids
        .iter()
        .map(|&id| score(res, id, m.cue, fuzzy, votes, total, agreed, pair))
        .collect();
    let locative = crate::recognise::places::has_locative_before(doc, m);
    if !fuzzy {
        let foreign = |c: &str| !votes.is_empty() && !votes.contains_key(c);
        cands.retain_mut(|c| {
            let e = g.entry(c.entry);
            if !by_alternate_name(e, key) {
                return true;
            }
            if !alternate_name_allowed(e, key, locative, foreign(e.country_code())) {
                return false;
            }
            c.score -= 2.0;
            c.evidence.push("alternate name");
            true
        });
    }
    prefer_namesake_towns(res, m.cue, &mut cands);
    if settlement_cue(doc, m) {
        // "New York City", "the town of X": a populated place.
        for c in &mut cands {
            if g.entry(c.entry).level == Level::Place {
                c.score += 3.0;
                c.evidence.push("settlement cue");
            }
        }
    }
    cands.sort_by(|a, b| b.score.total_cmp(&a.score));
    Readings {
        cands,
        fuzzy,
        locative,
    }
}

/// The best candidate when the text's context accepts it ("Somalia's
/// capital" is Mogadishu), and for a sub-city feature named after a town
/// ("a Benghazi hospital") that town, strong when well known.
fn choose(
    doc: &Document,
    res: &Resources,
    m: &PlaceMention,
    context: &TextContext,
    pair: &PairEvidence,
    readings: Readings,
) -> (Option<Resolution>, Option<(Resolution, bool)>) {
    let g = &res.gazetteer;
    let votes = &context.votes;
    let Readings {
        cands,
        fuzzy,
        locative,
    } = readings;
    let mut subcity_own = None;
    let resolved = cands.first().and_then(|best| {
        let e = g.entry(best.entry);
        let well_known = matches!(
            e.level,
            Level::Country | Level::Admin1 | Level::Continent | Level::Region
        ) || e.population >= 50_000;
        let in_context = context.top_country.as_deref() == Some(e.country_code())
            && (locative || e.population >= 5_000);
        let paired = pair.contained.contains(&best.entry);
        let accept = if m.cue == PlaceCue::SubCity {
            // "Nasser Hospital" is not the town of Nasser: a feature
            // resolves through its container. A lower-case feature
            // word after a town ("a Benghazi hospital", "the
            // Glasgow area") makes the town the container when the
            // text names no other; a proper name ("Colchester
            // General Hospital") only a well-known one.
            let lower = m.name_tokens.1 < m.tokens.1 && !doc.tokens[m.name_tokens.1].capitalised;
            // Never a town of a country foreign to the text ("the
            // Haidarabad area" of a Helmand district is no Hyderabad).
            let foreign = !votes.is_empty() && !votes.contains_key(e.country_code());
            if !fuzzy
                && e.level == Level::Place
                && !foreign
                && (well_known || (lower && in_context))
            {
                subcity_own = Some(well_known && lower);
            }
            false
        } else if fuzzy {
            // A spelling variant needs a locative cue ("in Edleb") and
            // the country the text is about.
            locative && context.text_country.as_deref() == Some(e.country_code())
        } else {
            // A small place elsewhere ("in Bara" matching a town in
            // Sudan in a story about Pakistan) loses to the context.
            let foreign = !votes.is_empty() && !votes.contains_key(e.country_code());
            // A district abroad is no well-known name: "in Nawa" in
            // a story from Kabul is no department of Ivory Coast.
            let foreign_district = foreign && e.level == Level::Admin2;
            (well_known && !foreign_district)
                || in_context
                || paired
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
    let own_town = subcity_own.and_then(|strong| {
        let best = cands.first()?;
        Some((
            Resolution {
                entry: best.entry,
                score: best.score,
                precision: 2,
                via_container: true,
                candidates: cands.clone(),
            },
            strong,
        ))
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
    (resolved, own_town)
}

/// After the first pass: each distinct name's country and admin1, for the
/// second pass to weigh the other names by.
fn add_agreement(doc: &Document, res: &Resources, keys: &[String], agreement: &mut Agreement) {
    let g = &res.gazetteer;
    let mut seen = std::collections::HashSet::new();
    for (m, key) in doc.places.iter().zip(keys) {
        if let Some(r) = &m.resolved {
            if !seen.insert(key.clone()) {
                continue;
            }
            let e = g.entry(r.entry);
            let fuzzy = r
                .candidates
                .first()
                .is_some_and(|c| c.evidence.contains(&"spelling variant"));
            // Countries and spelling variants vote through
            // country_votes or not at all; their admin1 still counts.
            agreement.add(
                key.clone(),
                e.country_code().to_string(),
                e.admin1.to_string(),
                e.level == Level::Country || fuzzy,
            );
        }
    }
}

/// Units of a distance before a relation ("70 km north of").
const DISTANCE_UNITS: [&str; 6] = ["km", "kms", "kilometres", "kilometers", "miles", "mi"];

/// The span of the words around a mention's name that say what kind of
/// place it is or how the event relates to it ("Homs province", "the
/// Al Zahraa neighbourhood", "70 km north of Djibo"): the words that set
/// its ACLED precision. A distance before a relation belongs to it.
pub fn precision_words(
    doc: &Document,
    m: &crate::model::PlaceMention,
) -> Option<crate::model::Span> {
    let toks = &doc.tokens;
    let (first, _) = doc.sentences[m.sentence].tokens;
    if m.tokens.0 < m.name_tokens.0 {
        let mut start = m.tokens.0;
        let distance = start >= first + 2
            && DISTANCE_UNITS.contains(&toks[start - 1].key.as_str())
            && toks[start - 2].kind == crate::model::TokenKind::Number;
        if distance && m.cue == PlaceCue::Around {
            start -= 2;
        }
        return Some([toks[start].span[0], toks[m.name_tokens.0 - 1].span[1]]);
    }
    (m.name_tokens.1 < m.tokens.1)
        .then(|| [toks[m.name_tokens.1].span[0], toks[m.tokens.1 - 1].span[1]])
}

/// ACLED geo_precision for a resolved mention.
fn precision(level: Level, cue: PlaceCue) -> u8 {
    match (level, cue) {
        (Level::Country | Level::Admin1 | Level::Continent | Level::Region, _) => 3,
        (Level::Admin2, _) => 2,
        (_, PlaceCue::SubCity | PlaceCue::Around) => 2,
        (_, PlaceCue::Capital) => 1,
        _ => 1,
    }
}

/// Sub-city mentions take their container's entry; a later bare mention of
/// the same feature ("Al Zahraa has also been targeted") takes it too.
fn resolve_containers(
    doc: &mut Document,
    res: &Resources,
    own_town: &[Option<(Resolution, bool)>],
) {
    let g = &res.gazetteer;
    let mut memory: HashMap<String, Resolution> = HashMap::new();
    for (i, own_town) in own_town.iter().enumerate() {
        let m = &doc.places[i];
        if m.cue != PlaceCue::SubCity {
            continue;
        }
        // The container is a town of the sentence where there is one (the
        // hospital "in Khan Younis in the southern Gaza Strip" is in Khan
        // Younis), else the nearest resolved place.
        let at = m.tokens.0 as isize;
        let town = sentence_range(&doc.places, m.sentence)
            .filter(|&j| {
                j != i
                    && doc.places[j].cue != PlaceCue::SubCity
                    && doc.places[j]
                        .resolved
                        .as_ref()
                        .is_some_and(|r| g.entry(r.entry).level == Level::Place)
            })
            .min_by_key(|&j| (doc.places[j].tokens.0 as isize - at).unsigned_abs());
        let container = |c: Option<usize>| c.and_then(|c| doc.places[c].resolved.clone());
        // "the Tanachoy area of Shah Wali Kot district": the place after
        // "of" holds the feature, whatever its level.
        let of_place = sentence_range(&doc.places, m.sentence).find(|&j| {
            doc.places[j].tokens.0 == m.tokens.1 + 1
                && doc.tokens[m.tokens.1].key == "of"
                && doc.places[j].cue != PlaceCue::SubCity
                && doc.places[j].resolved.is_some()
        });
        if let Some(mut r) = container(of_place) {
            r.precision = 2;
            r.via_container = true;
            memory.insert(crate::geokey::exact(&m.name), r.clone());
            doc.places[i].resolved = Some(r);
            continue;
        }
        // The feature's own town comes first when it is well known ("a
        // Buenos Aires hospital"), else after the towns of the sentence.
        let (own, strong) = match own_town {
            Some((r, strong)) => (Some(r.clone()), *strong),
            None => (None, false),
        };
        if own.is_some() && (strong || town.is_none()) {
            doc.places[i].resolved = own;
            continue;
        }
        if let Some(mut r) = container(town).or_else(|| container(m.container)) {
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
        doc.places[i].container = sentence_range(&doc.places, s)
            .filter(|&j| j != i && doc.places[j].cue != PlaceCue::SubCity)
            .min_by_key(|&j| (doc.places[j].tokens.0 as isize - at as isize).unsigned_abs());
    }
}

#[cfg(test)]
mod tests {
    use crate::{annotate_text, Resources};

    /// (mention text, country, level) of every resolved place mention.
    fn resolved(text: &str) -> Vec<(String, String, crate::gazetteer::Level)> {
        let res = Resources::shared();
        let doc = annotate_text(text, None, res);
        doc.places
            .iter()
            .filter_map(|m| {
                let e = res.gazetteer.entry(m.resolved.as_ref()?.entry);
                Some((
                    doc.slice(m.span).to_string(),
                    e.country_code().to_string(),
                    e.level,
                ))
            })
            .collect()
    }

    fn find<'a>(
        ps: &'a [(String, String, crate::gazetteer::Level)],
        text: &str,
    ) -> &'a (String, String, crate::gazetteer::Level) {
        ps.iter()
            .find(|p| p.0 == text)
            .unwrap_or_else(|| panic!("{text} in {ps:?}"))
    }

    #[test]
    fn a_town_then_its_area() {
        use crate::gazetteer::Level;
        let ps = resolved("The girl flew from Atlanta, Georgia to Wichita, Kansas on Saturday.");
        assert_eq!(find(&ps, "Georgia").1, "US", "{ps:?}");
        assert_eq!(find(&ps, "Georgia").2, Level::Admin1, "{ps:?}");
        assert_eq!(find(&ps, "Wichita").1, "US", "{ps:?}");
    }

    #[test]
    fn a_list_of_areas_of_one_country() {
        let ps =
            resolved("The company operates in the states of Arizona, Colorado, Georgia and Ohio.");
        assert_eq!(find(&ps, "Georgia").1, "US", "{ps:?}");
        // The country itself still wins where nothing else is said.
        let ps = resolved("Protesters gathered in Georgia on Sunday.");
        assert_eq!(find(&ps, "Georgia").1, "GE", "{ps:?}");
    }

    #[test]
    fn a_repeated_name_is_no_evidence_for_itself() {
        let ps = resolved(
            "Schools in California closed. Parents in Santa Ana were told on Monday. \
             Santa Ana officials said Santa Ana schools would reopen. Santa Ana police agreed.",
        );
        assert_eq!(find(&ps, "Santa Ana").1, "US", "{ps:?}");
    }

    #[test]
    fn a_feature_named_after_its_town() {
        let ps = resolved("He died in a Benghazi hospital on Monday.");
        assert_eq!(find(&ps, "Benghazi hospital").1, "LY", "{ps:?}");
        let ps = resolved("Three cases were confirmed in the Glasgow area.");
        assert_eq!(find(&ps, "Glasgow area").1, "GB", "{ps:?}");
    }

    #[test]
    fn a_bare_name_is_the_big_town_inside_the_area() {
        use crate::gazetteer::Level;
        let ps = resolved("The concert was held in New York on Friday.");
        assert_eq!(find(&ps, "New York").2, Level::Place, "{ps:?}");
        // Unless its neighbours say it is the area.
        let ps = resolved("She died in Buffalo, New York on Saturday.");
        assert_eq!(find(&ps, "New York").2, Level::Admin1, "{ps:?}");
        let ps = resolved("Cases were found in Ohio, New York and Utah.");
        assert_eq!(find(&ps, "New York").2, Level::Admin1, "{ps:?}");
        // Or an admin cue does.
        let ps = resolved("Flooding hit Kabul province on Monday.");
        assert_eq!(find(&ps, "Kabul province").2, Level::Admin1, "{ps:?}");
    }

    #[test]
    fn a_list_of_countries_is_no_town_in_a_country() {
        use crate::gazetteer::Level;
        let ps = resolved("It warned Armenia, Azerbaijan, Georgia, Iraq, Iran, and Syria.");
        assert_eq!(find(&ps, "Iraq").2, Level::Country, "{ps:?}");
        assert_eq!(find(&ps, "Iraq").1, "IQ", "{ps:?}");
    }

    #[test]
    fn regions_and_seas_are_places() {
        use crate::gazetteer::Level;
        let ps = resolved("Fighting spread across Darfur and the Middle East.");
        assert_eq!(find(&ps, "Darfur").1, "SD", "{ps:?}");
        assert_eq!(find(&ps, "Darfur").2, Level::Region, "{ps:?}");
        assert_eq!(find(&ps, "Middle East").2, Level::Region, "{ps:?}");
        // An ocean is no US county.
        let ps = resolved("The storm formed over the Pacific on Monday.");
        assert_eq!(find(&ps, "Pacific").2, Level::Region, "{ps:?}");
    }

    #[test]
    fn alternate_names_need_a_cue_or_the_context() {
        use crate::gazetteer::Level;
        // A short alternate name is a word, not Jahrom.
        let ps = resolved("Do you think Kabul is safe?");
        assert!(!ps.iter().any(|p| p.0 == "Do"), "{ps:?}");
        // A surname is no county.
        let ps = resolved("Johnson said the clinic in Seattle would reopen.");
        assert!(!ps.iter().any(|p| p.0 == "Johnson"), "{ps:?}");
        // Victoria in an Australian story is the state, not Hong Kong.
        let ps = resolved(
            "Australian officials said Victoria recorded new cases. Sydney and Melbourne \
             were locked down.",
        );
        assert_eq!(find(&ps, "Victoria").1, "AU", "{ps:?}");
        assert_eq!(find(&ps, "Victoria").2, Level::Admin1, "{ps:?}");
        // A town known abroad by another name keeps it, and so does a
        // spelling of its own name.
        let ps = resolved("Kiev said the talks would resume.");
        assert_eq!(find(&ps, "Kiev").1, "UA", "{ps:?}");
        let ps = resolved("Syrian troops advanced. Douma is surrounded by government forces.");
        assert_eq!(find(&ps, "Douma").1, "SY", "{ps:?}");
    }

    #[test]
    fn a_feature_in_a_foreign_town_is_no_feature_of_it() {
        // "the Haidarabad area" of an Afghan district is not Hyderabad, Pakistan.
        let ps = resolved(
            "A soldier was killed by the Taliban in the Haidarabad area of Nahri Saraj district, \
             Helmand.",
        );
        assert!(
            !ps.iter().any(|p| p.1 == "PK"),
            "no place in Pakistan: {ps:?}"
        );
        assert_eq!(find(&ps, "Nahri Saraj district").1, "AF", "{ps:?}");
    }

    #[test]
    fn brackets_and_comma_chains_name_containers() {
        use crate::gazetteer::Level;
        let ps = resolved("Militants attacked a gendarmerie post in Djibo (Soum, Sahel).");
        assert_eq!(find(&ps, "Sahel").1, "BF", "{ps:?}");
        assert_eq!(find(&ps, "Sahel").2, Level::Admin1, "{ps:?}");
        let ps = resolved("Gunmen attacked a police station in Watamu, Dabaso, Kilifi.");
        assert_eq!(find(&ps, "Kilifi").2, Level::Admin1, "{ps:?}");
    }

    #[test]
    fn a_district_abroad_is_no_well_known_name() {
        let ps = resolved("KABUL, Afghanistan - Gunmen killed three soldiers in Nawa on Monday.");
        assert!(!ps.iter().any(|p| p.1 == "CI"), "{ps:?}");
    }

    #[test]
    fn a_feature_of_a_named_district_lies_in_that_district() {
        let res = Resources::shared();
        let doc = annotate_text(
            "Taliban militants fired on an APC in the Davaro Qulf area of Nad Ali district, Helmand.",
            None,
            res,
        );
        let entry = |name: &str| {
            let m = doc.places.iter().find(|m| m.name == name);
            m.and_then(|m| m.resolved.as_ref()).map(|r| r.entry)
        };
        assert!(entry("Nad Ali").is_some(), "{:?}", doc.places);
        assert_eq!(entry("Davaro Qulf"), entry("Nad Ali"));
    }

    #[test]
    fn the_words_that_set_precision_come_with_their_distance() {
        let res = Resources::shared();
        let words = |text: &str| -> Vec<String> {
            let doc = annotate_text(text, None, res);
            doc.places
                .iter()
                .filter_map(|m| super::precision_words(&doc, m))
                .map(|s| doc.slice(s).to_string())
                .collect()
        };
        assert_eq!(
            words("Gunmen killed five soldiers 70 km north of Djibo on Monday."),
            ["70 km north of"]
        );
        assert_eq!(words("Flooding hit Homs province on Monday."), ["province"]);
        assert!(words("Flooding hit Homs on Monday.").is_empty());
    }

    #[test]
    fn a_settlement_cue_picks_the_town() {
        use crate::gazetteer::Level;
        let ps = resolved("Protests were held in the city of Quebec on Monday.");
        let q = ps.iter().find(|p| p.0.contains("Quebec")).expect("Quebec");
        assert_eq!(q.2, Level::Place, "{ps:?}");
    }
}
