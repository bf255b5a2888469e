//! Place mentions: runs of capitalised words (with the article particles of
//! Arabic and other names: al-, el-, ez-, de ...) that the gazetteer knows,
//! or that a cue word marks as a place ("the Al Zahraa neighbourhood",
//! "Homs province", "the province of Tartus", "west of the capital Damascus").
//! Resolution to gazetteer entries happens in `resolve::places`.

use super::{Sentence, TokenMask};
use crate::lexicon::{field, tsv_rows};
use crate::model::{Document, PlaceCue, PlaceMention, TokenKind};
use crate::Resources;

#[derive(Debug, Clone)]
pub struct PlaceCueEntry {
    pub words: Vec<String>,
    pub cue: PlaceCue,
    /// after: "Homs province"; before: "province of Homs"; relation: "west of Homs".
    pub position: String,
}

pub struct PlaceCues {
    pub entries: Vec<PlaceCueEntry>,
    /// Geographic common nouns ("cape", "ocean", "point") that are no
    /// place on their own: "Cape Peron" is not the town of Cape.
    pub generic: std::collections::HashSet<String>,
}

impl PlaceCues {
    pub fn from_tsv(content: &str) -> Self {
        let generic = tsv_rows(content)
            .filter(|r| field(r, 1) == "generic")
            .map(|r| crate::text::fold(field(&r, 0)))
            .collect();
        let entries = tsv_rows(content)
            .filter(|r| field(r, 1) != "generic")
            .map(|r| PlaceCueEntry {
                words: crate::segment::phrase_keys(field(&r, 0)),
                cue: match field(&r, 1) {
                    "admin" => PlaceCue::Admin,
                    "subcity" => PlaceCue::SubCity,
                    "around" => PlaceCue::Around,
                    _ => PlaceCue::Plain,
                },
                position: field(&r, 2).to_string(),
            })
            .collect();
        PlaceCues { entries, generic }
    }
}

/// Lowercase particles that belong to a name ("al-Sabura", "Deir ez-Zor").
pub(crate) fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "al" | "el"
            | "ez"
            | "es"
            | "as"
            | "ash"
            | "ad"
            | "ar"
            | "an"
            | "at"
            | "az"
            | "ech"
            | "de"
            | "del"
            | "da"
            | "das"
            | "do"
            | "dos"
            | "di"
            | "la"
            | "le"
            | "les"
            | "los"
            | "bin"
            | "ibn"
            | "bani"
            | "abu"
            | "umm"
            | "sur"
            | "upon"
            | "ul"
    )
}

/// The closed word classes of `data/lexicon/place_words.tsv`, read once:
/// grammar the finder needs at every token, shared by every document.
struct PlaceWords {
    function: rustc_hash::FxHashSet<&'static str>,
    locative: rustc_hash::FxHashSet<&'static str>,
}

fn place_words() -> &'static PlaceWords {
    static WORDS: std::sync::OnceLock<PlaceWords> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let rows: Vec<Vec<&'static str>> =
            tsv_rows(include_str!("../../../../data/lexicon/place_words.tsv")).collect();
        let class = |name: &str| {
            rows.iter()
                .filter(|r| field(r, 1) == name)
                .map(|r| field(r, 0))
                .collect()
        };
        PlaceWords {
            function: class("function"),
            locative: class("locative"),
        }
    })
}

/// Capitalised words that start sentences or titles but never name places here.
pub(crate) fn is_function_word(w: &str) -> bool {
    place_words().function.contains(w)
}

/// Prepositions after which a capitalised word is likely a place.
pub(crate) fn is_locative(w: &str) -> bool {
    place_words().locative.contains(w)
}

