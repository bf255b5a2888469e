//! Event triggers from `data/lexicon/triggers.tsv`, with what the words
//! around them say: negated ("failed to agree"), hypothetical ("could have"),
//! planned ("are due to resume"), threatened, foiled; anaphoric ("that
//! attack", "the blast"); another incident ("another bomb"); serial ("a
//! string of bombings", "regularly targeted").

use super::{Sentence, TokenMask};
use crate::lexicon::{field, tsv_rows, KeyStream, PhraseMatcher};
use crate::model::{Document, Modality, TriggerMention};
use crate::Resources;

#[derive(Debug, Clone)]
pub struct TriggerEntry {
    pub phrase: String,
    pub class: String,
    /// ACLED sub-event type, or None for acts ACLED does not code.
    pub sub_event_type: Option<String>,
    pub plural: bool,
    pub weak: bool,
    pub priority: u32,
    /// Keys of which one must occur in the sentence (`>` = just after).
    pub needs: Vec<String>,
    pub cameo: Option<String>,
    pub plover: Option<String>,
    pub plover_mode: Option<String>,
}

pub struct TriggerLexicon {
    pub entries: Vec<TriggerEntry>,
    matcher: PhraseMatcher,
}

impl TriggerLexicon {
    pub fn from_tsv(content: &str) -> Self {
        let opt = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty() && s != "-");
        let entries: Vec<TriggerEntry> = tsv_rows(content)
            .map(|r| TriggerEntry {
                phrase: field(&r, 0).to_string(),
                class: field(&r, 1).to_string(),
                sub_event_type: opt(field(&r, 2)),
                plural: field(&r, 3) == "pl",
                weak: field(&r, 4) == "weak",
                priority: field(&r, 5).parse().unwrap_or(0),
                needs: field(&r, 6)
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                cameo: opt(field(&r, 7)),
                plover: opt(field(&r, 8)),
                plover_mode: opt(field(&r, 9)),
            })
            .collect();
        let matcher = PhraseMatcher::new(
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.phrase.as_str(), i)),
        );
        TriggerLexicon { entries, matcher }
    }
}

fn key_matches(pattern: &str, key: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => key.starts_with(prefix),
        None => key == pattern,
    }
}

/// A cue of `data/lexicon/modality_cues.tsv`: a modality, or the end of
/// the clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Modality(Modality),
    Boundary,
}

/// The cue words of `data/lexicon/modality_cues.tsv`, read once: by the
/// word itself, and by the word before "to".
struct ModalityCues {
    before: rustc_hash::FxHashMap<&'static str, Cue>,
    before_to: rustc_hash::FxHashMap<&'static str, Modality>,
}

fn modality_cues() -> &'static ModalityCues {
    static CUES: std::sync::OnceLock<ModalityCues> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let mut cues = ModalityCues {
            before: Default::default(),
            before_to: Default::default(),
        };
        for r in tsv_rows(include_str!("../../../../data/lexicon/modality_cues.tsv")) {
            let cue = match field(&r, 1) {
                "negated" => Cue::Modality(Modality::Negated),
                "hypothetical" => Cue::Modality(Modality::Hypothetical),
                "planned" => Cue::Modality(Modality::Planned),
                "threatened" => Cue::Modality(Modality::Threatened),
                "foiled" => Cue::Modality(Modality::Foiled),
                "ongoing" => Cue::Modality(Modality::Ongoing),
                "boundary" => Cue::Boundary,
                other => panic!("modality_cues.tsv: unknown modality {other:?}"),
            };
            let first = match (field(&r, 2), cue) {
                ("before", _) => cues.before.insert(field(&r, 0), cue).is_none(),
                ("before_to", Cue::Modality(m)) => cues.before_to.insert(field(&r, 0), m).is_none(),
                (position, _) => panic!("modality_cues.tsv: bad position {position:?}"),
            };
            assert!(
                first,
                "modality_cues.tsv: {:?} twice in one position",
                field(&r, 0)
            );
        }
        cues
    })
}

