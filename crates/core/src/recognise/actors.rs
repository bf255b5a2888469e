//! Actors: named groups and forces from `data/lexicon/actors.tsv`, generic
//! actors ("gunmen", "security forces") that take their country from a
//! demonym before them ("Syrian government forces"), officials named after a
//! title ("US President Barack Obama"), and anaphora ("the militant group")
//! linked to the last named armed group.

use crate::lexicon::{field, tsv_rows, KeyStream, PhraseMatcher};
use crate::model::{ActorMention, Document};
use crate::Resources;

#[derive(Debug, Clone)]
pub struct ActorEntry {
    pub canonical: String,
    /// ACLED actor type 1-8.
    pub inter: u8,
    pub country: Option<String>,
    pub sector: String,
    /// Generic actors ("gunmen") take their country from context.
    pub generic: bool,
}

pub struct ActorLexicon {
    pub entries: Vec<ActorEntry>,
    matcher: PhraseMatcher,
    /// The entry used for officials named after a title.
    official: usize,
}

/// Heads that refer back to a group already named ("the militant group").
const ANAPHORIC_HEADS: &[&str] = &[
    "group",
    "organisation",
    "organization",
    "outfit",
    "movement",
    "militants",
    "jihadists",
    "insurgents",
    "extremists",
    "rebels",
    "attackers",
    "assailants",
];

/// Titles of officials: a name after them is a person acting for a state.
const TITLES: &[&[&str]] = &[
    &["president"],
    &["prime", "minister"],
    &["foreign", "minister"],
    &["defence", "minister"],
    &["defense", "minister"],
    &["interior", "minister"],
    &["minister"],
    &["secretary", "of", "state"],
    &["counterpart"],
    &["chancellor"],
    &["king"],
    &["envoy"],
    &["ambassador"],
    &["governor"],
    &["general"],
];

/// How events show a generic actor with its country: "Police (Pakistan)".
pub fn with_country(canonical: &str, country: &str) -> String {
    format!("{canonical} ({country})")
}

/// An actor's name as events show it, without the country
/// [`with_country`] adds: "Police (Pakistan)" is "Police".
pub fn without_country(name: &str) -> &str {
    match name.rsplit_once(" (") {
        Some((base, rest)) if rest.ends_with(')') => base,
        _ => name,
    }
}

impl ActorLexicon {
    /// The lexicon compiled into the binary (`data/lexicon/actors.tsv`).
    pub fn embedded() -> Self {
        Self::from_tsv(include_str!("../../../../data/lexicon/actors.tsv"))
    }

    pub fn from_tsv(content: &str) -> Self {
        let mut entries = Vec::new();
        let mut phrases: Vec<(String, usize)> = Vec::new();
        for r in tsv_rows(content) {
            let idx = entries.len();
            entries.push(ActorEntry {
                canonical: field(&r, 0).to_string(),
                inter: field(&r, 2).parse().unwrap_or(8),
                country: Some(field(&r, 3).to_string()).filter(|c| !c.is_empty()),
                sector: field(&r, 4).to_string(),
                generic: field(&r, 5) == "generic",
            });
            phrases.push((field(&r, 0).to_string(), idx));
            for a in field(&r, 1)
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                phrases.push((a.to_string(), idx));
            }
        }
        let official = entries.len();
        entries.push(ActorEntry {
            canonical: "Government official".into(),
            inter: 1,
            country: None,
            sector: "GOV".into(),
            generic: true,
        });
        let matcher = PhraseMatcher::new(phrases.iter().map(|(p, i)| (p.as_str(), *i)));
        ActorLexicon {
            entries,
            matcher,
            official,
        }
    }

    /// The name an actor mention stands for: a person's name, a named
    /// group's canonical name, or a generic actor qualified by its country.
    pub fn display_name(&self, m: &ActorMention, doc: &Document, res: &Resources) -> String {
        if let Some(p) = &m.person {
            return p.clone();
        }
        let e = &self.entries[m.entry];
        if e.generic {
            if let Some(c) = &m.country {
                let country = res
                    .gazetteer
                    .country(c)
                    .map(|i| res.gazetteer.entry(i).name.to_string());
                return with_country(&e.canonical, &country.unwrap_or_else(|| c.clone()));
            }
        }
        let _ = doc;
        e.canonical.clone()
    }
}