pub fn find_places(
    doc: &Document,
    res: &Resources,
    _stream: &crate::lexicon::KeyStream,
) -> Vec<PlaceMention> {
    let toks = &doc.tokens;
    let blocked = super::TokenMask::new(
        toks.len(),
        doc.actors
            .iter()
            .map(|a| a.tokens)
            .chain(doc.dates.iter().map(|d| d.tokens))
            .chain(super::persons::find_person_names(doc, res)),
    );
    let mut found = Found::default();
    for si in 0..doc.sentences.len() {
        let c = Sentence::new(doc, si);
        let mut i = c.first;
        // The end of the last run whose start was a name: the rest of it
        // is a place only when a well-known one.
        let mut tail_end = c.first;
        while i < c.last {
            i = place_at(c, res, &blocked, i, &mut tail_end, &mut found);
        }
    }
    link_containers(doc, &mut found.out);
    found.out
}

/// What the place scan has found so far.
#[derive(Default)]
struct Found {
    out: Vec<PlaceMention>,
    /// Names seen as sub-city features ("the Al Zahraa neighbourhood") are
    /// places when they come back bare ("Al Zahraa has been targeted").
    features: std::collections::HashSet<String>,
}

/// The place a capitalised run at token `i` names, if any, added to
/// `found`; the token where the scan goes on.
fn place_at(
    c: Sentence,
    res: &Resources,
    blocked: &TokenMask,
    i: usize,
    tail_end: &mut usize,
    found: &mut Found,
) -> usize {
    let (doc, si, last) = (c.doc, c.index, c.last);
    // "U.S.", "U.K.": letters and dots are one name; a run of initials
    // that names no country or area ("D.C.", "J.R.") is no place.
    if let Some(k) = dotted_abbreviation(doc, i, last) {
        if !blocked.covers(i) && names_area(res, doc.token_text((i, k))) {
            if let Some(m) = mention(doc, res, si, i, k, false) {
                found.out.push(m);
            }
        }
        return k;
    }
    let Some(compass) = run_start(c, res, blocked, i) else {
        return i + 1;
    };
    // "Colonia Valle del Campestre", "Barangay Poblacion": a word
    // that opens the name of a neighbourhood.
    if let Some(m) = prefixed_feature(doc, res, si, i, last, blocked) {
        found.features.insert(crate::geokey::exact(&m.name));
        let next = m.tokens.1;
        found.out.push(m);
        return next;
    }
    let j = run_end(c, res, blocked, i);
    if opens_longer_name(c, res, i, j) {
        return j;
    }
    match longest_known(c, res, (i, j), compass, *tail_end, found) {
        Some(k) => {
            if k < j {
                *tail_end = j;
            }
            k.max(i + 1)
        }
        None => i + 1,
    }
}

/// Does a run of a place name start at token `i`? A capitalised word that
/// is no function word, a country's abbreviation ("US"), a compass word
/// before a name ("North Kivu") or an Arabic particle ("al-", "Abu")
/// before one; not a demonym ("British Columbia" aside). `Some(true)`
/// when the run opens with a compass word.
fn run_start(c: Sentence, res: &Resources, blocked: &TokenMask, i: usize) -> Option<bool> {
    let (doc, last) = (c.doc, c.last);
    let toks = &doc.tokens;
    let t = &toks[i];
    let starts_run = t.kind == TokenKind::Word
        && t.capitalised
        && !blocked.covers(i)
        && !is_function_word(&t.key);
    // English-looking particles ("as", "at", "an", "de") start a name
    // only when hyphenated to it ("as-Suwayda").
    let hyphenated =
        i + 1 < last && doc.text[t.span[1]..toks[i + 1].span[0]].contains(['-', '‐', '‑']);
    // "US", "UK", "DRC": a country's abbreviation is a place, also
    // where it works as an adjective ("US officials" is an actor and
    // blocked above).
    let country_abbr = t.all_caps
        && t.key.chars().count() >= 2
        && !blocked.covers(i)
        && names_country(res, doc.slice(t.span));
    // "British Columbia", "Dominican Republic": a demonym that opens a
    // name the gazetteer knows.
    let is_demonym = res.gazetteer.demonym(doc.slice(t.span)).is_some()
        && !country_abbr
        && !demonym_opens_name(doc, res, i, last);
    // "North Kivu", "South Waziristan": a compass word may open a name.
    let compass = is_compass(&t.key)
        && t.capitalised
        && i + 1 < last
        && toks[i + 1].capitalised
        && toks[i + 1].kind == TokenKind::Word;
    let starts_run = (starts_run || compass || country_abbr) && !is_demonym;
    let particle_start = is_particle(&t.key)
        && (hyphenated
            || matches!(
                t.key.as_str(),
                "al" | "el"
                    | "ul"
                    | "ad"
                    | "ash"
                    | "ez"
                    | "es"
                    | "ech"
                    | "ibn"
                    | "bin"
                    | "abu"
                    | "umm"
                    | "bani"
            ))
        && i + 1 < last
        && toks[i + 1].capitalised
        && !blocked.covers(i + 1);
    (starts_run || particle_start).then_some(compass)
}