/// Words before a trigger that change what it reports, nearest first.
fn modality_before(words: &[&str]) -> Modality {
    let cues = modality_cues();
    for (k, w) in words.iter().enumerate() {
        if *w == "to" {
            let prev = words.get(k + 1).copied().unwrap_or("");
            if let Some(&m) = cues.before_to.get(prev) {
                return m;
            }
            continue;
        }
        match cues.before.get(w) {
            Some(Cue::Modality(m)) => return *m,
            // A clause boundary ends the look-back.
            Some(Cue::Boundary) => break,
            None => {}
        }
    }
    Modality::Asserted
}

pub fn find_triggers(doc: &Document, res: &Resources, stream: &KeyStream) -> Vec<TriggerMention> {
    let lex = &res.triggers;
    let toks = &doc.tokens;
    let date_tokens = TokenMask::new(doc.tokens.len(), doc.dates.iter().map(|d| d.tokens));
    let mut out = Vec::new();
    for m in lex.matcher.find(stream, toks) {
        let (a, b) = m.tokens;
        let e = &lex.entries[m.entry];
        let s = toks[a].sentence;
        if toks[b - 1].sentence != s
            || date_tokens.covers(a)
            // A trigger inside an actor's name is part of the name ("March 23
            // Movement"), unless it is the name's head ("Israeli drone strike").
            || crate::model::of_sentence(&doc.actors, toks[a].sentence)
                .iter()
                .any(|x| a >= x.tokens.0 && a < x.tokens.1 && b < x.tokens.1)
            // "the number of dead", "the death toll": a figure, not an act.
            || (e.weak && doc.tolls.iter().any(|t| a >= t.tokens.0 && b <= t.tokens.1 && (t.tokens.0..t.tokens.1).any(|i| matches!(toks[i].key.as_str(), "toll" | "number"))))
        {
            continue;
        }
        let c = Candidate {
            sent: Sentence::new(doc, s),
            res,
            e,
            a,
            b,
            date_tokens: &date_tokens,
        };
        if c.no_act_told() {
            continue;
        }
        // Words of a date are no modal verbs ("On 2 May 2020, 4 policemen
        // were killed": "may" is the month).
        let before: Vec<&str> = (c.sent.first.max(a.saturating_sub(6))..a)
            .rev()
            .map(|i| {
                if date_tokens.covers(i) {
                    "<date>"
                } else {
                    toks[i].key.as_str()
                }
            })
            .collect();
        if c.no_weapon_use(&before) {
            continue;
        }
        let modality = c.modality(&before);
        let (anaphoric, another) = c.reference(&before);
        out.push(TriggerMention {
            span: doc.token_span((a, b)),
            tokens: (a, b),
            sentence: s,
            entry: m.entry,
            modality,
            anaphoric,
            another,
            serial: c.serial(&before, modality),
            proposed: false,
        });
    }
    share_list_modality(doc, &mut out);
    out
}

/// A trigger match being judged: its entry, its tokens `a..b` and its
/// sentence.
struct Candidate<'d> {
    sent: Sentence<'d>,
    res: &'d Resources,
    e: &'d TriggerEntry,
    a: usize,
    b: usize,
    date_tokens: &'d TokenMask,
}