pub fn find_actors(doc: &Document, res: &Resources, stream: &KeyStream) -> Vec<ActorMention> {
    let lex = &res.actors;
    let toks = &doc.tokens;
    let mut out: Vec<ActorMention> = Vec::new();
    for m in lex.matcher.find(stream, toks) {
        let (mut a, b) = m.tokens;
        let s = toks[a].sentence;
        if toks[b - 1].sentence != s {
            continue;
        }
        let entry = &lex.entries[m.entry];
        let mut country = entry.country.clone();
        // "Syrian government forces", "Afghan soldiers": country from a demonym.
        if entry.generic {
            let mut j = a;
            while j > 0 && toks[j - 1].sentence == s && j + 3 > a {
                let w = doc.slice(toks[j - 1].span);
                if let Some(c) = res.gazetteer.demonym(w) {
                    country = Some(c.to_string());
                    a = j - 1;
                    break;
                }
                if !matches!(
                    toks[j - 1].key.as_str(),
                    "government" | "pro" | "army" | "security" | "armed" | "allied"
                ) {
                    break;
                }
                j -= 1;
            }
        }
        if out
            .last()
            .is_some_and(|l| l.tokens.1 > a && l.sentence == s)
        {
            // Two entries share a phrase: keep both, same span.
            if out.last().is_some_and(|l| l.tokens != (a, b)) {
                continue;
            }
        }
        out.push(ActorMention {
            span: doc.token_span((a, b)),
            tokens: (a, b),
            sentence: s,
            entry: m.entry,
            country,
            person: None,
            antecedent: None,
        });
    }
    drop_appositions(doc, res, &mut out);
    out.extend(forces_by_weapon(doc, res, &out));
    out.extend(find_officials(doc, res, &out));
    out.sort_by_key(|m| m.tokens);
    link_anaphora(doc, res, &mut out);
    out
}

/// Weapons named with a nationality stand for that state's forces:
/// "Russian artillery", "an Israeli drone strike", "Turkish jets".
fn forces_by_weapon(doc: &Document, res: &Resources, known: &[ActorMention]) -> Vec<ActorMention> {
    let known = super::TokenMask::new(doc.tokens.len(), known.iter().map(|k| k.tokens));
    const WEAPONS: &[&str] = &[
        "artillery",
        "drone",
        "drones",
        "missile",
        "missiles",
        "warplane",
        "warplanes",
        "jet",
        "jets",
        "aircraft",
        "airstrike",
        "airstrikes",
        "air",
        "shelling",
        "rocket",
        "rockets",
        "tank",
        "tanks",
        "helicopter",
        "helicopters",
        "navy",
        "gunboat",
        "gunboats",
        "mortar",
        "mortars",
        "bombardment",
        "bombing",
        "bombers",
        "strike",
        "strikes",
    ];
    let Some(military) = res
        .actors
        .entries
        .iter()
        .position(|e| e.generic && e.canonical == "Military forces")
    else {
        return Vec::new();
    };
    let toks = &doc.tokens;
    let mut out = Vec::new();
    for i in 0..toks.len().saturating_sub(1) {
        if !toks[i].capitalised {
            continue;
        }
        // "Russian artillery", "a Russian ballistic missile": up to two lowercase words between.
        let head = (i + 1..(i + 4).min(toks.len()))
            .take_while(|&j| {
                toks[j].sentence == toks[i].sentence && (j == i + 1 || !toks[j - 1].capitalised)
            })
            .find(|&j| {
                WEAPONS.contains(&toks[j].key.as_str())
                    && (i + 1..j).all(|k| {
                        !toks[k].capitalised && toks[k].kind == crate::model::TokenKind::Word
                    })
            });
        if head.is_none() {
            continue;
        }
        if known.covers(i) || known.covers(i + 1) {
            continue;
        }
        if let Some(c) = res.gazetteer.demonym(doc.slice(toks[i].span)) {
            out.push(ActorMention {
                span: toks[i].span,
                tokens: (i, i + 1),
                sentence: toks[i].sentence,
                entry: military,
                country: Some(c.to_string()),
                person: None,
                antecedent: None,
            });
        }
    }
    out
}