/// The end of the run that starts at `i`: capitalised words and
/// particles within the sentence, and "of" inside a name the gazetteer
/// knows exactly ("Horn of Africa", "Gulf of Aden").
fn run_end(c: Sentence, res: &Resources, blocked: &TokenMask, i: usize) -> usize {
    let (doc, last) = (c.doc, c.last);
    let toks = &doc.tokens;
    let mut j = i + 1;
    while j < last
        && !blocked.covers(j)
        && res.gazetteer.demonym(doc.slice(toks[j].span)).is_none()
        && ((toks[j].kind == TokenKind::Word
            && toks[j].capitalised
            && (!is_function_word(&toks[j].key)
                // "New South Wales", "Kasai Central": a compass
                // word inside a name.
                || (is_compass(&toks[j].key)
                    && j + 1 < last
                    && toks[j + 1].capitalised
                    && toks[j + 1].kind == TokenKind::Word)
                // "the Middle East", "the Far East": a compass word
                // that ends a known name.
                || (is_compass(&toks[j].key)
                    && known_exactly(res, doc.token_text((i, j + 1))))
                // "Mexico City", "New York City": a level word that
                // is part of a known name.
                || (toks[j].key == "city" && known_exactly(res, doc.token_text((i, j + 1))))))
            || (is_particle(&toks[j].key) && j + 1 < last && toks[j + 1].capitalised)
            || ezafe(doc, j, last))
    {
        // "Homs and Al-Sabura": a hyphen-free gap between words is fine,
        // but a comma or other punctuation ends the run.
        j += 1;
    }
    // "Horn of Africa", "Gulf of Aden", "Line of Control": a name
    // with "of" inside that the gazetteer knows exactly.
    while j + 1 < last
        && toks[j].key == "of"
        && toks[j + 1].capitalised
        && toks[j + 1].kind == TokenKind::Word
        && !blocked.covers(j + 1)
        && known_exactly(res, doc.token_text((i, j + 2)))
    {
        j += 2;
    }
    j
}

/// "Line of Control", "University of Baghdad": the run `i..j` opens a
/// longer proper name that is no gazetteer place; the name after "of"
/// gets its own turn.
fn opens_longer_name(c: Sentence, res: &Resources, i: usize, j: usize) -> bool {
    let (doc, last) = (c.doc, c.last);
    let toks = &doc.tokens;
    j + 1 < last
        && toks[j].key == "of"
        && toks[j + 1].capitalised
        && toks[j + 1].kind == TokenKind::Word
        && !is_function_word(&toks[j + 1].key)
        && res
            .gazetteer
            .lookup(doc.token_text((i, j + 2)))
            .0
            .is_empty()
        && !res
            .gazetteer
            .lookup(doc.token_text((i, j)))
            .0
            .iter()
            .any(|&id| well_known(res, id))
}