impl Candidate<'_> {
    /// The words match but tell no act: a needed word is missing, a
    /// participle describes ("an abandoned base", "rebel-held"), a march
    /// is forced.
    fn no_act_told(&self) -> bool {
        let (doc, e, a, b) = (self.sent.doc, self.e, self.a, self.b);
        let (first, last) = (self.sent.first, self.sent.last);
        let toks = &doc.tokens;
        if !e.needs.is_empty() {
            let ok = e.needs.iter().any(|n| match n.strip_prefix('>') {
                Some(p) => (b..last.min(b + 6)).any(|i| key_matches(p, &toks[i].key)),
                None => (first..last).any(|i| key_matches(n, &toks[i].key)),
            });
            if !ok {
                return true;
            }
        }
        // "the occupied part of the region", "an abandoned base": a
        // participle after a determiner describes, it does not report.
        if a > first
            && b < last
            && toks[a].key.ends_with("ed")
            && !toks[a].capitalised
            && matches!(
                toks[a - 1].key.as_str(),
                "the" | "a" | "an" | "its" | "their"
            )
            && toks[b].kind == crate::model::TokenKind::Word
            && !matches!(
                toks[b].key.as_str(),
                "by" | "on" | "in" | "at" | "and" | "to"
            )
        {
            return true;
        }
        // "Russian-occupied", "rebel-held": an adjective, not an act.
        if a > first
            && doc.text[toks[a - 1].span[1]..toks[a].span[0]].contains('-')
            && toks[a].key.ends_with("ed")
        {
            return true;
        }
        // "marched them into the forest": a forced march, not a demonstration.
        e.class == "protest"
            && b < last
            && matches!(
                toks[b].key.as_str(),
                "them" | "him" | "her" | "captives" | "hostages" | "prisoners"
            )
    }

    /// Weapons seized as loot, found, made or supplied, and "since the
    /// prison riot": no use of force told.
    fn no_weapon_use(&self, before: &[&str]) -> bool {
        let (doc, e, a, b) = (self.sent.doc, self.e, self.a, self.b);
        let (first, last) = (self.sent.first, self.sent.last);
        let toks = &doc.tokens;
        // "JNIM said its fighters had killed 21 soldiers ... and seized
        // weapons": arms taken by rebels or militias (the sentence's first
        // actor) are loot, not a disrupted weapons use (the authorities').
        if e.class == "disrupted"
            && matches!(e.phrase.as_str(), "seized weapons" | "seized explosives")
        {
            let seizer = crate::model::of_sentence(&doc.actors, self.sent.index)
                .iter()
                .filter(|x| x.tokens.1 <= a)
                .map(|x| self.res.actors.entries[x.entry].inter)
                .next();
            if seizer.is_some_and(|i| matches!(i, 2 | 3)) {
                return true;
            }
        }
        // "grenades were recovered from the site", "seized two hand
        // grenades": weapons found or taken, not used.
        let weapon_noun = matches!(
            e.class.as_str(),
            "grenade" | "explosion" | "shelling" | "air"
        ) && ![
            "attack",
            "strike",
            "blast",
            "explosion",
            "bombing",
            "shelling",
            "raid",
        ]
        .iter()
        .any(|w| (a..b).any(|i| toks[i].key.contains(w)));
        if weapon_noun
            && (a.saturating_sub(3).max(first)..last.min(b + 6)).any(|i| {
                matches!(
                    toks[i].key.as_str(),
                    "recovered"
                        | "seized"
                        | "confiscated"
                        | "found"
                        | "possession"
                        | "cache"
                        | "caches"
                        | "stockpile"
                        | "haul"
                )
            })
        {
            return true;
        }
        // "a plant assembling long-range drones": weapons as goods made or
        // supplied, not used.
        if before.iter().take(3).any(|w| {
            matches!(
                *w,
                "producing"
                    | "produces"
                    | "produce"
                    | "assembling"
                    | "assembles"
                    | "making"
                    | "makes"
                    | "manufacturing"
                    | "manufactures"
                    | "building"
                    | "builds"
                    | "supplying"
                    | "supplies"
                    | "supply"
                    | "delivering"
                    | "deliver"
                    | "delivered"
                    | "selling"
                    | "sell"
                    | "sold"
            )
        }) {
            return true;
        }
        // "since the prison riot": a past reference point named by a noun,
        // not an act told. ("since it retook Kidal" tells one.)
        before
            .windows(2)
            .take(3)
            .any(|w| w[1] == "since" && matches!(w[0], "the" | "a" | "last"))
    }

    /// The modality of the words before, refined: a process ("has been
    /// losing ground"), a state of war ("as fighting has spread"), a way
    /// to a protest ("driving towards the dam to protest").
    fn modality(&self, before: &[&str]) -> Modality {
        let (toks, e, a, b) = (&self.sent.doc.tokens, self.e, self.a, self.b);
        let (first, last) = (self.sent.first, self.sent.last);
        let mut modality = modality_before(before);
        // "has been losing ground": an ongoing process, not an incident.
        if before.first().is_some_and(|w| *w == "been") && toks[a].key.ends_with("ing") {
            modality = Modality::Ongoing;
        }
        // "as fighting has spread across Amhara", "fighting ... dragged on":
        // a state of war, not an incident. ("a gunfight that continued till
        // Sunday" is one incident.)
        if e.class == "clash"
            && !before
                .first()
                .is_some_and(|w| matches!(*w, "a" | "an" | "the" | "that" | "this"))
        {
            let spreading = (b..last.min(b + 8)).find(|&i| {
                matches!(
                    toks[i].key.as_str(),
                    "spread"
                        | "spreads"
                        | "raged"
                        | "rages"
                        | "persisted"
                        | "persists"
                        | "escalated"
                        | "intensified"
                        | "continues"
                        | "continued"
                        | "dragged"
                )
            });
            if spreading.is_some_and(|p| {
                (b..p).all(|i| !matches!(toks[i].key.as_str(), "," | "." | ";" | "killed" | "and"))
            }) {
                modality = Modality::Ongoing;
            }
        }
        // "civilians driving towards the dam to protest": on their way to a
        // protest, not at one. ("Residents banged pots to protest" is one.)
        if e.class == "protest"
            && modality == Modality::Asserted
            && before.first().is_some_and(|w| *w == "to")
            && (first.max(a.saturating_sub(10))..a).any(|i| {
                matches!(
                    toks[i].key.as_str(),
                    "driving"
                        | "travelling"
                        | "traveling"
                        | "heading"
                        | "headed"
                        | "going"
                        | "way"
                        | "en"
                )
            })
        {
            modality = Modality::Planned;
        }
        modality
    }

    /// Whether the trigger points back to an incident told before ("that
    /// attack", "Saturday's attack") and whether it opens another one
    /// ("another bomb", "Separately, ...").
    fn reference(&self, before: &[&str]) -> (bool, bool) {
        let (toks, a) = (&self.sent.doc.tokens, self.a);
        let (first, last) = (self.sent.first, self.sent.last);
        let near: Vec<&str> = before.iter().take(3).copied().collect();
        // "Separately, ...", "In a separate attack, ...", "Elsewhere, ...":
        // the sentence opens a new incident.
        let opens_new = matches!(toks[first].key.as_str(), "separately" | "elsewhere")
            || (first..last.min(first + 4))
                .any(|i| toks[i].key == "separate" && i > first && toks[i - 1].key == "a");
        let another = opens_new
            || near.iter().any(|w| {
                matches!(
                    *w,
                    "another" | "second" | "third" | "new" | "separate" | "fresh" | "other"
                )
            });
        // "Saturday's attack": a possessive date points back like "the".
        let dated = near.first().is_some_and(|w| *w == "'s")
            && a >= first + 2
            && self.date_tokens.covers(a - 2);
        // "that attack" points back; "a militia that fought" is a relative
        // clause: "that" after a noun or a name opens one.
        let relative_that = |k: usize| {
            k < near.len()
                && near[k] == "that"
                && before.get(k + 1).is_some_and(|w| {
                    !matches!(
                        *w,
                        "in" | "on"
                            | "after"
                            | "before"
                            | "since"
                            | "of"
                            | "from"
                            | "by"
                            | "during"
                            | ","
                            | "said"
                            | "says"
                            | "<date>"
                    )
                })
        };
        let anaphoric = dated
            || !another
                && near
                    .first()
                    .is_some_and(|w| matches!(*w, "that" | "this" | "the" | "same"))
                && !relative_that(0)
            || (0..2).any(|k| {
                near.get(k).is_some_and(|w| *w == "same")
                    || near.get(k).is_some_and(|w| *w == "that") && !relative_that(k)
            });
        (anaphoric, another)
    }

    /// A habit or a series ("rounds of shelling", "a string of bombings",
    /// "attacks across the region"), not one incident.
    fn serial(&self, before: &[&str], modality: Modality) -> bool {
        let (toks, b, last) = (&self.sent.doc.tokens, self.b, self.sent.last);
        let habitual = before.iter().take(4).any(|w| {
            matches!(
                *w,
                "rounds" | "successive" | "repeated" | "series" | "frequent" | "regular"
            )
        });
        habitual
            || self.e.plural
                && (before.iter().take(4).any(|w| {
                    matches!(
                        *w,
                        "string"
                            | "series"
                            | "wave"
                            | "spate"
                            | "number"
                            | "several"
                            | "multiple"
                            | "both"
                            | "these"
                            | "coordinated"
                            | "simultaneous"
                            | "two"
                            | "three"
                            | "four"
                            | "five"
                            | "twin"
                    )
                }) || (b < last && toks[b].key == "across")
                    || modality == Modality::Ongoing)
    }
}