/// Mentions that only restate or modify another: "Tehreek-e-Taliban
/// Pakistan (TTP)", "the al Qaeda-linked group", "militant group al Shabaab",
/// "its fighters".
fn drop_appositions(doc: &Document, res: &Resources, out: &mut Vec<ActorMention>) {
    let toks = &doc.tokens;
    let key = |i: usize| toks.get(i).map_or("", |t| t.key.as_str());
    let n = out.len();
    let mut keep = vec![true; n];
    for i in 0..n {
        let (a, b) = out[i].tokens;
        let generic = res.actors.entries[out[i].entry].generic;
        // "(TTP)" right after the full name.
        if a > 0 && key(a - 1) == "(" && key(b) == ")" && i > 0 && out[i - 1].tokens.1 + 1 == a {
            keep[i] = false;
        }
        // "al Qaeda-linked", "Iran-backed": a modifier, not a party.
        if matches!(
            key(b),
            "linked"
                | "backed"
                | "affiliated"
                | "allied"
                | "aligned"
                | "inspired"
                | "led"
                | "style"
                | "based"
        ) && doc.text[toks[b - 1].span[1]..toks[b].span[0]].contains('-')
        {
            keep[i] = false;
        }
        // "militant group al Shabaab": the generic head restates the name after it.
        if generic
            && i + 1 < n
            && out[i + 1].tokens.0 == b
            && !res.actors.entries[out[i + 1].entry].generic
        {
            keep[i] = false;
        }
        // "its fighters", "their men": the group already named.
        if generic && a > 0 && matches!(key(a - 1), "its" | "their" | "his" | "our") {
            keep[i] = false;
        }
        // "Al-Shabaab fighters", "M23 rebels": the name's own members.
        if generic
            && i > 0
            && out[i - 1].tokens.1 == a
            && !res.actors.entries[out[i - 1].entry].generic
            && res.actors.entries[out[i].entry].inter != 7
        {
            keep[i] = false;
        }
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// "US President Barack Obama", "his Russian counterpart Sergei Lavrov".
fn find_officials(doc: &Document, res: &Resources, known: &[ActorMention]) -> Vec<ActorMention> {
    let known = super::TokenMask::new(doc.tokens.len(), known.iter().map(|k| k.tokens));
    let toks = &doc.tokens;
    let mut out = Vec::new();
    for (si, sent) in doc.sentences.iter().enumerate() {
        let (first, last) = sent.tokens;
        let mut i = first;
        while i < last {
            let Some(title) = TITLES.iter().find(|t| {
                i + t.len() <= last && t.iter().enumerate().all(|(k, w)| toks[i + k].key == *w)
            }) else {
                i += 1;
                continue;
            };
            let name_start = i + title.len();
            let mut name_end = name_start;
            while name_end < last
                && name_end < name_start + 4
                && toks[name_end].capitalised
                && toks[name_end].kind == crate::model::TokenKind::Word
            {
                name_end += 1;
            }
            if name_end - name_start < 2 || known.covers(name_start) {
                i = name_start;
                continue;
            }
            // Country from a demonym or country word just before the title.
            let mut country = None;
            let mut start = i;
            for j in (first.max(i.saturating_sub(2))..i).rev() {
                let w = doc.slice(toks[j].span);
                if let Some(c) = res.gazetteer.demonym(w) {
                    country = Some(c.to_string());
                    start = j;
                    break;
                }
            }
            out.push(ActorMention {
                span: doc.token_span((start, name_end)),
                tokens: (start, name_end),
                sentence: si,
                entry: res.actors.official,
                country,
                person: Some(doc.token_text((name_start, name_end)).to_string()),
                antecedent: None,
            });
            i = name_end;
        }
    }
    out
}

/// "the militant group", "the jihadists": refer to the last named armed
/// non-state group mentioned before them.
fn link_anaphora(doc: &Document, res: &Resources, mentions: &mut [ActorMention]) {
    for i in 0..mentions.len() {
        let m = &mentions[i];
        let e = &res.actors.entries[m.entry];
        if !e.generic || !matches!(e.inter, 2 | 3) {
            continue;
        }
        let (a, b) = m.tokens;
        let head = doc.tokens[b - 1].key.as_str();
        let definite = a > 0 && matches!(doc.tokens[a - 1].key.as_str(), "the" | "this" | "that");
        if !definite || !ANAPHORIC_HEADS.contains(&head) {
            continue;
        }
        let antecedent = (0..i).rev().find(|&j| {
            let c = &res.actors.entries[mentions[j].entry];
            !c.generic && matches!(c.inter, 2..=4)
        });
        mentions[i].antecedent = antecedent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_suffix_comes_off_as_it_went_on() {
        let shown = with_country("Police", "Pakistan");
        assert_eq!(shown, "Police (Pakistan)");
        assert_eq!(without_country(&shown), "Police");
        assert_eq!(without_country("Gunmen"), "Gunmen");
    }
}