/// The longest known sub-run of `i..j` from the left, else one that a cue
/// makes a place: its mention goes to `found`, its end is returned.
fn longest_known(
    c: Sentence,
    res: &Resources,
    (i, j): (usize, usize),
    compass: bool,
    tail_end: usize,
    found: &mut Found,
) -> Option<usize> {
    let (doc, si, last) = (c.doc, c.index, c.last);
    let t = &doc.tokens[i];
    let mut k = j;
    // A compass word alone is no name.
    let min_len = if compass && !starts_run_plain(doc, res, i) {
        2
    } else {
        1
    };
    while k >= i + min_len {
        // "Nawa-e Barakzayi": a name cut inside its ezafe compound
        // ("Nawa") is no name.
        if k < j && ezafe(doc, k, last) {
            k -= 1;
            continue;
        }
        let name = doc.token_text((i, k));
        let (mut ids, _) = res.gazetteer.lookup(name);
        // A lone geographic noun ("Cape", "Ocean") names nothing.
        if k == i + 1 && res.place_cues.generic.contains(&t.key) {
            ids.clear();
        }
        // The rest of a run whose start was a name ("Kasai
        // Occidental": "Occidental") is a place only when it is a
        // well-known one.
        if i < tail_end && !ids.iter().any(|&id| well_known(res, id)) {
            ids.clear();
        }
        let feature = found.features.contains(&crate::geokey::exact(name));
        if !ids.is_empty()
            || feature
            || cue_after(doc, res, k, last).is_some_and(|(c, _)| c == PlaceCue::SubCity)
        {
            let m = mention(doc, res, si, i, k, ids.is_empty() && !feature)?;
            if m.cue == PlaceCue::SubCity {
                found.features.insert(crate::geokey::exact(&m.name));
            }
            found.out.push(m);
            return Some(k);
        }
        k -= 1;
    }
    None
}

/// "Nahr-e Saraj", "Rabat-e Sangi-ye Pain": the Persian ezafe, a lower-case
/// "e", "i" or "ye" hyphened to the word before, inside a name.
fn ezafe(doc: &Document, j: usize, last: usize) -> bool {
    let toks = &doc.tokens;
    j > 0
        && j + 1 < last
        && matches!(toks[j].key.as_str(), "e" | "i" | "ye")
        && !toks[j].capitalised
        && toks[j + 1].capitalised
        && toks[j + 1].kind == TokenKind::Word
        && doc.text[toks[j - 1].span[1]..toks[j].span[0]] == *"-"
}

/// A sub-city feature named after a word that opens it ("Colonia Prados
/// Verdes", "Barangay Laguilayan", "colonia 3 de Mayo"): cue words of
/// position `prefix`, then capitalised words, numbers and name particles.
fn prefixed_feature(
    doc: &Document,
    res: &Resources,
    si: usize,
    i: usize,
    last: usize,
    blocked: &super::TokenMask,
) -> Option<PlaceMention> {
    let toks = &doc.tokens;
    let n = res
        .place_cues
        .entries
        .iter()
        .filter(|c| c.position == "prefix")
        .filter(|c| {
            i + c.words.len() < last
                && c.words
                    .iter()
                    .enumerate()
                    .all(|(n, w)| toks[i + n].key == *w)
        })
        .map(|c| c.words.len())
        .max()?;
    let s = i + n;
    let opens = |t: usize| {
        !blocked.covers(t)
            && ((toks[t].kind == TokenKind::Word && toks[t].capitalised)
                || toks[t].kind == TokenKind::Number)
    };
    if !opens(s) {
        return None;
    }
    let mut j = s + 1;
    while j < last
        && !blocked.covers(j)
        && ((toks[j].kind == TokenKind::Word && toks[j].capitalised)
            || (is_particle(&toks[j].key) && j + 1 < last && opens(j + 1)))
    {
        j += 1;
    }
    Some(PlaceMention {
        span: doc.token_span((i, j)),
        tokens: (i, j),
        sentence: si,
        name: doc.token_text((s, j)).to_string(),
        name_tokens: (s, j),
        cue: PlaceCue::SubCity,
        container: None,
        resolved: None,
    })
}

/// The end of a dotted abbreviation starting at token `i` ("U.S.", "U.K.",
/// "D.C."): single capital letters each glued to a following dot, at least two.
fn dotted_abbreviation(doc: &Document, i: usize, last: usize) -> Option<usize> {
    let toks = &doc.tokens;
    let mut k = i;
    let mut letters = 0;
    while k + 1 < last
        && toks[k].kind == TokenKind::Word
        && toks[k].all_caps
        && toks[k].key.chars().count() == 1
        && toks[k + 1].key == "."
        && toks[k].span[1] == toks[k + 1].span[0]
        && (k == i || toks[k - 1].span[1] == toks[k].span[0])
    {
        letters += 1;
        k += 2;
    }
    (letters >= 2).then_some(k)
}