/// "frequently targeted by Russian missiles, glide bombs and drones": the
/// items of a list share the first item's modality and habit, which the
/// look-back cannot see past the commas.
fn share_list_modality(doc: &Document, out: &mut [TriggerMention]) {
    for k in 1..out.len() {
        let (prev, next) = (&out[k - 1], &out[k]);
        let listed = prev.sentence == next.sentence
            && prev.tokens.1 <= next.tokens.0
            && next.tokens.0 - prev.tokens.1 <= 2
            && (prev.tokens.1..next.tokens.0)
                .all(|i| matches!(doc.tokens[i].key.as_str(), "," | "and" | "or"));
        if listed {
            let (modality, serial) = (prev.modality, prev.serial);
            out[k].modality = modality;
            out[k].serial |= serial;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words before a trigger, as a sentence has them; the look-back
    /// reads them nearest first.
    fn before(text: &str) -> Modality {
        let words: Vec<&str> = text.split_whitespace().rev().collect();
        modality_before(&words)
    }

    #[test]
    fn the_words_before_a_trigger_set_its_modality() {
        let table = [
            ("talks failed to", Modality::Negated),
            ("there was no", Modality::Negated),
            ("the army denied any", Modality::Negated),
            ("talks are due to", Modality::Planned),
            ("the group vowed to", Modality::Threatened),
            ("gunmen tried to", Modality::Foiled),
            ("police foiled a", Modality::Foiled),
            ("officials fear more", Modality::Hypothetical),
            ("the union will", Modality::Planned),
            ("militants have repeatedly", Modality::Ongoing),
            ("villagers said", Modality::Asserted),
            // The nearest cue wins; a clause boundary ends the look-back.
            ("talks failed , but the", Modality::Asserted),
            ("it could , they said , be a", Modality::Asserted),
            ("were unable to stop the", Modality::Negated),
            ("they would not", Modality::Negated),
            ("went to", Modality::Asserted),
        ];
        for (text, want) in table {
            assert_eq!(before(text), want, "{text:?}");
        }
    }

    #[test]
    fn every_cue_word_has_one_modality_per_position() {
        let cues = modality_cues();
        assert_eq!(cues.before.get("."), Some(&Cue::Boundary));
        assert_eq!(cues.before_to.get("vowed"), Some(&Modality::Threatened));
        assert!(cues.before.len() > 60 && cues.before_to.len() > 20);
    }
}
