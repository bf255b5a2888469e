//! Who says so: "state media said", "according to the Observatory", "police
//! said", "X told AFP", "said a medical source", or a named person or group
//! before a reporting verb.

use crate::lexicon::{field, tsv_rows, KeyStream, PhraseMatch, PhraseMatcher};
use crate::model::{ActorMention, Attribution, Document, TokenKind};
use crate::Resources;

pub struct AttributionLexicon {
    /// For each entry: Some(printed source name) for sources, None for verbs.
    pub entries: Vec<Option<String>>,
    matcher: PhraseMatcher,
    phrases: Vec<String>,
}

impl AttributionLexicon {
    pub fn from_tsv(content: &str) -> Self {
        let mut entries = Vec::new();
        let mut phrases = Vec::new();
        for r in tsv_rows(content) {
            phrases.push(field(&r, 0).to_string());
            entries.push((field(&r, 1) == "source").then(|| field(&r, 2).to_string()));
        }
        let matcher = PhraseMatcher::new(phrases.iter().enumerate().map(|(i, p)| (p.as_str(), i)));
        AttributionLexicon {
            entries,
            matcher,
            phrases,
        }
    }

    pub fn phrase(&self, entry: usize) -> &str {
        &self.phrases[entry]
    }
}

/// News agencies that relay a statement rather than make it ("told AFP").
fn is_channel(name: &str) -> bool {
    matches!(name, "Reuters" | "AFP" | "AP" | "Al Jazeera" | "BBC")
}

/// Where to look without scanning the whole document: the phrase matches
/// and the actors of each sentence, and the matches and actors by first
/// token. Each list keeps the order of the document's list, so a search in
/// it finds what a search over the whole list would have found first, in
/// time bounded by the sentence instead of the document.
struct Index {
    matches_in_sentence: Vec<Vec<usize>>,
    actors_in_sentence: Vec<Vec<usize>>,
    match_at: std::collections::HashMap<usize, Vec<usize>>,
    actor_at: std::collections::HashMap<usize, Vec<usize>>,
}

impl Index {
    fn new(doc: &Document, matches: &[PhraseMatch]) -> Self {
        let n = doc.sentences.len();
        let mut idx = Index {
            matches_in_sentence: vec![Vec::new(); n],
            actors_in_sentence: vec![Vec::new(); n],
            match_at: Default::default(),
            actor_at: Default::default(),
        };
        for (mi, m) in matches.iter().enumerate() {
            idx.matches_in_sentence[doc.tokens[m.tokens.0].sentence].push(mi);
            idx.match_at.entry(m.tokens.0).or_default().push(mi);
        }
        for (ai, a) in doc.actors.iter().enumerate() {
            if let Some(list) = idx.actors_in_sentence.get_mut(a.sentence) {
                list.push(ai);
            }
            idx.actor_at.entry(a.tokens.0).or_default().push(ai);
        }
        idx
    }

    /// The first (in document order) of the items starting at one of `tokens`.
    fn first_at(
        at: &std::collections::HashMap<usize, Vec<usize>>,
        tokens: std::ops::RangeInclusive<usize>,
    ) -> impl Iterator<Item = usize> + '_ {
        let mut found: Vec<usize> = tokens
            .filter_map(|t| at.get(&t))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.into_iter()
    }
}

pub fn find_attributions(doc: &Document, res: &Resources, stream: &KeyStream) -> Vec<Attribution> {
    let lex = &res.attributions;
    let matches = lex.matcher.find(stream, &doc.tokens);
    let index = Index::new(doc, &matches);
    let mut out = Vec::new();
    for (mi, m) in matches.iter().enumerate() {
        if lex.entries[m.entry].is_none() {
            if let Some(a) = verb_attribution(doc, res, &matches, &index, mi) {
                out.push(a);
            }
        }
    }
    according_to(doc, res, &matches, &index, &mut out);
    out.sort_by_key(|a| a.tokens);
    out
}