/// Whether `name` is exactly (not by spelling variant) a country's name.
fn names_country(res: &Resources, name: &str) -> bool {
    let (ids, fuzzy) = res.gazetteer.lookup(name);
    !fuzzy
        && ids
            .iter()
            .any(|&id| res.gazetteer.entry(id).level == crate::gazetteer::Level::Country)
}

/// Whether the gazetteer knows `name` exactly (not by spelling variant).
fn known_exactly(res: &Resources, name: &str) -> bool {
    let (ids, fuzzy) = res.gazetteer.lookup(name);
    !fuzzy && !ids.is_empty()
}

/// Whether `name` is exactly a country's or a first-level area's name.
fn names_area(res: &Resources, name: &str) -> bool {
    let (ids, fuzzy) = res.gazetteer.lookup(name);
    !fuzzy
        && ids.iter().any(|&id| {
            matches!(
                res.gazetteer.entry(id).level,
                crate::gazetteer::Level::Country | crate::gazetteer::Level::Admin1
            )
        })
}

/// Whether the demonym at token `i` opens a name the gazetteer knows exactly
/// with the capitalised words after it ("British Columbia", "Saudi Arabia").
fn demonym_opens_name(doc: &Document, res: &Resources, i: usize, last: usize) -> bool {
    let toks = &doc.tokens;
    let mut k = i + 1;
    while k < last && k < i + 4 && toks[k].kind == TokenKind::Word && toks[k].capitalised {
        k += 1;
        if known_exactly(res, doc.token_text((i, k))) {
            return true;
        }
    }
    false
}

/// Compass and position words that may open or continue a name.
fn is_compass(w: &str) -> bool {
    matches!(
        w,
        "north"
            | "south"
            | "east"
            | "west"
            | "central"
            | "upper"
            | "lower"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
    )
}

/// Whether token `i` could open a name on its own (not only as a compass word).
fn starts_run_plain(doc: &Document, _res: &Resources, i: usize) -> bool {
    !is_function_word(&doc.tokens[i].key)
}

/// A country, continent or first-level area, or a town of 100,000 people.
fn well_known(res: &Resources, id: u32) -> bool {
    let e = res.gazetteer.entry(id);
    matches!(
        e.level,
        crate::gazetteer::Level::Country
            | crate::gazetteer::Level::Continent
            | crate::gazetteer::Level::Region
            | crate::gazetteer::Level::Admin1
    ) || e.population >= 100_000
}

/// A cue word right after the name: ("Homs province", "Al Zahraa neighbourhood").
fn cue_after(doc: &Document, res: &Resources, k: usize, last: usize) -> Option<(PlaceCue, usize)> {
    let toks = &doc.tokens;
    res.place_cues
        .entries
        .iter()
        .filter(|c| c.position == "after")
        .filter(|c| {
            k + c.words.len() <= last
                && c.words
                    .iter()
                    .enumerate()
                    .all(|(n, w)| toks[k + n].key == *w)
        })
        .max_by_key(|c| c.words.len())
        .map(|c| (c.cue, k + c.words.len()))
}

/// A cue before the name: "province of Tartus", "the capital Damascus", "west of".
fn cue_before(
    doc: &Document,
    res: &Resources,
    i: usize,
    first: usize,
) -> Option<(PlaceCue, usize)> {
    let toks = &doc.tokens;
    let mut best: Option<(PlaceCue, usize)> = None;
    for c in res
        .place_cues
        .entries
        .iter()
        .filter(|c| c.position == "before" || c.position == "relation")
    {
        // "before" cues are followed by "of" ("the province of X") unless the
        // cue already ends in "of"; "capital" takes the name directly.
        let mut words = c.words.clone();
        if c.position == "before" && words.last().is_some_and(|w| w != "of" && w != "capital") {
            words.push("of".into());
        }
        let n = words.len();
        // Allow "the capital Damascus", "west of the capital Damascus", "outside the Syrian city of X".
        for gap in 0..=3usize {
            if i < first + n + gap {
                break;
            }
            let s = i - n - gap;
            if words.iter().enumerate().all(|(m, w)| toks[s + m].key == *w) {
                let between_ok = (s + n..i).all(|b| {
                    matches!(
                        toks[b].key.as_str(),
                        "the" | "capital" | "city" | "of" | "town"
                    ) || doc
                        .slice(toks[b].span)
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase)
                });
                if between_ok && best.is_none_or(|(_, bs)| s < bs || c.cue == PlaceCue::Around) {
                    let cue = match best {
                        Some((kept, _)) if !matches!(c.cue, PlaceCue::Admin | PlaceCue::Around) => {
                            kept
                        }
                        _ => c.cue,
                    };
                    best = Some((cue, s));
                }
                break;
            }
        }
    }
    best
}