/// The source of one reporting verb, before it ("police said"), after it
/// ("said state media") or a capitalised name before it.
fn verb_attribution(
    doc: &Document,
    res: &Resources,
    matches: &[PhraseMatch],
    index: &Index,
    mi: usize,
) -> Option<Attribution> {
    let lex = &res.attributions;
    let toks = &doc.tokens;
    let verb = matches[mi].tokens;
    let s = toks[verb.0].sentence;
    let first = doc.sentences[s].tokens.0;
    let last = doc.sentences[s].tokens.1;
    let in_sentence = &index.matches_in_sentence[s];
    let split = in_sentence.partition_point(|&j| j < mi);
    let earlier = || in_sentence[..split].iter().rev().map(|&j| &matches[j]);
    // A source just before the verb ("state media said", "police say").
    // Commas and sentence adverbs between them do not count ("The
    // district police officer, however, put the number of dead at 12").
    let gap = |from: usize| {
        (from..verb.0)
            .filter(|&i| {
                !matches!(
                    toks[i].key.as_str(),
                    "," | "however" | "though" | "also" | "later" | "separately"
                )
            })
            .count()
    };
    let before = earlier().find(|p| {
        lex.entries[p.entry].is_some()
            && p.tokens.1 <= verb.0
            && gap(p.tokens.1) <= 2
            && verb.0 - p.tokens.1 <= 5
    });
    // "an official at a city hospital, who spoke on condition of anonymity, said":
    // the subject before a relative clause.
    let before = before.or_else(|| {
        earlier().find(|p| {
            lex.entries[p.entry].is_some()
                && p.tokens.1 <= verb.0
                && (p.tokens.1..verb.0).any(|i| toks[i].key == "who")
                && !(p.tokens.1..verb.0).any(|i| matches!(toks[i].key.as_str(), "." | ";"))
        })
    });
    // ... or just after ("said state media", "told AFP" is a channel).
    let after = in_sentence[split..]
        .iter()
        .filter(|&&j| j > mi)
        .map(|&j| &matches[j])
        .find(|p| {
            lex.entries[p.entry].is_some() && p.tokens.0 >= verb.1 && p.tokens.0 - verb.1 <= 1
        });
    let pick = |p: &PhraseMatch| lex.entries[p.entry].clone().unwrap_or_default();
    let found = if let Some(p) = before {
        Some((p.tokens.0, pick(p)))
    } else if let Some(a) = speaker_before(doc, index, verb) {
        Some((a.tokens.0, res.actors.display_name(a, doc, res)))
    } else if let Some(p) = after.filter(|p| !is_channel(&pick(p))) {
        Some((verb.0, pick(p)))
    } else {
        capitalised_name_before(doc, first, verb)
    };
    let (start, source) = found?;
    let end = after
        .filter(|p| !is_channel(&pick(p)))
        .map_or(verb.1, |p| p.tokens.1)
        .min(last);
    Some(Attribution {
        span: doc.token_span((start.min(verb.0), end.max(verb.1))),
        tokens: (start.min(verb.0), end.max(verb.1)),
        sentence: s,
        source,
    })
}

/// An actor of the verb's sentence just before it, or "A health worker at a
/// clinic in Dabat said": the speaker, then where they are.
fn speaker_before<'d>(
    doc: &'d Document,
    index: &Index,
    verb: (usize, usize),
) -> Option<&'d ActorMention> {
    let toks = &doc.tokens;
    let s = toks[verb.0].sentence;
    index.actors_in_sentence[s]
        .iter()
        .map(|&ai| &doc.actors[ai])
        .find(|a| {
            a.tokens.1 <= verb.0
                && (verb.0 - a.tokens.1 <= 1
                    || (verb.0 - a.tokens.1 <= 7
                        && matches!(toks[a.tokens.1].key.as_str(), "at" | "in" | "from" | "of")
                        && (a.tokens.1..verb.0).all(|i| {
                            toks[i].kind == TokenKind::Word && !index.actor_at.contains_key(&i)
                        })))
        })
}

/// A capitalised name of two to four words before the verb ("Rami Abdel
/// Rahman said").
fn capitalised_name_before(
    doc: &Document,
    first: usize,
    verb: (usize, usize),
) -> Option<(usize, String)> {
    let toks = &doc.tokens;
    if verb.0 <= first {
        return None;
    }
    let mut j = verb.0;
    while j > first
        && toks[j - 1].capitalised
        && toks[j - 1].kind == TokenKind::Word
        && verb.0 - j < 4
    {
        j -= 1;
    }
    (verb.0 - j >= 2).then(|| (j, doc.token_text((j, verb.0)).to_string()))
}

/// "according to the Observatory"
fn according_to(
    doc: &Document,
    res: &Resources,
    matches: &[PhraseMatch],
    index: &Index,
    out: &mut Vec<Attribution>,
) {
    let lex = &res.attributions;
    let toks = &doc.tokens;
    for (si, sent) in doc.sentences.iter().enumerate() {
        let (first, last) = sent.tokens;
        for i in first..last.saturating_sub(1) {
            if toks[i].key != "according" || toks[i + 1].key != "to" {
                continue;
            }
            let src = Index::first_at(&index.match_at, i + 2..=i + 3)
                .map(|j| &matches[j])
                .find(|p| lex.entries[p.entry].is_some());
            let source = match src {
                Some(p) => Some((p.tokens.1, lex.entries[p.entry].clone().unwrap_or_default())),
                None => Index::first_at(&index.actor_at, i + 2..=i + 3)
                    .next()
                    .map(|ai| &doc.actors[ai])
                    .map(|a| (a.tokens.1, res.actors.display_name(a, doc, res))),
            };
            if let Some((end, source)) = source {
                out.push(Attribution {
                    span: doc.token_span((i, end)),
                    tokens: (i, end),
                    sentence: si,
                    source,
                });
            }
        }
    }
}