fn mention(
    doc: &Document,
    res: &Resources,
    si: usize,
    i: usize,
    k: usize,
    unknown: bool,
) -> Option<PlaceMention> {
    let toks = &doc.tokens;
    let (first, last) = doc.sentences[si].tokens;
    let name = doc.token_text((i, k)).to_string();
    let mut start = i;
    let mut end = k;
    let mut cue = PlaceCue::Plain;
    if let Some((c, e)) = cue_after(doc, res, k, last) {
        cue = c;
        end = e;
    }
    if let Some((c, s)) = cue_before(doc, res, i, first) {
        if cue == PlaceCue::Plain || c == PlaceCue::Around {
            cue = if cue == PlaceCue::SubCity {
                PlaceCue::SubCity
            } else {
                c
            };
        }
        start = s;
    }
    if unknown && cue != PlaceCue::SubCity {
        return None;
    }
    // "according to Nasser Hospital": an institution cited as a source,
    // not where something happened.
    if cue == PlaceCue::SubCity
        && start >= first + 2
        && toks[start - 2].key == "according"
        && toks[start - 1].key == "to"
    {
        return None;
    }
    // A known name with no cue and no locative word before it must be a
    // well-known place (checked in resolve, which sees population).
    let _ = toks;
    // "Somalia's capital", "the Afghan capital": the country's capital.
    if end == k && k + 1 < last && toks[k].key == "'s" && toks[k + 1].key == "capital" {
        cue = PlaceCue::Capital;
        end = k + 2;
    }
    Some(PlaceMention {
        span: doc.token_span((start, end)),
        tokens: (start, end),
        sentence: si,
        name,
        name_tokens: (i, k),
        cue,
        container: None,
        resolved: None,
    })
}

/// Whether the word before a mention is a locative preposition.
pub fn has_locative_before(doc: &Document, m: &PlaceMention) -> bool {
    let first = doc.sentences[m.sentence].tokens.0;
    m.cue != PlaceCue::Plain
        || m.name_tokens != m.tokens
        || doc.blocks[doc.sentences[m.sentence].block].kind == crate::model::BlockKind::Dateline
        || (m.tokens.0 > first && is_locative(&doc.tokens[m.tokens.0 - 1].key))
}

/// Give each sub-city mention the nearest other place of its sentence as its
/// container ("In central Homs city ... the Al Zahraa neighbourhood").
fn link_containers(doc: &Document, mentions: &mut [PlaceMention]) {
    let _ = doc;
    for i in 0..mentions.len() {
        if mentions[i].cue != PlaceCue::SubCity {
            continue;
        }
        let s = mentions[i].sentence;
        let best = crate::model::sentence_range(mentions, s)
            .filter(|&j| j != i && mentions[j].cue != PlaceCue::SubCity)
            .min_by_key(|&j| {
                (mentions[j].tokens.0 as isize - mentions[i].tokens.0 as isize).unsigned_abs()
            });
        mentions[i].container = best;
    }
}

#[cfg(test)]
mod tests {
    use crate::{annotate_text, Resources};

    use super::{is_function_word, is_locative, place_words};
    use crate::recognise::place_texts as mentions;

    #[test]
    fn the_place_words_file_reads_into_its_two_classes() {
        let words = place_words();
        assert!(words.function.contains("the") && words.function.contains("reuters"));
        assert!(words.locative.contains("near") && words.locative.contains("outside"));
        assert!(is_function_word("monday") && !is_function_word("homs"));
        assert!(is_locative("in") && !is_locative("said"));
        assert!(words.function.len() > 100 && words.locative.len() > 20);
    }

    #[test]
    fn country_abbreviations_are_places() {
        let ps = mentions("Flights from the U.S. and the UK to the DRC resumed on Monday.");
        assert!(ps.contains(&"U.S.".to_string()), "{ps:?}");
        assert!(ps.contains(&"UK".to_string()), "{ps:?}");
        assert!(ps.contains(&"DRC".to_string()), "{ps:?}");
        // Initials that name an area are one place; others are none, and
        // no letter of them is.
        let ps = mentions("The lab in Washington, D.C. confirmed it.");
        assert_eq!(ps, ["Washington", "D.C."]);
        let ps = mentions("The report by J.R. Jones was read in Kabul.");
        assert_eq!(ps, ["Kabul"]);
        // Abbreviations match in capitals only: "Car bombs" is no CAR.
        let ps = mentions("Car bombs exploded in Homs on Monday.");
        assert_eq!(ps, ["Homs"]);
        // The pronoun is no country.
        let ps = mentions("Let us go to Kabul.");
        assert_eq!(ps, ["Kabul"]);
    }

    #[test]
    fn a_demonym_may_open_a_known_name() {
        let ps = mentions("Cases were reported in British Columbia and the Dominican Republic.");
        assert!(ps.contains(&"British Columbia".to_string()), "{ps:?}");
        assert!(ps.contains(&"Dominican Republic".to_string()), "{ps:?}");
        // A demonym before a word that makes no place stays an adjective.
        let ps = mentions("Syrian Observatory monitors said the town of Homs was shelled.");
        assert!(!ps.iter().any(|p| p.contains("Syrian")), "{ps:?}");
    }

    #[test]
    fn a_prefix_word_opens_a_neighbourhood() {
        let res = Resources::shared();
        let doc = annotate_text(
            "In Morelia, Michoacan, a man was shot dead in Colonia Prados Verdes on Monday.",
            None,
            res,
        );
        let m = doc
            .places
            .iter()
            .find(|m| doc.slice(m.span).starts_with("Colonia"))
            .expect("the colonia is a place");
        assert_eq!(doc.slice(m.span), "Colonia Prados Verdes");
        assert_eq!(m.name, "Prados Verdes");
        assert_eq!(m.cue, crate::model::PlaceCue::SubCity);
    }

    #[test]
    fn names_with_of_and_the_ezafe_are_one_name() {
        let ps = mentions("Shelling was reported along the Line of Control on Monday.");
        assert_eq!(ps, ["Line of Control"]);
        let ps = mentions("Troops were sent to the Middle East.");
        assert_eq!(ps, ["Middle East"]);
        let ps = mentions("Ships were seized in the Gulf of Aden.");
        assert_eq!(ps, ["Gulf of Aden"]);
        let ps = mentions("A man was shot dead in Mossoro, Rio Grande do Norte.");
        assert!(ps.contains(&"Rio Grande do Norte".to_string()), "{ps:?}");
        let ps = mentions("A house was hit in Omar Khel of Pul-e Khumri district, Baghlan.");
        assert!(ps.contains(&"Pul-e Khumri district".to_string()), "{ps:?}");
        // A name cut inside its compound is no name: "Nawa" is no town here.
        let ps =
            mentions("An IED hit a vehicle in Hazar Asp of Nawa-e Barakzayi district, Helmand.");
        assert!(!ps.iter().any(|p| p == "Nawa"), "{ps:?}");
    }

    #[test]
    fn city_belongs_to_a_name_the_gazetteer_knows() {
        let ps = mentions("He flew from Mexico City to New York City on Monday.");
        assert!(ps.contains(&"Mexico City".to_string()), "{ps:?}");
        assert!(ps.contains(&"New York City".to_string()), "{ps:?}");
    }
}
